"""The caseload: open, queue and resolve cases under the cap (SPEC C1-C3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from tamdesk.domain.values import MAX_NAME, read_text
from tamdesk.domain.caseload import Load, QueuedCase, check_severity, decide_open, queue_order
from tamdesk.domain.errors import BadInput, Refusal
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.journal import record
from tamdesk.services.views import CaseChange, CaseView
from tamdesk.store.models import Case, TimeEntry



def _queue(unit: Unit) -> list[Case]:
    rows = unit.session.scalars(select(Case).where(Case.tam_id == unit.tam.id, Case.status == "queued")).all()
    by_id = {r.id: r for r in rows}
    facts = (QueuedCase(r.id, r.severity, r.filed_at) for r in rows)  # type: ignore[arg-type]
    return [by_id[q.id] for q in queue_order(facts)]


def _open_count(unit: Unit) -> int:
    return unit.session.scalar(
        select(func.count()).select_from(Case).where(Case.tam_id == unit.tam.id, Case.status == "open")
    ) or 0


def case_view(case: Case, position: int | None = None) -> CaseView:
    """The view of a case row."""
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
    )


def load(desk: Desk) -> Load:
    """The caseload against its cap (C3)."""

    def work(unit: Unit) -> Load:
        queued = unit.session.scalar(
            select(func.count()).select_from(Case).where(Case.tam_id == unit.tam.id, Case.status == "queued")
        )
        return unit.catalogue.load(_open_count(unit), queued or 0)

    return desk.read(work)


def open_case(desk: Desk, customer_ref: str | int, title: str, severity: str, *, queue: bool = False) -> CaseView:
    """Open a case, or queue it at the cap when asked; refuse at the cap otherwise (C1, C2)."""
    severity = check_severity(severity)
    title = read_text(title, "a case's title", limit=MAX_NAME, required=True)

    def work(unit: Unit) -> CaseView:
        customer = unit.customer(customer_ref)
        cap = unit.catalogue.caseload_cap
        case = Case(
            tam_id=unit.tam.id, customer=customer, title=title.strip(), severity=severity, filed_at=unit.now
        )
        position = _position_if_queued(unit, QueuedCase(2**62, severity, unit.now))
        case.status = decide_open(_open_count(unit), cap, queue=queue, position=position)
        if case.status == "open":
            case.opened_at = unit.now
        unit.session.add(case)
        unit.session.flush()
        record(unit, "case.opened", case.id, f"{'queued' if case.status == 'queued' else 'opened'} case {case.id} "
               f"({customer.name}: {case.title})")
        return case_view(case, position if case.status == "queued" else None)

    return desk.write(work)


def _position_if_queued(unit: Unit, new: QueuedCase) -> int:
    """Where a new case would wait: behind every case of its severity or worse (C2)."""
    waiting = [QueuedCase(c.id, c.severity, c.filed_at) for c in _queue(unit)]  # type: ignore[arg-type]
    # the new case gets the largest id: it is the youngest, behind its equals
    ordered = queue_order([*waiting, new])
    return 1 + sum(1 for q in ordered[: ordered.index(new)])


def _case(unit: Unit, case_id: int | str) -> Case:
    return unit.owned(Case, case_id, "case", "case list")


def resolve_case(desk: Desk, case_id: int | str, note: str | None = None) -> CaseChange:
    """Resolve a case with an optional resolution ``note``; the head of the queue opens by itself when a place frees (C2)."""
    note = read_text(note or "", "the resolution note") or None

    def work(unit: Unit) -> CaseChange:
        case = _case(unit, case_id)
        if case.status == "resolved":
            raise Refusal("C2", f"case {case.id} is already resolved.")
        was_open = case.status == "open"
        before = {"status": case.status, "opened_at": case.opened_at}
        case.status = "resolved"
        case.resolved_at = unit.now
        case.resolution_note = note
        unit.session.flush()
        promoted = None
        if was_open and _open_count(unit) < unit.catalogue.caseload_cap:
            waiting = _queue(unit)
            if waiting:
                head = waiting[0]
                head.status = "open"
                head.opened_at = unit.now
                unit.session.flush()
                promoted = case_view(head)
        record(unit, "case.resolved", case.id, f"resolved case {case.id} ({case.customer.name}: {case.title})",
               {**before, "promoted": promoted.id if promoted else None})
        return CaseChange(case_view(case), promoted)

    return desk.write(work)


def reopen_case(unit: Unit, case_id: int, status: str, opened_at: str | None, promoted: int | None) -> Case:
    """Undo a resolution: the case is ``status`` again (open or queued), the case it promoted waits again (C2).

    Back to open, the cap holds (C1): a case opened since then would need its place.
    """
    case = _case(unit, case_id)
    if promoted is not None:
        head = _case(unit, promoted)
        head.status, head.opened_at = "queued", None
    if status == "open" and _open_count(unit) >= unit.catalogue.caseload_cap:
        cap = unit.catalogue.caseload_cap
        raise Refusal("C1", f"case {case.id} cannot open again: {cap} cases are open, the cap.",
                      instead="Resolve another case first.")
    case.status, case.resolved_at, case.resolution_note = status, None, None
    case.opened_at = datetime.fromisoformat(opened_at) if opened_at else None
    unit.session.flush()
    return case


def discard_case(unit: Unit, case_id: int) -> Case:
    """Remove a case as if never opened (undoing its opening); time logged on it must go first."""
    case = _case(unit, case_id)
    if unit.session.scalar(select(func.count()).select_from(TimeEntry).where(TimeEntry.case_id == case.id)):
        raise BadInput(f"case {case.id} has time logged on it: delete that time first")
    unit.session.delete(case)
    unit.session.flush()
    return case


def list_cases(desk: Desk, *, include_resolved: bool = True, customer: str | int | None = None) -> list[CaseView]:
    """Open cases by id, then the queue in its order, then resolved ones (newest first)."""

    def work(unit: Unit) -> list[CaseView]:
        query = select(Case).where(Case.tam_id == unit.tam.id)
        if customer is not None:
            query = query.where(Case.customer_id == unit.customer(customer).id)
        if not include_resolved:
            query = query.where(Case.status != "resolved")
        rows = unit.session.scalars(query).all()
        positions = {c.id: i for i, c in enumerate(_queue(unit), start=1)}
        open_rows = sorted((c for c in rows if c.status == "open"), key=lambda c: c.id)
        queued = sorted((c for c in rows if c.status == "queued"), key=lambda c: positions[c.id])
        resolved = sorted((c for c in rows if c.status == "resolved"), key=lambda c: c.resolved_at, reverse=True)
        return [case_view(c, positions.get(c.id)) for c in (*open_rows, *queued, *resolved)]

    return desk.read(work)
