"""Undo: revert the TAM's newest change not yet undone, through the rules (see ``services.journal``).

Each kind of change has its reverse, run in one transaction with the journal
row marked undone, so a reverse the rules refuse (a call that would now
overlap another, T7; a unit used again since, S3; a time already passed, S2)
changes nothing and says why. Run again, ``undo`` reverts the change before.

Undoing a booking removes the call, as if never booked: it is not a TAM
cancellation, so it earns no S6 credit. Undoing a cancellation, a move or a
mark voids that step in the call's history (see ``calls.restore_call``), so
the ledger is what it was before the step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from tamdesk.domain.errors import BadInput
from tamdesk.services.calls import discard_call, restore_call
from tamdesk.services.cases import case_of, discard_case, remove_events, undo_resolution
from tamdesk.services.customer_edit import restore_customer
from tamdesk.services.customers import discard_customer
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.emergencies import discard_emergency, reopen, unanswer, unapprove, unlog, unnormalize, unsettle
from tamdesk.services.journal import before_of, newest_not_undone, when
from tamdesk.services.problems import discard_problem, unlink, unresolve_problem
from tamdesk.services.settings import restore_setting
from tamdesk.services.team import discard_tam, unassign
from tamdesk.services.timelog import restore_entry
from tamdesk.services.views import iso
from tamdesk.store.models import Call, CriticalPeriod, Emergency, JournalEntry, TimeOff


class NothingToUndo(BadInput):
    """The journal holds no change left to undo."""


@dataclass(frozen=True)
class Undone:
    """A change reverted: what it was and what undoing it did, in the TAM's words."""

    id: int
    kind: str
    subject_id: int | None
    at: datetime  # when the change was made
    change: str  # the change, as it was said when made
    said: str  # what undoing did: "moved Tyrell Corp's call back to Tue 1 Dec 10:00"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "subject_id": self.subject_id,
            "at": iso(self.at),
            "change": self.change,
            "undid": self.said,
        }


Reverse = Callable[[Unit, JournalEntry, dict[str, Any]], str]


def undo(desk: Desk) -> Undone:
    """Revert the newest change not yet undone; refuse (changing nothing) where the rules would."""

    def work(unit: Unit) -> Undone:
        entry = newest_not_undone(unit)
        if entry is None:
            raise NothingToUndo("nothing to undo: no change of yours is left to revert")
        said = REVERSES[entry.kind](unit, entry, before_of(entry))
        entry.undone_at = unit.now
        return Undone(entry.id, entry.kind, entry.subject_id, entry.at, entry.summary, said)

    return desk.write(work)


def _subject(entry: JournalEntry) -> int:
    assert entry.subject_id is not None  # every change of a row keeps its id
    return entry.subject_id


def _booked(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    call = discard_call(unit, _subject(entry))
    return f"removed the booking of {call.customer.name}'s call on {when(call.starts_at, unit)}"


def _moved(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    start = datetime.fromisoformat(before["start"])
    call = restore_call(
        unit, _subject(entry), before["event_id"], start=start, status=before["status"],
        marks=(before["exception"], before["over_budget"]),
    )
    if call.status != "scheduled":
        return f"{call.customer.name}'s call on {when(start, unit)} is {call.status} again"
    return f"moved {call.customer.name}'s call back to {when(start, unit)}"


def _cancelled(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    current = _call_start(unit, entry)
    call = restore_call(unit, _subject(entry), before["event_id"], start=current, status="scheduled")
    return f"booked {call.customer.name}'s call on {when(call.starts_at, unit)} again"


def _marked(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    restore_entry(unit, before["entry_id"], None)
    call = restore_call(unit, _subject(entry), before["event_id"], start=_call_start(unit, entry), status="scheduled")
    return f"{call.customer.name}'s call on {when(call.starts_at, unit)} is scheduled again, its time no longer logged"


def _call_start(unit: Unit, entry: JournalEntry) -> datetime:
    return unit.session.get_one(Call, _subject(entry)).starts_at


def _time(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    restore_entry(unit, _subject(entry), before or None)
    verb = {"time.logged": "removed", "time.edited": "put back", "time.deleted": "brought back"}[entry.kind]
    return f"{verb} time entry {entry.subject_id}"


def _case_opened(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    case = discard_case(unit, _subject(entry))
    return f"removed case {case.id} ({case.title})"


def _case_resolved(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    case = undo_resolution(unit, _subject(entry), before["status"], before["opened_at"], before["promoted"])
    back = f"; case {before['promoted']} waits in the queue again" if before["promoted"] else ""
    return f"case {case.id} ({case.title}) is {case.status} again{back}"


#: A case's step as undo names what it took back.
CASE_STEPS = {
    "case.responded": "the response", "case.updated": "the update", "case.escalated": "the escalation",
    "case.waiting": "the wait on the customer", "case.resumed": "the resumption", "case.checklist": "the checklist items",
}


def _case_step(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    remove_events(unit, before["events"])
    case = case_of(unit, _subject(entry))
    return f"took back {CASE_STEPS[entry.kind]} on case {case.id} ({case.title})"


def _case_severity(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    remove_events(unit, before["events"])
    case = case_of(unit, _subject(entry))
    case.severity = before["severity"]
    return f"case {case.id} ({case.title}) is {case.severity} again"


def _case_reopened(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    remove_events(unit, before["events"])
    case = case_of(unit, _subject(entry))
    case.status, case.resolution_note = "resolved", before["note"]
    case.resolved_at = datetime.fromisoformat(before["resolved_at"])
    case.opened_at = datetime.fromisoformat(before["opened_at"]) if before["opened_at"] else None
    return f"case {case.id} ({case.title}) is resolved again"


def _problem_opened(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    problem = discard_problem(unit, _subject(entry), before)
    return f"removed problem {problem.id} ({problem.title})"


def _problem_linked(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    unlink(unit, before)
    return f"unlinked case {', '.join(before['links'])} from problem {entry.subject_id}"


def _problem_resolved(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    problem = unresolve_problem(unit, _subject(entry), before)
    cases = f"; case {', '.join(str(c['id']) for c in before['resolved'])} open again" if before["resolved"] else ""
    return f"problem {problem.id} ({problem.title}) is open again, its solution taken back{cases}"


def _customer_added(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    return f"removed customer {discard_customer(unit, _subject(entry)).name}"


def _customer_edited(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    return f"put customer {restore_customer(unit, _subject(entry), before).name}'s fields back"


def _removed(model: type[CriticalPeriod] | type[TimeOff], what: str) -> Reverse:
    def reverse(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
        row = unit.session.get(model, _subject(entry))
        if row is not None:
            unit.session.delete(row)
            unit.session.flush()
        return f"removed the {what} from {when(row.starts_at, unit)}" if row else f"the {what} was already gone"

    return reverse


def _emergency(revert: Callable[[Unit, int, dict[str, Any]], Emergency], said: str) -> Reverse:
    """The reverse of an emergency's step: ``revert`` it, then say ``said`` of the engagement as it is again."""

    def reverse(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
        row = revert(unit, _subject(entry), before)
        return said.format(id=row.id, title=row.title, guarantee=row.guarantee)

    return reverse


def _tam_added(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    return f"removed TAM {discard_tam(unit, _subject(entry)).name}"


def _setting(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    restore_setting(unit, before["key"], before["value"])
    shown = "unset" if before["value"] is None else repr(before["value"])
    return f"{before['key']} is {shown} again"


#: How each kind of change the journal keeps is reverted.
REVERSES: dict[str, Reverse] = {
    "call.booked": _booked,
    "call.moved": _moved,
    "call.cancelled": _cancelled,
    "call.marked": _marked,
    "time.logged": _time,
    "time.edited": _time,
    "time.deleted": _time,
    "case.opened": _case_opened,
    "case.resolved": _case_resolved,
    **dict.fromkeys(CASE_STEPS, _case_step),
    "case.severity": _case_severity,
    "case.reopened": _case_reopened,
    "problem.opened": _problem_opened,
    "problem.linked": _problem_linked,
    "problem.resolved": _problem_resolved,
    "customer.added": _customer_added,
    "customer.edited": _customer_edited,
    "critical.added": _removed(CriticalPeriod, "critical period"),
    "timeoff.added": _removed(TimeOff, "time off"),
    "setting.set": _setting,
    "tam.added": _tam_added,
    "customer.assigned": unassign,
    "case.assigned": unassign,
    "emergency.opened": _emergency(discard_emergency, "removed emergency {id} ({title})"),
    "emergency.answered": _emergency(unanswer, "emergency {id} awaits its feasibility answer again; invoice 1 withdrawn if issued"),
    "emergency.logged": _emergency(unlog, "removed the time just logged on emergency {id}"),
    "emergency.approved": _emergency(unapprove, "the day's time on emergency {id} awaits approval again"),
    "emergency.normalized": _emergency(unnormalize, "emergency {id} is normalizing again; invoice 2 withdrawn if issued"),
    "emergency.guarantee": _emergency(unsettle, "the guarantee of emergency {id} is {guarantee} again"),
    # a report file written at close stays: it is outside the desk
    "emergency.closed": _emergency(reopen, "emergency {id} is mitigating again; invoice 3 withdrawn if issued"),
}
