"""What a customer's contract says, read from its row: plan, weekly cap, business calendar, first day.

These read a customer's row (an ORM object or a Core row alike, ``CustomerRow``)
and the TAM's time off; they import no ORM model, so reading the week
(``tamdesk week``, the desk's page turns) never maps the classes it does not use.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tamdesk.domain.allowance import Contract
from tamdesk.domain.business_hours import BusinessCalendar, BusinessHours, Interval
from tamdesk.domain.plans import Plan
from tamdesk.domain.timezones import local_date, zone
from tamdesk.services.desk import Unit
from tamdesk.store import tables
from tamdesk.store.holiday_cache import cached_holiday_year
from tamdesk.store.tables import CustomerRow

if TYPE_CHECKING:
    from tamdesk.store.models import Customer


def plan_of(unit: Unit, customer: CustomerRow) -> Plan:
    """The customer's plan from the catalogue in force."""
    return unit.catalogue.plan(customer.plan)


def hours_cap(unit: Unit, customer: CustomerRow) -> float:
    """The customer's weekly hours cap: their own, else their plan's (P2)."""
    return customer.hours_cap if customer.hours_cap is not None else plan_of(unit, customer).weekly_hours_cap


def calendar_of(unit: Unit, customer: CustomerRow) -> BusinessCalendar:
    """The business calendar of the customer's contract (T4)."""
    hours = BusinessHours.parse(customer.business_hours) if customer.business_hours else unit.catalogue.business_hours
    return BusinessCalendar(zone(customer.tz), hours, customer.country, cached_holiday_year)


def country_calendar(country: str) -> BusinessCalendar:
    """A calendar for the public holidays of ``country`` alone (its zone and hours are not read)."""
    return BusinessCalendar(ZoneInfo("UTC"), country=country, holiday_years=cached_holiday_year)


def critical_intervals(customer: Customer) -> list[Interval]:
    """The customer's critical periods as intervals (T5)."""
    return [Interval(p.starts_at, p.ends_at, p.label) for p in customer.critical_periods]


def time_off_intervals(unit: Unit, start: datetime, end: datetime) -> list[Interval]:
    """The TAM's time off and training overlapping ``[start, end)`` (T4)."""
    off = tables.time_off
    rows = unit.session.execute(
        select(off).where(off.c.tam_id == unit.desk.tam_id, off.c.starts_at < end, off.c.ends_at > start)
    )
    return [Interval(r.starts_at, r.ends_at, r.kind + (f" ({r.note})" if r.note else "")) for r in rows]


def contract_start(customer: CustomerRow) -> date:
    """The first local day of the customer's contract: nothing is granted or forfeited before it (S3).

    A customer added before the desk kept a start (``active_from`` empty) is
    taken to start on the day it was added, in its own zone: the ledger never
    grants or forfeits months before the customer existed on the desk.
    """
    return customer.active_from or local_date(customer.created_at, zone(customer.tz))


def contract_of(customer: Customer) -> Contract:
    """The local days the customer's contract is active, both ends included (S3)."""
    return Contract(contract_start(customer), customer.active_until)
