"""The desk's first read, begun before the interface is built.

Opening the desk costs a Textual import and an app start, a few tenths of a
second of work that needs no data. The first read (the TAM's name, zone and
theme, and this week's page) runs beside that work, so that the week screen
finds its data waiting and its first frame is the complete one.

Python runs one thread at a time, so a read in a thread beside the Textual
import only takes turns with it: measured with benchmarks/, that made the
first frame later, not sooner. Where the system can fork and the database is
a file (or a PostgreSQL server), the read runs in a forked child on the other core instead, with its
own connection (connections must not cross a fork), and sends the
result back pickled through a pipe. Elsewhere (Windows, an in-memory
database, the tests' apps) it runs in a thread. Either way the UI thread never
waits: a screen built before the read ended waits for it in a worker.

Two orders, both begun by ``tamdesk.startup``:

* ``Opening.before_the_desk`` (``tamdesk`` on a terminal): the child is forked
  before the parent has imported SQLAlchemy, and the child opens the desk
  itself (the ORM's and the models' import, the schema check: some 0.45 s)
  while the parent imports Textual (some 0.35 s). The parent's path to the
  first frame is then the longer of the two, not their sum. The parent waits
  until the child's desk is open (``opened``: a desk that cannot open is the
  command's error, before any frame), then starts the app while the child
  reads the week; it opens its own desk after the first frame (``DeskApp``).
  This module and ``Start`` import no SQLAlchemy for that reason: the read's
  own imports are inside ``read_start``.
* ``Opening(desk, fork=True)``: the desk is open already, and the child only
  reads (``tamdesk demo`` on a demo loaded before).
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, BinaryIO, Callable

from tamdesk.services.views import Start
from tamdesk.store.watch import ChangeWatch

if TYPE_CHECKING:
    from tamdesk.services.desk import Desk, Unit

__all__ = ["NoAnswer", "Opening", "Start", "can_fork", "read_start"]  # Start: its home is tamdesk.services.views


class NoAnswer(RuntimeError):
    """The child ended without an answer: whoever waits opens and reads the desk itself."""


def read_start(unit: Unit) -> Start:
    """The TAM, their theme, this week's page, and whether this is the demo."""
    # Here, not at the top: the parent of ``Opening.before_the_desk`` imports this module before SQLAlchemy.
    from tamdesk.services.settings import DEMO_MARKER, settings_in
    from tamdesk.services.week_page import week_page_in
    from tamdesk.store.models import Setting

    demo = unit.session.get(Setting, DEMO_MARKER) is not None
    return Start(unit.tam.name, unit.tam_tz, settings_in(unit)["theme"], week_page_in(unit), demo)


def can_fork(desk: Desk) -> bool:
    """Whether the first read may run in a forked child: a system with fork, a database in a file or on a server."""
    from tamdesk.store.engine import is_postgresql, sqlite_file

    return hasattr(os, "fork") and (sqlite_file(desk.url) is not None or is_postgresql(desk.url))


class Opening:
    """The first read of a desk, under way from the moment this is made.

    ``fork``: read in a forked child process (see the module's notes); only
    safe while the process has no other thread, as when the CLI opens the desk.
    """

    #: Tells when another process commits, started before the read; None until the child's desk is open.
    watch: ChangeWatch | None
    #: Where the read runs: "fork" (a child process), "thread", or "fork first" (the child opens the desk too).
    via: str

    def __init__(self, desk: Desk, *, fork: bool = False) -> None:
        self._opened: Future[None] = Future()
        self._opened.set_result(None)  # the desk is open already
        self._start: Future[Start] = Future()
        self._week_taken = False
        # The watch starts before the read, so a change another process commits
        # while the desk opens is noticed at the first look, not lost.
        self.watch = desk.watch()
        self.via = "fork" if fork and can_fork(desk) else "thread"
        if self.via == "fork":
            answer, pid = _read_in_child(desk)
            threading.Thread(target=self._receive, args=(desk, answer, pid), name="tamdesk-opening", daemon=True).start()
        else:
            threading.Thread(target=self._read, args=(desk,), name="tamdesk-opening", daemon=True).start()

    @classmethod
    def before_the_desk(cls, open_desk: Callable[[], Desk]) -> Opening:
        """Fork a child that opens the desk with ``open_desk`` and reads; the parent imports nothing for it.

        Only safe while the process has no other thread. The child's error
        (locked, damaged, newer than the program) comes back as itself from
        ``start``; a child that ends without an answer, as ``NoAnswer``.
        """
        opening = cls.__new__(cls)
        opening._opened = Future()
        opening._start = Future()
        opening._week_taken = False
        opening.watch = None
        opening.via = "fork first"
        answer, go, pid = _open_in_child(open_desk)
        threading.Thread(
            target=opening._receive_first, args=(answer, go, pid), name="tamdesk-opening", daemon=True
        ).start()
        return opening

    def _read(self, desk: Desk) -> None:
        try:
            self._start.set_result(desk.read(read_start))
        except BaseException as error:  # handed to whoever waits, on their thread
            self._start.set_exception(error)

    def _receive(self, desk: Desk, answer: int, pid: int) -> None:
        """Wait (without the GIL) for the child's answer; read here if it brought none."""
        with os.fdopen(answer, "rb") as pipe:
            message = _heard(pipe)
        os.waitpid(pid, 0)
        if message is None:  # the child died or its answer did not survive the pipe
            self._read(desk)
        else:
            self._settle(message)

    def _receive_first(self, answer: int, go: int, pid: int) -> None:
        """Start the watch once the child's desk is open and before it reads; then wait for its answer."""
        message = None
        try:
            with os.fdopen(answer, "rb") as pipe:
                message = _heard(pipe)
                if message is not None and message[0] == "watch":
                    self.watch, message = _watch(message[1]), None
                    os.write(go, b"w")  # the child reads from now on: whatever commits later, the watch sees
                    self._opened.set_result(None)
                    message = _heard(pipe)
        except OSError:  # the child is gone before the go-ahead
            pass
        finally:
            os.close(go)
            os.waitpid(pid, 0)
        if message is None or message[0] not in ("start", "error"):
            message = ("error", NoAnswer("the desk's first read ended without an answer"))
        self._settle(message)

    def _settle(self, message: tuple[str, Any]) -> None:
        kind, value = message
        if kind == "start":
            self._start.set_result(value)
        else:
            self._start.set_exception(value)
        if not self._opened.done():  # the desk did not open: its error is the opening's
            self._opened.set_exception(value)

    def opened(self, timeout: float | None = None) -> None:
        """Return once the desk is open (the first read may still run); raise why it could not open.

        ``timeout``: seconds to wait at most (``TimeoutError`` then); by default as long as it takes.
        """
        self._opened.result(timeout)

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

    def close(self) -> None:
        """Stop watching: the desk will not be shown (its opening failed)."""
        if self.watch is not None:
            self.watch.close()


def _watch(path: str | None) -> ChangeWatch | None:
    """A watch on the file the child opened; None if it cannot be opened (the desk's own watch serves then)."""
    try:
        return ChangeWatch(path)
    except Exception:  # the first frame does not depend on it
        return None


def _heard(pipe: BinaryIO) -> tuple[str, Any] | None:
    """The child's next message, or None when it ended (or wrote what cannot be read) instead."""
    try:
        message: tuple[str, Any] = pickle.load(pipe)
    except Exception:  # the child died, or its answer did not survive the pipe
        return None
    return message


def _read_in_child(desk: Desk) -> tuple[int, int]:
    """Fork a child that reads the start and writes it, pickled, to a pipe; (the pipe's read end, its pid)."""
    answer, tell = os.pipe()
    pid = os.fork()
    if pid:
        os.close(tell)
        return answer, pid

    def child(pipe: BinaryIO) -> None:
        os.close(answer)
        desk.engine.dispose(close=False)  # the parent's connections stay the parent's
        _tell(pipe, _outcome(lambda: desk.read(read_start)))

    _as_child(tell, child)


def _open_in_child(open_desk: Callable[[], Desk]) -> tuple[int, int, int]:
    """Fork a child that opens the desk and reads its start; (the answer's read end, the go-ahead's write end, its pid).

    The child says "watch" with what to watch (the file's path, or the server) once its desk is open, and waits
    for the parent's go-ahead (its watch is open) before it reads; then it
    writes the start, or the error that stopped it.
    """
    answer, tell = os.pipe()
    heard, go = os.pipe()
    pid = os.fork()
    if pid:
        os.close(tell)
        os.close(heard)
        return answer, go, pid

    def child(pipe: BinaryIO) -> None:
        os.close(answer)
        os.close(go)
        opened = _outcome(open_desk)  # ("start", the desk) or ("error", why it did not open)
        if opened[0] == "error":
            _tell(pipe, opened)
            return
        desk: Desk = opened[1]
        from tamdesk.store.engine import listen_target

        _tell(pipe, ("watch", listen_target(desk.url)))
        os.read(heard, 1)  # the go-ahead; or the parent is gone, and nobody reads the answer
        _tell(pipe, _outcome(lambda: desk.read(read_start)))

    _as_child(tell, child)


def _as_child(tell: int, work: Callable[[BinaryIO], None]) -> Any:
    """Do ``work`` in the forked child, writing to ``tell``; never return, never run the parent's exit handlers."""
    status = 0
    try:
        with os.fdopen(tell, "wb") as pipe:
            work(pipe)
    except BaseException:
        status = 1  # the parent finds no answer and reads for itself
    finally:
        sys.stderr.flush()  # what the desk said while opening (a warning) is the child's only output
        os._exit(status)


def _outcome(work: Callable[[], Any]) -> tuple[str, Any]:
    """("start", what ``work`` returned) or ("error", what it raised)."""
    try:
        return ("start", work())
    except BaseException as error:
        return ("error", error)


def _tell(pipe: BinaryIO, message: tuple[str, Any]) -> None:
    """Write ``message`` pickled, at once; an error that cannot cross the pipe as itself is said in words.

    A start that cannot be pickled raises: no answer, and the parent reads for itself.
    """
    kind, value = message
    try:
        payload = pickle.dumps(message)
        if kind == "error":
            pickle.loads(payload)  # an error that cannot be made again (a Refusal's own arguments) is said in words
    except Exception:
        if kind != "error":
            raise
        payload = pickle.dumps(("error", RuntimeError(f"{type(value).__name__}: {value}")))
    pipe.write(payload)
    pipe.flush()
