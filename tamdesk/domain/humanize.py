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

from datetime import date, datetime, time, timedelta, timezone

from tamdesk.domain.errors import BadInput
from tamdesk.domain.values import MAX_NAME, check_year, read_text, shown

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


_EXAMPLE = "use YYYY-MM-DD such as 2026-11-24, or a day relative to today such as 'in 2 days' or '3 weeks ago'"


def read_date(text: str, today: date) -> date:
    """A date a person typed: ISO ``YYYY-MM-DD``, or relative to ``today`` ("in 2 days", "a week ago").

    The one reader of typed dates, for the CLI's options and the desk's date
    fields. A relative date moves by whole days, weeks, months or years: "in 3
    hours" is not a date and is bad input, as is anything else unread.
    """
    typed = read_text(text, "a date", limit=MAX_NAME)
    try:
        found = date.fromisoformat(typed)
    except ValueError:
        pass
    else:
        check_year(found.year, typed)
        return found
    import arrow

    # Midnight UTC of ``today``: shifting it by days never meets a DST change.
    base = arrow.get(datetime.combine(today, time(), timezone.utc))
    try:
        moved = base.dehumanize(typed.lower(), locale=LOCALE)
    except (ValueError, OverflowError):
        raise BadInput(f"cannot read {shown(typed)} as a date: {_EXAMPLE}") from None
    check_year(moved.year, typed)
    if moved.time() != time():
        raise BadInput(f"{shown(typed)} is not a whole number of days away: {_EXAMPLE}")
    return moved.date()
