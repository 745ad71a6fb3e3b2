"""A team on one database: its TAMs, who you are, and a manager's reassignments (issue 19).

A TAM sees and changes only their own rows (``Unit.owned``, ``Unit.customer``);
a manager reads every TAM's, and changes another TAM's rows only by moving them
here: ``assign_customer`` takes a customer with its contacts, calls, cases,
time and emergencies to another TAM, ``assign_case`` one case. Both check the
receiving TAM's caseload cap (C1, C2) with the cases that arrive, and a
customer's booked calls against the receiver's own (T7); both keep an
``assignments`` row and a journal entry, so the manager's ``tamdesk undo``
moves it back through the same rules.

Who may add a TAM: a manager, or anyone while the desk has a single TAM and
no manager (the solo desk's owner bootstrapping a team).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable

from sqlalchemy import func, select, update

from tamdesk.domain.allowance import ACTIVE
from tamdesk.domain.conflicts import BookedCall, first_overlap
from tamdesk.domain.errors import BadInput, Forbidden, Refusal
from tamdesk.domain.names import folded
from tamdesk.domain.timezones import zone
from tamdesk.domain.values import MAX_NAME, read_text, shown
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.identity import find_tam
from tamdesk.services.journal import record
from tamdesk.services.views import iso
from tamdesk.store.models import (
    Assignment, Call, Case, Customer, CriticalPeriod, Emergency, EmergencyEntry, EmergencyInvoice, EmergencyInvoiceLine,
    JournalEntry, Tam, TimeEntry,
)


@dataclass(frozen=True)
class TamView:
    """One TAM of the desk as ``tam list`` shows it."""

    id: int
    name: str
    email: str | None
    tz: str | None
    manager: bool
    customers: int
    open_cases: int
    you: bool

    @property
    def role(self) -> str:
        return "manager" if self.manager else "tam"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "email": self.email, "tz": self.tz, "role": self.role,
            "customers": self.customers, "open_cases": self.open_cases, "you": self.you,
        }


@dataclass(frozen=True)
class AssignmentView:
    """One move of a customer or a case between TAMs, named."""

    kind: str
    record_id: int
    from_tam: str
    to_tam: str
    at: datetime
    by: str

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "id": self.record_id, "from": self.from_tam, "to": self.to_tam,
            "at": iso(self.at), "by": self.by,
        }


# -- the TAMs ------------------------------------------------------------------------


def list_tams(desk: Desk) -> list[TamView]:
    """Every TAM of the desk, by name, with their customers and open cases (C1)."""

    def work(unit: Unit) -> list[TamView]:
        customers = dict(unit.session.execute(select(Customer.tam_id, func.count()).group_by(Customer.tam_id)).all())
        cases = dict(
            unit.session.execute(
                select(Case.tam_id, func.count()).where(Case.status == "open").group_by(Case.tam_id)
            ).all()
        )
        return [
            TamView(t.id, t.name, t.email, t.tz, t.manager, customers.get(t.id, 0), cases.get(t.id, 0), t.id == unit.desk.tam_id)
            for t in unit.session.scalars(select(Tam).order_by(Tam.name_key))
        ]

    return desk.read(work)


def add_tam(desk: Desk, name: str, email: str, tz: str, *, manager: bool = False) -> TamView:
    """Add a TAM to the desk: a manager may, or anyone while the desk has one TAM and no manager."""
    name = read_text(name, "the TAM's name", limit=MAX_NAME, required=True)
    email = read_text(email, "the email address", limit=MAX_NAME, required=True)
    if "@" not in email:
        raise BadInput(f"{shown(email)} is not an email address")
    tz = zone(tz).key

    def work(unit: Unit) -> TamView:
        if not unit.tam.manager:
            count = unit.session.scalar(select(func.count()).select_from(Tam)) or 0
            managers = unit.session.scalar(select(func.count()).select_from(Tam).where(Tam.manager)) or 0
            if count > 1 or managers:
                raise Forbidden(f"only a manager can add a TAM, and {unit.tam.name} is not one; see 'tamdesk tam list'")
        _check_free(unit, name, email)
        tam = Tam(name=name, email=email, tz=tz, manager=manager)
        unit.session.add(tam)
        unit.session.flush()
        record(unit, "tam.added", tam.id, f"added {'manager' if manager else 'TAM'} {name}")
        return TamView(tam.id, tam.name, tam.email, tam.tz, tam.manager, 0, 0, False)

    return desk.write(work)


def _check_free(unit: Unit, name: str, email: str) -> None:
    """No other TAM has this name (any case or accents) or this email."""
    clash = unit.session.scalar(select(Tam).where(Tam.name_key == folded(name)))
    if clash is not None:
        raise BadInput(f"a TAM named {shown(clash.name)} is already on the desk (id {clash.id}); choose another name")
    clash = unit.session.scalar(select(Tam).where(func.lower(Tam.email) == email.casefold()))
    if clash is not None:
        raise BadInput(f"{clash.name} (id {clash.id}) already has the email {shown(email)}")


def discard_tam(unit: Unit, tam_id: int) -> Tam:
    """Undo ``add_tam``: the TAM goes, unless they hold rows or are someone's identity by now."""
    tam = unit.session.get_one(Tam, tam_id)
    for model in (Customer, Case, Call, TimeEntry, Emergency, JournalEntry):
        if unit.session.scalar(select(model.id).where(model.tam_id == tam_id).limit(1)) is not None:
            raise BadInput(f"{tam.name} has work on the desk by now: they stay")
    unit.session.delete(tam)
    unit.session.flush()
    return tam


# -- reassignment --------------------------------------------------------------------


def _manager(unit: Unit, what: str) -> None:
    if not unit.tam.manager:
        raise Forbidden(f"only a manager can reassign {what}; {unit.tam.name} is not one (see 'tamdesk tam list')")


def _any_customer(unit: Unit, ref: str | int) -> Customer:
    """A customer of any TAM, for a manager's reassignment (exit 2 when none is named)."""
    found = unit.customer_among(read_text(str(ref), "the customer", limit=MAX_NAME, required=True), None)
    if found is None:
        raise BadInput(f"unknown customer {shown(str(ref))}; see 'tamdesk customer list'")
    return found


def assign_customer(desk: Desk, ref: str | int, to: str) -> AssignmentView:
    """Move customer ``ref`` with everything of theirs to the TAM ``to`` names (manager only; C1, C2, T7 at the receiver)."""
    return _assign(desk, to, "customer", lambda unit: _any_customer(unit, ref), move_customer, lambda c: f"customer {c.name}")


def assign_case(desk: Desk, case_id: int | str, to: str) -> AssignmentView:
    """Move one case to the TAM ``to`` names (manager only; C1, C2 at the receiver)."""
    return _assign(desk, to, "case", lambda unit: _any_case(unit, case_id), move_case, lambda c: f"case {c.id} ({c.title})")


def _assign(
    desk: Desk, to: str, kind: str, find: Callable[[Unit], Any], move: Callable[[Unit, Any, Tam], None], said: Callable[[Any], str]
) -> AssignmentView:
    """A manager's move of the row ``find`` finds to the TAM ``to`` names, kept and journaled (``_assigned``)."""

    def work(unit: Unit) -> AssignmentView:
        _manager(unit, f"{kind}s")
        row = find(unit)
        receiver = find_tam(unit.session, to)
        giver = row.tam_id
        if receiver.id == giver:
            raise BadInput(f"{said(row)} is already {receiver.name}'s")
        move(unit, row, receiver)
        return _assigned(unit, kind, row.id, giver, receiver, said(row))

    return desk.write(work)


def _any_case(unit: Unit, case_id: int | str) -> Case:
    from tamdesk.domain.values import read_id

    case = unit.session.get(Case, read_id(case_id, "case"))
    if case is None:
        raise BadInput(f"unknown case {case_id}; see 'tamdesk case list'")
    return case


def _assigned(unit: Unit, kind: str, record_id: int, giver: int, receiver: Tam, said: str) -> AssignmentView:
    """Keep the move in ``assignments`` and in the manager's journal (undo moves it back)."""
    row = Assignment(kind=kind, record_id=record_id, from_tam_id=giver, to_tam_id=receiver.id, at=unit.now, by_tam_id=unit.tam.id)
    unit.session.add(row)
    unit.session.flush()
    from_name = unit.session.get_one(Tam, giver).name
    record(unit, f"{kind}.assigned", record_id, f"assigned {said} from {from_name} to {receiver.name}",
           {"assignment": row.id, "from": giver})
    return AssignmentView(kind, record_id, from_name, receiver.name, row.at, unit.tam.name)


def move_customer(unit: Unit, customer: Customer, receiver: Tam) -> None:
    """Move ``customer`` and every row of theirs to ``receiver``, after the receiver's C1 and T7 allow it."""
    name_clash = unit.session.scalar(
        select(Customer).where(Customer.tam_id == receiver.id, Customer.name_key == customer.name_key)
    )
    if name_clash is not None:
        raise BadInput(f"{receiver.name} already has a customer named {name_clash.name} (id {name_clash.id})")
    arriving = unit.session.scalar(
        select(func.count()).select_from(Case).where(Case.customer_id == customer.id, Case.status == "open")
    ) or 0
    _check_cap(unit, receiver, arriving, f"{customer.name}'s {arriving} open cases")
    _check_calls(unit, customer, receiver)
    giver = customer.tam_id
    for model in (Call, Case, TimeEntry, Emergency):
        unit.session.execute(
            update(model).where(model.customer_id == customer.id).values(tam_id=receiver.id).execution_options(synchronize_session=False)
        )
    emergencies = select(Emergency.id).where(Emergency.customer_id == customer.id)
    invoices = select(EmergencyInvoice.id).where(EmergencyInvoice.emergency_id.in_(emergencies))
    for model, column, ids in (
        (EmergencyEntry, EmergencyEntry.emergency_id, emergencies),
        (EmergencyInvoice, EmergencyInvoice.emergency_id, emergencies),
        (EmergencyInvoiceLine, EmergencyInvoiceLine.invoice_id, invoices),
    ):
        unit.session.execute(
            update(model).where(column.in_(ids)).values(tam_id=receiver.id).execution_options(synchronize_session=False)
        )
    customer.tam_id = receiver.id
    _refresh_knowledge(unit, select(Case.id).where(Case.customer_id == customer.id))
    _close_journal(unit, giver, customer)
    unit.session.flush()
    unit.session.expire_all()


def move_case(unit: Unit, case: Case, receiver: Tam) -> None:
    """Move one case to ``receiver`` after the receiver's C1 allows it; its customer stays with its TAM."""
    if case.status == "open":
        _check_cap(unit, receiver, 1, f"case {case.id}")
    giver = case.tam_id
    case.tam_id = receiver.id
    unit.session.flush()
    _refresh_knowledge(unit, [case.id])
    _close(unit, giver, "case.", [case.id])
    unit.session.expire_all()


def _check_cap(unit: Unit, receiver: Tam, arriving: int, what: str) -> None:
    """The receiver's open cases with those arriving stay within the cap (C1; C2 refuses, never queues, here)."""
    if not arriving:
        return
    cap = unit.catalogue.caseload_cap
    now_open = unit.session.scalar(
        select(func.count()).select_from(Case).where(Case.tam_id == receiver.id, Case.status == "open")
    ) or 0
    if now_open + arriving > cap:
        raise Refusal(
            "C1",
            f"{receiver.name} carries {now_open}/{cap} open cases; with {what} they would carry {now_open + arriving}, "
            f"over the cap of {cap}.",
            instead=f"Resolve or reassign some of {receiver.name}'s cases first, or choose another TAM.",
        )


def _check_calls(unit: Unit, customer: Customer, receiver: Tam) -> None:
    """The customer's calls still to come overlap none of the receiver's (T7): the first clash is named."""
    from tamdesk.services.calls import LONGEST_CALL

    coming = unit.session.execute(
        select(Call.id, Call.starts_at, Call.minutes)
        .where(Call.customer_id == customer.id, Call.status == "scheduled", Call.starts_at >= unit.now)
        .order_by(Call.starts_at, Call.id)
    ).all()
    if not coming:
        return
    theirs = [
        BookedCall(*row)
        for row in unit.session.execute(
            select(Call.id, Customer.name, Call.starts_at, Call.minutes)
            .join(Customer, Customer.id == Call.customer_id)
            .where(Call.tam_id == receiver.id, Call.status.in_(ACTIVE), Call.starts_at > unit.now - LONGEST_CALL)
        )
    ]
    tz = unit.tam_tz
    for call_id, start, minutes in coming:
        mine = BookedCall(call_id, customer.name, start, minutes)
        other = first_overlap(mine.start, mine.end, theirs)
        if other is not None:
            raise Refusal(
                "T7",
                f"{customer.name}'s call {call_id} on {start.astimezone(tz):%a %Y-%m-%d %H:%M} {tz.key} overlaps "
                f"{receiver.name}'s call {other.id} with {other.customer} "
                f"({other.start.astimezone(tz):%H:%M}-{other.end.astimezone(tz):%H:%M}); calls never overlap.",
                instead="Move one of the two calls first, then assign again.",
            )


def _refresh_knowledge(unit: Unit, case_ids: Any) -> None:
    """Rewrite the moved cases' titles as they are: the knowledge base's triggers (L12) file them under the new TAM."""
    unit.session.execute(
        update(Case).where(Case.id.in_(case_ids)).values(title=Case.title).execution_options(synchronize_session=False)
    )


def _close_journal(unit: Unit, giver: int, customer: Customer) -> None:
    """The giver's changes to what moved can no longer be undone by them: their rows are another TAM's now."""
    ids = {
        "call.": select(Call.id).where(Call.customer_id == customer.id),
        "case.": select(Case.id).where(Case.customer_id == customer.id),
        "time.": select(TimeEntry.id).where(TimeEntry.customer_id == customer.id),
        "emergency.": select(Emergency.id).where(Emergency.customer_id == customer.id),
        "customer.": [customer.id],
        "critical.": select(CriticalPeriod.id).where(CriticalPeriod.customer_id == customer.id),
    }
    for prefix, subjects in ids.items():
        _close(unit, giver, prefix, subjects)


def _close(unit: Unit, giver: int, prefix: str, subjects: Iterable[int] | Any) -> None:
    unit.session.execute(
        update(JournalEntry)
        .where(
            JournalEntry.tam_id == giver, JournalEntry.undone_at.is_(None), JournalEntry.kind.startswith(prefix),
            JournalEntry.kind.not_like("%.assigned"), JournalEntry.subject_id.in_(subjects),
        )
        .values(undone_at=unit.now)
        .execution_options(synchronize_session=False)
    )


def unassign(unit: Unit, entry: JournalEntry, before: dict[str, Any]) -> str:
    """Undo an assignment: the customer or case goes back to the TAM it came from, through C1 and T7 again."""
    giver = unit.session.get_one(Tam, before["from"])
    row = unit.session.get(Assignment, before["assignment"])
    if entry.kind == "customer.assigned":
        customer = unit.session.get_one(Customer, entry.subject_id)
        move_customer(unit, customer, giver)
        said = f"customer {customer.name} is {giver.name}'s again"
    else:
        case = unit.session.get_one(Case, entry.subject_id)
        move_case(unit, case, giver)
        said = f"case {case.id} ({case.title}) is {giver.name}'s again"
    if row is not None:
        unit.session.delete(row)
        unit.session.flush()
    return said


def history(unit: Unit, kind: str, record_id: int) -> list[AssignmentView]:
    """Every move of one customer or case, oldest first, TAMs named."""
    rows = unit.session.scalars(
        select(Assignment).where(Assignment.kind == kind, Assignment.record_id == record_id).order_by(Assignment.id)
    ).all()
    names = dict(unit.session.execute(select(Tam.id, Tam.name)).all())
    return [AssignmentView(kind, r.record_id, names[r.from_tam_id], names[r.to_tam_id], r.at, names[r.by_tam_id]) for r in rows]


def assignments(desk: Desk, kind: str, record_id: int) -> list[AssignmentView]:
    """``history`` in a read of its own."""
    return desk.read(lambda unit: history(unit, kind, record_id))


def team_view(desk: Desk, model: Any, ids: Iterable[int]) -> dict[int, str] | None:
    """For a manager, who holds each row ``ids`` names (lists name the TAM); None for anyone else."""
    wanted = list(ids)

    def work(unit: Unit) -> dict[int, str] | None:
        if not unit.tam.manager:
            return None
        rows = unit.session.execute(
            select(model.id, Tam.name).join(Tam, Tam.id == model.tam_id).where(model.id.in_(wanted))
        ).all()
        return dict(rows)

    return desk.read(work)


# -- the manager's view of the team (the start of the manager's screen) -------------


@dataclass(frozen=True)
class TeamRow:
    """One TAM as a manager sees them: caseload (C1-C3), this week's hours (B1, B4), S4 and L4 this month."""

    tam: TamView
    week: Any  # the TAM's WeekSummary: caseload, hours per customer, working hours
    at_risk: tuple[Any, ...]  # S4 warnings: sessions that would be forfeited this period
    sla: Any  # the TAM's sla.Compliance this month, in their zone
    consistently_over: tuple[str, ...] = ()  # B3: customers whose last 4 complete weeks average over the cap

    @property
    def over_cap(self) -> tuple[str, ...]:
        """The TAM's customers over their weekly hours cap this week (B2)."""
        return tuple(c.customer for c in self.week.customers if c.over)

    def as_json(self) -> dict[str, Any]:
        load = self.week.caseload
        return {
            "tam": self.tam.as_json(),
            "caseload": {"open": load.open, "queued": load.queued, "cap": load.cap, "warning": load.warning},
            "week_minutes": self.week.tam_minutes,
            "working_hours": self.week.working_hours,
            "over_cap": list(self.over_cap),
            "consistently_over": list(self.consistently_over),
            "at_risk": [w.as_json() for w in self.at_risk],
            "sla": {
                "first_response": self.sla.first_response.as_json(),
                "updates_and_escalations": self.sla.updates_and_escalations.as_json(),
                "misses": len(self.sla.misses),
            },
        }


def team_overview(desk: Desk) -> list[TeamRow]:
    """Every TAM of the desk as their own desk sees them, for a manager (others are refused).

    Each figure is the one that TAM's own week, warnings and ``report sla``
    show (one source per rule value): read as that TAM, on their zone's days.
    """
    from tamdesk.services.reports import week_report
    from tamdesk.services.sla_report import sla_report

    def manager_only(unit: Unit) -> None:
        if not unit.tam.manager:
            raise Forbidden(f"only a manager sees the team; {unit.tam.name} is not one (see 'tamdesk tam list')")

    desk.read(manager_only)
    rows = []
    for tam in list_tams(desk):
        theirs = desk.acting_as(tam.id)
        week, warned = week_report(theirs)
        at_risk = tuple(w for w in warned if w.rule == "S4")
        over = tuple(w.customer for w in warned if w.rule == "B3")
        rows.append(TeamRow(tam, week, at_risk, sla_report(theirs).compliance, over))
    return rows
