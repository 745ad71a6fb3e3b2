"""C1-C3 through the store: the 30th and 31st case, the queue and its promotion."""


import pytest

from tamdesk.domain.errors import BadInput, Refusal
from tamdesk.services.cases import list_cases, load, open_case, resolve_case
from tests.conftest import table_rows


def fill(desk, n, customer_name="Acme"):
    return [open_case(desk, customer_name, f"Case {i}", "normal").id for i in range(n)]


def test_c1_thirtieth_opens_thirty_first_is_refused_and_changes_nothing(desk, customer):
    customer("Acme")
    ids = fill(desk, 29)
    assert open_case(desk, "Acme", "The 30th", "high").status == "open"
    rows = table_rows(desk)
    with pytest.raises(Refusal) as refused:
        open_case(desk, "Acme", "The 31st", "critical")
    assert refused.value.rule == "C1" and "cap of 30" in refused.value.message and "Queue it" in refused.value.message
    assert table_rows(desk) == rows
    assert str(load(desk)) == "30/30" and len(ids) == 29


def test_c2_queue_opens_by_severity_then_age_on_resolve(desk, at, customer):
    customer("Acme")
    first = fill(desk, 30)
    normal = open_case(at("2026-11-23T08:00:00+00:00"), "Acme", "old normal", "normal", queue=True)
    critical = open_case(at("2026-11-23T09:00:00+00:00"), "Acme", "critical", "critical", queue=True)
    high = open_case(at("2026-11-23T10:00:00+00:00"), "Acme", "high", "high", queue=True)
    assert (normal.queue_position, critical.queue_position, high.queue_position) == (1, 1, 2)
    queued = [c.title for c in list_cases(desk) if c.status == "queued"]
    assert queued == ["critical", "high", "old normal"]
    change = resolve_case(desk, first[0])
    assert change.promoted.title == "critical" and change.promoted.status == "open"
    assert resolve_case(desk, first[1]).promoted.title == "high"
    # resolving a queued case promotes nothing
    assert resolve_case(desk, normal.id).promoted is None
    assert load(desk).queued == 0


def test_c2_queue_flag_below_the_cap_simply_opens(desk, customer):
    customer("Acme")
    assert open_case(desk, "Acme", "x", "normal", queue=True).status == "open"


def test_c3_load_warns_from_27(desk, customer):
    customer("Acme")
    fill(desk, 26)
    assert not load(desk).warning
    fill(desk, 1)
    assert load(desk).warning


def test_case_bad_input(desk, customer):
    customer("Acme")
    with pytest.raises(BadInput, match="severity"):
        open_case(desk, "Acme", "x", "urgent")
    with pytest.raises(BadInput, match="title"):
        open_case(desk, "Acme", "  ", "high")
    with pytest.raises(BadInput, match="unknown case 7"):
        resolve_case(desk, 7)
    case = open_case(desk, "Acme", "x", "high")
    resolve_case(desk, case.id)
    with pytest.raises(Refusal, match="already resolved"):
        resolve_case(desk, case.id)
