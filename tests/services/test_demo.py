"""The demo data set: what the issue asks of it, and its safety around real desks."""

import pytest

from tamdesk.domain.periods import parse_month, period_of_instant
from tamdesk.domain.timezones import zone
from tamdesk.resources import data_file, read_toml
from tamdesk.services.calls import list_calls
from tamdesk.services.cases import list_cases, load
from tamdesk.services.knowledge import search
from tamdesk.services.problems import list_problems
from tamdesk.services.customers import list_customers
from tamdesk.services.demo import NotOnlyTheDemo, load_demo
from tamdesk.services.reports import allowance_report, warnings, week_summary


def test_demo_covers_plans_zones_and_countries(demo):
    customers = list_customers(demo)
    assert 10 <= len(customers) <= 14
    assert {c.plan for c in customers} == {"tam-a", "tam-b", "tam-c", "csm", "premium", "standard", "express"}
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


# ---------------------------------------------------------------- the cases' clocks (L1, L7-L12)
# NOW is Monday 23 Nov 2026 07:00 UTC. data/demo.toml files each case age_days days and 3 hours
# before now, so at 04:00 UTC that many days ago; a step's ``hours`` count from the filing. Business
# hours are 09:00-17:00 in each contract's zone (T4); Chicago is UTC-6 and Kolkata UTC+5:30 in November.


def _cases(desk):
    return {c.title: c for c in list_cases(desk)}


def _deadlines(case) -> list[tuple[str, str, str | None]]:
    return [(d.kind, d.state, d.due.isoformat()) for d in case.deadlines]


def test_demo_has_a_breach_worked_out_from_its_steps(demo):
    case = _cases(demo)["Webhook retries flood the queue"]
    # Tailspin (Chicago, tam-b), high, filed Wed 18 Nov 04:00 UTC = Tue 22:00 Chicago: the clock starts
    # Wed 09:00 Chicago (15:00 UTC). Response (2 h) due 11:00 Chicago; responded at +12 h = 16:00 UTC = 10:00: met.
    # Update (4 h) from 10:00 due 14:00; updated at +15.5 h = 19:30 UTC = 13:30: met. The next from 13:30:
    # 3.5 h on Wednesday, 0.5 h on Thursday: due Thu 19 Nov 09:30 Chicago = 15:30 UTC, never done: breached.
    # Escalations from the first response, Wed 10:00: level 2 (8 h) Thu 10:00 (16:00 UTC), escalated at +20 h
    # (Thu 00:00 UTC): met; level 3 (16 h) = 7 h Wed + 8 h Thu + 1 h Fri: Fri 20 Nov 10:00 = 16:00 UTC: breached.
    assert [(kind, state) for kind, state, _ in _deadlines(case)] == [
        ("response", "met"), ("update", "met"), ("update", "breached"), ("escalation-2", "met"), ("escalation-3", "breached")]
    assert [due for kind, state, due in _deadlines(case) if state == "breached"] == [
        "2026-11-19T15:30:00+00:00", "2026-11-20T16:00:00+00:00"]
    # Late, on the clock: Thu 09:30-17:00 and Fri 09:00-17:00, 15 h 30 min; it is 01:00 Monday in Chicago.
    assert (case.next_deadline.kind, case.next_deadline.clock_minutes_left) == ("update", -930)


def test_demo_warns_of_the_breach_and_of_an_update_nearly_due(demo):
    # Globex India's "Slow search" was updated 3.5 h before now: 03:30 UTC = 09:00 Kolkata, its opening.
    # Its next update (high: 4 h) is due 13:00 Kolkata = 07:30 UTC; at 12:30 there, 30 of 240 min are left,
    # a quarter or less (L10). Every other open case was updated (or filed) too recently to warn, escalated
    # in good time, waits on its customer (paused) or was filed over the weekend (its clock starts today).
    assert [(w.customer, w.text) for w in warnings(demo) if w.rule == "L10"] == [
        ("Globex India", f"case {_cases(demo)['Slow search on large portfolios'].id} (Slow search on large portfolios): update due in 30 min"),
        ("Tailspin Toys", f"case {_cases(demo)['Webhook retries flood the queue'].id} (Webhook retries flood the queue): update 15 h 30 min late"),
        ("Tailspin Toys", f"case {_cases(demo)['Webhook retries flood the queue'].id} (Webhook retries flood the queue): escalation-3 7 h late"),
    ]


def test_demo_shows_clocks_from_the_first_start(demo):
    cases = _cases(demo)
    # Contoso's outage, critical, filed 3 h ago (05:00 Madrid): its 30 min response runs from 09:00 Madrid.
    outage = cases["Production outage: API returns 503"]
    assert (outage.next_deadline.kind, outage.next_deadline.due.isoformat(), outage.next_deadline.clock_minutes_left) == (
        "response", "2026-11-23T08:30:00+00:00", 30)
    # Waiting on Contoso since +2 h: paused, no next deadline (L9).
    waiting = cases["Informe mensual: columnas vacías"]
    assert (waiting.waiting, waiting.paused, waiting.next_deadline) == (True, True, None)
    # Acme's (filed Sat 21 Nov 04:00 UTC) went straight to level 3 an hour later: both escalations met at once (L8).
    straight = cases["Escalation to vendor: license count"]
    assert straight.level == 3
    assert {d.kind: (d.state, d.done_at.isoformat()) for d in straight.deadlines if d.kind.startswith("escalation")} == {
        "escalation-2": ("met", "2026-11-21T05:00:00+00:00"),
        "escalation-3": ("met", "2026-11-21T05:00:00+00:00"),
    }
    # Every open case but the waiting one has a next deadline.
    assert [c.title for c in cases.values() if c.status != "resolved" and c.next_deadline is None] == [waiting.title]


def test_demo_has_a_problem_over_two_customers_cases(demo):
    (problem,) = list_problems(demo)
    assert problem.title == "Identity provider tokens expire too early" and problem.status == "open"
    assert sorted((c.customer, c.title) for c in problem.cases) == [
        ("Northwind Traders", "SSO login loop for contractors"), ("Umbrella GmbH", "Integration token expires early")]


def test_demo_resolutions_are_in_the_knowledge_base(demo):
    resolved = {c.title: c.resolution_note for c in list_cases(demo) if c.status == "resolved"}
    assert len(resolved) == 5 and all(resolved.values())
    # "sync timeout" are words of the open Northwind case's title and of October's fix's resolution, and of
    # no other case or note: those two come first (L12), the fix by its note.
    hits = search(demo, "sync timeout")
    assert {h.title for h in hits[:2]} == {"Sync job fails nightly with timeout", "Nightly sync timed out after the index rebuild"}
    assert resolved["Nightly sync timed out after the index rebuild"].startswith("Raised the sync job timeout")
    assert "SSO session expires after ten minutes" in [h.title for h in search(demo, "token lifetime")]


# ---------------------------------------------------------------- emergencies (E1-E5)


def test_demo_has_a_closed_and_a_running_emergency_on_express_and_one_on_a_monthly_plan(demo):
    from tamdesk.services.emergencies import list_emergencies

    views = {v.title: v for v in list_emergencies(demo)}
    closed = views["Ransomware encrypted the file servers"]
    running = views["Payment gateway rejects every card"]
    monthly = views["Batch update corrupted the ledger"]
    assert (closed.customer, closed.status, running.customer, running.status) == (
        "Cyberdyne Systems", "closed", "Cyberdyne Systems", "normalizing")
    assert (monthly.customer, monthly.status, monthly.monthly_plan, monthly.guarantee) == (
        "Umbrella GmbH", "mitigating", True, "none")
    # The closed one: 2 h of guarantee (2 x 35.00 = 70.00); normalization 5:30 + 6:00 = 690 min, the second entry
    # cut at Madrid's midnight (requested 02:00, logged from 22:00 to 04:00): 330 + 120 on the 17th, 240 on the 18th:
    # 450/60 x 35 = 262.50 and 240/60 x 35 = 140.00; mitigation 3:15 = 195/60 x 35 = 113.75.
    assert [e.minutes for e in closed.entries if e.phase == "normalization"] == [330, 120, 240]
    assert [(i.number, str(i.total)) for i in closed.invoices] == [(1, "70.00"), (2, "402.50"), (3, "113.75")]
    # The running one's feasibility was answered after 45 minutes (on time); its time waits for approval.
    assert running.feasibility == "on time" and running.invoices[0].number == 1 and running.entries[0].approved_at is None
