"""What every main screen of the desk shares: frame, data loading and changes.

A screen reads its data in a thread worker (``fetch``) and shows it on the
UI thread (``show``), so a slow query never freezes the keyboard. Changes a
screen makes itself (mark a call held, resolve a case) run the same way
through ``change``; a rule's refusal comes back as a notification naming it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState

from tamdesk.domain.errors import TamdeskError
from tamdesk.services.desk import Desk
from tamdesk.tui.widgets.nav_bar import NavBar

if TYPE_CHECKING:
    from tamdesk.tui.app import DeskApp


class DeskScreen(Screen[None]):
    """A main screen: header, tab bar, its body, and a footer of its keys."""

    MODE: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = []

    @property
    def desk(self) -> Desk:
        """The desk the app was opened on."""
        app: DeskApp = self.app  # type: ignore[assignment]
        return app.desk

    def compose(self) -> ComposeResult:
        yield Header()
        yield NavBar(self.MODE)
        yield from self.compose_body()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the screen's data again, in a worker; the newest reading wins."""
        self.run_worker(self.fetch, thread=True, exclusive=True, group="load", exit_on_error=False)

    def fetch(self) -> Any:
        """Read what the screen shows (runs in a worker thread: services only, no widgets)."""
        return None

    def show(self, data: Any) -> None:
        """Show what ``fetch`` read (runs on the UI thread)."""

    def chosen_customer(self) -> str | None:
        """The customer the user is looking at, to start a dialog with; none by default."""
        return None

    def change(self, work: Callable[[], str | None]) -> None:
        """Run a change in a worker; say what it did, or the rule that refused it."""
        self.run_worker(work, thread=True, group="change", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group not in ("load", "change"):
            return
        if event.state == WorkerState.SUCCESS:
            event.stop()
            if worker.group == "load":
                self.show(worker.result)
            else:
                if worker.result:
                    self.notify(str(worker.result), title="Done", timeout=6)
                self.reload()
        elif event.state == WorkerState.ERROR and isinstance(worker.error, TamdeskError):
            event.stop()
            self.notify(worker.error.message, title="Refused", severity="error", timeout=10)
