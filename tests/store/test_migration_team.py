"""Migration 0009 gives a desk of the previous schema its team: every TAM a plain TAM, found by name like a customer."""

from __future__ import annotations

import sqlite3

import pytest

from tamdesk.cli.main import main
from tamdesk.store.engine import SCHEMA_HEAD, open_engine, schema_version
from tests.conftest import NOW
from tests.store.test_migrations import desk_at

# A desk as 0008 left it is built with SQLite's own statements (as the other migrations' tests build theirs).
pytestmark = pytest.mark.sqlite_only


def test_0009_keys_every_tam_by_name_keeps_them_plain_tams_and_the_desk_works_as_before(db_path, capsys):
    # A desk as 0008 left it: Alex (current, with Acme), and two more TAMs whose names differ only in case and accents
    with desk_at(db_path, "0008") as db:
        db.execute("INSERT INTO tams (id, name) VALUES (2, 'Émile Roux'), (3, 'EMILE ROUX')")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), "--now", NOW, "--tz", "Europe/Madrid", *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run("customer", "list")  # the first command migrates; you are still Alex, with Acme
    assert code == 0 and "Acme" in out, err
    engine = open_engine(f"sqlite:///{db_path}")
    assert schema_version(engine) == SCHEMA_HEAD
    engine.dispose()
    with sqlite3.connect(db_path) as db:
        keys = db.execute("SELECT id, name_key, manager FROM tams ORDER BY id").fetchall()
        assert db.execute("SELECT count(*) FROM assignments").fetchone() == (0,)
    # folded names (no case, no accents); the later of two equal ones keeps its id in its key
    assert keys == [(1, "alex", 0), (2, "emile roux", 0), (3, "emile roux #3", 0)]
    # 'emile' names both: refused, listing them (exit 2); the exact name finds the first
    code, _, err = run("--as", "emile", "customer", "list")
    assert code == 2 and "matches 2 TAMs" in err
    assert run("--as", "émile roux", "customer", "list")[0] == 0
