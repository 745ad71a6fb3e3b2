"""S1, S2, S5, S6: every refusal of a call's life cycle, its rule, its words and its edges.

A refusal's text is what the CLI prints and the TUI shows (``RULE: reason instead``);
each expectation below is written out from the rule it names and the values passed in,
so a wrong rule id, a lost "what to do instead" or a wrong date in the text fails.
The instants are chosen so that the New York date differs from the UTC date: a date
read in the machine's zone (UTC here) instead of the contract's shows up.
"""

from datetime import UTC, datetime, timedelta

import pytest

from tamdesk.domain.calls import (
    MoveRequest,
    cancellation_effect,
    check_bookable,
    check_cancel,
    check_length,
    check_mark,
    check_move,
)
from tamdesk.domain.errors import BadInput, Refusal
from tamdesk.domain.timezones import local_to_utc, zone

NY = zone("America/New_York")
NOW = datetime(2026, 11, 2, 12, tzinfo=UTC)


def ny(month, day, hour=10):
    return local_to_utc(datetime(2026, month, day, hour), NY)


def refusal(check, *args, **kwargs) -> Refusal:
    with pytest.raises(Refusal) as refused:
        check(*args, **kwargs)
    return refused.value


def move(status="scheduled", start=None, new=None, by="tam", uses_allowance=True):
    return MoveRequest(status, start or ny(11, 20), new or ny(11, 24), by, uses_allowance)


# --- S1 length ---------------------------------------------------------------------


def test_s1_one_minute_is_a_call_and_the_refusal_says_how_to_book_the_rest():
    check_length(1)  # "more than 0 minutes": the shortest call there is
    with pytest.raises(BadInput, match=r"^a call must last at least 1 minute, not 0$"):
        check_length(0)
    too_long = refusal(check_length, 61)
    assert str(too_long) == (
        "S1: a working session lasts at most 60 minutes; 61 were asked for. "
        "Book 60 minutes, and a second session for the rest."
    )


# --- S2 booking, marking, cancelling -----------------------------------------------


def test_s2_a_call_may_start_now_but_not_a_minute_before():
    check_bookable(NOW, NOW)  # "starts now or later"
    passed = refusal(check_bookable, NOW - timedelta(minutes=1), NOW)
    assert (passed.rule, passed.exit_code) == ("S2", 3)
    assert str(passed) == (
        "S2: the call would start at Mon 2026-11-02 11:59 UTC, which has passed. "
        "Choose a time from now on (to record the past, back-date with --now)."
    )


def test_s2_marks_refused_name_the_status_and_what_to_do():
    held = refusal(check_mark, "held", NOW - timedelta(hours=2), NOW, "no-show")
    assert str(held) == "S2: the call is held; only a scheduled call can be marked no-show."
    early = refusal(check_mark, "scheduled", NOW + timedelta(hours=1), NOW, "held")
    assert str(early) == (
        "S2: the call starts at Mon 2026-11-02 13:00 UTC and has not begun; it cannot be marked held yet. "
        "Mark it once it has started, or move or cancel it."
    )


def test_s2_cancel_refusals_name_the_rule_and_what_to_do():
    twice = refusal(check_cancel, "cancelled-by-customer", NOW + timedelta(days=1), NOW)
    assert str(twice) == "S2: the call is already cancelled-by-customer."
    started = refusal(check_cancel, "scheduled", NOW, NOW)
    assert str(started) == (
        "S2: the call has already started; it cannot be cancelled. "
        "Mark it held, or no-show if the customer did not come."
    )


# --- S2 moves ----------------------------------------------------------------------


def test_s2_a_scheduled_call_moves_until_it_starts_a_cancelled_one_at_any_time():
    # A scheduled call that began cannot move (at its start, now == start, it has begun).
    started = refusal(check_move, move(start=NOW, new=ny(11, 24)), now=NOW, kind="month", tz=NY)
    assert str(started) == "S2: the call has already started; it cannot move. Mark it held or no-show."
    check_move(move(start=NOW + timedelta(minutes=1)), now=NOW, kind="month", tz=NY)
    # A call cancelled in the past is booked again by moving it: its old start does not matter.
    past = NOW - timedelta(days=1)
    check_move(move(status="cancelled-by-tam", start=past, new=ny(11, 24)), now=NOW, kind="month", tz=NY)


def test_s2_the_new_time_may_be_now_but_not_before():
    check_move(move(new=NOW), now=NOW, kind="month", tz=NY)
    passed = refusal(check_move, move(new=NOW - timedelta(minutes=1)), now=NOW, kind="month", tz=NY)
    assert str(passed) == "S2: the new time has passed. Choose a time from now on."
    held = refusal(check_move, move(status="no-show"), now=NOW, kind="month", tz=NY)
    assert str(held) == "S2: the call is no-show; a held call cannot move."


def test_calls_outside_the_allowance_move_across_months_whoever_asks():
    # S5/S6 bind only calls that use a unit: a review call outside the allowance (csm's
    # QBR) moves to any month, even when the plan has a period.
    review = move(by="customer", new=local_to_utc(datetime(2027, 2, 3, 10), NY), uses_allowance=False)
    assert check_move(review, now=NOW, kind="month", tz=NY) is None
    # A plan without a period (kind None) has no month to keep either.
    assert check_move(move(by="customer", new=ny(12, 3)), now=NOW, kind=None, tz=NY) is None


def test_s5_the_appointment_s_month_is_read_in_the_contract_zone():
    # 30 Nov 22:00 New York is 1 Dec 03:00 UTC: the appointment is a November one (T2), so
    # a customer's move to 25 Nov stays inside its month. Read in UTC it would be December.
    late = local_to_utc(datetime(2026, 11, 30, 22), NY)
    assert check_move(move(start=late, new=ny(11, 25), by="customer"), now=NOW, kind="month", tz=NY) is None


def test_s5_refusal_names_the_month_its_dates_and_the_days_left():
    # Moved by the customer from 20 Nov to 1 Dec 21:00 New York, which is already 2 Dec in
    # UTC: the text must say 2026-12-01 (contract zone), and offer November from today
    # (2 Nov, later than 1 Nov) to its last day.
    new = local_to_utc(datetime(2026, 12, 1, 21), NY)
    refused = refusal(check_move, move(by="customer", new=new), now=NOW, kind="month", tz=NY)
    assert str(refused) == (
        "S5: a session moved by the customer may be booked again only inside 2026-11, the month of its "
        "appointment; 2026-12-01 is in 2026-12. Choose a time in 2026-11 (from 2026-11-02 to 2026-11-30)."
    )
    # Late in the evening of 1 Nov New York (2 Nov UTC), "from" is still 1 Nov for the contract.
    evening = local_to_utc(datetime(2026, 11, 1, 22), NY)
    refused = refusal(check_move, move(by="customer", new=new), now=evening, kind="month", tz=NY)
    assert refused.instead == "Choose a time in 2026-11 (from 2026-11-01 to 2026-11-30)."


def test_s6_refusal_names_the_next_month_and_the_date_in_the_contract_zone():
    # 1 Jan 21:00 New York is 2 Jan in UTC: the text says 2027-01-01.
    new = local_to_utc(datetime(2027, 1, 1, 21), NY)
    refused = refusal(check_move, move(new=new), now=NOW, kind="month", tz=NY)
    assert str(refused) == (
        "S6: a session the TAM moves may go into the next month (2026-12), not further; "
        "2027-01-01 is in 2027-01. Choose a time in 2026-11 or 2026-12."
    )


# --- what a cancellation does to the unit ------------------------------------------


def test_cancellation_effect_in_words_per_rule():
    assert cancellation_effect("tam", "2026-11", "2026-12", None) == (
        "The call was outside the allowance; no unit changes."
    )
    assert cancellation_effect("customer", "2026-11", "2026-12", "month") == (
        "S5: the unit is free again, to be booked inside 2026-11 only."
    )
    # S7: a weekly plan carries nothing, even when the TAM cancels.
    assert cancellation_effect("tam", "2026-W48", "2026-W49", "week") == (
        "S7: the unit is free again for 2026-W48; nothing carries to the next week."
    )
    assert cancellation_effect("tam", "2026-11", "2026-12", "month") == (
        "S6: the unit is free again for 2026-11; if it is not used by the month's end "
        "it becomes a credit for 2026-12."
    )
