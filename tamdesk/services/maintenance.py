"""Keeping the desk's file whole: the integrity check, the doctor's report, backups (issue 14).

A damaged SQLite file can go on accepting writes to its undamaged pages, and
every write then builds on damage. So the desk checks the file with SQLite's
``PRAGMA quick_check`` (at most once an hour per file for the command line, in
the background at every start of the desk) and, when it fails, opens it
read-only and says so; ``tamdesk doctor`` gives the full report and the way
back, and ``tamdesk backup FILE`` makes the copy that way back starts from.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from tamdesk.domain.errors import BadInput
from tamdesk.store.engine import database_url, sqlite_file
from tamdesk.store.guard import backup, examine, quick_check

#: How long a passed check is trusted by the command line before the file is checked again.
CHECK_EVERY_SECONDS = 3600
RESTORE = (
    "to restore a backup: close every tamdesk, move the damaged file and its -wal and -shm files aside, "
    "and copy the backup (made with 'tamdesk backup FILE') to the database's place"
)


@dataclass(frozen=True)
class Checkup:
    """What ``tamdesk doctor`` found in a database file."""

    path: Path
    revision: str | None
    problems: tuple[str, ...]

    @property
    def whole(self) -> bool:
        return not self.problems


def database_file(db: str | None) -> Path:
    """The SQLite file ``--db`` names; bad input for in-memory and server databases."""
    path = sqlite_file(database_url(db))
    if path is None:
        raise BadInput("this works on a database file; --db names none")
    return Path(path)


def doctor(db: str | None) -> Checkup:
    """The full ``PRAGMA integrity_check`` of the desk's file, read without writing a byte."""
    path = database_file(db)
    if not path.exists():
        raise BadInput(f"there is no database at {path}")
    found = examine(path)
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        try:
            rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:
            rows = [str(error)]
    finally:
        connection.close()
    problems = () if rows == ["ok"] else tuple(rows)
    if problems:
        _forget_check(path)
    return Checkup(path, found.revision, problems)


def make_backup(db: str | None, target: Path) -> int:
    """Copy the desk's file to ``target`` (a new file, private), safe while the desk is open; its pages."""
    source = database_file(db)
    examine(source)
    if not source.exists():
        raise BadInput(f"there is no database at {source}")
    target = target.expanduser()
    try:  # created empty and private, like the desk itself; SQLite writes the copy into it
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise BadInput(f"{target} exists; name a new file for the backup") from None
    except OSError as error:
        raise BadInput(f"cannot write the backup {target}: {error.strerror or error}") from None
    return backup(source, target)


def integrity_problems(path: Path, *, every_seconds: float | None = CHECK_EVERY_SECONDS) -> list[str]:
    """``quick_check``'s problems with the file at ``path`` (empty when whole).

    With ``every_seconds``, a file that passed less than that long ago (and is
    the same size) is not read again: the check is a read of every page.
    """
    stamp = _stamp_file(path)
    if every_seconds is not None and _recently_checked(stamp, path, every_seconds):
        return []
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        problems = quick_check(connection)
    finally:
        connection.close()
    if not problems:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text(f"{time.time()} {path.stat().st_size}")
        except OSError:
            pass  # no cache folder: the next command checks again
    return problems


def _stamp_file(path: Path) -> Path:
    import platformdirs

    key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
    return platformdirs.user_cache_path("tamdesk", appauthor=False) / "checked" / key


def _recently_checked(stamp: Path, path: Path, every_seconds: float) -> bool:
    try:
        when, size = stamp.read_text().split()
        return time.time() - float(when) < every_seconds and int(size) == path.stat().st_size
    except (OSError, ValueError):
        return False


def _forget_check(path: Path) -> None:
    _stamp_file(path).unlink(missing_ok=True)
