"""How the ``tamdesk`` process is tuned to start fast: one place for every trick.

The program is in three stages, and each has its own call here:

1. ``with_collector_paused``: the whole program runs with Python's garbage
   collector paused while it imports and opens the desk.
2. ``command_ready``: a command (not the interactive desk) has its desk open;
   the collector runs again, with what was made so far frozen out of it.
3. For the interactive desk, ``fork_first`` (before SQLAlchemy is imported: the
   frame grid, and a child forked that opens the desk and reads its first
   page), or where that cannot be, ``begin_desk`` (the desk open: the frame
   grid and the first read, forked); then ``desk_ready`` (once Textual is
   imported, just before the app runs: the collector frozen, its young
   generation widened, and resumed); and ``open_later`` (after the first
   frame, the parent's own desk opened in a worker, the collector paused).

The figures come from ``benchmarks/`` and ``gc.callbacks``; each trick says
what it saved. This module imports nothing heavy and no Textual: the CLI calls
it before it knows whether the desk will open.
"""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING, Callable, TypeVar

if TYPE_CHECKING:
    from tamdesk.services.desk import Desk
    from tamdesk.services.opening import Opening

T = TypeVar("T")

#: Objects allocated between the collector's young passes (Python's default is 700); see ``desk_ready``.
YOUNG_GENERATION = 10_000
#: Textual's frame grid while the desk runs (its default is 60); see ``begin_desk``.
FRAMES_PER_SECOND = "120"


def with_collector_paused(program: Callable[[], int]) -> int:
    """Run ``program`` with the collector paused until ``command_ready`` or ``desk_ready``, and on after it.

    Starting imports SQLAlchemy, arrow and holidays (Textual too for the
    desk): several hundred thousand objects that live as long as the process,
    and almost no garbage. Python's collector walked them some 180 times,
    40-70 ms of every start (timed with and without ``gc.disable()``, the
    passes counted with ``gc.get_stats``). So it is off until the desk is open;
    then it runs again, with what was made so far frozen out of its passes.
    """
    gc.disable()
    try:
        return program()
    finally:
        gc.enable()


def command_ready() -> None:
    """A command's desk is open: the collector runs again, what lives so far frozen out of it.

    Does nothing when the collector was not paused (the program called from
    Python, as the tests do), so nobody else's objects are frozen.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def fork_first(db: str | None, open_desk: Callable[[], Desk]) -> Opening | None:
    """Before SQLAlchemy is imported: set Textual's frame grid, and fork a child that opens the desk and reads.

    ``db`` is what ``--db`` (or TAMDESK_DB) names, None for the default file;
    ``open_desk`` opens it as the CLI does. Nothing has started a thread yet,
    so forking is safe here. The parent then imports Textual (some 0.35 s)
    while the child imports SQLAlchemy and the models and opens the desk (some
    0.45 s), and starts the app while the child reads the week: the first
    frame waits for the longer of the two instead of their sum, which
    ``begin_desk`` (open first, then fork) paid. That needs a core to spare.
    Timed in pairs on the medium desk (2 cores shared with other work), the
    first frame came 5-8% sooner while the machine ran about one other busy
    process (the bare app at 0.93-0.97 s; medians 1.37-1.52 s against
    1.48-1.59 s), and no sooner while it ran four (the bare app at 1.4 s; 2.52
    s against 2.43 s): then the two processes only take turns on one core.

    None where the system cannot fork or ``db`` is no plain file (an
    in-memory database, a URL this module will not parse without SQLAlchemy):
    the CLI opens the desk first then, and calls ``begin_desk``.
    """
    _set_frame_grid()
    if not hasattr(os, "fork") or not _names_a_file(db):
        return None
    from tamdesk.services.opening import Opening  # imports no SQLAlchemy: the child does

    return Opening.before_the_desk(open_desk)


def _names_a_file(db: str | None) -> bool:
    """Whether ``--db`` names a SQLite file as a path (``tamdesk.store.engine.database_url`` reads it so), or the default."""
    return not db or (db != ":memory:" and "://" not in db)


def begin_desk(desk: Desk | None, *, read: bool = True) -> Opening | None:
    """Before Textual is imported: set its frame grid, and start the desk's first read in a forked child.

    Nothing has started a thread yet, so forking is safe here; the week screen
    then finds its data waiting (see ``tamdesk.services.opening``). Without
    ``read`` (the demo is still to load) the desk reads once the load is done.
    """
    _set_frame_grid()
    if not read or desk is None:
        return None
    from tamdesk.services.opening import Opening  # the read starts now, while Textual is imported

    return Opening(desk, fork=True)


def _set_frame_grid() -> None:
    # Textual paints on a fixed grid of ticks; at its default 60 a week turned
    # just after a tick waited for the next one (20 ms of a 50 ms turn, measured
    # with benchmarks/). The update timer only runs while something changed, so
    # a finer grid costs nothing when idle. A TEXTUAL_FPS the user set wins.
    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)


def desk_ready() -> None:
    """Textual is imported and the app about to run: tune the collector for the desk's life."""
    # What is imported by now lives as long as the desk: keep it out of the
    # collector's full passes, which otherwise stall every seventh week turned
    # or so by 60 ms while they walk a million objects that never die.
    gc.freeze()
    # Each week turned leaves some 2,500 objects in reference cycles (Textual's
    # strips cache themselves when divided whole, its workers hold their tasks).
    # With Python's young generation of 700 they outlived two young passes in
    # the turn that made them, died old on the next, and were freed 25,000 at a
    # time by full passes of 20-40 ms, eleven in a hundred turns. With 10,000
    # there was one full pass, and the rest were freed by young passes of about
    # 3 ms and a middle pass every five turns (measured with benchmarks/ and
    # gc.callbacks: week-turn p95 on medium from about 78 to 50-60 ms).
    _gen0, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, older, oldest)
    gc.enable()  # paused by ``with_collector_paused`` while the program started


def open_later(open_desk: Callable[[], T]) -> T:
    """After the first frame, in a worker thread: the parent's own desk, opened with the collector paused.

    What ``fork_first``'s child opened, the parent opens again for the desk's
    life: importing SQLAlchemy and the models makes the same few hundred
    thousand lasting objects as a start does (see ``with_collector_paused``),
    so the collector rests meanwhile, and what they made is frozen out of its
    passes afterwards, as ``desk_ready`` did with Textual's.
    """
    gc.disable()
    try:
        return open_desk()
    finally:
        gc.freeze()
        gc.enable()
