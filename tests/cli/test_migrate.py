"""``tamdesk migrate --to URL``: a desk moved whole between SQLite and PostgreSQL, checked, or not at all (issue 19).

The demo desk is the source (``demo_url``: a SQLite file on the SQLite pass, a
database on the PostgreSQL one). A copy is judged by what a person sees of it
(the same ``week``, reports, ``kb search`` and calendar as the original) and by
its rows, read back with ``tests.conftest.table_rows`` (SQLite's stored text,
not the command's own checksum). Tests that need a PostgreSQL target are
marked ``postgresql``: they run on the PostgreSQL pass and, under CI without a
server, fail rather than skip.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tamdesk.services import migrate
from tamdesk.services.desk import Desk
from tamdesk.store.engine import ensure_schema, open_engine
from tamdesk.store.models import KNOWLEDGE, Base
from tests import databases
from tests.cli.conftest import changes_nothing, runner
from tests.conftest import table_rows
from tests.store.test_races import server  # noqa: F401  (the fixture: a PostgreSQL server, a failure under CI without one)

#: Every table the command checks: the models' own, the knowledge base (rebuilt by its triggers) and the feed's counters.
CHECKED = {table.name for table in Base.metadata.sorted_tables} | {KNOWLEDGE, "feed_state"}
#: What a person reads of a desk: the copy must print the same, byte for byte (the clock and zone are the runner's).
READINGS = (
    ("week", "--json"),
    ("report", "week"),
    ("report", "customer", "Northwind"),
    ("report", "sla", "--json"),
    ("kb", "search", "expires", "--json"),
    ("export", "ics", "--include-notes"),
)


@pytest.fixture
def empty_database(server: None):
    """A new, empty PostgreSQL database (no tables), dropped after the test."""
    url = databases.create()
    yield url
    databases.drop(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the desk moves: a new SQLite file, or (marked) an empty PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "moved.sqlite")
    return request.getfixturevalue("empty_database")


def tables_of(db: str) -> list[tuple]:
    """The tables a database holds (none for a file that does not exist)."""
    if "://" not in db:
        if not Path(db).exists():
            return []
        with closing(sqlite3.connect(db)) as connection:
            return connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return databases.sql(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")


def rows_of(db: str) -> dict[str, list[tuple]]:
    desk = Desk.open(db)
    try:
        return table_rows(desk)
    finally:
        desk.close()


def rows_of_file(path: str) -> dict[str, list[tuple]]:
    """Every table's rows of a SQLite file, read without opening it as a desk (which would add its TAM)."""
    with closing(sqlite3.connect(path)) as connection:
        names = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: connection.execute(f"SELECT * FROM {name}").fetchall() for name in names}


def count(db: str, table: str) -> int:
    return databases.sql(db, f"SELECT count(*) FROM {table}")[0][0]


def moved(source: str, target: str, capsys: pytest.CaptureFixture[str]) -> dict:
    """``tamdesk migrate --to target --json`` on ``source``, which must succeed; its document."""
    code, out, err = runner(source, capsys)("migrate", "--to", target, "--json")
    assert code == 0, err
    return json.loads(out)


def sqlite_demo(demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The demo as a SQLite file: on the PostgreSQL pass (where the demo is a database) moved there first."""
    if "://" not in demo_url:
        return demo_url
    path = str(tmp_path / "demo-moved.sqlite")
    moved(demo_url, path, capsys)
    return path


@pytest.fixture
def history(demo_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The demo with an undo journal and a time entry's history (the demo has neither): an entry logged, corrected, undone."""
    run = runner(demo_url, capsys)
    code, out, err = run("time", "log", "Northwind", "0.5", "--note", "before the move", "--json")
    assert code == 0, err
    entry = str(json.loads(out)["id"])
    assert run("time", "edit", entry, "--hours", "0.25")[0] == 0
    assert run("undo")[0] == 0
    # ... and a reassignment, so the team's history moves too: the manager takes Sam's Initech herself
    code, _, err = run("--as", "priya", "customer", "assign", "Initech", "--to", "priya")
    assert code == 0, err
    return demo_url


def test_the_demo_moves_whole_and_the_copy_reads_the_same(history, target, capsys):
    demo_url = history
    document = moved(demo_url, target, capsys)

    # every table is checked and the same; each count is the source's own, counted here by SQL
    assert {entry["table"] for entry in document["tables"]} == CHECKED
    assert all(entry["same"] for entry in document["tables"]), document["tables"]
    for entry in document["tables"]:
        assert entry["rows"] > 0, entry["table"]  # the demo and its history fill every table: none is the same for being empty
        assert entry["rows"] == count(demo_url, entry["table"]) == count(target, entry["table"]), entry["table"]
    assert count(target, "calls") > 0 and count(target, KNOWLEDGE) == count(target, "cases") + count(target, "problems")
    # the feed's cache is not copied: its first export on the copy makes it again
    assert count(target, "feed_events") == 0
    # a password is never printed (the server's own, on the PostgreSQL pass)
    password = make_url(databases.SERVER).password if databases.SERVER else None
    if password:
        assert f":{password}@" not in json.dumps(document)
    if "://" in target:
        assert document["to"] == make_url(target).render_as_string(hide_password=True)

    source, copy = runner(demo_url, capsys), runner(target, capsys)
    for reading in READINGS:
        code, out, err = source(*reading)
        assert code == 0, (reading, err)
        assert copy(*reading) == (0, out, err), reading


def test_the_copy_numbers_a_new_row_after_the_highest_copied_id(demo_url, target, capsys):
    # PostgreSQL's sequences start at 1 unless set past the copied ids: the new customer would collide with id 1
    moved(demo_url, target, capsys)
    highest = databases.sql(target, "SELECT max(id) FROM customers")[0][0]
    code, _, err = runner(target, capsys)("customer", "add", "Brand New Co", "--plan", "tam-a", "--tz", "Europe/Madrid")
    assert code == 0, err
    assert databases.sql(target, "SELECT id FROM customers WHERE name = 'Brand New Co'") == [(highest + 1,)]


@pytest.mark.postgresql
def test_a_round_trip_sqlite_postgresql_sqlite_keeps_every_row_and_id(history, empty_database, tmp_path, capsys):
    start = sqlite_demo(history, tmp_path, capsys)
    back = str(tmp_path / "back.sqlite")

    moved(start, empty_database, capsys)
    moved(empty_database, back, capsys)

    # SQLite's rows as stored (instants as text, booleans as 0/1, the knowledge base with its rowids), table by table
    before, after = rows_of(start), rows_of(back)
    assert before.keys() == after.keys()
    for name in before:
        assert after[name] == before[name], name
    assert all(before.values()), [name for name, rows in before.items() if not rows]  # no table is equal for being empty


def test_a_desk_already_in_the_target_is_refused_and_left_untouched(demo_url, desk, db_url, capsys):
    # the target is a new desk (its TAM and settings): holding anything, it is refused (exit 3)
    before = table_rows(desk)
    code, out, err = changes_nothing(runner(demo_url, capsys), demo_url, "migrate", "--to", db_url)
    assert code == 3
    assert "already holds a desk" in err and "Traceback" not in err
    assert table_rows(desk) == before


def test_a_target_with_another_programs_tables_is_refused(demo_url, empty_database, capsys):
    databases.sql(empty_database, "CREATE TABLE invoices (id integer PRIMARY KEY, total numeric)")
    databases.sql(empty_database, "INSERT INTO invoices VALUES (1, 9.5)")
    code, _, err = changes_nothing(runner(demo_url, capsys), demo_url, "migrate", "--to", empty_database)
    assert code == 3 and "already holds tables" in err
    assert tables_of(empty_database) == [("invoices",)]
    assert databases.sql(empty_database, "SELECT id, total FROM invoices") == [(1, 9.5)]


def at_head(tmp_path: Path) -> str:
    """A SQLite file migrated to the schema head, with no rows: an empty target that exists before the copy."""
    target = str(tmp_path / "at-head.sqlite")
    engine = open_engine(f"sqlite:///{target}")
    ensure_schema(engine)
    engine.dispose()
    return target


def test_a_migrated_database_with_no_rows_is_a_valid_target(demo_url, tmp_path, capsys):
    target = at_head(tmp_path)
    document = moved(demo_url, target, capsys)
    assert all(entry["same"] for entry in document["tables"])
    assert count(target, "calls") == count(demo_url, "calls")


@pytest.mark.sqlite_only
def test_a_row_the_target_refuses_rolls_the_whole_copy_back(demo_file, tmp_path, capsys):
    # a contact of a customer that is not there: the source file does not check its keys (written with them off),
    # the target does, so the copy fails at contacts, after customers and others were inserted
    with closing(sqlite3.connect(demo_file)) as connection:
        connection.execute("INSERT INTO contacts (id, customer_id, email) VALUES (999, 4242, 'ghost@example.com')")
        connection.commit()
    target = tmp_path / "moved.sqlite"

    code, out, err = runner(demo_file, capsys)("migrate", "--to", str(target))

    assert code == 1
    assert "contacts" in err and "Traceback" not in err
    assert not target.exists()  # a file made for the copy goes with it


@pytest.mark.postgresql
def test_a_row_postgresql_refuses_leaves_the_database_empty(demo_url, empty_database, tmp_path, capsys):
    # SQLite keeps a name longer than its VARCHAR(200); PostgreSQL refuses it, half-way through the copy
    start = sqlite_demo(demo_url, tmp_path, capsys)
    databases.sql(start, "UPDATE customers SET name = :name WHERE id = (SELECT max(id) FROM customers)", name="N" * 300)

    code, _, err = runner(start, capsys)("migrate", "--to", empty_database)

    assert code == 1
    highest = databases.sql(start, "SELECT max(id) FROM customers")[0][0]
    # named by its id, not by the line of the copy it was sent on
    assert f"refused the row of customers with id {highest}: value too long" in err and "Traceback" not in err
    assert "COPY" not in err
    assert tables_of(empty_database) == []  # not even the migrations' tables: they ran in the same transaction


@pytest.mark.postgresql
def test_a_nul_in_a_text_is_refused_naming_its_row_and_leaves_the_database_empty(demo_url, empty_database, tmp_path, capsys):
    # SQLite keeps a NUL inside a text; PostgreSQL's text cannot hold one, and psycopg refuses it before sending.
    start = sqlite_demo(demo_url, tmp_path, capsys)
    with closing(sqlite3.connect(start)) as connection:
        connection.execute("UPDATE customers SET notes = 'a' || char(0) || 'b' WHERE id = 5")
        connection.commit()

    code, _, err = runner(start, capsys)("migrate", "--to", empty_database)

    assert code == 1, err
    assert "refused the row of customers with id 5: PostgreSQL text fields cannot contain NUL" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert tables_of(empty_database) == []


def test_a_copy_that_differs_is_rolled_back_and_said(demo_url, tmp_path, capsys, monkeypatch):
    # the defect of forgetting the feed's counters: the copy's inserts raise them from 0, so they differ from the demo's
    monkeypatch.setattr(migrate, "_copy_feed_counters", lambda reading, writing: None)
    target = at_head(tmp_path)  # it exists before: what rolls back is the transaction, not a file removed
    empty = rows_of_file(target)

    code, out, err = runner(demo_url, capsys)("migrate", "--to", target)

    assert code == 1
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "DIFFERS" in lines["feed_state"]
    assert all(line.split()[-1] == "ok" for name, line in lines.items() if name != "feed_state")
    assert "feed_state" in err and "rolled back" in err
    assert rows_of_file(target) == empty


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://tam:wrongsecret@127.0.0.1:1/nowhere",  # nothing listens on port 1
        "postgresql+psycopg://tam:wrongsecret@127.0.0.1:notaport/nowhere",
        "nosuchdriver://tam:wrongsecret@127.0.0.1/nowhere",
    ],
)
def test_a_wrong_url_is_bad_input_without_a_traceback_or_its_password(demo_url, url, capsys):
    code, out, err = changes_nothing(runner(demo_url, capsys), demo_url, "migrate", "--to", url, "--json")
    assert code == 2
    assert "Traceback" not in err
    assert "wrongsecret" not in out + err
    assert json.loads(out)["error"]["code"] == 2


@pytest.mark.postgresql
def test_the_feeds_counters_are_written_once_by_a_copy_and_count_again_after_it(demo_url, empty_database, capsys):
    # Each row inserted used to update the one feed_state row: in one transaction every update left a version
    # behind it for the next to step over, so a team's copy (536,000 calls) never finished. The row's place
    # says how often it was written: made by the migrations (0,1), its counters copied (0,2); the demo's
    # copy used to leave it at (0,132).
    moved(demo_url, empty_database, capsys)
    assert databases.sql(empty_database, "SELECT ctid::text FROM feed_state") == [("(0,2)",)]
    # the counting triggers are on again: a change on the copy counts, as on the source
    before = databases.sql(empty_database, "SELECT revision FROM feed_state")[0][0]
    (coming,) = databases.sql(empty_database, "SELECT min(id) FROM calls WHERE status = 'scheduled'")[0]
    code, _, err = runner(empty_database, capsys)("session", "cancel", str(coming), "--by", "customer")
    assert code == 0, err
    assert databases.sql(empty_database, "SELECT revision FROM feed_state")[0][0] > before


def test_the_desk_itself_as_the_target_is_refused(demo_url, capsys):
    code, _, err = changes_nothing(runner(demo_url, capsys), demo_url, "migrate", "--to", demo_url)
    assert code == 3 and "the desk itself" in err


@pytest.fixture
def icu_database(server: None):
    """A new PostgreSQL database ordering text by ICU's English rules ("alpha" before "Zeta"), as en_US servers do."""
    import psycopg

    name = f"{databases.PREFIX}icu_{os.urandom(6).hex()}"
    admin = make_url(databases.SERVER).set(drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en' LOCALE 'C.UTF-8'")
    url = make_url(databases.SERVER).set(database=name).render_as_string(hide_password=False)
    yield url
    databases.drop(url)


@pytest.mark.postgresql
def test_text_keys_are_checked_in_the_same_order_whatever_the_servers_collation(demo_url, icu_database, tmp_path, capsys):
    # settings are keyed by text: byte order puts "Zeta" before "alpha" (SQLite), ICU's English the other way round
    start = sqlite_demo(demo_url, tmp_path, capsys)
    databases.sql(start, "INSERT INTO settings (key, value) VALUES ('Zeta', '1'), ('alpha', '2')")
    assert databases.sql(icu_database, "SELECT 'alpha' < 'Zeta'") == [(True,)]  # the server orders as the test means

    document = moved(start, icu_database, capsys)

    assert [entry for entry in document["tables"] if not entry["same"]] == []
    assert document["tables"][0]["table"] == "settings" and document["tables"][0]["rows"] == count(start, "settings")


def test_a_target_name_too_long_for_the_file_system_is_bad_input(db_url, run):
    # The fuzzer's long name: the file system refuses it (ENAMETOOLONG) before SQLite is asked; exit 2, no traceback.
    code, _, err = run("migrate", "--to", "A" * 5000)
    assert code == 2 and "cannot use" in err and "Traceback" not in err


@pytest.mark.parametrize("target", ["", "   "])
def test_an_empty_target_is_bad_input_and_never_your_own_desk(db_url, run, isolated, target):
    # --db reads no name as the default desk; --to must not, or the copy would land in the TAM's own desk.
    code, _, err = run("migrate", "--to", target)
    assert code == 2 and "--to" in err
    assert not (isolated / "data" / "tamdesk" / "tamdesk.sqlite").exists()
