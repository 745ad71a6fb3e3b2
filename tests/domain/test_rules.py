"""S1, S2, S5, S6 moves; C1-C3 caseload; B1-B3 budget: decisions on plain data."""

from datetime import UTC, datetime, timedelta

import pytest

from tamdesk.domain.budget import CustomerWeek, check_budget, consistently_over
from tamdesk.domain.calls import MoveRequest, check_cancel, check_length, check_mark, check_move
from tamdesk.domain.caseload import Load, QueuedCase, decide_open, next_to_open, queue_order
from tamdesk.domain.errors import BadInput, NeedsConfirmation, Refusal
from tamdesk.domain.plans import catalogue_from_dict
from tamdesk.domain.timezones import local_to_utc, zone

NY = zone("America/New_York")
NOW = datetime(2026, 11, 2, 12, tzinfo=UTC)


def ny(month, day, hour=10):
    return local_to_utc(datetime(2026, month, day, hour), NY)


def test_s1_sixty_minutes_at_most():
    check_length(60)
    with pytest.raises(Refusal, match="S1: a working session lasts at most 60 minutes; 61 were asked for"):
        check_length(61)
    with pytest.raises(BadInput):
        check_length(0)


def test_s2_marks_only_after_start_and_only_once():
    with pytest.raises(Refusal, match="has not begun"):
        check_mark("scheduled", NOW + timedelta(hours=1), NOW, "held")
    check_mark("scheduled", NOW, NOW, "held")
    with pytest.raises(Refusal, match="only a scheduled call"):
        check_mark("held", NOW - timedelta(hours=2), NOW, "no-show")


def test_s2_cancel_before_start_only():
    check_cancel("scheduled", NOW + timedelta(minutes=1), NOW)
    with pytest.raises(Refusal, match="already started"):
        check_cancel("scheduled", NOW, NOW)
    with pytest.raises(Refusal, match="already cancelled-by-tam"):
        check_cancel("cancelled-by-tam", NOW + timedelta(days=1), NOW)


def move(status="scheduled", start=None, new=None, by="tam"):
    return MoveRequest(status, start or ny(11, 20), new or ny(11, 24), by, True)


def test_s5_customer_move_stays_in_the_month():
    check_move(move(by="customer"), now=NOW, kind="month", tz=NY)
    with pytest.raises(Refusal, match=r"S5: a session moved by the customer may be booked again only inside 2026-11"):
        check_move(move(by="customer", new=ny(12, 1)), now=NOW, kind="month", tz=NY)


def test_s5_customer_cancelled_session_rebooks_only_in_its_month_whoever_asks():
    with pytest.raises(Refusal, match="S5: a session cancelled by the customer"):
        check_move(move(status="cancelled-by-customer", new=ny(12, 1), by="tam"), now=NOW, kind="month", tz=NY)


def test_s5_month_edge_in_the_contract_zone():
    # S5 keeps a customer's move inside the month of the appointment, read in the contract
    # zone (T2). 30 Nov 23:00 New York is already 1 Dec 04:00 in UTC, still November for the
    # contract: allowed (check_move returns None). One hour later it is 1 Dec in New York too:
    # refused, naming December. A month read in UTC would refuse both.
    late = local_to_utc(datetime(2026, 11, 30, 23), NY)
    assert late.astimezone(UTC).day == 1
    assert check_move(move(by="customer", new=late), now=NOW, kind="month", tz=NY) is None
    with pytest.raises(Refusal, match=r"S5: .*inside 2026-11.*2026-12-01 is in 2026-12"):
        check_move(move(by="customer", new=late + timedelta(hours=1)), now=NOW, kind="month", tz=NY)


def test_s6_tam_move_into_next_month_but_not_further():
    check_move(move(new=ny(12, 3)), now=NOW, kind="month", tz=NY)
    with pytest.raises(Refusal, match=r"S6: .*next month \(2026-12\), not further"):
        check_move(move(new=local_to_utc(datetime(2027, 1, 5, 10), NY)), now=NOW, kind="month", tz=NY)


def test_s7_weekly_plans_let_the_customer_move_only_within_the_week():
    with pytest.raises(Refusal, match="the week of its appointment"):
        check_move(move(start=ny(11, 20), new=ny(11, 24), by="customer"), now=NOW, kind="week", tz=NY)


def test_moves_need_a_future_time_and_a_movable_call():
    with pytest.raises(Refusal, match="has passed"):
        check_move(move(new=NOW - timedelta(minutes=1)), now=NOW, kind="month", tz=NY)
    with pytest.raises(Refusal, match="held call cannot move"):
        check_move(move(status="held"), now=NOW, kind="month", tz=NY)


# --- caseload -------------------------------------------------------------------


def test_c1_the_30th_opens_and_the_31st_is_refused():
    assert decide_open(29, 30, queue=False) == "open"
    with pytest.raises(Refusal, match=r"C1: the caseload is at its cap of 30 open cases \(30/30\)"):
        decide_open(30, 30, queue=False, position=2)
    assert decide_open(30, 30, queue=True) == "queued"


def test_c2_queue_order_severity_then_age():
    t = datetime(2026, 11, 1, tzinfo=UTC)
    cases = [
        QueuedCase(1, "normal", t),
        QueuedCase(2, "critical", t + timedelta(hours=5)),
        QueuedCase(3, "high", t + timedelta(hours=1)),
        QueuedCase(4, "critical", t + timedelta(hours=2)),
        QueuedCase(5, "high", t),
    ]
    assert [c.id for c in queue_order(cases)] == [4, 2, 5, 3, 1]
    assert next_to_open(cases).id == 4
    assert next_to_open([]) is None


def test_c3_warns_from_90_percent():
    assert not Load(26, 0, 30).warning
    assert Load(27, 0, 30).warning and str(Load(27, 0, 30)) == "27/30"
    assert Load(30, 2, 30).at_cap


def test_c3_the_catalogue_builds_the_one_load_every_screen_reads():
    # A catalogue warning at half of a cap of 10: 5 open warns (5/10 = 50%), 4 does not.
    catalogue = catalogue_from_dict({"desk": {"caseload_cap": 10, "caseload_warn_share": 0.5}, "plans": {"x": {}}})
    assert (catalogue.load(4, 0).warning, catalogue.load(5, 1).warning) == (False, True)
    assert (catalogue.load(5, 1).queued, str(catalogue.load(5, 1))) == (1, "5/10")
    # The share is rounded down: 27 of 30 is 90%, 29 of 30 is 96% (96.67 down).
    assert (Load(27, 0, 30).percent, Load(29, 0, 30).percent) == (90, 96)


# --- budget -------------------------------------------------------------------------


def test_b1_b2_over_the_cap_asks_and_is_kept_marked():
    week = CustomerWeek(logged_minutes=8 * 60, booked_minutes=60, cap_hours=10)
    assert check_budget(week, 60, customer="Acme", week_key="2026-W48", confirmed=False) is False  # exactly 10 h
    with pytest.raises(NeedsConfirmation) as asked:
        check_budget(week, 90, customer="Acme", week_key="2026-W48", confirmed=False)
    assert asked.value.rule == "B2" and "10.5 h in 2026-W48" in asked.value.message and "keep to 1.0 h" in asked.value.message
    assert check_budget(week, 90, customer="Acme", week_key="2026-W48", confirmed=True) is True


def test_b3_consistently_over_is_the_average_of_four_complete_weeks():
    assert consistently_over([11 * 60, 9 * 60, 12 * 60, 9 * 60], 10)  # 10.25 average
    assert not consistently_over([10 * 60] * 4, 10)  # exactly the cap is not over
    assert not consistently_over([20 * 60] * 3, 10)  # fewer than four weeks
