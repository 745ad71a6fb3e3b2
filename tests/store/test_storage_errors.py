"""What the file system says back: read-only files, a full disk, and locks held by others (issue 14)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from tamdesk.domain.errors import BadInput
from tamdesk.services.customers import CustomerFields, add_customer
from tamdesk.services.desk import Desk
from tests.conftest import NOW, TAM_TZ, table_rows

#: Damaged, read-only and full SQLite files: left out of the PostgreSQL pass.
pytestmark = pytest.mark.sqlite_only


def test_a_full_disk_is_bad_input_and_changes_nothing(desk: Desk) -> None:
    with sqlite3.connect(desk.url.removeprefix("sqlite:///")) as probe:
        pages = probe.execute("PRAGMA page_count").fetchone()[0]
    probe.close()
    desk.engine.dispose()
    # SQLite's own cap on the file's pages: the next page it needs fails as a full disk would.
    event.listen(desk.engine, "connect", lambda dbapi, _record: dbapi.execute(f"PRAGMA max_page_count = {pages}"))
    before = table_rows(desk)

    with pytest.raises(BadInput, match="full"):
        with desk.batch():
            for number in range(300):
                add_customer(desk, CustomerFields(name=f"Customer {number} " + "x" * 150, plan="tam-a", tz="UTC"))

    assert table_rows(desk) == before


@pytest.mark.parametrize("argv", [["customer", "add", "Acme", "--plan", "tam-a", "--tz", "UTC"], ["config", "set", "name", "X"]])
def test_a_database_opened_read_only_is_bad_input_for_a_write(db_path: Path, argv: list[str], capsys) -> None:
    """SQLite's read-only mode (a URL any SQLAlchemy user may pass) answers a write with one line, exit 2."""
    from tamdesk.cli.main import main

    Desk.open(str(db_path)).close()
    before = db_path.read_bytes()
    read_only = f"sqlite:///file:{db_path}?mode=ro&uri=true"

    code = main(["--db", read_only, *argv])

    err = capsys.readouterr().err
    assert code == 2 and "read-only" in err and "Traceback" not in err, err
    assert db_path.read_bytes() == before
    assert main(["--db", read_only, "customer", "list"]) == 0  # reading is fine


@pytest.mark.slow
def test_two_demos_started_at_once_on_a_new_file_load_it_once(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    env = {**os.environ, "TAMDESK_NOW": NOW, "TAMDESK_TZ": TAM_TZ}
    argv = [sys.executable, "-m", "tamdesk", "--db", str(db), "demo", "--no-tui"]
    both = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.communicate(timeout=60)[1]) for p in both]

    for code, err in results:
        assert "Traceback" not in err and code in (0, 4), err
    assert any(code == 0 and "demo loaded" in err for code, err in results)
    with sqlite3.connect(db) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM customers")]
    connection.close()
    assert names and len(names) == len(set(names))  # loaded once, not twice over


@pytest.mark.slow
def test_demo_fresh_while_another_program_holds_the_lock_is_exit_4(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    env = {**os.environ, "TAMDESK_NOW": NOW, "TAMDESK_TZ": TAM_TZ}
    argv = [sys.executable, "-m", "tamdesk", "--db", str(db), "demo", "--no-tui"]
    assert subprocess.run(argv, env=env, capture_output=True, timeout=300, check=False).returncode == 0
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        done = subprocess.run([*argv, "--fresh"], env=env, capture_output=True, text=True, timeout=300, check=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 4 and "Traceback" not in done.stderr, done.stderr
    assert "locked" in done.stderr
