"""Migrations upgrade a desk built with an older schema and keep what it holds."""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from typing import Iterator

from tamdesk.cli.main import main
from tamdesk.store.engine import SCHEMA_HEAD, open_engine, schema_version, upgrade
from tests.conftest import NOW


@contextmanager
def desk_at(db_path, revision: str) -> Iterator[sqlite3.Connection]:
    """A desk built with schema ``revision`` holding one TAM (current) and one customer, Acme; add more with the connection."""
    engine = open_engine(f"sqlite:///{db_path}")
    upgrade(engine, revision)
    engine.dispose()
    with sqlite3.connect(db_path) as db:
        db.execute("INSERT INTO tams (id, name, tz) VALUES (1, 'Alex', 'Europe/Madrid')")
        db.execute("INSERT INTO settings (key, value) VALUES ('current_tam', '1')")
        db.execute(
            "INSERT INTO customers (id, tam_id, name, name_key, plan, tz, created_at) "
            "VALUES (1, 1, 'Acme', 'acme', 'tam-a', 'Europe/Madrid', '2026-11-01 09:00:00.000000')"
        )
        yield db


def test_0002_adds_the_time_entry_history_to_a_desk_built_with_0001(db_path, capsys):
    # A desk as the previous release left it: schema 0001, one TAM, one customer, one time entry.
    with desk_at(db_path, "0001") as db:
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
    assert schema_version(engine) == SCHEMA_HEAD
    engine.dispose()
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT minutes FROM time_entries").fetchall() == [(90,)]
        [(action, before)] = db.execute("SELECT action, before FROM time_entry_events").fetchall()
    assert action == "edited" and json.loads(before)["minutes"] == 60


def test_0003_adds_the_journal_and_resolution_notes_to_a_desk_built_with_0002(db_path, capsys):
    # A desk as the previous release left it: schema 0002, one TAM, one customer, one open case.
    with desk_at(db_path, "0002") as db:
        db.execute(
            "INSERT INTO cases (id, tam_id, customer_id, title, severity, status, filed_at, opened_at) "
            "VALUES (1, 1, 1, 'Login fails', 'high', 'open', '2026-11-20 09:00:00.000000', '2026-11-20 09:00:00.000000')"
        )
        assert "journal" not in {n for (n,) in db.execute("SELECT name FROM sqlite_master")}

    def run(*args):
        code = main(["--db", str(db_path), "--now", NOW, "--tz", "Europe/Madrid", *args])
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    # The new program migrates it, resolves the old case with a note, and can undo that.
    assert json.loads(run("case", "resolve", "1", "--note", "reset the SSO key", "--json"))["resolution_note"] == "reset the SSO key"
    engine = open_engine(f"sqlite:///{db_path}")
    assert schema_version(engine) == SCHEMA_HEAD
    engine.dispose()
    assert json.loads(run("undo", "--json"))["kind"] == "case.resolved"
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT status, resolution_note FROM cases").fetchall() == [("open", None)]
        assert db.execute("SELECT kind, undone_at IS NOT NULL FROM journal").fetchall() == [("case.resolved", 1)]


def test_0004_indexes_the_scheduled_calls_of_a_desk_built_with_0003_and_its_old_customers_start_when_added(db_path, capsys):
    # A desk as the previous release left it: schema 0003, Acme (no contract start: added 1 Nov, 10:00 in Madrid),
    # and a call on 2 November, 10:00-11:00 in Madrid, never marked.
    with desk_at(db_path, "0003") as db:
        db.execute(
            "INSERT INTO calls (id, uid, tam_id, customer_id, starts_at, minutes, status, kind, review, over_budget, "
            "sequence, created_at, updated_at) VALUES (1, 'u1', 1, 1, '2026-11-02 09:00:00.000000', 60, 'scheduled', "
            "'working', 0, 0, 0, '2026-11-01 09:00:00.000000', '2026-11-01 09:00:00.000000')"
        )
    code = main(["--db", str(db_path), "--now", NOW, "--tz", "Europe/Madrid", "warnings", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert [w["text"][:30] for w in json.loads(out) if w["rule"] == "S2"] == ["call 1 on Mon 2026-11-02 10:00"]
    code = main(["--db", str(db_path), "--now", NOW, "--tz", "Europe/Madrid", "allowance", "--month", "2026-10", "--json"])
    assert (code, json.loads(capsys.readouterr().out)) == (0, [])  # October is before Acme existed (S3)
    with sqlite3.connect(db_path) as db:
        assert ("ix_calls_tam_scheduled",) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()


def test_0005_names_each_call_events_customer_on_a_desk_built_with_0004_and_its_s6_credit_stays(db_path, capsys):
    # A desk as the previous release left it: schema 0004, Acme on tam-a (four sessions a month, S1), and a call
    # of 20 November the TAM cancelled. S6: November's freed unit, not used again, is a credit for December, so
    # December grants 4 + 1 = 5. The migration must find that departure by the new index.
    with desk_at(db_path, "0004") as db:
        db.execute("UPDATE customers SET active_from = '2026-01-01'")
        db.execute(
            "INSERT INTO calls (id, uid, tam_id, customer_id, starts_at, minutes, status, kind, review, over_budget, "
            "sequence, created_at, updated_at) VALUES (1, 'u1', 1, 1, '2026-11-20 09:00:00.000000', 60, "
            "'cancelled-by-tam', 'working', 0, 0, 1, '2026-11-01 09:00:00.000000', '2026-11-10 09:00:00.000000')"
        )
        db.executemany(
            "INSERT INTO call_events (call_id, at, action, by, from_starts_at, to_starts_at, from_status, to_status) "
            "VALUES (1, ?, ?, ?, '2026-11-20 09:00:00.000000', '2026-11-20 09:00:00.000000', ?, ?)",
            [
                ("2026-11-01 09:00:00.000000", "booked", None, None, "scheduled"),
                ("2026-11-10 09:00:00.000000", "cancelled", "tam", "scheduled", "cancelled-by-tam"),
            ],
        )
    code = main(["--db", str(db_path), "--now", NOW, "--tz", "Europe/Madrid", "allowance", "--month", "2026-12", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    [december] = json.loads(out)
    assert (december["carried_in"], december["available"]) == (1, 5)
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT customer_id FROM call_events").fetchall() == [(1,), (1,)]
        indexes = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "ix_call_events_departures" in indexes and "ix_call_events_by_from" not in indexes


def test_0006_gives_every_case_of_a_desk_built_with_0004_its_history_and_its_note_to_the_knowledge_base(db_path, capsys):
    # A desk as the previous release left it: schema 0004 (0005 and 0006 both come with this one), Acme, and a
    # case in each state it could be in:
    # 1 open; 2 queued; 3 resolved after it opened, with a note; 4 resolved straight from the queue, no note.
    with desk_at(db_path, "0004") as db:
        rows = [
            (1, "Login fails", "high", "open", "2026-11-20 09:00:00.000000", "2026-11-20 09:00:00.000000", None, None),
            (2, "Slow reports", "normal", "queued", "2026-11-20 10:00:00.000000", None, None, None),
            (3, "Proxy drops", "critical", "resolved", "2026-11-19 08:00:00.000000", "2026-11-19 08:30:00.000000",
             "2026-11-19 12:00:00.000000", "restarted the proxy pool"),
            (4, "Duplicate", "normal", "resolved", "2026-11-18 08:00:00.000000", None, "2026-11-18 09:00:00.000000", None),
        ]
        db.executemany(
            "INSERT INTO cases (id, tam_id, customer_id, title, severity, status, filed_at, opened_at, resolved_at, "
            "resolution_note) VALUES (?, 1, 1, ?, ?, ?, ?, ?, ?, ?)", rows,
        )
        assert "case_events" not in {n for (n,) in db.execute("SELECT name FROM sqlite_master")}

    def run(*args):
        code = main(["--db", str(db_path), "--now", NOW, "--tz", "Europe/Madrid", *args])
        out, err = capsys.readouterr()
        assert code == 0, err
        return json.loads(out)

    # The new program migrates it; every case is there, as it was, with the history its timestamps tell
    # (the stored text is UTC: 09:00 stored reads 09:00+00:00).
    listed = {c["id"]: c for c in run("case", "list", "--json")}
    assert {i: (c["title"], c["status"], c["resolution_note"]) for i, c in listed.items()} == {
        1: ("Login fails", "open", None), 2: ("Slow reports", "queued", None),
        3: ("Proxy drops", "resolved", "restarted the proxy pool"), 4: ("Duplicate", "resolved", None),
    }
    assert all((c["level"], c["problem"], c["checklist"], c["paused"]) == (1, None, None, False) for c in listed.values())
    history = {i: [(e["kind"], e["at"], e["note"]) for e in run("case", "show", str(i), "--json")["events"]] for i in listed}
    assert history == {
        1: [("filed", "2026-11-20T09:00:00+00:00", None), ("opened", "2026-11-20T09:00:00+00:00", None)],
        2: [("filed", "2026-11-20T10:00:00+00:00", None)],
        3: [("filed", "2026-11-19T08:00:00+00:00", None), ("opened", "2026-11-19T08:30:00+00:00", None),
            ("resolved", "2026-11-19T12:00:00+00:00", "restarted the proxy pool")],
        4: [("filed", "2026-11-18T08:00:00+00:00", None), ("resolved", "2026-11-18T09:00:00+00:00", None)],
    }
    # the filed event keeps the severity the case was filed with
    assert run("case", "show", "3", "--json")["events"][0]["severity"] == "critical"
    # the old note is in the knowledge base, and a case written after the migration joins it as well
    assert [(h["kind"], h["id"]) for h in run("kb", "search", "proxy", "--json")] == [("case", 3)]
    assert run("case", "resolve", "1", "--note", "the proxy again", "--json")["id"] == 1
    assert {h["id"] for h in run("kb", "search", "proxy", "--json")} == {1, 3}
    engine = open_engine(f"sqlite:///{db_path}")
    assert schema_version(engine) == SCHEMA_HEAD  # and on to the newest
    engine.dispose()


def test_a_new_desk_is_migrated_in_one_transaction_so_a_failure_leaves_it_empty(db_path, monkeypatch):
    # Alembic commits each migration on its own on SQLite unless told its DDL is transactional.
    # Then a second process that read the version before a first one's later commits re-ran
    # them ("table problems already exists" with two demos at once). One transaction for the
    # whole upgrade: a failure in the last migration leaves not even the first one's tables.
    from alembic.operations import Operations

    create_table = Operations.create_table

    def failing(self, name, *columns, **kw):
        if name == "problems":  # migration 0006's first table
            raise RuntimeError("the disk went away")
        return create_table(self, name, *columns, **kw)

    monkeypatch.setattr(Operations, "create_table", failing)
    engine = open_engine(f"sqlite:///{db_path}")
    try:
        upgrade(engine)
    except RuntimeError:
        pass
    else:
        raise AssertionError("the failing migration did not fail")
    finally:
        engine.dispose()
    with sqlite3.connect(db_path) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == []


def test_0007_gives_a_desk_built_with_0006_the_feed_cache_and_counts_only_what_a_feed_shows(db_path, capsys):
    """The 0007 counters (X1): a change to what a feed shows raises them; a time entry, or the same value again, does not."""
    with desk_at(db_path, "0006") as db:
        db.execute("INSERT INTO contacts (customer_id, email) VALUES (1, 'ops@acme.example')")
    engine = open_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    engine.dispose()

    def counters(statement: str = "", *values) -> tuple[int, int]:
        with sqlite3.connect(db_path) as db:
            if statement:
                db.execute(statement, values)
            return db.execute("SELECT revision, notes_revision FROM feed_state").fetchone()

    assert counters() == (0, 0)  # a new row, nothing counted yet
    # what every feed shows: a customer's name, a contact, the TAM's address, the alarm
    assert counters("UPDATE customers SET name = 'Acme Corp' WHERE id = 1") == (1, 0)
    assert counters("UPDATE customers SET name = 'Acme Corp' WHERE id = 1") == (1, 0)  # the same name: no change
    assert counters("UPDATE contacts SET name = 'Ops' WHERE customer_id = 1") == (2, 0)
    assert counters("UPDATE tams SET email = 'alex@example.com' WHERE id = 1") == (3, 0)
    assert counters("INSERT INTO settings (key, value) VALUES ('alarm_minutes', '5')") == (4, 0)
    # what only a feed with notes shows: the customer's notes
    assert counters("UPDATE customers SET notes = 'VPN first' WHERE id = 1") == (4, 1)
    # what no feed shows: a time entry, the desk's own revision, another setting
    assert counters(
        "INSERT INTO time_entries (tam_id, customer_id, work_date, minutes, over_budget, logged_at) "
        "VALUES (1, 1, '2026-11-20', 15, 0, '2026-11-20 09:00:00.000000')"
    ) == (4, 1)
    assert counters("INSERT INTO settings (key, value) VALUES ('revision', '7')") == (4, 1)
    assert counters("UPDATE customers SET business_hours = '08:00-16:00' WHERE id = 1") == (4, 1)
