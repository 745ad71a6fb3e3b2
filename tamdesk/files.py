"""Writing files so that a reader never sees half of one, and derived files never hurt anything else.

``write_atomically`` writes through a temporary file in the same folder and a
rename. While it writes, it holds a lock on its temporary file; a temporary
file nobody holds is what an interrupted write (a ``kill -9``) left, and the
next write to that folder removes it.

``write_derived`` is for what the desk derives from the database (exports,
the auto feed): it refuses to write over the database itself or SQLite's
files beside it, and over anything that is not a regular file (a folder, a
device such as ``/dev/full``, a pipe). A symbolic link is followed: its target
is written and the link stays. A new file holding internal notes is created
private (0600); an existing file keeps its mode, never loosened.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from tamdesk.domain.errors import BadInput

try:  # POSIX: a held lock tells a live writer's temporary file from a dead one's
    import fcntl
except ImportError:  # pragma: no cover - Windows keeps a dead writer's temporary file until removed by hand
    fcntl = None  # type: ignore[assignment]

#: The modes of new derived files: readable by calendar apps, or private when they hold notes (X2).
PUBLIC_MODE = 0o644
PRIVATE_MODE = 0o600
#: SQLite's files beside a database, which a derived file must never replace.
SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")
#: In every temporary file's name, so that cleaning up never touches another program's files.
TEMPORARY_MARK = "tamdesk-"


def write_atomically(path: Path, content: bytes, *, mode: int = PUBLIC_MODE) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a rename.

    A reader (a calendar app polling a feed, another desk reading a cache) sees
    the old file or the new one, never a part; a crash leaves the old one, and
    a temporary file the next write cleans up.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_dead_temporaries(path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{TEMPORARY_MARK}", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            if fcntl is not None:
                fcntl.flock(file.fileno(), fcntl.LOCK_EX)  # held until closed: "a writer is alive"
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
            os.fchmod(file.fileno(), mode)
            os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_dead_temporaries(folder: Path) -> None:
    """Remove the temporary files of writes that were interrupted (nobody holds their lock)."""
    if fcntl is None:
        return
    for leftover in folder.glob(f".*.{TEMPORARY_MARK}*.tmp"):  # ours only, never another program's
        try:
            with open(leftover, "rb") as file:
                fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                leftover.unlink(missing_ok=True)
        except BlockingIOError:
            continue  # another writer is still writing it
        except OSError:
            continue  # gone already, or not ours to remove


def write_derived(path: Path, content: bytes, *, private: bool = False, protected: Iterable[Path] = ()) -> Path:
    """Write a file derived from the desk (see the module doc); return the file written.

    ``protected`` are databases whose files (SQLite's side files included)
    this write must never replace; ``private`` says the content holds notes.
    """
    target = Path(os.path.realpath(path.expanduser()))
    for database in protected:
        real = os.path.realpath(database)
        if any(target == Path(real + suffix) for suffix in SQLITE_SIDE_FILES):
            raise BadInput(f"{path} is the desk's database (or SQLite's file beside it); name another file")
    try:
        found = os.stat(target)
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise BadInput(f"cannot write {path}: {error.strerror or error}") from None
    if found is not None and not stat.S_ISREG(found.st_mode):
        kind = "a folder" if stat.S_ISDIR(found.st_mode) else "not a regular file"
        raise BadInput(f"{path} is {kind}; name a file such as tamdesk.ics")
    mode = stat.S_IMODE(found.st_mode) if found is not None else (PRIVATE_MODE if private else PUBLIC_MODE)
    try:
        write_atomically(target, content, mode=mode)
    except OSError as error:
        raise BadInput(f"cannot write {path}: {error.strerror or error}") from None
    return target


def derived_side_file(path: Path, kind: str) -> Path:
    """A hidden file beside ``path`` that belongs to it (its lock, its revision stamp)."""
    return path.parent / f".{path.name}.{TEMPORARY_MARK}{kind}"


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file ``path`` (created if need be) while the block runs.

    Processes that write the same derived file take turns through it. Where the
    system has no ``flock`` (Windows) the block runs unlocked.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
