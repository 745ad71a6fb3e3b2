"""What every main screen of the desk shares: frame, data loading and changes.

A screen reads its data in a thread worker (``fetch``) and shows it on the
UI thread (``show``), so a slow query never freezes the keyboard. One read
runs at a time: keys pressed while it runs (ten ``→``) only change what the
next read asks for, so every press counts and the reads in between are
never made. Changes a
screen makes itself (mark a call held, resolve a case) run the same way
through ``change``; a rule's refusal comes back as a notification naming it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Callable, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState

from tamdesk.domain.errors import TamdeskError
from tamdesk.tui.widgets.key_footer import KeyFooter
from tamdesk.tui.widgets.nav_bar import NavBar
from tamdesk.tui.widgets.static_text import show_text

if TYPE_CHECKING:
    from tamdesk.services.desk import Desk  # only named: the first frame is drawn before SQLAlchemy is imported
    from tamdesk.tui.app import DeskApp


class DeskScreen(Screen[None]):
    """A main screen: header, tab bar, its body, and a footer of its keys."""

    MODE: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self) -> None:
        super().__init__()
        self._reading = False  # a load's worker is running
        self._next_read: Callable[[], Any] | None = None  # the read asked for while it ran

    @property
    def desk(self) -> Desk:
        """The desk the app was opened on (in a worker, waiting while it still opens: ``DeskApp.desk``)."""
        app: DeskApp = self.app  # type: ignore[assignment]
        return app.desk

    def compose(self) -> ComposeResult:
        yield Header()
        yield NavBar(self.MODE)
        yield from self.compose_body()
        yield KeyFooter(compact=True)

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    def on_screen_resume(self) -> None:
        self.came_into_view()

    def came_into_view(self) -> None:
        """The screen is in view, first or again: read its data.

        Screens override this, not ``on_screen_resume``: Textual calls that
        handler on every class of the screen that defines one.
        """
        self.reload()

    def reload(self) -> None:
        """Read the screen's data again, in a worker; the newest reading wins."""
        self.load(self.fetch)

    def load(self, read: Callable[[], Any]) -> None:
        """Run ``read`` in a worker and ``show`` what it returns.

        While a read runs, a newer one waits and replaces any other waiting:
        only the newest is shown, and it starts once the one running is done
        (a thread cannot be stopped, and ten reads at once would slow the last).
        """
        if self._reading:
            self._next_read = read
            return
        self._reading = True
        self.run_worker(read, thread=True, group="load", exit_on_error=False)

    def _read_done(self) -> bool:
        """A load finished: start the one that waited, if any; whether this one is still the newest."""
        self._reading = False
        read, self._next_read = self._next_read, None
        if read is None:
            return True
        self.load(read)
        return False

    def fetch(self) -> Any:
        """Read what the screen shows (runs in a worker thread: services only, no widgets)."""
        return None

    def show(self, data: Any) -> None:
        """Show what ``fetch`` read (runs on the UI thread)."""

    def put(self, selector: str, content: Text | str) -> None:
        """Show ``content`` in the Static at ``selector``, unless it shows it already (``show_text``)."""
        show_text(self.query_one(selector, Static), content)

    def chosen_customer(self) -> str | None:
        """The customer the user is looking at, to start a dialog with; none by default."""
        return None

    async def open_dialog(self, dialog: Screen[Any], callback: Callable[[Any], None] | None = None) -> None:
        """Show ``dialog``; what is typed as it opens goes into its first field (``DeskApp.open_dialog``)."""
        app: DeskApp = self.app  # type: ignore[assignment]
        await app.open_dialog(dialog, callback)

    def export_calendar(self, customer: str | None) -> None:
        """Open the iCalendar export dialog (X1), for one customer or all."""
        from tamdesk.tui.screens.export import ExportDialog

        self.app.push_screen(ExportDialog(customer), self.after_change)

    def after_change(self, message: str | None) -> None:
        """Say what a change did (a dialog's result, or ``change``'s) and show the data again."""
        if message:
            self.notify(message, title="Done", timeout=8)
            self.reload()

    def change(self, work: Callable[[], str | None]) -> None:
        """Run a change in a worker; say what it did, or the rule that refused it."""
        self.run_worker(work, thread=True, group="change", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group not in ("load", "change"):
            return
        if worker.group == "load" and event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            if not self._read_done():
                event.stop()  # a newer read is on its way: this one is out of date
                return
        if event.state == WorkerState.SUCCESS:
            event.stop()
            if worker.group == "load":
                self.show(worker.result)
            else:
                self.after_change(worker.result)
        elif event.state == WorkerState.ERROR and isinstance(worker.error, TamdeskError):
            event.stop()
            self.notify(worker.error.message, title="Refused", severity="error", timeout=10)


class WeekPagedScreen(DeskScreen):
    """A main screen that shows one ISO week of the TAM's calendar at a time."""

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None  # a day of the week asked for; None: this week
        self.monday: date | None = None  # the Monday of the week on screen, once shown

    def action_week(self, step: int) -> None:
        """Show the week ``step`` weeks away from the one asked for last (on screen or still being read).

        Keys typed with the tab that opens the screen come before its first read: they count from this week.
        """
        app: DeskApp = self.app  # type: ignore[assignment]
        asked = self.day if self.day is not None else self.monday if self.monday is not None else app.today
        self.day = asked - timedelta(days=asked.weekday()) + timedelta(weeks=step)
        self.turn_page()

    def action_this_week(self) -> None:
        """Back to this week; a page turned before it is shown counts from this week."""
        app: DeskApp = self.app  # type: ignore[assignment]
        self.day = app.today
        self.turn_page()

    def turn_page(self) -> None:
        """Read and show the week now chosen; only what depends on the week need be read again."""
        self.reload()
