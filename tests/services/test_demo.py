"""The demo data set: what the issue asks of it, and its safety around real desks."""

import pytest

from tamdesk.domain.errors import BadInput
from tamdesk.services.calls import list_calls
from tamdesk.services.cases import load
from tamdesk.services.customers import list_customers
from tamdesk.services.demo import load_demo
from tamdesk.services.reports import allowance_report, week_summary
from tamdesk.domain.periods import parse_month


def test_demo_covers_plans_zones_and_countries(demo):
    customers = list_customers(demo)
    assert 10 <= len(customers) <= 14
    assert {c.plan for c in customers} == {"tam-a", "tam-b", "tam-c", "csm", "premium", "standard"}
    assert len({c.tz for c in customers}) >= 6 and len({c.country for c in customers}) >= 6


def test_demo_caseload_and_calls(demo):
    assert 25 <= load(demo).open <= 29
    statuses = {c.status for c in list_calls(demo)}
    assert {"scheduled", "held", "no-show", "cancelled-by-customer", "cancelled-by-tam"} <= statuses


def test_demo_has_one_customer_consistently_over(demo):
    over = [c.customer for c in week_summary(demo).customers if c.consistently_over]
    assert over == ["Umbrella GmbH"]


def test_demo_shows_a_tam_credit_carried_into_this_month(demo):
    rows = {v.customer: v.row for v in allowance_report(demo, parse_month("2026-11"))}
    assert rows["Northwind Traders"].carried_in == 1


def test_demo_is_idempotent_and_fresh_reloads(demo):
    assert not load_demo(demo).loaded
    before = len(list_calls(demo))
    assert load_demo(demo, fresh=True).loaded
    assert len(list_calls(demo)) == before


def test_demo_never_touches_a_real_desk(desk, customer):
    customer("My real customer")
    with pytest.raises(BadInput, match="holds your own desk"):
        load_demo(desk)
    with pytest.raises(BadInput):
        load_demo(desk, fresh=True)
    assert [c.name for c in list_customers(desk)] == ["My real customer"]


@pytest.mark.slow  # each loads the whole demo again: seconds apiece
@pytest.mark.parametrize("now", ["2026-12-31T23:30:00+00:00", "2027-03-28T01:30:00+00:00", "2028-02-29T12:00:00+00:00"])
def test_demo_loads_on_awkward_dates(at, now):
    assert load_demo(at(now)).loaded
