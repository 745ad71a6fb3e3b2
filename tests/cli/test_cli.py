"""The command line as scripts see it: JSON shapes, ids on stdout, exit codes."""

import contextlib
import io
import json
import os
import subprocess
import sys

import pytest

from tamdesk.cli.main import main
from tamdesk.services.desk import Desk
from tests import databases
from tests.conftest import shared_template, table_rows

from tests.cli.conftest import NOW


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory):
    """The desk the seeding commands make, made once for the run (each test has its own copy).

    Made with the commands every test of this module started with: two customers, a call,
    a case and an hour logged.
    """

    def build(template):
        def run(*args):
            with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()):
                code = main(["--db", str(template), "--now", NOW, "--tz", "Europe/Madrid", *args])
            return code, out.getvalue()

        assert run("customer", "add", "Acme", "--plan", "tam-c", "--tz", "America/New_York", "--country", "US",
                   "--contact", "ops@acme.example")[0] == 0
        assert run("customer", "add", "Umbrella", "--plan", "premium", "--tz", "Europe/Berlin", "--country", "DE",
                   "--since", "2026-11-01")[0] == 0
        code, out = run("session", "book", "Acme", "2026-11-24T10:00", "--agenda", "Q&A")
        assert code == 0 and out.strip().isdigit()
        assert run("case", "open", "Acme", "Login fails", "--severity", "high")[0] == 0
        assert run("time", "log", "Acme", "1.5", "--note", "prep")[0] == 0

    return shared_template(tmp_path_factory, "seeded", build)


@pytest.fixture
def seeded(run, db_url, seeded_template):
    databases.copy(str(seeded_template), db_url)
    return run


def test_customer_list_json(seeded):
    code, out, _ = seeded("customer", "list", "--json")
    data = json.loads(out)
    assert code == 0
    assert data == [
        {"id": 1, "name": "Acme", "plan": "tam-c", "tz": "America/New_York", "country": "US"},
        {"id": 2, "name": "Umbrella", "plan": "premium", "tz": "Europe/Berlin", "country": "DE"},
    ]


def test_session_book_prints_the_id_and_json_prints_the_record(seeded):
    code, out, _ = seeded("session", "book", "Umbrella", "2026-11-24T10:00", "--json")
    record = json.loads(out)
    assert code == 0 and record["customer"] == "Umbrella" and record["start"] == "2026-11-24T10:00:00+01:00"


def test_session_list_json_shape(seeded):
    data = json.loads(seeded("session", "list", "--json")[1])
    assert len(data) == 1
    call = data[0]
    assert {k: call[k] for k in ("id", "customer", "start", "end", "minutes", "status", "review", "sequence")} == {
        "id": 1, "customer": "Acme", "start": "2026-11-24T10:00:00-05:00", "end": "2026-11-24T11:00:00-05:00",
        "minutes": 60, "status": "scheduled", "review": False, "sequence": 0,
    }


def test_session_move_cancel_and_statuses(seeded):
    assert seeded("session", "move", "1", "2026-11-25T10:00", "--by", "customer")[0] == 0
    code, _, err = seeded("session", "cancel", "1", "--by", "tam")
    assert code == 0 and "S6" in err
    call = json.loads(seeded("session", "list", "--json")[1])[0]
    assert (call["status"], call["sequence"]) == ("cancelled-by-tam", 2)


def test_case_list_json_shape(seeded):
    case = json.loads(seeded("case", "list", "--json")[1])[0]
    assert {k: case[k] for k in ("id", "customer", "title", "severity", "status")} == {
        "id": 1, "customer": "Acme", "title": "Login fails", "severity": "high", "status": "open"}
    assert case["opened_at"] == "2026-11-23T07:00:00+00:00"
    assert seeded("case", "resolve", "1")[0] == 0
    assert json.loads(seeded("case", "list", "--json")[1])[0]["status"] == "resolved"


def test_an_edited_plans_toml_is_read_by_the_next_command_of_the_same_process(seeded):
    # A process reads the catalogue once per version of the file (a script running commands, the tests).
    from tamdesk.resources import data_file, user_config_dir

    def deadline() -> str:
        return json.loads(seeded("case", "list", "--json")[1])[0]["next_deadline"]

    shipped = deadline()
    own = user_config_dir() / "plans.toml"
    own.parent.mkdir(parents=True, exist_ok=True)
    text = data_file("plans.toml").read_text(encoding="utf-8")
    own.write_text(text.replace('[sla_targets.high]\nresponse = "2 h"', '[sla_targets.high]\nresponse = "3 h"'), "utf-8")
    assert deadline() != shipped
    own.write_text(text, encoding="utf-8")
    assert deadline() == shipped


def test_a_plans_toml_that_is_not_utf8_is_bad_input_naming_it(seeded):
    from tamdesk.resources import user_config_dir

    own = user_config_dir() / "plans.toml"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_bytes(b"\xff\xfe[desk]\n")
    code, _, err = seeded("week")
    assert code == 2 and f"cannot read {own}: it is not UTF-8 text" in err and "Traceback" not in err


def test_allowance_json_monthly_and_weekly_rows(seeded):
    rows = json.loads(seeded("allowance", "--month", "2026-11", "--json")[1])
    acme = [r for r in rows if r["customer"] == "Acme"]
    assert acme == [{**acme[0], "period": "2026-11", "granted": 1, "carried_in": 0, "booked": 1, "held": 0,
                     "available": 0, "carried_out": 0, "forfeited": 0}]
    weeks = [r["period"] for r in rows if r["customer"] == "Umbrella"]
    # ISO weeks whose Monday is in November: the 2nd, 9th, 16th, 23rd and 30th
    assert weeks == ["2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"]


def test_week_json_shape(seeded):
    data = json.loads(seeded("week", "--json")[1])
    assert data["week"] == "2026-W48"
    assert data["caseload"] == {"open": 1, "queued": 0, "cap": 30, "warning": False}
    acme = data["customers"][0]
    assert {k: acme[k] for k in ("customer", "logged_hours", "booked_hours", "total_hours", "cap", "over", "consistently_over")} == {
        "customer": "Acme", "logged_hours": 1.5, "booked_hours": 1.0, "total_hours": 2.5, "cap": 10.0,
        "over": False, "consistently_over": False}


def test_env_variables_stand_for_global_options(db_url, seeded, monkeypatch, capsys):
    monkeypatch.setenv("TAMDESK_DB", str(db_url))
    monkeypatch.setenv("TAMDESK_NOW", NOW)
    monkeypatch.setenv("TAMDESK_TZ", "Europe/Madrid")
    assert main(["week", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["week"] == "2026-W48"


BAD = [
    # (arguments, exit code, words the message must hold)
    (["session", "book", "Acme", "tomorrow"], 2, "'tomorrow 10:00'"),  # a day without a time: the example has one
    (["session", "book", "Nobody", "2026-11-24T10:00"], 2, "unknown customer"),
    (["session", "book", "Acme", "2027-03-14T02:30"], 2, "does not exist"),
    (["session", "book", "Acme", "2026-11-25T10:00", "--minutes", "90"], 3, "S1"),
    (["session", "book", "Acme", "2026-11-25T10:00"], 3, "S3"),
    (["session", "book", "Umbrella", "2026-11-28T10:00"], 3, "T4"),
    (["session", "book", "Acme", "2026-11-24T10:00", "--minutes", "x"], 2, "minutes such as 45"),
    (["session", "move", "1", "2026-12-01T10:00", "--by", "customer"], 3, "S5"),
    (["session", "move", "99", "2026-11-25T10:00", "--by", "tam"], 2, "unknown call"),
    (["session", "move", "1", "2026-11-25T10:00", "--by", "nobody"], 2, "invalid choice"),
    (["session", "cancel", "abc", "--by", "tam"], 2, "whole number"),
    (["session", "held", "1"], 3, "has not begun"),
    (["session", "no-show", "42"], 2, "unknown call"),
    (["session", "list", "--from", "soon"], 2, "YYYY-MM-DD"),
    (["session", "book", "Acme", "next fri 10:00"], 2, "ambiguous"),
    (["week", "--date", "11/12"], 2, "day or month first"),
    (["customer", "add", "X", "--plan", "gold", "--tz", "UTC"], 2, "unknown plan"),
    (["customer", "add", "X", "--plan", "tam-a", "--tz", "Mars/Base"], 2, "unknown time zone"),
    (["customer", "add", "X", "--plan", "tam-a", "--tz", "UTC", "--country", "ZZ"], 2, "unknown country"),
    (["customer", "add", "acme", "--plan", "tam-a", "--tz", "UTC"], 2, "already exists"),
    (["customer", "add", "X", "--plan", "tam-a", "--tz", "UTC", "--hours-cap", "-3"], 2, "more than 0"),
    (["customer", "add", "X", "--plan", "tam-a", "--tz", "UTC", "--business-hours", "9 to 5"], 2, "business hours"),
    (["customer", "add", "X", "--plan", "tam-a", "--tz", "UTC", "--contact", "a@x.io", "--contact", "b@x.io",
      "--contact", "c@x.io", "--contact", "d@x.io"], 3, "P2"),
    (["case", "open", "Acme", "x", "--severity", "urgent"], 2, "invalid choice"),
    (["case", "open", "Nobody", "x", "--severity", "high"], 2, "unknown customer"),
    (["case", "resolve", "77"], 2, "unknown case"),
    (["time", "log", "Acme", "-2"], 2, "more than 0"),
    (["time", "log", "Acme", "2", "--on", "23/11/2026"], 2, "YYYY-MM-DD"),
    (["time", "log", "Acme", "11"], 3, "B2"),
    (["week", "--date", "soon"], 2, "YYYY-MM-DD"),
    (["week", "--date", "in 3 hours"], 2, "'in 2 days'"),  # a relative date moves by whole days
    (["allowance", "--month", "2026-13"], 2, "YYYY-MM"),
    (["allowance", "--customer", "Nobody"], 2, "unknown customer"),
    (["--tz", "Nowhere/Town", "week"], 2, "unknown time zone"),
    (["--now", "yesterday", "week"], 2, "ISO 8601"),
    (["config", "set", "colour", "blue"], 2, "unknown setting"),
]


@pytest.mark.parametrize("args, code, words", BAD, ids=[" ".join(a[:3]) for a, _, _ in BAD])
def test_bad_input_and_refusals_exit_with_their_code_and_change_nothing(seeded, db_url, args, code, words):
    desk = Desk.open(str(db_url))
    before = table_rows(desk)
    got, out, err = seeded(*args) if args[0] != "--tz" and args[0] != "--now" else _raw(db_url, args)
    assert got == code, err
    assert words in err
    if code == 2 and "invalid choice" not in words:
        assert err.count("\n") == 1  # one line
    assert table_rows(desk) == before
    desk.close()


def _raw(db_url, args):
    proc = subprocess.run(
        [sys.executable, "-m", "tamdesk", "--db", str(db_url), *args],
        capture_output=True, text=True, env={**os.environ}, timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_force_keeps_the_exception_and_exits_zero(seeded):
    code, out, err = seeded("session", "book", "Umbrella", "2026-11-28T10:00", "--force")
    assert code == 0 and "exception" in err


def test_caseload_cap_over_the_cli(seeded):
    for i in range(29):
        assert seeded("case", "open", "Acme", f"c{i}", "--severity", "normal")[0] == 0
    code, _, err = seeded("case", "open", "Acme", "the 31st", "--severity", "critical")
    assert code == 3 and "C1" in err and "cap of 30" in err
    code, out, err = seeded("case", "open", "Acme", "the 31st", "--severity", "critical", "--queue")
    assert code == 0 and "queue" in err
    queued_id = out.strip()
    # 1 seeded + 29 open is 30 of 30, past 90% (27): the week says so, with the one queued.
    assert "caseload 30/30  (C3: near the cap), 1 queued" in seeded("week")[1]
    code, out, _ = seeded("case", "resolve", "1")
    assert code == 0 and f"case {queued_id}" in out and "opened from the queue" in out


#: The command groups README's command reference documents: the CLI's contract.
COMMANDS = {
    "demo", "customer", "session", "case", "problem", "kb", "emergency", "time", "undo", "week", "allowance", "warnings", "report",
    "timeoff", "export", "feed", "config", "tam", "doctor", "backup", "migrate",
}


def test_help_lists_every_command():
    # Read the command names off the "positional arguments" block (each at a 4-space indent),
    # so a word that merely appears in a description ("your week") does not count.
    proc = subprocess.run([sys.executable, "-m", "tamdesk", "--help"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    block = proc.stdout.split("positional arguments:")[1].split("\n\n")[0]
    listed = {line.split()[0] for line in block.splitlines() if line.startswith("    ") and not line.startswith("     ")}
    assert listed == COMMANDS


def test_the_program_pauses_the_collector_while_it_starts_and_resumes_it_once_the_desk_is_open(tmp_path, monkeypatch):
    import gc

    from tamdesk.cli.main import program
    from tamdesk.services import reports

    seen: list[tuple[str, bool]] = []
    real_open, real_summary = Desk.open, reports.week_report

    def watched_open(*args, **kwargs):
        seen.append(("desk opens", gc.isenabled()))
        return real_open(*args, **kwargs)

    def watched_summary(*args, **kwargs):
        seen.append(("the week is read", gc.isenabled()))
        return real_summary(*args, **kwargs)

    monkeypatch.setattr(Desk, "open", watched_open)
    monkeypatch.setattr(reports, "week_report", watched_summary)  # what `week` reads
    monkeypatch.setattr(sys, "argv", ["tamdesk", "--db", str(tmp_path / "desk.sqlite"), "--now", NOW, "week", "--json"])
    try:
        assert program() == 0
    finally:
        gc.unfreeze()  # program froze the test process's objects; let them be collected again
    assert seen == [("desk opens", False), ("the week is read", True)]
    assert gc.isenabled()


# -- hostile values (issue 14): exit 2 with one line, never a traceback, nothing written ------------


@pytest.mark.parametrize(
    "argv",
    [
        ["config", "set", "alarm_minutes", "1e20"],
        ["config", "set", "alarm_minutes", "nan"],
        ["config", "set", "working_hours", "inf"],
        ["config", "set", "working_hours", "-1"],
        ["config", "set", "name", b"Caf\xe9".decode("utf-8", "surrogateescape")],
        ["config", "set", "tz", "Europe/" + "x" * 300],
        ["customer", "show", "²"],
        ["customer", "show", str(2**63)],
        ["session", "history", "١٢"],
        ["session", "cancel", str(2**64), "--by", "tam"],
        ["customer", "add", "A" * 300, "--plan", "tam-a", "--tz", "UTC"],
    ],
)
def test_hostile_values_are_bad_input_and_change_nothing(run, db_url, argv):
    assert run("customer", "list")[0] == 0  # the desk exists before
    from tamdesk.services.desk import Desk
    from tests.conftest import table_rows

    desk = Desk.open(str(db_url))
    before = table_rows(desk)
    code, out, err = run(*argv)
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert table_rows(desk) == before
    desk.close()


@pytest.mark.parametrize("option", ["--db", "--now", "--tz", "--as"])
def test_an_empty_global_option_is_bad_input_never_the_option_left_out(run, db_url, isolated, option):
    # `--db "$DESK"` with the variable unset opened your own desk and wrote to it; `--now ""` used the real clock.
    from tests.cli.conftest import changes_nothing

    code, _, err = changes_nothing(run, db_url, option, "", "customer", "add", "Acme", "--plan", "tam-a", "--tz", "UTC")
    assert code == 2, err
    assert f"argument {option}" in err and "is empty" in err and "Traceback" not in err
    assert not list((isolated / "data").rglob("*.sqlite"))  # your own desk was never made


@pytest.mark.parametrize("variable", ["TAMDESK_DB", "TAMDESK_NOW", "TAMDESK_TZ", "TAMDESK_AS"])
def test_an_environment_variable_set_blank_reads_as_unset(isolated, monkeypatch, tmp_path, capsys, variable):
    # TAMDESK_DB=' ' made a desk named ' ' in the current folder; the others were refused as values.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(variable, " ")
    code = main(["week", "--json"])
    _, err = capsys.readouterr()
    assert code == 0, err
    assert not (tmp_path / " ").exists()
    assert list((isolated / "data").rglob("tamdesk.sqlite"))  # your own desk, as with the variable unset


def test_an_infinite_cap_is_refused_so_json_stays_json(run):
    code, _, err = run("customer", "add", "Acme", "--plan", "tam-a", "--tz", "UTC", "--hours-cap", "inf")
    assert code == 2 and "--hours-cap" in err
    code, out, _ = run("customer", "list", "--json")
    assert code == 0 and json.loads(out) == []  # nothing was added; what is printed parses as JSON


def test_dates_are_typed_as_iso_or_relative_to_the_desks_today(seeded):
    # The clock is Monday 23 Nov 2026 (NOW): "in a week" is Monday 30 Nov, in 2026-W49.
    assert json.loads(seeded("week", "--date", "in a week", "--json")[1])["week"] == "2026-W49"
    # Acme's call is Tuesday 24 Nov: "in 2 days" (Wednesday 25) on leaves it out, "in 1 day" keeps it.
    assert json.loads(seeded("session", "list", "--from", "in 2 days", "--json")[1]) == []
    assert len(json.loads(seeded("session", "list", "--from", "in a day", "--json")[1])) == 1


def test_dates_and_times_are_typed_as_a_khal_or_timewarrior_user_types_them(seeded, db_url):
    # The clock is Monday 23 Nov 2026, 08:00 in Madrid and in Berlin (Initech's zone, UTC+1).
    # "tomorrow 10:00" is Tue 24 Nov 10:00 there, "mon 10:00" the next Monday
    # (30 Nov; on a Monday, as khal reads it), "fri 14:30" Fri 27 Nov 14:30 (JSON's start is local):
    # three of tam-a's four November sessions.
    assert seeded("customer", "add", "Initech", "--plan", "tam-a", "--tz", "Europe/Berlin")[0] == 0
    for typed in ("tomorrow 10:00", "mon 10:00", "fri 14:30"):
        code, _, err = seeded("session", "book", "Initech", typed)
        assert code == 0, err
    starts = [c["start"] for c in json.loads(seeded("session", "list", "--customer", "Initech", "--json")[1])]
    assert sorted(starts) == ["2026-11-24T10:00:00+01:00", "2026-11-27T14:30:00+01:00", "2026-11-30T10:00:00+01:00"]
    # A bare weekday is a date: Friday 27 Nov is in 2026-W48, "next week" in W49.
    assert json.loads(seeded("week", "--date", "fri", "--json")[1])["week"] == "2026-W48"
    assert json.loads(seeded("week", "--date", "next week", "--json")[1])["week"] == "2026-W49"
    assert json.loads(seeded("week", "--date", "+7d", "--json")[1])["week"] == "2026-W49"


def test_a_customer_is_any_unique_start_of_its_name_any_case_any_accents(seeded, db_url):
    for name, plan in (("Tyrell Corp", "tam-a"), ("Café Corp", "tam-a"), ("Contoso Ibérica", "tam-a"),
                       ("Contoso Ltd", "tam-b"), ("Acme Labs", "tam-a")):
        assert seeded("customer", "add", name, "--plan", plan, "--tz", "Europe/Madrid")[0] == 0
    for typed, name in (("Tyrell", "Tyrell Corp"), ("tyrell", "Tyrell Corp"), ("café", "Café Corp"),
                        ("cafe", "Café Corp"), ("contoso i", "Contoso Ibérica"), ("acme", "Acme")):
        code, _, err = seeded("time", "log", typed, "0.5", "--note", typed)
        assert code == 0, err
        entries = json.loads(seeded("time", "list", "--json")[1])
        assert [e["customer"] for e in entries if e["note"] == typed] == [name]
    # A start two customers share is bad input (exit 2) naming both, and changes nothing.
    desk = Desk.open(str(db_url))
    before = table_rows(desk)
    code, _, err = seeded("time", "log", "contoso", "0.5")
    assert code == 2 and "Contoso Ibérica, Contoso Ltd" in err
    assert table_rows(desk) == before
    desk.close()


def test_human_output_says_times_in_the_tams_zone_and_json_keeps_utc(seeded, db_url):
    # The desk runs in Madrid (UTC+1 in November). The case was opened and the call booked at
    # NOW, 07:00 UTC = 08:00 in Madrid; Acme's call is 10:00 in New York (UTC-5) = 15:00 UTC = 16:00 Madrid.
    cases = seeded("case", "list")[1].splitlines()
    assert "OPENED (Europe/Madrid)" in cases[0] and "Mon 2026-11-23 08:00" in cases[1]
    assert json.loads(seeded("case", "list", "--json")[1])[0]["opened_at"] == "2026-11-23T07:00:00+00:00"
    history = seeded("session", "history", "1")[1].splitlines()
    assert "AT (Europe/Madrid)" in history[0]
    assert "Mon 2026-11-23 08:00" in history[1] and "Tue 2026-11-24 16:00" in history[1]
    # 01:00 in New York on Monday is 06:00 UTC, 07:00 in Madrid: an hour before the desk's clock.
    desk = Desk.open(str(db_url))
    before = table_rows(desk)
    code, _, err = seeded("session", "book", "Acme", "2026-11-23T01:00")
    assert code == 3 and "S2" in err and "Mon 2026-11-23 07:00 Europe/Madrid, which has passed" in err
    code, _, err = seeded("session", "held", "1")  # not begun: Acme's call, 16:00 in Madrid
    assert code == 3 and "starts at Tue 2026-11-24 16:00 Europe/Madrid and has not begun" in err
    assert table_rows(desk) == before
    desk.close()


def test_human_tables_say_ages_by_the_desks_clock_and_json_keeps_iso(seeded):
    later = ("--now", "2026-11-26T08:00:00+01:00")  # 3 days after the seeded case was opened and the call booked
    out = seeded("case", "list", *later)[1]
    assert "AGE" in out.splitlines()[0] and "3 days" in out
    assert json.loads(seeded("case", "list", "--json", *later)[1])[0]["opened_at"] == "2026-11-23T07:00:00+00:00"
    history = seeded("session", "history", "1", *later)[1]
    assert "WHEN" in history.splitlines()[0] and "3 days ago" in history
