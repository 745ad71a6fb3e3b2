"""T4, T5: business hours, holidays, time off and critical periods."""

from datetime import UTC, datetime, time, timedelta

import pytest

from tamdesk.domain.business_hours import (
    BusinessCalendar,
    BusinessHours,
    Interval,
    check_country,
    judge_slot,
    require_slot,
)
from tamdesk.domain.errors import BadInput, NeedsConfirmation
from tamdesk.domain.timezones import local_to_utc, zone

NY = zone("America/New_York")
US = BusinessCalendar(NY, BusinessHours(), "US")


def slot(y, m, d, hh, mm=0, minutes=60, tz=NY):
    start = local_to_utc(datetime(y, m, d, hh, mm), tz)
    return start, start + timedelta(minutes=minutes)


def test_t4_a_call_inside_hours_on_a_weekday_is_plain():
    assert US.outside_reasons(*slot(2026, 11, 24, 9)) == []
    assert US.outside_reasons(*slot(2026, 11, 24, 16)) == []  # ends exactly at 17:00


def test_t4_a_call_must_fit_from_start_to_end():
    assert US.outside_reasons(*slot(2026, 11, 24, 16, 30)) == ["outside business hours 09:00-17:00 America/New_York"]
    assert US.outside_reasons(*slot(2026, 11, 24, 8, 30))


def test_t4_weekends_and_holidays_of_the_contract_country():
    assert US.outside_reasons(*slot(2026, 11, 28, 10)) == ["a Saturday"]
    assert US.outside_reasons(*slot(2026, 11, 26, 10)) == ["a public holiday (Thanksgiving Day)"]
    spain = BusinessCalendar(zone("Europe/Madrid"), BusinessHours(), "ES")
    assert spain.holiday(datetime(2026, 12, 8).date())  # Inmaculada Concepción
    assert spain.is_business_day(datetime(2026, 11, 26).date())  # Thanksgiving is not Spanish


def test_t4_subdivision_holidays_and_unknown_countries():
    madrid = BusinessCalendar(zone("Europe/Madrid"), BusinessHours(), "ES-MD")
    assert madrid.holiday(datetime(2026, 5, 2).date())  # Fiesta de la Comunidad de Madrid
    assert check_country("us-ny") == "US-NY"
    with pytest.raises(BadInput, match="unknown country 'XX'"):
        check_country("XX")


def test_t4_contract_specific_hours():
    hours = BusinessHours.parse("09:00-18:00")
    cal = BusinessCalendar(NY, hours, "US")
    assert cal.outside_reasons(*slot(2026, 11, 24, 17)) == []
    assert str(hours) == "09:00-18:00"
    for bad in ("9-5", "17:00-09:00", "25:00-26:00"):
        with pytest.raises(BadInput):
            BusinessHours.parse(bad)


def test_t4_business_days_between():
    days = US.business_days(datetime(2026, 11, 23).date(), datetime(2026, 12, 1).date())
    assert [d.day for d in days] == [23, 24, 25, 27, 30]  # no 26 (Thanksgiving), no weekend


def test_t5_out_of_hours_needs_confirmation_naming_rule_and_alternative():
    with pytest.raises(NeedsConfirmation) as asked:
        require_slot(*slot(2026, 11, 26, 10), US, who="Acme")
    assert asked.value.rule == "T4"
    assert "Thanksgiving" in asked.value.message
    # What to book instead comes from the use-cases' one search (services/calls), which runs every rule.
    assert asked.value.instead == "Confirm it as an exception with prior notice (T5)."


def test_t5_confirmed_exception_is_recorded():
    label = require_slot(*slot(2026, 11, 28, 10), US, who="Acme", confirmed=True)
    assert label == "with prior notice: a Saturday"


def test_t5_critical_period_allows_out_of_hours_without_confirmation():
    start, end = slot(2026, 11, 28, 22)
    migration = Interval(datetime(2026, 11, 28, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC), "ERP migration")
    label = require_slot(start, end, US, who="Acme", critical_periods=[migration])
    assert label.startswith("critical period ERP migration")


def test_t4_time_off_is_not_available_even_in_hours():
    start, end = slot(2026, 11, 24, 10)
    training = Interval(start, end, "training")
    verdict = judge_slot(start, end, US, time_off=[training])
    assert verdict.needs_confirmation and verdict.outside == []
    with pytest.raises(NeedsConfirmation, match="during your training"):
        require_slot(start, end, US, who="Acme", time_off=[training])


def test_t4_dst_day_hours_are_wall_clock():
    # Sunday-to-Monday around the November change: Monday 09:00 local is still inside
    assert US.outside_reasons(*slot(2026, 11, 2, 9)) == []
    assert BusinessHours().fits(time(9), time(10), True)


def test_t4_t5_intervals_are_half_open_at_both_ends():
    # T4/T5 read a span as [start, end): a call that ends when the training starts, or
    # starts when it ends, shares no minute with it (the back-to-back rule of T7); a call
    # that shares one minute at either end does. A critical period covers a call that
    # fills it exactly, and not one that spills a minute past either end.
    ten, eleven = slot(2026, 11, 24, 10)
    minute = timedelta(minutes=1)
    training = Interval(ten, eleven, "training")
    assert not training.overlaps(ten - 60 * minute, ten) and not training.overlaps(eleven, eleven + 60 * minute)
    assert training.overlaps(ten - 60 * minute, ten + minute) and training.overlaps(eleven - minute, eleven + 59 * minute)
    assert training.covers(ten, eleven)
    assert not training.covers(ten - minute, eleven) and not training.covers(ten, eleven + minute)


def test_t5_a_critical_period_covers_a_night_call_that_fills_it_exactly():
    # Through judge_slot: a 22:00-23:00 Saturday call inside a migration window of exactly
    # 22:00-23:00 needs no confirmation; the window one minute shorter at either end does.
    start, end = slot(2026, 11, 28, 22)
    minute = timedelta(minutes=1)
    assert not judge_slot(start, end, US, critical_periods=[Interval(start, end, "cutover")]).needs_confirmation
    for window in (Interval(start + minute, end, "cutover"), Interval(start, end - minute, "cutover")):
        assert judge_slot(start, end, US, critical_periods=[window]).needs_confirmation


def test_t4_time_off_right_after_a_call_does_not_block_it():
    # T4: only time off that shares a minute with the call makes it ask.
    start, end = slot(2026, 11, 24, 10)
    after, before = Interval(end, end + (end - start), "training"), Interval(start - (end - start), start, "dentist")
    assert judge_slot(start, end, US, time_off=[after, before]).time_off == []


def test_t4_hours_that_close_at_24_00_take_a_call_ending_at_midnight_and_none_past_it():
    # T4 with --business-hours 09:00-24:00: 23:00-24:00 ends on the closing stroke (inside);
    # 23:30-00:30 runs past the close; 08:30 starts before the opening.
    late = BusinessCalendar(NY, BusinessHours.parse("09:00-24:00"), "US")
    assert str(late.hours) == "09:00-24:00"
    assert late.outside_reasons(*slot(2026, 11, 25, 23)) == []
    assert late.outside_reasons(*slot(2026, 11, 25, 9)) == []
    assert late.outside_reasons(*slot(2026, 11, 25, 23, 30)) == ["outside business hours 09:00-24:00 America/New_York"]
    assert late.outside_reasons(*slot(2026, 11, 25, 8, 30)) == ["outside business hours 09:00-24:00 America/New_York"]


def test_t4_hours_parse_minutes_and_refuse_with_the_reason():
    # --business-hours reads HH:MM-HH:MM; minutes are kept, and each refusal says what is wrong.
    assert str(BusinessHours.parse(" 08:30 - 17:45 ")) == "08:30-17:45"
    for bad, why in (
        ("", "use HH:MM-HH:MM"),
        ("9-5", "use HH:MM-HH:MM"),
        ("09:00-24:01", "hours run 00:00 to 24:00"),
        ("25:00-26:00", "hours run 00:00 to 24:00"),
        ("17:00-09:00", "close before they open"),
        ("09:00-09:00", "close before they open"),
    ):
        with pytest.raises(BadInput, match=why):
            BusinessHours.parse(bad)


def test_t4_the_question_names_every_reason_and_the_time_off():
    # T4/T5: the question lists why the slot is outside, joined by "and", then the time off.
    start, end = slot(2026, 11, 26, 18)
    with pytest.raises(NeedsConfirmation) as asked:
        require_slot(start, end, US, who="Acme", time_off=[Interval(start, end, "training")])
    assert asked.value.message.startswith(
        "T4: Acme's call at Thu 2026-11-26 18:00 America/New_York is on a public holiday (Thanksgiving Day)"
        " and outside business hours 09:00-17:00 America/New_York and during your training"
        " (business hours 09:00-17:00, Monday-Friday)."
    )
    assert asked.value.exception == "with prior notice: a public holiday (Thanksgiving Day), outside business hours 09:00-17:00 America/New_York; during training"


def test_t4_time_off_alone_asks_about_the_time_off_only():
    start, end = slot(2026, 11, 24, 10)
    with pytest.raises(NeedsConfirmation) as asked:
        require_slot(start, end, US, who="Acme", time_off=[Interval(start, end, "training"), Interval(start, end, "dentist")])
    assert asked.value.message.startswith(
        "T4: Acme's call at Tue 2026-11-24 10:00 America/New_York is during your training, dentist (business hours"
    )


def test_t5_a_critical_period_is_named_only_for_a_call_it_lets_out_of_hours():
    # T5: inside business hours a critical period changes nothing, so the verdict names none.
    start, end = slot(2026, 11, 24, 10)
    verdict = judge_slot(start, end, US, critical_periods=[Interval(start, end, "ERP migration")])
    assert verdict.critical_period is None and verdict.exception is None
