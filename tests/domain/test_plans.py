"""P1-P3: the shipped catalogue and its validation."""

import pytest

from tamdesk.domain.errors import BadInput
from tamdesk.domain.business_hours import BusinessHours
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
    with pytest.raises(BadInput, match="unknown plan 'gold': choose one of csm, express, premium, standard, tam-a"):
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


def test_a_user_catalogue_sets_every_figure_from_its_own_key():
    # Every figure set to a value no default has, in the table it belongs to (desk, defaults, the
    # plan, its review): each must be read from its own key and nowhere else.
    custom = catalogue_from_dict(
        {
            "desk": {"caseload_cap": 12, "caseload_warn_share": 0.5, "working_hours_per_week": 32},
            "defaults": {"weekly_hours_cap": 6, "max_contacts": 5, "business_hours": "08:00-16:00"},
            "plans": {
                "gold": {
                    "title": "Gold",
                    "sessions": 2,
                    "period": "month",
                    "session_minutes": 45,
                    "review": {"every": "month", "in_allowance": True, "title": "Monthly review"},
                    "obligations": [{"kind": "roadmap", "every": "week"}],
                }
            },
        }
    )
    gold = custom.plan("gold")
    assert (gold.title, gold.sessions, gold.weekly_hours_cap, gold.max_contacts, gold.session_minutes) == ("Gold", 2, 6, 5, 45)
    assert (type(gold.max_contacts), type(gold.session_minutes)) == (int, int)  # whole numbers stay whole
    assert (gold.review.every, gold.review.in_allowance, gold.review.title) == ("month", True, "Monthly review")
    # An obligation without a title is called by its kind (P3).
    assert [(o.kind, o.title, o.every) for o in gold.obligations] == [("roadmap", "roadmap", "week")]
    assert (custom.caseload_cap, custom.caseload_warn_share, custom.working_hours_per_week) == (12, 0.5, 32)
    assert custom.business_hours == BusinessHours.parse("08:00-16:00")


def test_a_bare_catalogue_takes_spec_s_defaults():
    # P2: 10 h a week and 3 contacts; S1: 60-minute sessions; S8: a quarterly review outside the
    # allowance; C1: 30 cases; C3: a warning from 90%; B4: 40 working hours; T4: 09:00-17:00.
    bare = catalogue_from_dict({"plans": {"x": {}}})
    x = bare.plan("x")
    assert (x.title, x.sessions, x.period, x.weekly_hours_cap, x.max_contacts, x.session_minutes) == ("x", 0, None, 10, 3, 60)
    assert (x.review.every, x.review.in_allowance, x.review.title) == ("quarter", False, "Review")
    assert (bare.caseload_cap, bare.caseload_warn_share, bare.working_hours_per_week) == (30, 0.9, 40)
    assert bare.business_hours == BusinessHours.parse("09:00-17:00")


def test_catalogue_refusals_name_the_field():
    def refused(data) -> str:
        with pytest.raises(BadInput) as error:
            catalogue_from_dict(data)
        return str(error.value)

    assert refused({"plans": {}}) == "plan catalogue: no plans"
    assert refused({"desk": {"caseload_cap": 30}}) == "plan catalogue: no plans"  # no [plans] table at all
    assert refused({"plans": {"x": {"sessions": -1}}}) == "plan catalogue: plans.x.sessions must be a number of 0 or more"
    assert refused({"plans": {"x": {"max_contacts": 2.5}}}) == "plan catalogue: plans.x.max_contacts must be a whole number"
    assert refused({"plans": {"x": {"session_minutes": 30.5}}}) == "plan catalogue: plans.x.session_minutes must be a whole number"
    # true is not a number of hours, though Python counts a bool as an int.
    assert refused({"plans": {"x": {"weekly_hours_cap": True}}}) == (
        "plan catalogue: plans.x.weekly_hours_cap must be a number of 0 or more"
    )
    assert refused({"plans": {"x": {"review": {"every": "day"}}}}) == (
        "plan catalogue: plans.x.review.every must be one of week, month, quarter"
    )
    assert refused({"plans": {"x": {"obligations": [{"kind": "roadmap", "every": "day"}]}}}) == (
        "plan catalogue: plans.x.obligations.every must be one of week, month, quarter"
    )
    for key in ("caseload_cap", "caseload_warn_share", "working_hours_per_week"):
        assert refused({"desk": {key: -1}, "plans": {"x": {}}}) == f"plan catalogue: desk.{key} must be a number of 0 or more"
