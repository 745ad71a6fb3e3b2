"""How the ``tamdesk`` process is tuned to start fast: one place for every trick.

The program is in three stages, and each has its own call here:

1. ``with_collector_paused``: the whole program runs with Python's garbage
   collector paused while it imports and opens the desk.
2. ``command_ready``: a command (not the interactive desk) has its desk open;
   the collector runs again, with what was made so far frozen out of it.
3. For the interactive desk, ``begin_desk`` (before Textual is imported: the
   frame grid and the first read, forked) and ``desk_ready`` (once Textual is
   imported, just before the app runs: the collector frozen, its young
   generation widened, and resumed).

The figures come from ``benchmarks/`` and ``gc.callbacks``; each trick says
what it saved. This module imports nothing heavy and no Textual: the CLI calls
it before it knows whether the desk will open.
"""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from tamdesk.services.desk import Desk
    from tamdesk.services.opening import Opening

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


def begin_desk(desk: Desk | None, *, read: bool = True) -> Opening | None:
    """Before Textual is imported: set its frame grid, and start the desk's first read in a forked child.

    Nothing has started a thread yet, so forking is safe here; the week screen
    then finds its data waiting (see ``tamdesk.services.opening``). Without
    ``read`` (the demo is still to load) the desk reads once the load is done.
    """
    # Textual paints on a fixed grid of ticks; at its default 60 a week turned
    # just after a tick waited for the next one (20 ms of a 50 ms turn, measured
    # with benchmarks/). The update timer only runs while something changed, so
    # a finer grid costs nothing when idle. A TEXTUAL_FPS the user set wins.
    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)
    if not read or desk is None:
        return None
    from tamdesk.services.opening import Opening  # the read starts now, while Textual is imported

    return Opening(desk, fork=True)


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
