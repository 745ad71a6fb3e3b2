"""B1-B3 at the cap's edges and P1's cadence in the TAM's weeks: decisions on plain data.

Every figure is worked out from the rule: a cap of 10 h is 600 minutes (B2), hours are
shown with two decimals, B3 averages the last four weeks, and P1's weeks are the TAM's
ISO weeks (T3), Monday 00:00 to Sunday 24:00 in the TAM's zone, not the machine's (UTC).
"""

from datetime import UTC, datetime, timedelta

import pytest

from tamdesk.domain.budget import CustomerWeek, check_budget, consistently_over, hours
from tamdesk.domain.cadence import cadence_warning
from tamdesk.domain.caseload import decide_open
from tamdesk.domain.errors import NeedsConfirmation, Refusal
from tamdesk.domain.timezones import local_to_utc, zone

AUCKLAND = zone("Pacific/Auckland")  # 13 h ahead of UTC in November (NZDT)


def test_b2_one_minute_over_the_cap_is_over():
    # A cap of 10 h is 600 minutes: 601 is over, 600 is not.
    assert CustomerWeek(601, 0, cap_hours=10).over
    assert not CustomerWeek(600, 0, cap_hours=10).over
    assert CustomerWeek(540, 0, cap_hours=10).over_after(61)


def test_b2_the_question_names_the_cap_the_week_and_the_room_left():
    # 9 h logged + 1 h 30 booked = 10.5 h of a 10 h cap; adding 30 min makes 11.0 h. The
    # week is already past the cap, so there is no room left: 0.0 h, never a negative or
    # a made-up minute.
    week = CustomerWeek(logged_minutes=9 * 60, booked_minutes=90, cap_hours=10)
    with pytest.raises(NeedsConfirmation) as asked:
        check_budget(week, 30, customer="Acme", week_key="2026-W48", confirmed=False)
    assert (asked.value.rule, asked.value.exception) == ("B2", "over budget")
    assert str(asked.value) == (
        "B2: Acme would have 11.0 h in 2026-W48, over the weekly cap of 10.0 h (10.5 h already "
        "logged or booked). Confirm to keep it marked over budget, or keep to 0.0 h this week."
    )


def test_b3_one_minute_a_week_over_on_average_is_consistently_over():
    assert consistently_over([601] * 4, 10)
    assert not consistently_over([600] * 4, 10)


def test_hours_are_shown_with_two_decimals():
    assert (hours(10), hours(90), hours(1)) == (0.17, 1.5, 0.02)


def test_c2_an_empty_queue_is_first_in_line():
    # Without a position the case would be the first to wait (an empty queue).
    with pytest.raises(Refusal) as refused:
        decide_open(30, 30, queue=False)
    assert refused.value.instead == "Queue it (it would be number 1 in the queue), or resolve a case first."


def test_p1_weeks_are_the_tam_s_not_the_machine_s():
    # Monday 08:00 and Friday 10:00 in Auckland are one ISO week for an Auckland TAM: two
    # sessions in it crowd a weekly cadence. In UTC the Monday is still Sunday 19:00, the
    # week before, and the two would look a week apart.
    monday = local_to_utc(datetime(2026, 11, 23, 8), AUCKLAND)
    friday = local_to_utc(datetime(2026, 11, 27, 10), AUCKLAND)
    assert monday.weekday() == 6  # Sunday in UTC
    now = monday - timedelta(days=3)
    warning = cadence_warning("Acme", "weekly", [friday, monday], AUCKLAND, now)
    assert warning is not None
    assert warning.text == "2 sessions in your week 2026-W48, but the plan's cadence is weekly: consider moving one."


def test_p1_a_session_starting_now_has_begun_and_is_not_warned_about():
    # S2: a call has begun once now reaches its start; only a later session still ahead is warned about.
    earlier = datetime(2026, 11, 23, 9, tzinfo=UTC)
    later = datetime(2026, 11, 25, 9, tzinfo=UTC)
    assert cadence_warning("Acme", "weekly", [earlier, later], UTC, now=later) is None
    assert cadence_warning("Acme", "weekly", [earlier, later], UTC, now=later - timedelta(minutes=1)) is not None
