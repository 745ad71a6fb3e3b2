"""The clocks as the desk shows them: next deadline in words and urgency (L3, L10), the week's tally, a case's detail.

One customer in New York on tam-a (business clock, 09:00-17:00, US holidays;
critical: response 30 min, update 2 h; high: response 2 h; normal: response
4 h). Monday 23 Nov 2026 is a business day there (EST, UTC-5); the desk is
looked at on it at 11:00 New York (16:00 UTC, 17:00 in the TAM's Madrid).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from tamdesk.services import case_events
from tamdesk.services.cases import list_cases, open_case, resolve_case
from tamdesk.services.deadlines import by_urgency, case_detail, tally_in, urgency
from tamdesk.services.desk import Desk
from tamdesk.services.problems import open_problem
from tamdesk.services.week_page import week_page
from tests.conftest import instant

#: 11:00 in New York on Monday 23 Nov 2026, when the desk is looked at.
LOOK = "2026-11-23T11:00:00-05:00"


def ny(hhmm: str, day: int = 23) -> datetime:
    """An instant on a New York wall clock in Nov 2026 (EST, UTC-5)."""
    return instant(f"2026-11-{day:02d}T{hhmm}:00-05:00")


@dataclass(frozen=True)
class Clocked:
    """The cases of ``clocked_cases``, by what their next deadline says at ``LOOK``."""

    breached: int
    warned: int
    pending: int
    paused: int
    resolved: int
    customer: str


def clocked_cases(desk: Desk, customer: str) -> Clocked:
    """Five cases of ``customer`` (New York, tam-a), one for each state of the Caseload's deadline column at ``LOOK``."""
    # Warned: critical, filed 09:00, responded 09:10: the update is due 2 h after, 11:10; at 11:00 10 min
    # of its 120 are left, 8% <= 25% (L10).
    warned = open_case(desk.at(ny("09:00")), customer, "Nightly export stalls", "critical").id
    case_events.respond(desk.at(ny("09:10")), warned)
    # Pending: high, filed 10:00: the response is due 2 h later, 12:00; at 11:00 60 of 120 are left, 50%.
    pending = open_case(desk.at(ny("10:00")), customer, "Reports show wrong currency", "high").id
    # Breached: critical, filed 10:00: the response was due 10:30; at 11:00 it is 30 min late.
    breached = open_case(desk.at(ny("10:00")), customer, "Checkout down for every user", "critical").id
    # Paused: normal, filed 09:00, waiting on the customer since 09:30 (L9).
    paused = open_case(desk.at(ny("09:00")), customer, "Question about SSO groups", "normal").id
    case_events.wait(desk.at(ny("09:30")), paused)
    # Resolved at 09:05 with a note: nothing due (L10: its response dropped out before it fell due).
    resolved = open_case(desk.at(ny("09:00")), customer, "Password reset mail delayed", "normal").id
    resolve_case(desk.at(ny("09:05")), resolved, "Mail relay queue flushed; delivery back to normal")
    return Clocked(breached, warned, pending, paused, resolved, customer)


@pytest.fixture
def clocked(desk: Desk, customer) -> Clocked:
    return clocked_cases(desk, customer("Northwind").name)


def test_each_case_says_its_next_deadline_in_words_and_state(desk, clocked):
    cases = {c.id: c for c in list_cases(desk.at(instant(LOOK)))}
    said = {case_id: (urgency(cases[case_id]).state, urgency(cases[case_id]).said) for case_id in cases}
    assert said == {
        clocked.breached: ("breached", "response 30 min late"),
        clocked.warned: ("warned", "update in 10 min"),
        clocked.pending: ("pending", "response in 1 h"),
        clocked.paused: ("paused", "paused (waiting)"),
        clocked.resolved: ("resolved", "resolved"),
    }


def test_the_warning_starts_at_a_quarter_of_the_interval_left(desk, clocked):
    # The warned case's update (09:10 -> 11:10, 120 min): 30 min left (10:40) is 25% -> warned;
    # 31 min left (10:39) is not yet.
    def state(at: str) -> str:
        (case,) = [c for c in list_cases(desk.at(ny(at))) if c.id == clocked.warned]
        return urgency(case).state

    assert (state("10:39"), state("10:40")) == ("pending", "warned")


def test_by_urgency_breached_first_then_the_soonest_due_paused_and_resolved_last(desk, clocked):
    ordered = [c.id for c in by_urgency(list_cases(desk.at(instant(LOOK))))]
    # Breached (10:30), then the warned update due 11:10 before the pending response due 12:00, then paused, resolved.
    assert ordered == [clocked.breached, clocked.warned, clocked.pending, clocked.paused, clocked.resolved]


def test_a_warned_deadline_due_later_sorts_after_a_pending_one_due_sooner(desk, customer):
    # "Then the soonest due": a warned deadline does not rank above a pending one due sooner. A high case
    # filed 09:00 has its response due 11:00: at 10:40, 20 of its 120 min are left (17%): warned. A critical
    # case filed 10:25 has its response due 10:55: 15 of 30 left (50%): pending, and due first.
    name = customer("Tailspin").name
    warned = open_case(desk.at(ny("09:00")), name, "Long interval", "high").id
    pending = open_case(desk.at(ny("10:25")), name, "Short interval", "critical").id
    cases = list_cases(desk.at(ny("10:40")))
    assert {c.id: urgency(c).state for c in cases} == {warned: "warned", pending: "pending"}
    assert [c.id for c in by_urgency(cases)] == [pending, warned]


def test_the_week_tally_counts_deadlines_due_today_warned_and_breached(desk, clocked):
    # At 11:00 New York (17:00 in Madrid, the TAM's day Monday 23 Nov, ending 23:59 Madrid = 17:59 NY):
    # pending and due before the TAM's day ends: the warned update (11:10), the pending response (12:00), and
    # the warned case's escalation to level 2, 4 h after its first response (L1, L8): 13:10 New York -> 3.
    # Its level 3 (8 h: 09:10-17:00 is 7 h 50, the last 10 min Tue 09:10) is tomorrow. The paused case's
    # clock stands still and does not count; the breached one is not pending.
    # Warned (L10, 25% or less left): the update -> 1. Breached: the critical response -> 1.
    tally = tally_in_at(desk, instant(LOOK))
    assert (tally.due_today, tally.warned, tally.breached) == (3, 1, 1)
    # The same numbers come with the week's page, from the same read.
    page = week_page(desk.at(instant(LOOK)))
    assert page.clocks == tally


def test_a_deadline_due_after_the_tams_day_ends_is_not_due_today(desk, customer):
    # The TAM is in Madrid: Monday ends at 24:00 Madrid = 18:00 New York. A high case filed at 16:30 New
    # York has its response due 2 business hours later: 17:00 closes the day after 30 min, the rest (90
    # min) runs Tue 09:00-10:30 New York. Looked at 16:45 New York (22:45 Madrid, still Monday): not today.
    name = customer("Fabrikam").name
    open_case(desk.at(ny("16:30")), name, "Late filing", "high")
    tally = tally_in_at(desk, ny("16:45"))
    assert (tally.due_today, tally.warned, tally.breached) == (0, 0, 0)


def tally_in_at(desk: Desk, now: datetime):
    return desk.at(now).read(tally_in)


def test_a_case_detail_has_its_customers_zone_and_its_problem(desk, clocked):
    problem = open_problem(desk.at(ny("10:50")), "Export workers starve", [clocked.warned])
    detail = case_detail(desk.at(instant(LOOK)), clocked.warned)
    assert (detail.customer_tz, detail.tam_tz, detail.problem_title) == ("America/New_York", "Europe/Madrid", "Export workers starve")
    assert detail.case.problem == problem.id
    # Filed, opened, responded, linked: the history as written, oldest first.
    assert [e.kind for e in detail.case.events] == ["filed", "opened", "responded", "linked"]
    assert case_detail(desk.at(instant(LOOK)), clocked.pending).problem_title is None


def test_a_case_waiting_for_its_checklist_says_so(desk, customer):
    # L5, L9: with a checklist, the clocks start once it is complete; until then the case is paused.
    name = customer("Contoso").name
    case = open_case(desk.at(ny("10:00")), name, "Form rejects uploads", "high", checklist=True)
    said = urgency(case)
    assert (said.state, said.said, said.due) == ("paused", "paused (checklist)", None)
    case = case_events.tick_checklist(desk.at(ny("10:30")), case.id, ["description", "steps", "screenshots", "access"])
    # Complete at 10:30: the high response (2 h) is due 12:30; at 10:30 all 120 min are left.
    assert (urgency(case).state, urgency(case).said) == ("pending", "response in 2 h")
