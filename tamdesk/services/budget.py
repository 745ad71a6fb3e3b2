"""The minutes a TAM gives each customer in each week, read from the store (SPEC B1, T3).

The one reading of B1: time logged that week plus calls booked that week and
not yet held, weeks being ISO weeks in the TAM's zone. The week report (B3's
history, B4) and the cap check before a booking or a log (B2) both read it here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, select

from tamdesk.domain.budget import CustomerWeek
from tamdesk.domain.periods import iso_week_of
from tamdesk.domain.timezones import local_date
from tamdesk.services.contracts import hours_cap
from tamdesk.services.desk import Unit
from tamdesk.services.views import WeekMinutes, WeeksRead
from tamdesk.store import tables
from tamdesk.store.tables import CustomerRow


def logged_minutes(unit: Unit, first: date, end: date, customer_id: int | None = None) -> WeekMinutes:
    """Time logged on the days ``[first, end)``, per customer and week (B1)."""
    entry = tables.time_entries.c
    query = (
        select(entry.customer_id, entry.work_date, func.sum(entry.minutes))
        .where(entry.tam_id == unit.desk.tam_id, entry.work_date >= first, entry.work_date < end)
        .group_by(entry.customer_id, entry.work_date)
    )
    if customer_id is not None:
        query = query.where(entry.customer_id == customer_id)
    totals: WeekMinutes = defaultdict(int)
    for who, day, minutes in unit.session.execute(query):
        totals[(who, day - timedelta(days=day.weekday()))] += int(minutes)  # the ISO week's Monday, as iso_week_of
    return totals


def booked_minutes(
    unit: Unit, first: date, end: date, customer_id: int | None = None, *, skip_call: int | None = None
) -> WeekMinutes:
    """Calls booked and not yet held in the weeks of ``[first, end)``, per customer and week (B1).

    ``skip_call`` leaves out the call being moved, so it does not count twice.
    """
    tz = unit.tam_tz
    call = tables.calls.c
    query = select(call.customer_id, call.starts_at, call.minutes).where(
        call.tam_id == unit.desk.tam_id,
        call.status == "scheduled",
        call.starts_at >= iso_week_of(first).start_utc(tz),
        call.starts_at < iso_week_of(end - timedelta(days=1)).end_utc(tz),
    )
    if customer_id is not None:
        query = query.where(call.customer_id == customer_id)
    if skip_call is not None:
        query = query.where(call.id != skip_call)
    totals: WeekMinutes = defaultdict(int)
    for who, starts_at, minutes in unit.session.execute(query):
        totals[(who, iso_week_of(local_date(starts_at, tz)).first)] += minutes
    return totals


def weeks_minutes(unit: Unit, first: date, end: date, known: WeeksRead | None = None) -> WeeksRead:
    """``logged_minutes`` and ``booked_minutes`` of the weeks from the Monday ``first`` to the Monday ``end``.

    The weeks ``known`` holds are taken from it, not read again: turning the
    week's page moves the five weeks B3 and the page need by one, so a turn
    reads one week instead of five. ``known`` must come from a read of the
    same data (the week screen drops it after any change).
    """
    mondays = {first + timedelta(weeks=i) for i in range((end - first).days // 7)}
    kept = known.weeks & mondays if known is not None else frozenset()
    logged: WeekMinutes = {key: m for key, m in known.logged.items() if key[1] in kept} if known else {}
    booked: WeekMinutes = {key: m for key, m in known.booked.items() if key[1] in kept} if known else {}
    if missing := mondays - kept:
        # One read from the first missing week to the last: a week in between already kept reads the same again.
        lo, hi = min(missing), max(missing) + timedelta(weeks=1)
        logged.update(logged_minutes(unit, lo, hi))
        booked.update(booked_minutes(unit, lo, hi))
    return WeeksRead(frozenset(mondays), logged, booked)


def customer_week(unit: Unit, customer: CustomerRow, day: date, *, skip_call: int | None = None) -> CustomerWeek:
    """The customer's hours in the TAM's ISO week containing ``day`` against their cap (B1, B2)."""
    week = iso_week_of(day)
    key = (customer.id, week.first)
    return CustomerWeek(
        logged_minutes(unit, week.first, week.end, customer.id).get(key, 0),
        booked_minutes(unit, week.first, week.end, customer.id, skip_call=skip_call).get(key, 0),
        hours_cap(unit, customer),
    )
