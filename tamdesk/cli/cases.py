"""``tamdesk case``: the caseload and its queue (C1-C3)."""

from __future__ import annotations

import argparse

from tamdesk.cli.common import Commands, ident, local, open_desk, wants_json, your_zone
from tamdesk.cli.output import emit_json, note, say, table


def register(commands: Commands) -> None:
    """``case open``, ``resolve`` and ``list``."""
    case = commands.group("case", "the caseload")
    opened = case.command("open", cmd_case_open, "open a case (or queue it at the cap)")
    opened.add_argument("customer")
    opened.add_argument("title")
    opened.add_argument("--severity", required=True, choices=("critical", "high", "normal"))
    opened.add_argument("--queue", action="store_true")
    opened.add_argument("--json", action="store_true")
    resolved = case.command("resolve", cmd_case_resolve, "resolve a case")
    resolved.add_argument("id")
    resolved.add_argument("--json", action="store_true")
    cases = case.command("list", cmd_case_list, "list cases: open, queued, resolved")
    cases.add_argument("--open", action="store_true", help="leave resolved cases out")
    cases.add_argument("--json", action="store_true")


def cmd_case_open(args: argparse.Namespace) -> None:
    from tamdesk.services.cases import open_case

    view = open_case(open_desk(args), args.customer, args.title, args.severity, queue=args.queue)
    if wants_json(args):
        emit_json(view.as_json())
        return
    say(str(view.id))
    if view.status == "queued":
        note(f"C2: the caseload is at its cap; case {view.id} waits as number {view.queue_position} in the queue")


def cmd_case_resolve(args: argparse.Namespace) -> None:
    from tamdesk.services.cases import resolve_case

    change = resolve_case(open_desk(args), ident(args.id, "case"))
    if wants_json(args):
        emit_json({**change.case.as_json(), "promoted": change.promoted.as_json() if change.promoted else None})
        return
    say(f"case {change.case.id} resolved")
    if change.promoted:
        p = change.promoted
        say(f"C2: case {p.id} ({p.severity}, {p.customer}: {p.title}) opened from the queue")


def cmd_case_list(args: argparse.Namespace) -> None:
    from tamdesk.services.cases import list_cases

    desk = open_desk(args)
    views = list_cases(desk, include_resolved=not args.open)
    if wants_json(args):
        emit_json([v.as_json() for v in views])
        return
    now, yours = desk.now(), your_zone(desk)
    say(
        table(
            ("ID", "STATUS", "SEVERITY", "CUSTOMER", "TITLE", f"OPENED ({yours})", "AGE"),
            (
                (
                    v.id,
                    v.status + (f" #{v.queue_position}" if v.queue_position else ""),
                    v.severity,
                    v.customer,
                    v.title,
                    local(v.opened_at, yours) if v.opened_at else "-",
                    v.age(now) or "-",
                )
                for v in views
            ),
            empty="no cases",
        )
    )
