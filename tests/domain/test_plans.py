"""P1-P3: the shipped catalogue and its validation."""

import pytest

from tamdesk.domain.errors import BadInput
from tamdesk.domain.plans import catalogue_from_dict
from tamdesk.resources import data_file, read_toml


@pytest.fixture(scope="module")
def shipped():
    return read_toml(data_file("plans.toml"))


@pytest.fixture(scope="module")
def catalogue(shipped):
    return catalogue_from_dict(shipped)


@pytest.mark.parametrize(
    "key, sessions, period, cadence, review_every, in_allowance, response",
    [  # the P1 table: sessions, period (cadence), review, response target
        ("tam-a", 4, "month", "weekly", "quarter", True, 1),
        ("tam-b", 2, "month", "alternate weeks", "quarter", True, 1),
        ("tam-c", 1, "month", "monthly", "quarter", True, 1),
        ("csm", 0, None, "", "quarter", False, 1),
        ("premium", 1, "week", "weekly", "month", False, 1),
        ("standard", 0, None, "", "quarter", False, 2),
    ],
)
def test_p1_shipped_plans(shipped, catalogue, key, sessions, period, cadence, review_every, in_allowance, response):
    plan = catalogue.plan(key)
    assert (plan.sessions, plan.period, plan.cadence, plan.review.every, plan.review.in_allowance) == (
        sessions, period, cadence, review_every, in_allowance
    )
    assert plan.session_minutes == 60
    # Not parsed yet: kept in the file for the SLA clocks (L2, L7) to read.
    assert shipped["plans"][key]["response_business_days"] == response


def test_p2_caps_and_contacts(catalogue):
    assert all(p.weekly_hours_cap == 10 and p.max_contacts == 3 for p in catalogue.plans.values())
    assert catalogue.caseload_cap == 30


def test_p3_obligations_follow_table_2(catalogue):
    premium = {o.kind: o.every for o in catalogue.plan("premium").obligations}
    standard = {o.kind: o.every for o in catalogue.plan("standard").obligations}
    assert premium == {"service-review": "month", "customer-intelligence": "week", "roadmap": "month"}
    assert standard == {"service-review": "quarter", "customer-intelligence": "quarter", "roadmap": "quarter"}


def test_unknown_plan_names_the_known_ones(catalogue):
    with pytest.raises(BadInput, match="unknown plan 'gold': choose one of csm, premium, standard, tam-a"):
        catalogue.plan("gold")


def test_catalogue_validation():
    with pytest.raises(BadInput, match="period"):
        catalogue_from_dict({"plans": {"x": {"sessions": 2, "period": "year"}}})
    with pytest.raises(BadInput, match="names no period"):
        catalogue_from_dict({"plans": {"x": {"sessions": 2}}})
    with pytest.raises(BadInput, match="number"):
        catalogue_from_dict({"plans": {"x": {"sessions": -1, "period": "month"}}})
    with pytest.raises(BadInput, match="x.cadence must be one of 'weekly', 'alternate weeks', 'monthly'"):
        catalogue_from_dict({"plans": {"x": {"sessions": 2, "period": "month", "cadence": "fortnightly"}}})


@pytest.mark.parametrize(
    "key, kind, review, title",
    [
        # S8 and P1: the review's title is the one each plan's [review] table holds in data/plans.toml.
        ("tam-a", "session", True, "Quarterly review"),
        ("tam-a", "session", False, "Working session"),
        ("csm", "review", False, "Quarterly business review"),
        ("premium", "review", False, "Service review"),
        ("standard", "review", False, "Service review"),
    ],
)
def test_call_titles_come_from_the_catalogue(catalogue, key, kind, review, title):
    assert catalogue.plan(key).call_title(kind, review) == title


def test_a_user_catalogue_renames_its_review_call():
    user = catalogue_from_dict({"plans": {"csm": {"review": {"title": "Executive business review"}}}})
    assert user.plan("csm").call_title("review", False) == "Executive business review"
