"""``tamdesk case``: the caseload and its queue (C1-C3)."""

from __future__ import annotations

import argparse

from tamdesk.cli.common import CUSTOMER_HELP, Commands, ident, json_option, local, open_desk, wants_json, your_zone
from tamdesk.cli.output import emit_json, note, say, table


def register(commands: Commands) -> None:
    """``case open``, ``resolve`` and ``list``."""
    case = commands.group("case", "the caseload", examples=("tamdesk case open tyrell 'Login fails' --severity high",))
    opened = case.command(
        "open", cmd_case_open, "open a case (or queue it at the cap)",
        examples=("tamdesk case open tyrell 'Login fails' --severity high",),
    )
    opened.add_argument("customer", help=CUSTOMER_HELP)
    opened.add_argument("title", help="what the case is about, in a line")
    opened.add_argument("--severity", required=True, choices=("critical", "high", "normal"), help="sets its SLA clocks (001)")
    opened.add_argument("--queue", action="store_true", help="at the caseload cap, queue it instead of refusing (C2)")
    json_option(opened)
    resolved = case.command(
        "resolve", cmd_case_resolve, "resolve a case",
        examples=("tamdesk case resolve 7", "tamdesk case resolve 7 --note 'patched the SSO config'"),
    )
    resolved.add_argument("id", help="the case's id (see 'tamdesk case list')")
    resolved.add_argument("--note", metavar="TEXT", help="the resolution: what fixed it, kept with the case")
    json_option(resolved)
    cases = case.command(
        "list", cmd_case_list, "list cases: open, queued, resolved", examples=("tamdesk case list --open",)
    )
    cases.add_argument("--open", action="store_true", help="leave resolved cases out")
    json_option(cases)


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

    change = resolve_case(open_desk(args), ident(args.id, "case"), args.note)
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
    noted = any(v.resolution_note for v in views)  # the RESOLUTION column only once some case has one
    say(
        table(
            ("ID", "STATUS", "SEVERITY", "CUSTOMER", "TITLE", f"OPENED ({yours})", "AGE", *(("RESOLUTION",) if noted else ())),
            (
                (
                    v.id,
                    v.status + (f" #{v.queue_position}" if v.queue_position else ""),
                    v.severity,
                    v.customer,
                    v.title,
                    local(v.opened_at, yours) if v.opened_at else "-",
                    v.age(now) or "-",
                    *((v.resolution_note or "",) if noted else ()),
                )
                for v in views
            ),
            empty="no cases",
        )
    )
