"""``tamdesk`` on a real terminal: the week at once, or the desk's refusal to open, said as every command says it.

The desk is opened by a forked child while the program imports its interface
(``tamdesk.startup.fork_first``). What the child finds (another program's
file, a damaged one, one newer than the program, a lock that is never let go)
must reach the TAM as it did when the program opened the desk itself: the
message on stderr, the exit code (2 bad input, 4 busy), and no frame drawn.
"""

from __future__ import annotations

import os
import select
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from benchmarks.__main__ import DESK_READY, _environment
from benchmarks.frame import RIGHT, Terminal
from tamdesk.services.desk import Desk
from tamdesk.store.guard import known_revisions
from tests.tui.scenes import NOW, TAM_TZ

#: Textual's switch to the alternate screen: the first thing the app writes.
ALTERNATE_SCREEN = b"\x1b[?1049h"


def tamdesk(db: Path) -> list[str]:
    """``tamdesk`` with no command, on ``db``, at the scenes' clock."""
    return [sys.executable, "-m", "tamdesk", "--db", str(db), "--now", NOW, "--tz", TAM_TZ]


def run_to_the_end(argv: list[str], env: dict[str, str], timeout: float = 60.0) -> tuple[int, bytes]:
    """Run ``argv`` on a terminal until it exits: its exit code, and all it wrote there."""
    written = b""
    with Terminal(argv, env) as terminal:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if select.select([terminal.leader], [], [], 0.1)[0]:
                try:
                    chunk = os.read(terminal.leader, 65536)
                except OSError:  # the program ended and its terminal with it
                    break
                written += chunk
            elif terminal.process.poll() is not None:
                break
        code = terminal.process.wait(timeout=10)
    return code, written


def test_the_week_is_the_first_frame_and_a_key_typed_at_once_turns_it(demo_url, tmp_path):
    env = _environment(tmp_path / "home")
    with Terminal(tamdesk(demo_url), env) as terminal:
        terminal.frame_with(DESK_READY, terminal.started, timeout=120)  # the hours panel: the week is whole
        # At once, very likely before the program's own desk has opened behind the first frame: the key
        # waits for it and is not lost. W48 (Mon 23 Nov, the scenes' week) + 1 is W49, Mon 30 Nov.
        terminal.frame_with("Week 2026-W49 · Mon 30 Nov", terminal.press(RIGHT), timeout=60)
        terminal.press(b"q")
        assert terminal.process.wait(timeout=60) == 0


def another_programs_database(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    connection.close()


def not_sqlite(db: Path) -> None:
    db.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")


def newer_than_the_program(db: Path) -> None:
    Desk.open(str(db)).close()
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'zzzz'")
        connection.execute("PRAGMA journal_mode=DELETE")  # the file alone is the database: its bytes are compared
    connection.close()


def truncated(db: Path) -> None:
    Desk.open(str(db)).close()
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    db.write_bytes(db.read_bytes()[:100])


# What store.guard says of each file (its rules, issue 14), the exit code bad input has, and whether
# the file is left byte for byte as it was (a refused open writes nothing).
REFUSALS = {
    "another program's database": (another_programs_database, ["is another application's database"], True),
    "not a database": (not_sqlite, ["is not a SQLite database; tamdesk leaves it untouched"], True),
    "newer than the program": (newer_than_the_program, ["'zzzz'", max(known_revisions())], True),
    "truncated": (truncated, ["damaged"], False),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_desk_that_cannot_open_is_refused_before_any_frame_as_every_command_refuses_it(case, tmp_path):
    make, said, untouched = REFUSALS[case]
    db = tmp_path / "desk.sqlite"
    make(db)
    before = db.read_bytes()

    code, written = run_to_the_end(tamdesk(db), _environment(tmp_path / "home"))

    text = written.decode("utf-8", "replace")
    assert code == 2, text
    assert text.startswith("tamdesk: ") and all(words in text for words in said), text
    assert "Traceback" not in text
    assert ALTERNATE_SCREEN not in written  # the interface never started
    if untouched:
        assert db.read_bytes() == before


@pytest.mark.slow  # waits out the 5 s busy timeout
def test_a_desk_another_program_keeps_locked_is_busy_exit_4_before_any_frame(tmp_path):
    db = tmp_path / "desk.sqlite"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE other_app (x)")  # not empty, so it cannot look new either way
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, written = run_to_the_end(tamdesk(db), _environment(tmp_path / "home"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    text = written.decode("utf-8", "replace")
    assert code == 4, text
    assert "locked by another program; nothing was changed, try again" in text
    assert "Traceback" not in text and ALTERNATE_SCREEN not in written
