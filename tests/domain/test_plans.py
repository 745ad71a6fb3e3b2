"""P1-P3: the shipped catalogue and its validation."""

from decimal import Decimal

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
    # Not read: the plan's response target to the customer (P1); a case's clocks run to L1's targets.
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


# ---------------------------------------------------------------- SLA targets, clocks and rates (L1, L2, L4, P1)


@pytest.mark.parametrize(
    "severity, response, update, escalate_2, escalate_3",
    [  # SPEC L1's table (001): minutes for hours and minutes, (days,) for day targets (L7)
        ("critical", 30, 120, 240, 480),
        ("high", 120, 240, 480, 960),
        ("normal", 240, (1,), (2,), (4,)),
    ],
)
def test_l1_shipped_targets(catalogue, severity, response, update, escalate_2, escalate_3):
    def said(target):
        return (target.days,) if target.days else target.minutes

    for plan in catalogue.plans.values():
        targets = plan.sla_targets[severity]
        assert [said(t) for t in (targets.response, targets.update, targets.escalate_2, targets.escalate_3)] == [
            response, update, escalate_2, escalate_3
        ]


def test_l2_every_shipped_plan_runs_business_clocks_but_express(catalogue):
    # L7: "Every shipped plan runs business clocks except express (004), which runs 24x7".
    assert {key: plan.sla_clock for key, plan in catalogue.plans.items()} == {
        "tam-a": "business", "tam-b": "business", "tam-c": "business", "csm": "business",
        "premium": "business", "standard": "business", "express": "24x7",
    }


def test_p1_express_plan_and_rates(catalogue):
    # P1 (004): no sessions, no review calls, 35 USD/h; on_demand ships equal to the express rate, and
    # a plan's extra-work rate is the on-demand one until the user sets its own.
    express = catalogue.plan("express")
    assert (express.sessions, express.has_allowance, express.review.every) == (0, False, None)
    assert (catalogue.rates.express, catalogue.rates.on_demand, catalogue.rates.currency) == (Decimal("35"), Decimal("35"), "USD")
    assert {plan.extra_work_rate for plan in catalogue.plans.values()} == {Decimal("35")}
    assert all(type(r) is Decimal for r in (catalogue.rates.express, catalogue.plan("tam-a").extra_work_rate))


def test_l4_shipped_compliance_targets(catalogue):
    assert (catalogue.compliance.first_response, catalogue.compliance.updates_and_escalations) == (0.95, 0.9)


def test_a_user_catalogue_sets_its_own_targets_clock_and_rates():
    # Each figure set to a value no default has: the desk's critical response 15 min, a plan's own
    # normal update of 2 days over it, a rate per plan, on_demand apart from express, other targets.
    custom = catalogue_from_dict(
        {
            "defaults": {"sla_clock": "24x7"},
            "sla_targets": {"critical": {"response": "15 min"}},
            "sla": {"first_response_target": 0.8, "updates_and_escalations_target": 0.75},
            "rates": {"express": 40, "on_demand": "27.50", "currency": "EUR"},
            "plans": {
                "gold": {"sla_targets": {"normal": {"update": "2 days"}}, "extra_work_rate": 30.25},
                "silver": {"sla_clock": "business"},
            },
        }
    )
    gold, silver = custom.plan("gold"), custom.plan("silver")
    assert (gold.sla_clock, silver.sla_clock) == ("24x7", "business")
    assert gold.sla_targets["critical"].response.minutes == 15 == silver.sla_targets["critical"].response.minutes
    assert gold.sla_targets["critical"].update.minutes == 120  # untouched keys keep L1's
    assert (gold.sla_targets["normal"].update.days, silver.sla_targets["normal"].update.days) == (2, 1)
    assert (custom.rates.express, custom.rates.on_demand, custom.rates.currency) == (Decimal(40), Decimal("27.50"), "EUR")
    assert (gold.extra_work_rate, silver.extra_work_rate) == (Decimal("30.25"), Decimal("27.50"))
    assert (custom.compliance.first_response, custom.compliance.updates_and_escalations) == (0.8, 0.75)
    # With no on_demand of its own, the on-demand rate is the express one (P1).
    assert catalogue_from_dict({"rates": {"express": 50}, "plans": {"x": {}}}).rates.on_demand == Decimal(50)


def test_the_first_spelling_of_a_business_clock_is_still_read():
    # A user's copy of the catalogue from before L2 was read says "business-hours".
    assert catalogue_from_dict({"defaults": {"sla_clock": "business-hours"}, "plans": {"x": {}}}).plan("x").sla_clock == "business"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"plans": {"x": {"sla_clock": "weekly"}}}, "plan catalogue: plans.x.sla_clock must be business or 24x7, not 'weekly'"),
        ({"sla_targets": {"urgent": {}}}, "plan catalogue: sla_targets.urgent is not a severity: use critical, high or normal"),
        ({"sla_targets": {"high": {"resolve": "1 h"}}}, "plan catalogue: sla_targets.high: unknown key resolve; the keys are response, update, escalate_2, escalate_3"),
        ({"sla_targets": {"high": {"response": 30}}}, "plan catalogue: sla_targets.high.response must be a duration of at least 1 minute with its unit"),
        ({"sla_targets": {"high": {"response": "30"}}}, "plan catalogue: sla_targets.high.response must be a duration of at least 1 minute with its unit"),
        ({"sla_targets": {"normal": {"update": "0 days"}}}, "plan catalogue: sla_targets.normal.update must be a duration of at least 1 minute with its unit, such as \"30 min\", \"2 h\" or \"1 day\", not '0 days'"),
        ({"sla_targets": {"high": {"response": "soon"}}}, "plan catalogue: sla_targets.high.response must be a duration of at least 1 minute with its unit, such as \"30 min\", \"2 h\" or \"1 day\", not 'soon'"),
        ({"plans": {"x": {"sla_targets": {"normal": {"update": "two days"}}}}}, "plan catalogue: plans.x.sla_targets.normal.update must be a duration of at least 1 minute with its unit"),
        ({"rates": {"express": -1}}, "plan catalogue: rates.express must be an hourly rate of 0 or more with at most cents, not -1"),
        ({"rates": {"on_demand": "35.001"}}, "plan catalogue: rates.on_demand must be an hourly rate of 0 or more with at most cents"),
        ({"rates": {"express": "cheap"}}, "plan catalogue: rates.express must be an hourly rate"),
        ({"rates": {"express": True}}, "plan catalogue: rates.express must be an hourly rate"),
        ({"plans": {"x": {"extra_work_rate": "nan"}}}, "plan catalogue: plans.x.extra_work_rate must be an hourly rate"),
        ({"sla_targets": {"critical": {"update": "0 min"}}}, "plan catalogue: sla_targets.critical.update must be a duration of at least 1 minute"),
        ({"sla_targets": {"critical": {"update": "0.5 min"}}}, "plan catalogue: sla_targets.critical.update must be a duration of at least 1 minute"),
        ({"sla": {"first_response_target": 1.5}}, "plan catalogue: sla.first_response_target must be a share above 0 and at most 1"),
        ({"sla": {"updates_and_escalations_target": 0}}, "plan catalogue: sla.updates_and_escalations_target must be a share above 0"),
    ],
)
def test_bad_sla_values_are_refused_naming_the_key(data, message):
    data = {"plans": {"x": {}}, **data}
    with pytest.raises(BadInput) as error:
        catalogue_from_dict(data)
    assert str(error.value).startswith(message)
