"""Whether another connection committed to the desk's file: SQLite's ``data_version``, and no SQLAlchemy.

The desk's first frame is built by a process that has not imported SQLAlchemy
yet (``tamdesk.services.opening``), and it starts this watch before the first
read, so it lives apart from the engine.
"""

from __future__ import annotations

import sqlite3
import threading

#: How long SQLite waits for a lock another connection holds: the engine's and the watch's.
BUSY_TIMEOUT_MS = 5000


class ChangeWatch:
    """Tells whether anyone committed to the database since the last look.

    SQLite's ``PRAGMA data_version`` changes on a connection whenever another
    connection commits, in this process or another one (a CLI command in a
    second terminal). The watch keeps one connection of its own for that
    reason, and never writes on it. In-memory databases cannot change from
    outside, so their watch never fires.
    """

    def __init__(self, path: str | None) -> None:
        """Watch the SQLite file at ``path`` (``sqlite_file`` of the desk's URL); None never changes."""
        # A look runs in a worker thread; closing while it runs would crash SQLite.
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        if path is not None:
            self._connection = sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        self._last = self._version()

    def _version(self) -> int | None:
        if self._connection is None:
            return None
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """True once after each commit made by another connection."""
        with self._lock:
            if self._connection is None:
                return False
            version = self._version()
            changed, self._last = version != self._last, version
            return changed

    def close(self) -> None:
        """Release the watch's connection."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
