"""The tests' PostgreSQL databases: one per test, cloned from a template, when ``TAMDESK_TEST_DB`` names a server.

``TAMDESK_TEST_DB`` is a SQLAlchemy URL of a database the tests may connect to
as a role allowed to create databases (``postgresql+psycopg://tamdesk:tamdesk@127.0.0.1:5432/postgres``).
Every database made here is named ``tamdesk_test_<random>``, and only those are dropped.

A test's database comes from a small pool (``lease``/``release``): a CREATE DATABASE from a
template costs a few tenths of a second of server work, and a DROP as much again, while putting
a pooled database back to a template's rows (``reset``) costs a few milliseconds. The reset
leaves the database as a fresh clone would be: same rows, same sequence positions; a database
whose schema a test changed (a migration, a downgrade, a dropped table) is cloned again instead.
"""

from __future__ import annotations

import os
import queue
import threading
import uuid

#: The server's URL, or "" for the SQLite pass.
SERVER = os.environ.get("TAMDESK_TEST_DB", "")
PREFIX = "tamdesk_test_"
_created: list[str] = []
#: Databases a test is done with, dropped by a thread of their own: a DROP DATABASE takes a few tenths of a
#: second (PostgreSQL removes its files and syncs), which the next test need not wait for.
_to_drop: queue.Queue[str | None] = queue.Queue()
_dropper: threading.Thread | None = None


def _admin():  # type: ignore[no-untyped-def]
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(SERVER).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def connect(name: str):  # type: ignore[no-untyped-def]
    """A psycopg connection (a transaction at a time) to the database ``name`` on the server."""
    import psycopg
    from sqlalchemy.engine import make_url

    return psycopg.connect(make_url(SERVER).set(drivername="postgresql", database=name).render_as_string(hide_password=False))


def _url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(SERVER).set(database=name).render_as_string(hide_password=False)


def shown() -> str:
    """The server's URL as printed: its password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(SERVER).render_as_string(hide_password=True)


def name_of(url: str) -> str:
    """The database a URL names."""
    from sqlalchemy.engine import make_url

    return make_url(url).database or ""


def create(template: str | None = None, *, shared: bool = False) -> str:
    """A new database (a copy of the ``template`` database's URL, if given); its URL.

    A ``shared`` one (a run's session template, which other workers copy) is not this process's
    to drop when it ends: the run's controller drops it (``drop_now``) once every worker is done.
    """
    name = f"{PREFIX}{uuid.uuid4().hex[:16]}"
    with _admin() as admin:
        if template:
            _copy_into(admin, name_of(template), name)
        else:
            admin.execute(f"CREATE DATABASE {name}")
    if not shared:
        _created.append(name)
    return _url(name)


def clone(template: str) -> str:
    """A new database holding what the ``template`` database holds (PostgreSQL copies its files)."""
    return create(template)


def drop(url: str) -> None:
    """Drop a database this module made, whoever is still connected to it: soon, in the dropping thread."""
    global _dropper
    from sqlalchemy.engine import make_url

    name = make_url(url).database or ""
    assert name.startswith(PREFIX), name
    if _dropper is None:
        _dropper = threading.Thread(target=_drop_each, name="tamdesk-test-drop", daemon=True)
        _dropper.start()
    _to_drop.put(name)


def _drop_each() -> None:
    with _admin() as admin:
        while (name := _to_drop.get()) is not None:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            if name in _created:
                _created.remove(name)


def drop_all_created() -> None:
    """Drop every database this process made and has not dropped yet; return once they are gone."""
    global _dropper
    for name in list(_created):
        if name not in _to_drop.queue:
            _to_drop.put(name)
    if _dropper is not None or not _to_drop.empty():
        if _dropper is None:
            _dropper = threading.Thread(target=_drop_each, name="tamdesk-test-drop", daemon=True)
            _dropper.start()
        _to_drop.put(None)
        _dropper.join(120)
        _dropper = None


def sql(db: str, statement: str, **params: object) -> list[tuple]:
    """Run one statement on the database ``db`` names (a path or a URL, as ``--db`` reads it) and commit; its rows."""
    from sqlalchemy import create_engine, text

    from tamdesk.store.engine import database_url

    engine = create_engine(database_url(str(db)))
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def copy(template: str, target: str) -> None:
    """Make ``target`` (a path or a URL) hold what ``template`` holds: SQLite's backup, or a reset database."""
    if not SERVER:
        import contextlib
        import sqlite3

        # SQLite's backup, not a file copy: commands may leave their connections open, with pages still in the WAL.
        with contextlib.closing(sqlite3.connect(template)) as source, contextlib.closing(sqlite3.connect(target)) as into:
            source.backup(into)
        return
    reset(name_of(target), name_of(template))


def _copy_into(admin, template: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """CREATE DATABASE ``name`` from ``template``, which nobody may be connected to: a command run
    in-process (the CLI's ``main``) leaves its pooled connections open, so they are ended first."""
    assert template.startswith(PREFIX), template
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        (template,),
    )
    admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")


def discard(url: str) -> None:
    """Remove a desk a test made for itself: its SQLite file, or its database (back to the pool, if it came from there)."""
    if SERVER:
        if name_of(url) in _leased:
            release(url)
        else:
            drop(url)
        return
    from pathlib import Path

    from tamdesk.store.engine import sqlite_file

    Path(sqlite_file(url) or url).unlink()


def settle(url: str) -> None:
    """End every session still connected to a database (a command run in-process leaves its pool open)."""
    with _admin() as admin:
        _terminate(admin, name_of(url))


def _terminate(connection, name: str) -> None:  # type: ignore[no-untyped-def]
    """End every other session on the database ``name`` and wait until they are gone (``connection`` in autocommit).

    pg_terminate_backend's own wait polls every tenth of a second; a session exits in a millisecond or two.
    """
    import time

    others = "FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    connection.execute(f"SELECT pg_terminate_backend(pid) {others}", (name,))
    deadline = time.monotonic() + 10
    while connection.execute(f"SELECT count(*) {others}", (name,)).fetchone()[0] and time.monotonic() < deadline:
        time.sleep(0.002)


def drop_now(names: list[str]) -> None:
    """Drop these databases (made by this module) now, whoever is connected."""
    with _admin() as admin:
        for name in names:
            assert name.startswith(PREFIX), name
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- the pool ---------------------------------------------------------------------------------------

#: Pooled databases no test holds, and those a test holds; every one is also in ``_created``.
_free: list[str] = []
_leased: set[str] = set()
#: What each template holds, read once (from a fresh clone of it: reading the template itself would keep a
#: session on it, and another worker's CREATE DATABASE ... TEMPLATE refuses a template anyone is connected to).
_snapshots: dict[str, "Snapshot"] = {}


class Snapshot:
    """A template's schema fingerprint, its tables' rows (binary COPY) and its sequences' positions."""

    def __init__(self, connection) -> None:  # type: ignore[no-untyped-def]
        self.fingerprint = fingerprint(connection)
        self.tables = [row[0] for row in connection.execute(TABLES)]
        self.rows: dict[str, bytes] = {}
        for table in self.tables:
            data = bytearray()
            with connection.cursor().copy(f"COPY {table} TO STDOUT (FORMAT binary)") as copy:
                for chunk in copy:
                    data += chunk
            self.rows[table] = bytes(data)
        self.sequences = [
            (name, *connection.execute(f"SELECT last_value, is_called FROM {name}").fetchone())
            for (name,) in connection.execute(SEQUENCES)
        ]
        self.counts = counts(connection, self.tables)


#: The namespaces a desk's objects live in (not the server's own).
_USER_NAMESPACES = (
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
)
TABLES = (
    "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    f"WHERE c.relkind IN ('r', 'p') AND {_USER_NAMESPACES} ORDER BY 1"
)
SEQUENCES = (
    "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    f"WHERE c.relkind = 'S' AND {_USER_NAMESPACES} ORDER BY 1"
)
#: The schema as one hash: relations and their columns, indexes, constraints, triggers (and whether enabled),
#: functions, types, extensions, the database's own settings, and alembic's version.
_FINGERPRINT = f"""
SELECT md5(string_agg(part, E'\n' ORDER BY part)) FROM (
    SELECT concat_ws(' ', 'column', n.nspname, c.relname, c.relkind, a.attnum, a.attname, a.attisdropped,
                     format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, a.attgenerated,
                     pg_get_expr(d.adbin, d.adrelid))
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {_USER_NAMESPACES}
  UNION ALL
    SELECT concat_ws(' ', 'view', n.nspname, c.relname, pg_get_viewdef(c.oid))
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND {_USER_NAMESPACES}
  UNION ALL
    SELECT concat_ws(' ', 'sequence', s.seqrelid::regclass::text, s.seqtypid, s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcycle)
    FROM pg_sequence s
  UNION ALL
    SELECT concat_ws(' ', 'index', schemaname, indexdef) FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
    SELECT concat_ws(' ', 'constraint', n.nspname, c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid))
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE {_USER_NAMESPACES}
  UNION ALL
    SELECT concat_ws(' ', 'trigger', t.tgenabled, pg_get_triggerdef(t.oid)) FROM pg_trigger t WHERE NOT t.tgisinternal
  UNION ALL
    SELECT concat_ws(' ', 'function', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid),
                     pg_get_function_result(p.oid), md5(p.prosrc), p.provolatile)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {_USER_NAMESPACES}
  UNION ALL
    SELECT concat_ws(' ', 'type', n.nspname, t.typname, t.typtype,
                     (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN ('e', 'd', 'r', 'm') AND {_USER_NAMESPACES}
  UNION ALL
    SELECT concat_ws(' ', 'extension', extname, extversion) FROM pg_extension
  UNION ALL
    SELECT concat_ws(' ', 'setting', array_to_string(setconfig, ',')) FROM pg_db_role_setting
    WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
  UNION ALL
    SELECT concat_ws(' ', 'alembic', (xpath('/table/row/v/text()', query_to_xml(
        'SELECT string_agg(version_num, '','' ORDER BY version_num) AS v FROM alembic_version', false, false, ''))
        )[1]::text)
    WHERE to_regclass('public.alembic_version') IS NOT NULL
) AS parts(part)
"""


def fingerprint(connection) -> str:  # type: ignore[no-untyped-def]
    """The schema of the database ``connection`` is on, as a hash (see ``_FINGERPRINT``)."""
    return connection.execute(_FINGERPRINT).fetchone()[0]


def counts(connection, tables: list[str]) -> tuple:  # type: ignore[no-untyped-def]
    """How many rows each table holds, in one round trip."""
    if not tables:
        return ()
    return tuple(connection.execute("SELECT " + ", ".join(f"(SELECT count(*) FROM {table})" for table in tables)).fetchone())


def lease(template: str) -> str:
    """A database of the pool holding exactly what the ``template`` database (a URL) holds, for one test; its URL.

    Give it back with ``release``; the next lease puts it back to its template's content.
    """
    if _free:
        name = _free.pop()
        reset(name, name_of(template))
    else:
        name = name_of(clone(template))
        _snapshot(name, name_of(template))
    _leased.add(name)
    return _url(name)


def release(url: str) -> None:
    """A leased database back to the pool (as the test left it: the next ``lease`` resets it)."""
    name = name_of(url)
    _leased.discard(name)
    _free.append(name)


def _snapshot(clone_name: str, template: str) -> "Snapshot":
    """The template's snapshot, read (once) from ``clone_name``, a database just cloned from it."""
    if template not in _snapshots:
        with connect(clone_name) as connection:
            _snapshots[template] = Snapshot(connection)
    return _snapshots[template]


def reset(name: str, template: str) -> None:
    """Make the database ``name`` hold what the database ``template`` holds, as a fresh clone of it would.

    Every session still on ``name`` is ended first (commands run in-process leave their pool open,
    a desk's watch its LISTEN). In one transaction, with triggers and foreign-key checks off
    (``session_replication_role = replica``: the knowledge base's triggers would add its rows twice):
    every table emptied, refilled with the template's rows, each sequence set where the template's is;
    then each table's count checked against the template's. A database whose schema is not the
    template's (``fingerprint``) is dropped and cloned again instead.
    """
    assert name.startswith(PREFIX), name
    if template not in _snapshots:  # nothing read yet: a clone is both the reset and the source
        with _admin() as admin:
            _terminate(admin, name)
            _reclone(admin, name, template)
        _snapshot(name, template)
        return
    snapshot = _snapshots[template]
    with connect(name) as connection:
        connection.autocommit = True
        _terminate(connection, name)
        connection.autocommit = False
        if fingerprint(connection) == snapshot.fingerprint:
            # DELETE, not TRUNCATE: a TRUNCATE makes new files for every table and index (0.14 s for a new
            # desk's 24 tables), a DELETE of a test's few rows takes milliseconds; the rows are the same.
            connection.execute("SET LOCAL session_replication_role = replica; " + "; ".join(f"DELETE FROM {table}" for table in snapshot.tables))
            cursor = connection.cursor()
            for table, count in zip(snapshot.tables, snapshot.counts):
                if count:
                    with cursor.copy(f"COPY {table} FROM STDIN (FORMAT binary)") as copy:
                        copy.write(snapshot.rows[table])
            if snapshot.sequences:
                positions = (f"setval('{sequence}', {value}, {called})" for sequence, value, called in snapshot.sequences)
                connection.execute("SELECT " + ", ".join(positions))
            if counts(connection, snapshot.tables) == snapshot.counts:
                connection.commit()
                return
            connection.rollback()
    with _admin() as admin:  # another schema, or rows the refill did not give back: a clone, as before the pool
        _reclone(admin, name, template)


def _reclone(admin, name: str, template: str) -> None:  # type: ignore[no-untyped-def]
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _copy_into(admin, template, name)
