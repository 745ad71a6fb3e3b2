"""Once a change commits, the command says so and exits 0, whatever happens after (issue 14)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from tamdesk.services.calls import book_call
from tamdesk.services.desk import Desk
from tests.cli.conftest import NOW
from tests.databases import sql
from tests.conftest import instant

pytestmark = pytest.mark.slow  # each test starts the real program in a process


def tamdesk(db: Path, *args: str, stdout=subprocess.PIPE, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "TAMDESK_NOW": NOW, "TAMDESK_TZ": "Europe/Madrid", "TAMDESK_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "tamdesk", *args], stdout=stdout, stderr=subprocess.PIPE, text=True, env=env,
        timeout=timeout, check=False,
    )


@pytest.fixture
def acme(db_url: Path) -> Path:
    assert tamdesk(db_url, "customer", "add", "Acme", "--plan", "tam-c", "--tz", "UTC").returncode == 0
    return db_url


def entries(db: Path) -> int:
    return sql(db, "SELECT count(*) FROM time_entries")[0][0]


def test_a_saved_write_whose_reader_closed_early_exits_0(acme: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| true`: nobody will read what the command prints
    try:
        done = tamdesk(acme, "time", "log", "Acme", "0.25", "--json", stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and entries(acme) == 1


def test_a_saved_write_onto_a_full_device_exits_0_and_says_it_is_saved(acme: Path) -> None:
    with open("/dev/full", "wb") as full:
        done = tamdesk(acme, "time", "log", "Acme", "0.25", "--json", stdout=full)
    assert done.returncode == 0, done.stderr
    assert "saved" in done.stderr and "Traceback" not in done.stderr and entries(acme) == 1


def test_a_read_cut_short_by_its_reader_is_no_traceback(acme: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # `tamdesk week | head -c0`
    try:
        done = tamdesk(acme, "week", stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 0 and done.stderr == ""


def test_a_feed_that_cannot_be_written_is_a_warning_of_a_saved_change(acme: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.ics"
    assert tamdesk(acme, "export", "ics", "--auto", str(feed)).returncode == 0
    feed.unlink()
    feed.mkdir()  # the feed's path is now a folder: it cannot be written

    done = tamdesk(acme, "time", "log", "Acme", "0.25")

    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "saved" in done.stderr and "next change tries again" in done.stderr and entries(acme) == 1
    feed.rmdir()
    assert tamdesk(acme, "session", "book", "Acme", "2026-11-24T10:00").returncode == 0
    assert len(list(Calendar.from_ical(feed.read_bytes()).walk("VEVENT"))) == 1  # tried again, and written


def test_a_bad_setting_left_in_the_database_does_not_fail_saved_writes(acme: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.ics"
    assert tamdesk(acme, "export", "ics", "--auto", str(feed)).returncode == 0
    # what an older tamdesk accepted: `config set alarm_minutes 1e20`
    sql(acme, "DELETE FROM settings WHERE key = 'alarm_minutes'")
    sql(acme, "INSERT INTO settings (key, value) VALUES ('alarm_minutes', '1e20')")

    done = tamdesk(acme, "time", "log", "Acme", "0.25")

    assert done.returncode == 0 and "Traceback" not in done.stderr and "saved" in done.stderr
    assert entries(acme) == 1


def test_a_stale_feed_is_rewritten_by_the_next_command(acme: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.ics"
    assert tamdesk(acme, "export", "ics", "--auto", str(feed)).returncode == 0
    # A writer killed between its commit and the rewrite: the change is in, the feed does not show it.
    desk = Desk.open(str(acme), now=instant(NOW), tz="Europe/Madrid")
    book_call(desk, "Acme", "2026-11-24T10:00")
    desk.close()
    assert len(list(Calendar.from_ical(feed.read_bytes()).walk("VEVENT"))) == 0

    assert tamdesk(acme, "customer", "list").returncode == 0  # any command, even one that only reads

    assert len(list(Calendar.from_ical(feed.read_bytes()).walk("VEVENT"))) == 1
