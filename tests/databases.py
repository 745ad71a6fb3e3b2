"""The tests' PostgreSQL databases: one per test, cloned from a template, when ``TAMDESK_TEST_DB`` names a server.

``TAMDESK_TEST_DB`` is a SQLAlchemy URL of a database the tests may connect to
as a role allowed to create databases (``postgresql+psycopg://tamdesk:tamdesk@127.0.0.1:5432/postgres``).
Every database made here is named ``tamdesk_test_<random>``, and only those are dropped.
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


def _url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(SERVER).set(database=name).render_as_string(hide_password=False)


def shown() -> str:
    """The server's URL as printed: its password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(SERVER).render_as_string(hide_password=True)


def create(template: str | None = None) -> str:
    """A new database (a copy of the ``template`` database's URL, if given); its URL."""
    from sqlalchemy.engine import make_url

    name = f"{PREFIX}{uuid.uuid4().hex[:16]}"
    with _admin() as admin:
        if template:
            _copy_into(admin, make_url(template).database or "", name)
        else:
            admin.execute(f"CREATE DATABASE {name}")
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
    """Make ``target`` (a path or a URL) hold what ``template`` holds: SQLite's backup, or a cloned database."""
    if not SERVER:
        import contextlib
        import sqlite3

        # SQLite's backup, not a file copy: commands may leave their connections open, with pages still in the WAL.
        with contextlib.closing(sqlite3.connect(template)) as source, contextlib.closing(sqlite3.connect(target)) as into:
            source.backup(into)
        return
    from sqlalchemy.engine import make_url

    name = make_url(target).database or ""
    assert name.startswith(PREFIX), name
    with _admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _copy_into(admin, make_url(template).database or "", name)


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
    """Remove a desk a test made for itself: its SQLite file, or its database."""
    if SERVER:
        drop(url)
        return
    from pathlib import Path

    from tamdesk.store.engine import sqlite_file

    Path(sqlite_file(url) or url).unlink()
