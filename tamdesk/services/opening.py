"""The desk's first read, begun before the interface is built.

Opening the desk costs a Textual import and an app start, a few tenths of a
second of work that needs no data. The first read (the TAM's name, zone and
theme, and this week's page) starts the moment the database is open, so that
the week screen finds its data waiting and its first frame is the complete one.
This module imports no Textual: the CLI starts the read before importing the
interface.

Python runs one thread at a time, so a read in a thread beside the Textual
import only takes turns with it: measured with benchmarks/, that made the
first frame later, not sooner. Where the system can fork and the database is
a file, the read runs in a forked child on the other core instead, with its
own connection (SQLite connections must not cross a fork), and sends the
result back through a pipe. Elsewhere (Windows, an in-memory database, the
tests' apps) it runs in a thread. Either way the UI thread never waits: a
screen built before the read ended waits for it in a worker.
"""

from __future__ import annotations

import os
import pickle
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from tamdesk.services.desk import Desk, Unit
from tamdesk.services.settings import DEMO_MARKER, settings_in
from tamdesk.services.week_page import WeekPage, week_page_in
from tamdesk.store.engine import ChangeWatch, sqlite_file
from tamdesk.store.models import Setting


@dataclass(frozen=True)
class Start:
    """What the desk shows as it opens, read in one snapshot."""

    tam_name: str
    tam_tz: ZoneInfo
    theme: str | None
    week: WeekPage
    demo: bool = False  # the database holds the demo (the header says so)


def read_start(unit: Unit) -> Start:
    """The TAM, their theme, this week's page, and whether this is the demo."""
    demo = unit.session.get(Setting, DEMO_MARKER) is not None
    return Start(unit.tam.name, unit.tam_tz, settings_in(unit)["theme"], week_page_in(unit), demo)


def can_fork(desk: Desk) -> bool:
    """Whether the first read may run in a forked child: a system with fork, a database in a file."""
    return hasattr(os, "fork") and sqlite_file(desk.url) is not None


class Opening:
    """The first read of a desk, under way from the moment this is made.

    ``fork``: read in a forked child process (see the module's notes); only
    safe while the process has no other thread, as when the CLI opens the desk.
    """

    def __init__(self, desk: Desk, *, fork: bool = False) -> None:
        # The watch starts before the read, so a change another process commits
        # while the desk opens is noticed at the first look, not lost.
        self.watch: ChangeWatch = desk.watch()
        self._start: Future[Start] = Future()
        self._week_taken = False
        #: Where the read runs: "fork" (a child process) or "thread".
        self.via = "fork" if fork and can_fork(desk) else "thread"
        if self.via == "fork":
            answer, pid = _read_in_child(desk)
            threading.Thread(target=self._receive, args=(desk, answer, pid), name="tamdesk-opening", daemon=True).start()
        else:
            threading.Thread(target=self._read, args=(desk,), name="tamdesk-opening", daemon=True).start()

    def _read(self, desk: Desk) -> None:
        try:
            self._start.set_result(desk.read(read_start))
        except BaseException as error:  # handed to whoever waits, on their thread
            self._start.set_exception(error)

    def _receive(self, desk: Desk, answer: int, pid: int) -> None:
        """Wait (without the GIL) for the child's answer; read here if it brought none."""
        with os.fdopen(answer, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        try:
            ok, value = pickle.loads(data)
        except Exception:  # the child died or its answer did not survive the pipe
            self._read(desk)
            return
        if ok:
            self._start.set_result(value)
        else:
            self._start.set_exception(value)

    def ready(self) -> Start | None:
        """The first read if it ended well by now; else None (still reading, or failed)."""
        if self._start.done() and self._start.exception() is None:
            return self._start.result()
        return None

    def start(self, timeout: float | None = None) -> Start:
        """The first read, waiting for it if need be (in a worker thread); its error if it failed.

        ``timeout``: seconds to wait at most (``TimeoutError`` then); by default as long as it takes.
        """
        return self._start.result(timeout)

    def take_week(self) -> bool:
        """True the first time only: the week read at opening is shown once, then read anew."""
        taken, self._week_taken = self._week_taken, True
        return not taken


def _read_in_child(desk: Desk) -> tuple[int, int]:
    """Fork a child that reads the start and writes it, pickled, to a pipe; (the pipe's read end, its pid)."""
    answer, tell = os.pipe()
    pid = os.fork()
    if pid:
        os.close(tell)
        return answer, pid
    # The child: never returns, never runs the parent's exit handlers or touches its terminal.
    status = 0
    try:
        os.close(answer)
        desk.engine.dispose(close=False)  # the parent's connections stay the parent's
        result: tuple[bool, Any]
        try:
            result = (True, desk.read(read_start))
        except BaseException as error:
            result = (False, error)
        try:
            payload = pickle.dumps(result)
        except Exception:
            if result[0]:
                raise  # a start that cannot be pickled: no answer, and the parent reads for itself
            # an error that cannot be pickled: say what it was
            payload = pickle.dumps((False, RuntimeError(f"{type(result[1]).__name__}: {result[1]}")))
        with os.fdopen(tell, "wb") as pipe:
            pipe.write(payload)
    except BaseException:
        status = 1  # the parent finds no answer and reads for itself
    finally:
        os._exit(status)
