"""``tamdesk report sla``: L4's compliance over a period, through the real command line (SPEC L4, L10).

The desk runs in Madrid (UTC+1 in November). Acme is on ``express``: its clocks run 24x7 (L7), so every due
time below is plain arithmetic on UTC instants.
"""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import changes_nothing


def madrid(hhmm: str) -> tuple[str, str]:
    """``--now`` on Monday 23 November 2026 at ``hhmm`` UTC, written in Madrid's offset."""
    hours, minutes = map(int, hhmm.split(":"))
    return ("--now", f"2026-11-23T{hours + 1:02d}:{minutes:02d}:00+01:00")


@pytest.fixture
def history(run):
    """Two cases filed at 07:00 UTC: 1 critical, responded at 07:20; 2 high, responded at 09:10."""
    assert run("customer", "add", "Acme", "--plan", "express", "--tz", "America/New_York", "--country", "US")[0] == 0
    assert run("case", "open", "Acme", "Site down", "--severity", "critical", *madrid("07:00"))[0] == 0
    assert run("case", "open", "Acme", "Reports slow", "--severity", "high", *madrid("07:00"))[0] == 0
    assert run("case", "respond", "1", *madrid("07:20"))[0] == 0
    assert run("case", "respond", "2", *madrid("09:10"))[0] == 0
    return run


def test_the_report_pools_every_deadline_due_in_the_period_by_hand(history):
    # L1 targets from the responses: case 1 (critical) response 30 min -> 07:30, met at 07:20; update 2 h after 07:20
    # -> 09:20, not done; level 2 within 4 h -> 11:20, not done; level 3 within 8 h -> 15:20.
    # Case 2 (high): response 2 h -> 09:00, done 09:10 (missed); update 4 h after 09:10 -> 13:10; level 2, 3 later.
    # At 12:00 UTC: case 1's update and level 2 are breached, its level 3 pending; case 2's update and escalations pending.
    # So (L10: pending ones do not count): first responses 1 on time, 1 late (50%); updates 0/1; escalations 0/1;
    # updates and escalations 0/2. The month is November in Madrid, the default period.
    code, out, err = history("report", "sla", "--json", *madrid("12:00"))
    assert code == 0, err
    assert json.loads(out) == {
        "from": "2026-11-01", "to": "2026-11-30",
        "first_response": {"on_time": 1, "late": 1, "share": 0.5, "target": 0.95, "met": False},
        "updates": {"on_time": 0, "late": 1, "share": 0.0, "target": 0.9, "met": False},
        "escalations": {"on_time": 0, "late": 1, "share": 0.0, "target": 0.9, "met": False},
        "updates_and_escalations": {"on_time": 0, "late": 2, "share": 0.0, "target": 0.9, "met": False},
        "misses": [
            {"case": 2, "customer": "Acme", "kind": "response", "due": "2026-11-23T09:00:00+00:00", "done_at": "2026-11-23T09:10:00+00:00"},
            {"case": 1, "customer": "Acme", "kind": "update", "due": "2026-11-23T09:20:00+00:00", "done_at": None},
            {"case": 1, "customer": "Acme", "kind": "escalation-2", "due": "2026-11-23T11:20:00+00:00", "done_at": None},
        ],
    }
    code, out, _ = history("report", "sla", *madrid("12:00"))
    assert code == 0 and "first responses" in out and "50.0%" in out and "breached" in out


def test_a_period_with_nothing_due_has_no_share(history):
    # October: nothing fell due then (L10: no share, never 100% of nothing)
    code, out, _ = history("report", "sla", "--from", "2026-10-01", "--to", "2026-10-31", "--json", *madrid("12:00"))
    report = json.loads(out)
    assert code == 0 and report["misses"] == []
    assert report["first_response"] == {"on_time": 0, "late": 0, "share": None, "target": 0.95, "met": None}
    assert report["updates_and_escalations"]["share"] is None


def test_the_report_keeps_to_one_customer(history):
    assert history("customer", "add", "Umbrella", "--plan", "express", "--tz", "Europe/Berlin")[0] == 0
    code, out, _ = history("report", "sla", "--customer", "umbrella", "--json", *madrid("12:00"))
    assert code == 0 and json.loads(out)["first_response"]["share"] is None


@pytest.mark.parametrize("args, words", [
    (["--from", "2026-11-30", "--to", "2026-11-01"], "--to comes before --from"),
    (["--from", "soon"], "YYYY-MM-DD"),
    (["--customer", "Nobody"], "unknown customer"),
])
def test_bad_report_input_exits_2_and_changes_nothing(history, db_url, args, words):
    code, _, err = changes_nothing(history, db_url, "report", "sla", *args)
    assert code == 2 and words in err


def test_both_days_of_the_period_are_included_in_your_zone(history):
    # Every deadline counted above fell due on Monday 23 November in Madrid: a period of that one day holds all three
    # misses; the days before it, or after it, none.
    def late(*days: str) -> int:
        out = history("report", "sla", "--from", days[0], "--to", days[1], "--json", *madrid("12:00"))[1]
        return len(json.loads(out)["misses"])

    assert (late("2026-11-23", "2026-11-23"), late("2026-11-01", "2026-11-22"), late("2026-11-24", "2026-11-30")) == (3, 0, 0)


@pytest.mark.parametrize("clock, said", [
    ("07:22", None),  # 8 of the response's 30 minutes left: more than a quarter (7.5)
    ("07:23", "case 1 (Site down): response due in 7 min"),
    ("07:31", "case 1 (Site down): response 1 min late"),
])
def test_warnings_name_a_case_whose_deadline_is_near_or_breached(run, clock, said):
    # L10 on express (24x7): case 1, critical, filed 07:00 UTC, owes its first response within 30 min, by 07:30.
    assert run("customer", "add", "Acme", "--plan", "express", "--tz", "America/New_York")[0] == 0
    assert run("case", "open", "Acme", "Site down", "--severity", "critical", *madrid("07:00"))[0] == 0
    code, out, _ = run("warnings", "--json", *madrid(clock))
    assert code == 0
    assert [w["text"] for w in json.loads(out) if w["rule"] == "L10"] == ([said] if said else [])
    assert all(w["customer"] == "Acme" for w in json.loads(out) if w["rule"] == "L10")
