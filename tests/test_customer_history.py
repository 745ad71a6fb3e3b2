"""Each customer's history as the Customers screen shows it, worked out by hand on a small desk (B1, B2, S2, S3).

The desk's clock is Monday 23 Nov 2026 08:00 in Madrid (the TAM's zone), so
the 12 weeks are the TAM's ISO weeks from Monday 7 Sep (index 0) to this week
of Monday 23 Nov (index 11); 2 Nov is index 8, 16 Nov index 10.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, select

from tamdesk.services.calls import book_call, cancel_call, mark_call
from tamdesk.services.cases import open_case, resolve_case
from tamdesk.services.customer_history import WEEKS, customer_histories
from tamdesk.services.timelog import log_time
from tamdesk.store.models import Customer


def test_a_customers_weeks_calls_cases_and_allowance(desk, customer, at):
    acme = customer("Acme")  # tam-a: 4 sessions a month, cap 10 h, New York
    other = customer("Other")
    # Before the 12 weeks (August): a call held and its hour logged, a case opened and resolved. None of it counts.
    august = at("2026-08-03T12:00:00+00:00")
    early = book_call(august, "Acme", "2026-08-04T10:00")
    mark_call(at("2026-08-05T12:00:00+00:00"), early.call.id, "held")
    resolve_case(august, open_case(august, "Acme", "Old question", "normal").id, "answered")
    # In the weeks: 2 h logged on Mon 2 Nov (index 8); a call on Tue 17 Nov held (its hour logged there, index 10).
    log_time(desk, "Acme", 2, on=date(2026, 11, 2), force=True)
    last_week = at("2026-11-16T12:00:00+00:00")
    held = book_call(last_week, "Acme", "2026-11-17T10:00")
    mark_call(desk, held.call.id, "held")
    # This week (index 11): 1.5 h logged today, a call booked Wednesday (60 min, B1 counts it until held),
    # and one on Tuesday the customer cancelled (it counts neither as hours nor as a booked session, S5).
    log_time(desk, "Acme", 1.5)
    book_call(desk, "Acme", "2026-11-25T10:00")
    cancelled = book_call(desk, "Acme", "2026-11-24T10:00", force=True)
    cancel_call(desk, cancelled.call.id, by="customer")
    # Cases: one open now, one resolved in the weeks.
    open_case(desk, "Acme", "Sync fails", "normal")
    resolve_case(desk, open_case(desk, "Acme", "Slow export", "high").id, "tuned")
    log_time(desk, "Other", 1)  # another customer's time is theirs

    history = customer_histories(desk)[acme.id]

    assert history.weeks == (0,) * 8 + (120, 0, 60, 90 + 60)
    assert len(history.weeks) == WEEKS
    assert (history.held, history.cancelled, history.booked) == (1, 1, 1)  # August's held call is before the weeks
    assert (history.open_cases, history.resolved_cases) == (1, 1)  # August's resolution is before the weeks
    # B1/B2: this week is 90 logged + 60 booked against tam-a's 10 h cap.
    assert (history.this_week.logged_minutes, history.this_week.booked_minutes, history.this_week.cap_hours) == (90, 60, 10)
    assert not history.this_week.over
    # S3 in New York's November: 4 granted, none carried in; booked = held 17 Nov + scheduled 25 Nov = 2.
    ledger = history.allowance
    assert ledger is not None and ledger.period.key == "2026-11"
    assert (ledger.granted, ledger.carried_in, ledger.booked, ledger.available) == (4, 0, 2, 2)
    assert customer_histories(desk)[other.id].weeks == (0,) * 11 + (60,)


def test_every_customer_is_read_in_a_few_queries_not_a_few_per_customer(desk, customer):
    for number in range(6):
        customer(f"Customer {number}")
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        statements.append(statement)

    def read() -> int:
        statements.clear()
        event.listen(desk.engine, "before_cursor_execute", count)
        try:
            customer_histories(desk)
        finally:
            event.remove(desk.engine, "before_cursor_execute", count)
        return len(statements)

    six = read()
    for number in range(6, 18):
        customer(f"Customer {number}")
    # Three times the customers, the same queries: one per table and the ledgers' few, none per customer.
    assert read() == six


def test_a_plan_without_sessions_has_no_allowance_line(desk, customer):
    stark = customer("Stark", plan="standard")
    assert customer_histories(desk)[stark.id].allowance is None




def test_the_demo_gives_every_customers_sparkline_a_shape(demo):
    # The demo logs each customer's hours week by week for ten weeks: a line with ups and downs, not a flat one.
    # Its express customer (P1) is served by emergencies alone, whose time is their own entries (E4), not logged hours.
    express = set(demo.read(lambda unit: [c.id for c in unit.session.scalars(select(Customer).where(Customer.plan == "express"))]))
    assert express  # the demo has one
    for customer_id, history in customer_histories(demo).items():
        if customer_id not in express:
            assert len({minutes for minutes in history.weeks if minutes}) >= 3, history.weeks
