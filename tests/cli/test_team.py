"""A team on one database (issue 19): every command that names a row keeps to its TAM's; a manager reads all.

The scope test is built from the parser itself: every command taking an id or a
customer must be in ``AS_OTHER``, so a command added later without a scope
check fails here until it is listed (and then fails if it leaks).
"""

from __future__ import annotations

import argparse
import json
from typing import Callable

import pytest

from tamdesk.cli.main import build_parser
from tests import databases
from tests.cli.conftest import changes_nothing, desk_by_commands

#: The positionals and options that name a row (a customer, a call, a case, a time entry, an emergency, a problem).
NAMES_A_ROW = {"customer", "id", "problem", "cases", "--customer", "--case"}

#: Each command that names a row, with Alex's rows given to it: Acme (customer 1), call 1, case 1, time entry 1,
#: emergency 1, problem 1. Bo runs each: the rows are unknown to him (exit 2), or, for a manager's
#: command, refused to him for his role (exit 3). Either way nothing changes.
AS_OTHER: dict[str, tuple[list[str], int]] = {
    "customer edit": (["customer", "edit", "acme", "--plan", "tam-b"], 2),
    "customer show": (["customer", "show", "1"], 2),
    "customer critical": (["customer", "critical", "acme", "2026-11-28T08:00", "2026-11-29T20:00", "ERP"], 2),
    "customer assign": (["customer", "assign", "acme", "--to", "bo"], 3),
    "session book": (["session", "book", "acme", "2026-11-26T10:00"], 2),
    "session move": (["session", "move", "1", "2026-11-26T11:00", "--by", "tam"], 2),
    "session cancel": (["session", "cancel", "1", "--by", "tam"], 2),
    "session held": (["session", "held", "1"], 2),
    "session no-show": (["session", "no-show", "1"], 2),
    "session list": (["session", "list", "--customer", "acme"], 2),
    "session history": (["session", "history", "1"], 2),
    "case open": (["case", "open", "acme", "Another", "--severity", "high"], 2),
    "case respond": (["case", "respond", "1"], 2),
    "case update": (["case", "update", "1"], 2),
    "case wait": (["case", "wait", "1"], 2),
    "case escalate": (["case", "escalate", "1", "--level", "2"], 2),
    "case resume": (["case", "resume", "1"], 2),
    "case checklist": (["case", "checklist", "1", "--done", "steps"], 2),
    "case severity": (["case", "severity", "1", "normal"], 2),
    "case reopen": (["case", "reopen", "1"], 2),
    "case resolve": (["case", "resolve", "1"], 2),
    "case list": (["case", "list", "--customer", "acme"], 2),
    "case show": (["case", "show", "1"], 2),
    "case assign": (["case", "assign", "1", "--to", "bo"], 3),
    "problem open": (["problem", "open", "Leak", "--case", "1"], 2),
    "problem link": (["problem", "link", "1", "1"], 2),
    "problem resolve": (["problem", "resolve", "1", "--note", "fixed"], 2),
    "problem show": (["problem", "show", "1"], 2),
    "emergency open": (["emergency", "open", "acme", "Down"], 2),
    "emergency feasibility": (["emergency", "feasibility", "1", "--feasible", "--normalize-hours", "4", "--mitigate-hours", "8"], 2),
    "emergency log": (["emergency", "log", "1", "2026-11-23 07:00", "2026-11-23 07:30"], 2),
    "emergency normalized": (["emergency", "normalized", "1"], 2),
    "emergency approve": (["emergency", "approve", "1", "2026-11-23", "--by", "Dana"], 2),
    "emergency guarantee": (["emergency", "guarantee", "1", "--waive"], 2),
    "emergency close": (["emergency", "close", "1"], 2),
    "emergency show": (["emergency", "show", "1"], 2),
    "emergency invoice": (["emergency", "invoice", "1", "1"], 2),
    "time log": (["time", "log", "acme", "1"], 2),
    "time edit": (["time", "edit", "1", "--hours", "2"], 2),
    "time delete": (["time", "delete", "1"], 2),
    "allowance": (["allowance", "--customer", "acme"], 2),
    "report sla": (["report", "sla", "--customer", "acme"], 2),
    "report customer": (["report", "customer", "acme"], 2),
    "export ics": (["export", "ics", "--customer", "acme"], 2),
}

#: What a manager may read of Alex's rows (exit 0): the same ids.
MANAGER_READS = (
    "customer show", "session history", "session list", "case show", "case list", "problem show", "emergency show",
    "allowance", "report customer", "export ics",
)


def _commands_naming_a_row() -> set[str]:
    """Every leaf command of the parser with a positional or option in ``NAMES_A_ROW``."""
    found: set[str] = set()

    def walk(parser: argparse.ArgumentParser, path: list[str]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            names = {a.dest if not a.option_strings else a.option_strings[-1] for a in parser._actions}
            if names & NAMES_A_ROW:
                found.add(" ".join(path))
            return
        for name, sub in subs[0].choices.items():
            walk(sub, [*path, name])

    walk(build_parser(), [])
    return found


#: The team every test starts from, as its commands built it: Alex (the desk's own TAM) with one row of each
#: kind; Mia, a manager; Bo, a TAM with a customer of his own. Alex bootstraps the team: alone and with no
#: manager yet, he may add one; the manager adds the rest.
TEAM = (
    ("config", "set", "name", "Alex"),
    ("customer", "add", "Acme", "--plan", "tam-a", "--tz", "Europe/Madrid"),
    ("session", "book", "acme", "2026-11-24T10:00"),
    ("case", "open", "acme", "Login fails", "--severity", "high"),
    ("time", "log", "acme", "1", "--note", "prep"),
    ("emergency", "open", "acme", "Database down"),
    ("problem", "open", "Proxy leaks", "--case", "1"),
    ("tam", "add", "Mia Ruiz", "--email", "mia@example.com", "--tz", "Europe/Madrid", "--manager"),
    ("--as", "mia", "tam", "add", "Bo Lind", "--email", "bo@example.com", "--tz", "Europe/Stockholm"),
    ("--as", "bo", "customer", "add", "Bolt", "--plan", "tam-a", "--tz", "Europe/Stockholm"),
)


@pytest.fixture(scope="session")
def team_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The team's desk, built by its commands once per run (a test ran all ten of them, about a second)."""
    return desk_by_commands(tmp_path_factory, "team", lambda ok: [ok(*words) for words in TEAM])


@pytest.fixture
def team(run: Callable[..., tuple[int, str, str]], db_url: str, team_template: str) -> Callable[..., str]:
    """This test's copy of the team's desk (``TEAM``); returns ``ok``, which runs a command that must succeed."""
    databases.copy(team_template, db_url)

    def ok(*args: str) -> str:
        code, out, err = run(*args)
        assert code == 0, (args, err)
        return out

    return ok


def test_every_command_naming_a_row_is_in_the_scope_table():
    # a new command taking an id or a customer must be listed in AS_OTHER, so that the scope test runs it
    assert _commands_naming_a_row() == set(AS_OTHER)


@pytest.mark.parametrize("command", sorted(AS_OTHER))
def test_another_tam_can_neither_read_nor_change_alexs_rows(team, run, db_url, command):
    words, expected = AS_OTHER[command]
    code, out, err = changes_nothing(run, db_url, "--as", "bo", *words)
    assert code == expected, err
    # unknown in the words of a missing id (ids tell nothing of what exists); the manager's commands name the role
    assert ("unknown" if expected == 2 else "only a manager") in err
    assert "Acme" not in out


@pytest.mark.parametrize("command", MANAGER_READS)
def test_a_manager_reads_alexs_rows(team, run, command):
    words, _ = AS_OTHER[command]
    code, out, err = run("--as", "mia", *words)
    assert code == 0, err
    # each shows Alex's row: the customer's name, or the call's, case's, problem's or engagement's own words
    assert any(said in out for said in ("Acme", "Proxy leaks", "booked")), out


@pytest.mark.parametrize(
    "command",
    ["customer edit", "session book", "session cancel", "case open", "case resolve", "time log", "time delete", "emergency close"],
)
def test_a_manager_changing_alexs_rows_is_refused_naming_whose_they_are(team, run, db_url, command):
    words, _ = AS_OTHER[command]
    code, _, err = changes_nothing(run, db_url, "--as", "mia", *words)
    assert code == 3, err
    assert "Alex's: only its TAM can change it; a manager can reassign" in err


def test_another_tam_cannot_link_alexs_case_to_a_problem_of_his_own(team, run, db_url):
    # Bo's own problem exists (id 2); Alex's case 1 stays unknown to him when he names it there
    run("--as", "bo", "problem", "open", "His leak")
    for words in (["problem", "link", "2", "1"], ["problem", "open", "Another", "--case", "1"]):
        code, _, err = changes_nothing(run, db_url, "--as", "bo", *words)
        assert code == 2 and "unknown case 1" in err, words


def test_another_tams_undo_never_reverts_alexs_changes(team, run, db_url):
    # Bo's only change is his customer; his second undo has nothing left, though Alex's journal is full
    assert run("--as", "bo", "undo")[0] == 0
    code, _, err = changes_nothing(run, db_url, "--as", "bo", "undo")
    assert code == 2 and "nothing to undo" in err


def test_a_managers_lists_name_each_rows_tam_and_a_tams_do_not(team, run):
    listed = json.loads(run("--as", "mia", "customer", "list", "--json")[1])
    assert [(c["name"], c["tam"]) for c in listed] == [("Acme", "Alex"), ("Bolt", "Bo Lind")]
    assert [c["name"] for c in json.loads(run("--as", "bo", "customer", "list", "--json")[1])] == ["Bolt"]
    assert "tam" not in json.loads(run("customer", "list", "--json")[1])[0]
    assert "TAM" in run("--as", "mia", "case", "list")[1].splitlines()[0]


@pytest.mark.parametrize(
    "words", [["customer", "list"], ["case", "list"], ["time", "list"], ["problem", "list"], ["emergency", "list"]]
)
def test_every_list_a_manager_reads_holds_alexs_row_named_and_bos_holds_none(team, run, words):
    # Alex has one row of each kind (the fixture); Bo has only his customer Bolt
    managers = json.loads(run("--as", "mia", *words, "--json")[1])
    assert [row["tam"] for row in managers if row["id"] == 1 and row.get("name", "Acme") == "Acme"] == ["Alex"]
    bos = json.loads(run("--as", "bo", *words, "--json")[1])
    assert all(row.get("name", "Bolt") == "Bolt" and "tam" not in row for row in bos)
    assert "TAM" in run("--as", "mia", *words)[1].splitlines()[0]


def test_tam_list_shows_roles_customers_and_open_cases(team, run):
    listed = json.loads(run("tam", "list", "--json")[1])
    # Alex has Acme and its case open; Bo has Bolt; Mia none; you are Alex (no --as, no choice)
    assert [(t["name"], t["role"], t["customers"], t["open_cases"], t["you"]) for t in listed] == [
        ("Alex", "tam", 1, 1, True), ("Bo Lind", "tam", 1, 0, False), ("Mia Ruiz", "manager", 0, 0, False),
    ]


def test_only_a_manager_adds_tams_once_the_team_has_begun(team, run, db_url):
    code, _, err = changes_nothing(run, db_url, "tam", "add", "Cy", "--email", "cy@example.com", "--tz", "UTC")
    assert code == 3 and "only a manager" in err


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (["Bo LIND", "--email", "b2@example.com", "--tz", "UTC"], "already on the desk"),  # the name, any case
        (["Cy", "--email", "BO@example.com", "--tz", "UTC"], "already has the email"),
        (["Cy", "--email", "cy", "--tz", "UTC"], "not an email address"),
        (["Cy", "--email", "cy@example.com", "--tz", "Mars/Base"], "Mars/Base"),
    ],
)
def test_tam_add_refuses_bad_input_and_changes_nothing(team, run, db_url, words, said):
    code, _, err = changes_nothing(run, db_url, "--as", "mia", "tam", "add", *words)
    assert code == 2 and said in err


def test_as_names_a_tam_by_a_unique_start_and_an_ambiguous_or_unknown_one_is_exit_2(team, run, db_url):
    run("--as", "mia", "tam", "add", "Boris", "--email", "boris@example.com", "--tz", "UTC")
    code, _, err = changes_nothing(run, db_url, "--as", "bo", "customer", "list")
    assert code == 2 and "Bo Lind" in err and "Boris" in err
    code, _, err = changes_nothing(run, db_url, "--as", "zed", "customer", "list")
    assert code == 2 and "tamdesk tam list" in err
    # by email, any case, and by id
    assert json.loads(run("--as", "BO@example.com", "customer", "list", "--json")[1])[0]["name"] == "Bolt"
    assert run("--as", "1", "customer", "show", "acme")[0] == 0


@pytest.mark.parametrize("command", [("--as", "", "customer", "list"), ("--as", "  ", "customer", "assign", "acme", "--to", "bo"),
                                     ("config", "set", "tam", "")])
def test_an_empty_tam_name_is_bad_input_never_whoever_you_are(team, run, db_url, command):
    # `--as "$TAM"` with the variable unset read as no --as: Mia, the manager, would have moved Acme herself.
    code, _, err = changes_nothing(run, db_url, "--as", "mia", *command) if command[0] == "--as" else changes_nothing(
        run, db_url, *command)
    assert code == 2, err
    assert "tam list" in err and "Traceback" not in err


def test_config_set_tam_is_kept_in_your_config_folder_not_the_shared_database(team, run, db_url, isolated):
    out = changes_nothing(run, db_url, "config", "set", "tam", "bo")[1]
    assert "Bo Lind" in out
    assert [c["name"] for c in json.loads(run("customer", "list", "--json")[1])] == ["Bolt"]
    kept = json.loads((isolated / "config" / "tamdesk" / "chosen.json").read_text())
    assert list(kept.values()) == [3]  # Bo's id, for this desk's URL
    assert run("config", "get", "tam")[1].strip() == "Bo Lind"
    # --as still wins for one command
    assert [c["name"] for c in json.loads(run("--as", "alex", "customer", "list", "--json")[1])] == ["Acme"]
    assert run("--as", "alex", "config", "get", "tam")[1].strip() == "Alex"


def test_customer_assign_moves_everything_keeps_history_and_undo_moves_it_back(team, run, db_url):
    code, out, err = run("--as", "mia", "customer", "assign", "acme", "--to", "bo", "--json")
    assert code == 0, err
    assert json.loads(out)["from"] == "Alex" and json.loads(out)["to"] == "Bo Lind"
    # Bo now has Acme with its call, case, time and emergency; Alex has none of them
    assert sorted(c["name"] for c in json.loads(run("--as", "bo", "customer", "list", "--json")[1])) == ["Acme", "Bolt"]
    for words in (["session", "history", "1"], ["case", "show", "1"], ["emergency", "show", "1"], ["time", "delete", "1", "--force"]):
        assert run("--as", "bo", *words)[0] == 0, words
        assert run(*words)[0] == 2, words
    shown = json.loads(run("--as", "bo", "customer", "show", "acme", "--json")[1])
    assert [(m["from"], m["to"], m["by"]) for m in shown["assignments"]] == [("Alex", "Bo Lind", "Mia Ruiz")]
    assert "assigned" in run("--as", "bo", "customer", "show", "acme")[1]
    # the manager's undo moves it back (the time entry Bo deleted meanwhile stays deleted: it was his change)
    code, out, err = run("--as", "mia", "undo")
    assert code == 0, err
    assert "Acme is Alex's again" in out
    assert [c["name"] for c in json.loads(run("customer", "list", "--json")[1])] == ["Acme"]
    assert run("case", "show", "1")[0] == 0
    assert "assignments" not in json.loads(run("customer", "show", "acme", "--json")[1])  # as if it never moved


def test_case_assign_is_refused_at_the_receivers_cap_naming_c1(team, run, db_url, monkeypatch):
    # Bo carries 0 open cases; with a cap of 0 (C1 from the catalogue) one arriving case is over it
    from tamdesk.domain.plans import Catalogue

    monkeypatch.setattr(Catalogue, "caseload_cap", property(lambda self: 0), raising=False)
    code, _, err = changes_nothing(run, db_url, "--as", "mia", "case", "assign", "1", "--to", "bo")
    assert code == 3 and "C1" in err and "would carry 1" in err


def test_case_assign_moves_one_case_and_its_show_lists_the_move(team, run):
    code, out, err = run("--as", "mia", "case", "assign", "1", "--to", "bo")
    assert code == 0, err
    assert run("case", "show", "1")[0] == 2
    shown = json.loads(run("--as", "bo", "case", "show", "1", "--json")[1])
    assert [(m["from"], m["to"]) for m in shown["assignments"]] == [("Alex", "Bo Lind")]
    # the knowledge base follows the case to its new TAM (L12)
    assert "Login fails" in run("--as", "bo", "kb", "search", "login")[1]
    assert "Login fails" not in run("kb", "search", "login")[1]


def test_customer_assign_is_refused_when_a_coming_call_overlaps_the_receivers_naming_t7(team, run, db_url):
    run("--as", "bo", "session", "book", "bolt", "2026-11-24T10:30")
    code, _, err = changes_nothing(run, db_url, "--as", "mia", "customer", "assign", "acme", "--to", "bo")
    assert code == 3 and "T7" in err and "call 1" in err


def test_after_an_assignment_the_givers_undo_steps_about_what_moved_are_closed(team, run, db_url):
    from tests.databases import sql

    assert run("--as", "mia", "customer", "assign", "acme", "--to", "bo")[0] == 0
    left = sorted(kind for (kind,) in sql(db_url, "SELECT kind FROM journal WHERE tam_id = 1 AND undone_at IS NULL"))
    # Alex's steps (the fixture): his name, Acme, its call, case, time and emergency, the problem, adding Mia.
    # Acme went with everything of hers; the problem (his own) and the rest stay his to undo.
    assert left == ["problem.opened", "setting.set", "tam.added"]


def test_the_desk_opens_as_the_tam_the_command_line_names_and_its_header_says_so(team, db_url):
    from tamdesk.cli.common import open_desk
    from tamdesk.cli.main import parse
    from tamdesk.services.opening import read_start

    # 'tamdesk --as bo' with no command opens the desk: the same open_desk the TUI is built on
    desk = open_desk(parse(["--db", str(db_url), "--as", "bo"]), for_tui=True)
    try:
        start = desk.read(read_start)  # the header shows start.tam_name and zone (tui.app)
        assert (start.tam_name, start.tam_tz.key) == ("Bo Lind", "Europe/Stockholm")
    finally:
        desk.close()
