"""S3-S7: the allowance ledger on plain data, every carry-over path."""

from datetime import UTC, date, datetime

import pytest

from tamdesk.domain.allowance import CallFact, Contract, check_change, compute_ledger
from tamdesk.domain.errors import Refusal
from tamdesk.domain.periods import iso_week_of, month_of
from tamdesk.domain.timezones import local_to_utc, zone

NY = zone("America/New_York")
OCT, NOV, DEC, JAN = (month_of(date(2026, m, 1)) if m > 1 else month_of(date(2027, 1, 1)) for m in (10, 11, 12, 1))


def at(month, day, hour=10):
    year = 2027 if month == 1 else 2026
    return local_to_utc(datetime(year, month, day, hour), NY)


def ledger(calls, first=OCT, last=JAN, today=date(2026, 10, 1), sessions=4, kind="month", contract=Contract()):
    rows = compute_ledger(sessions=sessions, kind=kind, tz=NY, calls=calls, first=first, last=last, today=today, contract=contract)
    return {r.period.key: r for r in rows}


def test_s3_granted_booked_available():
    rows = ledger([CallFact(1, at(11, 3), "held"), CallFact(2, at(11, 10), "scheduled"), CallFact(3, at(11, 17), "no-show")])
    nov = rows["2026-11"]
    assert (nov.granted, nov.carried_in, nov.booked, nov.held, nov.available) == (4, 0, 3, 2, 1)


def test_s3_cancelled_calls_are_not_booked():
    rows = ledger([CallFact(1, at(11, 3), "cancelled-by-customer"), CallFact(2, at(11, 4), "cancelled-by-tam")])
    assert rows["2026-11"].booked == 0


def test_s3_granted_only_while_the_contract_is_active_on_any_day():
    rows = ledger([], contract=Contract(active_from=date(2026, 11, 30), active_until=date(2026, 12, 1)))
    assert [rows[k].granted for k in ("2026-10", "2026-11", "2026-12", "2027-01")] == [0, 4, 4, 0]


def test_s3_month_is_the_contract_zone_month():
    # 23:30 New York on 30 November is December in UTC but November for the contract
    late = local_to_utc(datetime(2026, 11, 30, 23, 30), NY)
    assert late.astimezone(UTC).month == 12
    rows = ledger([CallFact(1, late, "scheduled")])
    assert rows["2026-11"].booked == 1 and rows["2026-12"].booked == 0


def test_s4_unused_sessions_are_forfeited_at_month_end():
    rows = ledger([CallFact(1, at(10, 6), "held")], today=date(2026, 11, 5))
    octo = rows["2026-10"]
    assert octo.final and (octo.carried_out, octo.forfeited) == (0, 3)
    assert rows["2026-11"].carried_in == 0  # nothing else ever crosses a month
    assert not rows["2026-11"].final


def test_s5_customer_cancellation_frees_the_unit_only_inside_its_month():
    rows = ledger([CallFact(1, at(10, 6), "cancelled-by-customer")])
    assert rows["2026-10"].available == 4
    assert rows["2026-10"].carried_out == 0 and rows["2026-10"].forfeited == 4


def test_s6_tam_cancellation_carries_into_the_next_month_only():
    calls = [CallFact(1, at(10, 6), "cancelled-by-tam", ((at(10, 6), None),))]
    rows = ledger(calls, today=date(2027, 2, 1))
    assert (rows["2026-10"].carried_out, rows["2026-10"].forfeited) == (1, 3)
    assert rows["2026-11"].carried_in == 1 and rows["2026-11"].available == 5
    # unused in November: forfeited, never carried twice
    assert (rows["2026-11"].carried_out, rows["2026-11"].forfeited) == (0, 5)
    assert rows["2026-12"].carried_in == 0


def test_s6_carry_is_capped_by_what_is_left():
    # TAM cancelled one, but every unit was used again: nothing carries
    calls = [CallFact(1, at(10, 6), "cancelled-by-tam", ((at(10, 6), None),))]
    calls += [CallFact(i, at(10, 6 + i), "held") for i in range(2, 6)]
    rows = ledger(calls, today=date(2027, 2, 1))
    assert rows["2026-10"].available == 0 and rows["2026-10"].carried_out == 0


def test_s6_tam_move_into_next_month_creates_and_uses_the_credit():
    calls = [CallFact(i, at(10, 5 + i), "held") for i in range(1, 4)]
    calls.append(CallFact(4, at(11, 2), "scheduled", ((at(10, 28), at(11, 2)),)))
    calls += [CallFact(i, at(11, 5 + i), "scheduled") for i in range(5, 9)]
    rows = ledger(calls)
    assert rows["2026-10"].carried_out == 1
    nov = rows["2026-11"]
    assert (nov.carried_in, nov.booked, nov.available) == (1, 5, 0)


def test_s6_move_inside_the_month_is_not_a_cancellation():
    calls = [CallFact(1, at(10, 20), "cancelled-by-customer", ((at(10, 6), at(10, 20)),))]
    rows = ledger(calls)
    assert rows["2026-10"].tam_freed == 0 and rows["2026-10"].carried_out == 0


def test_s6_new_tam_cancellation_in_the_next_month_earns_its_own_credit():
    calls = [
        CallFact(1, at(10, 6), "cancelled-by-tam", ((at(10, 6), None),)),
        CallFact(2, at(11, 6), "cancelled-by-tam", ((at(11, 6), None),)),
    ]
    rows = ledger(calls)
    assert rows["2026-11"].carried_in == 1 and rows["2026-11"].carried_out == 1
    assert rows["2026-12"].carried_in == 1


def test_s6_a_call_moved_away_and_back_frees_nothing():
    calls = [CallFact(1, at(10, 6), "scheduled", ((at(10, 6), at(11, 3)), (at(11, 3), at(10, 8))))]
    rows = ledger(calls)
    assert rows["2026-10"].tam_freed == 0


def test_s7_weekly_plans_never_carry():
    week = iso_week_of(date(2026, 11, 23))
    calls = [CallFact(1, at(11, 24), "cancelled-by-tam", ((at(11, 24), None),))]
    rows = compute_ledger(sessions=1, kind="week", tz=NY, calls=calls, first=week, last=week.next(), today=date(2026, 12, 10))
    assert rows[0].period.key == "2026-W48"
    assert (rows[0].available, rows[0].carried_out, rows[0].forfeited) == (1, 0, 1)
    assert rows[1].carried_in == 0


def test_check_change_refuses_booking_with_nothing_left_and_says_what_next_month_has():
    before = list(ledger([CallFact(i, at(11, i + 2), "scheduled") for i in range(4)]).values())
    after = list(ledger([CallFact(i, at(11, i + 2), "scheduled") for i in range(5)]).values())
    with pytest.raises(Refusal) as refused:
        check_change(before, after, customer="Acme", target=NOV)
    assert refused.value.rule == "S3"
    assert "no session left for Acme in 2026-11: 4 granted + 0 carried in, 4 already booked" in refused.value.message
    assert "2026-12 has 4 available" in refused.value.message


def test_check_change_refuses_taking_back_a_credit_already_used():
    cancelled = CallFact(1, at(10, 6), "cancelled-by-tam", ((at(10, 6), None),))
    october = [CallFact(i, at(10, 6 + i), "held") for i in range(2, 5)]
    november = [CallFact(i, at(11, 2 + i), "scheduled") for i in range(10, 15)]  # 5 = 4 + credit
    before = list(ledger([cancelled, *october, *november]).values())
    after = list(ledger([cancelled, *october, *november, CallFact(99, at(10, 29), "scheduled")]).values())
    with pytest.raises(Refusal) as refused:
        check_change(before, after, customer="Acme", target=OCT)
    assert refused.value.rule == "S6" and "2026-11 would be left with -1" in refused.value.message
    assert refused.value.instead == "Book in 2026-11 instead, or cancel one of its calls first."


def test_s3_the_contract_s_first_and_last_days_are_inside_and_the_day_after_is_not():
    # S3: granted when the contract is active on any day of m. November's days run to
    # 30 Nov (its end, 1 Dec, is December's first day): a contract from 1 Dec has no
    # November day, and one that ends on 30 Nov has no December day.
    from_december = ledger([], contract=Contract(active_from=date(2026, 12, 1)))
    assert [from_december[k].granted for k in ("2026-11", "2026-12")] == [0, 4]
    until_november = ledger([], contract=Contract(active_until=date(2026, 11, 30)))
    assert [until_november[k].granted for k in ("2026-11", "2026-12")] == [4, 0]


def test_s4_a_month_is_final_from_the_next_month_s_first_day_not_on_its_own_last_day():
    # S3: what is left is split "at the end of m". On 30 Nov a November session can still
    # be booked and held, so November's split is a projection; on 1 Dec it is final.
    assert not ledger([], today=date(2026, 11, 30))["2026-11"].final
    assert ledger([], today=date(2026, 12, 1))["2026-11"].final


def test_s3_refusal_says_whether_the_contract_grants_nothing_or_all_is_booked():
    # S3's refusal "says why (and what is left next month)". A month outside the contract
    # grants nothing; a full month names its figures and what December has left, or that
    # December has none either.
    outside = Contract(active_from=date(2026, 12, 1))
    before = list(ledger([], contract=outside).values())
    after = list(ledger([CallFact(1, at(11, 3), "scheduled")], contract=outside).values())
    with pytest.raises(Refusal) as refused:
        check_change(before, after, customer="Acme", target=NOV)
    assert refused.value.message.startswith("S3: Acme's contract grants no sessions in 2026-11.")
    assert "2026-12 has 4 available" in refused.value.message
    full = [CallFact(1, at(11, 2), "scheduled"), CallFact(2, at(12, 1), "scheduled")]  # December: 1 - 1 = 0 left
    before = list(ledger(full, sessions=1).values())
    after = list(ledger([*full, CallFact(9, at(11, 3), "scheduled")], sessions=1).values())
    with pytest.raises(Refusal) as refused:
        check_change(before, after, customer="Acme", target=NOV)
    assert "no session left for Acme in 2026-11: 1 granted + 0 carried in, 1 already booked." in refused.value.message
    assert "2026-12 has none available either." in refused.value.message


def test_s6_two_tam_cancellations_free_two_units():
    # S6: carried_out = min(left, sessions the TAM cancelled): two cancelled, four left -> 2.
    calls = [CallFact(i, at(10, 5 + i), "cancelled-by-tam", ((at(10, 5 + i), None),)) for i in (1, 2)]
    october = ledger(calls, today=date(2026, 11, 2))["2026-10"]
    assert (october.tam_freed, october.carried_out, october.forfeited) == (2, 2, 2)


def test_s6_a_tam_cancellation_after_a_move_inside_the_month_still_frees_its_unit():
    # S6: the move inside October is not a cancellation, the cancellation after it is.
    calls = [CallFact(1, at(10, 8), "cancelled-by-tam", ((at(10, 6), at(10, 8)), (at(10, 8), None)))]
    assert ledger(calls, today=date(2026, 11, 2))["2026-10"].carried_out == 1


@pytest.fixture
def utc_system_zone(machine_zone):
    """The machine's own zone set to UTC, so a month read in it instead of the contract's shows."""
    machine_zone("UTC")


def test_s6_a_tam_move_inside_the_month_across_utc_midnight_then_a_customer_cancellation_frees_nothing(utc_system_zone):
    # S6/T2: 30 Oct 10:00 -> 31 Oct 23:30 New York (1 Nov in UTC) is a move inside October;
    # the customer then cancels (S5): nothing carries.
    late = local_to_utc(datetime(2026, 10, 31, 23, 30), NY)
    calls = [CallFact(1, late, "cancelled-by-customer", ((at(10, 30), late),))]
    october = ledger(calls, today=date(2026, 11, 2))["2026-10"]
    assert (october.tam_freed, october.carried_out) == (0, 0)


def test_s6_a_tam_cancellation_late_on_the_last_evening_frees_the_contract_month_s_unit(utc_system_zone):
    # S6/T2: a call on 31 Oct 23:30 New York (1 Nov in UTC) cancelled by the TAM frees an
    # October unit: October carries one credit into November.
    late = local_to_utc(datetime(2026, 10, 31, 23, 30), NY)
    rows = ledger([CallFact(1, late, "cancelled-by-tam", ((late, None),))], today=date(2026, 12, 2))
    assert (rows["2026-10"].carried_out, rows["2026-11"].carried_in, rows["2026-11"].tam_freed) == (1, 1, 0)


def test_s3_a_full_last_month_is_refused_without_a_next_month_to_offer():
    # S3 names what the next month has only when the ledger reaches it.
    full = [CallFact(i, at(11, 2 + i), "scheduled") for i in range(4)]
    before = list(ledger(full, last=NOV).values())
    after = list(ledger([*full, CallFact(9, at(11, 20), "scheduled")], last=NOV).values())
    with pytest.raises(Refusal) as refused:
        check_change(before, after, customer="Acme", target=NOV)
    assert refused.value.rule == "S3" and refused.value.instead is None


def test_s3_a_month_already_below_zero_does_not_refuse_changes_elsewhere():
    # check_change refuses only what makes a period worse: November at -1 after a plan
    # change (2 booked, 1 granted) stays at -1 when a December call is booked.
    nov = [CallFact(1, at(11, 3), "scheduled"), CallFact(2, at(11, 4), "scheduled")]
    before = list(ledger(nov, sessions=1).values())
    after = list(ledger([*nov, CallFact(3, at(12, 3), "scheduled")], sessions=1).values())
    assert check_change(before, after, customer="Acme", target=DEC) is None


def test_s3_after_the_contract_ends_a_carried_credit_is_named_as_what_was_left():
    # S3/S6: the contract ends 31 Oct, a TAM cancellation in October carries one credit into
    # November (granted 0), and a November call uses it: a second call is refused for having
    # nothing left (0 granted + 1 carried in, 1 booked), not for a contract granting nothing.
    ended = Contract(active_until=date(2026, 10, 31))
    calls = [CallFact(1, at(10, 6), "cancelled-by-tam", ((at(10, 6), None),)), CallFact(2, at(11, 3), "scheduled")]
    before = list(ledger(calls, contract=ended).values())
    after = list(ledger([*calls, CallFact(3, at(11, 4), "scheduled")], contract=ended).values())
    with pytest.raises(Refusal) as refused:
        check_change(before, after, customer="Acme", target=NOV)
    assert "no session left for Acme in 2026-11: 0 granted + 1 carried in, 1 already booked." in refused.value.message


def test_s6_a_tam_move_back_into_an_earlier_month_is_not_a_cancellation_of_the_later_one():
    # SPEC S6's example: booked 27 Nov, the TAM moves it to 3 Dec, then back to 26 Nov.
    # November has it booked; December freed nothing of its own, so it carries nothing
    # into January (its unit follows S4: booked again in December, or forfeited).
    calls = [CallFact(1, at(11, 26), "scheduled", ((at(11, 27), at(12, 3)), (at(12, 3), at(11, 26))))]
    rows = ledger(calls, first=NOV, last=JAN, today=date(2027, 1, 2), sessions=1)
    assert rows["2026-11"].booked == 1 and rows["2026-11"].carried_out == 0
    dec = rows["2026-12"]
    assert (dec.tam_freed, dec.carried_out, dec.forfeited) == (0, 0, 1)
    assert rows["2027-01"].carried_in == 0


def test_s3_a_contract_starting_on_the_last_day_of_a_month_is_granted_that_month_only_from_there():
    # Starts on Saturday 31 October: October is active on one day (S3), September on none.
    rows = ledger([], first=month_of(date(2026, 9, 1)), last=NOV, contract=Contract(active_from=date(2026, 10, 31)))
    assert [rows[k].granted for k in ("2026-09", "2026-10", "2026-11")] == [0, 4, 4]
    assert (rows["2026-09"].forfeited, rows["2026-10"].forfeited) == (0, 4)  # nothing is forfeited before the start


def test_s7_a_contract_starting_on_the_sunday_of_a_week_is_granted_that_week():
    sunday = date(2026, 11, 29)  # the last day of ISO week 48
    rows = compute_ledger(sessions=1, kind="week", tz=NY, calls=[], first=iso_week_of(date(2026, 11, 16)),
                          last=iso_week_of(date(2026, 11, 30)), today=date(2026, 11, 1), contract=Contract(active_from=sunday))
    assert [(r.period.key, r.granted) for r in rows] == [("2026-W47", 0), ("2026-W48", 1), ("2026-W49", 1)]
