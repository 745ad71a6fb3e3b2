"""Customers: add, edit, list; contacts, critical periods, and the TAM's time off."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import NamedTuple, Sequence

from sqlalchemy import select

from tamdesk.domain.business_hours import BusinessHours, check_country
from tamdesk.domain.errors import BadInput, Refusal
from tamdesk.domain.humanize import read_date
from tamdesk.domain.timezones import local_date, parse_datetime, zone
from tamdesk.domain.values import HOURS_IN_WEEK, MAX_NAME, read_text, shown
from tamdesk.services.contracts import calendar_of, contract_start, hours_cap
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.journal import record, when
from tamdesk.services.views import CustomerView
from tamdesk.store.models import Call, Case, Contact, CriticalPeriod, Customer, Emergency, TimeEntry, TimeOff

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def contract_day(text: str, tz_name: str, now: datetime) -> date:
    """A typed contract date (ISO, ``today``, ``fri``...) read against today in the customer's zone."""
    return read_date(text, local_date(now, zone(tz_name)))


def customer_view(unit: Unit, customer: Customer) -> CustomerView:
    """The view of a customer row."""
    return CustomerView(
        id=customer.id,
        name=customer.name,
        plan=customer.plan,
        tz=customer.tz,
        country=customer.country,
        hours_cap=hours_cap(unit, customer),
        business_hours=str(calendar_of(unit, customer).hours),
        contacts=tuple(c.email for c in customer.contacts),
        critical_periods=tuple((p.starts_at, p.ends_at, p.label) for p in customer.critical_periods),
        active_from=contract_start(customer),
        active_until=customer.active_until,
    )


class CustomerFields(NamedTuple):
    """What a user types for a customer; every field is validated on save."""

    name: str
    plan: str
    tz: str
    country: str | None = None
    contacts: Sequence[str] = ()
    hours_cap: float | None = None
    business_hours: str | None = None
    active_from: date | None = None
    active_until: date | None = None


def validate_fields(unit: Unit, fields: CustomerFields, *, current_id: int | None = None) -> None:
    """Refuse fields a customer may not have: the same checks for adding and editing (P1, P2, T2, T4)."""
    name = read_text(fields.name, "a customer's name", limit=MAX_NAME, required=True)
    clash = unit.session.scalar(
        select(Customer.id).where(Customer.tam_id == unit.tam.id, Customer.name_key == name.casefold())
    )
    if clash is not None and clash != current_id:
        raise BadInput(f"a customer named {name!r} already exists (id {clash})")
    plan = unit.catalogue.plan(fields.plan)
    zone(fields.tz)
    if fields.country:
        check_country(fields.country)
    if fields.business_hours:
        BusinessHours.parse(fields.business_hours)
    cap = fields.hours_cap
    if cap is not None and not (math.isfinite(cap) and 0 < cap <= HOURS_IN_WEEK):
        raise BadInput(f"the weekly hours cap must be more than 0 and at most {HOURS_IN_WEEK} hours, not {cap:g}")
    for email in fields.contacts:
        if not _EMAIL.match(read_text(email, "a contact's address", limit=MAX_NAME)):
            raise BadInput(f"{shown(email)} is not an email address")
    if len(set(e.casefold() for e in fields.contacts)) != len(fields.contacts):
        raise BadInput("the same contact is listed twice")
    if len(fields.contacts) > plan.max_contacts:
        raise Refusal(
            "P2",
            f"plan {plan.key} allows at most {plan.max_contacts} identified points of contact; "
            f"{len(fields.contacts)} were given.",
            instead=f"Keep {plan.max_contacts} contacts.",
        )
    if fields.active_from and fields.active_until and fields.active_until < fields.active_from:
        raise BadInput("the contract ends before it starts")


def apply_fields(customer: Customer, fields: CustomerFields) -> None:
    """Write validated fields onto the customer's row; contacts already known keep their rows."""
    customer.name = fields.name.strip()
    customer.name_key = customer.name.casefold()
    customer.plan = fields.plan
    customer.tz = fields.tz
    customer.country = fields.country.upper() if fields.country else None
    customer.hours_cap = fields.hours_cap
    customer.business_hours = str(BusinessHours.parse(fields.business_hours)) if fields.business_hours else None
    customer.active_from = fields.active_from
    customer.active_until = fields.active_until
    existing = {c.email.casefold(): c for c in customer.contacts}
    customer.contacts = [existing.get(e.casefold()) or Contact(email=e) for e in fields.contacts]


def add_customer(desk: Desk, fields: CustomerFields) -> CustomerView:
    """Add a customer on a plan, with contacts up to the plan's limit (P1, P2).

    The contract starts on ``fields.active_from``, by default today in the
    customer's own zone (S3: nothing is granted or forfeited before it).
    """

    def work(unit: Unit) -> CustomerView:
        validate_fields(unit, fields)
        given = fields if fields.active_from else fields._replace(active_from=local_date(unit.now, zone(fields.tz)))
        customer = Customer(tam_id=unit.tam.id, created_at=unit.now)
        apply_fields(customer, given)
        unit.session.add(customer)
        unit.session.flush()
        record(unit, "customer.added", customer.id, f"added customer {customer.name}")
        return customer_view(unit, customer)

    return desk.write(work)


def fields_of(customer: Customer) -> CustomerFields:
    """A customer's fields as they stand (what an edit keeps to be undone)."""
    return CustomerFields(
        name=customer.name,
        plan=customer.plan,
        tz=customer.tz,
        country=customer.country,
        contacts=tuple(c.email for c in customer.contacts),
        hours_cap=customer.hours_cap,
        business_hours=customer.business_hours,
        active_from=customer.active_from,
        active_until=customer.active_until,
    )


def discard_customer(unit: Unit, customer_id: int) -> Customer:
    """Remove a customer as if never added (undoing the addition); one with calls, cases or time stays."""
    customer = unit.owned(Customer, customer_id, "customer", "customer list")
    for model, what in ((Call, "calls"), (Case, "cases"), (TimeEntry, "time"), (Emergency, "emergencies")):
        if unit.session.scalar(select(model.id).where(model.customer_id == customer.id).limit(1)) is not None:
            raise BadInput(f"{customer.name} has {what} on the desk: remove them first")
    unit.session.delete(customer)
    unit.session.flush()
    return customer


def list_customers(desk: Desk) -> list[CustomerView]:
    """Every customer of the current TAM, by name."""

    def work(unit: Unit) -> list[CustomerView]:
        rows = unit.session.scalars(
            select(Customer).where(unit.mine(Customer.tam_id)).order_by(Customer.name_key, Customer.id)
        )
        return [customer_view(unit, c) for c in rows]

    return desk.read(work)


def get_customer(desk: Desk, ref: str | int) -> CustomerView:
    """One customer by name or id."""
    return desk.read(lambda unit: customer_view(unit, unit.customer(ref)))


def _span(text_start: str, text_end: str, tz_name: str, now: datetime) -> tuple[datetime, datetime]:
    tz = zone(tz_name)
    start, end = parse_datetime(text_start, tz, now), parse_datetime(text_end, tz, now)
    if end <= start:
        raise BadInput("the end comes before the start")
    return start, end


def add_critical_period(desk: Desk, ref: str | int, start: str, end: str, label: str) -> CustomerView:
    """Declare a critical period: out-of-hours calls inside it need no confirmation (T5)."""

    def work(unit: Unit) -> CustomerView:
        customer = unit.customer(ref)
        begins, ends = _span(start, end, customer.tz, unit.now)
        period = CriticalPeriod(starts_at=begins, ends_at=ends, label=label.strip() or "critical period")
        customer.critical_periods.append(period)
        unit.session.flush()
        record(unit, "critical.added", period.id, f"declared {customer.name}'s critical period {period.label!r} "
               f"from {when(begins, unit)} to {when(ends, unit)}")
        return customer_view(unit, customer)

    return desk.write(work)


def add_time_off(desk: Desk, start: str, end: str, kind: str = "time off", note: str | None = None) -> int:
    """Record the TAM's time off or training, in the TAM's zone (T4)."""
    if kind not in ("time off", "training"):
        raise BadInput("time off is 'time off' or 'training'")

    def work(unit: Unit) -> int:
        begins, ends = _span(start, end, unit.tam_tz.key, unit.now)
        row = TimeOff(tam_id=unit.tam.id, starts_at=begins, ends_at=ends, kind=kind, note=note)
        unit.session.add(row)
        unit.session.flush()
        record(unit, "timeoff.added", row.id, f"recorded {kind} from {when(begins, unit)} to {when(ends, unit)}")
        return row.id

    return desk.write(work)
