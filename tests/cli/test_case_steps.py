"""A case's steps on the clock through the real command line: respond, update, escalate, wait, resume,
checklist, severity, reopen, show and list (issue 16; SPEC L1, L5, L8, L9, C1).

The desk runs in Madrid (UTC+1 in November); NOW is Monday 23 November 2026, 08:00 there, 07:00 UTC.
Every event is stamped with the clock the command ran at, so each expected ``at`` below is the
``--now`` given, in UTC.
"""

from __future__ import annotations

import json

import pytest

from tamdesk.services.cases import open_case
from tamdesk.services.desk import Desk
from tests.cli.conftest import changes_nothing
from tests.databases import sql


def at(text: str) -> tuple[str, str]:
    """The clock for one command: ``--now`` in Madrid's offset (+01:00)."""
    return ("--now", f"{text}+01:00")


@pytest.fixture
def acme(run):
    """Acme (tam-a, New York, US holidays) with case 1, high, filed and opened at NOW."""
    assert run("customer", "add", "Acme", "--plan", "tam-a", "--tz", "America/New_York", "--country", "US")[0] == 0
    code, out, err = run("case", "open", "Acme", "Login fails", "--severity", "high")
    assert (code, out) == (0, "1\n"), err
    return run


def shown(run, case: int = 1, *clock: str) -> dict:
    """``case show --json``, at NOW or at the ``clock`` given (events after the clock are not history yet)."""
    code, out, err = run("case", "show", str(case), "--json", *clock)
    assert code == 0, err
    return json.loads(out)


def steps(run, case: int = 1) -> list[tuple]:
    """The case's history as (kind, at, level, severity, item, note)."""
    return [(e["kind"], e["at"], e["level"], e["severity"], e["item"], e["note"]) for e in shown(run, case)["events"]]


def test_each_step_is_an_event_stamped_with_the_clock_it_ran_at(acme):
    assert acme("case", "respond", "1", "--note", "looking into it", *at("2026-11-23T09:15"))[0] == 0
    assert acme("case", "update", "1", *at("2026-11-23T10:00"))[0] == 0
    assert acme("case", "escalate", "1", "--level", "2", "--note", "needs the SSO team", *at("2026-11-23T11:30"))[0] == 0
    assert acme("case", "wait", "1", "--note", "asked for logs", *at("2026-11-23T12:00"))[0] == 0
    assert acme("case", "resume", "1", *at("2026-11-23T13:05"))[0] == 0
    assert acme("case", "severity", "1", "critical", *at("2026-11-23T14:00"))[0] == 0
    # Madrid is UTC+1: each --now above is one hour earlier in UTC.
    assert steps(acme) == [
        ("filed", "2026-11-23T07:00:00+00:00", None, "high", None, None),
        ("opened", "2026-11-23T07:00:00+00:00", None, None, None, None),
        ("responded", "2026-11-23T08:15:00+00:00", None, None, None, "looking into it"),
        ("updated", "2026-11-23T09:00:00+00:00", None, None, None, None),
        ("escalated", "2026-11-23T10:30:00+00:00", 2, None, None, "needs the SSO team"),
        ("waiting", "2026-11-23T11:00:00+00:00", None, None, None, "asked for logs"),
        ("resumed", "2026-11-23T12:05:00+00:00", None, None, None, None),
        ("severity", "2026-11-23T13:00:00+00:00", None, "critical", None, None),
    ]
    case = shown(acme, 1, *at("2026-11-23T14:00"))
    assert (case["severity"], case["level"], case["status"], case["paused"]) == ("critical", 2, "open", False)


def test_waiting_shows_as_the_status_and_pauses_the_case_until_it_resumes(acme):
    assert acme("case", "wait", "1")[0] == 0
    listed = json.loads(acme("case", "list", "--json")[1])[0]
    assert (listed["status"], listed["paused"]) == ("waiting", True)  # L9: waiting on the customer pauses every clock
    code, out, _ = acme("case", "resume", "1")
    assert code == 0 and "clocks run again" in out
    case = shown(acme)
    assert (case["status"], case["paused"]) == ("open", False)


def test_case_show_and_list_carry_the_issue_keys_the_store_knows(acme):
    case = shown(acme)
    # tam-a runs business clocks (L7: every shipped plan but express); nothing escalated, linked or required yet
    assert {k: case[k] for k in ("id", "customer", "title", "severity", "status", "clock", "paused", "level", "problem", "checklist")} == {
        "id": 1, "customer": "Acme", "title": "Login fails", "severity": "high", "status": "open", "clock": "business",
        "paused": False, "level": 1, "problem": None, "checklist": None,
    }
    listed = json.loads(acme("case", "list", "--json")[1])
    assert [{k: c[k] for k in case if k != "events"} for c in listed] == [{k: v for k, v in case.items() if k != "events"}]


def test_a_checklist_pauses_the_case_until_all_four_items_are_done(acme):
    code, out, _ = acme("case", "open", "Acme", "Export breaks", "--severity", "normal", "--checklist")
    assert (code, out) == (0, "2\n")
    case = shown(acme, 2)
    assert case["checklist"] == {"description": False, "steps": False, "screenshots": False, "access": False}
    assert case["paused"] is True  # L5: the clock waits for a complete request
    code, out, _ = acme("case", "checklist", "2", "--done", "description", "--done", "steps", "--done", "screenshots")
    assert code == 0 and "incomplete" in out and "[x] steps" in out and "[ ] access" in out
    assert shown(acme, 2)["paused"] is True
    code, out, _ = acme("case", "checklist", "2", "--done", "access", *at("2026-11-23T09:00"))
    assert code == 0 and "complete: the clocks run" in out
    case = shown(acme, 2, *at("2026-11-23T09:00"))
    assert case["paused"] is False and all(case["checklist"].values())
    assert [(k, item, when) for k, when, _, _, item, _ in steps(acme, 2) if k == "checklist"] == [
        ("checklist", "description", "2026-11-23T07:00:00+00:00"),
        ("checklist", "steps", "2026-11-23T07:00:00+00:00"),
        ("checklist", "screenshots", "2026-11-23T07:00:00+00:00"),
        ("checklist", "access", "2026-11-23T08:00:00+00:00"),  # one hour after filing
    ]


def test_an_item_done_twice_is_kept_once_and_changes_nothing(acme, db_url):
    assert acme("case", "open", "Acme", "Export breaks", "--severity", "normal", "--checklist")[0] == 0
    assert acme("case", "checklist", "2", "--done", "steps")[0] == 0
    assert changes_nothing(acme, db_url, "case", "checklist", "2", "--done", "steps")[0] == 0
    assert changes_nothing(acme, db_url, "case", "checklist", "2")[0] == 0  # shows it


def test_escalating_straight_to_level_3_then_lower_is_refused(acme, db_url):
    code, out, _ = acme("case", "escalate", "1", "--level", "3")
    assert code == 0 and "level 3" in out
    assert shown(acme)["level"] == 3
    code, _, err = changes_nothing(acme, db_url, "case", "escalate", "1", "--level", "2")
    assert code == 2 and "already at level 3" in err


def test_reopen_opens_a_resolved_case_again_and_its_note_leaves_the_knowledge_base(acme):
    assert acme("case", "resolve", "1", "--note", "cleared the token cache")[0] == 0
    assert json.loads(acme("kb", "search", "token", "--json")[1])[0]["id"] == 1
    code, out, _ = acme("case", "reopen", "1", *at("2026-11-24T10:00"))
    assert code == 0 and "reopened" in out
    case = shown(acme)
    assert (case["status"], case["resolved_at"], case["resolution_note"]) == ("open", None, None)
    assert steps(acme)[-2:] == [
        ("resolved", "2026-11-23T07:00:00+00:00", None, None, None, "cleared the token cache"),
        ("reopened", "2026-11-24T09:00:00+00:00", None, None, None, None),
    ]
    assert json.loads(acme("kb", "search", "token", "--json")[1]) == []  # the note was the one word's only home


def test_reopening_at_the_caseload_cap_is_refused_and_changes_nothing(acme, db_url):
    # C1: 30 open cases is the cap. Case 1 resolved, then 30 others opened: reopening it would make 31.
    assert acme("case", "resolve", "1")[0] == 0
    desk = Desk.open(str(db_url))
    for i in range(30):
        open_case(desk, "Acme", f"case {i}", "normal")
    desk.close()
    code, _, err = changes_nothing(acme, db_url, "case", "reopen", "1")
    assert code == 3 and "C1" in err


def test_case_list_customer_keeps_to_that_customer(acme):
    assert acme("customer", "add", "Umbrella", "--plan", "premium", "--tz", "Europe/Berlin", "--country", "DE")[0] == 0
    assert acme("case", "open", "Umbrella", "Slow reports", "--severity", "normal")[0] == 0
    assert [c["id"] for c in json.loads(acme("case", "list", "--customer", "umbrella", "--json")[1])] == [2]
    assert [c["id"] for c in json.loads(acme("case", "list", "--json")[1])] == [1, 2]


def test_case_show_reads_the_history_in_your_zone(acme):
    assert acme("case", "respond", "1", "--note", "on it", *at("2026-11-23T09:15"))[0] == 0
    code, out, _ = acme("case", "show", "1")
    assert code == 0
    assert "Acme: Login fails" in out and "high, open, level 1, business clock" in out
    assert "Mon 2026-11-23 09:15  responded" in out and "on it" in out  # 09:15 Madrid, as given


BAD = [
    (["case", "respond", "77"], 2, "unknown case"),
    (["case", "respond", "2"], 2, "is resolved"),
    (["case", "update", "2", "--note", "x"], 2, "is resolved"),
    (["case", "escalate", "1", "--level", "4"], 2, "invalid choice"),
    (["case", "escalate", "1", "--level", "1"], 2, "invalid choice"),
    (["case", "escalate", "2", "--level", "2"], 2, "is resolved"),
    (["case", "resume", "1"], 2, "not waiting"),
    (["case", "wait", "77"], 2, "unknown case"),
    (["case", "checklist", "1", "--done", "steps"], 2, "carries no checklist"),
    (["case", "checklist", "3", "--done", "logs"], 2, "unknown checklist item"),
    (["case", "severity", "1", "high"], 2, "high already"),
    (["case", "severity", "1", "urgent"], 2, "invalid choice"),
    (["case", "severity", "2", "critical"], 2, "is resolved"),
    (["case", "reopen", "1"], 2, "not resolved"),
    (["case", "reopen", "x"], 2, "whole number"),
    (["case", "show", "77"], 2, "unknown case"),
    (["case", "list", "--customer", "Nobody"], 2, "unknown customer"),
]


@pytest.mark.parametrize("args, code, words", BAD, ids=[" ".join(a) for a, _, _ in BAD])
def test_bad_steps_exit_with_their_code_and_change_nothing(acme, db_url, args, code, words):
    # case 1 open (high), case 2 resolved, case 3 open with a checklist
    assert acme("case", "open", "Acme", "Old one", "--severity", "normal")[0] == 0
    assert acme("case", "resolve", "2", "--note", "done")[0] == 0
    assert acme("case", "open", "Acme", "Needs logs", "--severity", "normal", "--checklist")[0] == 0
    got, _, err = changes_nothing(acme, db_url, *args)
    assert got == code, err
    assert words in err


def test_case_show_says_every_deadline_and_the_next_on_the_customers_business_clock(acme):
    # Acme runs business clocks (tam-a, L7): 09:00-17:00 in New York (UTC-5 in November), US holidays.
    # Case 1 (high) was filed at NOW, Mon 23 Nov 07:00 UTC = 02:00 in New York, before opening: its clock starts
    # at 09:00 (14:00 UTC), so the 2 h response (L1) is due at 11:00 New York = 16:00 UTC, 120 clock minutes away.
    case = shown(acme)
    assert case["next_deadline"] == {"kind": "response", "due": "2026-11-23T16:00:00+00:00", "clock_minutes_left": 120}
    assert case["deadlines"] == [{"kind": "response", "due": "2026-11-23T16:00:00+00:00", "done_at": None, "state": "pending"}]
    # Responded at 10:30 New York (15:30 UTC): on time. From then (L1, L8): an update every 4 h, 14:30 New York;
    # level 2 within 8 h: 6 h 30 left on Monday, 1 h 30 on Tuesday, 10:30 New York; level 3 within 16 h:
    # 6 h 30 + 8 h, then 1 h 30 on Wednesday, 10:30 (Thanksgiving is the Thursday after).
    assert acme("case", "respond", "1", *at("2026-11-23T16:30"))[0] == 0
    case = shown(acme, 1, *at("2026-11-23T16:30"))
    assert case["deadlines"] == [
        {"kind": "response", "due": "2026-11-23T16:00:00+00:00", "done_at": "2026-11-23T15:30:00+00:00", "state": "met"},
        {"kind": "update", "due": "2026-11-23T19:30:00+00:00", "done_at": None, "state": "pending"},
        {"kind": "escalation-2", "due": "2026-11-24T15:30:00+00:00", "done_at": None, "state": "pending"},
        {"kind": "escalation-3", "due": "2026-11-25T15:30:00+00:00", "done_at": None, "state": "pending"},
    ]
    assert case["next_deadline"] == {"kind": "update", "due": "2026-11-23T19:30:00+00:00", "clock_minutes_left": 240}
    listed = json.loads(acme("case", "list", "--json", *at("2026-11-23T16:30"))[1])[0]
    assert (listed["next_deadline"], listed["deadlines"]) == (case["next_deadline"], case["deadlines"])
    # waiting on the customer pauses every clock: no next deadline while it waits (L9)
    assert acme("case", "wait", "1", *at("2026-11-23T17:00"))[0] == 0
    assert shown(acme, 1, *at("2026-11-23T17:00"))["next_deadline"] is None


def test_a_case_row_without_its_steps_reads_as_filed_when_the_row_says(acme, db_url):
    # A case written by another tool, with no steps: the clocks start at its filing (L8). Filed Monday
    # 23 Nov 2026 08:00 Madrid = 02:00 New York, before Acme's opening: high, 2 business hours from
    # 09:00 New York, due 11:00 EST = 16:00 UTC.
    sql(db_url, "DELETE FROM case_events WHERE case_id = 1")
    case = shown(acme)
    assert [(d["kind"], d["due"], d["state"]) for d in case["deadlines"]] == [
        ("response", "2026-11-23T16:00:00+00:00", "pending")
    ]
