"""B1-B4 through the store: the TAM's week, time logging, consistently over."""

from datetime import date, timedelta

import pytest

from tamdesk.domain.errors import BadInput, NeedsConfirmation, Refusal
from tamdesk.services.calls import book_call, mark_call
from tamdesk.services.reports import week_summary
from tamdesk.services.settings import set_setting
from tamdesk.services.timelog import log_time


def row(summary, name):
    return next(c for c in summary.customers if c.customer == name)


def test_b1_logged_plus_booked_not_yet_held(desk, at, customer):
    customer("Acme")
    log_time(desk, "Acme", 2, on=date(2026, 11, 23))
    call = book_call(desk, "Acme", "2026-11-24T10:00").call
    acme = row(week_summary(desk), "Acme")
    assert (acme.logged_minutes, acme.booked_minutes) == (120, 60)
    later = at("2026-11-24T17:00:00+00:00")
    mark_call(later, call.id, "held")
    acme = row(week_summary(later), "Acme")
    assert (acme.logged_minutes, acme.booked_minutes) == (180, 0)  # held time is logged, not booked


def test_t3_the_week_is_the_tams_iso_week(desk, customer):
    customer("Acme")  # in New York; the TAM is in Madrid
    # Sunday 29 Nov 18:30 in New York is 23:30 UTC, still Sunday (2026-W48), but Monday
    # 30 Nov 00:30 in Madrid: T3 counts it in the TAM's next week, 2026-W49.
    call = book_call(desk, "Acme", "2026-11-29T18:30", force=True).call
    assert (call.start.weekday(), call.start.hour, call.start.minute) == (6, 23, 30)
    assert row(week_summary(desk, date(2026, 11, 30)), "Acme").booked_minutes == 60
    assert row(week_summary(desk), "Acme").booked_minutes == 0


def test_t3_b2_at_booking_counts_the_call_in_the_tams_week(desk, customer):
    # B2 at booking reads the same TAM week as the summary (T3): with a 1 h cap and Monday
    # 30 Nov booked, a call on Sunday 29 Nov 18:30 New York (Monday 00:30 in Madrid) is a
    # second hour of 2026-W49, so it is kept over budget; in UTC it would be W48's only hour.
    # Booked the other way round (a week later), the Sunday call is already in the week Monday joins.
    customer("Acme", hours_cap=1)
    book_call(desk, "Acme", "2026-11-30T10:00")
    assert book_call(desk, "Acme", "2026-11-29T18:30", force=True).call.over_budget
    customer("Calm", hours_cap=1)
    assert not book_call(desk, "Calm", "2026-12-06T18:30", force=True).call.over_budget
    with pytest.raises(NeedsConfirmation, match="B2: Calm would have 2.0 h in 2026-W50"):
        book_call(desk, "Calm", "2026-12-07T11:00")


def test_b2_time_over_cap_asks_then_marks(desk, customer):
    customer("Acme")
    log_time(desk, "Acme", 9.5, on=date(2026, 11, 23))
    with pytest.raises(NeedsConfirmation, match="B2: Acme would have 10.5 h in 2026-W48"):
        log_time(desk, "Acme", 1, on=date(2026, 11, 23))
    entry = log_time(desk, "Acme", 1, on=date(2026, 11, 23), force=True)
    assert entry.over_budget
    assert row(week_summary(desk), "Acme").over


def test_b3_consistently_over_needs_four_complete_weeks_above_cap(desk, customer):
    customer("Acme")
    customer("Calm")
    for weeks_ago, hours in ((1, 11), (2, 10.5), (3, 10.5), (4, 10.5)):
        day = date(2026, 11, 23) - timedelta(weeks=weeks_ago)
        log_time(desk, "Acme", hours, on=day, force=True)
        log_time(desk, "Calm", 10, on=day, force=True)  # a week that has ended asks first (B5)
    summary = week_summary(desk)
    assert row(summary, "Acme").consistently_over and not row(summary, "Calm").consistently_over
    assert any("B3: Acme" in line and "additional engagement" in line for line in summary.recommendations)


def test_b4_the_tams_week_against_working_hours(desk, customer):
    customer("A")
    customer("B")
    log_time(desk, "A", 8, on=date(2026, 11, 23))
    log_time(desk, "B", 8, on=date(2026, 11, 23))
    set_setting(desk, "working_hours", "15")
    document = week_summary(desk).as_json()
    assert document["tam"] == {"total_hours": 16.0, "working_hours": 15.0, "over": True}


@pytest.mark.parametrize("hours", ["-1", "0", "abc", "nan", "0.004"])
def test_time_bad_hours(desk, customer, hours):
    customer("Acme")
    with pytest.raises(BadInput):
        log_time(desk, "Acme", hours)


def test_b5_more_than_a_day_is_refused_saying_what_is_left(desk, customer):
    customer("Acme")
    with pytest.raises(Refusal, match="B5: 25 h would take your entries on 2026-11-23 past 24 h. 24 h is left that day."):
        log_time(desk, "Acme", "25", force=True)


def test_time_cannot_be_logged_in_the_future_or_on_another_customers_case(desk, customer):
    customer("Acme")
    with pytest.raises(Refusal, match="B5: 2026-11-30 is in the future"):
        log_time(desk, "Acme", 1, on=date(2026, 11, 30))
    with pytest.raises(BadInput, match="not one of Acme's cases"):
        log_time(desk, "Acme", 1, case_id=42)


def test_b1_the_cap_check_and_the_week_report_count_the_same_week_at_its_edge(desk, customer):
    customer("Acme")  # New York contract, cap 10 h; the TAM is in Madrid (T3: the TAM's week)
    log_time(desk, "Acme", 9.5, on=date(2026, 11, 23))
    # Sunday 29 Nov 17:30 in New York is 23:30 in Madrid: still this week, so 9.5 h + 1 h is over 10 h (B2).
    with pytest.raises(NeedsConfirmation, match="B2"):
        book_call(desk, "Acme", "2026-11-29T17:30")
    # 18:30 in New York is Monday 00:30 in Madrid: next week, so only the weekend asks (T5), not the cap.
    with pytest.raises(NeedsConfirmation) as asked:
        book_call(desk, "Acme", "2026-11-29T18:30")
    assert "B2" not in str(asked.value)
    book_call(desk, "Acme", "2026-11-29T17:30", force=True)
    book_call(desk, "Acme", "2026-11-29T18:30", force=True)
    # The report reads the same weeks: one hour booked in each.
    assert row(week_summary(desk), "Acme").booked_minutes == 60
    assert row(week_summary(desk, date(2026, 11, 30)), "Acme").booked_minutes == 60


def test_the_weeks_calls_say_when_they_start_by_the_desks_clock(desk, at, customer):
    from tamdesk.services.agenda import week_agenda

    customer("Acme")  # New York: 10:00 there is 15:00 UTC in November
    monday, wednesday, friday = (book_call(desk, "Acme", f"2026-11-{d}T10:00").call.id for d in (23, 25, 27))
    # Monday's clock (07:00 UTC): only today's call is said, 8 hours ahead.
    assert week_agenda(desk).when == {monday: "in 8 hours"}
    # Wednesday 16:00 UTC: Monday's call, still unmarked, was 49 h ago; today's began an hour ago;
    # Friday's is another day ahead and needs no words.
    later = at("2026-11-25T16:00:00+00:00")
    assert week_agenda(later).when == {monday: "2 days ago", wednesday: "an hour ago"}
    mark_call(later, monday, "held")  # marked: nothing left to nudge about
    assert week_agenda(later).when == {wednesday: "an hour ago"}
    assert friday not in week_agenda(later).when
