"""Logging, correcting and deleting the TAM's time per customer (SPEC B1, B2, B5, P3)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from tamdesk.domain.budget import check_budget
from tamdesk.domain.durations import describe, read_duration
from tamdesk.domain.errors import BadInput, NeedsConfirmation, Refusal, combine_confirmations
from tamdesk.domain.periods import iso_week_of
from tamdesk.services.budget import customer_week
from tamdesk.services.contracts import plan_of
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.journal import on_day, record
from tamdesk.services.views import TimeEntryView
from tamdesk.store.models import Case, Customer, TimeEntry, TimeEntryEvent

#: The most the TAM's entries on one day can hold (B5).
DAY_MINUTES = 24 * 60


def minutes_of(hours: float | str) -> int:
    """A duration typed by a person (``1.5``, ``1:30``, ``90m``) as whole minutes (B5)."""
    return read_duration(hours)


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


@dataclass(frozen=True)
class Placement:
    """Where an entry's minutes go: a customer, a day, how many (what B2 and B5 judge)."""

    customer: Customer
    day: date
    minutes: int


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
    """Log time for a customer on a day of the TAM's calendar (B5); over the cap asks first (B2)."""
    minutes = minutes_of(hours)

    def work(unit: Unit) -> TimeEntryView:
        customer = unit.customer(customer_ref)
        placed = Placement(customer, on or unit.today, minutes)
        _check_case(unit, customer, case_id)
        _check_activity(unit, customer, activity)
        over = _judge(unit, placed, None, force=force)
        entry = TimeEntry(
            tam_id=unit.tam.id,
            customer_id=customer.id,
            case_id=case_id,
            work_date=placed.day,
            minutes=minutes,
            note=(note or "").strip() or None,
            activity=activity,
            over_budget=over,
            logged_at=unit.now,
        )
        unit.session.add(entry)
        unit.session.flush()
        record(unit, "time.logged", entry.id, f"logged {describe(minutes)} for {customer.name} on {on_day(placed.day)}")
        return entry_view(entry, customer.name)

    return desk.write(work)


def edit_time(
    desk: Desk,
    entry_id: int,
    *,
    hours: float | str | None = None,
    on: date | None = None,
    customer_ref: str | int | None = None,
    note: str | None = None,
    activity: str | None = None,
    force: bool = False,
) -> TimeEntryView:
    """Correct a time entry under the rules of logging (B2, B5); the change is kept in its history.

    Only what is given changes; an empty ``note`` or ``activity`` clears it. The
    cap and the day's total are judged without the entry's own old minutes.
    """
    minutes = None if hours is None else minutes_of(hours)

    def work(unit: Unit) -> TimeEntryView:
        entry = _entry(unit, entry_id)
        before = _snapshot(entry)
        customer = unit.customer(customer_ref) if customer_ref is not None else unit.session.get(Customer, entry.customer_id)
        assert customer is not None  # an entry's customer is kept by its foreign key
        placed = Placement(customer, on or entry.work_date, minutes or entry.minutes)
        moved = (customer.id, placed.day, placed.minutes) != (entry.customer_id, entry.work_date, entry.minutes)
        if customer.id != entry.customer_id:
            _check_case(unit, customer, entry.case_id)
        kept_activity = entry.activity if activity is None else activity.strip() or None
        if kept_activity != entry.activity:
            _check_activity(unit, customer, kept_activity)
        if moved:
            entry.over_budget = _judge(unit, placed, entry, force=force)
        entry.customer_id, entry.work_date, entry.minutes = customer.id, placed.day, placed.minutes
        entry.activity = kept_activity
        if note is not None:
            entry.note = note.strip() or None
        after = _snapshot(entry)
        if after != before:  # a correction that changes nothing leaves no history
            _remember(unit, entry, "edited", before, after)
            record(unit, "time.edited", entry.id, f"corrected time entry {entry.id} ({customer.name})", json.loads(before))
        unit.session.flush()
        return entry_view(entry, customer.name)

    return desk.write(work)


def delete_time(desk: Desk, entry_id: int, *, force: bool = False) -> TimeEntryView:
    """Delete a time entry; in a week before this one it asks first (B5). Its history keeps it."""

    def work(unit: Unit) -> TimeEntryView:
        entry = _entry(unit, entry_id)
        customer = unit.session.get(Customer, entry.customer_id)
        assert customer is not None
        pending = _closed_week(unit, entry.work_date)
        if pending is not None and not force:
            raise pending
        view = entry_view(entry, customer.name)
        _remember(unit, entry, "deleted", _snapshot(entry), None)
        summary = f"deleted {describe(entry.minutes)} for {customer.name} on {on_day(entry.work_date)}"
        record(unit, "time.deleted", entry.id, summary, json.loads(_snapshot(entry)))
        unit.session.delete(entry)
        unit.session.flush()
        return view

    return desk.write(work)


def _entry(unit: Unit, entry_id: int) -> TimeEntry:
    entry = unit.session.get(TimeEntry, entry_id)
    if entry is not None and entry.tam_id != unit.tam.id:
        entry = unit.theirs(entry, f"time entry {entry_id}")
    if entry is None:
        raise BadInput(f"unknown time entry {entry_id}: `tamdesk time list` shows the week's ids")
    return entry


def _check_case(unit: Unit, customer: Customer, case_id: int | None) -> None:
    if case_id is None:
        return
    case = unit.session.get(Case, case_id)
    if case is None or case.customer_id != customer.id:
        raise BadInput(f"case {case_id} is not one of {customer.name}'s cases")


def _check_activity(unit: Unit, customer: Customer, activity: str | None) -> None:
    if activity is None:
        return
    kinds = {o.kind for o in plan_of(unit, customer).obligations} | {"service-review"}
    if activity not in kinds:
        raise BadInput(f"unknown activity {activity!r} for plan {customer.plan}: choose {', '.join(sorted(kinds))}")


def _judge(unit: Unit, placed: Placement, replacing: TimeEntry | None, *, force: bool) -> bool:
    """Refuse a future day or a day past 24 h (B5); ask for a closed week (B5) and the cap (B2).

    Returns whether the entry keeps an over-budget mark. ``replacing`` is the
    entry being corrected, whose old minutes count neither for the day nor the week.
    """
    day = placed.day
    if day > unit.today:
        raise Refusal("B5", f"{day} is in the future: time is logged for days that have begun.",
                      f"Log it on {unit.today} or before.")
    check_day_room(unit, day, placed.minutes, replacing)
    earliest = min(day, replacing.work_date) if replacing is not None else day
    pending = [p for p in (_closed_week(unit, earliest), _over_cap(unit, placed, replacing)) if p is not None]
    if pending and not force:
        raise combine_confirmations(pending, instead="Confirm to keep it as typed, with its marks.")
    return any(p.rule == "B2" for p in pending)


def check_day_room(unit: Unit, day: date, minutes: int, replacing: TimeEntry | None = None) -> None:
    """Refuse ``minutes`` more on ``day`` when the TAM's entries would pass 24 h (B5), saying what is left."""
    left = DAY_MINUTES - _logged_on(unit, day, replacing)
    if minutes > left:
        raise Refusal(
            "B5",
            f"{describe(minutes)} would take your entries on {day} past 24 h.",
            f"{describe(left)} is left that day." if left > 0 else "Nothing is left that day.",
        )


def _logged_on(unit: Unit, day: date, replacing: TimeEntry | None) -> int:
    """The TAM's minutes logged on ``day`` over every customer, leaving out ``replacing``."""
    query = select(func.coalesce(func.sum(TimeEntry.minutes), 0)).where(
        TimeEntry.tam_id == unit.tam.id, TimeEntry.work_date == day
    )
    if replacing is not None:
        query = query.where(TimeEntry.id != replacing.id)
    return int(unit.session.scalar(query) or 0)


def _closed_week(unit: Unit, day: date) -> NeedsConfirmation | None:
    """Asking before a week that has ended changes (B5, B3), else ``None``."""
    this_week = iso_week_of(unit.today)
    if day >= this_week.first:
        return None
    return NeedsConfirmation(
        "B5",
        f"{day} is in {iso_week_of(day).key}, a week that has ended: its hours feed the 4-week average (B3).",
        exception="closed week",
        instead="Confirm to change that week.",
    )


def _over_cap(unit: Unit, placed: Placement, replacing: TimeEntry | None) -> NeedsConfirmation | None:
    week = customer_week(unit, placed.customer, placed.day)
    if (
        replacing is not None
        and replacing.customer_id == placed.customer.id
        and iso_week_of(replacing.work_date).first == iso_week_of(placed.day).first
    ):
        week = replace(week, logged_minutes=week.logged_minutes - replacing.minutes)
    try:
        check_budget(week, placed.minutes, customer=placed.customer.name,
                     week_key=iso_week_of(placed.day).key, confirmed=False)
    except NeedsConfirmation as asked:
        return asked
    return None


def _snapshot(entry: TimeEntry) -> str:
    return json.dumps({
        "customer_id": entry.customer_id,
        "date": entry.work_date.isoformat(),
        "minutes": entry.minutes,
        "note": entry.note,
        "activity": entry.activity,
        "case_id": entry.case_id,
        "call_id": entry.call_id,
        "over_budget": entry.over_budget,
    }, sort_keys=True)


def _remember(unit: Unit, entry: TimeEntry, action: str, before: str, after: str | None) -> None:
    unit.session.add(TimeEntryEvent(time_entry_id=entry.id, at=unit.now, action=action, before=before, after=after))


def restore_entry(unit: Unit, entry_id: int, kept: dict[str, Any] | None) -> None:
    """Put time entry ``entry_id`` back as ``kept`` (a snapshot), or remove it when ``kept`` is None (undo).

    A deleted entry comes back under its own id. The day's 24 h still hold (B5);
    a closed week or the cap (questions) count as answered, since the entry was
    so before, and it keeps its old over-budget mark. The entry's history gains
    an ``undone`` step.
    """
    entry = unit.session.get(TimeEntry, entry_id)
    now_as = _snapshot(entry) if entry is not None else None
    if kept is None:
        if entry is not None:
            unit.session.delete(entry)
    else:
        if unit.session.get(Customer, kept["customer_id"]) is None:
            raise BadInput(f"time entry {entry_id}'s customer is gone; it cannot come back")
        day = date.fromisoformat(kept["date"])
        check_day_room(unit, day, kept["minutes"], entry)
        if entry is None:
            entry = TimeEntry(id=entry_id, tam_id=unit.tam.id, logged_at=unit.now)
            unit.session.add(entry)
        entry.customer_id, entry.work_date, entry.minutes = kept["customer_id"], day, kept["minutes"]
        entry.note, entry.activity, entry.over_budget = kept["note"], kept["activity"], kept["over_budget"]
        entry.case_id, entry.call_id = kept["case_id"], kept["call_id"]
    unit.session.flush()
    unit.session.add(TimeEntryEvent(
        time_entry_id=entry_id, at=unit.now, action="undone",
        before=now_as or "{}", after=None if kept is None else _snapshot(entry),  # type: ignore[arg-type]
    ))


def list_time(desk: Desk, first: date, last: date) -> list[TimeEntryView]:
    """Time entries from ``first`` to ``last`` (both included), oldest first."""

    def work(unit: Unit) -> list[TimeEntryView]:
        rows = unit.session.execute(
            select(TimeEntry, Customer.name)
            .join(Customer, Customer.id == TimeEntry.customer_id)
            .where(unit.mine(TimeEntry.tam_id), TimeEntry.work_date >= first, TimeEntry.work_date <= last)
            .order_by(TimeEntry.work_date, TimeEntry.id)
        ).all()
        return [entry_view(entry, name) for entry, name in rows]

    return desk.read(work)


def week_dates(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week containing ``day`` (T3)."""
    week = iso_week_of(day)
    return week.first, week.first + timedelta(days=6)
