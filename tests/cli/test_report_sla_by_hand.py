"""``report sla`` and the L10 deadline warnings through the real command line (SPEC L1, L4, L8, L10).

The TAM is in Madrid (UTC+1 all through November and December 2026: summer time ended on
25 October). Wayne is on ``express`` (004): 24x7 clocks (L7), so a target of N minutes falls due
N real minutes later and the expectations below are plain additions. Tyrell is on ``tam-a``:
business clocks in New York (09:00-17:00, UTC-5 in November). L1's targets: critical 30 min
response, 2 h update, 4 h / 8 h escalations; high 2 h, 4 h, 8 h / 16 h; escalations run from the
first response (L1), the next update from the last response or update (L8).
"""

from __future__ import annotations

import json
from typing import Callable

import pytest

from tamdesk.services.desk import Desk
from tests import databases
from tests.cli.conftest import desk_by_commands
from tests.conftest import table_rows


def utc(text: str) -> tuple[str, str]:
    """The clock for one command, in UTC."""
    return ("--now", f"{text}+00:00")


def _five_cases(ok: Callable[..., str]) -> None:
    """Five cases whose verdicts are worked out by hand in each step's comment (all times UTC)."""

    def case(number: int, customer: str, title: str, severity: str, filed: str, *steps: tuple[str, ...]) -> None:
        """Case ``number`` opened at ``filed``, then each step (its clock, the action and its options) on it."""
        ok("case", "open", customer, title, "--severity", severity, *utc(filed))
        for clock, action, *options in steps:
            ok("case", action, str(number), *options, *utc(clock))

    ok("customer", "add", "Wayne", "--plan", "express", "--tz", "America/Chicago", "--country", "US", *utc("2026-10-01T00:00"))
    ok("customer", "add", "Tyrell", "--plan", "tam-a", "--tz", "America/New_York", "--country", "US", *utc("2026-10-01T00:00"))
    # Case 1, Wayne, critical, filed Sat 31 Oct 22:30 (Madrid 23:30): response due 23:00, which is
    # Sun 1 Nov 00:00 in Madrid, the first instant of November there. Responded 22:45: met.
    # Resolved 22:50, before the update (00:45) and the escalations (02:45, 06:45) fall due: dropped (L8).
    case(1, "Wayne", "Boundary", "critical", "2026-10-31T22:30",
         ("2026-10-31T22:45", "respond"),
         ("2026-10-31T22:50", "resolve"))
    # Case 2, Wayne, critical, filed Tue 10 Nov 10:00: response due 10:30, responded 10:20: met.
    # From 10:20: update due 12:20, escalation 2 due 14:20, 3 due 18:20. Updated 12:30: the update is
    # missed (10 min late); the next is due 14:30. Escalated to 2 at 14:20, on the dot: met.
    # Resolved 14:25: the update due 14:30 and escalation 3 due 18:20 had not fallen due: dropped.
    case(2, "Wayne", "Outage", "critical", "2026-11-10T10:00",
         ("2026-11-10T10:20", "respond"),
         ("2026-11-10T12:30", "update"),
         ("2026-11-10T14:20", "escalate", "--level", "2"),
         ("2026-11-10T14:25", "resolve"))
    # Case 3, Wayne, high, filed Thu 12 Nov 09:00: response due 11:00, responded 11:01: missed.
    # From 11:01: update due 15:01, escalation 2 due 19:01, 3 due Fri 13 Nov 03:01 (16 h). Nothing more
    # was done and it was resolved Fri 13 Nov 04:00, after all three fell due: all three breached (L10).
    case(3, "Wayne", "Slow sync", "high", "2026-11-12T09:00",
         ("2026-11-12T11:01", "respond"),
         ("2026-11-13T04:00", "resolve"))
    # Case 4, Tyrell, high, filed Mon 16 Nov 14:00 (09:00 in New York, the opening): response due two
    # business hours later, 11:00 New York = 16:00 UTC. Responded 16:30: missed. Resolved 16:31, a
    # minute later: its update (4 business hours) and escalations had not fallen due: dropped.
    case(4, "Tyrell", "Login fails", "high", "2026-11-16T14:00",
         ("2026-11-16T16:30", "respond"),
         ("2026-11-16T16:31", "resolve"))
    # Case 5, Wayne, critical, filed Mon 30 Nov 22:30 (Madrid 23:30): response due 23:00 UTC, which is
    # Tue 1 Dec 00:00 in Madrid: December's, not November's. Responded 23:10: missed. Resolved 23:15.
    case(5, "Wayne", "Late night", "critical", "2026-11-30T22:30",
         ("2026-11-30T23:10", "respond"),
         ("2026-11-30T23:15", "resolve"))


@pytest.fixture(scope="session")
def five_cases(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The five cases' desk, built by their commands once per run."""
    return desk_by_commands(tmp_path_factory, "sla-five-cases", _five_cases)


@pytest.fixture
def history(run, db_url, five_cases):
    """This test's copy of the five cases' desk (``_five_cases``); ``run`` runs commands on it."""
    databases.copy(five_cases, db_url)
    return run


def report(run, *args: str) -> dict:
    code, out, err = run("report", "sla", "--json", *utc("2026-12-05T12:00"), *args)
    assert code == 0, err
    return json.loads(out)


def share(on_time: int, late: int, target: float) -> dict:
    counted = on_time + late
    value = on_time / counted if counted else None
    return {"on_time": on_time, "late": late, "share": value, "target": target,
            "met": None if value is None else value >= target}


def test_november_counts_every_deadline_due_in_it_from_madrids_first_to_last_day(history):
    got = report(history, "--from", "2026-11-01", "--to", "2026-11-30")
    # First responses due in November (Madrid): case 1 (due at its first instant) met, case 2 met,
    # case 3 missed, case 4 missed; case 5's falls due on 1 December: not counted. 2 of 4.
    # Updates: case 2's first missed, case 3's breached: 0 of 2 (case 2's second was dropped).
    # Escalations: case 2's level 2 met, case 3's level 2 and 3 breached: 1 of 3.
    # Updates and escalations pooled: 1 of 5.
    assert got == {
        "from": "2026-11-01",
        "to": "2026-11-30",
        "first_response": share(2, 2, 0.95),
        "updates": share(0, 2, 0.9),
        "escalations": share(1, 2, 0.9),
        "updates_and_escalations": share(1, 4, 0.9),
        "misses": [  # in the order they fell due
            {"case": 2, "customer": "Wayne", "kind": "update", "due": "2026-11-10T12:20:00+00:00", "done_at": "2026-11-10T12:30:00+00:00"},
            {"case": 3, "customer": "Wayne", "kind": "response", "due": "2026-11-12T11:00:00+00:00", "done_at": "2026-11-12T11:01:00+00:00"},
            {"case": 3, "customer": "Wayne", "kind": "update", "due": "2026-11-12T15:01:00+00:00", "done_at": None},
            {"case": 3, "customer": "Wayne", "kind": "escalation-2", "due": "2026-11-12T19:01:00+00:00", "done_at": None},
            {"case": 3, "customer": "Wayne", "kind": "escalation-3", "due": "2026-11-13T03:01:00+00:00", "done_at": None},
            {"case": 4, "customer": "Tyrell", "kind": "response", "due": "2026-11-16T16:00:00+00:00", "done_at": "2026-11-16T16:30:00+00:00"},
        ],
    }
    assert got["first_response"]["share"] == 0.5 and got["updates_and_escalations"]["share"] == 0.2


def test_without_dates_the_report_is_the_current_month_in_the_tams_zone(history):
    # On 5 December the month is December: only case 5's response (due 1 Dec 00:00 Madrid) counts, missed.
    got = report(history)
    assert (got["from"], got["to"]) == ("2026-12-01", "2026-12-31")
    assert got["first_response"] == share(0, 1, 0.95)
    assert [(m["case"], m["kind"]) for m in got["misses"]] == [(5, "response")]
    # The day before, 30 November, is November's: its last day ends at Madrid's midnight, case 5's due.
    got = report(history, *utc("2026-11-30T22:59"))
    assert (got["from"], got["to"]) == ("2026-11-01", "2026-11-30")


def test_a_period_with_nothing_due_has_no_share_and_no_verdict(history):
    got = report(history, "--from", "2026-10-01", "--to", "2026-10-31")
    # Case 1's response falls due at 1 Nov 00:00 Madrid, the instant after 31 October ends: nothing in October.
    for key in ("first_response", "updates", "escalations", "updates_and_escalations"):
        assert got[key]["share"] is None and got[key]["met"] is None and got[key]["on_time"] == got[key]["late"] == 0
    assert got["misses"] == []


def test_a_single_day_is_from_and_to_the_same_date(history):
    # 12 November: case 3's response (11:00), update (15:01) and escalation 2 (19:01, 20:01 in Madrid).
    got = report(history, "--from", "2026-11-12", "--to", "2026-11-12")
    assert (got["first_response"], got["updates"], got["escalations"]) == (
        share(0, 1, 0.95), share(0, 1, 0.9), share(0, 1, 0.9))


def test_pending_deadlines_do_not_count_yet(history):
    # On 10 November at 14:10, case 2's escalation 2 (due 14:20) is pending: not counted (L10);
    # its update due 12:20 has been done late (12:30 is history by then).
    got = report(history, "--from", "2026-11-10", "--to", "2026-11-10", *utc("2026-11-10T14:10"))
    assert got["escalations"] == share(0, 0, 0.9)
    assert got["updates"] == share(0, 1, 0.9)


def test_customer_keeps_only_that_customers_cases(history):
    got = report(history, "--from", "2026-11-01", "--to", "2026-11-30", "--customer", "tyrell")
    # Tyrell has case 4 only: its response missed; nothing else counts.
    assert got["first_response"] == share(0, 1, 0.95)
    assert got["updates_and_escalations"] == share(0, 0, 0.9)
    assert [m["case"] for m in got["misses"]] == [4]
    got = report(history, "--from", "2026-11-01", "--to", "2026-11-30", "--customer", "Wayne")
    assert got["first_response"] == share(2, 1, 0.95)


def test_the_human_report_shows_shares_against_targets_and_misses_in_the_tams_zone(history):
    code, out, err = history("report", "sla", "--from", "2026-11-01", "--to", "2026-11-30", *utc("2026-12-05T12:00"))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "SLA compliance 2026-11-01 to 2026-11-30 (Europe/Madrid)"
    assert lines[2].split() == ["first", "responses", "2", "2", "50.0%", "95%", "NO"]
    # Case 4's response was due 16:00 UTC, 17:00 in Madrid, and done 16:30, 17:30 in Madrid.
    assert any(line.split() == ["4", "Tyrell", "response", "Mon", "2026-11-16", "17:00", "Mon", "2026-11-16", "17:30"] for line in lines)
    assert any(line.split()[:3] == ["3", "Wayne", "escalation-3"] and line.endswith("breached") for line in lines)


@pytest.mark.parametrize("args", [
    ("--from", "2026-13-01"),
    ("--to", "someday"),
    ("--from", "2026-11-30", "--to", "2026-11-01"),  # a period that ends before it starts
    ("--customer", "nobody"),
])
def test_bad_dates_or_customer_exit_2_and_change_nothing(history, db_url, args):
    before = table_rows(Desk.open(str(db_url)))
    code, out, err = history("report", "sla", "--json", *args)
    assert code == 2, err
    assert json.loads(out)["error"]["code"] == 2
    assert table_rows(Desk.open(str(db_url))) == before


# ---------------------------------------------------------------- L10 warnings


@pytest.fixture
def wayne(run):
    """Wayne on express (24x7) with case 1, critical, filed at 07:00 UTC: response due 07:30."""
    assert run("customer", "add", "Wayne", "--plan", "express", "--tz", "America/Chicago", *utc("2026-11-23T06:00"))[0] == 0
    assert run("case", "open", "Wayne", "Login fails", "--severity", "critical", *utc("2026-11-23T07:00"))[0] == 0
    return run


def l10(run, clock: str) -> list[dict]:
    code, out, err = run("warnings", "--json", *utc(clock))
    assert code == 0, err
    return [w for w in json.loads(out) if w["rule"] == "L10"]


def test_a_deadline_warns_once_a_quarter_of_its_interval_or_less_is_left(wayne):
    # The response's interval is 30 min; a quarter is 7.5 min. At 07:22, 8 min are left: no warning.
    assert l10(wayne, "2026-11-23T07:22") == []
    # At 07:23, 7 min are left, under 7.5.
    assert l10(wayne, "2026-11-23T07:23") == [
        {"customer": "Wayne", "rule": "L10", "text": "case 1 (Login fails): response due in 7 min"}]
    # On the dot it is still pending (breached is after due, L10).
    assert [w["text"] for w in l10(wayne, "2026-11-23T07:30")] == ["case 1 (Login fails): response due now"]


def test_a_breach_warns_until_the_deadline_is_done(wayne):
    assert [w["text"] for w in l10(wayne, "2026-11-23T07:31")] == ["case 1 (Login fails): response 1 min late"]
    # Responded at 07:35: the response is missed (no more warning); the update is due 09:35 and the
    # escalations 11:35 and 15:35. At 11:35 the update is 2 h late and escalation 2 due now
    # (its 4 h interval, a quarter 1 h: 0 left); escalation 3 has 4 of 8 h left, more than 2 h.
    assert wayne("case", "respond", "1", *utc("2026-11-23T07:35"))[0] == 0
    assert l10(wayne, "2026-11-23T07:36") == []
    assert [w["text"] for w in l10(wayne, "2026-11-23T11:35")] == [
        "case 1 (Login fails): update 2 h late", "case 1 (Login fails): escalation-2 due now"]


def test_week_json_shows_the_same_deadline_warnings(wayne):
    code, out, err = wayne("week", "--json", *utc("2026-11-23T07:31"))
    assert code == 0, err
    assert {"customer": "Wayne", "rule": "L10", "text": "case 1 (Login fails): response 1 min late"} in json.loads(out)["warnings"]


def test_resolved_cases_warn_no_more_and_paused_ones_only_of_breaches(wayne):
    assert wayne("case", "wait", "1", *utc("2026-11-23T07:20"))[0] == 0
    # Paused at 07:20 with 10 min left: the clock stands still, no warning however late it gets (L9).
    assert l10(wayne, "2026-11-23T09:00") == []
    assert wayne("case", "resolve", "1", *utc("2026-11-23T09:05"))[0] == 0
    assert l10(wayne, "2026-11-23T12:00") == []


def test_a_queued_case_warns_too(wayne, run):
    # C2: at the cap a case waits in the queue, but its customer is already waiting (L8).
    for n in range(29):
        assert run("case", "open", "Wayne", f"Filler {n}", "--severity", "normal", *utc("2026-11-23T06:30"))[0] == 0
    code, out, err = run("case", "open", "Wayne", "Queued one", "--severity", "critical", "--queue", *utc("2026-11-23T07:00"))
    assert code == 0, err
    texts = [w["text"] for w in l10(run, "2026-11-23T07:31")]
    assert "case 31 (Queued one): response 1 min late" in texts


def test_one_end_alone_keeps_to_its_month(history):
    # --from alone runs to the end of its month, --to alone from the first of its own.
    got = report(history, "--from", "2026-11-12")
    assert (got["from"], got["to"]) == ("2026-11-12", "2026-11-30")
    # From 12 November: case 3's response (missed) and case 4's (missed); cases 1 and 2 fell due before.
    assert got["first_response"] == share(0, 2, 0.95)
    got = report(history, "--to", "2026-11-10")
    assert (got["from"], got["to"]) == ("2026-11-01", "2026-11-10")
    # To 10 November: case 1's response (1 Nov 00:00 Madrid) and case 2's, both met.
    assert got["first_response"] == share(2, 0, 0.95)
