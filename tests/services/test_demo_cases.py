"""The demo's case histories, replayed through the use-cases (issue 16): the desk shows clocks from the first start.

What is expected is what ``data/demo.toml`` says of each case, read against the rules: the demo desk is at
NOW, Monday 23 November 2026, 08:00 in Madrid.
"""

from __future__ import annotations

from tamdesk.services.cases import list_cases
from tamdesk.services.knowledge import search
from tamdesk.services.problems import list_problems


def _by_title(demo):
    return {c.title: c for c in list_cases(demo)}


def test_the_demo_cases_carry_their_steps_and_a_breach(demo):
    cases = _by_title(demo)
    # "Data loss after failed batch update": responded, updated, then escalated straight to level 3 (L8)
    data_loss = cases["Data loss after failed batch update"]
    assert [e.kind for e in data_loss.events] == ["filed", "opened", "responded", "updated", "escalated"]
    assert data_loss.level == 3
    # "Webhook retries flood the queue": answered an hour after filing five days ago, never updated since: the 4 h
    # update interval of a high case (L1) has long passed, so its update is breached (L10)
    webhook = cases["Webhook retries flood the queue"]
    assert [(d.kind, d.state) for d in webhook.deadlines][:2] == [("response", "met"), ("update", "breached")]
    # "Approval workflow stuck at step 3" waited on the customer and was resumed (L9)
    assert [e.kind for e in cases["Approval workflow stuck at step 3"].events][2:] == ["responded", "waiting", "resumed"]


def test_the_demo_has_a_problem_with_two_cases_and_resolutions_in_the_knowledge_base(demo):
    [problem] = list_problems(demo)
    assert {c.title for c in problem.cases} == {"SSO login loop for contractors", "Integration token expires early"}
    hits = search(demo, "priority queue")
    assert [h.title for h in hits][:1] == ["Password reset emails delayed"]  # its resolution says both words
