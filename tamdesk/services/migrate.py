"""Moving a desk between databases: ``tamdesk migrate --to URL`` (issue 19).

The desk ``--db`` names (SQLite or PostgreSQL, migrated to the schema head as
any command opens it) is copied into an empty target: a new SQLite file, an
empty PostgreSQL database, or one already at the head with no rows. A target
holding anything else is refused before a byte is written to it.

One read transaction reads the source (one snapshot); one write transaction
on the target runs the migrations (the same Alembic ones, so the copy has the
same triggers, indexes and ``alembic_version``), inserts every table of the
models in foreign-key order, ids kept (in batches of inserts, or one ``COPY``
per table on PostgreSQL), then checks what it wrote:
per table, the row count and a sha256 over the rows in primary-key order,
each value written the same way whichever engine read it (instants as UTC
ISO, booleans, floats, NULL, bytes as hex). Only when every table is the same
is the transaction committed; a row the target refuses or a difference rolls
it back whole, and the target is as it was.

What is derived is not copied but made again, and checked:

- the knowledge base (L12) is filled by the triggers on ``cases`` and
  ``problems`` as their rows go in; its rows (rowid, tam, title, body) are
  checked equal to the source's, so ``kb search`` finds the same;
- the feed cache (``feed_events``, ``feed_pieces``) is left empty: its digests
  read the instants as each engine stores them, so the source's entries would
  never match on another engine; the first export makes them again (a cache
  makes an export faster, never different). Its counters (``feed_state``)
  are copied and checked, so a feed stamped on the source stays current.

On PostgreSQL every table's sequence is set past its highest id, so the next
row added on the copy does not collide with a copied one.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, Select, String, Table, func, inspect, select, text
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from tamdesk.domain.errors import BadInput, TamdeskError
from tamdesk.domain.values import shown
from tamdesk.services.desk import Desk, _storage_error
from tamdesk.store.engine import (
    MIGRATE, SCHEMA_HEAD, WRITE, database_url, open_engine, printable_url, sqlite_file,
)
from tamdesk.store.models import KNOWLEDGE, Base

#: Rows read and inserted at a time: memory stays flat however long the history.
BATCH = 1000
#: The derived tables checked after the copy, each as (its name, the columns compared, the order).
DERIVED = ((KNOWLEDGE, "rowid, tam, title, body", "rowid"), ("feed_state", "id, revision, notes_revision", "id"))


class TargetNotEmpty(TamdeskError):
    """The target holds a desk, or another program's tables: nothing is copied over them (exit 3)."""

    exit_code = 3


class CopyFailed(TamdeskError):
    """The target refused a row: the copy was rolled back whole."""


@dataclass(frozen=True)
class TableCheck:
    """One table after the copy: its rows and checksum on each side."""

    table: str
    rows: int
    checksum: str
    target_rows: int
    target_checksum: str

    @property
    def same(self) -> bool:
        return (self.rows, self.checksum) == (self.target_rows, self.target_checksum)


@dataclass(frozen=True)
class Moved:
    """What ``migrate_desk`` did: from where to where (passwords hidden), each table's check (committed only if all same)."""

    source: str
    target: str
    tables: tuple[TableCheck, ...]
    seconds: float

    @property
    def same(self) -> bool:
        return all(check.same for check in self.tables)


def migrate_desk(source_db: str | None, target_db: str) -> Moved:
    """Copy the desk ``source_db`` names into the empty database ``target_db`` names, verified, in one transaction."""
    started = time.perf_counter()
    if not target_db.strip():  # database_url reads no name as your own desk: never the target of a copy
        raise BadInput("name the database to copy into with --to: a new file, or an empty database's URL")
    target_url = database_url(target_db)
    source = Desk.open(source_db)
    try:
        try:
            same, new_file = _same_database(source.url, target_url), _new_file(target_url)
        except OSError as error:  # a file name too long for the file system, a loop of links
            raise BadInput(f"cannot use {shown(target_db)} as the target: {error.strerror or error}") from None
        if same:
            raise TargetNotEmpty("the target is the desk itself; name another, empty database with --to")
        engine = open_engine(target_url)
        tables: tuple[TableCheck, ...] = ()
        try:
            tables = _copy(source, engine, target_url)
        except DBAPIError as error:
            converted = _storage_error(error, target_url)
            if converted is error:
                raise
            raise converted from None
        finally:
            engine.dispose()
            if new_file and not (tables and all(check.same for check in tables)):
                _remove(new_file)  # a file made for the copy goes with it: the target is as it was, absent
    finally:
        source.close()
    return Moved(printable_url(source.url), printable_url(target_url), tables, time.perf_counter() - started)


def _new_file(target_url: str) -> Path | None:
    """The SQLite file ``target_url`` names when it does not exist yet (opening the engine will make it)."""
    path = sqlite_file(target_url)
    return Path(path) if path and not Path(path).exists() else None


def _remove(file: Path) -> None:
    for path in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
        path.unlink(missing_ok=True)


def _same_database(source_url: str, target_url: str) -> bool:
    source_file, target_file = sqlite_file(source_url), sqlite_file(target_url)
    if source_file and target_file:
        return Path(source_file).resolve() == Path(target_file).resolve()
    return printable_url(source_url) == printable_url(target_url)


def _copy(source: Desk, engine: Any, target_url: str) -> tuple[TableCheck, ...]:
    """The copy and its check: committed only when every table is the same."""
    with source.engine.connect() as reading, reading.begin():
        # The migrations' options: SQLite's BEGIN IMMEDIATE, PostgreSQL's migrators' lock (tamdesk.store.engine).
        with engine.connect().execution_options(**{WRITE: True, MIGRATE: True}) as writing:
            _refuse_unless_empty(writing, target_url)
            _upgrade(writing)
            sums = {}
            with _feed_counters_paused(writing):
                for table in Base.metadata.sorted_tables:
                    sums[table.name] = _copy_table(reading, writing, table)
            _copy_feed_counters(reading, writing)
            _advance_sequences(writing)
            checks = [_check(table.name, sums[table.name], _rows_of(writing, table)) for table in Base.metadata.sorted_tables]
            for name, columns, order in DERIVED:
                query = f"SELECT {columns} FROM {name} ORDER BY {order}"
                checks.append(_check(name, _summed(reading.execute(text(query))), _rows_of_text(writing, query)))
            if all(check.same for check in checks):
                writing.commit()
            else:
                writing.rollback()
            return tuple(checks)


def _refuse_unless_empty(writing: Connection, target_url: str) -> None:
    """Refuse a target with tables of its own, or a desk at the head with any row (the migrations' rows aside)."""
    names = set(inspect(writing).get_table_names())
    if not names:
        return
    where = printable_url(target_url)
    version = writing.execute(text("SELECT version_num FROM alembic_version")).scalar() if "alembic_version" in names else None
    if version != SCHEMA_HEAD:
        raise TargetNotEmpty(f"{where} already holds tables; migrate into a new, empty database")
    for table in Base.metadata.sorted_tables:
        if writing.execute(select(func.count()).select_from(table)).scalar():
            raise TargetNotEmpty(f"{where} already holds a desk ({table.name} has rows); migrate into a new, empty database")


def _upgrade(writing: Connection) -> None:
    """The desk's Alembic migrations, on this connection and inside its transaction (no commit)."""
    from alembic import command
    from alembic.config import Config

    import tamdesk.store.engine as engine_module

    config = Config()
    config.set_main_option("script_location", str(Path(engine_module.__file__).parent / "migrations"))
    config.attributes["connection"] = writing
    command.upgrade(config, "head")


def _copy_table(reading: Connection, writing: Connection, table: Table) -> tuple[int, str]:
    """Every row of ``table`` written to the target, in batches, ids kept; the source's (count, checksum)."""
    digest, count = hashlib.sha256(), 0
    result = reading.execute(_in_key_order(reading, table).execution_options(stream_results=True))
    try:
        with _rows_into(writing, table) as write:
            while batch := result.fetchmany(BATCH):
                for row in batch:
                    digest.update(_line(row))
                count += len(batch)
                write(batch)
    except RowRefused as refused:
        raise CopyFailed(f"the target refused the row of {table.name} with {_key_words(table, refused.key)}: "
                         f"{refused.reason}; nothing was written to it") from None
    except Exception as error:
        if not _refused(error):
            raise
        key = _key_of_line(reading, table, error)
        which = f"the row of {table.name} with {_key_words(table, key)}" if key else f"a row of {table.name}"
        raise CopyFailed(f"the target refused {which}: {_reason(error)}; nothing was written to it") from None
    return count, digest.hexdigest()


class RowRefused(Exception):
    """A row the driver refused before it reached the server (PostgreSQL's text holds no NUL byte): its key and why."""

    def __init__(self, key: tuple[Any, ...], reason: str) -> None:
        super().__init__(reason)
        self.key, self.reason = key, reason


def _reason(error: Exception) -> str:
    """What the target said, on one line, without the COPY context (the row is named by its key instead)."""
    original = getattr(error, "orig", error)
    primary = getattr(getattr(original, "diag", None), "message_primary", None)
    return " ".join((primary or str(original)).split())


def _refused(error: Exception) -> bool:
    """Whether the target refused a row's values (SQLSTATE 22: data, 23: a constraint), raw from psycopg or wrapped."""
    if isinstance(error, IntegrityError | DataError):
        return True
    return (getattr(error, "sqlstate", None) or "")[:2] in ("22", "23")


def _key_of_line(reading: Connection, table: Table, error: Exception) -> tuple[Any, ...] | None:
    """The key of the row a ``COPY`` refused, from the line it names (the rows went in key order); None if unnamed."""
    context = getattr(getattr(getattr(error, "orig", error), "diag", None), "context", None) or ""
    found = re.search(r"\bline (\d+)", context)
    if found is None:
        return None
    in_order = _in_key_order(reading, table)
    query = in_order.with_only_columns(*table.primary_key.columns).offset(int(found.group(1)) - 1).limit(1)
    row = reading.execute(query).first()
    return tuple(row) if row is not None else None


def _key_words(table: Table, key: tuple[Any, ...]) -> str:
    """A row's key as a person reads it: ``id 300``, ``key 'tz'``."""
    return ", ".join(f"{column.name} {value!r}" for column, value in zip(table.primary_key.columns, key))


@contextmanager
def _rows_into(writing: Connection, table: Table) -> Iterator[Callable[[Sequence[Row[Any]]], None]]:
    """A writer of ``table``'s rows: PostgreSQL's ``COPY`` (one stream per table), else batched inserts.

    ``COPY`` moves a team's five years (3.6 million rows) in minutes where the inserts took over half an hour.
    Each value goes through its column's bind processing first (instants as naive UTC, as an insert sends them).
    """
    if writing.dialect.name != "postgresql":
        yield lambda batch: writing.execute(table.insert(), [row._asdict() for row in batch])
        return
    from psycopg import DataError as DBAPIDataError
    from psycopg import sql

    columns = list(table.columns)
    processors = [column.type.dialect_impl(writing.dialect).bind_processor(writing.dialect) for column in columns]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(column.name) for column in columns)
    )
    keys = [index for index, column in enumerate(columns) if column.primary_key]
    with writing.connection.dbapi_connection.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]

        def write(batch: Sequence[Row[Any]]) -> None:
            for row in batch:
                try:
                    copy.write_row([value if process is None else process(value) for value, process in zip(row, processors)])
                except DBAPIDataError as error:
                    if error.sqlstate:  # the server's, about a line sent before: named by its line, after
                        raise
                    raise RowRefused(tuple(row[index] for index in keys), _reason(error)) from None  # the driver's: this row

        yield write


@contextmanager
def _feed_counters_paused(writing: Connection) -> Iterator[None]:
    """PostgreSQL: the feed's counting triggers off while the rows go in (the source's counters are copied after).

    Each of them updates the one ``feed_state`` row per row written; within one transaction every update
    walks the versions the ones before it left, so a copy's cost grew with the square of its calls (a team's
    536,000 calls never finished). Turning them off is part of the copy's transaction: it rolls back with it.
    """
    if writing.dialect.name != "postgresql":
        yield
        return
    triggers = writing.execute(
        text("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'feed\\_%'")
    ).all()
    for table, trigger in triggers:
        writing.execute(text(f'ALTER TABLE {table} DISABLE TRIGGER "{trigger}"'))
    yield
    for table, trigger in triggers:
        writing.execute(text(f'ALTER TABLE {table} ENABLE TRIGGER "{trigger}"'))


def _copy_feed_counters(reading: Connection, writing: Connection) -> None:
    """The feed's counters as the source has them (the copy's inserts raised the target's)."""
    row = reading.execute(text("SELECT revision, notes_revision FROM feed_state WHERE id = 1")).one()
    writing.execute(text("UPDATE feed_state SET revision = :r, notes_revision = :n WHERE id = 1"), {"r": row[0], "n": row[1]})


def _advance_sequences(writing: Connection) -> None:
    """PostgreSQL: every serial id's sequence past the highest id copied (SQLite takes max(rowid) + 1 itself)."""
    if writing.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        (key, *more) = table.primary_key.columns
        if more or not key.autoincrement or key.type.python_type is not int:
            continue
        writing.execute(
            text(
                f"SELECT setval(sequence, coalesce((SELECT max({key.name}) FROM {table.name}), 0) + 1, false) "
                "FROM (SELECT pg_get_serial_sequence(:table, :key) AS sequence) AS found WHERE sequence IS NOT NULL"
            ),
            {"table": table.name, "key": key.name},
        )


def _rows_of(connection: Connection, table: Table) -> tuple[int, str]:
    return _summed(connection.execute(_in_key_order(connection, table)))


def _in_key_order(connection: Connection, table: Table) -> Select[Any]:
    """Every row of ``table`` by its primary key, text keys by their bytes on both engines.

    SQLite compares text byte by byte; PostgreSQL by the database's collation (``en_US``: "alpha" before
    "Zeta"), which would order the same rows differently and make their checksums differ.
    """
    keys = [
        column.collate("C") if connection.dialect.name == "postgresql" and isinstance(column.type, String) else column
        for column in table.primary_key.columns
    ]
    return select(table).order_by(*keys)


def _rows_of_text(connection: Connection, query: str) -> tuple[int, str]:
    return _summed(connection.execute(text(query)))


def _summed(rows: Iterable[Sequence[Any]]) -> tuple[int, str]:
    """The count and sha256 of ``rows``, read in order."""
    digest, count = hashlib.sha256(), 0
    for row in rows:
        digest.update(_line(row))
        count += 1
    return count, digest.hexdigest()


def _check(name: str, source: tuple[int, str], target: tuple[int, str]) -> TableCheck:
    return TableCheck(name, source[0], source[1], target[0], target[1])


def _line(row: Sequence[Any]) -> bytes:
    """One row as the same bytes whichever engine read it: Python's repr of its values, each made plain by ``_PLAIN``."""
    return (repr(tuple([_PLAIN.get(type(value), _as_is)(value) for value in row])) + "\n").encode()


def _instant(value: datetime) -> str:
    """An instant in UTC ISO (the models give aware UTC ones: T1); a naive one as it is."""
    if value.tzinfo is not None and value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat()


def _as_is(value: Any) -> Any:
    return value


#: Values whose repr an engine may change, as text both engines agree on (str, int, float, bool, None are
#: the same in repr whichever engine read them); looked up by exact type, as checksumming is most of a move's time.
_PLAIN: dict[type, Any] = {
    datetime: _instant,
    date: date.isoformat,
    bytes: bytes.hex,
    memoryview: lambda value: bytes(value).hex(),
    Decimal: str,
}
