"""Reading every customer at once gives what reading each alone gives, in queries that do not grow with them.

The week screen shows warnings beside every week and the allowances screen
every customer's ledger: both read all customers in a few queries (S3-S8, P3)
rather than a few per customer. These tests hold the batched reads to the
one-customer ones on the demo desk (customers in seven zones, TAM credits
carried across months), and count the queries.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select

from tamdesk.domain.periods import month_of
from tamdesk.services.allowances import _opening, ledger, ledgers
from tamdesk.services.contracts import plan_of
from tamdesk.services.customers import CustomerFields, add_customer
from tamdesk.services.reports import allowance_report, warnings
from tamdesk.store.models import Customer


def _monthly_customers(unit):
    customers = unit.session.scalars(select(Customer).order_by(Customer.name_key)).all()
    return [c for c in customers if plan_of(unit, c).has_allowance and plan_of(unit, c).period is not None]


def test_ledgers_together_are_each_ledger_alone(demo):
    def work(unit):
        customers = _monthly_customers(unit)
        assert len(customers) >= 5
        month = month_of(unit.today)
        for first, last in [(month, month), (month.prev().prev(), month.next()), (month.next(), month.next().next())]:
            wanted = [(c, first, last) for c in customers if plan_of(unit, c).period == "month"]
            together = ledgers(unit, wanted)
            assert together == {c.id: ledger(unit, c, first, last) for c, _, _ in wanted}
        return customers

    demo.read(work)


def test_a_chain_of_credits_longer_than_the_batch_reaches_is_still_followed(demo, monkeypatch):
    from tamdesk.services import allowances

    def work(unit):
        customers = [c for c in _monthly_customers(unit) if plan_of(unit, c).period == "month"]
        month = month_of(unit.today).next()
        expected = {c.id: ledger(unit, c, month, month) for c in customers}
        monkeypatch.setattr(allowances, "OPENING_REACH", 1)  # every chain now outruns the batch
        assert ledgers(unit, [(c, month, month) for c in customers]) == expected
        # The fallback itself answers what S6 asks of an opening: a month no later than the one
        # read, with nothing carried into it, from which the ledger reaches the same month's row.
        for c in customers:
            opening = _opening(unit, c, "month", month)
            assert opening.kind == "month" and opening <= month
            rows = ledger(unit, c, opening, month)
            assert rows[0].carried_in == 0 and rows[-1] == expected[c.id][-1]

    demo.read(work)


def _queries(desk, read) -> int:
    count = 0

    def seen(*args):
        nonlocal count
        count += 1

    event.listen(desk.engine, "before_cursor_execute", seen)
    try:
        read()
    finally:
        event.remove(desk.engine, "before_cursor_execute", seen)
    return count


def test_warnings_and_the_allowance_report_cost_the_same_queries_for_3_or_15_customers(desk, customer):
    for n in range(3):
        customer(f"Early {n}", plan=["tam-a", "premium", "csm"][n])
    few = (_queries(desk, lambda: warnings(desk)), _queries(desk, lambda: allowance_report(desk)))
    for n in range(12):
        customer(f"Later {n}", plan=["tam-a", "tam-b", "tam-c", "premium", "standard", "csm"][n % 6],
                 tz=["Asia/Kolkata", "Europe/Madrid", "Australia/Sydney"][n % 3])
    many = (_queries(desk, lambda: warnings(desk)), _queries(desk, lambda: allowance_report(desk)))
    assert many == few
    assert len(warnings(desk)) > 3  # they did say something about the new customers


def test_warnings_name_each_customer_once_per_rule_in_customer_order(demo):
    found = [w for w in warnings(demo) if w.customer]
    names = [w.customer for w in found]
    assert names == sorted(names, key=str.casefold)  # grouped by customer, customers by name
    assert len({(w.customer, w.rule, w.text) for w in found}) == len(found)


def test_a_customer_added_today_has_no_history_to_batch(desk):
    add_customer(desk, CustomerFields("Fresh Start", "tam-a", "Pacific/Auckland", country="NZ"))
    month = desk.read(lambda unit: month_of(unit.today))
    rows = allowance_report(desk, month)
    assert [(r.customer, r.row.period) for r in rows] == [("Fresh Start", month)]
    assert rows[0].row.carried_in == 0
    assert month.end - month.first >= timedelta(days=28)


def test_deadline_warnings_cost_the_same_queries_for_2_or_20_open_cases(desk, customer):
    """L10 judges every open case on each read: the cases, customers, critical periods and events come
    in one query each, however many cases and customers there are."""
    from tamdesk.services.case_events import respond
    from tamdesk.services.cases import open_case

    names = [customer(f"Early {n}").name for n in range(2)]
    for name in names:
        respond(desk, open_case(desk, name, "Login fails", "critical").id)
    few = _queries(desk, lambda: warnings(desk))
    names += [customer(f"Later {n}", tz=["Asia/Kolkata", "Europe/Madrid"][n % 2], country=["IN", "ES"][n % 2]).name
              for n in range(6)]
    for n in range(18):
        case = open_case(desk, names[n % len(names)], f"Case {n}", ["critical", "high", "normal"][n % 3])
        if n % 2:
            respond(desk, case.id)
    assert _queries(desk, lambda: warnings(desk)) == few
