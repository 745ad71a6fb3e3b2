"""T7 overlaps, T8's working day and the search's candidate starts, on plain data."""

from datetime import UTC, datetime, time, timedelta

import pytest

from tamdesk.domain.conflicts import BookedCall, check_overlap, first_overlap, overlapping_ids
from tamdesk.domain.errors import BadInput, Refusal
from tamdesk.domain.slots import candidate_starts
from tamdesk.domain.timezones import zone
from tamdesk.domain.workday import Workday

MADRID = zone("Europe/Madrid")


def utc(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def call(id, day, hour, minute=0, minutes=60, customer="Acme"):
    return BookedCall(id, customer, utc(day, hour, minute), minutes)


def test_t7_back_to_back_is_not_an_overlap_but_one_shared_minute_is():
    booked = [call(1, 24, 9)]  # 09:00-10:00 UTC
    assert first_overlap(utc(24, 10), utc(24, 11), booked) is None  # starts as it ends
    assert first_overlap(utc(24, 8), utc(24, 9), booked) is None  # ends as it starts
    assert first_overlap(utc(24, 9, 59), utc(24, 10, 59), booked) == booked[0]
    assert first_overlap(utc(24, 8, 1), utc(24, 9, 1), booked) == booked[0]


def test_t7_the_refusal_names_the_earliest_overlapping_call_in_the_tam_zone():
    booked = [call(7, 24, 10, customer="Globex"), call(3, 24, 9, 30, customer="Initech")]
    with pytest.raises(Refusal) as refused:
        check_overlap(utc(24, 9, 45), utc(24, 10, 45), booked, MADRID)
    assert refused.value.rule == "T7"
    # 09:30-10:30 UTC is 10:30-11:30 in Madrid (UTC+1 in November)
    assert refused.value.reason == (
        "you already have call 3 with Initech on Tue 2026-11-24 10:30-11:30 Europe/Madrid; calls never overlap."
    )


def test_t7_overlapping_ids_finds_every_call_that_shares_time_even_behind_a_long_one():
    # 1 runs 09:00-12:00; 2 (10:00) and 3 (11:00) sit inside it but not each other... 2 ends 11:00.
    calls = [call(1, 24, 9, minutes=180), call(2, 24, 10), call(3, 24, 11), call(4, 24, 12), call(5, 25, 9)]
    assert overlapping_ids(calls) == {1, 2, 3}


@pytest.mark.parametrize(
    ("typed", "shown", "days"),
    [
        ("Mon-Fri 09:00-18:00", "Mon-Fri 09:00-18:00", {0, 1, 2, 3, 4}),
        ("mon,wed,friday 08:00-16:00", "Mon,Wed,Fri 08:00-16:00", {0, 2, 4}),
        ("Sat-Mon 10:00-24:00", "Mon,Sat-Sun 10:00-24:00", {5, 6, 0}),
    ],
)
def test_t8_a_workday_reads_day_names_and_ranges(typed, shown, days):
    workday = Workday.parse(typed)
    assert workday.days == days and str(workday) == shown


@pytest.mark.parametrize("typed", ["", "Mon-Fri", "9-18", "Mon-Fry 09:00-18:00", "Mo-Fr 09:00-18:00", "Mon-Fri 18:00-09:00"])
def test_t8_a_workday_that_cannot_be_read_is_bad_input(typed):
    with pytest.raises(BadInput, match="as a working day"):
        Workday.parse(typed)


def test_t8_outside_the_day_or_its_hours_says_why_in_the_tam_zone():
    workday = Workday()  # Mon-Fri 09:00-18:00
    assert workday.outside_reasons(utc(24, 16), utc(24, 17), MADRID) == []  # 17:00-18:00 Madrid
    assert workday.outside_reasons(utc(24, 17), utc(24, 18), MADRID) == [
        "outside your working day Mon-Fri 09:00-18:00 Europe/Madrid"
    ]
    # Sunday 29 Nov 10:00 Madrid
    assert workday.outside_reasons(utc(29, 9), utc(29, 10), MADRID) == [
        "on your day off (Sun; you work Mon-Fri 09:00-18:00 Europe/Madrid)"
    ]


def test_candidate_starts_are_each_day_s_clocks_and_the_edges_earliest_first_and_once():
    after = utc(24, 9, 30)
    until = after + timedelta(days=2)
    # 10:00 Madrid is 09:00 UTC: on the 24th it is before ``after``, so only the 25th and 26th.
    starts = candidate_starts(after, until, [(MADRID, time(10)), (UTC, time(9, 30))], [utc(24, 11), utc(24, 11), utc(27, 1)])
    assert starts == [utc(24, 9, 30), utc(24, 11), utc(25, 9), utc(25, 9, 30), utc(26, 9)]


def test_candidate_starts_skip_a_wall_clock_that_does_not_exist():
    # 02:30 on 28 March 2027 does not exist in Madrid (spring forward); the day before it does.
    after = datetime(2027, 3, 27, tzinfo=UTC)
    starts = candidate_starts(after, after + timedelta(days=3), [(MADRID, time(2, 30))])
    assert [s.astimezone(MADRID).day for s in starts] == [27, 29]


@pytest.mark.parametrize(
    "typed, bad",
    [("Mun-Fri 09:00-18:00", "'Mun'"), ("Mon-Fry 09:00-18:00", "'Fry'"), ("Mon,Wex 09:00-18:00", "'Wex'")],
)
def test_t8_an_unknown_day_quotes_the_whole_workday_typed_and_the_day(typed, bad):
    with pytest.raises(BadInput) as refused:
        Workday.parse(typed)
    assert refused.value.message.startswith(f"cannot read {typed!r} as a working day: {bad} is not a weekday")


def test_candidate_starts_take_an_edge_at_the_start_of_the_window_and_none_at_its_end():
    # The window is [after, until): a call ending exactly at `after` frees that instant.
    after, until = utc(24, 10), utc(25, 10)
    assert candidate_starts(after, until, [], [after, until]) == [after]


def test_candidate_days_are_the_clock_zone_s_days_on_a_machine_far_ahead(machine_zone):
    # 20:00 UTC on 23 Nov is 10:00 on the 23rd in Honolulu but already the 24th on Kiritimati (+14):
    # 11:00 Honolulu on the 23rd (21:00 UTC) is in the window and must be tried.
    machine_zone("Pacific/Kiritimati")
    honolulu = zone("Pacific/Honolulu")
    starts = candidate_starts(utc(23, 20), utc(23, 23), [(honolulu, time(11))])
    assert starts == [utc(23, 21)]


def test_candidate_days_are_the_clock_zone_s_days_on_a_machine_far_behind(machine_zone):
    # The window ends 22:00 UTC on 24 Nov, 11:00 on the 25th in Auckland (+13) but still the 24th in Honolulu:
    # 10:00 Auckland on the 25th (21:00 UTC on the 24th) is in the window and must be tried.
    machine_zone("Pacific/Honolulu")
    auckland = zone("Pacific/Auckland")
    starts = candidate_starts(utc(24, 20), utc(24, 22), [(auckland, time(10))])
    assert starts == [utc(24, 21)]
