"""L7, L9 (T4, T5): the clocks a case's deadlines run on, at their edges.

Every expectation is worked out by hand from the rule in the comment beside it:
a business clock counts Monday-Friday 09:00-17:00 in the contract zone unless
said otherwise, holidays of the contract's country excluded (T4, L7); a critical
period counts every minute (T5, L7); a pause counts none (L9). Instants are
written as local wall-clock times and compared as UTC instants.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta

import pytest

from tamdesk.domain.business_hours import BusinessCalendar, BusinessHours
from tamdesk.domain.clocks import _day_hours, _first_reading, business_clock, round_the_clock
from tamdesk.domain.timezones import local_to_utc, zone

NY = zone("America/New_York")
MADRID = zone("Europe/Madrid")
US = BusinessCalendar(NY, BusinessHours(), "US")
SPAIN = BusinessCalendar(MADRID, BusinessHours(), "ES")
CLOCK = business_clock(US)


def ny(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0, fold: int = 0) -> datetime:
    """A New York wall-clock time as a UTC instant."""
    return local_to_utc(datetime(y, m, d, hh, mm, ss), NY, fold=fold)


def madrid(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return local_to_utc(datetime(y, m, d, hh, mm), MADRID)


def test_the_premises_of_these_tests():
    # The calendar facts the expectations below rely on, so a changed holidays package fails here first.
    assert US.holiday(date(2026, 11, 26)) == "Thanksgiving Day"
    assert US.holiday(date(2026, 11, 11)) == "Veterans Day"
    assert US.holiday(date(2026, 11, 27)) is None  # the Friday after Thanksgiving is a business day
    assert SPAIN.holiday(date(2026, 12, 8))  # Inmaculada Concepción, a Tuesday
    assert SPAIN.is_business_day(date(2026, 12, 7)) and SPAIN.is_business_day(date(2026, 12, 9))
    assert date(2026, 11, 20).weekday() == 4 and date(2026, 10, 30).weekday() == 4  # Fridays
    assert ny(2026, 10, 30, 12) - ny(2026, 10, 30, 11) == timedelta(hours=1)


# -- counting: minutes_between --


@pytest.mark.parametrize(
    ("a", "b", "minutes"),
    [
        (ny(2026, 11, 24, 10), ny(2026, 11, 24, 11, 30), 90),  # inside Tuesday's hours: 1 h 30
        (ny(2026, 11, 24, 7), ny(2026, 11, 24, 10), 60),  # before the opening: only 09:00-10:00
        (ny(2026, 11, 24, 18), ny(2026, 11, 25, 10), 60),  # after closing: only Wednesday 09:00-10:00
        (ny(2026, 11, 24, 17), ny(2026, 11, 25, 9), 0),  # closing to the next opening: nothing
        (ny(2026, 11, 20, 16), ny(2026, 11, 23, 10), 120),  # Fri 16-17 and Mon 09-10; the weekend is out
        (ny(2026, 11, 21, 10), ny(2026, 11, 22, 15), 0),  # all weekend
        (ny(2026, 11, 25, 16), ny(2026, 11, 27, 10), 120),  # Wed 16-17, Thanksgiving out, Fri 09-10
        (ny(2026, 11, 26, 9), ny(2026, 11, 26, 17), 0),  # Thanksgiving's own hours count nothing
        (ny(2026, 11, 24, 10), ny(2026, 11, 24, 10), 0),  # an empty span
    ],
)
def test_l7_a_business_clock_counts_only_business_hours_on_business_days(a, b, minutes):
    assert CLOCK.minutes_between(a, b) == minutes


def test_l7_counting_backwards_is_negative():
    # Fri 16:00 -> Mon 10:00 is 120 clock minutes (above), so the other way round is -120.
    assert CLOCK.minutes_between(ny(2026, 11, 23, 10), ny(2026, 11, 20, 16)) == -120


def test_l7_a_spanish_holiday_for_a_madrid_customer():
    spain = business_clock(SPAIN)
    # Mon 7 Dec 16:30 -> Wed 9 Dec 10:00: 30 min on Monday, Tuesday 8 is a holiday, 60 min on Wednesday.
    assert spain.minutes_between(madrid(2026, 12, 7, 16, 30), madrid(2026, 12, 9, 10)) == 90
    assert spain.add_minutes(madrid(2026, 12, 7, 16, 30), 60) == madrid(2026, 12, 9, 9, 30)
    # Thanksgiving means nothing in Spain: Thu 26 Nov counts its full 8 hours.
    assert spain.minutes_between(madrid(2026, 11, 26), madrid(2026, 11, 27)) == 480


def test_l7_a_long_span_of_several_weeks():
    # Mon 2 Nov 09:00 -> Mon 7 Dec 09:00 New York: five weeks of 5 weekdays = 25, less Veterans Day
    # (Wed 11 Nov) and Thanksgiving (Thu 26 Nov) = 23 business days x 480 min = 11,040.
    start, end = ny(2026, 11, 2, 9), ny(2026, 12, 7, 9)
    assert CLOCK.minutes_between(start, end) == 11_040
    # Counted forward, the 11,040th minute ends at the last one's closing: Fri 4 Dec 17:00.
    assert CLOCK.add_minutes(start, 11_040) == ny(2026, 12, 4, 17)


def test_l7_seconds_partial_minutes_are_left_out():
    # 59 seconds are 0 clock minutes, 60 are 1 (floored); the same backwards, with the sign.
    assert CLOCK.minutes_between(ny(2026, 11, 24, 10, 0, 30), ny(2026, 11, 24, 10, 1, 29)) == 0
    assert CLOCK.minutes_between(ny(2026, 11, 24, 10, 0, 30), ny(2026, 11, 24, 10, 1, 30)) == 1
    assert CLOCK.minutes_between(ny(2026, 11, 24, 10, 2), ny(2026, 11, 24, 10, 0, 30)) == -1  # 90 s back
    # 16:59:30 + 1 minute: 30 s on Tuesday, the other 30 s from Wednesday's opening.
    assert CLOCK.add_minutes(ny(2026, 11, 24, 16, 59, 30), 1) == ny(2026, 11, 25, 9, 0, 30)
    assert CLOCK.minutes_between(ny(2026, 11, 24, 16, 59, 30), ny(2026, 11, 25, 9, 0, 30)) == 1


def test_l7_an_instant_in_any_offset_is_the_same_instant_and_answers_come_in_utc():
    start = ny(2026, 11, 24, 16, 30)  # 21:30 UTC
    in_madrid = start.astimezone(MADRID)  # 22:30 in Madrid, the same instant
    due = CLOCK.add_minutes(in_madrid, 60)
    assert due == ny(2026, 11, 25, 9, 30) and due.tzinfo is UTC


# -- adding: add_minutes --


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (ny(2026, 11, 24, 10), 30, ny(2026, 11, 24, 10, 30)),  # inside hours
        (ny(2026, 11, 24, 16, 30), 60, ny(2026, 11, 25, 9, 30)),  # 30 today, 30 from tomorrow's opening
        (ny(2026, 11, 24, 7), 30, ny(2026, 11, 24, 9, 30)),  # before hours: from the opening
        (ny(2026, 11, 24, 20), 30, ny(2026, 11, 25, 9, 30)),  # after hours: from the next opening
        (ny(2026, 11, 21, 12), 30, ny(2026, 11, 23, 9, 30)),  # a Saturday: from Monday's opening
        (ny(2026, 11, 26, 10), 30, ny(2026, 11, 27, 9, 30)),  # on Thanksgiving: from Friday's opening
        (ny(2026, 11, 25, 16, 50), 30, ny(2026, 11, 27, 9, 20)),  # 10 on Wed, 20 on Fri over Thanksgiving
        (ny(2026, 11, 24, 16), 60, ny(2026, 11, 24, 17)),  # the earliest instant: the closing itself
    ],
)
def test_l7_adding_clock_minutes(start, n, due):
    assert CLOCK.add_minutes(start, n) == due
    assert CLOCK.minutes_between(start, due) == n


def test_l7_zero_minutes_is_the_start_itself_even_out_of_hours():
    saturday = ny(2026, 11, 21, 12)
    assert CLOCK.add_minutes(saturday, 0) == saturday
    assert round_the_clock().add_minutes(saturday, 0) == saturday


def test_l7_a_response_across_the_end_of_us_daylight_time():
    # Fri 30 Oct 2026 16:30 EDT (20:30 UTC) + 4 clock hours on 09:00-17:00: 30 min on Friday, the weekend
    # (with the change back to EST on Sunday 1 Nov) out, 210 min from Monday's 09:00 EST: 12:30 EST = 17:30 UTC.
    start = ny(2026, 10, 30, 16, 30)
    assert start == datetime(2026, 10, 30, 20, 30, tzinfo=UTC)
    due = CLOCK.add_minutes(start, 240)
    assert due == datetime(2026, 11, 2, 17, 30, tzinfo=UTC)
    # A fixed-step walk of 24 h from Friday 09:00 EDT would open Monday at 08:00 EST and land at 11:30.


def test_l7_a_critical_case_filed_friday_16_50_on_business_hours_and_on_24x7():
    # 30 clock minutes from Fri 20 Nov 16:50: on business hours, 10 on Friday and 20 from Monday's
    # opening (Mon 09:20); on 24x7 (express, 004), 30 real minutes (Fri 17:20).
    filed = ny(2026, 11, 20, 16, 50)
    assert CLOCK.add_minutes(filed, 30) == ny(2026, 11, 23, 9, 20)
    assert round_the_clock().add_minutes(filed, 30) == ny(2026, 11, 20, 17, 20)


def test_l7_the_end_of_european_summer_time_for_a_madrid_customer():
    spain = business_clock(SPAIN)
    # Madrid leaves summer time on Sun 25 Oct 2026. Fri 23 Oct 16:30 CEST (14:30 UTC) + 60: 30 on Friday,
    # 30 from Monday's 09:00 CET: Mon 26 Oct 09:30 CET = 08:30 UTC.
    due = spain.add_minutes(madrid(2026, 10, 23, 16, 30), 60)
    assert due == madrid(2026, 10, 26, 9, 30) == datetime(2026, 10, 26, 8, 30, tzinfo=UTC)


def test_l7_a_24x7_clock_counts_the_25_hours_of_the_night_daylight_time_ends():
    clock = round_the_clock()
    # Sat 31 Oct noon EDT (16:00 UTC) to Sun 1 Nov noon EST (17:00 UTC): 25 real hours = 1500 minutes.
    assert clock.minutes_between(ny(2026, 10, 31, 12), ny(2026, 11, 1, 12)) == 1500
    # Sat 22:00 EDT (02:00 UTC) + 4 real hours = 06:00 UTC, the second 01:00 of the night (EST).
    assert clock.add_minutes(ny(2026, 10, 31, 22), 240) == ny(2026, 11, 1, 1, fold=1)
    assert clock.add_minutes(ny(2026, 10, 31, 22), 240) == datetime(2026, 11, 1, 6, tzinfo=UTC)
    # A day on 24x7 is 1440 real minutes (L7): Sat noon EDT + 1 day = Sun 11:00 EST, not noon.
    assert clock.add_days(ny(2026, 10, 31, 12), 1) == ny(2026, 11, 1, 11)


def test_t4_business_hours_closing_at_midnight():
    late = business_clock(BusinessCalendar(NY, BusinessHours.parse("09:00-24:00"), "US"))
    # Tue 23:30 -> Wed 09:30: the last 30 min of Tuesday (to 24:00) and Wednesday's first 30.
    assert late.minutes_between(ny(2026, 11, 24, 23, 30), ny(2026, 11, 25, 9, 30)) == 60
    # Tue 23:00 + 60: the earliest instant with 60 counted is Tuesday's 24:00, Wednesday 00:00.
    assert late.add_minutes(ny(2026, 11, 24, 23), 60) == ny(2026, 11, 25, 0)
    # Fri 23:30 + 60: 30 to Friday's 24:00, the weekend out, 30 from Monday's 09:00.
    assert late.add_minutes(ny(2026, 11, 20, 23, 30), 60) == ny(2026, 11, 23, 9, 30)
    # A day's window is 15 hours: Tue 09:00 -> Wed 09:00 = 900 minutes.
    assert late.minutes_between(ny(2026, 11, 24, 9), ny(2026, 11, 25, 9)) == 900


def test_t4_round_the_clock_hours_join_across_midnight():
    allday = business_clock(BusinessCalendar(NY, BusinessHours.parse("00:00-24:00"), None))
    # Mon noon -> Tue noon: 24 h; Fri noon -> Mon noon: Friday's last 12 h and Monday's first 12 h.
    assert allday.minutes_between(ny(2026, 11, 23, 12), ny(2026, 11, 24, 12)) == 1440
    assert allday.minutes_between(ny(2026, 11, 20, 12), ny(2026, 11, 23, 12)) == 1440
    assert allday.add_minutes(ny(2026, 11, 23, 23, 30), 60) == ny(2026, 11, 24, 0, 30)


# -- critical periods (T5) --


def test_l7_a_critical_period_turns_a_business_night_into_counted_minutes():
    night = (ny(2026, 11, 20, 17), ny(2026, 11, 21, 1))  # a migration Fri 17:00 -> Sat 01:00
    clock = business_clock(US, always_on=[night])
    # Fri 16:00 -> Mon 10:00: Fri 16-17 (60) + the critical night (480) + Mon 09-10 (60) = 600.
    assert clock.minutes_between(ny(2026, 11, 20, 16), ny(2026, 11, 23, 10)) == 600
    # Fri 16:30 + 60: 30 to the closing, then the critical period counts on: Fri 17:30, not Mon 09:30.
    assert clock.add_minutes(ny(2026, 11, 20, 16, 30), 60) == ny(2026, 11, 20, 17, 30)
    # Sat 00:30 + 60: 30 to the end of the period at 01:00, then Monday's opening: Mon 09:30.
    assert clock.add_minutes(ny(2026, 11, 21, 0, 30), 60) == ny(2026, 11, 23, 9, 30)


def test_t5_a_critical_weekend_across_the_end_of_daylight_time_counts_its_real_minutes():
    # Sat 31 Oct 00:00 EDT -> Mon 2 Nov 00:00 EST is 48 hours on the wall and 49 real ones (the night of
    # 1 Nov repeats 01:00-02:00); a critical period counts them all: 2940 minutes.
    weekend = (ny(2026, 10, 31), ny(2026, 11, 2))
    assert business_clock(US, always_on=[weekend]).minutes_between(*weekend) == 2940


def test_t5_a_critical_period_inside_business_hours_does_not_count_twice():
    clock = business_clock(US, always_on=[(ny(2026, 11, 24, 10), ny(2026, 11, 24, 12))])
    assert clock.minutes_between(ny(2026, 11, 24, 9), ny(2026, 11, 24, 13)) == 240  # just 09:00-13:00
    # A critical period on Thanksgiving counts; the rest of the holiday does not.
    holiday = business_clock(US, always_on=[(ny(2026, 11, 26, 10), ny(2026, 11, 26, 11))])
    assert holiday.minutes_between(ny(2026, 11, 26), ny(2026, 11, 27)) == 60


# -- pauses (L9) --


def test_l9_a_pause_inside_business_hours():
    clock = business_clock(US, gaps=[(ny(2026, 11, 24, 10), ny(2026, 11, 24, 11))])
    # Tue 09:00 -> 12:00 is 180 minutes, less the hour paused: 120.
    assert clock.minutes_between(ny(2026, 11, 24, 9), ny(2026, 11, 24, 12)) == 120
    # Tue 09:30 + 60: 30 before the pause, the pause, 30 after it: 11:30.
    assert clock.add_minutes(ny(2026, 11, 24, 9, 30), 60) == ny(2026, 11, 24, 11, 30)
    # A start inside the pause waits for its end: 10:30 + 15 = 11:15.
    assert clock.add_minutes(ny(2026, 11, 24, 10, 30), 15) == ny(2026, 11, 24, 11, 15)


def test_l9_a_pause_across_business_hours_and_the_night():
    clock = business_clock(US, gaps=[(ny(2026, 11, 24, 16), ny(2026, 11, 25, 10))])
    # Tue 15:00 -> Wed 12:00: Tue 15-16 (60) + Wed 10-12 (120); the paused Tue 16-17 and Wed 09-10 are out.
    assert clock.minutes_between(ny(2026, 11, 24, 15), ny(2026, 11, 25, 12)) == 180
    # The pause costs 2 clock hours, so a 180-minute target from Tue 15:00 (Tue 15-17, Wed 09-10:
    # Wed 10:00 unpaused) moves to Wed 12:00.
    assert CLOCK.add_minutes(ny(2026, 11, 24, 15), 180) == ny(2026, 11, 25, 10)
    assert clock.add_minutes(ny(2026, 11, 24, 15), 180) == ny(2026, 11, 25, 12)


def test_l9_a_pause_beats_a_critical_period_and_pauses_add_up():
    clock = business_clock(
        US,
        always_on=[(ny(2026, 11, 20, 17), ny(2026, 11, 21, 1))],
        gaps=[(ny(2026, 11, 20, 20), ny(2026, 11, 20, 22))],
    )
    # The critical night counts 480 minutes, less the 2 paused hours inside it: 360.
    assert clock.minutes_between(ny(2026, 11, 20, 17), ny(2026, 11, 21, 2)) == 360
    more = clock.paused((ny(2026, 11, 20, 23), ny(2026, 11, 21, 0)), (ny(2026, 11, 20, 21), ny(2026, 11, 20, 23)))
    # The second pause overlaps the first (21-23 against 20-22): 20:00-00:00 paused in all, 4 h: 240 left.
    assert more.minutes_between(ny(2026, 11, 20, 17), ny(2026, 11, 21, 2)) == 240
    assert clock.minutes_between(ny(2026, 11, 20, 17), ny(2026, 11, 21, 2)) == 360  # the original is unchanged


def test_l9_a_24x7_clock_with_a_pause():
    clock = round_the_clock(gaps=[(ny(2026, 11, 21, 2), ny(2026, 11, 21, 5))])
    # Sat 00:00 -> 06:00 is 6 real hours, 3 of them paused.
    assert clock.minutes_between(ny(2026, 11, 21), ny(2026, 11, 21, 6)) == 180
    assert clock.add_minutes(ny(2026, 11, 21, 1), 120) == ny(2026, 11, 21, 6)  # 60 before, 60 after 05:00
    # A pause that ends as another begins is one pause; an empty pause changes nothing.
    two_to_three, three_to_five = (ny(2026, 11, 21, 2), ny(2026, 11, 21, 3)), (ny(2026, 11, 21, 3), ny(2026, 11, 21, 5))
    joined = round_the_clock().paused(two_to_three, three_to_five)
    assert joined.gaps == clock.gaps
    assert clock.paused((ny(2026, 11, 21, 8), ny(2026, 11, 21, 8))).gaps == clock.gaps


def test_is_counting_says_whether_the_clock_runs():
    clock = business_clock(US, gaps=[(ny(2026, 11, 24, 10), ny(2026, 11, 24, 11))])
    assert clock.is_counting(ny(2026, 11, 24, 9))
    assert not clock.is_counting(ny(2026, 11, 24, 10, 30))  # paused
    assert clock.is_counting(ny(2026, 11, 24, 11))  # a pause's end is counted again
    assert not clock.is_counting(ny(2026, 11, 24, 17))  # the closing is outside hours
    assert not clock.is_counting(ny(2026, 11, 26, 12))  # Thanksgiving


# -- day targets (L7) --


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (ny(2026, 11, 24, 16, 50), 1, ny(2026, 11, 25, 16, 50)),  # inside hours: the same time next business day
        (ny(2026, 11, 25, 16, 50), 1, ny(2026, 11, 27, 16, 50)),  # Wednesday + 1 over Thanksgiving: Friday
        (ny(2026, 11, 20, 16, 50), 1, ny(2026, 11, 23, 16, 50)),  # Friday + 1: Monday
        (ny(2026, 11, 20, 18), 1, ny(2026, 11, 24, 9)),  # Fri 18:00 counts from Mon 09:00: Tue 09:00
        (ny(2026, 11, 21, 12), 1, ny(2026, 11, 24, 9)),  # Saturday counts from Monday's opening too
        (ny(2026, 11, 17, 7), 1, ny(2026, 11, 18, 9)),  # before Tuesday's opening: from 09:00, so Wed 09:00
        (ny(2026, 11, 17, 17), 1, ny(2026, 11, 19, 9)),  # at the closing (outside [09:00, 17:00)): Thu 09:00
        (ny(2026, 11, 17, 9), 2, ny(2026, 11, 19, 9)),  # at the opening: two days on
        (ny(2026, 11, 24, 10), 4, ny(2026, 12, 1, 10)),  # Tue + 4: Wed, (Thu holiday) Fri, Mon, Tue
        (ny(2026, 10, 30, 10), 1, ny(2026, 11, 2, 10)),  # across the DST change: 10:00 EDT -> 10:00 EST
        (ny(2026, 11, 24, 10, 15, 30), 1, ny(2026, 11, 25, 10, 15, 30)),  # seconds are kept
    ],
)
def test_l7_day_targets_on_a_business_clock(start, n, due):
    assert CLOCK.add_days(start, n) == due


def test_l7_day_targets_across_the_end_of_daylight_time_keep_the_local_time():
    # Fri 30 Oct 10:00 EDT is 14:00 UTC; Mon 2 Nov 10:00 EST is 15:00 UTC: the local time stays, UTC moves.
    assert CLOCK.add_days(ny(2026, 10, 30, 10), 1) == datetime(2026, 11, 2, 15, tzinfo=UTC)


def test_l7_day_targets_across_a_spanish_holiday():
    spain = business_clock(SPAIN)
    # Mon 7 Dec 10:00 + 1 business day: Tuesday 8 is a holiday, so Wednesday 9 at 10:00 Madrid time.
    assert spain.add_days(madrid(2026, 12, 7, 10), 1) == madrid(2026, 12, 9, 10)


def test_l7_day_targets_with_hours_closing_at_midnight_and_over_a_long_weekend():
    late = business_clock(BusinessCalendar(NY, BusinessHours.parse("09:00-24:00"), "US"))
    # Tue 23:30 is inside 09:00-24:00: + 1 day is Wed 23:30.
    assert late.add_days(ny(2026, 11, 24, 23, 30), 1) == ny(2026, 11, 25, 23, 30)
    # Wed 25 Nov 11:00 + 2 on 09:00-17:00: Thanksgiving out, Fri 27 is one, the weekend out, Mon 30 is two.
    assert CLOCK.add_days(ny(2026, 11, 25, 11), 2) == ny(2026, 11, 30, 11)


def test_l7_zero_days_is_the_start():
    assert CLOCK.add_days(ny(2026, 11, 21, 12), 0) == ny(2026, 11, 21, 12)
    assert round_the_clock().add_days(ny(2026, 11, 21, 12), 0) == ny(2026, 11, 21, 12)


def test_l9_a_pause_moves_a_day_target_by_the_clock_minutes_paused():
    start = ny(2026, 11, 17, 10)  # Tue 10:00 + 1 day is due Wed 10:00 unpaused
    # One hour paused inside hours: due one clock hour later, Wed 11:00.
    inside = CLOCK.paused((ny(2026, 11, 17, 14), ny(2026, 11, 17, 15)))
    assert inside.add_days(start, 1) == ny(2026, 11, 18, 11)
    # Paused overnight outside hours: no clock minute paused, the target stays.
    overnight = CLOCK.paused((ny(2026, 11, 17, 18), ny(2026, 11, 18, 8)))
    assert overnight.add_days(start, 1) == ny(2026, 11, 18, 10)
    # Paused Wed 09:00-12:00, across the unpaused due time: 3 clock hours paused, so Wed 13:00.
    across = CLOCK.paused((ny(2026, 11, 18, 9), ny(2026, 11, 18, 12)))
    assert across.add_days(start, 1) == ny(2026, 11, 18, 13)
    # Paused Tue 16:00 -> Wed 10:00: Tue 16-17 and Wed 09-10, 2 clock hours: due Wed 12:00.
    night = CLOCK.paused((ny(2026, 11, 17, 16), ny(2026, 11, 18, 10)))
    assert night.add_days(start, 1) == ny(2026, 11, 18, 12)


def test_l7_a_day_target_from_outside_hours_stays_at_the_opening_with_a_pause_out_of_hours():
    # Mon 08:00 + 1 day counts from Mon 09:00 and is due Tue 09:00; a pause at 08:00-08:30 pauses
    # no clock minute, and the clock reaches its 480 minutes at Mon 17:00: the target is where it
    # counts on, Tue 09:00 (the same clock moment, the local time L7 names).
    clock = CLOCK.paused((ny(2026, 11, 23, 8), ny(2026, 11, 23, 8, 30)))
    assert clock.add_days(ny(2026, 11, 23, 8), 1) == ny(2026, 11, 24, 9)


def test_l7_a_critical_period_counts_every_minute_toward_a_day_target():
    # Fri 16:00 + 1 business day holds 480 business minutes (Fri 16-17, Mon 09-16). With a critical
    # period Fri 17:00 -> Sat 01:00 counting every minute, the clock has 60 + 420 of them at Sat 00:00.
    clock = business_clock(US, always_on=[(ny(2026, 11, 20, 17), ny(2026, 11, 21, 1))])
    assert CLOCK.add_days(ny(2026, 11, 20, 16), 1) == ny(2026, 11, 23, 16)
    assert clock.add_days(ny(2026, 11, 20, 16), 1) == ny(2026, 11, 21, 0)
    # Filed Sat 10:00 inside a weekend-long critical period (Fri 17:00 -> Mon 09:00): the bare day target
    # counts from Monday's opening (Tue 09:00, 480 business minutes), and the critical weekend counts
    # those 480 minutes from Saturday 10:00 on: Sat 18:00.
    weekend = business_clock(US, always_on=[(ny(2026, 11, 20, 17), ny(2026, 11, 23, 9))])
    assert weekend.add_days(ny(2026, 11, 21, 10), 1) == ny(2026, 11, 21, 18)


def test_l7_a_day_target_on_a_24x7_clock_with_a_pause():
    # 1440 real minutes, plus the 2 paused hours: Sat 10:00 + 1 day = Sun 12:00.
    clock = round_the_clock(gaps=[(ny(2026, 11, 21, 13), ny(2026, 11, 21, 15))])
    assert clock.add_days(ny(2026, 11, 21, 10), 1) == ny(2026, 11, 22, 12)


# -- daylight-saving readings of a day's window --


def test_a_skipped_wall_time_is_read_at_the_jump_and_an_ambiguous_one_at_its_first_occurrence():
    # 8 Mar 2026, New York jumps from 02:00 EST (07:00 UTC) to 03:00 EDT: 02:30 never shows;
    # the wall clock first reads 02:30 or later at the jump itself, 07:00 UTC.
    assert _first_reading(date(2026, 3, 8), time(2, 30), NY) == datetime(2026, 3, 8, 7, tzinfo=UTC)
    # 1 Nov 2026, 01:30 happens twice; the first time is EDT, 05:30 UTC.
    assert _first_reading(date(2026, 11, 1), time(1, 30), NY) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_a_window_opening_inside_a_spring_forward_jump_opens_at_the_jump():
    # New York jumps on a Sunday, never a business day, so the day's window is read directly.
    (opens, closes), = _day_hours(NY, BusinessHours.parse("02:30-04:00"), date(2026, 3, 8))
    # Opens at the jump (07:00 UTC); closes at 04:00 EDT = 08:00 UTC: one real hour, as the wall shows.
    assert (opens, closes) == (datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 3, 8, 8, tzinfo=UTC))


CAIRO = zone("Africa/Cairo")


def cairo_hours(text: str, day: date) -> list[tuple[datetime, datetime]]:
    return list(_day_hours(CAIRO, BusinessHours.parse(text), day))


def test_t4_hours_on_weekdays_a_zone_changes_its_clocks():
    # Cairo changes on weekdays: on Fri 24 Apr 2026 the wall jumps from 00:00 (EET, UTC+2) to 01:00
    # (EEST, UTC+3), at 22:00 UTC on the 23rd; on Thu 29 Oct 2026 it goes back from 24:00 EEST to 23:00
    # EET, at 21:00 UTC, so 23:00-24:00 shows twice that Thursday.
    # 00:30-17:00 on the jump's day: 00:30 never shows, the hours run from the jump (the wall's 01:00)
    # to 17:00 EEST = 14:00 UTC: 16 h, as the wall's 01:00-17:00.
    assert cairo_hours("00:30-17:00", date(2026, 4, 24)) == [
        (datetime(2026, 4, 23, 22, tzinfo=UTC), datetime(2026, 4, 24, 14, tzinfo=UTC))
    ]
    # 09:00-23:30 on the repeat's day: 09:00-23:30 EEST (06:00-20:30 UTC), and once the wall is back at
    # 23:00 EET, 23:00-23:30 again (21:00-21:30 UTC): 14 h 30 + 30 min = 15 h.
    assert cairo_hours("09:00-23:30", date(2026, 10, 29)) == [
        (datetime(2026, 10, 29, 6, tzinfo=UTC), datetime(2026, 10, 29, 20, 30, tzinfo=UTC)),
        (datetime(2026, 10, 29, 21, tzinfo=UTC), datetime(2026, 10, 29, 21, 30, tzinfo=UTC)),
    ]
    # 09:00-24:00 that Thursday holds both passes of 23:00-24:00: 06:00 to 22:00 UTC, 16 h.
    clock = business_clock(BusinessCalendar(CAIRO, BusinessHours.parse("09:00-24:00")))
    thursday = local_to_utc(datetime(2026, 10, 29), CAIRO), local_to_utc(datetime(2026, 10, 30), CAIRO)
    assert clock.minutes_between(*thursday) == 960


# -- bad use --


def test_bad_use_is_refused_loudly():
    with pytest.raises(ValueError, match="aware"):
        CLOCK.minutes_between(datetime(2026, 11, 24, 10), ny(2026, 11, 24, 11))
    with pytest.raises(ValueError, match="zero or more"):
        CLOCK.add_minutes(ny(2026, 11, 24, 10), -1)
    with pytest.raises(ValueError, match="zero or more"):
        CLOCK.add_days(ny(2026, 11, 24, 10), -1)
    with pytest.raises(ValueError, match="ends before it starts"):
        CLOCK.paused((ny(2026, 11, 24, 11), ny(2026, 11, 24, 10)))


def test_a_24x7_clock_stops_at_the_end_of_its_range_with_an_error():
    # Four billion minutes is over 7,600 years: past the year 9000 where counting stops.
    with pytest.raises(ValueError, match="does not count that far"):
        round_the_clock().add_minutes(ny(2026, 11, 24), 4_000_000_000)


def test_a_calendar_without_business_days_is_an_error_not_a_hang():
    def closed_all_year(code: str, year: int) -> dict[date, str]:
        return {date(year, 1, 1) + timedelta(days=i): "closed" for i in range(366)}

    every_day = BusinessCalendar(NY, BusinessHours(), "XX", holiday_years=closed_all_year)
    with pytest.raises(ValueError, match="no business day"):
        business_clock(every_day).add_minutes(ny(2026, 11, 24, 10), 1)


def test_the_clock_module_imports_only_the_standard_library_and_the_domain():
    # Run in a fresh interpreter: what importing the module adds to it is what it costs the CLI.
    code = (
        "import sys; before = set(sys.modules); import tamdesk.domain.clocks; "
        "print('\\n'.join(n for n in set(sys.modules) - before if n.split('.')[0] not in sys.stdlib_module_names))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "tamdesk.domain.clocks" in loaded  # the probe sees what it loads
    # _sysconfigdata_* is the standard library's own (sysconfig's), named per platform, so not listed.
    outside = [n for n in loaded if n != "tamdesk" and not n.startswith(("tamdesk.domain", "_sysconfigdata_"))]
    assert outside == []
