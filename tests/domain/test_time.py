"""T1, T2, T3, T6: instants, zones, periods and DST."""

import re
from datetime import UTC, date, datetime

import pytest

from tamdesk.domain.errors import BadInput
from tamdesk.domain.periods import iso_week_of, month_of, parse_month, parse_week, period_of_instant, quarter_of
from tamdesk.domain.timezones import is_ambiguous, local_to_utc, parse_datetime, zone

NY = zone("America/New_York")


def test_t1_local_time_becomes_a_utc_instant():
    assert local_to_utc(datetime(2026, 11, 24, 10, 0), NY) == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_t1_unknown_zone_is_bad_input():
    with pytest.raises(BadInput, match="unknown time zone 'Mars/Olympus'"):
        zone("Mars/Olympus")
    with pytest.raises(BadInput):
        zone("../etc/passwd")


def test_t6_spring_forward_gap_is_refused_with_the_time_meant():
    with pytest.raises(BadInput, match=r"T6: 2026-03-08 02:30 does not exist in America/New_York.*03:30"):
        local_to_utc(datetime(2026, 3, 8, 2, 30), NY)


def test_t6_fall_back_fold_takes_the_first_occurrence_unless_told():
    local = datetime(2026, 11, 1, 1, 30)
    assert is_ambiguous(local, NY)
    assert local_to_utc(local, NY) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # EDT, first
    assert local_to_utc(local, NY, fold=1) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # EST, second
    # an explicit offset picks the second occurrence
    assert parse_datetime("2026-11-01T01:30-05:00", NY) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_t6_ten_oclock_stays_ten_oclock_across_the_change():
    before = local_to_utc(datetime(2026, 10, 30, 10), NY)
    after = local_to_utc(datetime(2026, 11, 2, 10), NY)
    assert before.hour == 14 and after.hour == 15  # UTC moves, the wall clock does not
    assert before.astimezone(NY).hour == after.astimezone(NY).hour == 10


def test_parse_datetime_errors_are_clear():
    with pytest.raises(BadInput, match="ISO 8601"):
        parse_datetime("next tuesday", NY)
    with pytest.raises(BadInput, match="no time of day"):
        parse_datetime("2026-11-24", NY)


# The desk's clock: Monday 23 Nov 2026, 02:00 in New York (07:00 UTC, 16:00 in Tokyo).
CLOCK = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "typed, local",
    [
        ("tomorrow 10:00", datetime(2026, 11, 24, 10, 0)),
        ("mon 10:00", datetime(2026, 11, 30, 10, 0)),  # on a Monday, "mon" is next week's (khal)
        ("fri 14:30", datetime(2026, 11, 27, 14, 30)),
        ("Fri 2pm", datetime(2026, 11, 27, 14, 0)),
        ("next week 9:00", datetime(2026, 11, 30, 9, 0)),
        ("+3d 09:30", datetime(2026, 11, 26, 9, 30)),
        ("in 2 days 12am", datetime(2026, 11, 25, 0, 0)),
        ("16:00", datetime(2026, 11, 23, 16, 0)),  # a time alone is today's
        ("2026-11-24 10:00", datetime(2026, 11, 24, 10, 0)),  # ISO, as always
    ],
)
def test_a_datetime_as_people_type_it_is_read_from_the_desks_clock_in_the_zone(typed, local):
    assert parse_datetime(typed, NY, CLOCK) == local_to_utc(local, NY)


def test_the_day_is_counted_in_the_zone_given():
    # At 07:00 UTC it is still Monday 23 in New York but already Monday 16:00 in Tokyo;
    # at 20:00 UTC it is Tuesday 05:00 in Tokyo: "tomorrow" is Wednesday there, Tuesday in New York.
    late = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    tokyo = zone("Asia/Tokyo")
    assert parse_datetime("tomorrow 10:00", tokyo, late) == local_to_utc(datetime(2026, 11, 25, 10, 0), tokyo)
    assert parse_datetime("tomorrow 10:00", NY, late) == local_to_utc(datetime(2026, 11, 24, 10, 0), NY)


def test_t6_holds_for_a_datetime_as_people_type_it():
    # New York springs forward on Sun 8 Mar 2026 (02:00 -> 03:00) and falls back on Sun 1 Nov.
    with pytest.raises(BadInput, match="T6: 2026-03-08 02:30 does not exist"):
        parse_datetime("tomorrow 02:30", NY, datetime(2026, 3, 7, 17, 0, tzinfo=UTC))
    assert parse_datetime("sun 1:30", NY, datetime(2026, 10, 30, 17, 0, tzinfo=UTC)) == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )  # 01:30 EDT (-04:00), the first occurrence


@pytest.mark.parametrize(
    "typed, words",
    [
        ("fri", r"no time of day.*'fri 10:00' \(Fri 2026-11-27 10:00\)"),
        ("fri 10", r"'10' as a time of day.*14:30"),  # a bare number could be a count
        ("tomorrow 25:00", r"'25:00' as a time of day"),
        ("next fri 10:00", r"ambiguous"),
        ("+999999d 10:00", r"1900-2200"),
        ("soon 10:00", r"cannot read 'soon'.*'tomorrow'"),
    ],
)
def test_a_datetime_people_type_badly_is_bad_input_with_an_example(typed, words):
    with pytest.raises(BadInput) as refused:
        parse_datetime(typed, NY, CLOCK)
    assert re.search(words, refused.value.message)


def test_t2_month_edge_is_read_in_the_contract_zone():
    # 23:30 on 30 November in New York is 04:30 on 1 December in UTC
    late = local_to_utc(datetime(2026, 11, 30, 23, 30), NY)
    assert late.month == 12
    assert period_of_instant("month", late, NY).key == "2026-11"
    assert period_of_instant("month", late, zone("UTC")).key == "2026-12"


def test_t2_months_and_quarters():
    assert month_of(date(2026, 12, 31)).next().key == "2027-01"
    assert month_of(date(2026, 1, 1)).prev().key == "2025-12"
    assert month_of(date(2028, 2, 10)).last == date(2028, 2, 29)
    assert quarter_of(date(2026, 11, 22)).key == "2026-Q4"
    assert quarter_of(date(2026, 11, 22)).end == date(2027, 1, 1)


def test_t3_iso_week_runs_monday_to_sunday():
    week = iso_week_of(date(2026, 11, 22))  # a Sunday
    assert week.first == date(2026, 11, 16) and week.last == date(2026, 11, 22)
    assert week.key == "2026-W47"
    assert iso_week_of(date(2027, 1, 1)).key == "2026-W53"


def test_period_parsing():
    assert parse_month("2026-11").first == date(2026, 11, 1)
    assert parse_week("2026-W48").first == date(2026, 11, 23)
    for bad in ("2026-13", "Nov", "2026-1"):
        with pytest.raises(BadInput):
            parse_month(bad)
    with pytest.raises(BadInput):
        parse_week("2026-W54")
