"""VTIMEZONE components as Outlook and Google write them: yearly RRULE observances (X1).

A zone's offset changes are found by asking Python's ``zoneinfo`` (the IANA
database) six days apart, then narrowed to the minute. Changes of one kind (same
offsets, name, month and wall-clock time) in consecutive years that fall on the
same rule ("the last Sunday", "the second Sunday", "the 21st") become one
STANDARD or DAYLIGHT observance with ``RRULE:FREQ=YEARLY``; a rule that stops
gets an UNTIL, one that still holds at the end of the scan is left open so
clients carry it on for ever. A change that happened once is an observance
with a DTSTART and no rule. Nothing is written as a list of RDATEs, which
Outlook ignores and ical.js and vobject read only the first value of.

Only the observances that matter from ``first_year`` on are kept: those still
in force then or later, and the one in force when that year begins, so a
zone without daylight saving today (Asia/Kolkata, America/Sao_Paulo) comes out
as a single STANDARD observance with no rule.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

#: The rules are read from 1970 (the epoch of most clients' own tables) to this
#: year at least: far enough to tell "the last Sunday" from "the fourth Sunday".
_SCAN_FROM = 1970
_SCAN_TO = 2037

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Change:
    """One offset change of a zone."""

    at: datetime  # the instant, UTC
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool

    @property
    def wall(self) -> datetime:
        """The wall-clock time of the change in the offset it leaves (how DTSTART is written)."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    def patterns(self) -> set[tuple[str, int, int]]:
        """The yearly rules this day fits: ("nth", n, weekday), ("last", -1, weekday), ("day", day, 0)."""
        day = self.wall.date()
        found = {("nth", (day.day - 1) // 7 + 1, day.weekday()), ("day", day.day, 0)}
        if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
            found.add(("last", -1, day.weekday()))
        return found


@dataclass
class _Series:
    """Changes of one kind in consecutive years that share a yearly rule."""

    changes: list[Change]
    patterns: set[tuple[str, int, int]] = field(default_factory=set)

    @property
    def first(self) -> Change:
        return self.changes[0]

    @property
    def last(self) -> Change:
        return self.changes[-1]

    def takes(self, change: Change) -> bool:
        return change.wall.year == self.last.wall.year + 1 and bool(self.patterns & change.patterns())

    def add(self, change: Change) -> None:
        self.changes.append(change)
        self.patterns &= change.patterns()


_NO_DST = timedelta(0)


def _state(tz: ZoneInfo, seconds: int) -> tuple[timedelta, str, bool]:
    """The zone's offset, name and daylight flag at ``seconds`` after the Unix epoch."""
    local = datetime.fromtimestamp(seconds, tz)
    # Daylight when the zone says its clocks are ahead of standard; Dublin's negative "winter time" is standard.
    return local.utcoffset() or _NO_DST, local.tzname() or "", (local.dst() or _NO_DST) > _NO_DST


#: Offset changes are looked for six days apart, then narrowed to the minute.
#: The shortest offset since 1970 lasted a week (Brazil's north-east, October
#: 2000); checked against a 12-hour scan of every zone in the IANA database.
_STEP = 6 * 24 * 3600


@lru_cache(maxsize=64)
def zone_changes(key: str, last_year: int = _SCAN_TO) -> tuple[Change, ...]:
    """Every offset change of zone ``key`` from 1970 to the end of ``last_year``.

    The scan counts in whole seconds and minutes rather than datetimes: the
    same changes for every IANA zone, in 60% of the time (about 6 ms a zone).
    """
    tz = ZoneInfo(key)
    instant = int(datetime(_SCAN_FROM, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(last_year + 1, 1, 1, tzinfo=UTC).timestamp())
    state = _state(tz, instant)
    changes = []
    while instant < end:
        following = instant + _STEP
        new_state = _state(tz, following)
        if new_state == state:
            instant = following
            continue
        low, high = instant // 60, following // 60  # minutes; the first change after ``instant`` is in (low, high]
        while high - low > 1:
            middle = (low + high) // 2
            if _state(tz, middle * 60) == state:
                low = middle
            else:
                high = middle
        instant = high * 60
        new_state = _state(tz, instant)
        changes.append(Change(datetime.fromtimestamp(instant, UTC), state[0], new_state[0], new_state[1], new_state[2]))
        state = new_state  # a second change in the same week is found from here
    return tuple(changes)


def _series(changes: tuple[Change, ...]) -> list[_Series]:
    """Group changes into yearly series, each with the rules all its changes fit."""
    done: list[_Series] = []
    open_: dict[tuple[object, ...], _Series] = {}
    for change in changes:
        kind = (change.daylight, change.offset_from, change.offset_to, change.name, change.wall.month, change.wall.time())
        series = open_.get(kind)
        if series is not None and series.takes(change):
            series.add(change)
            continue
        if series is not None:
            done.append(series)
        open_[kind] = _Series([change], change.patterns())
    done.extend(open_.values())
    return sorted(done, key=lambda s: s.first.at)


def _rrule(series: _Series, open_ended: bool) -> dict[str, object] | None:
    if len(series.changes) == 1 and not open_ended:
        return None
    rule: dict[str, object] = {"freq": "yearly", "bymonth": series.first.wall.month}
    # The weekday rules are how the big clients write them; prefer "last" to "nth" when both fit.
    for kind in ("last", "nth", "day"):
        chosen = sorted(p for p in series.patterns if p[0] == kind)
        if chosen:
            _, number, weekday = chosen[0]
            if kind == "day":
                rule["bymonthday"] = number
            else:
                rule["byday"] = f"{number}{_DAYS[weekday]}"
            break
    if not open_ended:
        rule["until"] = series.last.at.astimezone(UTC)
    return rule


def vtimezone(key: str, first_year: int, last_year: int = _SCAN_TO) -> Timezone:
    """The VTIMEZONE of IANA zone ``key`` for events from ``first_year`` on."""
    scan_to = max(last_year, _SCAN_TO)
    changes = zone_changes(key, scan_to)
    component = Timezone()
    component.add("tzid", key)
    start = datetime(first_year, 1, 1, tzinfo=UTC)
    all_series = _series(changes)
    # Every series still running after ``start``, and the one whose change is in force at ``start``.
    earlier = [c for c in changes if c.at <= start]
    in_force = next((s for s in all_series if earlier and earlier[-1] in s.changes), None)
    kept = [s for s in all_series if s.last.at >= start or s is in_force]
    if not kept:
        component.add_component(_fixed(key, start))
        return component
    for series in kept:
        open_ended = series.last.wall.year == scan_to and len(series.changes) > 1
        observance = TimezoneDaylight() if series.first.daylight else TimezoneStandard()
        observance.add("tzname", series.first.name)
        observance.add("tzoffsetfrom", series.first.offset_from)
        observance.add("tzoffsetto", series.first.offset_to)
        observance.add("dtstart", series.first.wall)
        rule = _rrule(series, open_ended)
        if rule is not None:
            observance.add("rrule", rule)
        component.add_component(observance)
    return component


def _fixed(key: str, start: datetime) -> TimezoneStandard:
    """The one observance of a zone that did not change its offset since 1970."""
    offset, name, _ = _state(ZoneInfo(key), int(start.timestamp()))
    observance = TimezoneStandard()
    observance.add("tzname", name)
    observance.add("tzoffsetfrom", offset)
    observance.add("tzoffsetto", offset)
    observance.add("dtstart", datetime.combine(datetime(_SCAN_FROM, 1, 1).date(), time(0)))
    return observance
