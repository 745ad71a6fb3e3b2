"""Ages and relative dates as people say them, with the clock as a parameter (STYLE; arrow's words)."""

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tamdesk.domain.errors import BadInput
from tamdesk.domain.humanize import age, read_date, relative

# A fixed instant years from the real clock: an answer that read the clock would be years off.
NOW = datetime(2031, 3, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "offset, said",
    [
        (timedelta(minutes=18), "in 18 minutes"),  # a call soon
        (timedelta(hours=-2), "2 hours ago"),  # a call that began and was not marked
        (timedelta(days=-3), "3 days ago"),
        (timedelta(0), "just now"),
    ],
)
def test_relative_says_when_from_the_given_now(offset, said):
    assert relative(NOW + offset, NOW) == said


def test_relative_reads_the_instant_not_its_zone():
    # 10:18 at +01:00 is 09:18 UTC: 18 minutes after NOW, whatever offset it is written with.
    assert relative(datetime(2031, 3, 10, 10, 18, tzinfo=timezone(timedelta(hours=1))), NOW) == "in 18 minutes"


@pytest.mark.parametrize(
    "ago, said",
    [
        (timedelta(seconds=59), "just now"),  # under a minute: no "59 seconds" in an age column
        (timedelta(minutes=1), "a minute"),
        (timedelta(hours=5), "5 hours"),
        (timedelta(days=3), "3 days"),
        (timedelta(days=6, hours=23), "6 days"),
        # From a week on, days: arrow alone says "a week" for 10 days and "a month" for 15.
        (timedelta(days=10), "10 days"),
        (timedelta(days=15, hours=3), "15 days"),
    ],
)
def test_age_is_a_distance_without_ago(ago, said):
    assert age(NOW - ago, NOW) == said


TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    "typed, day",
    [
        ("2026-11-24", date(2026, 11, 24)),  # ISO, as always
        ("in 2 days", date(2026, 11, 25)),
        ("2 days ago", date(2026, 11, 21)),
        ("  In 2 Days ", date(2026, 11, 25)),  # as typed: any case, stray spaces
        ("in a week", date(2026, 11, 30)),
        ("3 weeks ago", date(2026, 11, 2)),
        ("in 8 days", date(2026, 12, 1)),  # across a month's end
    ],
)
def test_read_date_takes_iso_and_relative_days(typed, day):
    assert read_date(typed, TODAY) == day


def test_read_date_counts_whole_days_across_a_dst_change():
    # Madrid and New York change clocks on 25 Oct / 1 Nov 2026: a day is still a day.
    assert read_date("in 2 days", date(2026, 10, 24)) == date(2026, 10, 26)
    assert read_date("2 days ago", date(2026, 11, 2)) == date(2026, 10, 31)


@pytest.mark.parametrize("typed", ["soon", "23/11/2026", "in 3 hours", "", "2026-13-01", "+3h"])
def test_read_date_refuses_the_rest_naming_examples(typed):
    with pytest.raises(BadInput, match=r"2026-11-24.*'in 2 days'"):
        read_date(typed, TODAY)


# TODAY is Monday 23 Nov 2026; each expected day is counted on the calendar from it.
@pytest.mark.parametrize(
    "typed, day",
    [
        ("today", TODAY),
        ("Tomorrow", date(2026, 11, 24)),
        ("yesterday", date(2026, 11, 22)),
        ("fri", date(2026, 11, 27)),  # the coming Friday
        ("Friday", date(2026, 11, 27)),
        ("tue", date(2026, 11, 24)),
        ("sun", date(2026, 11, 29)),
        ("mon", date(2026, 11, 30)),  # on a Monday, "mon" is a week ahead, as khal reads it
        ("next week", date(2026, 11, 30)),  # the Monday of the next ISO week (T3)
        ("+3d", date(2026, 11, 26)),
        ("+1w", date(2026, 11, 30)),
        ("-2w", date(2026, 11, 9)),
        ("+10 days", date(2026, 12, 3)),
    ],
)
def test_read_date_takes_what_a_khal_or_timewarrior_user_types(typed, day):
    assert read_date(typed, TODAY) == day


def test_next_week_is_next_mondays_on_any_day():
    assert read_date("next week", date(2026, 11, 29)) == date(2026, 11, 30)  # a Sunday: tomorrow's week
    assert read_date("thu", date(2026, 11, 29)) == date(2026, 12, 3)


@pytest.mark.parametrize(
    "typed, example",
    [
        ("next fri", r"'fri' for the coming one \(Fri 2026-11-27\).*2026-12-04"),  # this Friday or the one after?
        ("this friday", r"'friday' for the coming one"),
        ("3d", r"'\+3d' or '-3d'"),  # ahead or ago?
        ("+3m", r"'in 3 months'"),  # minutes or months?
        ("11/12", r"day or month first.*2026-11-24"),
        ("11.12.2026", r"day or month first"),
    ],
)
def test_read_date_refuses_a_guess_with_an_example(typed, example):
    with pytest.raises(BadInput, match="ambiguous") as refused:
        read_date(typed, TODAY)
    assert re.search(example, refused.value.message)


@pytest.mark.parametrize("typed", ["+999999d", "-999999d", "+99999w"])
def test_read_date_keeps_the_years_it_keeps(typed):
    with pytest.raises(BadInput, match="1900-2200"):
        read_date(typed, TODAY)


def test_an_age_of_exactly_a_week_counts_days():
    # "From a week on it counts days": seven days is "7 days", not arrow's rounded "a week".
    now = datetime(2026, 11, 23, 8, tzinfo=UTC)
    assert age(now - timedelta(weeks=1), now) == "7 days"


def test_a_typed_date_is_a_name_sized_field_and_says_so():
    today = date(2026, 11, 23)
    from tamdesk.domain.values import MAX_NAME

    with pytest.raises(BadInput, match=rf"^a date is {MAX_NAME + 1} characters long; at most {MAX_NAME} fit$"):
        read_date("2" * (MAX_NAME + 1), today)
    with pytest.raises(BadInput, match=r"^a date holds control characters; type plain text$"):
        read_date("in 2 days\x07", today)
