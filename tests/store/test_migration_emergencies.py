"""Migration 0008 gives a desk of the previous schema the emergency tables, and its customers their engagements."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tamdesk.cli.main import main
from tamdesk.store.engine import SCHEMA_HEAD, open_engine, schema_version, upgrade
from tests.conftest import NOW
from tests.store.test_migrations import desk_at

#: Older SQLite files migrated in place: left out of the PostgreSQL pass.
pytestmark = pytest.mark.sqlite_only

TABLES = {"emergencies", "emergency_entries", "emergency_invoices", "emergency_invoice_lines"}


def test_0008_adds_the_emergency_tables_to_a_desk_built_with_0007_and_its_customer_can_have_one(db_path, capsys):
    # A desk as the previous schema left it: 0007, Alex in Madrid, Acme (tam-a: an active monthly plan).
    with desk_at(db_path, "0007") as db:
        assert not TABLES & {name for (name,) in db.execute("SELECT name FROM sqlite_master")}

    def run(*args: str) -> str:
        code = main(["--db", str(db_path), "--now", NOW, "--tz", "Europe/Madrid", *args])
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    assert run("emergency", "open", "acme", "Database down").strip() == "1"
    view = json.loads(run("emergency", "show", "1", "--json"))
    # Acme's contract has no start kept: it starts the day it was added, so its plan is active (E3: no guarantee)
    assert (view["customer"], view["status"], view["guarantee"]) == ("Acme", "requested", "none")
    engine = open_engine(f"sqlite:///{db_path}")
    assert schema_version(engine) == SCHEMA_HEAD
    engine.dispose()
    with sqlite3.connect(db_path) as db:
        assert TABLES <= {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        assert db.execute("SELECT tam_id, customer_id, express_rate_cents FROM emergencies").fetchall() == [(1, 1, 3500)]


def test_0008_goes_down_again_to_0007(db_path):
    engine = open_engine(f"sqlite:///{db_path}")
    upgrade(engine, "0008")
    from alembic import command
    from alembic.config import Config
    from pathlib import Path

    import tamdesk.store.engine as store

    config = Config()
    config.set_main_option("script_location", str(Path(store.__file__).parent / "migrations"))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
        connection.commit()
    assert schema_version(engine) == "0007"
    engine.dispose()
    with sqlite3.connect(db_path) as db:
        assert not TABLES & {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
