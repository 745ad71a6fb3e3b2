"""Logging the TAM's time per customer, under the weekly cap (SPEC B1, B2, P3)."""

from __future__ import annotations

import math
from datetime import date, timedelta

from sqlalchemy import select

from tamdesk.domain.budget import check_budget
from tamdesk.domain.errors import BadInput
from tamdesk.domain.periods import iso_week_of
from tamdesk.services.budget import customer_week
from tamdesk.services.customers import plan_of
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.views import TimeEntryView
from tamdesk.store.models import Case, Customer, TimeEntry


def minutes_of(hours: float | str) -> int:
    """Hours typed by a person (``1.5``) as whole minutes; 0 or less is bad input."""
    try:
        value = float(hours)
    except (TypeError, ValueError):
        raise BadInput(f"cannot read {hours!r} as hours: use a number such as 1.5") from None
    if not math.isfinite(value) or value <= 0:
        raise BadInput(f"hours must be more than 0, not {hours}")
    if value > 24:
        raise BadInput(f"{hours} hours do not fit in one day")
    return round(value * 60)


def entry_view(entry: TimeEntry, customer_name: str) -> TimeEntryView:
    """The view of a time entry row."""
    return TimeEntryView(
        id=entry.id,
        customer=customer_name,
        work_date=entry.work_date,
        minutes=entry.minutes,
        note=entry.note,
        case_id=entry.case_id,
        call_id=entry.call_id,
        activity=entry.activity,
        over_budget=entry.over_budget,
    )


def log_time(
    desk: Desk,
    customer_ref: str | int,
    hours: float | str,
    *,
    on: date | None = None,
    case_id: int | None = None,
    note: str | None = None,
    activity: str | None = None,
    force: bool = False,
) -> TimeEntryView:
    """Log time for a customer on a day of the TAM's calendar; over the cap asks first (B2)."""
    minutes = minutes_of(hours)

    def work(unit: Unit) -> TimeEntryView:
        customer = unit.customer(customer_ref)
        day = on or unit.today
        if day > unit.today:
            raise BadInput(f"{day} is in the future: time is logged for days that have begun")
        if case_id is not None:
            case = unit.session.get(Case, case_id)
            if case is None or case.customer_id != customer.id:
                raise BadInput(f"case {case_id} is not one of {customer.name}'s cases")
        if activity is not None:
            kinds = {o.kind for o in plan_of(unit, customer).obligations} | {"service-review"}
            if activity not in kinds:
                raise BadInput(f"unknown activity {activity!r} for plan {customer.plan}: choose {', '.join(sorted(kinds))}")
        over = check_budget(
            customer_week(unit, customer, day),
            minutes,
            customer=customer.name,
            week_key=iso_week_of(day).key,
            confirmed=force,
        )
        entry = TimeEntry(
            tam_id=unit.tam.id,
            customer_id=customer.id,
            case_id=case_id,
            work_date=day,
            minutes=minutes,
            note=(note or "").strip() or None,
            activity=activity,
            over_budget=over,
            logged_at=unit.now,
        )
        unit.session.add(entry)
        unit.session.flush()
        return entry_view(entry, customer.name)

    return desk.write(work)


def list_time(desk: Desk, first: date, last: date) -> list[TimeEntryView]:
    """Time entries from ``first`` to ``last`` (both included), oldest first."""

    def work(unit: Unit) -> list[TimeEntryView]:
        rows = unit.session.execute(
            select(TimeEntry, Customer.name)
            .join(Customer, Customer.id == TimeEntry.customer_id)
            .where(TimeEntry.tam_id == unit.tam.id, TimeEntry.work_date >= first, TimeEntry.work_date <= last)
            .order_by(TimeEntry.work_date, TimeEntry.id)
        ).all()
        return [entry_view(entry, name) for entry, name in rows]

    return desk.read(work)


def week_dates(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week containing ``day`` (T3)."""
    week = iso_week_of(day)
    return week.first, week.first + timedelta(days=6)
