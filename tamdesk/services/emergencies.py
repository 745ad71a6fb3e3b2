"""Emergency engagements: open, answer, log, approve, reach normality, credit or waive, close (SPEC E1-E5).

Each use-case is one transaction, journaled for ``tamdesk undo``; a refusal
names its rule and changes nothing. The rules are ``domain.emergency``'s; this
module reads and writes the rows. Invoices are written once, when issued
(migration 0007 says why): the guarantee's with the feasible answer, the
normalization's when normality is reached, the mitigation's at close.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, NamedTuple, Sequence

from sqlalchemy import select

from tamdesk.domain import emergency as rules
from tamdesk.domain import humanize
from tamdesk.domain.durations import describe, read_duration
from tamdesk.domain.errors import BadInput, Refusal
from tamdesk.domain.timezones import local_date, parse_datetime, zone
from tamdesk.domain.values import MAX_NAME, read_text
from tamdesk.services.contracts import contract_of, plan_of
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.journal import on_day, record, when
from tamdesk.services.views import RunningEmergency, iso
from tamdesk.store.models import Customer, Emergency, EmergencyEntry, EmergencyInvoice, EmergencyInvoiceLine

#: What each invoice bills (E2).
INVOICE_KINDS = {1: "guarantee", 2: "normalization", 3: "mitigation"}


class EntryView(NamedTuple):
    """One day-cut piece of the specialist's time (E4)."""

    id: int
    phase: str
    start: datetime
    end: datetime
    minutes: int
    day: date
    note: str | None
    approved_by: str | None
    approved_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "phase": self.phase, "start": iso(self.start), "end": iso(self.end),
            "minutes": self.minutes, "day": self.day.isoformat(), "note": self.note,
            "approved_by": self.approved_by, "approved_at": iso(self.approved_at),
        }


class InvoiceView(NamedTuple):
    """An invoice as issued: its lines and total, exact (E5)."""

    number: int
    issued_at: datetime
    currency: str
    lines: tuple[rules.Line, ...]
    total: Decimal

    @property
    def kind(self) -> str:
        return INVOICE_KINDS[self.number]

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number, "kind": self.kind, "issued_at": iso(self.issued_at),
            "lines": [
                {"description": line.description, "minutes": line.minutes, "rate": str(line.rate), "amount": str(line.amount)}
                for line in self.lines
            ],
            "total": str(self.total), "currency": self.currency,
        }


class EmergencyView(NamedTuple):
    """An engagement with its entries and issued invoices, as of the unit's clock."""

    id: int
    customer: str
    customer_tz: str
    title: str
    status: str
    requested_at: datetime
    feasibility_due: datetime
    feasibility_at: datetime | None
    feasibility: str  # running, overdue, on time, late (E3)
    feasible: bool | None
    normalize_minutes: int | None
    mitigate_minutes: int | None
    risk: str | None
    note: str | None
    guarantee_hours: int
    guarantee: str
    currency: str
    express_rate: Decimal
    mitigation_rate: Decimal
    monthly_plan: bool
    normalized_at: datetime | None
    closed_at: datetime | None
    entries: tuple[EntryView, ...]
    invoices: tuple[InvoiceView, ...]
    #: while unanswered, the feasibility clock as people say it: "in 18 minutes", "12 minutes ago"
    due_said: str | None = None

    def minutes_in(self, phase: str, *, approved: bool | None = None) -> int:
        """The minutes logged in ``phase`` (only approved, or only not, when ``approved`` says)."""
        return sum(
            e.minutes for e in self.entries
            if e.phase == phase and (approved is None or (e.approved_at is not None) == approved)
        )

    def invoice(self, number: int) -> InvoiceView | None:
        return next((i for i in self.invoices if i.number == number), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "customer": self.customer, "title": self.title, "status": self.status,
            "requested_at": iso(self.requested_at), "feasibility_due": iso(self.feasibility_due),
            "feasibility_at": iso(self.feasibility_at), "feasibility": self.feasibility, "feasible": self.feasible,
            "estimates": {"normalize_minutes": self.normalize_minutes, "mitigate_minutes": self.mitigate_minutes,
                          "risk": self.risk, "note": self.note},
            "guarantee_hours": self.guarantee_hours, "guarantee": self.guarantee,
            "rates": {"express": str(self.express_rate), "mitigation": str(self.mitigation_rate),
                      "currency": self.currency, "monthly_plan": self.monthly_plan},
            "normalized_at": iso(self.normalized_at), "closed_at": iso(self.closed_at),
            "entries": [e.as_json() for e in self.entries],
            "invoices": [i.as_json() for i in self.invoices],
        }


def _invoice_view(invoice: EmergencyInvoice) -> InvoiceView:
    lines = tuple(
        rules.Line(row.description, row.minutes, rules.from_cents(row.rate_cents), rules.from_cents(row.amount_cents))
        for row in invoice.lines
    )
    return InvoiceView(invoice.number, invoice.issued_at, invoice.currency, lines, rules.from_cents(invoice.total_cents))


def emergency_view(unit: Unit, row: Emergency) -> EmergencyView:
    """The view of an engagement row, its feasibility clock read at the unit's instant."""
    return EmergencyView(
        id=row.id, customer=row.customer.name, customer_tz=row.customer.tz, title=row.title, status=row.status,
        requested_at=row.requested_at, feasibility_due=rules.feasibility_due(row.requested_at),
        feasibility_at=row.feasibility_at,
        feasibility=rules.feasibility_state(row.requested_at, row.feasibility_at, unit.now),
        feasible=row.feasible, normalize_minutes=row.normalize_minutes, mitigate_minutes=row.mitigate_minutes,
        risk=row.risk, note=row.feasibility_note, guarantee_hours=row.guarantee_hours, guarantee=row.guarantee,
        currency=row.currency, express_rate=rules.from_cents(row.express_rate_cents),
        mitigation_rate=rules.from_cents(row.mitigation_rate_cents), monthly_plan=row.monthly_plan,
        normalized_at=row.normalized_at, closed_at=row.closed_at,
        entries=tuple(
            EntryView(e.id, e.phase, e.starts_at, e.ends_at, e.minutes, e.work_date, e.note, e.approved_by, e.approved_at)
            for e in row.entries
        ),
        invoices=tuple(_invoice_view(i) for i in row.invoices),
        due_said=None if row.feasibility_at else humanize.relative(rules.feasibility_due(row.requested_at), unit.now),
    )


def _engagement(unit: Unit, emergency_id: int | str) -> Emergency:
    return unit.owned(Emergency, emergency_id, "emergency", "emergency list")


def _issue(unit: Unit, row: Emergency, number: int, lines: Sequence[rules.Line]) -> EmergencyInvoice | None:
    """Write invoice ``number`` with its lines, once; an invoice with nothing to bill is not issued ("up to three", E2)."""
    if not lines:
        return None
    invoice = EmergencyInvoice(
        tam_id=unit.tam.id, number=number, issued_at=unit.now, currency=row.currency,
        total_cents=rules.to_cents(rules.total(lines)),
        lines=[
            EmergencyInvoiceLine(
                tam_id=unit.tam.id, position=position, description=line.description, minutes=line.minutes,
                rate_cents=rules.to_cents(line.rate), amount_cents=rules.to_cents(line.amount),
            )
            for position, line in enumerate(lines, 1)
        ],
    )
    row.invoices.append(invoice)
    unit.session.flush()
    return invoice


def _worked(row: Emergency) -> list[rules.Worked]:
    return [rules.Worked(e.work_date, e.phase, e.minutes, e.approved_at is not None) for e in row.entries]  # type: ignore[arg-type]


def _guarantee(row: Emergency) -> rules.Line:
    return rules.guarantee_line(row.guarantee_hours, rules.from_cents(row.express_rate_cents))


def _billed(row: Emergency, phase: str) -> bool:
    """Whether ``phase``'s invoice time has come: normalization's at normality, mitigation's at close (E5).

    From then on its time is what the invoice says (issued, or not issued for want of approved time):
    no time of that phase is logged or approved any more.
    """
    return (row.normalized_at if phase == "normalization" else row.closed_at) is not None


def _hours(text: str | None) -> int | None:
    return None if text is None else read_duration(text)


# -- the use-cases ------------------------------------------------------------------------------


def open_emergency(desk: Desk, customer_ref: str | int, title: str, *, guarantee_hours: int | None = None) -> EmergencyView:
    """Open an engagement requested now; its feasibility answer falls due in 60 minutes (E1, E3).

    Its rates are fixed now (E5): normalization at the express rate, mitigation at
    the customer's monthly plan's rate when it has an active one, else on demand.
    """
    title = read_text(title, "an emergency's title", limit=MAX_NAME, required=True)

    def work(unit: Unit) -> EmergencyView:
        customer = unit.customer(customer_ref)
        contract, today = contract_of(customer), local_date(unit.now, zone(customer.tz))
        active = contract.active_from <= today and (contract.active_until is None or today <= contract.active_until)
        monthly = rules.has_monthly_plan(customer.plan, active)
        hours, guarantee = rules.initial_guarantee(guarantee_hours, monthly)
        rates = unit.catalogue.rates
        mitigation = plan_of(unit, customer).extra_work_rate if monthly else rates.on_demand
        row = Emergency(
            tam_id=unit.tam.id, customer=customer, title=title, status="requested", requested_at=unit.now,
            guarantee_hours=hours, guarantee=guarantee, currency=rates.currency,
            express_rate_cents=rules.to_cents(rates.express), mitigation_rate_cents=rules.to_cents(mitigation),
            monthly_plan=monthly,
        )
        unit.session.add(row)
        unit.session.flush()
        record(unit, "emergency.opened", row.id, f"opened emergency {row.id} for {customer.name} ({title})")
        return emergency_view(unit, row)

    return desk.write(work)


def answer_feasibility(
    desk: Desk,
    emergency_id: int | str,
    *,
    feasible: bool,
    normalize_hours: str | None = None,
    mitigate_hours: str | None = None,
    guarantee_hours: int | None = None,
    risk: str | None = None,
    note: str | None = None,
) -> EmergencyView:
    """Give the feasibility answer with its estimates (E3); a feasible one bills the guarantee up front (E5)."""
    estimates = (_hours(normalize_hours), _hours(mitigate_hours))
    risk = read_text(risk, "the risk") or None if risk is not None else None
    note = read_text(note, "the note") or None if note is not None else None

    def work(unit: Unit) -> EmergencyView:
        row = _engagement(unit, emergency_id)
        rules.require_status(row.status, ("requested",), "E3", "answer its feasibility", rules.next_step(row.status))
        before = {"guarantee": row.guarantee, "guarantee_hours": row.guarantee_hours}
        if guarantee_hours is not None:
            row.guarantee_hours, _ = rules.initial_guarantee(guarantee_hours, row.monthly_plan)
        row.feasibility_at, row.feasible = unit.now, feasible
        row.normalize_minutes, row.mitigate_minutes = estimates
        row.risk, row.feasibility_note = risk, note
        row.status = "normalizing" if feasible else "declined"
        if not feasible:
            row.guarantee = "none"  # nothing is billed for a declined request: the answer is free (E3)
        elif row.guarantee == "paid":
            _issue(unit, row, 1, [_guarantee(row)])
        late = " (late)" if rules.answered_late(row.requested_at, unit.now) else ""
        answer = "feasible" if feasible else "declined"
        record(unit, "emergency.answered", row.id, f"answered emergency {row.id}: {answer}{late}", before)
        return emergency_view(unit, row)

    return desk.write(work)


def log_work(
    desk: Desk, emergency_id: int | str, start: datetime | str, end: datetime | str, *, note: str | None = None
) -> tuple[EmergencyView, list[int]]:
    """Log the specialist's time from ``start`` to ``end``, cut at the TAM's midnights (E4); the new entries' ids.

    Refused before the feasibility answer (it is free, E3), after close, for time
    not yet worked, before the request, over time already logged, and for
    normalization time once its invoice is issued (E5).
    """
    note = read_text(note, "the note") or None if note is not None else None

    def work(unit: Unit) -> tuple[EmergencyView, list[int]]:
        row = _engagement(unit, emergency_id)
        begins, ends = (_instant(unit, value) for value in (start, end))
        rules.require_status(row.status, ("normalizing", "mitigating"), "E4", "log time", rules.next_step(row.status))
        pieces = rules.cut(begins, ends, unit.tam_tz, row.normalized_at)
        _check_span(unit, row, begins, ends)
        if any(_billed(row, p.phase) for p in pieces):
            reached = when(row.normalized_at, unit)  # type: ignore[arg-type]
            raise Refusal("E5", f"normalization was invoiced when normality was reached ({reached}).",
                          f"Log time from {reached} on (mitigation).")
        added = [
            EmergencyEntry(
                tam_id=unit.tam.id, phase=p.phase, starts_at=p.start, ends_at=p.end, minutes=p.minutes,
                work_date=p.day, note=note, logged_at=unit.now,
            )
            for p in pieces
        ]
        row.entries.extend(added)
        unit.session.flush()
        ids = [e.id for e in added]
        minutes = sum(p.minutes for p in pieces)
        record(unit, "emergency.logged", row.id, f"logged {describe(minutes)} on emergency {row.id}", {"entries": ids})
        return emergency_view(unit, row), ids

    return desk.write(work)


def _instant(unit: Unit, value: datetime | str) -> datetime:
    """A typed instant (in the TAM's zone unless it says otherwise), to the minute."""
    instant = value if isinstance(value, datetime) else parse_datetime(value, unit.tam_tz, unit.now)
    return instant.replace(second=0, microsecond=0)


def _check_span(unit: Unit, row: Emergency, begins: datetime, ends: datetime) -> None:
    if begins < row.requested_at:
        raise Refusal("E4", f"the time starts before the request ({when(row.requested_at, unit)}).",
                      "Log time worked from the request on.")
    if ends > unit.now:
        raise Refusal("E4", f"the time ends after now ({when(unit.now, unit)}).", "Log time once it is worked.")
    clash = next((e for e in row.entries if e.starts_at < ends and begins < e.ends_at), None)
    if clash is not None:
        raise Refusal("E4", f"entry {clash.id} already holds {when(clash.starts_at, unit)}-{when(clash.ends_at, unit)}.",
                      "Log only time not logged yet.")


def approve_day(desk: Desk, emergency_id: int | str, day: date, by: str) -> EmergencyView:
    """Approve a day's cut (E4): its entries not yet approved, in a phase whose invoice is still to come."""
    by = read_text(by, "who approved it", limit=MAX_NAME, required=True)

    def work(unit: Unit) -> EmergencyView:
        row = _engagement(unit, emergency_id)
        on = [e for e in row.entries if e.work_date == day]
        if not on:
            days = sorted({e.work_date for e in row.entries})
            listed = ", ".join(d.isoformat() for d in days) or "none yet"
            raise Refusal("E4", f"emergency {row.id} has no time on {day.isoformat()}.", f"Days with time: {listed}.")
        waiting = [e for e in on if e.approved_at is None]
        if not waiting:
            raise Refusal("E4", f"{day.isoformat()} is approved already.", "Approve a day with time not yet approved.")
        open_ = [e for e in waiting if not _billed(row, e.phase)]
        if not open_:
            raise Refusal("E5", f"the time of {day.isoformat()} was invoiced already, without it.",
                          "An issued invoice never changes; approve days before their phase's invoice.")
        for entry in open_:
            entry.approved_by, entry.approved_at = by, unit.now
        ids = [e.id for e in open_]
        record(unit, "emergency.approved", row.id, f"approved {on_day(day)} of emergency {row.id} for {by}", {"entries": ids})
        return emergency_view(unit, row)

    return desk.write(work)


def mark_normalized(desk: Desk, emergency_id: int | str) -> EmergencyView:
    """Normality is reached now: mitigation starts, and invoice 2 bills the approved normalization days (E5)."""
    return _end_phase(desk, emergency_id, "normalization")


def settle_guarantee(desk: Desk, emergency_id: int | str, how: Literal["waive", "credit"]) -> EmergencyView:
    """Waive the guarantee (before it is billed) or credit it against the normalization invoice (E1, E5)."""

    def work(unit: Unit) -> EmergencyView:
        row = _engagement(unit, emergency_id)
        if row.guarantee != "paid":
            raise Refusal("E5", f"the guarantee of emergency {row.id} is {row.guarantee}.",
                          "Only a guarantee to be paid can be waived or credited.")
        if how == "waive":
            rules.require_status(row.status, ("requested",), "E5", "waive the guarantee",
                                 "It was billed on invoice 1 and is non-refundable: credit it against normalization (--credit).")
            row.guarantee = "waived"
        else:
            rules.require_status(row.status, ("requested", "normalizing"), "E5", "credit the guarantee",
                                 "Credit it before normality is reached: invoice 2 is issued then.")
            row.guarantee = "credited"
        record(unit, "emergency.guarantee", row.id, f"{row.guarantee} the guarantee of emergency {row.id}",
               {"guarantee": "paid"})
        return emergency_view(unit, row)

    return desk.write(work)


def close_emergency(desk: Desk, emergency_id: int | str) -> EmergencyView:
    """Close the engagement: invoice 3 bills the approved mitigation days (E2, E5)."""
    return _end_phase(desk, emergency_id, "mitigation")


#: How each phase ends (E2, E5): the state it runs in, the state after, what ends it, its invoice and its rate.
_PHASE_END = {
    "normalization": ("normalizing", "mitigating", "mark it normalized", 2, "express_rate_cents", "normalized"),
    "mitigation": ("mitigating", "closed", "close it", 3, "mitigation_rate_cents", "closed"),
}


def _end_phase(desk: Desk, emergency_id: int | str, phase: rules.Phase) -> EmergencyView:
    """End ``phase`` now: the next state, and its invoice of approved days (normalization's minus a credit)."""
    runs_in, after, doing, number, rate, said = _PHASE_END[phase]

    def work(unit: Unit) -> EmergencyView:
        row = _engagement(unit, emergency_id)
        rules.require_status(row.status, (runs_in,), "E2", doing, rules.next_step(row.status))
        row.status = after
        setattr(row, f"{said}_at", unit.now)
        lines = rules.day_lines(_worked(row), phase, rules.from_cents(getattr(row, rate)))
        if phase == "normalization" and row.guarantee == "credited":
            lines.append(rules.credit_line(_guarantee(row)))
        _issue(unit, row, number, lines)
        record(unit, f"emergency.{said}", row.id, f"emergency {row.id} {said}")
        return emergency_view(unit, row)

    return desk.write(work)


def show_emergency(desk: Desk, emergency_id: int | str) -> EmergencyView:
    """One engagement with its entries and invoices."""
    return desk.read(lambda unit: emergency_view(unit, _engagement(unit, emergency_id)))


def list_emergencies(desk: Desk) -> list[EmergencyView]:
    """The TAM's engagements: running ones first, then newest first."""

    def work(unit: Unit) -> list[EmergencyView]:
        rows = unit.session.scalars(select(Emergency).where(unit.mine(Emergency.tam_id))).all()
        done = ("declined", "closed")
        return [emergency_view(unit, r) for r in sorted(rows, key=lambda r: (r.status in done, -r.id))]

    return desk.read(work)


#: The states of an engagement still running: the Week screen shows each with its clocks (E1-E3).
RUNNING = ("requested", "normalizing", "mitigating")


def running_in(unit: Unit) -> tuple[RunningEmergency, ...]:
    """The TAM's running engagements, oldest request first, with their clocks at the unit's instant; one query."""
    rows = unit.session.execute(
        select(Emergency.id, Customer.name, Emergency.title, Emergency.status, Emergency.requested_at, Emergency.feasibility_at)
        .join(Customer, Emergency.customer_id == Customer.id)
        .where(Emergency.tam_id == unit.tam.id, Emergency.status.in_(RUNNING))
        .order_by(Emergency.requested_at, Emergency.id)
    ).all()
    return tuple(
        RunningEmergency(id_, customer, title, status, _minutes(unit.now - requested), _feasibility_left(requested, answered, unit.now))
        for id_, customer, title, status, requested, answered in rows
    )


def _minutes(span: timedelta) -> int:
    """Whole minutes gone in ``span``."""
    return int(span.total_seconds() // 60)


def _feasibility_left(requested: datetime, answered: datetime | None, now: datetime) -> int | None:
    """Minutes until the feasibility answer falls due (E3), None once answered.

    Counted down in whole minutes, so once overdue a minute begun late counts: 30 s late is -1.
    """
    return None if answered is not None else _minutes(rules.feasibility_due(requested) - now)


def invoice_of(view: EmergencyView, number: int) -> InvoiceView:
    """Invoice ``number`` of an engagement, or bad input saying which it has."""
    found = view.invoice(number)
    if found is None:
        have = ", ".join(str(i.number) for i in view.invoices) or "none yet"
        raise BadInput(f"emergency {view.id} has no invoice {number} ({INVOICE_KINDS[number]}); issued: {have}")
    return found


# -- undo ---------------------------------------------------------------------------------------


def _withdraw(unit: Unit, row: Emergency, number: int) -> None:
    for invoice in [i for i in row.invoices if i.number == number]:
        row.invoices.remove(invoice)
    unit.session.flush()


def discard_emergency(unit: Unit, emergency_id: int, before: dict[str, Any]) -> Emergency:
    """Undo opening: the engagement goes, as if never requested."""
    row = _engagement(unit, emergency_id)
    unit.session.delete(row)
    unit.session.flush()
    return row


def unanswer(unit: Unit, emergency_id: int, before: dict[str, Any]) -> Emergency:
    """Undo the feasibility answer: requested again, invoice 1 withdrawn, the guarantee as it was."""
    row = _engagement(unit, emergency_id)
    _withdraw(unit, row, 1)
    row.status, row.feasibility_at, row.feasible = "requested", None, None
    row.normalize_minutes = row.mitigate_minutes = row.risk = row.feasibility_note = None
    row.guarantee, row.guarantee_hours = before["guarantee"], before["guarantee_hours"]
    return row


def unlog(unit: Unit, emergency_id: int, before: dict[str, Any]) -> Emergency:
    """Undo logging: the entries it made go."""
    row = _engagement(unit, emergency_id)
    for entry in [e for e in row.entries if e.id in set(before["entries"])]:
        row.entries.remove(entry)
    unit.session.flush()
    return row


def unapprove(unit: Unit, emergency_id: int, before: dict[str, Any]) -> Emergency:
    """Undo an approval: those entries wait for approval again."""
    row = _engagement(unit, emergency_id)
    for entry in row.entries:
        if entry.id in set(before["entries"]):
            entry.approved_by = entry.approved_at = None
    return row


def unnormalize(unit: Unit, emergency_id: int, before: dict[str, Any]) -> Emergency:
    """Undo reaching normality: normalizing again, invoice 2 withdrawn."""
    return _unend(unit, emergency_id, "normalization")


def unsettle(unit: Unit, emergency_id: int, before: dict[str, Any]) -> Emergency:
    """Undo a waiver or a credit: the guarantee is to be paid again."""
    row = _engagement(unit, emergency_id)
    row.guarantee = before["guarantee"]
    return row


def reopen(unit: Unit, emergency_id: int, before: dict[str, Any]) -> Emergency:
    """Undo closing: mitigating again, invoice 3 withdrawn."""
    return _unend(unit, emergency_id, "mitigation")


def _unend(unit: Unit, emergency_id: int, phase: str) -> Emergency:
    """Undo the end of ``phase``: in it again, its invoice withdrawn."""
    runs_in, _, _, number, _, said = _PHASE_END[phase]
    row = _engagement(unit, emergency_id)
    _withdraw(unit, row, number)
    row.status = runs_in
    setattr(row, f"{said}_at", None)
    return row
