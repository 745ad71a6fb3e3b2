"""L7, L9: invariants of the clocks over random calendars, critical periods, pauses and instants.

Calendars are drawn from zones with daylight saving (at night, at a weekend's
or a weekday's midnight) and one without, hours that may close at 24:00, and
countries with holidays or none. The number of examples follows the
Hypothesis profile of ``tests/conftest.py`` (a short run in the fast loop).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tamdesk.domain.business_hours import BusinessCalendar, BusinessHours, holiday_year
from tamdesk.domain.clocks import Clock, business_clock, round_the_clock
from tamdesk.domain.timezones import zone

#: Zones with daylight saving at night (New York, Madrid, Sydney), at a weekend's midnight (Santiago)
#: and at a weekday's midnight (Cairo), and one without (Kolkata).
ZONES = ("America/New_York", "Europe/Madrid", "Australia/Sydney", "America/Santiago", "Africa/Cairo", "Asia/Kolkata")
#: Instants are drawn from two years around the DST changes of 2026 and 2027.
EARLY, LATE = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 12, 31, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
#: Examples as many as the profile says; no deadline, as the machine is shared and timings vary.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def holidays_of(code: str, year: int) -> dict[date, str]:
    """The ``holidays`` package's year, read once for all examples (a calendar reads it once per instance)."""
    return holiday_year(code, year)


@st.composite
def hours(draw: st.DrawFn) -> BusinessHours:
    """A daily window on the half hour; a close of 24:00 is drawn as often as any other."""
    opens = draw(st.integers(0, 46))  # half hours from 00:00 to 23:00
    closes = draw(st.integers(opens + 1, 48))
    as_time = lambda half: time(0) if half == 48 else time(half // 2, 30 * (half % 2))  # noqa: E731
    return BusinessHours(as_time(opens), as_time(closes))


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    country = draw(st.sampled_from([None, "US", "ES"]))
    return BusinessCalendar(zone(draw(st.sampled_from(ZONES))), draw(hours()), country, holidays_of)


def _changes() -> list[datetime]:
    """The days the drawn zones change their clocks in the drawn years (found, not typed in)."""
    found = []
    for name in ZONES:
        noon = [EARLY + timedelta(days=i, hours=12) for i in range((LATE - EARLY).days)]
        offsets = [t.astimezone(zone(name)).utcoffset() for t in noon]
        found += [noon[i] for i in range(1, len(noon)) if offsets[i] != offsets[i - 1]]
    return found


#: DST changes of the drawn zones: instants cluster around them, where a day is not 24 hours long.
CHANGES = _changes()


def instants(*, seconds: bool = True) -> st.SearchStrategy[datetime]:
    """UTC instants, half anywhere in the drawn years and half within three days of a DST change;
    with ``seconds`` to the microsecond, else on whole minutes."""
    anywhere = st.datetimes(EARLY.replace(tzinfo=None), LATE.replace(tzinfo=None)).map(lambda t: t.replace(tzinfo=UTC))
    near = st.tuples(st.sampled_from(CHANGES), st.integers(-3 * 86_400_000_000, 3 * 86_400_000_000))
    moments = anywhere | near.map(lambda p: p[0] + timedelta(microseconds=p[1]))
    if not seconds:
        moments = moments.map(lambda t: t.replace(second=0, microsecond=0))
    return moments


def spans(*, seconds: bool = True) -> st.SearchStrategy[list[tuple[datetime, datetime]]]:
    """Up to three spans of up to four days each (critical periods or pauses)."""
    length = st.integers(0, 4 * 1440).map(lambda m: m * MINUTE)
    one = st.tuples(instants(seconds=seconds), length).map(lambda p: (p[0], p[0] + p[1]))
    return st.lists(one, max_size=3)


@st.composite
def clocks(draw: st.DrawFn, *, seconds: bool = True) -> Clock:
    gaps = draw(spans(seconds=seconds))
    if draw(st.booleans()):
        return round_the_clock(gaps=gaps)
    return business_clock(draw(calendars()), always_on=draw(spans(seconds=seconds)), gaps=gaps)


def wall_minutes(a: datetime, b: datetime) -> int:
    """Whole real minutes from ``a`` to ``b``, floored as the clock floors."""
    return (b - a) // MINUTE


@relaxed
@given(clocks(), instants(), instants(), st.integers(0, 3 * 1440).map(lambda m: m * MINUTE))
def test_counting_never_decreases_as_the_end_moves_on_and_never_exceeds_real_time(clock, t, u, later):
    t, u = min(t, u), max(t, u)
    counted = clock.minutes_between(t, u)
    assert 0 <= counted <= wall_minutes(t, u)
    assert clock.minutes_between(t, u + later) >= counted
    assert clock.minutes_between(u, t) == -counted


@relaxed
@given(clocks(), instants(), st.integers(0, 6000), st.integers(0, 600))
def test_adding_then_counting_gives_back_n_at_the_earliest_instant(clock, t, n, more):
    due = clock.add_minutes(t, n)
    assert due >= t
    assert clock.minutes_between(t, due) == n
    if n:  # the earliest: a microsecond sooner, the n-th minute is not yet full
        assert clock.minutes_between(t, due - timedelta(microseconds=1)) == n - 1
    assert clock.add_minutes(t, n + more) >= due  # monotonic in n


@relaxed
@given(st.data(), instants(seconds=False), st.integers(0, 3 * 1440))
def test_counting_agrees_with_a_minute_by_minute_reading_of_the_rule(data, t, span):
    # The rule read literally, minute by minute: a minute counts unless paused (L9), and on a
    # business clock only inside a critical period (T5) or inside the day's hours on a business day
    # (T4), the hours read on the wall clock of the contract zone (an hour the wall shows twice
    # counts twice, a skipped one not at all). Critical periods and pauses are drawn around the span.
    around = st.tuples(st.integers(-1440, 4 * 1440), st.integers(0, 2 * 1440))
    nearby = st.lists(around.map(lambda p: (t + p[0] * MINUTE, t + (p[0] + p[1]) * MINUTE)), max_size=3)
    gaps, critical = data.draw(nearby), data.draw(nearby.filter(bool))
    calendar = data.draw(st.one_of(calendars(), calendars(), st.none()))  # None, a third as often: 24x7
    clock = round_the_clock(gaps=gaps) if calendar is None else business_clock(calendar, always_on=critical, gaps=gaps)
    u = t + span * MINUTE

    def counts(x: datetime) -> bool:
        if any(a <= x < b for a, b in gaps):
            return False
        if calendar is None or any(a <= x < b for a, b in critical):
            return True
        local = x.astimezone(calendar.tz)
        hours = calendar.hours
        in_hours = hours.opens <= local.time() and (hours.closes == time(0) or local.time() < hours.closes)
        return in_hours and calendar.is_business_day(local.date())

    expected = sum(counts(t + i * MINUTE) for i in range(span))
    assert clock.minutes_between(t, u) == expected


@relaxed
@given(calendars(), instants(), st.integers(1, 6))
def test_a_day_target_is_the_same_local_time_on_a_later_business_day(calendar, t, n):
    # L7: due at the same local time n business days later, a start outside hours counting from
    # the next opening; so the due time is inside hours, on a business day after the start's.
    clock = business_clock(calendar)
    due = clock.add_days(t, n)
    local = due.astimezone(calendar.tz)
    assert clock.is_counting(due) and calendar.is_business_day(local.date())
    # The start's business day: its own, or the next opening's (where the first minute's count begins).
    opening = t if clock.is_counting(t) else clock.add_minutes(t, 1) - MINUTE
    start_day = opening.astimezone(calendar.tz).date()
    assert len(calendar.business_days(start_day, local.date())) == n  # n business days on
    # The local time of the start, or of the opening it counts from: the opening time, or the wall's
    # reading where that time was skipped (a jump at the opening) or the hours resume (a repeated hour).
    assert local.time() in {opening.astimezone(calendar.tz).time(), *([] if opening == t else [calendar.hours.opens])}


@relaxed
@given(calendars(), instants(), st.integers(1, 6), spans(), spans())
def test_pauses_only_delay_a_day_target_and_critical_periods_only_bring_it_forward(calendar, t, n, pauses, critical):
    bare = business_clock(calendar).add_days(t, n)
    # A pause long before the start pauses nothing: the walk by minutes gives the local-time answer.
    nothing = ((EARLY - timedelta(days=400), EARLY - timedelta(days=399)),)
    assert business_clock(calendar, gaps=nothing).add_days(t, n) == bare
    assert business_clock(calendar, gaps=pauses).add_days(t, n) >= bare
    assert business_clock(calendar, always_on=critical).add_days(t, n) <= bare
