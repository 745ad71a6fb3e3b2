"""Migrations upgrade a desk built with an older schema and keep what it holds."""

from __future__ import annotations

import json
import sqlite3

from tamdesk.cli.main import main
from tamdesk.store.engine import SCHEMA_HEAD, open_engine, schema_version, upgrade
from tests.conftest import NOW


def test_0002_adds_the_time_entry_history_to_a_desk_built_with_0001(db_path, capsys):
    # A desk as the previous release left it: schema 0001, one TAM, one customer, one time entry.
    engine = open_engine(f"sqlite:///{db_path}")
    upgrade(engine, "0001")
    engine.dispose()
    with sqlite3.connect(db_path) as db:
        db.execute("INSERT INTO tams (id, name, tz) VALUES (1, 'Alex', 'Europe/Madrid')")
        db.execute("INSERT INTO settings (key, value) VALUES ('current_tam', '1')")
        db.execute(
            "INSERT INTO customers (id, tam_id, name, name_key, plan, tz, created_at) "
            "VALUES (1, 1, 'Acme', 'acme', 'tam-a', 'Europe/Madrid', '2026-11-01 09:00:00.000000')"
        )
        db.execute(
            "INSERT INTO time_entries (id, tam_id, customer_id, work_date, minutes, note, over_budget, logged_at) "
            "VALUES (1, 1, 1, '2026-11-23', 60, 'prep', 0, '2026-11-23 07:00:00.000000')"
        )
        assert "time_entry_events" not in {n for (n,) in db.execute("SELECT name FROM sqlite_master")}

    # The new program opens it, migrates it, and corrects the old entry with its history kept.
    code = main(["--db", str(db_path), "--now", NOW, "--tz", "Europe/Madrid", "time", "edit", "1", "--hours", "1:30", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["hours"] == 1.5 and json.loads(out)["note"] == "prep"
    engine = open_engine(f"sqlite:///{db_path}")
    assert schema_version(engine) == SCHEMA_HEAD == "0003"
    engine.dispose()
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT minutes FROM time_entries").fetchall() == [(90,)]
        [(action, before)] = db.execute("SELECT action, before FROM time_entry_events").fetchall()
    assert action == "edited" and json.loads(before)["minutes"] == 60
