"""The steps of a case between opening and resolving: respond, update, escalate, wait, resume, checklist, severity, reopen.

Each use-case checks the step against the case's history (``domain.case_history``),
appends it as an event stamped with the unit's clock, and journals it for
``tamdesk undo`` in the same transaction. A resolved case takes none of them but
``reopen`` (bad input); reopening is refused at the caseload cap (C1).
"""

from __future__ import annotations

from typing import Any, Iterable

from tamdesk.domain import case_history
from tamdesk.domain.caseload import check_severity
from tamdesk.domain.errors import BadInput, Refusal
from tamdesk.services.cases import open_count, add_event, case_of, case_view, history
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.journal import record
from tamdesk.services.views import CaseView, iso
from tamdesk.domain.values import read_text
from tamdesk.store.models import Case


def _note(note: str | None) -> str | None:
    return read_text(note or "", "the note") or None


def _open(unit: Unit, case_id: int | str) -> Case:
    """The case, if it is not resolved: a resolved case takes no step but reopening."""
    case = case_of(unit, case_id)
    if case.status == "resolved":
        raise BadInput(f"case {case.id} is resolved: it takes no step until reopened ('tamdesk case reopen {case.id}')")
    return case


def _said(case: Case) -> str:
    return f"case {case.id} ({case.customer.name}: {case.title})"


def _step(desk: Desk, case_id: int | str, kind: str, said: str, fields: dict[str, Any], check: Any = None) -> CaseView:
    """Append one ``kind`` event with ``fields`` to an unresolved case, after ``check`` of its history, journaled.

    ``said`` is the step in the TAM's words, ``{case}`` naming the case: "escalated {case} to level 2".
    """

    def work(unit: Unit) -> CaseView:
        case = _open(unit, case_id)
        if check is not None:
            check(history(case))
        event = add_event(unit, case, kind, **fields)
        record(unit, f"case.{kind}", case.id, said.format(case=_said(case)), {"events": [event.id]})
        return case_view(unit, case)

    return desk.write(work)


def respond(desk: Desk, case_id: int | str, note: str | None = None) -> CaseView:
    """The first (or another) response to the customer (L8: meets the first-response deadline)."""
    return _step(desk, case_id, "responded", "responded to {case}", {"note": _note(note)})


def update(desk: Desk, case_id: int | str, note: str | None = None) -> CaseView:
    """An update to the customer (L8: meets the update due, or the first response)."""
    return _step(desk, case_id, "updated", "updated {case}", {"note": _note(note)})


def escalate(desk: Desk, case_id: int | str, to: int, note: str | None = None) -> CaseView:
    """Escalate to level 2 or 3, never downwards (L1, L8: straight to 3 meets level 2 too)."""
    note = _note(note)
    return _step(
        desk, case_id, "escalated", f"escalated {{case}} to level {to}", {"level": to, "note": note},
        lambda events: case_history.check_escalation(events, to),
    )


def wait(desk: Desk, case_id: int | str, note: str | None = None) -> CaseView:
    """The case waits on the customer: every clock pauses until it resumes (L9)."""
    return _step(desk, case_id, "waiting", "set {case} waiting on the customer", {"note": _note(note)}, case_history.check_wait)


def resume(desk: Desk, case_id: int | str) -> CaseView:
    """The customer answered: the clocks run again (L9). Bad input when the case is not waiting."""
    return _step(desk, case_id, "resumed", "resumed {case}", {}, case_history.check_resume)


def tick_checklist(desk: Desk, case_id: int | str, items: Iterable[str]) -> CaseView:
    """Mark checklist items done (L5); once all four are, the clocks start.

    Items already done are left as they are: with nothing new, nothing is written (not even the desk's revision).
    """
    chosen = case_history.check_items(items)

    def tick(unit: Unit, *, write: bool) -> tuple[CaseView, list[str]]:
        case = _open(unit, case_id) if chosen else case_of(unit, case_id)
        if not case.checklist:
            raise BadInput(f"case {case.id} carries no checklist (open a case with --checklist for one)")
        done = case_history.items_done(history(case))
        new = [item for item in chosen if item not in done]
        if write and new:
            events = [add_event(unit, case, "checklist", item=item).id for item in new]
            record(unit, "case.checklist", case.id, f"checked off {', '.join(new)} on {_said(case)}", {"events": events})
        return case_view(unit, case), new

    view, new = desk.read(lambda unit: tick(unit, write=False))
    return desk.write(lambda unit: tick(unit, write=True))[0] if new else view


def change_severity(desk: Desk, case_id: int | str, severity: str) -> CaseView:
    """Give the case another severity: its targets apply to every deadline not yet met (L9)."""
    severity = check_severity(severity)

    def work(unit: Unit) -> CaseView:
        case = _open(unit, case_id)
        if case.severity == severity:
            raise BadInput(f"case {case.id} is {severity} already")
        before = {"severity": case.severity}
        case.severity = severity
        event = add_event(unit, case, "severity", severity=severity)
        record(unit, "case.severity", case.id, f"made {_said(case)} {severity} (was {before['severity']})",
               {**before, "events": [event.id]})
        return case_view(unit, case)

    return desk.write(work)


def reopen(desk: Desk, case_id: int | str) -> CaseView:
    """Open a resolved case again (L9: it owes an update one interval later); refused at the caseload cap (C1)."""

    def work(unit: Unit) -> CaseView:
        case = case_of(unit, case_id)
        if case.status != "resolved":
            raise BadInput(f"case {case.id} is not resolved: there is nothing to reopen")
        cap = unit.catalogue.caseload_cap
        if open_count(unit) >= cap:
            raise Refusal("C1", f"case {case.id} cannot open again: {cap} cases are open, the cap.",
                          instead="Resolve another case first.")
        before = {"resolved_at": iso(case.resolved_at), "note": case.resolution_note, "opened_at": iso(case.opened_at)}
        case.status, case.resolved_at, case.resolution_note = "open", None, None
        case.opened_at = case.opened_at or unit.now  # resolved from the queue, it leaves the queue now
        event = add_event(unit, case, "reopened")
        record(unit, "case.reopened", case.id, f"reopened {_said(case)}", {**before, "events": [event.id]})
        return case_view(unit, case)

    return desk.write(work)
