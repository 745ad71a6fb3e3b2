"""Whether another connection committed to the desk's file: SQLite's ``data_version``, and no SQLAlchemy.

The desk's first frame is built by a process that has not imported SQLAlchemy
yet (``tamdesk.services.opening``), and it starts this watch before the first
read, so it lives apart from the engine.

On PostgreSQL every committed change sends ``NOTIFY`` on the desk's channel
(``tamdesk.services.desk``); the watch keeps one psycopg connection (imported
only then) that ``LISTEN``s. A look makes one round trip on it: the server
hands a listening session every notification signalled before the query ends
ahead of its answer, so a commit another desk has finished is always heard by
the next look, never by the one after it.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

#: How long SQLite waits for a lock another connection holds: the engine's and the watch's.
BUSY_TIMEOUT_MS = 5000
#: The channel every committed change is announced on (PostgreSQL).
CHANNEL = "tamdesk_changed"


class ChangeWatch:
    """Tells whether anyone committed to the database since the last look.

    SQLite's ``PRAGMA data_version`` changes on a connection whenever another
    connection commits, in this process or another one (a CLI command in a
    second terminal). The watch keeps one connection of its own for that
    reason, and never writes on it. In-memory databases cannot change from
    outside, so their watch never fires.
    """

    def __init__(self, path: str | None) -> None:
        """Watch ``path`` (``listen_target`` of the desk's URL): a SQLite file, a ``postgresql://`` server; None never changes."""
        # A look runs in a worker thread; closing while it runs would crash SQLite.
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._listener: Any = None
        self._server: str | None = None
        self._heard = False
        if path is not None and path.startswith("postgresql://"):
            self._server = path
            self._listen()
        elif path is not None:
            self._connection = sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        self._last = self._version()

    def _version(self) -> int | None:
        if self._connection is None:
            return None
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def _listen(self) -> None:
        import psycopg

        self._listener = psycopg.connect(self._server, autocommit=True)
        self._listener.add_notify_handler(self._hear)
        self._listener.execute(f"LISTEN {CHANNEL}")

    def _hear(self, _notify: Any) -> None:
        self._heard = True

    def _notified(self) -> bool:
        """Whether a NOTIFY arrived since the last look: a round trip delivers every one already sent (see the module).

        A connection lost (the server restarted, an idle connection ended) is made again at the next
        look, which says "changed": what was announced meanwhile went unheard, so the desk reads again.
        While the server cannot be reached, nothing is said and each look tries again.
        """
        import psycopg

        try:
            if self._listener is None:
                self._listen()
                return True
            self._listener.execute("SELECT 1")
        except psycopg.OperationalError:
            if self._listener is not None:
                self._listener.close()
                self._listener = None
            return False
        heard, self._heard = self._heard, False
        return heard

    def changed(self) -> bool:
        """True once after each commit made by another connection."""
        with self._lock:
            if self._server is not None:
                return self._notified()
            if self._connection is None:
                return False
            version = self._version()
            changed, self._last = version != self._last, version
            return changed

    def close(self) -> None:
        """Release the watch's connection."""
        with self._lock:
            self._server = None
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            if self._listener is not None:
                self._listener.close()
                self._listener = None
