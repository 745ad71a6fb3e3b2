"""One warnings list: ``tamdesk warnings``, ``tamdesk week`` and the desk give the same one (issue 15).

The desk's side of it is in ``tests/tui/test_warnings_list.py``.
"""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import runner
from tests.databases import sql


@pytest.fixture
def demo_run(demo_url, capsys):
    """Run ``tamdesk ARGS`` in-process on this test's copy of the demo; return (code, stdout, stderr)."""
    return runner(demo_url, capsys)


def overlap_this_week(path) -> list[tuple[int, str]]:
    """Older data, from before T7: Northwind's Tuesday call put on Umbrella's time behind the desk's back.

    Returns the two calls, (id, customer), by customer name.
    """
    ids = dict(sql(
        path,
        "SELECT c.id, u.name FROM calls c JOIN customers u ON u.id = c.customer_id "
        "WHERE c.status = 'scheduled' AND c.starts_at >= '2026-11-24' AND c.starts_at < '2026-11-25'",
    ))
    umbrella = next(i for i, name in ids.items() if name == "Umbrella GmbH")
    northwind = next(i for i, name in ids.items() if name == "Northwind Traders")
    sql(path, "UPDATE calls SET starts_at = (SELECT starts_at FROM calls WHERE id = :a) WHERE id = :b", a=umbrella, b=northwind)
    return [(northwind, "Northwind Traders"), (umbrella, "Umbrella GmbH")]


def test_warnings_lists_the_budget_and_overlap_warnings_week_shows(demo_run, demo_url):
    # B2: Wayne has 2.2 h this week (week --json); 8 h more takes it to 10.2 h, over premium's 10 h cap.
    assert demo_run("time", "log", "Wayne", "8", "--force")[0] == 0
    calls = overlap_this_week(demo_url)
    code, out, _ = demo_run("warnings", "--json")
    assert code == 0
    found = json.loads(out)
    rules = {(w["rule"], w["customer"]) for w in found}
    # B2 only for Wayne: every other customer is under their cap this week (the demo's week table).
    assert {c for r, c in rules if r == "B2"} == {"Wayne Enterprises"}
    # B3: Umbrella averaged over its cap the last four weeks (tests/tui/test_week.py works the average out).
    assert {c for r, c in rules if r == "B3"} == {"Umbrella GmbH"}
    # T7: both calls of the overlap, each named, in the TAM's zone: 15:00 Berlin is 15:00 Madrid.
    overlaps = [w["text"] for w in found if w["rule"] == "T7"]
    assert sorted(overlaps) == sorted(
        f"call {call_id} with {name}, Tue 24 Nov 15:00-16:00, overlaps another call; move or cancel one of them"
        for call_id, name in calls
    )


def test_week_and_warnings_give_the_same_list(demo_run, demo_url):
    assert demo_run("time", "log", "Wayne", "8", "--force")[0] == 0
    overlap_this_week(demo_url)
    listed = json.loads(demo_run("warnings", "--json")[1])
    week = json.loads(demo_run("week", "--json")[1])
    assert week["warnings"] == listed
    assert {"B2", "B3", "C3", "T7"} <= {w["rule"] for w in listed}
    # The human outputs too: week ends with what warnings prints.
    code, printed, _ = demo_run("warnings")
    assert code == 0 and demo_run("week")[1].endswith(printed)
    # The JSON keys week had before are still there (a contract): only "warnings" is new.
    assert {"week", "caseload", "customers", "tam", "recommendations", "warnings"} == set(week)
