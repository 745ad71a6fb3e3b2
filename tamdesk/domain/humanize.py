"""Instants and dates as people say them: "in 18 minutes", "3 days ago" (STYLE: ages and deadlines).

Human output only: JSON keeps UTC ISO 8601. The clock is always a parameter
(the desk's ``now``, fixed by ``--now`` or a test), never read here. The words
are arrow's (``humanize`` and its reverse, ``dehumanize``), so what the desk
writes is what a TAM can type back as a date.

``arrow`` is imported inside each function: importing it costs some 70 ms
(``python -X importtime -c "import arrow"``), which commands that print no
human ages and read no relative dates (``tamdesk week --json``) never pay.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from tamdesk.domain.errors import BadInput
from tamdesk.domain.values import MAX_NAME, check_year, read_text, shown

# The patterns below stay strings, compiled (and cached by ``re``) on first use: every
# command imports this module, most never read a typed date.

#: The desk speaks English; arrow has the words of other locales once the desk does too.
LOCALE = "en"


def relative(instant: datetime, now: datetime) -> str:
    """``instant`` seen from ``now``: "in 18 minutes", "2 hours ago", "just now"."""
    import arrow

    return arrow.get(instant).humanize(arrow.get(now), locale=LOCALE)


def age(since: datetime, now: datetime) -> str:
    """How long from ``since`` to ``now``, without "ago": "18 minutes", "3 days"; under a minute, "just now".

    From a week on it counts days ("10 days", "20 days"): arrow alone would
    round 10 days to "a week" and 15 to "a month", too coarse to weigh a
    case's age by.
    """
    distance = now - since
    if distance < timedelta(minutes=1):
        return "just now"
    import arrow

    granularity = "day" if distance >= timedelta(weeks=1) else "auto"
    return arrow.get(since).humanize(arrow.get(now), locale=LOCALE, only_distance=True, granularity=granularity)


_EXAMPLE = (
    "use YYYY-MM-DD such as 2026-11-24, or a day as people say it: 'today', 'tomorrow', "
    "'fri' (the next one), 'next week', '+3d', 'in 2 days' or '3 weeks ago'"
)

#: Weekday names as a khal or timewarrior user types them, to Python's weekday number.
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}

#: Days from today of the words that name one day.
_NAMED_DAYS = {"today": 0, "tomorrow": 1, "yesterday": -1}

#: ``+3d``, ``-2w``: timewarrior's short distances, in days or weeks.
_SHIFT = r"([+-]?)(\d{1,6})\s*([a-z]+)"
_SHIFT_UNITS = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "week": 7, "weeks": 7}

#: 24/11, 11/24/2026, 24.11.26: day-month or month-day is a guess the desk does not make.
_SLASHED = r"\d{1,4}[/.]\d{1,2}(?:[/.]\d{1,4})?"


def read_date(text: str, today: date) -> date:
    """A date a person typed: ISO ``YYYY-MM-DD``, or a day relative to ``today``.

    The one reader of typed dates, for the CLI's options and the desk's date
    fields. Besides ISO it reads what a khal or timewarrior user types:
    ``today``, ``tomorrow``, ``yesterday``, a weekday name (``mon``,
    ``friday``: the next one, a week ahead on that very day, as khal reads
    it), ``next week`` (its Monday, SPEC T3), ``+3d`` / ``-2w``, and arrow's
    words ("in 2 days", "a week ago"). Guesses are refused with an example:
    ``next fri`` (this coming one or a week later?), ``3d`` (ahead or ago?),
    ``+3m`` (minutes or months?), ``11/12`` (day or month first?). A relative
    date moves by whole days: "in 3 hours" is not a date and is bad input.
    """
    typed = read_text(text, "a date", limit=MAX_NAME)
    try:
        found = date.fromisoformat(typed)
    except ValueError:
        pass
    else:
        check_year(found.year, typed)
        return found
    said = " ".join(typed.lower().split())
    day = _said_day(said, typed, today)
    if day is None:
        day = _dehumanized(said, typed, today)
    check_year(day.year, typed)
    return day


def _said_day(said: str, typed: str, today: date) -> date | None:
    """The day the khal / timewarrior words name; None when they are not such words."""
    if said in _NAMED_DAYS:
        return _shifted(today, _NAMED_DAYS[said], typed)
    if said in WEEKDAYS:
        return coming(WEEKDAYS[said], today)
    if said == "next week":
        return today + timedelta(days=7 - today.weekday())
    first, _, rest = said.partition(" ")
    if first in ("next", "this") and rest in WEEKDAYS:
        near = coming(WEEKDAYS[rest], today)
        raise BadInput(
            f"{shown(typed)} is ambiguous: type {rest!r} for the coming one ({near:%a %Y-%m-%d}) "
            f"or the date, such as {near + timedelta(days=7):%Y-%m-%d} for the one after"
        )
    shift = re.fullmatch(_SHIFT, said)
    if shift is not None:
        sign, count, unit = shift.groups()
        if unit not in _SHIFT_UNITS:
            if unit == "m":
                raise BadInput(
                    f"{shown(typed)} is ambiguous (minutes or months?): type 'in {count} months' or a date such as 2026-11-24"
                )
            return None
        if not sign:
            raise BadInput(f"{shown(typed)} is ambiguous (ahead or ago?): type '+{count}{unit}' or '-{count}{unit}'")
        days = int(count) * _SHIFT_UNITS[unit] * (-1 if sign == "-" else 1)
        return _shifted(today, days, typed)
    if re.fullmatch(_SLASHED, said):
        raise BadInput(f"{shown(typed)} is ambiguous (day or month first?): {_EXAMPLE}")
    return None


def coming(weekday: int, today: date) -> date:
    """The next day after ``today`` that falls on ``weekday`` (0 is Monday): a week ahead on that very day."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _shifted(today: date, days: int, typed: str) -> date:
    try:
        return today + timedelta(days=days)
    except OverflowError:
        check_year(0, typed)  # the message says which years the desk keeps
        raise


def _dehumanized(said: str, typed: str, today: date) -> date:
    """Arrow's words ("in 2 days", "a week ago"), read from ``today``; else bad input."""
    import arrow

    # Midnight UTC of ``today``: shifting it by days never meets a DST change.
    base = arrow.get(datetime.combine(today, time(), timezone.utc))
    try:
        moved = base.dehumanize(said, locale=LOCALE)
    except (ValueError, OverflowError):
        raise BadInput(f"cannot read {shown(typed)} as a date: {_EXAMPLE}") from None
    check_year(moved.year, typed)
    if moved.time() != time():
        raise BadInput(f"{shown(typed)} is not a whole number of days away: {_EXAMPLE}")
    return moved.date()


#: A time of day: ``10:00``, ``9:30``, ``14h``, ``2pm``, ``2:30 pm``.
_CLOCK = r"(\d{1,2})(?::(\d{2})|h)?\s*([ap]m)?"


def read_clock(text: str) -> time | None:
    """A time of day a person typed (``10:00``, ``14:30``, ``2pm``); None when the text is not one.

    A bare number ("10") is not a time: it could be a day or a count.
    """
    clock = re.fullmatch(_CLOCK, text.strip().lower())
    if clock is None:
        return None
    hours, minutes, half = clock.groups()
    if minutes is None and half is None and not text.strip().lower().endswith("h"):
        return None
    hour, minute = int(hours), int(minutes or 0)
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
