"""The scenes shown in ``screenshots/`` and checked by the snapshot tests (test code, not shipped).

Each scene is the demo desk at a fixed clock, in a 120x40 terminal, after a
few key presses. ``screenshots/make.py`` saves them as SVG for the README; the
snapshot tests compare them with the SVGs stored next to the tests, so the
pictures in the README and the tested screens are the same scenes.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.pilot import Pilot

from tamdesk.domain.timezones import parse_datetime, zone
from tamdesk.services.demo import load_demo
from tamdesk.services.desk import Desk

NOW = "2026-11-23T08:00:00+01:00"
TAM_TZ = "Europe/Madrid"
SIZE = (120, 40)

#: Scene name -> keys pressed after the desk has opened.
SCENES: dict[str, tuple[str, ...]] = {
    "week": (),
    "caseload": ("2",),
    "customers": ("3", "down", "down", "down"),
    "allowances": ("4",),
    "time": ("5",),
    "book-call": ("b", "w", "a", "y", "n", "e"),
    "cancel-call": ("down", "x", "down", "enter"),
    "help": ("question_mark",),
    "warnings": ("w",),
    "resolve-case": ("2", "r", *"restarted the sync worker"),
    # Cases on the clock (issue 16): a case's detail (Northwind's second most urgent: the sync job, responded,
    # updated and escalated), the problems, the knowledge base.
    "case-detail": ("2", "slash", *"northwind", "enter", "down", "enter"),
    "problems": ("2", "p"),
    "knowledge": ("k", *"export"),
    # Reports (issue 18): Umbrella GmbH's month so far, previewed; the Customers scene shows each one's history.
    "reports": ("P", "ctrl+a", "ctrl+k", *"umbrella"),
    # Emergencies (issue 18): every engagement, Umbrella GmbH's selected (its time by day and its invoice).
    "emergencies": ("E", "down"),
    # The manager's screen (issue 19): the demo opened as its manager, Priya Nair; Alex's row selected.
    "team": ("T",),
}

#: Scenes seen by another TAM of the demo than its own (``tamdesk --as``), in that TAM's own zone.
AS_TAM: dict[str, str] = {"team": "Priya"}


def fixed_now() -> datetime:
    """The scenes' clock: a Monday morning in Madrid."""
    return parse_datetime(NOW, zone("UTC"))


def demo_desk(path: Path, scene: str | None = None) -> Desk:
    """The demo desk in the file at ``path`` (loaded when the file is new) at the scenes' clock, as ``scene`` sees it."""
    desk = Desk.open(str(path), now=fixed_now(), tz=TAM_TZ)
    load_demo(desk)
    if scene in AS_TAM:
        desk.close()
        desk = as_seen(path, scene)
    return desk


def as_seen(db: Path | str, scene: str) -> Desk:
    """The loaded demo desk ``db`` names (a file or a URL) opened as the TAM ``scene`` is seen by (``AS_TAM``), in their zone."""
    return Desk.open(str(db), now=fixed_now(), as_tam=AS_TAM[scene])


async def settle(pilot: Pilot[object]) -> None:
    """Wait until every worker has finished and its result is on screen (never sleeps blindly)."""
    from textual.worker import WorkerCancelled, WorkerFailed

    app = pilot.app
    for _ in range(50):
        try:
            await app.workers.wait_for_complete()
        except (WorkerFailed, WorkerCancelled):
            # A change the rules refused ends its worker in error, and the desk says so on screen
            # (what the tests check); whether the worker is still listed here is a race.
            pass
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            _steady_cursors(app)
            await pilot.pause()
            return
    raise TimeoutError("workers kept starting")


def _steady_cursors(app: object) -> None:
    """Inputs' cursors stop blinking, so a picture never depends on when in the blink it was taken."""
    from textual.widgets import Input

    for field in app.screen.query(Input):  # type: ignore[attr-defined]
        field.cursor_blink = False


async def play(pilot: Pilot[object], keys: tuple[str, ...]) -> None:
    """Open the desk, then press ``keys``, letting every worker finish after each one."""
    await settle(pilot)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def burst(pilot: Pilot[object], keys: tuple[str, ...]) -> None:
    """Press ``keys`` as a fast typist does: every key is queued before the desk handles the first.

    ``pilot.press`` waits for the desk to be idle after each key, so a key never
    arrives while a read or a dialog is under way; a terminal sends them as they come.
    Then wait until every worker has finished and its result is on screen.
    """
    type_keys(pilot, keys)
    await settle(pilot)


#: The named keys that type a character, as ``tests.tui.test_calls.typed`` names them.
CHARACTERS = {"comma": ",", "full_stop": ".", "space": " ", "minus": "-", "colon": ":"}


async def type_in(pilot: Pilot[object], keys: tuple[str, ...]) -> None:
    """Press ``keys``: the characters as a typist types a word (a burst), every other key on its own.

    A key that moves the focus or acts (tab, ctrl+s) is pressed alone, the desk
    settled after it, so what follows goes where it now points; a run of
    characters is one burst, and the desk settles once after it, not after each
    letter (each letter re-laid the screen out and waited for every widget).
    """
    run: list[str] = []
    for key in (*keys, None):
        if key is not None and (len(key) == 1 or key in CHARACTERS):
            run.append(key)
            continue
        if run:
            await burst(pilot, tuple(run))
            run = []
        if key is not None:
            await play(pilot, (key,))


def type_keys(pilot: Pilot[object], keys: tuple[str, ...]) -> None:
    """Queue ``keys`` as the terminal's driver does with each key typed, without waiting for any."""
    from textual import events

    app = pilot.app
    for key in keys:
        character = key if len(key) == 1 else CHARACTERS.get(key)
        event = events.Key(key, character)
        event.set_sender(app)
        app._driver.send_message(event)  # type: ignore[union-attr]  # what the terminal's driver does with each key
