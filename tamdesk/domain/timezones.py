"""Time zones and instants (SPEC T1, T6).

Every instant the desk keeps is an aware UTC ``datetime`` (T1). People type
local wall-clock times; ``local_to_utc`` turns them into instants and refuses
a wall-clock time that does not exist in the zone (the spring-forward gap),
while an ambiguous one (the fall-back fold) takes its first occurrence unless
the text carries an offset that says otherwise (T6).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tamdesk.domain.errors import BadInput
from tamdesk.domain.values import MAX_NAME, check_year, read_text, shown

#: The longest IANA zone name is 32 characters; a file name cannot pass 255.
MAX_ZONE_NAME = 64


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone called ``name``; an unknown name is bad input.

    Remembered: ``ZoneInfo``'s own cache holds only the eight zones used last
    once nothing else does, so a desk with customers in more zones than that
    would read the zone files again on every screen.
    """
    unknown = f"unknown time zone {shown(name)}: use an IANA name such as Europe/Madrid"
    # IANA names are short ASCII paths; anything else would reach the file system as a path.
    if not name or len(name) > MAX_ZONE_NAME or not name.isascii() or name.startswith(("/", ".")) or ".." in name:
        raise BadInput(unknown)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise BadInput(unknown) from None


def local_to_utc(local: datetime, tz: ZoneInfo, *, fold: int = 0) -> datetime:
    """The UTC instant of a naive wall-clock time in ``tz`` (T6).

    A time inside a spring-forward gap raises ``BadInput`` naming the gap and
    the nearest valid times; in a fall-back fold, ``fold=0`` is the first
    occurrence and ``fold=1`` the second.
    """
    if local.tzinfo is not None:
        raise ValueError("local_to_utc takes a naive wall-clock time")
    instant = local.replace(tzinfo=tz, fold=fold).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local:
        # In a gap, fold=0 reads the time with the offset from before the change,
        # which lands the same distance past the gap: the time a person most
        # likely meant.
        later = local.replace(tzinfo=tz, fold=0).astimezone(UTC).astimezone(tz)
        raise BadInput(
            f"T6: {local:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks jump "
            f"forward for daylight saving at that hour; choose {later:%H:%M} "
            f"or a time outside the skipped hour"
        )
    return instant


def is_ambiguous(local: datetime, tz: ZoneInfo) -> bool:
    """True when the wall-clock time occurs twice in ``tz`` (a fall-back fold)."""
    first = local.replace(tzinfo=tz, fold=0).utcoffset()
    second = local.replace(tzinfo=tz, fold=1).utcoffset()
    return first != second and not _in_gap(local, tz)


def _in_gap(local: datetime, tz: ZoneInfo) -> bool:
    return local.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) != local


_DATETIME_EXAMPLE = "use ISO 8601 such as 2026-11-24T10:00, or a day and a time such as 'tomorrow 10:00' or 'fri 14:30'"

#: A date and a time of day typed together: "tomorrow 10:00", "fri 2pm", "in 2 days 09:30", "2026-11-24 10:00".
_DAY_AND_CLOCK = r"(?i)(?:(.*?)(?:\s+|(?<=\d)t))?(\d{1,2}(?::\d{2}|h)?\s*(?:[ap]m)?)"  # compiled on first use


def parse_datetime(text: str, tz: ZoneInfo, now: datetime | None = None) -> datetime:
    """A date-time typed by a person, as a UTC instant.

    ISO 8601 always: without an offset it is a wall-clock time in ``tz`` (T6
    applies); with one (``Z`` or ``+01:00``) it is an exact instant. Given the
    desk's clock ``now``, also a day as ``read_date`` reads it, counted in
    ``tz``, followed by a time of day: ``tomorrow 10:00``, ``fri 14:30``,
    ``+3d 9am``; a time alone is today's. Such a time is a wall-clock time in
    ``tz``, read by the same T6 rules.
    """
    typed = read_text(text, "a date and time", limit=MAX_NAME)
    try:
        parsed = datetime.fromisoformat(typed)
    except ValueError:
        if now is None:
            raise BadInput(f"cannot read {shown(typed)} as a date and time: {_DATETIME_EXAMPLE}") from None
        return local_to_utc(_said_datetime(typed, now.astimezone(tz).date()), tz)
    check_year(parsed.year, typed)
    if parsed.tzinfo is None:
        if len(typed) <= 10:
            raise BadInput(f"{shown(typed)} has no time of day: {_DATETIME_EXAMPLE}")
        return local_to_utc(parsed, tz)
    return parsed.astimezone(UTC)


def _said_datetime(typed: str, today: date) -> datetime:
    """A naive wall-clock time from a day as people say it and a time of day."""
    from tamdesk.domain.humanize import read_clock, read_date

    found = re.fullmatch(_DAY_AND_CLOCK, typed)
    if found is None:
        day = read_date(typed, today)  # a day alone is bad input below; a bad day says why here
        raise BadInput(f"{shown(typed)} has no time of day: add one, such as '{typed} 10:00' ({day:%a %Y-%m-%d} 10:00)")
    clock = read_clock(found.group(2))
    if clock is None:
        raise BadInput(f"cannot read {shown(found.group(2))} as a time of day: use HH:MM such as 14:30, or 2pm")
    day_text = (found.group(1) or "").strip()
    day = read_date(day_text, today) if day_text else today
    return datetime.combine(day, clock)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    """The calendar date of ``instant`` on a wall clock in ``tz``."""
    return instant.astimezone(tz).date()


def start_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant at which ``day`` begins in ``tz``.

    Where midnight falls in a gap (some zones change clocks at 00:00) the day
    begins at the moment of the change, which ``fold=0`` gives.
    """
    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
