"""``tamdesk problem``: problem records behind recurring cases, and their solutions (L6, L11)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tamdesk.cli import team
from tamdesk.cli.common import Commands, ident, json_option, local, open_desk, wants_json, your_zone
from tamdesk.cli.output import emit_json, say, table

if TYPE_CHECKING:
    from tamdesk.services.problems import ProblemView

P_HELP = "the problem's id (see 'tamdesk problem list')"


def register(commands: Commands) -> None:
    """``problem open``, ``link``, ``resolve``, ``list`` and ``show``."""
    problem = commands.group(
        "problem", "problem records: the cause behind recurring cases (L6, L11)",
        examples=("tamdesk problem open 'SSO tokens expire early' --case 7 --case 9",),
    )
    opened = problem.command(
        "open", cmd_problem_open, "open a problem record, linking cases to it; prints its id",
        examples=("tamdesk problem open 'SSO tokens expire early' --case 7 --case 9",),
    )
    opened.add_argument("title", help="what the problem is, in a line")
    opened.add_argument("--case", action="append", default=[], metavar="ID", help="a case it causes (repeat for more)")
    linked = problem.command(
        "link", cmd_problem_link, "link cases to a problem (a case linked elsewhere moves to it)",
        examples=("tamdesk problem link 2 7 9",),
    )
    linked.add_argument("problem", metavar="P", help=P_HELP)
    linked.add_argument("cases", metavar="CASE_ID", nargs="+", help="the cases' ids (see 'tamdesk case list')")
    resolved = problem.command(
        "resolve", cmd_problem_resolve,
        "resolve a problem: its solution goes as an update to every linked open case (L11)",
        examples=(
            "tamdesk problem resolve 2 --note 'rotate the signing key'",
            "tamdesk problem resolve 2 --note 'rotate the signing key' --resolve-cases",
        ),
    )
    resolved.add_argument("problem", metavar="P", help=P_HELP)
    resolved.add_argument("--note", metavar="TEXT", required=True, help="the solution, sent to the linked cases")
    resolved.add_argument(
        "--resolve-cases", action="store_true", help="also resolve the linked open cases, the solution as their note"
    )
    listed = problem.command("list", cmd_problem_list, "list problems: open ones first", examples=("tamdesk problem list",))
    json_option(listed)
    shown = problem.command(
        "show", cmd_problem_show, "one problem with its cases and solution", examples=("tamdesk problem show 2 --json",)
    )
    shown.add_argument("problem", metavar="P", help=P_HELP)
    json_option(shown)


def _case_ids(texts: list[str]) -> list[int]:
    return [ident(text, "case") for text in texts]


def cmd_problem_open(args: argparse.Namespace) -> None:
    from tamdesk.services.problems import open_problem

    say(str(open_problem(open_desk(args), args.title, _case_ids(args.case)).id))


def cmd_problem_link(args: argparse.Namespace) -> None:
    from tamdesk.services.problems import link_cases

    view = link_cases(open_desk(args), ident(args.problem, "problem"), _case_ids(args.cases))
    say(f"problem {view.id} has case {', '.join(str(c.id) for c in view.cases)}")


def cmd_problem_resolve(args: argparse.Namespace) -> None:
    from tamdesk.services.problems import resolve_problem

    view = resolve_problem(open_desk(args), ident(args.problem, "problem"), args.note, resolve_cases=args.resolve_cases)
    told = [c.id for c in view.cases if c.status != "resolved" or c.id in view.resolved_cases]
    say(f"problem {view.id} resolved")
    if told:
        say(f"L11: the solution went as an update to case {', '.join(map(str, told))}")
    if view.resolved_cases:
        say(f"resolved case {', '.join(map(str, view.resolved_cases))} with it")
    for promoted in view.promoted:
        say(f"C2: case {promoted} opened from the queue")


def cmd_problem_list(args: argparse.Namespace) -> None:
    from tamdesk.services.problems import list_problems
    from tamdesk.store.models import Problem

    desk = open_desk(args)
    views = list_problems(desk)
    held = team.owners(desk, Problem, views)  # a manager's list names each problem's TAM
    if wants_json(args):
        emit_json([team.tam_key(v.as_json(), held, v.id) for v in views])
        return
    yours = your_zone(desk)
    say(table(
        ("ID", "STATUS", "TITLE", f"OPENED ({yours})", "CASES", *team.tam_column(held)),
        (
            (v.id, v.status, v.title, local(v.opened_at, yours), " ".join(str(c.id) for c in v.cases) or "-", *team.tam_cell(held, v.id))
            for v in views
        ),
        empty="no problems",
    ))


def cmd_problem_show(args: argparse.Namespace) -> None:
    from tamdesk.services.problems import show_problem

    desk = open_desk(args)
    view = show_problem(desk, ident(args.problem, "problem"))
    if wants_json(args):
        emit_json(view.as_json())
        return
    _say_problem(view, your_zone(desk))


def _say_problem(view: ProblemView, yours: str) -> None:
    say(f"problem {view.id}: {view.title} ({view.status}, opened {local(view.opened_at, yours)})")
    if view.solution:
        say(f"  solution: {view.solution}")
    say(table(("CASE", "STATUS", "CUSTOMER", "TITLE"), ((c.id, c.status, c.customer, c.title) for c in view.cases),
              empty="  no cases linked"))
