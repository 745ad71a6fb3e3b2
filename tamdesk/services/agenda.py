"""The TAM's week as a calendar: calls, customers' public holidays and time off (T3, T4).

The week is the ISO week in the TAM's zone; each holiday is read in the
country of the customers it closes, and time off is the TAM's own.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tamdesk.domain.humanize import relative
from tamdesk.domain.periods import iso_week_of
from tamdesk.domain.timezones import local_date, start_of_day
from tamdesk.services.calls import calls_between
from tamdesk.services.contracts import country_calendar, time_off_intervals
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.views import CallView, DayNote, WeekAgenda
from tamdesk.store import tables


def week_agenda(desk: Desk, day: date | None = None) -> WeekAgenda:
    """The ISO week containing ``day`` (default today, in the TAM's zone)."""
    return desk.read(lambda unit: week_agenda_in(unit, day))


def week_agenda_in(unit: Unit, day: date | None = None) -> WeekAgenda:
    """``week_agenda`` inside a unit of work already open."""
    week = iso_week_of(day or unit.today)
    calls = calls_between(unit, week.first, week.last)
    notes = _holidays(unit, week.first) + _time_off(unit, week.first)
    when = starts_in_words(calls, unit.now, unit.tam_tz)
    return WeekAgenda(week.key, week.first, unit.tam_tz.key, unit.today, tuple(calls), tuple(notes), when)


def starts_in_words(calls: list[CallView], now: datetime, tz: ZoneInfo) -> dict[int, str]:
    """"in 2 hours", "3 days ago": for each call still scheduled that starts today or has started (S2).

    Today's calls say how soon they begin; an earlier one still marked
    scheduled says how long ago it was, a nudge to mark it held or no-show.
    Said here, in the read (a worker, or the desk's first read in its own
    process), so arrow's import never holds up the screen.
    """
    today = local_date(now, tz)
    return {
        c.id: relative(c.start, now)
        for c in calls
        if c.status == "scheduled" and (c.start <= now or local_date(c.start, tz) == today)
    }


def _holidays(unit: Unit, monday: date) -> list[DayNote]:
    """Public holidays of the week, each naming the customers whose country keeps it (T4).

    A holiday is the country's: each country's week is looked up once, however
    many customers keep it.
    """
    closed: dict[tuple[date, str], list[str]] = defaultdict(list)
    days = [monday + timedelta(days=offset) for offset in range(7)]
    kept: dict[str, list[tuple[date, str]]] = {}
    customer = tables.customers.c
    for name, country in unit.session.execute(
        select(customer.name, customer.country)
        .where(customer.tam_id == unit.desk.tam_id, customer.country.is_not(None))
        .order_by(customer.name_key)
    ):
        if country not in kept:
            calendar = country_calendar(country)
            kept[country] = [(day, holiday) for day in days if (holiday := calendar.holiday(day))]
        for day, holiday in kept[country]:
            closed[(day, f"{holiday} ({country})")].append(name)
    return [
        DayNote(day, "holiday", f"{label}: {', '.join(names)}")
        for (day, label), names in sorted(closed.items())
    ]


def _time_off(unit: Unit, monday: date) -> list[DayNote]:
    """The TAM's time off on every day of the week it touches, with hours when partial (T4)."""
    tz = unit.tam_tz
    notes = []
    week = time_off_intervals(unit, start_of_day(monday, tz), start_of_day(monday + timedelta(days=7), tz))
    for offset in range(7):
        today = monday + timedelta(days=offset)
        opens, closes = start_of_day(today, tz), start_of_day(today + timedelta(days=1), tz)
        for interval in (i for i in week if i.start < closes and i.end > opens):
            start, end = max(interval.start, opens), min(interval.end, closes)
            hours = "" if (start, end) == (opens, closes) else (
                f" {start.astimezone(tz):%H:%M}-{'24:00' if end == closes else f'{end.astimezone(tz):%H:%M}'}"
            )
            notes.append(DayNote(today, "time off", interval.label + hours))
    return notes
