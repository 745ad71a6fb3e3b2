"""Business days and hours in a contract's time zone (SPEC T4, T5).

Business hours default to Monday-Friday 09:00-17:00 in the contract zone (002);
a contract may set its own (003's 09:00-18:00). Public holidays of the
contract's country come from the ``holidays`` package and are not business
days. A call must fit inside business hours from start to end (T4); anything
else is an exception the user confirms on purpose, unless the customer has
declared a critical period that covers the call (T5). The TAM's own time off
and training are never available without confirmation (T4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable, NamedTuple, Sequence, TYPE_CHECKING
from zoneinfo import ZoneInfo

from tamdesk.domain.errors import BadInput, NeedsConfirmation

if TYPE_CHECKING:
    from holidays import HolidayBase

#: Where a country's holidays of one year come from: ``(code, year) -> {day: name}``.
HolidayYears = Callable[[str, int], dict[date, str]]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class BusinessHours(NamedTuple):
    """The daily window of business hours, in the contract zone's wall clock."""

    opens: time = time(9, 0)
    closes: time = time(17, 0)

    @classmethod
    def parse(cls, text: str) -> BusinessHours:
        """Parse ``HH:MM-HH:MM``; the window must open before it closes."""
        match = _HOURS.match(text or "")
        if not match:
            raise BadInput(f"cannot read {text!r} as business hours: use HH:MM-HH:MM such as 09:00-17:00")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            opens, closes = time(h1, m1), (time(0) if (h2, m2) == (24, 0) else time(h2, m2))
        except ValueError:
            raise BadInput(f"cannot read {text!r} as business hours: hours run 00:00 to 24:00") from None
        if (h2, m2) != (24, 0) and closes <= opens:
            raise BadInput(f"business hours {text!r} close before they open")
        return cls(opens, closes)

    def __str__(self) -> str:
        closes = "24:00" if self.closes == time(0) else f"{self.closes:%H:%M}"
        return f"{self.opens:%H:%M}-{closes}"

    def fits(self, start: time, end: time, same_day: bool) -> bool:
        """True when a call from ``start`` to ``end`` on one day is inside the window."""
        if self.closes == time(0):
            return start >= self.opens and (same_day or end == time(0))
        return same_day and self.opens <= start and end <= self.closes


class Interval(NamedTuple):
    """A labelled span of instants: time off, training or a critical period."""

    start: datetime
    end: datetime
    label: str

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """True when ``[start, end)`` shares any instant with this interval."""
        return self.start < end and start < self.end

    def covers(self, start: datetime, end: datetime) -> bool:
        """True when ``[start, end)`` lies wholly inside this interval."""
        return self.start <= start and end <= self.end


@dataclass
class BusinessCalendar:
    """Business days and hours of one contract (T4)."""

    tz: ZoneInfo
    hours: BusinessHours = field(default_factory=BusinessHours)
    country: str | None = None  # ISO 3166 code, optionally with a subdivision: "US-NY"
    #: Where the holidays come from, a year at a time; default ``holiday_year``, uncached.
    holiday_years: HolidayYears | None = field(default=None, repr=False)
    _years: set[int] = field(default_factory=set, init=False, repr=False)
    _days: dict[date, str] = field(default_factory=dict, init=False, repr=False)

    def holiday(self, day: date) -> str | None:
        """The name of the public holiday on ``day`` in the contract's country, if any."""
        if not self.country:
            return None
        if day.year not in self._years:
            self._days.update((self.holiday_years or holiday_year)(self.country, day.year))
            self._years.add(day.year)
        return self._days.get(day)

    def is_business_day(self, day: date) -> bool:
        """Monday to Friday and not a public holiday (T4)."""
        return day.weekday() < 5 and self.holiday(day) is None

    def business_days(self, first: date, end: date) -> list[date]:
        """The business days in ``[first, end)``."""
        days = []
        day = first
        while day < end:
            if self.is_business_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def outside_reasons(self, start: datetime, end: datetime) -> list[str]:
        """Why ``[start, end)`` is not inside business hours; empty when it is."""
        local_start = start.astimezone(self.tz)
        local_end = end.astimezone(self.tz)
        reasons = []
        day = local_start.date()
        if day.weekday() >= 5:
            reasons.append(f"a {WEEKDAYS[day.weekday()]}")
        holiday = self.holiday(day)
        if holiday:
            reasons.append(f"a public holiday ({holiday})")
        same_day = local_end.date() == day
        if not self.hours.fits(local_start.time(), local_end.time(), same_day):
            reasons.append(f"outside business hours {self.hours} {self.tz.key}")
        return reasons


def country_holidays(code: str, years: int | None = None) -> HolidayBase:
    """The public holidays of a country code such as ``ES`` or ``US-NY`` (T4).

    The ``holidays`` package is imported here, not at module import, because it
    costs tens of milliseconds that commands without business-hour checks skip.
    """
    import holidays

    country, _, subdiv = code.upper().partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdiv or None, years=years)
    except NotImplementedError:
        raise BadInput(
            f"unknown country {code!r}: use an ISO 3166 code the holidays package knows, such as ES or US-NY"
        ) from None


def holiday_year(code: str, year: int) -> dict[date, str]:
    """The public holidays of ``code`` in ``year``, by day, from the ``holidays`` package (T4)."""
    return dict(country_holidays(code, years=year).items())


def check_country(code: str) -> str:
    """Validate a country code (and optional subdivision); return it normalised."""
    country_holidays(code)
    return code.upper()


class SlotVerdict(NamedTuple):
    """What stands between a call slot and a plain booking (T4, T5)."""

    outside: list[str]
    time_off: list[str]
    critical_period: str | None
    workday: list[str]  # outside the TAM's working day (T8)

    @property
    def exception(self) -> str | None:
        """The label a confirmed booking keeps, or ``None`` for a plain one."""
        parts = []
        if self.outside:
            parts.append(
                f"critical period {self.critical_period}: " if self.critical_period else "with prior notice: "
            )
            parts[-1] += ", ".join(self.outside)
        if self.time_off:
            parts.append("during " + ", ".join(self.time_off))
        if self.workday:
            parts.append("after hours: " + ", ".join(self.workday))
        return "; ".join(parts) or None

    @property
    def needs_confirmation(self) -> bool:
        """Out of hours outside a critical period, during the TAM's time off, or outside their day (T8)."""
        return bool(self.time_off or self.workday) or (bool(self.outside) and self.critical_period is None)

    @property
    def rules(self) -> str:
        """The rules that ask: T4 for the contract's hours and time off, T8 for the TAM's day."""
        asked = ["T4"] if self.time_off or (self.outside and self.critical_period is None) else []
        return ", ".join([*asked, *(["T8"] if self.workday else [])])


def judge_slot(
    start: datetime,
    end: datetime,
    calendar: BusinessCalendar,
    time_off: Sequence[Interval] = (),
    critical_periods: Sequence[Interval] = (),
    workday: Callable[[datetime, datetime], list[str]] | None = None,
) -> SlotVerdict:
    """Judge a call slot against business hours, time off, critical periods and the TAM's day.

    ``workday`` says why a slot is outside the TAM's working day (T8), if it is.
    """
    outside = calendar.outside_reasons(start, end)
    covering = next((p.label for p in critical_periods if p.covers(start, end)), None)
    busy = [t.label for t in time_off if t.overlaps(start, end)]
    late = workday(start, end) if workday else []
    return SlotVerdict(outside, busy, covering if outside else None, late)


def require_slot(
    start: datetime,
    end: datetime,
    calendar: BusinessCalendar,
    *,
    who: str,
    time_off: Sequence[Interval] = (),
    critical_periods: Sequence[Interval] = (),
    workday: Callable[[datetime, datetime], list[str]] | None = None,
    confirmed: bool = False,
) -> str | None:
    """Return the exception label a booking keeps, or refuse it until confirmed (T4, T5, T8).

    The question says what to confirm; what to book instead is found by the
    use-cases' one search, which runs every rule.
    """
    verdict = judge_slot(start, end, calendar, time_off, critical_periods, workday)
    if verdict.needs_confirmation and not confirmed:
        local = start.astimezone(calendar.tz)
        what = []
        if verdict.outside and verdict.critical_period is None:
            what.append("on " + " and ".join(verdict.outside))
        if verdict.time_off:
            what.append("during your " + ", ".join(verdict.time_off))
        what.extend(verdict.workday)
        raise NeedsConfirmation(
            verdict.rules,
            f"{who}'s call at {local:%a %Y-%m-%d %H:%M} {calendar.tz.key} is "
            + " and ".join(what)
            + f" (business hours {calendar.hours}, Monday-Friday).",
            exception=verdict.exception or "exception",
            instead="Confirm it as an exception with prior notice (T5).",
        )
    return verdict.exception
