"""The rules of emergency engagements (SPEC E1-E5): the feasibility clock, the guarantee, daily cuts, money."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tamdesk.domain import emergency as rules
from tamdesk.domain.errors import Refusal
from tamdesk.domain.timezones import zone

MADRID = zone("Europe/Madrid")
RATE = Decimal("35.00")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


# -- E3: the feasibility answer is due within 60 minutes -------------------------------------------


def test_e3_an_answer_at_60_minutes_is_on_time_and_at_61_late():
    # "within 60 minutes" (E3): requested 10:00, due 11:00; the 60th minute is still within, the 61st is not.
    requested = utc("2026-11-23T10:00+00:00")
    assert rules.feasibility_due(requested) == utc("2026-11-23T11:00+00:00")
    assert rules.feasibility_state(requested, utc("2026-11-23T11:00+00:00"), utc("2026-11-23T12:00+00:00")) == "on time"
    assert rules.feasibility_state(requested, utc("2026-11-23T11:01+00:00"), utc("2026-11-23T12:00+00:00")) == "late"


def test_e3_an_unanswered_request_runs_until_due_then_is_overdue():
    # 24x7 (E1): the clock counts every minute, a Sunday night too.
    requested = utc("2026-11-22T23:30+00:00")
    assert rules.feasibility_state(requested, None, utc("2026-11-23T00:30+00:00")) == "running"
    assert rules.feasibility_state(requested, None, utc("2026-11-23T00:31+00:00")) == "overdue"


# -- E1, E3: the guarantee ------------------------------------------------------------------------------


def test_e1_the_guarantee_is_1_to_8_hours_and_1_unless_told():
    assert rules.initial_guarantee(None, monthly_plan=False) == (1, "paid")
    assert rules.initial_guarantee(8, monthly_plan=False) == (8, "paid")
    for outside in (0, 9, -1):
        with pytest.raises(Refusal, match=rf"E1: a guarantee of {outside} h is outside 1 to 8 hours"):
            rules.initial_guarantee(outside, monthly_plan=False)


def test_e3_a_customer_with_an_active_monthly_plan_pays_no_guarantee():
    assert rules.initial_guarantee(None, monthly_plan=True) == (0, "none")
    with pytest.raises(Refusal, match="E3: a customer with an active monthly plan pays no guarantee"):
        rules.initial_guarantee(2, monthly_plan=True)
    # express is no monthly plan (P1); any other plan is one while its contract is active
    assert (rules.has_monthly_plan("express", True), rules.has_monthly_plan("premium", True)) == (False, True)
    assert rules.has_monthly_plan("premium", False) is False


def test_e5_the_guarantee_is_billed_at_the_express_rate_and_credited_negative():
    line = rules.guarantee_line(3, RATE)
    assert (line.minutes, line.amount) == (180, Decimal("105.00"))  # 3 h x 35.00
    assert rules.credit_line(line).amount == Decimal("-105.00")


# -- E4: daily cuts ---------------------------------------------------------------------------------------


def test_e4_an_entry_over_madrids_25_hour_day_splits_in_two_that_add_up_to_the_real_minutes():
    # The night of 24-25 October 2026 Madrid's clocks go back (03:00 CEST -> 02:00 CET): the 25th has 25 hours.
    # 2026-10-24 22:00 CEST (+02) is 20:00Z; 2026-10-25 23:30 CET (+01) is 22:30Z: 26 h 30 min = 1590 real minutes.
    # Cut at the wall-clock midnight of the 25th (22:00Z): 120 minutes on the 24th, 1470 (24 h 30 min) on the 25th.
    start = datetime(2026, 10, 24, 22, 0, tzinfo=MADRID).astimezone(UTC)
    end = datetime(2026, 10, 25, 23, 30, tzinfo=MADRID).astimezone(UTC)
    pieces = rules.cut(start, end, MADRID)
    assert [(p.day, p.minutes) for p in pieces] == [(date(2026, 10, 24), 120), (date(2026, 10, 25), 1470)]
    assert sum(p.minutes for p in pieces) == 1590
    assert pieces[0].end == pieces[1].start == utc("2026-10-24T22:00+00:00")


def test_e4_an_entry_within_a_day_stays_whole():
    start, end = utc("2026-11-23T09:00+00:00"), utc("2026-11-23T10:15+00:00")
    assert [(p.start, p.end, p.minutes) for p in rules.cut(start, end, MADRID)] == [(start, end, 75)]


def test_e4_time_belongs_to_the_phase_in_force_when_it_was_worked():
    # Normality reached 10:30Z: an entry 10:00Z-11:00Z is 30 min of normalization and 30 of mitigation.
    pieces = rules.cut(utc("2026-11-23T10:00+00:00"), utc("2026-11-23T11:00+00:00"), MADRID, utc("2026-11-23T10:30+00:00"))
    assert [(p.phase, p.minutes) for p in pieces] == [("normalization", 30), ("mitigation", 30)]


def test_e4_an_entry_must_end_after_it_starts():
    at = utc("2026-11-23T10:00+00:00")
    for end in (at, at - timedelta(minutes=1)):
        with pytest.raises(Refusal, match="E4: an entry ends after it starts"):
            rules.cut(at, end, MADRID)


#: Zones with daylight saving, among them some that change their clocks at midnight (Santiago, Havana,
#: Asuncion), by half an hour (Lord Howe), or on the far side of the date line (Chatham, Auckland).
DST_ZONES = (
    "Europe/Madrid", "America/New_York", "America/Santiago", "America/Havana", "America/Asuncion",
    "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Auckland", "Europe/London", "America/Sao_Paulo",
)


@given(
    tz_name=st.sampled_from(DST_ZONES),
    start=st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2030, 12, 31)),
    minutes=st.integers(min_value=1, max_value=5 * 24 * 60),
)
def test_e4_pieces_never_cross_a_tam_midnight_and_add_up_to_the_real_minutes(tz_name, start, minutes):
    tz = zone(tz_name)
    begins = start.replace(second=0, microsecond=0, tzinfo=UTC)
    ends = begins + timedelta(minutes=minutes)
    pieces = rules.cut(begins, ends, tz)
    # they tile [begins, ends) exactly: contiguous, no gap, no overlap, and the real minutes add up
    assert pieces[0].start == begins and pieces[-1].end == ends
    assert all(a.end == b.start for a, b in zip(pieces, pieces[1:]))
    assert sum(p.minutes for p in pieces) == minutes
    for piece in pieces:
        # the piece's first and last moments fall on one wall-clock date of the zone: no midnight inside it
        last_moment = piece.end - timedelta(microseconds=1)
        assert piece.start.astimezone(tz).date() == last_moment.astimezone(tz).date() == piece.day
    # and it is cut only at midnights: one piece per local date the entry touches
    assert len({p.day for p in pieces}) == len(pieces)


# -- E5: money ----------------------------------------------------------------------------------------------


def worked(day: int, minutes: int, *, approved: bool = True, phase: str = "normalization") -> rules.Worked:
    return rules.Worked(date(2026, 11, day), phase, minutes, approved)  # type: ignore[arg-type]


def test_e5_each_day_is_rounded_half_up_once_on_its_own_line():
    # 20 min at 35.00 = 11.666... -> 11.67 on each of two days: 23.34; the same 40 min on one day: 23.333... -> 23.33.
    two_days = rules.day_lines([worked(23, 20), worked(24, 20)], "normalization", RATE)
    assert [line.amount for line in two_days] == [Decimal("11.67"), Decimal("11.67")]
    assert rules.total(two_days) == Decimal("23.34")
    one_day = rules.day_lines([worked(23, 15), worked(23, 25)], "normalization", RATE)
    assert [(line.minutes, line.amount) for line in one_day] == [(40, Decimal("23.33"))]


def test_e5_half_a_cent_rounds_up():
    # 1 min at 0.30/h = 0.005 exactly: half-up makes it 0.01 (banker's rounding would make it 0.00).
    assert rules.amount(1, Decimal("0.30")) == Decimal("0.01")


def test_e5_unapproved_days_and_the_other_phase_are_not_billed():
    lines = rules.day_lines(
        [worked(23, 60), worked(24, 90, approved=False), worked(25, 30, phase="mitigation")], "normalization", RATE
    )
    assert [(line.description, line.minutes, line.amount) for line in lines] == [
        ("Normalization on 2026-11-23", 60, Decimal("35.00"))
    ]


def test_e5_amounts_are_kept_as_whole_cents():
    assert rules.to_cents(Decimal("23.34")) == 2334 and rules.from_cents(-3500) == Decimal("-35.00")
    with pytest.raises(ValueError):
        rules.to_cents(Decimal("0.005"))
