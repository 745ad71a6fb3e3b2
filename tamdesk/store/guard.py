"""What a SQLite file must be before the desk writes to it, and how to keep a copy.

Opening a desk creates tables, a TAM row and switches the file to WAL: done to
another application's database, that damages it. So before the engine's first
connection, :func:`examine` reads the file read-only and refuses (bad input,
the file untouched) anything that is not a new file or a tamdesk database this
program knows: a file that is not SQLite at all, another application's
database, or a schema newer than the migrations shipped here.

:func:`quick_check` runs SQLite's ``PRAGMA quick_check``; a database that fails
it is opened read-only (see ``tamdesk doctor``). :func:`backup` copies a live
database with SQLite's online backup API, safe while the desk is open.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple
from pathlib import Path

from tamdesk.domain.errors import BadInput, Busy

SQLITE_HEADER = b"SQLite format 3\x00"
#: Tables every tamdesk database has had since its first schema.
OWN_TABLES = frozenset({"alembic_version", "settings", "tams"})
VERSIONS = Path(__file__).parent / "migrations" / "versions"


def known_revisions() -> frozenset[str]:
    """The revisions of the migrations shipped with this program (``0001`` ...)."""
    return frozenset(p.name.split("_", 1)[0] for p in VERSIONS.glob("[0-9]*_*.py"))


class Examination(NamedTuple):
    """What :func:`examine` found: a new (empty) file, or a tamdesk schema revision."""

    new: bool
    revision: str | None = None


def examine(path: Path, *, timeout_s: float = 5.0) -> Examination:
    """Refuse a file the desk must not open; otherwise say whether it is new (see module doc).

    ``timeout_s`` is how long to wait for another program's lock before ``Busy``.
    """
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return Examination(new=True)
    except IsADirectoryError:
        raise BadInput(f"{path} is a folder, not a database; name a file with --db") from None
    except OSError as error:
        raise BadInput(f"cannot read the database {path}: {error.strerror or error}") from None
    if not header:
        return Examination(new=True)
    if header != SQLITE_HEADER:
        raise BadInput(f"{path} is not a SQLite database; tamdesk leaves it untouched (name another file with --db)")
    tables, revision = _read_catalogue(path, timeout_s)
    if not tables:
        return Examination(new=True)
    if not OWN_TABLES <= tables:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise BadInput(
            f"{path} is another application's database (tables: {shown}); tamdesk leaves it untouched "
            "(name a new file with --db)"
        )
    known = known_revisions()
    if revision not in known:
        raise BadInput(
            f"{path} has schema {revision!r}, newer than this tamdesk knows (up to {max(known)}); "
            "upgrade tamdesk to open it"
        )
    return Examination(new=False, revision=revision)


def _read_catalogue(path: Path, timeout_s: float) -> tuple[frozenset[str], str | None]:
    """The table names and the Alembic revision, read without writing a byte."""
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=timeout_s)
        try:
            tables = frozenset(
                name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            )
            revision = None
            if "alembic_version" in tables:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            return tables, revision
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise Busy(f"the database {path} is locked by another program; nothing was changed, try again") from None
        raise BadInput(f"cannot read the database {path}: {error}") from None
    except sqlite3.DatabaseError as error:  # a truncated or garbled file
        raise BadInput(f"{path} is damaged ({error}); see 'tamdesk doctor'") from None


def quick_check(connection: sqlite3.Connection) -> list[str]:
    """SQLite's ``PRAGMA quick_check``: the problems found, empty when the file is whole."""
    try:
        rows = [row[0] for row in connection.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    return [] if rows == ["ok"] else rows


def backup(source: Path, target: Path) -> int:
    """Copy the database at ``source`` to ``target`` (new, or empty) with SQLite's online backup; its pages."""
    if target.exists() and target.stat().st_size:
        raise BadInput(f"{target} exists; name a new file for the backup")
    if target.resolve() == source.resolve():
        raise BadInput("the backup must be another file than the database")
    try:
        reader = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as error:
        raise BadInput(f"cannot read the database {source}: {error}") from None
    try:
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer)
            return int(writer.execute("PRAGMA page_count").fetchone()[0])
        finally:
            writer.close()
    except sqlite3.OperationalError as error:
        target.unlink(missing_ok=True)
        if "locked" in str(error) or "busy" in str(error):
            raise Busy("the database stayed locked during the backup; nothing was written, try again") from None
        raise BadInput(f"cannot write the backup {target}: {error}") from None
    finally:
        reader.close()
