"""The demo data set: what the issue asks of it, and its safety around real desks."""

import pytest

from tamdesk.domain.periods import parse_month, period_of_instant
from tamdesk.domain.timezones import zone
from tamdesk.resources import data_file, read_toml
from tamdesk.services.calls import list_calls
from tamdesk.services.cases import load
from tamdesk.services.customers import list_customers
from tamdesk.services.demo import NotOnlyTheDemo, load_demo
from tamdesk.services.reports import allowance_report, week_summary


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
    with pytest.raises(NotOnlyTheDemo, match="holds your own desk"):
        load_demo(desk)
    with pytest.raises(NotOnlyTheDemo):
        load_demo(desk, fresh=True)
    assert [c.name for c in list_customers(desk)] == ["My real customer"]


@pytest.mark.slow  # each loads the whole demo again: seconds apiece
@pytest.mark.parametrize("now", ["2026-12-31T23:30:00+00:00", "2027-03-28T01:30:00+00:00", "2028-02-29T12:00:00+00:00"])
def test_demo_loads_on_awkward_dates(at, now):
    # A year's last half hour (already 1 Jan in Madrid, still 31 Dec in New York), Europe's
    # spring-forward night and a leap day: the demo, relative to now, must hold all it holds
    # on any other day. Worked out from data/demo.toml and the rules, not from a load:
    desk = at(now)
    assert load_demo(desk).loaded
    spec = read_toml(data_file("demo.toml"))
    # every customer of the file, once each;
    assert sorted(c.name for c in list_customers(desk)) == sorted(c["name"] for c in spec["customers"])
    # every case filed, less those resolved, is open: fewer than C1's cap of 30, so none waits;
    filed = len(spec["cases"])
    resolved = sum("resolved_days_ago" in c for c in spec["cases"])
    assert (load(desk).open, load(desk).queued) == (filed - resolved, 0)
    # every state of S2 is there (the past held, a no-show story, both kinds of cancellation, the future booked);
    assert {c.status for c in list_calls(desk)} == {"scheduled", "held", "no-show", "cancelled-by-customer", "cancelled-by-tam"}
    # B3: Umbrella logs 11-13 h a week against premium's 10 h; nobody else comes near the cap;
    assert [c.customer for c in week_summary(desk).customers if c.consistently_over] == ["Umbrella GmbH"]
    # S6: last month's session the TAM cancelled is a credit in Northwind's current month (New York's).
    this_month = period_of_instant("month", desk.now(), zone("America/New_York"))
    rows = {v.customer: v.row for v in allowance_report(desk, this_month)}
    assert rows["Northwind Traders"].carried_in == 1


def test_demo_contracts_start_with_their_history(demo):
    """Every demo call lies inside its customer's contract, and no month before the history is granted (S3)."""
    contracts = {c.name: (c.active_from, zone(c.tz)) for c in list_customers(demo)}
    for call in list_calls(demo):
        since, tz = contracts[call.customer]
        assert call.start.astimezone(tz).date() >= since, call
    # The history starts last month (October at NOW): September shows no month of any customer.
    assert [v.row.period.key for v in allowance_report(demo, parse_month("2026-09")) if v.row.period.kind == "month"] == []
    october = [v.row for v in allowance_report(demo, parse_month("2026-10")) if v.row.period.kind == "month"]
    assert october and all(row.granted > 0 for row in october)
