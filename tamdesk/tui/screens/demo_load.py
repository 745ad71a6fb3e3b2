"""The first screen of ``tamdesk demo``: the demo loading, step by step, until the desk opens on it.

The load (seconds of bookings replayed through the rules) runs in a thread
worker of the app, which passes on how far it has come (``DemoLoaded``
messages), so the first frame appears at once and the keyboard never waits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Label, ProgressBar

if TYPE_CHECKING:
    from tamdesk.services.demo import Progress

#: How often the screen shows the load's latest progress.
SHOW_EVERY_SECONDS = 0.1
#: Each step's words, and its share of the bar: the customers are a tenth of the time, their history the rest.
STEPS = {
    "customers": ("Adding the customers", 0.0, 0.1),
    "history": ("Booking calls, logging hours and opening cases, in the order they happened", 0.1, 0.9),
}


class DemoLoadScreen(Screen[None]):
    """The demo's progress: a title, the step under way with its count, one bar for the whole load."""

    DEFAULT_CSS = """
    DemoLoadScreen #demo-load {
        width: 100%;
        height: auto;
        padding: 1 2;
    }
    DemoLoadScreen #demo-load-title {
        text-style: bold;
    }
    DemoLoadScreen #demo-load-step, DemoLoadScreen #demo-load-bar {
        margin-top: 1;
    }
    DemoLoadScreen #demo-load-error {
        color: $error;
        margin-top: 1;
    }
    """

    def __init__(self, where: str = "") -> None:
        super().__init__()
        self.where = where
        self._latest: Progress | None = None  # what the load said last
        self._shown: Progress | None = None  # what the screen shows

    def on_mount(self) -> None:
        # The load says where it is after every step, hundreds a second: the screen shows the latest
        # ten times a second, so painting it never takes turns with the load it shows.
        self.set_interval(SHOW_EVERY_SECONDS, self._show, name="show the demo's progress")

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="demo-load"):
            yield Label(f"Loading the demo into {self.where}" if self.where else "Loading the demo", id="demo-load-title")
            yield Label("Reading the demo's plan…", id="demo-load-step")
            yield ProgressBar(total=100, show_eta=False, id="demo-load-bar")
            yield Label("The desk opens on it as soon as it is done · q leaves, and nothing is saved",
                        classes="hint")

    def progressed(self, progress: Progress) -> None:
        """How far the load has come; shown at the next tick."""
        self._latest = progress

    def _show(self) -> None:
        progress = self._latest
        if progress is None or progress == self._shown:
            return
        self._shown = progress
        words, start, share = STEPS.get(progress.step, (progress.step, 0.0, 1.0))
        self.query_one("#demo-load-step", Label).update(f"{words}: {progress.done} of {progress.total}")
        fraction = start + share * progress.done / max(progress.total, 1)
        self.query_one("#demo-load-bar", ProgressBar).update(progress=round(100 * fraction, 1))

    def failed(self, message: str) -> None:
        """The load stopped: say why, and how to leave (the database is as it was)."""
        self.query_one("#demo-load-step", Label).update("The demo was not loaded; the database is as it was.")
        self.query_one("#demo-load", Vertical).mount(Label(f"{message}\nq leaves.", id="demo-load-error"))
