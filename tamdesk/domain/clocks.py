"""The clocks a case's deadlines run on (SPEC L7, L9; T4, T5).

A ``Clock`` counts *clock minutes* between instants. A ``business`` clock counts
only the minutes inside the customer's business hours (T4) on business days in
the contract zone, weekends and the country's public holidays left out; inside
a customer's critical period (T5) it counts every minute, as a ``24x7`` clock
does (L7). Either kind can carry *gaps*, the spans a case is paused (waiting on
the customer, an incomplete checklist: L9), in which no minute counts.

Pure: no I/O and no clock reads. Every instant given must be time-zone aware;
every instant returned is in UTC (T1).

How the counting is done: a business clock walks the local calendar one day at a
time and turns each business day's hours into UTC spans with ``zoneinfo``, so a
day with a daylight-saving change is as long as the wall clock says; it never
steps by a fixed 86,400 seconds (GLPI's bug). A day's hours are the instants at
which the contract zone's wall clock reads that day within them (24:00 is the
next day's first instant): an hour a spring-forward jump skips holds none, an
hour a fall-back repeats counts as often as the wall shows it.

Whole minutes from seconds: time is counted exactly (to the microsecond) and a
count of clock minutes is the whole minutes counted, a partial minute left out
(floored): 59 counted seconds are 0 clock minutes, 60 are 1. ``add_minutes``
lands where exactly N whole minutes have been counted, so counting back from the
start gives N again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from tamdesk.domain.business_hours import BusinessCalendar, BusinessHours

#: ``[start, end)``: two aware instants, the start included and the end not.
Span = tuple[datetime, datetime]

MINUTE = timedelta(minutes=1)
#: A day on a 24x7 clock: 1440 real minutes, whatever the wall clock does that night (L7).
ROUND_DAY = timedelta(days=1)
#: How far the walk looks for the next business day before it calls the calendar broken.
_NO_BUSINESS_DAY = 3660
#: Where a 24x7 clock's counting stops: far enough for any deadline, short of ``datetime.max``.
_END_OF_TIME = datetime(9000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, eq=False)
class Clock:
    """A case's clock (L7, L9): which minutes count between two instants.

    Build one with ``business_clock`` or ``round_the_clock``. ``kind`` is
    ``"business"`` or ``"24x7"``, the word the desk shows.
    """

    kind: str
    calendar: BusinessCalendar | None = None
    #: Critical periods (T5): spans in which a business clock counts every minute, sorted and merged.
    always_on: tuple[Span, ...] = ()
    #: Pauses (L9): spans in which no minute counts, sorted and merged.
    gaps: tuple[Span, ...] = ()

    def minutes_between(self, a: datetime, b: datetime) -> int:
        """The clock minutes in ``[a, b)``, a partial minute left out; ``-minutes_between(b, a)`` when ``b < a``."""
        a, b = _utc(a), _utc(b)
        if b < a:
            return -self.minutes_between(b, a)
        return self._counted(a, b) // MINUTE

    def add_minutes(self, start: datetime, n: int) -> datetime:
        """The earliest instant ``t >= start`` with ``minutes_between(start, t) == n`` (``n >= 0``).

        That is where the clock has counted exactly ``n`` whole minutes: a start
        outside business hours first waits for the next opening, a pause for
        its end. A count completed as the clock stops is due then: Friday 16:30
        + 30 on 09:00-17:00 is Friday 17:00, not Monday 09:00 (the same count).
        ``add_minutes(t, 0)`` is ``t``.
        """
        start = _utc(start)
        _check_count(n, "minutes")
        return self._advance(start, n * MINUTE, latest=False)

    def add_days(self, start: datetime, n: int) -> datetime:
        """A target of ``n`` days from ``start`` (L7 "a target in days"); ``n >= 0``, 0 gives ``start``.

        On a 24x7 clock a day is 1440 real minutes (a DST night of 23 or 25
        hours does not change that): ``add_minutes(start, 1440 * n)``.

        On a business clock a day is a business day (L7): "due at the same local
        time that many business days later (a start outside business hours
        counts from the next opening)". So Tuesday 16:50 + 1 is Wednesday 16:50;
        Friday 18:00 + 1 counts from Monday's opening and is due *Tuesday* at
        the opening time (the same local time one business day after Monday
        09:00), not Monday at closing: the clock counts no minute between the
        two, and the SPEC's words name the local time. A holiday or a weekend is
        not a business day and is stepped over.

        Critical periods and pauses act on a day target through the minutes it
        holds: the target holds the business minutes from its start to that
        local time, and falls due when the case's clock has counted them, with
        a critical period counting every minute (T5, L7) and a pause none (L9:
        "each open deadline moves later by the clock minutes spent paused"). A
        pause of one clock hour thus moves the target one clock hour later; when
        the count is reached as the clock stops (a closing, a pause beginning)
        the target is where it starts again, as the next opening above. With no
        critical period and no pause in the way, that is exactly the local time
        of the rule.
        """
        start = _utc(start)
        _check_count(n, "days")
        if n == 0:
            return start
        if self.calendar is None:
            return self._advance(start, n * ROUND_DAY, latest=False)
        bare = Clock("business", self.calendar)
        due = bare._same_time_later(start, n)
        if not (self.always_on or self.gaps):
            return due
        return self._advance(start, bare._counted(start, due), latest=True)

    def paused(self, *gaps: Span) -> Clock:
        """The same clock with ``gaps`` added to its pauses: no minute in them counts (L9)."""
        return replace(self, gaps=_merged([*self.gaps, *(_span(g) for g in gaps)]))

    def is_counting(self, instant: datetime) -> bool:
        """True when the minute starting at ``instant`` counts (in hours or a critical period, not paused)."""
        instant = _utc(instant)
        return next(self._runs(instant), (_END_OF_TIME,))[0] == instant

    # -- the walk --

    def _counted(self, a: datetime, b: datetime) -> timedelta:
        """The exact time counted in ``[a, b)``, ``a <= b``."""
        total = timedelta(0)
        for start, end in self._runs(a):
            if start >= b:
                break
            total += min(end, b) - start
        return total

    def _advance(self, start: datetime, need: timedelta, *, latest: bool) -> datetime:
        """Where the clock has counted ``need`` from ``start``: the earliest such instant, or with
        ``latest`` the last one before it counts on (the start of its next run)."""
        if not need and not latest:
            return start
        for run_start, run_end in self._runs(start):
            if run_end - run_start > need or (run_end - run_start == need and not latest):
                return run_start + need
            need -= run_end - run_start
        raise ValueError(f"the clock does not count that far: past {_END_OF_TIME:%Y}")

    def _runs(self, lo: datetime) -> Iterator[Span]:
        """The counted stretches of time from ``lo`` on, in order, disjoint, none empty."""
        if self.calendar is None:
            on: Iterator[Span] = iter([(lo, _END_OF_TIME)])
        else:
            first_day = lo.astimezone(self.calendar.tz).date() - timedelta(days=1)
            windows = _business_windows(self.calendar, first_day)
            on = _union(windows, self.always_on)
        for start, end in _without(on, self.gaps):
            if end > lo:
                yield max(start, lo), end

    def _same_time_later(self, start: datetime, n: int) -> datetime:
        """L7's day target on the bare business calendar: the same local time ``n`` business days on."""
        assert self.calendar is not None
        calendar = self.calendar
        for day, pieces in _business_days(calendar, start.astimezone(calendar.tz).date() - timedelta(days=1)):
            if pieces[-1][1] > start:
                break
        # From the next opening when outside hours; at the day's opening, the opening time itself
        # rather than the wall's reading, so an opening a spring-forward jump skips keeps its name.
        at = max(start, next(a for a, b in pieces if b > start))
        wall = calendar.hours.opens if at == pieces[0][0] else at.astimezone(calendar.tz).time()
        for day, _pieces in _business_days(calendar, day + timedelta(days=1)):
            n -= 1
            if n == 0:
                return _first_reading(day, wall, calendar.tz)
        raise AssertionError("unreachable: _business_days never ends")  # pragma: no cover


def business_clock(calendar: BusinessCalendar, *, always_on: Sequence[Span] = (), gaps: Sequence[Span] = ()) -> Clock:
    """A clock counting the customer's business hours (L7, T4), every minute of its critical periods
    (``always_on``, T5), and no minute of ``gaps`` (L9)."""
    return Clock(
        "business",
        calendar,
        _merged(_span(s) for s in always_on),
        _merged(_span(g) for g in gaps),
    )


def round_the_clock(*, gaps: Sequence[Span] = ()) -> Clock:
    """A 24x7 clock (L7): every real minute counts except those in ``gaps`` (L9)."""
    return Clock("24x7", gaps=_merged(_span(g) for g in gaps))


# -- instants and spans --


def _utc(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"a clock needs time-zone aware instants, got {instant!r}")
    return instant.astimezone(UTC)


def _span(span: Span) -> Span:
    start, end = (_utc(t) for t in span)
    if end < start:
        raise ValueError(f"a span ends before it starts: {start.isoformat()} to {end.isoformat()}")
    return start, end


def _check_count(n: int, unit: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"a clock adds a whole number of {unit}, zero or more, not {n!r}")


def _merged(spans: Iterable[Span]) -> tuple[Span, ...]:
    """``spans`` sorted, with overlapping or touching ones joined and empty ones dropped."""
    return tuple(_coalesce(sorted(s for s in spans if s[0] < s[1])))


def _coalesce(spans: Iterable[Span]) -> Iterator[Span]:
    """Join neighbours of a stream of spans sorted by start that overlap or touch."""
    current: Span | None = None
    for start, end in spans:
        if current is None:
            current = (start, end)
        elif start <= current[1]:
            current = (current[0], max(current[1], end))
        else:
            yield current
            current = (start, end)
    if current is not None:
        yield current


def _union(windows: Iterator[Span], extra: Sequence[Span]) -> Iterator[Span]:
    """The union of an endless sorted stream of windows and a few sorted spans, as a sorted stream."""
    return _coalesce(_interleave(windows, extra))


def _interleave(windows: Iterator[Span], spans: Sequence[Span]) -> Iterator[Span]:
    """Both sorted inputs in one sorted-by-start stream (``windows`` never ends)."""
    i = 0
    for window in windows:
        while i < len(spans) and spans[i][0] <= window[0]:
            yield spans[i]
            i += 1
        yield window


def _without(runs: Iterator[Span], gaps: Sequence[Span]) -> Iterator[Span]:
    """A sorted stream of disjoint spans with sorted, disjoint ``gaps`` cut out."""
    i = 0
    for start, end in runs:
        while i < len(gaps) and gaps[i][1] <= start:
            i += 1
        j = i
        while start < end and j < len(gaps) and gaps[j][0] < end:
            if gaps[j][0] > start:
                yield start, gaps[j][0]
            start = max(start, gaps[j][1])
            j += 1
        if start < end:
            yield start, end


# -- the calendar, a local day at a time --


def _business_windows(calendar: BusinessCalendar, first_day: date) -> Iterator[Span]:
    for _day, pieces in _business_days(calendar, first_day):
        yield from pieces


def _business_days(calendar: BusinessCalendar, first_day: date) -> Iterator[tuple[date, tuple[Span, ...]]]:
    """Each business day from ``first_day`` on with its hours as UTC spans, endlessly (T4)."""
    day, idle = first_day, 0
    while True:
        if calendar.is_business_day(day):
            pieces = _day_hours(calendar.tz, calendar.hours, day)
            if pieces:
                idle = 0
                yield day, pieces
        idle += 1
        if idle > _NO_BUSINESS_DAY:
            raise ValueError(f"no business day in the ten years after {first_day}: check the calendar's holidays")
        day += timedelta(days=1)


@lru_cache(maxsize=8192)
def _day_hours(tz: ZoneInfo, hours: BusinessHours, day: date) -> tuple[Span, ...]:
    """The instants at which the wall clock in ``tz`` reads ``day`` within ``hours``, as sorted UTC spans.

    One span on an ordinary day. On a daylight-saving day each UTC offset in
    force over the window gives the span its wall clock spends in the hours:
    a skipped hour is no time at all, a repeated hour counts as often as the
    clock shows it, and where a repeat ends the hours two stretches can remain.
    """
    opens = datetime.combine(day, hours.opens)
    closes = datetime.combine(day + timedelta(days=1) if hours.closes == time(0) else day, hours.closes)  # 24:00
    offsets = {tz.utcoffset(wall.replace(fold=fold)) or timedelta(0) for wall in (opens, closes) for fold in (0, 1)}
    pieces = (_while_offset(tz, o, (opens - o).replace(tzinfo=UTC), (closes - o).replace(tzinfo=UTC)) for o in offsets)
    return _merged(p for p in pieces if p is not None)


def _while_offset(tz: ZoneInfo, offset: timedelta, start: datetime, end: datetime) -> Span | None:
    """The part of ``[start, end)`` in which ``tz`` is at ``offset`` (one change of offset at most inside)."""
    at_start = start.astimezone(tz).utcoffset() == offset
    at_end = (end - timedelta(microseconds=1)).astimezone(tz).utcoffset() == offset
    if at_start and at_end:
        return start, end
    if at_start:
        return start, _change(tz, start, end)
    if at_end:
        return _change(tz, start, end), end
    return None


def _change(tz: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The instant ``tz`` changes its offset between ``before`` and ``after`` (zones change on a whole second)."""
    offset = before.astimezone(tz).utcoffset()
    low, high = math.floor(before.timestamp()), math.ceil(after.timestamp())
    while high - low > 1:  # an hour's search takes a dozen halvings
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == offset:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def _first_reading(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The first instant at which the wall clock in ``tz`` reads ``day`` at ``wall`` or later.

    For a time that exists that is its first occurrence (``fold=0``, as T6 reads
    an ambiguous time); for a time a spring-forward jump skips, the jump itself.
    """
    local = datetime.combine(day, wall)
    after = local.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if after.astimezone(tz).replace(tzinfo=None) == local:
        return after
    # Skipped: fold=1 reads it with the offset after the jump, an instant before it; fold=0 one after.
    return _change(tz, local.replace(tzinfo=tz, fold=1).astimezone(UTC), after)
