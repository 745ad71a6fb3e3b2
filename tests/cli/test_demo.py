"""``tamdesk demo`` through the real command: its own database, and ``--fresh`` only over the demo alone.

The clock is Monday 23 Nov 2026 08:00 in Madrid; the data folder is the test's
own (``XDG_DATA_HOME``, see ``tests.conftest.isolate``), so the default desk is
``tamdesk/tamdesk.sqlite`` there and the demo's is ``demo.sqlite`` beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tamdesk.cli.main import main
from tamdesk.services.desk import Desk
from tests import databases
from tests.conftest import table_rows
from tests.databases import sql

NOW = "2026-11-23T08:00:00+01:00"


def tamdesk(capsys, *args: str) -> tuple[int, str, str]:
    """``tamdesk ARGS`` at the tests' clock, with no ``--db``: the data folder decides."""
    code = main(["--now", NOW, "--tz", "Europe/Madrid", *args])
    out, err = capsys.readouterr()
    return code, out, err


def customers_in(path: Path) -> list[str]:
    """The customers of the desk's own TAM (the demo's Alex; the rest of its team has others)."""
    mine = "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'current_tam'"
    return [name for (name,) in sql(path, f"SELECT name FROM customers WHERE tam_id = ({mine}) ORDER BY name")]


def test_demo_goes_into_its_own_file_and_the_plain_desk_never_opens_it(capsys, isolated):
    folder = isolated / "data" / "tamdesk"
    code, _, err = tamdesk(capsys, "demo", "--no-tui")
    assert code == 0, err
    # Beside the default desk, in the same data folder; the demo's thirteen customers are in it.
    assert len(customers_in(folder / "demo.sqlite")) == 13
    assert str(folder / "demo.sqlite") in err  # it says where the demo went
    # The plain desk (what 'tamdesk' opens) is still empty: the issue saw "Alex Rivera" there.
    code, out, _ = tamdesk(capsys, "customer", "list")
    assert code == 0 and "no customers yet" in out
    assert not (folder / "tamdesk.sqlite").exists() or customers_in(folder / "tamdesk.sqlite") == []


def in_file(path: Path, capsys, *args: str) -> tuple[int, str, str]:
    """``tamdesk --db PATH ARGS`` at the tests' clock."""
    return tamdesk(capsys, "--db", str(path), *args)


def revision_of(path: Path) -> int:
    return int(sql(path, "SELECT value FROM settings WHERE key = 'revision'")[0][0])


def everything_in(path: Path) -> dict[str, list[tuple]]:
    desk = Desk.open(str(path))
    try:
        return table_rows(desk)
    finally:
        desk.close()


@pytest.mark.parametrize(
    "change, found",
    [
        (("customer", "add", "Acme Real", "--plan", "tam-a", "--tz", "Europe/Madrid"), "Acme Real"),
        (("time", "log", "Northwind", "1", "--note", "my own hour"), "1 change saved after the demo loaded"),
        (("config", "set", "workday", "Mon-Fri 08:00-17:00"), "1 change saved after the demo loaded"),
    ],
)
def test_fresh_refuses_a_demo_with_anything_the_demo_did_not_write(capsys, demo_url, change, found):
    # The issue: a customer added to the demo was deleted by 'demo --fresh' without a word.
    assert in_file(demo_url, capsys, *change)[0] == 0
    before = everything_in(demo_url)
    code, out, err = in_file(demo_url, capsys, "demo", "--fresh", "--no-tui")
    assert code == 3, err  # refused
    assert everything_in(demo_url) == before  # nothing changed, the user's change is still there
    assert found in err and "--fresh would delete" in err and "tamdesk --db demo-2.sqlite demo" in err


def test_fresh_refuses_the_tams_own_desk_and_changes_nothing(capsys, run, db_url):
    assert run("customer", "add", "Acme", "--plan", "tam-a", "--tz", "Europe/Madrid")[0] == 0
    before = everything_in(db_url)
    code, _, err = run("demo", "--fresh", "--no-tui")
    assert code == 3 and "holds your own desk" in err
    assert everything_in(db_url) == before


def test_what_only_reads_is_no_change_so_fresh_still_reloads_the_demo(capsys, demo_url, tmp_path):
    # Commands that only read run the hourly integrity check (no stamp in this test's cache yet, so it
    # runs) and catch up the auto feed: neither is a change of the TAM's, so neither may raise the revision.
    sql(  # a feed set earlier, never written: the next command writes it
        demo_url,
        "INSERT INTO settings (key, value) VALUES ('auto_feed', :value)",
        value=json.dumps({"path": str(tmp_path / "feed.ics"), "options": {}}),
    )
    stamp = revision_of(demo_url)
    # doctor checks a SQLite file (a server has no file to check: bad input there)
    readings = (("week",), ("warnings",), ("customer", "list"), ("allowance",), *((("doctor",),) if not databases.SERVER else ()))
    for reading in readings:
        code, _, err = in_file(demo_url, capsys, *reading)
        assert code == 0, (reading, err)
    assert (tmp_path / "feed.ics").exists()  # the feed's bookkeeping did run
    assert revision_of(demo_url) == stamp
    # So the demo is still the demo alone: --fresh loads it anew (the same thirteen customers).
    code, _, err = in_file(demo_url, capsys, "demo", "--fresh", "--no-tui")
    assert code == 0 and "demo loaded" in err
    assert len(customers_in(demo_url)) == 13
    # and the new demo is stamped at the revision its own load ended at: fresh again is accepted.
    assert demo_needed_in(demo_url)


def demo_needed_in(path: Path) -> bool:
    from tamdesk.services.demo import demo_needed

    desk = Desk.open(str(path))
    try:
        return demo_needed(desk, fresh=True)
    finally:
        desk.close()


def test_demo_without_a_terminal_loads_nothing_and_says_how(capsys, isolated):
    # The desk cannot be shown, so loading seconds of demo for nothing would be a surprise: bad input.
    code, _, err = tamdesk(capsys, "demo")
    assert code == 2 and "--no-tui" in err
    demo = isolated / "data" / "tamdesk" / "demo.sqlite"
    assert not demo.exists() or customers_in(demo) == []


def test_fresh_after_a_change_and_its_undo_is_refused_saying_an_undo_counts(demo_url, capsys):
    # Found by trying it: add a customer, undo it, then --fresh. The data is the demo's again, but the
    # desk cannot prove it (an undo is a commit like any other), so it refuses and says why.
    from tamdesk.cli.main import main

    base = ["--db", str(demo_url), "--now", "2026-11-23T08:00:00+01:00", "--tz", "Europe/Madrid"]
    assert main([*base, "customer", "add", "Mine", "--plan", "tam-c", "--tz", "Europe/Madrid"]) == 0
    assert main([*base, "undo"]) == 0
    capsys.readouterr()
    assert main([*base, "demo", "--fresh", "--no-tui"]) == 3
    assert "2 changes saved after the demo loaded; an undo counts too" in capsys.readouterr().err
