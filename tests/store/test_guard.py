"""The desk opens only new files and its own databases, and never writes to any other (issue 14)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tamdesk.cli.main import main
from tamdesk.services.desk import Desk
from tamdesk.store.guard import known_revisions

#: The guard reads SQLite's file header: left out of the PostgreSQL pass.
pytestmark = pytest.mark.sqlite_only


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` with its bytes: a refused open must leave them all as they were."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_another_applications_database_is_refused_untouched(tmp_path: Path, capsys) -> None:
    db = tmp_path / "notes.sqlite"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        connection.execute("INSERT INTO notes (body) VALUES ('keep me')")
    connection.close()
    before = snapshot(tmp_path)

    assert main(["--db", str(db), "week"]) == 2

    assert "another application's database" in capsys.readouterr().err
    assert snapshot(tmp_path) == before  # no tables, no TAM row, no -wal/-shm files, no WAL switch
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, capsys) -> None:
    db = tmp_path / "calls.ics"
    db.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    before = snapshot(tmp_path)

    assert main(["--db", str(db), "customer", "list"]) == 2

    assert "not a SQLite database" in capsys.readouterr().err
    assert snapshot(tmp_path) == before


def test_a_schema_newer_than_the_program_is_refused_naming_both(tmp_path: Path, capsys) -> None:
    db = tmp_path / "desk.sqlite"
    Desk.open(str(db)).close()
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    connection.close()
    before = db.read_bytes()

    assert main(["--db", str(db), "week"]) == 2

    message = capsys.readouterr().err
    assert "'zzzz'" in message and max(known_revisions()) in message
    assert db.read_bytes() == before  # not "migrated": the version row and every table as they were


@pytest.mark.parametrize("keep", [0.5, 0.05])
def test_a_truncated_database_is_bad_input_not_a_traceback(tmp_path: Path, capsys, keep: float) -> None:
    db = tmp_path / "desk.sqlite"
    desk = Desk.open(str(db))
    desk.close()
    with sqlite3.connect(db) as connection:  # fold the WAL in, so the file alone is the database
        connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    data = db.read_bytes()
    db.write_bytes(data[: max(int(len(data) * keep), 100)])

    code = main(["--db", str(db), "customer", "list"])

    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and "damaged" in err


def test_an_empty_file_is_a_new_desk(tmp_path: Path) -> None:
    db = tmp_path / "touched.sqlite"
    db.touch()

    assert main(["--db", str(db), "customer", "list"]) == 0

    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
    connection.close()


def test_a_lock_held_by_another_program_is_exit_4(tmp_path: Path, monkeypatch, capsys) -> None:
    """Another program's exclusive lock on a new file: the WAL switch cannot happen; exit 4, no traceback."""
    from tamdesk.store import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    db = tmp_path / "desk.sqlite"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE other_app (x)")  # not empty, so it cannot look new either way
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code = main(["--db", str(db), "customer", "list"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    err = capsys.readouterr().err
    assert code == 4, err
    assert "locked" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [["customer", "list"], ["customer", "add", "Acme", "--plan", "tam-a", "--tz", "UTC"]])
def test_a_write_lock_on_the_desk_is_exit_4_for_writers_and_no_wait_for_readers(
    tmp_path: Path, monkeypatch, capsys, argv: list[str]
) -> None:
    """The desk is WAL: another program's EXCLUSIVE transaction blocks writers (exit 4), not readers."""
    from tamdesk.store import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    db = tmp_path / "desk.sqlite"
    Desk.open(str(db)).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE settings SET value = value")
    try:
        code = main(["--db", str(db), *argv])
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code == (0 if argv[1] == "list" else 4), err
