"""``tamdesk case``: the caseload and its queue (C1-C3), and each case's steps on the clock (L1-L12)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Callable

from tamdesk.cli import team
from tamdesk.cli.common import CUSTOMER_HELP, Commands, ident, json_option, local, open_desk, wants_json, your_zone
from tamdesk.cli.output import emit_json, note, say, table

if TYPE_CHECKING:
    from tamdesk.services.views import CaseView

#: The items of a complete request (L5), as ``case checklist --done`` takes them (domain.case_history says so too).
CHECKLIST_ITEMS = "description|steps|screenshots|access"
ID_HELP = "the case's id (see 'tamdesk case list')"


def register(commands: Commands) -> None:
    """``case open``, ``resolve``, ``list``, ``show`` and the steps between: respond, update, escalate..."""
    case = commands.group("case", "the caseload", examples=("tamdesk case open tyrell 'Login fails' --severity high",))
    opened = case.command(
        "open", cmd_case_open, "open a case (or queue it at the cap)",
        examples=("tamdesk case open tyrell 'Login fails' --severity high",),
    )
    opened.add_argument("customer", help=CUSTOMER_HELP)
    opened.add_argument("title", help="what the case is about, in a line")
    opened.add_argument("--severity", required=True, choices=("critical", "high", "normal"), help="sets its SLA clocks (001)")
    opened.add_argument("--queue", action="store_true", help="at the caseload cap, queue it instead of refusing (C2)")
    opened.add_argument(
        "--checklist", action="store_true",
        help=f"the contract wants a complete request ({CHECKLIST_ITEMS.replace('|', ', ')}): the clocks start once it is (L5)",
    )
    json_option(opened)
    _register_steps(case)
    resolved = case.command(
        "resolve", cmd_case_resolve, "resolve a case",
        examples=("tamdesk case resolve 7", "tamdesk case resolve 7 --note 'patched the SSO config'"),
    )
    resolved.add_argument("id", help=ID_HELP)
    resolved.add_argument("--note", metavar="TEXT", help="the resolution: what fixed it, kept with the case")
    json_option(resolved)
    cases = case.command(
        "list", cmd_case_list, "list cases: open, queued, resolved", examples=("tamdesk case list --open",)
    )
    cases.add_argument("--open", action="store_true", help="leave resolved cases out")
    cases.add_argument("--customer", metavar="C", help="only this customer's cases: " + CUSTOMER_HELP)
    json_option(cases)
    shown = case.command(
        "show", cmd_case_show, "one case: its status, level, checklist, problem and history",
        examples=("tamdesk case show 7", "tamdesk case show 7 --json"),
    )
    shown.add_argument("id", help=ID_HELP)
    json_option(shown)
    team.add_assign(case, "case")


def _register_steps(case: Commands) -> None:
    """The steps of a case between opening and resolving, each an event on its history (L8, L9)."""
    for name, handler, what, example in (
        ("respond", cmd_case_respond, "record a response to the customer (meets the first response, L8)",
         "tamdesk case respond 7 --note 'looking into it'"),
        ("update", cmd_case_update, "record an update to the customer (the next is due one interval later, L8)",
         "tamdesk case update 7 --note 'patch in test'"),
        ("wait", cmd_case_wait, "the case waits on the customer: its clocks pause until 'case resume' (L9)",
         "tamdesk case wait 7 --note 'asked for the logs'"),
    ):
        step = case.command(name, handler, what, examples=(example,))
        step.add_argument("id", help=ID_HELP)
        step.add_argument("--note", metavar="TEXT", help="what was said, kept with the step")
    escalated = case.command(
        "escalate", cmd_case_escalate, "escalate a case to level 2 or 3, never downwards (L1, L8)",
        examples=("tamdesk case escalate 7 --level 2", "tamdesk case escalate 7 --level 3 --note 'vendor engaged'"),
    )
    escalated.add_argument("id", help=ID_HELP)
    escalated.add_argument("--level", required=True, type=int, choices=(2, 3), help="the level it goes to")
    escalated.add_argument("--note", metavar="TEXT", help="why, kept with the step")
    resumed = case.command(
        "resume", cmd_case_resume, "the customer answered: the case's clocks run again (L9)",
        examples=("tamdesk case resume 7",),
    )
    resumed.add_argument("id", help=ID_HELP)
    checklist = case.command(
        "checklist", cmd_case_checklist, "show a case's checklist, or tick items done (L5: complete, the clocks start)",
        examples=("tamdesk case checklist 7", "tamdesk case checklist 7 --done description --done steps"),
    )
    checklist.add_argument("id", help=ID_HELP)
    checklist.add_argument(
        "--done", action="append", default=[], metavar=CHECKLIST_ITEMS, help="an item the customer gave (repeat for more)"
    )
    severity = case.command(
        "severity", cmd_case_severity, "give a case another severity: its targets apply to every deadline not yet met (L9)",
        examples=("tamdesk case severity 7 critical",),
    )
    severity.add_argument("id", help=ID_HELP)
    severity.add_argument("severity", choices=("critical", "high", "normal"), help="the new severity")
    reopened = case.command(
        "reopen", cmd_case_reopen, "open a resolved case again (refused at the caseload cap, C1)",
        examples=("tamdesk case reopen 7",),
    )
    reopened.add_argument("id", help=ID_HELP)


def cmd_case_open(args: argparse.Namespace) -> None:
    from tamdesk.services.cases import open_case

    from tamdesk.services.knowledge import closest_resolutions

    desk = open_desk(args)
    view = open_case(desk, args.customer, args.title, args.severity, queue=args.queue, checklist=args.checklist)
    if wants_json(args):
        emit_json(view.as_json())
    else:
        say(str(view.id))
    if view.status == "queued":
        note(f"C2: the caseload is at its cap; case {view.id} waits as number {view.queue_position} in the queue")
    hits = closest_resolutions(desk, view.title, leave_out=view.id)
    if hits:  # L12: the closest past resolutions, on stderr so that scripts read only the id
        note("closest past resolutions (L12):")
        for hit in hits:
            note(f"  {hit.kind} {hit.id} ({hit.customer or 'problem'}: {hit.title}): {hit.snippet}")


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

    from tamdesk.store.models import Case

    desk = open_desk(args)
    views = list_cases(desk, include_resolved=not args.open, customer=args.customer)
    held = team.owners(desk, Case, views)  # a manager's list names each case's TAM
    if wants_json(args):
        emit_json([team.tam_key(v.as_json(), held, v.id) for v in views])
        return
    now, yours = desk.now(), your_zone(desk)
    noted = any(v.resolution_note for v in views)  # the RESOLUTION column only once some case has one
    say(
        table(
            ("ID", "STATUS", "SEVERITY", "CUSTOMER", "TITLE", f"OPENED ({yours})", "AGE", "NEXT DEADLINE",
             *(("RESOLUTION",) if noted else ()), *team.tam_column(held)),
            (
                (
                    v.id,
                    v.shown_status + (f" #{v.queue_position}" if v.queue_position else ""),
                    v.severity,
                    v.customer,
                    v.title,
                    local(v.opened_at, yours) if v.opened_at else "-",
                    v.age(now) or "-",
                    v.next_deadline.said() if v.next_deadline else ("paused" if v.paused else "-"),
                    *((v.resolution_note or "",) if noted else ()),
                    *team.tam_cell(held, v.id),
                )
                for v in views
            ),
            empty="no cases",
        )
    )


def _step(args: argparse.Namespace, act: Callable[..., CaseView], said: Callable[[CaseView], str], *extra: Any) -> None:
    """Run one step on the case ``args.id`` and say what it is now."""
    view = act(open_desk(args), ident(args.id, "case"), *extra)
    say(said(view))


def cmd_case_respond(args: argparse.Namespace) -> None:
    from tamdesk.services.case_events import respond

    _step(args, respond, lambda v: f"case {v.id}: response recorded", args.note)


def cmd_case_update(args: argparse.Namespace) -> None:
    from tamdesk.services.case_events import update

    _step(args, update, lambda v: f"case {v.id}: update recorded", args.note)


def cmd_case_escalate(args: argparse.Namespace) -> None:
    from tamdesk.services.case_events import escalate

    _step(args, escalate, lambda v: f"case {v.id} escalated to level {v.level}", args.level, args.note)


def cmd_case_wait(args: argparse.Namespace) -> None:
    from tamdesk.services.case_events import wait

    _step(args, wait, lambda v: f"case {v.id} waits on the customer: its clocks are paused (L9)", args.note)


def cmd_case_resume(args: argparse.Namespace) -> None:
    from tamdesk.services.case_events import resume

    _step(args, resume, lambda v: f"case {v.id} resumed: " + ("its clocks run again" if not v.paused else
                                                             "its clocks wait for the checklist (L5)"))


def cmd_case_checklist(args: argparse.Namespace) -> None:
    from tamdesk.services.case_events import tick_checklist

    _step(args, tick_checklist, _checklist_said, args.done)


def _checklist_said(view: CaseView) -> str:
    items = view.checklist or {}
    lines = [f"case {view.id}'s checklist:"] + [f"  [{'x' if done else ' '}] {item}" for item, done in items.items()]
    complete = all(items.values())
    lines.append("complete: the clocks run (L5)" if complete else "incomplete: the clocks wait for it (L5)")
    return "\n".join(lines)


def cmd_case_severity(args: argparse.Namespace) -> None:
    from tamdesk.services.case_events import change_severity

    _step(args, change_severity, lambda v: f"case {v.id} is {v.severity} now", args.severity)


def cmd_case_reopen(args: argparse.Namespace) -> None:
    from tamdesk.services.case_events import reopen

    _step(args, reopen, lambda v: f"case {v.id} reopened")


def cmd_case_show(args: argparse.Namespace) -> None:
    from tamdesk.services.cases import show_case

    from tamdesk.services.team import assignments

    desk = open_desk(args)
    view = show_case(desk, ident(args.id, "case"))
    moves = assignments(desk, "case", view.id)
    if wants_json(args):
        moved = {"assignments": [m.as_json() for m in moves]} if moves else {}  # once it moved between TAMs
        emit_json({**view.as_json(), "events": [e.as_json() for e in view.events], **moved})
        return
    yours = your_zone(desk)
    checklist = view.checklist
    say(f"case {view.id}  {view.customer}: {view.title}")
    say(f"  {view.severity}, {view.shown_status}" + (f" #{view.queue_position}" if view.queue_position else "")
        + f", level {view.level}, {view.clock} clock" + (", paused" if view.paused else ""))
    if checklist is not None:
        say("  checklist: " + ", ".join(f"{item} {'done' if done else 'missing'}" for item, done in checklist.items()))
    if view.problem is not None:
        say(f"  problem {view.problem}")
    team.print_history(desk, moves)
    if view.resolution_note:
        say(f"  resolution: {view.resolution_note}")
    if view.next_deadline:
        say(f"  next: {view.next_deadline.said()}")
    if view.deadlines:
        say(table(
            ("DEADLINE", f"DUE ({yours})", "DONE", "VERDICT"),
            ((d.kind, local(d.due, yours), local(d.done_at, yours) if d.done_at else "-", d.state) for d in view.deadlines),
        ))
    say(table(
        (f"WHEN ({yours})", "STEP", "NOTE"),
        ((local(e.at, yours), _step_said(e), e.note or "") for e in view.events),
        empty="  no history",
    ))


#: How a step with a detail reads in ``case show``.
STEPS_SAID = {
    "escalated": "escalated to level {e.level}", "severity": "severity {e.severity}",
    "checklist": "checklist: {e.item} given", "linked": "linked to problem {e.problem}", "filed": "filed",
}


def _step_said(event: Any) -> str:
    """An event as the TAM reads it: ``escalated to level 2``, ``checklist: steps given``."""
    return STEPS_SAID.get(event.kind, event.kind).format(e=event)
