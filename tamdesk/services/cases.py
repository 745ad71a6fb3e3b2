"""The caseload: open, queue and resolve cases under the cap (SPEC C1-C3), each step an event of the case (L3).

Every change of a case appends to its history (``CaseEvent``, stamped with
the unit's clock): ``filed`` and ``opened`` here, ``resolved`` with its note;
the other steps are in ``services.case_events``. The knowledge base (L12)
follows titles and resolution notes by itself (triggers of migration 0006).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from tamdesk.domain import case_history, sla
from tamdesk.domain.values import MAX_NAME, read_text
from tamdesk.domain.caseload import Load, QueuedCase, check_severity, decide_open, queue_order
from tamdesk.domain.errors import BadInput, Refusal
from tamdesk.services.case_clocks import customer_clock, history_of, judge
from tamdesk.services.contracts import plan_of
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.journal import record
from tamdesk.services.views import CaseChange, CaseEventView, CaseView
from tamdesk.store.models import Case, CaseEvent, TimeEntry



def _queue(unit: Unit, tam_id: int | None = None) -> list[Case]:
    """A TAM's queue in its order (C2): the current TAM's, or ``tam_id``'s."""
    rows = unit.session.scalars(select(Case).where(Case.tam_id == (tam_id or unit.tam.id), Case.status == "queued")).all()
    by_id = {r.id: r for r in rows}
    facts = (QueuedCase(r.id, r.severity, r.filed_at) for r in rows)  # type: ignore[arg-type]
    return [by_id[q.id] for q in queue_order(facts)]


def open_count(unit: Unit) -> int:
    """How many of the TAM's cases are open (C1 counts them; queued ones wait outside)."""
    return unit.session.scalar(
        select(func.count()).select_from(Case).where(Case.tam_id == unit.tam.id, Case.status == "open")
    ) or 0


def add_event(unit: Unit, case: Case, kind: str, **fields: Any) -> CaseEvent:
    """Append one step to ``case``'s history, stamped with the unit's clock."""
    event = CaseEvent(case=case, at=unit.now, kind=kind, **fields)
    unit.session.add(event)
    unit.session.flush()
    return event


def remove_events(unit: Unit, ids: Iterable[int]) -> None:
    """Take back steps of a history (undoing what wrote them)."""
    unit.session.execute(delete(CaseEvent).where(CaseEvent.id.in_(list(ids))))
    unit.session.expire_all()


def history(case: Case) -> list[sla.Event]:
    """The case's events as the rules read them, in the order they were written."""
    return history_of(case.events, case.checklist)


def clocks(unit: Unit, case: Case, events: list[sla.Event] | None = None) -> sla.CaseSla:
    """What the case's clocks say at the unit's instant: deadlines, verdicts, pause (L3, L7-L10).

    ``events`` is the case's history when the caller has read it already.
    """
    events = history(case) if events is None else events
    if not events:  # a case row written without its steps (by another tool): read as filed when the row says (L8)
        events = [sla.Filed(case.filed_at, case.severity, case.checklist)]  # type: ignore[arg-type]
    return judge(unit, case.customer, events, customer_clock(unit, case.customer))


def case_view(unit: Unit, case: Case, position: int | None = None) -> CaseView:
    """The view of a case row, with what its history says (waiting, level, checklist, deadlines)."""
    events = history(case)
    said = clocks(unit, case, events)
    return CaseView(
        id=case.id,
        customer=case.customer.name,
        title=case.title,
        severity=case.severity,
        status=case.status,
        filed_at=case.filed_at,
        opened_at=case.opened_at,
        resolved_at=case.resolved_at,
        queue_position=position,
        resolution_note=case.resolution_note,
        clock=plan_of(unit, case.customer).sla_clock,
        waiting=case_history.waiting(events),
        paused=said.paused,
        level=said.level,
        problem=case.problem_id,
        checklist=said.checklist,
        next_deadline=said.next_deadline,
        deadlines=said.deadlines,
        events=tuple(
            CaseEventView(e.id, e.at, e.kind, e.level, e.severity, e.item, e.problem_id, e.note) for e in case.events
        ),
    )


def load(desk: Desk) -> Load:
    """The caseload against its cap (C3)."""

    def work(unit: Unit) -> Load:
        queued = unit.session.scalar(
            select(func.count()).select_from(Case).where(Case.tam_id == unit.tam.id, Case.status == "queued")
        )
        return unit.catalogue.load(open_count(unit), queued or 0)

    return desk.read(work)


def open_case(
    desk: Desk, customer_ref: str | int, title: str, severity: str, *, queue: bool = False, checklist: bool = False
) -> CaseView:
    """Open a case, or queue it at the cap when asked; refuse at the cap otherwise (C1, C2).

    With ``checklist`` its clocks wait for a complete request (L5).
    """
    severity = check_severity(severity)
    title = read_text(title, "a case's title", limit=MAX_NAME, required=True)

    def work(unit: Unit) -> CaseView:
        customer = unit.customer(customer_ref)
        cap = unit.catalogue.caseload_cap
        case = Case(
            tam_id=unit.tam.id, customer=customer, title=title.strip(), severity=severity, filed_at=unit.now,
            checklist=checklist,
        )
        position = _position_if_queued(unit, QueuedCase(2**62, severity, unit.now))
        case.status = decide_open(open_count(unit), cap, queue=queue, position=position)
        if case.status == "open":
            case.opened_at = unit.now
        unit.session.add(case)
        unit.session.flush()
        add_event(unit, case, "filed", severity=severity)
        if case.status == "open":
            add_event(unit, case, "opened")
        record(unit, "case.opened", case.id, f"{'queued' if case.status == 'queued' else 'opened'} case {case.id} "
               f"({customer.name}: {case.title})")
        return case_view(unit, case, position if case.status == "queued" else None)

    return desk.write(work)


def _position_if_queued(unit: Unit, new: QueuedCase) -> int:
    """Where a new case would wait: behind every case of its severity or worse (C2)."""
    waiting = [QueuedCase(c.id, c.severity, c.filed_at) for c in _queue(unit)]  # type: ignore[arg-type]
    # the new case gets the largest id: it is the youngest, behind its equals
    ordered = queue_order([*waiting, new])
    return 1 + sum(1 for q in ordered[: ordered.index(new)])


def case_of(unit: Unit, case_id: int | str) -> Case:
    """The current TAM's case ``case_id``; an unknown one is bad input."""
    return unit.owned(Case, case_id, "case", "case list")


def resolve_case(desk: Desk, case_id: int | str, note: str | None = None) -> CaseChange:
    """Resolve a case with an optional resolution ``note``; the head of the queue opens by itself when a place frees (C2)."""
    note = read_text(note or "", "the resolution note") or None

    def work(unit: Unit) -> CaseChange:
        case = case_of(unit, case_id)
        if case.status == "resolved":
            raise Refusal("C2", f"case {case.id} is already resolved.")
        before = {"status": case.status, "opened_at": case.opened_at}
        freed = close_case(unit, case, note)
        promoted = promote(unit, freed)
        record(unit, "case.resolved", case.id, f"resolved case {case.id} ({case.customer.name}: {case.title})",
               {**before, "promoted": promoted[0].id if promoted else None})
        return CaseChange(case_view(unit, case), case_view(unit, promoted[0]) if promoted else None)

    return desk.write(work)


def close_case(unit: Unit, case: Case, note: str | None) -> int:
    """Mark ``case`` resolved now with ``note``, a ``resolved`` event in its history; the places it frees (0 or 1)."""
    was_open = case.status == "open"
    case.status = "resolved"
    case.resolved_at = unit.now
    case.resolution_note = note
    add_event(unit, case, "resolved", note=note)
    return 1 if was_open else 0


def promote(unit: Unit, places: int) -> list[Case]:
    """Open the head of the queue for each of ``places`` freed, while under the cap (C2)."""
    opened: list[Case] = []
    waiting = _queue(unit)
    while places > 0 and waiting and open_count(unit) < unit.catalogue.caseload_cap:
        head = waiting.pop(0)
        head.status = "open"
        head.opened_at = unit.now
        add_event(unit, head, "opened")
        opened.append(head)
        places -= 1
    return opened


def undo_resolution(unit: Unit, case_id: int, status: str, opened_at: str | None, promoted: int | None) -> Case:
    """Undo a resolution: the case is ``status`` again (open or queued), the case it promoted waits again (C2).

    Back to open, the cap holds (C1): a case opened since then would need its place.
    The ``resolved`` step leaves the case's history, and the promoted case's ``opened`` one.
    """
    case = case_of(unit, case_id)
    if promoted is not None:
        back_to_queue(unit, promoted)
    if status == "open" and open_count(unit) >= unit.catalogue.caseload_cap:
        cap = unit.catalogue.caseload_cap
        raise Refusal("C1", f"case {case.id} cannot open again: {cap} cases are open, the cap.",
                      instead="Resolve another case first.")
    case.status, case.resolved_at, case.resolution_note = status, None, None
    case.opened_at = datetime.fromisoformat(opened_at) if opened_at else None
    _drop_last(unit, case, "resolved")
    unit.session.flush()
    return case


def back_to_queue(unit: Unit, case_id: int) -> Case:
    """Undo a promotion from the queue (C2): the case waits again, its ``opened`` step gone."""
    head = case_of(unit, case_id)
    head.status, head.opened_at = "queued", None
    _drop_last(unit, head, "opened")
    return head


def _drop_last(unit: Unit, case: Case, kind: str) -> None:
    last = next((e for e in reversed(case.events) if e.kind == kind), None)
    if last is not None:
        case.events.remove(last)
        unit.session.flush()


def discard_case(unit: Unit, case_id: int) -> Case:
    """Remove a case as if never opened (undoing its opening); time logged on it must go first."""
    case = case_of(unit, case_id)
    if unit.session.scalar(select(func.count()).select_from(TimeEntry).where(TimeEntry.case_id == case.id)):
        raise BadInput(f"case {case.id} has time logged on it: delete that time first")
    unit.session.delete(case)
    unit.session.flush()
    return case


def list_cases(desk: Desk, *, include_resolved: bool = True, customer: str | int | None = None) -> list[CaseView]:
    """Open cases by id, then the queue in its order, then resolved ones (newest first)."""

    def work(unit: Unit) -> list[CaseView]:
        query = select(Case).where(unit.mine(Case.tam_id)).options(selectinload(Case.events))
        if customer is not None:
            query = query.where(Case.customer_id == unit.customer(customer).id)
        if not include_resolved:
            query = query.where(Case.status != "resolved")
        rows = unit.session.scalars(query).all()
        positions = {  # each TAM's queue has its own order (a manager lists every TAM's)
            c.id: i for tam_id in {c.tam_id for c in rows} for i, c in enumerate(_queue(unit, tam_id), start=1)
        }
        open_rows = sorted((c for c in rows if c.status == "open"), key=lambda c: c.id)
        queued = sorted((c for c in rows if c.status == "queued"), key=lambda c: positions[c.id])
        resolved = sorted((c for c in rows if c.status == "resolved"), key=lambda c: c.resolved_at, reverse=True)
        return [case_view(unit, c, positions.get(c.id)) for c in (*open_rows, *queued, *resolved)]

    return desk.read(work)


def show_case(desk: Desk, case_id: int | str) -> CaseView:
    """One case with its history."""

    def work(unit: Unit) -> CaseView:
        case = case_of(unit, case_id)
        position = next((i for i, c in enumerate(_queue(unit, case.tam_id), start=1) if c.id == case.id), None)
        return case_view(unit, case, position)

    return desk.read(work)
