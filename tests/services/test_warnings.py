"""S4, S8, P3, C3 warnings: what the desk tells the TAM while there is still time."""

from datetime import date

import pytest

from tamdesk.services.calls import book_call
from tamdesk.services.cases import open_case
from tamdesk.services.reports import warnings
from tamdesk.services.timelog import log_time


def by_rule(desk, rule):
    return [w for w in warnings(desk) if w.rule == rule]


def test_s4_sessions_left_versus_business_days_left(desk, customer):
    customer("Acme", plan="tam-b")
    book_call(desk, "Acme", "2026-11-24T10:00")
    (warning,) = by_rule(desk, "S4")
    # Mon 23 Nov in New York: 23, 24, 25, 27, 30 are business days (26 is Thanksgiving)
    assert warning.text == "1 session left in 2026-11, 5 business days left; unused sessions are forfeited after 30 Nov."
    book_call(desk, "Acme", "2026-11-25T10:00")
    assert by_rule(desk, "S4") == []


def test_s4_a_tam_credit_is_not_warned_as_forfeit(desk, customer):
    from tamdesk.services.calls import cancel_call

    customer("Acme", plan="tam-c")
    call = book_call(desk, "Acme", "2026-11-24T10:00").call
    cancel_call(desk, call.id, by="tam")
    assert by_rule(desk, "S4") == []  # the unit would carry into December (S6)


def test_s8_review_warning_only_in_the_quarters_last_month(desk, at, customer):
    customer("Acme", plan="tam-a")
    assert by_rule(desk, "S8") == []  # November is not Q4's last month
    december = at("2026-12-01T09:00:00+00:00")
    (warning,) = by_rule(december, "S8")
    assert "no quarterly review booked in 2026-Q4" in warning.text
    book_call(december, "Acme", "2026-12-08T10:00", review=True)
    assert by_rule(december, "S8") == []


def test_p3_obligations_are_due_then_met_by_logged_activity(desk, customer):
    customer("Acme", plan="premium", tz="Europe/Berlin", country="DE")
    due = {w.text.split(" for ")[0] for w in by_rule(desk, "P3")}
    assert due == {"Service review", "Customer intelligence", "Product roadmap"}
    log_time(desk, "Acme", 1, on=date(2026, 11, 23), activity="customer-intelligence")
    due = {w.text.split(" for ")[0] for w in by_rule(desk, "P3")}
    assert due == {"Service review", "Product roadmap"}


def test_c3_caseload_warning_from_27(desk, customer):
    customer("Acme")
    for i in range(27):
        open_case(desk, "Acme", f"case {i}", "normal")
    (warning,) = by_rule(desk, "C3")
    assert "27/30" in warning.text


# P1 cadence, in the TAM's weeks (T3: Madrid, Monday 00:00 to Sunday 24:00). The first
# session is Tuesday 24 Nov (2026-W48); the second is typed with Madrid's offset on either
# side of a week's edge. weekly: a second session in the same week crowds it; alternate
# weeks: the same week or the next one does, the week after next does not.
@pytest.mark.parametrize(
    "plan, first, second, crowded",
    [
        ("tam-a", "2026-11-24T10:00", "2026-11-29T23:30+01:00", "2 sessions in your week 2026-W48"),  # Sunday 23:30: still W48
        ("tam-a", "2026-11-24T10:00", "2026-11-30T00:30+01:00", None),  # Monday 00:30: W49
        ("tam-b", "2026-11-24T10:00", "2026-11-25T16:00+01:00", "2 sessions in your week 2026-W48"),  # both in one week
        ("tam-b", "2026-11-24T10:00", "2026-12-06T23:30+01:00", "sessions in your weeks 2026-W48 and 2026-W49"),  # next week
        ("tam-b", "2026-11-24T10:00", "2026-12-07T00:30+01:00", None),  # Monday 00:30: W50, every other week
        # monthly: never warned, not even November's and December's sessions in one week (W49)
        ("tam-c", "2026-11-30T10:00", "2026-12-01T16:00+01:00", None),
    ],
)
def test_p1_sessions_crowded_against_the_plans_cadence(desk, customer, plan, first, second, crowded):
    customer("Acme", plan=plan, tz="America/New_York", country=None)
    book_call(desk, "Acme", first)
    book_call(desk, "Acme", second, force=True)  # out of hours on purpose (T5, T8)
    found = by_rule(desk, "P1")
    if crowded is None:
        assert found == []
    else:
        (warning,) = found
        assert warning.customer == "Acme" and warning.text.startswith(crowded)
        assert f"cadence is {'weekly' if plan == 'tam-a' else 'alternate weeks'}" in warning.text


def test_p1_two_sessions_already_behind_say_nothing(desk, at, customer):
    customer("Acme", plan="tam-a", country=None)
    book_call(desk, "Acme", "2026-11-24T10:00")
    book_call(desk, "Acme", "2026-11-25T10:00")
    assert len(by_rule(desk, "P1")) == 1
    # Thursday: both are behind now and cannot be moved; the warning is gone.
    assert by_rule(at("2026-11-26T12:00:00+00:00"), "P1") == []


def test_s2_a_call_that_has_ended_and_is_still_scheduled_is_warned_until_it_is_marked(desk, at, customer):
    from tamdesk.services.calls import mark_call

    customer("Acme", tz="America/New_York")
    # 10:00 in New York on Monday 23 November is 15:00 UTC, 16:00 in the TAM's Madrid; it lasts 60 minutes.
    call = book_call(desk, "Acme", "2026-11-23T10:00").call
    assert by_rule(at("2026-11-23T15:59:00+00:00"), "S2") == []  # not over yet
    ended = at("2026-11-23T16:00:00+00:00")
    (warning,) = by_rule(ended, "S2")
    assert warning.customer == "Acme"
    assert warning.text.startswith(f"call {call.id} on Mon 2026-11-23 16:00 Europe/Madrid has ended and is still scheduled")
    assert f"tamdesk session held {call.id}" in warning.text and f"tamdesk session no-show {call.id}" in warning.text
    mark_call(ended, call.id, "no-show")
    assert by_rule(ended, "S2") == []


def test_s2_every_customers_unmarked_calls_are_listed_oldest_first_and_cancelled_ones_never(desk, at, customer):
    from tamdesk.services.calls import cancel_call

    customer("Acme", tz="America/New_York")
    customer("Tyrell", tz="Europe/Madrid", country="ES")
    late = book_call(desk, "Acme", "2026-11-24T10:00").call  # 16:00 in Madrid
    early = book_call(desk, "Tyrell", "2026-11-24T10:00").call  # 10:00 in Madrid
    dropped = book_call(desk, "Tyrell", "2026-11-25T10:00").call
    cancel_call(desk, dropped.id, by="customer")
    found = by_rule(at("2026-11-26T12:00:00+00:00"), "S2")
    assert [(w.customer, w.text.split(" on ")[0]) for w in found] == [("Tyrell", f"call {early.id}"), ("Acme", f"call {late.id}")]


def _plans_while_warning(desk, *markers: str) -> list[list[tuple]]:
    """SQLite's query plan of every statement ``warnings`` runs that holds all of ``markers``."""
    from sqlalchemy import event

    plans = []

    def explain(conn, cursor, statement, params, context, executemany):
        if all(marker in statement for marker in markers):
            plans.append(cursor.connection.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall())

    event.listen(desk.engine, "before_cursor_execute", explain)
    try:
        warnings(desk)
    finally:
        event.remove(desk.engine, "before_cursor_execute", explain)
    return plans


@pytest.mark.sqlite_only  # SQLite's query plan
def test_s2_reads_only_the_scheduled_calls_through_their_own_index(desk, customer):
    """The week reloads its warnings on every turn: S2 must not walk every past call of a five-year desk."""
    customer("Acme")
    (plan,) = _plans_while_warning(desk, "calls.minutes, calls.status")  # the S2 query
    assert any("USING INDEX ix_calls_tam_scheduled" in step[-1] for step in plan), plan


@pytest.mark.sqlite_only  # SQLite's query plan
def test_the_forfeit_warnings_find_the_tams_departures_by_the_customers_index_not_every_tams(desk, customer):
    # S4/S6: the ledger behind each forfeit warning asks which of these customers' calls the TAM moved or
    # cancelled away. Every TAM's departures share call_events: the question must start from the customers.
    customer("Acme")
    plans = _plans_while_warning(desk, 'call_events."by"', "from_starts_at >=")  # the departures
    assert plans
    for plan in plans:
        assert any("USING INDEX ix_call_events_departures (customer_id=?" in step[-1] for step in plan), plan
