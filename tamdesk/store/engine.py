"""Opening the desk's database: location, SQLite settings and migrations.

The default database is ``tamdesk.sqlite`` in the user data folder
(platformdirs), created on first use with its folder, mode 0600. SQLite runs
in WAL mode with foreign keys on and a busy timeout, so a desk open in one
terminal and a script in another share it safely. Writes begin with
``BEGIN IMMEDIATE``: a writer takes the lock before it reads, so two writers
queue instead of failing half-way. ``--db`` takes a path or any SQLAlchemy URL.

PostgreSQL (``postgresql+psycopg://``, psycopg 3 from ``tamdesk[team]``) is
the shared store of a team: there a write transaction runs SERIALIZABLE and a
read transaction REPEATABLE READ (one snapshot, as SQLite gives). Two writers
that read what the other changes (the last session of an allowance, the 30th
case) cannot both commit: one fails with a serialization failure, and
``Desk`` runs its whole unit of work again (``is_conflict``), where the rule
now sees the other's row and refuses.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError, ProgrammingError
from sqlalchemy.pool import StaticPool

from tamdesk.domain.errors import BadInput, Busy
from tamdesk.store.guard import examine
from tamdesk.store.watch import BUSY_TIMEOUT_MS, CHANNEL

#: The newest migration. ``ensure_schema`` compares the database with it cheaply
#: and imports Alembic only when they differ; a test keeps it equal to Alembic's head.
SCHEMA_HEAD = "0009"
T = TypeVar("T")
WRITE = "tamdesk_write"
#: The execution option of the migrations' transaction (PostgreSQL: one migrator at a time, see ``_open_postgresql``).
MIGRATE = "tamdesk_migrate"
#: The key of the advisory lock PostgreSQL's migrators queue on ("tamdesk" in ASCII).
MIGRATION_LOCK = 0x74616D6465736B
#: PostgreSQL's SQLSTATEs for a transaction that lost to a concurrent one: a serialization failure, a deadlock.
CONFLICTS = frozenset({"40001", "40P01"})
TEAM_EXTRA = "pip install 'tamdesk[team]'"


def default_database_path() -> Path:
    """``tamdesk.sqlite`` in the user's data folder."""
    import platformdirs

    return platformdirs.user_data_path("tamdesk", appauthor=False) / "tamdesk.sqlite"


def demo_database_path() -> Path:
    """``demo.sqlite`` beside the default desk: ``tamdesk demo`` never writes into the TAM's own."""
    return default_database_path().with_name("demo.sqlite")


def database_url(db: str | None) -> str:
    """The SQLAlchemy URL for ``--db``: a URL as is, ``:memory:`` as SQLite's, a path as a SQLite file."""
    if not db:
        return f"sqlite:///{default_database_path()}"
    if db == ":memory:":  # as sqlite3 and the sqlite3 shell read it, not a file of that name
        return "sqlite://"
    if "://" in db:
        try:
            make_url(db)
        except (ArgumentError, ValueError):  # SQLAlchemy's parser says a port that is no number as a ValueError
            raise BadInput(f"cannot read {shown_url(db)} as a database URL") from None
        return db
    return f"sqlite:///{Path(db).expanduser().absolute()}"


def _prepare_sqlite_file(path: str) -> None:
    """Create the file and its folder with private permissions before SQLite does."""
    if path in ("", ":memory:") or path.startswith("file:"):
        return
    file = Path(path)
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not file.exists():
            # SQLite gives its -wal and -shm files the same mode as the database.
            os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as error:
        raise BadInput(f"cannot create the database at {file}: {error.strerror}") from None


def open_engine(url: str) -> Engine:
    """An engine for ``url`` with the desk's SQLite settings applied."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return _open_postgresql(url)
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(url)
        except (ArgumentError, NoSuchModuleError, ImportError) as error:
            raise BadInput(f"cannot open database {shown_url(url)}: {error}") from None
    database = parsed.database or ""
    memory = database in ("", ":memory:")
    if not memory and not database.startswith("file:"):
        # Refuses another program's file, or a newer schema, before a byte is written.
        examine(Path(database), timeout_s=BUSY_TIMEOUT_MS / 1000)
    _prepare_sqlite_file(database)
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        # one shared connection keeps an in-memory database alive across sessions
        poolclass=StaticPool if memory else None,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself (the pysqlite
        # driver otherwise begins lazily and never with IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


#: The PostgreSQL engines of this process, by URL (see ``_open_postgresql``).
_SERVER_ENGINES: dict[str, Engine] = {}
_SERVER_ENGINES_LOCK = threading.Lock()
#: A forked child's engines from its parent: never used, never collected (see ``_after_fork``).
_PARENTS_ENGINES: list[Engine] = []


def _after_fork() -> None:
    """A forked child (the desk opened ahead of the app: ``tamdesk.startup``) makes its own engines.

    Its parent's pooled connections share their sockets with the parent: a query from the child
    would mix into the parent's session, and closing one (even by collecting it) would end it.
    """
    global _SERVER_ENGINES_LOCK
    _PARENTS_ENGINES.extend(_SERVER_ENGINES.values())
    _SERVER_ENGINES.clear()
    _SERVER_ENGINES_LOCK = threading.Lock()  # another thread of the parent may have held it


os.register_at_fork(after_in_child=_after_fork)


def _open_postgresql(url: str) -> Engine:
    """An engine on a PostgreSQL server: SERIALIZABLE writes, REPEATABLE READ reads; one per URL and process.

    Opening the same desk again in one process (a script running commands, the desk's
    workers) takes the engine already made: its pooled connection, instead of a new
    server process and its catalogue reads, and the statements it compiled. A pooled
    connection the server ended since is found by the ping before it is lent and made
    again; ``Desk.close`` still closes the connections, the engine stays for the next open.
    """
    with _SERVER_ENGINES_LOCK:
        engine = _SERVER_ENGINES.get(url)
        if engine is None:
            engine = _SERVER_ENGINES[url] = _new_postgresql_engine(url)
    return engine


def _new_postgresql_engine(url: str) -> Engine:
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as error:
        raise BadInput(f"cannot open database {shown_url(url)}: {error}") from None
    except ImportError:
        raise BadInput(f"a PostgreSQL desk needs psycopg 3: {TEAM_EXTRA}") from None

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # The first statement of the transaction: psycopg sends BEGIN just before it.
        options = connection.get_execution_options()
        if options.get(MIGRATE, False):
            # Two programs opening a new database at once: the second waits for the first's migrations,
            # then reads the version they committed (READ COMMITTED: a snapshot taken after the wait).
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            return
        level = "SERIALIZABLE" if options.get(WRITE, False) else "REPEATABLE READ"
        connection.exec_driver_sql(f"SET TRANSACTION ISOLATION LEVEL {level}")

    return engine


#: The password in a URL's ``user:password@``, found without parsing it (the parser may be what failed).
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def printable_url(url: str) -> str:
    """``url`` as it may be printed: its password hidden, even in a URL the parser cannot read."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _PASSWORD.sub(r"\1***@", url)


def shown_url(url: str) -> str:
    """``url`` quoted as a message names it, its password hidden."""
    return repr(printable_url(url))


def is_postgresql(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL database."""
    return bool(url) and make_url(url).get_backend_name() == "postgresql"


def listen_target(url: str) -> str | None:
    """What ``ChangeWatch`` watches for ``url``: the SQLite file's path, a libpq URL for PostgreSQL, or None."""
    if is_postgresql(url):
        return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return sqlite_file(url)


def is_conflict(error: BaseException) -> bool:
    """True for PostgreSQL's serialization failure or deadlock: the transaction may be run again whole."""
    original = getattr(error, "orig", error) if isinstance(error, DBAPIError) else error
    return getattr(original, "sqlstate", None) in CONFLICTS


def is_locked(error: BaseException) -> bool:
    """True for SQLite's "database is locked" / "busy" errors, raw or wrapped by SQLAlchemy."""
    text = str(error)
    return isinstance(error, (OperationalError, sqlite3.OperationalError)) and ("locked" in text or "busy" in text)


def while_locked(work: Callable[[], T], *, what: str = "the database") -> T:
    """Run ``work``, again while another process holds the lock, until the busy timeout has passed.

    SQLite's own busy handler covers most statements, but not every path: the
    ``journal_mode`` switch of a first connection and a migration's DDL can
    fail at once. Past the timeout the lock becomes ``Busy`` (exit 4), never a
    traceback; ``work`` must be all-or-nothing, so a retry is safe.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.02
    while True:
        try:
            return work()
        except (OperationalError, sqlite3.OperationalError) as error:
            if not is_locked(error):
                raise
            if time.monotonic() >= deadline:
                raise Busy(f"{what} is locked by another program; nothing was changed, try again") from None
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def schema_version(engine: Engine) -> str | None:
    """The migration the database is at, or ``None`` for a new database."""
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError) as error:
            # a new database: SQLite's "no such table", PostgreSQL's "relation ... does not exist"
            if "no such table" in str(error) or getattr(error.orig, "sqlstate", None) == "42P01":
                return None
            raise


def ensure_schema(engine: Engine) -> None:
    """Bring the database to ``SCHEMA_HEAD``, migrating only when it is behind."""
    if schema_version(engine) == SCHEMA_HEAD:
        return
    upgrade(engine)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` in one write transaction."""
    # Alembic costs ~100 ms to import; only a new or older database pays it.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.connect().execution_options(**{WRITE: True, MIGRATE: True}) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


def sqlite_file(url: str) -> str | None:
    """The path of the SQLite file ``url`` names; None for other databases and in-memory ones."""
    if not url:
        return None
    parsed = make_url(url)
    path = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or path in ("", ":memory:") or path.startswith("file:"):
        return None
    return path
