"""Calendar periods in a time zone: months, quarters and ISO weeks (SPEC T2, T3, S7).

A ``Period`` is a half-open range of local dates, ``[first, end)``. Whether an
instant belongs to it depends on the zone it is read in, so membership is
always asked with a zone: a call at 23:30 on 30 November in New York is a
November call for a New York customer even though it is 1 December in UTC.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from tamdesk.domain.errors import BadInput
from tamdesk.domain.timezones import local_date, start_of_day
from tamdesk.domain.values import check_year, shown

PeriodKind = Literal["month", "quarter", "week"]


class Period(NamedTuple):
    """A calendar month, quarter or ISO week as a range of local dates."""

    first: date
    end: date  # exclusive
    kind: PeriodKind

    @property
    def key(self) -> str:
        """The period's name in scripts: ``2026-11``, ``2026-Q4`` or ``2026-W48``."""
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        year, week, _ = self.first.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def last(self) -> date:
        """The last local date inside the period."""
        return self.end - timedelta(days=1)

    def next(self) -> Period:
        """The period right after this one."""
        return period_containing(self.kind, self.end)

    def prev(self) -> Period:
        """The period right before this one."""
        return period_containing(self.kind, self.first - timedelta(days=1))

    def start_utc(self, tz: ZoneInfo) -> datetime:
        """The instant the period begins in ``tz``."""
        return start_of_day(self.first, tz)

    def end_utc(self, tz: ZoneInfo) -> datetime:
        """The instant the period ends (exclusive) in ``tz``."""
        return start_of_day(self.end, tz)

    def __str__(self) -> str:
        return self.key


def month_of(day: date) -> Period:
    """The calendar month containing ``day`` (T2)."""
    first = day.replace(day=1)
    end = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(first, end, "month")


def quarter_of(day: date) -> Period:
    """The calendar quarter containing ``day`` (T2)."""
    first_month = (day.month - 1) // 3 * 3 + 1
    first = date(day.year, first_month, 1)
    end_month = first_month + 3
    end = date(day.year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    return Period(first, end, "quarter")


def iso_week_of(day: date) -> Period:
    """The ISO week (Monday to Sunday) containing ``day`` (T3, S7)."""
    first = day - timedelta(days=day.weekday())
    return Period(first, first + timedelta(days=7), "week")


def period_containing(kind: PeriodKind, day: date) -> Period:
    """The period of ``kind`` that contains the local date ``day``."""
    if kind == "month":
        return month_of(day)
    if kind == "quarter":
        return quarter_of(day)
    return iso_week_of(day)


def period_of_instant(kind: PeriodKind, instant: datetime, tz: ZoneInfo) -> Period:
    """The period of ``kind`` that contains ``instant`` read in ``tz``."""
    return period_containing(kind, local_date(instant, tz))


def periods_between(first: Period, last: Period) -> list[Period]:
    """Every period from ``first`` to ``last``, both included."""
    out = [first]
    while out[-1] < last:
        out.append(out[-1].next())
    return out


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_month(text: str) -> Period:
    """Parse ``YYYY-MM`` into a month."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise BadInput(f"cannot read {shown(text)} as a month: use YYYY-MM such as 2026-11")
    check_year(int(match.group(1)), text.strip())
    return month_of(date(int(match.group(1)), int(match.group(2)), 1))


def parse_week(text: str) -> Period:
    """Parse ``YYYY-Www`` into an ISO week."""
    match = _WEEK.match(text.strip())
    try:
        if not match:
            raise ValueError
        check_year(int(match.group(1)), text.strip())
        return iso_week_of(date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1))
    except ValueError:
        raise BadInput(f"cannot read {shown(text)} as a week: use YYYY-Www such as 2026-W48") from None
