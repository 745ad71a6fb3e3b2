"""``tamdesk undo`` reverts each step of issue 16 (case steps, problems) whole: the desk is as it was before it.

"As it was" is every table (the knowledge base's too) but the journal, which keeps the step as undone,
and the settings, where the desk counts its revisions.
"""

from __future__ import annotations

import json

import pytest

from tamdesk.services.desk import Desk
from tests.conftest import table_rows

#: Each step, and the ``kind`` undo names it by.
STEPS = [
    (["case", "respond", "1", "--note", "on it"], "case.responded"),
    (["case", "update", "1", "--note", "patch in test"], "case.updated"),
    (["case", "escalate", "1", "--level", "3"], "case.escalated"),
    (["case", "wait", "1"], "case.waiting"),
    (["case", "resume", "4"], "case.resumed"),
    (["case", "checklist", "5", "--done", "steps", "--done", "access"], "case.checklist"),
    (["case", "severity", "1", "critical"], "case.severity"),
    (["case", "reopen", "3"], "case.reopened"),
    (["case", "resolve", "1", "--note", "restarted the proxy"], "case.resolved"),
    (["problem", "open", "Proxy leaks", "--case", "1", "--case", "2"], "problem.opened"),
    (["problem", "link", "1", "2", "4"], "problem.linked"),
    (["problem", "resolve", "1", "--note", "patched the proxy"], "problem.resolved"),
    (["problem", "resolve", "1", "--note", "patched the proxy", "--resolve-cases"], "problem.resolved"),
]


@pytest.fixture
def desk_with_cases(run):
    """Cases 1, 2 open; 3 resolved with a note; 4 waiting; 5 with a checklist; problem 1 linked to case 1."""
    assert run("customer", "add", "Acme", "--plan", "tam-a", "--tz", "America/New_York", "--country", "US")[0] == 0
    for title in ("Proxy down", "Proxy slow", "Login fails", "Export breaks"):
        assert run("case", "open", "Acme", title, "--severity", "high")[0] == 0
    assert run("case", "open", "Acme", "Needs logs", "--severity", "normal", "--checklist")[0] == 0
    assert run("case", "resolve", "3", "--note", "reset the SSO key")[0] == 0
    assert run("case", "wait", "4")[0] == 0
    assert run("problem", "open", "Proxy leaks", "--case", "1")[0] == 0
    return run


def _kept(desk: Desk) -> dict:
    return {name: rows for name, rows in table_rows(desk).items() if name not in ("journal", "settings")}


@pytest.mark.parametrize("args, kind", STEPS, ids=[" ".join(a[:3]) + (" --resolve-cases" * ("--resolve-cases" in a)) for a, _ in STEPS])
def test_undo_reverts_the_step_whole(desk_with_cases, db_url, args, kind):
    run = desk_with_cases
    if args[:2] == ["problem", "open"]:  # a second problem: undoing it removes it and its links
        args = [*args[:2], "Proxy again", *args[3:]]
    desk = Desk.open(str(db_url))
    before = _kept(desk)
    code, _, err = run(*args, "--now", "2026-11-23T11:00:00+01:00")
    assert code == 0, err
    assert _kept(desk) != before  # the step changed something
    code, out, err = run("undo", "--json", "--now", "2026-11-23T11:05:00+01:00")
    assert code == 0, err
    assert json.loads(out)["kind"] == kind
    assert _kept(desk) == before
    desk.close()
