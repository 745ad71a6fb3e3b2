"""T1, T2, T3, T6: instants, zones, periods and DST."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tamdesk.domain.errors import BadInput
from tamdesk.domain.periods import (
    Period,
    iso_week_of,
    month_of,
    parse_month,
    parse_week,
    period_containing,
    period_of_instant,
    quarter_of,
)
from tamdesk.domain.timezones import is_ambiguous, local_to_utc, parse_datetime, start_of_day, zone
from tamdesk.domain.values import MAX_NAME

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


def test_t2_t3_each_period_knows_its_kind_and_its_bounds():
    # A period is its first day, its exclusive end and its kind (T2 months and quarters,
    # T3 ISO weeks); two periods with the same days but another kind are not equal.
    assert iso_week_of(date(2026, 11, 22)) == Period(date(2026, 11, 16), date(2026, 11, 23), "week")
    # Q4 runs from 1 Oct to 1 Jan, the whole of its first month included.
    assert period_containing("quarter", date(2026, 11, 22)) == Period(date(2026, 10, 1), date(2027, 1, 1), "quarter")
    assert period_containing("month", date(2026, 11, 22)) == Period(date(2026, 11, 1), date(2026, 12, 1), "month")


def test_t2_a_period_s_bounds_as_instants_are_read_in_the_zone():
    # November in New York begins at midnight EDT (04:00 UTC) and ends at midnight EST on
    # 1 Dec (05:00 UTC): the DST change in between shifts the end by an hour.
    november = month_of(date(2026, 11, 1))
    assert november.start_utc(NY) == datetime(2026, 11, 1, 4, tzinfo=UTC)
    assert november.end_utc(NY) == datetime(2026, 12, 1, 5, tzinfo=UTC)


def test_parse_month_and_week_take_every_month_and_say_what_to_type():
    # January and December are months too (1 <= MM <= 12).
    assert parse_month("2026-01") == Period(date(2026, 1, 1), date(2026, 2, 1), "month")
    assert parse_month("2026-12") == Period(date(2026, 12, 1), date(2027, 1, 1), "month")
    with pytest.raises(BadInput, match=r"^cannot read '2026-00' as a month: use YYYY-MM such as 2026-11$"):
        parse_month("2026-00")
    with pytest.raises(BadInput, match=r"^cannot read '2026-W54' as a week: use YYYY-Www such as 2026-W48$"):
        parse_week("2026-W54")


def test_t1_instants_come_back_in_utc_whatever_the_machine_s_zone(machine_zone):
    machine_zone("Asia/Tokyo")  # +09:00: an instant left in the machine's zone would carry it
    # T1: every instant is kept in UTC. The same instant at +09:00 compares equal, so the
    # offset itself is checked: a value in the machine's zone would carry +09:00.
    made = [
        local_to_utc(datetime(2026, 11, 24, 10), NY),
        parse_datetime("2026-11-24T10:00", NY),
        parse_datetime("2026-11-24T10:00+01:00", NY),
        start_of_day(date(2026, 11, 24), NY),
    ]
    assert [(m, m.utcoffset()) for m in made] == [
        (datetime(2026, 11, 24, 15, tzinfo=UTC), timedelta(0)),
        (datetime(2026, 11, 24, 15, tzinfo=UTC), timedelta(0)),
        (datetime(2026, 11, 24, 9, tzinfo=UTC), timedelta(0)),
        (datetime(2026, 11, 24, 5, tzinfo=UTC), timedelta(0)),
    ]


def test_t6_ambiguous_only_in_the_fall_back_hour():
    # A plain afternoon occurs once; a spring-forward time occurs never (T6 refuses it):
    # neither is ambiguous. The fall-back hour is, whichever occurrence the value carries.
    assert not is_ambiguous(datetime(2026, 11, 24, 15), NY)
    assert not is_ambiguous(datetime(2026, 3, 8, 2, 30), NY)
    assert is_ambiguous(datetime(2026, 11, 1, 1, 30, fold=1), NY)


def test_t6_the_gap_suggestion_does_not_depend_on_the_fold_the_time_carries():
    # 02:30 does not exist on 8 Mar in New York; the time meant is 03:30 (read with the
    # offset from before the change), even for a naive value that carries fold=1.
    with pytest.raises(BadInput, match=r"choose 03:30 or a time outside"):
        local_to_utc(datetime(2026, 3, 8, 2, 30, fold=1), NY)
    with pytest.raises(ValueError, match=r"^local_to_utc takes a naive wall-clock time$"):
        local_to_utc(datetime(2026, 3, 8, 2, 30, tzinfo=UTC), NY)


def test_parse_datetime_reads_basic_iso_and_names_what_it_reads():
    # ISO 8601's basic form with an hour, 11 characters, carries a time of day: 10:00 New York.
    assert parse_datetime("20261124T10", NY) == datetime(2026, 11, 24, 15, tzinfo=UTC)
    # A date and time is a short name-sized field (at most MAX_NAME characters).
    with pytest.raises(BadInput, match=rf"^a date and time is {MAX_NAME + 1} characters long; at most {MAX_NAME} fit$"):
        parse_datetime("2" * (MAX_NAME + 1), NY)
    with pytest.raises(BadInput, match=r"^a date and time holds control characters; type plain text$"):
        parse_datetime("2026-11-24T10:00\x07", NY)
