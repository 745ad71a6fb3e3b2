"""``tamdesk undo`` and ``case resolve --note`` through the real command line."""

from __future__ import annotations

import json

from tamdesk.services.desk import Desk
from tests.conftest import table_rows


def test_undo_says_in_words_what_it_reverted_then_the_change_before(run):
    assert run("customer", "add", "Tyrell Corp", "--plan", "tam-a", "--tz", "America/New_York")[0] == 0
    code, out, _ = run("session", "book", "tyrell", "2026-12-01T10:00", "--json")
    assert code == 0
    call = json.loads(out)["id"]
    assert run("session", "move", str(call), "2026-12-02T11:00", "--by", "tam")[0] == 0
    code, out, err = run("undo")
    assert code == 0, err
    # 10:00 in New York is 16:00 in Madrid, the TAM's zone, where human output speaks
    assert out.startswith("Undid: moved Tyrell Corp's call back to Tue 1 Dec 16:00")
    code, out, _ = run("session", "list", "--json")
    assert [(c["id"], c["start"]) for c in json.loads(out)] == [(call, "2026-12-01T10:00:00-05:00")]
    code, out, _ = run("undo", "--json")
    undone = json.loads(out)
    assert (code, undone["kind"], undone["subject_id"]) == (0, "call.booked", call)
    assert undone["change"] == "booked Tyrell Corp's call on Tue 1 Dec 16:00"
    # JSON stays UTC: the booking was made at the clock given, 08:00 in Madrid
    assert undone["at"] == "2026-11-23T07:00:00+00:00"
    assert undone["undid"] == "removed the booking of Tyrell Corp's call on Tue 1 Dec 16:00"
    assert json.loads(run("session", "list", "--json")[1]) == []


def test_nothing_to_undo_is_exit_2_with_a_clear_message_and_changes_nothing(run, db_url):
    run("customer", "list")  # creates the desk
    desk = Desk.open(str(db_url))
    rows = table_rows(desk)
    code, out, err = run("undo", "--json")
    assert code == 2 and "nothing to undo" in err
    assert json.loads(out)["error"]["code"] == 2
    assert table_rows(desk) == rows
    desk.close()


def test_an_undo_the_rules_refuse_is_exit_3_naming_the_rule_and_changes_nothing(run, db_url, capsys):
    from tamdesk.cli.main import main

    assert run("customer", "add", "Acme", "--plan", "tam-a", "--tz", "America/New_York")[0] == 0
    call = json.loads(run("session", "book", "acme", "2026-11-24T10:00", "--json")[1])["id"]
    assert run("session", "cancel", str(call), "--by", "customer")[0] == 0
    desk = Desk.open(str(db_url))
    rows = table_rows(desk)
    # A day later the call's time has passed: booking it again would be in the past (S2).
    code = main(["--db", str(db_url), "--now", "2026-11-25T08:00:00+01:00", "--tz", "Europe/Madrid", "undo"])
    err = capsys.readouterr().err
    assert code == 3 and "S2" in err
    assert table_rows(desk) == rows
    desk.close()


def test_resolve_keeps_the_note_shown_in_case_list_and_json(run):
    assert run("customer", "add", "Acme", "--plan", "tam-a", "--tz", "America/New_York")[0] == 0
    assert run("case", "open", "acme", "Login fails", "--severity", "high")[0] == 0
    code, out, _ = run("case", "resolve", "1", "--note", "reset the SSO key", "--json")
    assert code == 0 and json.loads(out)["resolution_note"] == "reset the SSO key"
    out = run("case", "list")[1]
    assert "RESOLUTION" in out.splitlines()[0] and out.splitlines()[1].endswith("reset the SSO key")
    assert json.loads(run("case", "list", "--json")[1])[0]["resolution_note"] == "reset the SSO key"
