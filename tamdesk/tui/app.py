"""The desk's Textual application: five screens over the service layer, the Emergencies and a manager's Team screen.

The screens are Textual *modes* (``1``-``5`` or a click on the tab bar; ``E`` for Emergencies, ``T`` for Team), each
built the first time it is shown, so opening the desk pays only for the week.
Its first frame needs no SQLAlchemy: with ``later``, the app shows the first
read a forked child made (``tamdesk.startup.fork_first``) and opens its own
desk after that frame; keys and clicks wait for it, in order (``on_event``).
Flows that change data (book, log time, open a case) are dialogs reachable
from every screen. The app watches the database (``PRAGMA data_version``) and
refreshes the screen in view when another process, a CLI command in another
terminal say, commits a change.
"""

from __future__ import annotations

from concurrent.futures import Future, InvalidStateError
from datetime import date
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable
from zoneinfo import ZoneInfo

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerCancelled, WorkerState, get_current_worker

from tamdesk import startup
from tamdesk.domain.errors import TamdeskError
from tamdesk.services.opening import NoAnswer, Opening, Start
from tamdesk.tui import keymap
from tamdesk.tui.screens.base import DeskScreen
from tamdesk.tui.screens.week import WeekScreen

if TYPE_CHECKING:
    from tamdesk.services.demo import Progress
    from tamdesk.services.desk import Desk

#: How often the desk looks for changes made by other processes, in seconds.
POLL_SECONDS = 1.0

#: A load run before the desk opens (the demo's): given a hook for its progress, it returns the desk it loaded.
Load = Callable[[Callable[["Progress"], None]], "Desk"]

#: The actions that open a dialog or leave a screen; not offered while a dialog is open.
_DESK_ACTIONS = {"book_call", "log_time", "open_case", "search_knowledge", "open_reports", "team", "undo", "switch_mode", "help", "quit"}


class DemoProgressed(Message):
    """The demo's load came a step further: ``progress`` says how far."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress


def _later(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A screen imported and built the first time its mode is shown, so opening the desk pays only for the week."""

    def build() -> Screen[Any]:
        screen: Screen[Any] = getattr(import_module(f"tamdesk.tui.screens.{module}"), name)()
        return screen

    return build


class DeskApp(App[None]):
    """The TAM's desk."""

    TITLE = "tamdesk"
    CSS_PATH = "desk.tcss"
    MODES: ClassVar[dict[str, Any]] = {
        "week": WeekScreen,
        "caseload": _later("caseload", "CaseloadScreen"),
        "customers": _later("customers", "CustomersScreen"),
        "allowances": _later("allowances", "AllowancesScreen"),
        "time": _later("time", "TimeScreen"),
        # No tab: ``E`` (or "Emergencies" in the palette) shows it, 1-5 leave it.
        "emergencies": _later("emergencies", "EmergenciesScreen"),
        # No tab either: ``T`` shows it to a manager (a toast says so to anyone else).
        "team": _later("team", "TeamScreen"),
    }
    DEFAULT_MODE = "week"
    #: Classes every screen gets for the terminal's size, for desk.tcss: dialogs close up on a short
    #: terminal (under 30 lines: 80x24), the week's side panel widens on a wide one (150+ columns).
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (150, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (30, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.DESK)

    #: The first read, begun before the interface (by the CLI), or by the app: at once, or after the load.
    opening: Opening

    def __init__(
        self,
        desk: Desk | None,
        *,
        poll_seconds: float = POLL_SECONDS,
        opening: Opening | None = None,
        load: Load | None = None,
        where: str = "",
        later: Callable[[], Desk] | None = None,
    ) -> None:
        """The desk on ``desk``; or, with ``load``, a progress screen while ``load`` (in a thread) returns the desk.

        ``where``: the database the load goes into, as the progress screen names it.
        ``later``: opens the desk after the first frame (in a thread), which shows the ``opening`` read.
        """
        if load is not None:
            self.DEFAULT_MODE = "loading"  # the progress is the first frame; the week comes after the load
        super().__init__()
        self._desk: Future[Desk] = Future()  # ``desk``: open, or still opening (``later``) or loading
        #: Keys and clicks that came before the desk opened (``later``), to be handled in order once it has.
        self._held: list[events.Event] | None = [] if later is not None else None
        self._later = later
        #: Why the desk could not be opened after the first frame (``run`` reports it once the app is closed).
        self.failed: BaseException | None = None
        #: What to load before the desk opens (``tamdesk demo``), run in a thread worker; None once done.
        self.load = load
        if load is not None:
            from tamdesk.tui.screens.demo_load import DemoLoadScreen  # only the demo's first open shows it

            self.add_mode("loading", lambda: DemoLoadScreen(where))
            self.sub_title = "demo"
        if desk is not None:
            self._use(desk)
        if load is None:
            if desk is None and (later is None or opening is None):
                raise ValueError("the desk app needs a desk, a load that returns one, or its first read and a later open")
            self.opening = opening or Opening(desk)  # type: ignore[arg-type]  # a desk when there is no opening
        self.poll_seconds = poll_seconds
        self._watch: Any = None  # the desk's change watch, from mount to unmount
        #: The TAM's zone, read once at start; dialogs use it for "today".
        self.tam_zone: ZoneInfo = ZoneInfo("UTC")
        self._theme_read = False  # the saved theme is applied before changes are saved
        self._saved_theme: str | None = None

    @property
    def desk(self) -> Desk:
        """The desk the app shows; with a load to run first, the one the load returns.

        A worker asking while the desk still opens (``later``) waits for it. The UI
        thread never asks before: keys and clicks wait for the desk (``on_event``).
        """
        return self._desk.result()

    def _use(self, desk: Desk) -> None:
        """Show ``desk``, and hear of what follows its changes (called on any thread)."""
        from tamdesk.services.export import keep_auto_feed

        # A change made here rewrites the auto feed too (X1). A stale feed is the CLI's to catch up:
        # here it would hold up the first frame; the desk's next change rewrites it anyway.
        keep_auto_feed(desk, catch_up=False)
        # Something that fails after a saved change (the feed) is a toast, not an error (notify is thread-safe).
        desk.warned.append(lambda message: self.notify(message, title="Saved, with a warning", severity="warning"))
        if self._desk.done():
            self._desk = Future()
        self._desk.set_result(desk)

    def on_mount(self) -> None:
        if self.load is not None:
            # After the first frame: the load's thread would otherwise take turns with painting it.
            self.call_after_refresh(self._start_load)
        else:
            self._open()
            if self._later is not None:
                self.call_after_refresh(self._open_later)

    def _open_later(self) -> None:
        """After the first frame: open the app's own desk in a thread (SQLAlchemy is imported there)."""
        later = self._later
        if later is None:
            return

        def open_desk() -> Desk:
            try:
                desk = startup.open_later(later)
                self._use(desk)
            except BaseException as error:
                self._no_desk(error)
                raise
            return desk

        self.run_worker(open_desk, thread=True, group="desk", exit_on_error=False)

    async def on_event(self, event: events.Event) -> None:
        """Keys, clicks and pastes that come while the desk still opens wait for it, then go in the order they came.

        So none is lost and none acts on a desk that is not there yet: a dialog
        opened with ``b`` gets the letters typed after it, a turn of the week
        counts from the page on screen.
        """
        if self._held is not None and _waits_for_the_desk(event):
            self._held.append(event)
            return
        await super().on_event(event)

    async def _desk_opened(self) -> None:
        """The desk is open: what was typed or clicked meanwhile goes now, in order."""
        held, self._held = self._held or [], None
        if self._watch is None:  # the child's file could not be watched: the desk's own watch then
            self._watch = self.desk.watch()
        for event in held:
            await super().on_event(event)

    def _start_load(self) -> None:
        """Run the load in a thread; its progress comes back as messages (post_message is thread-safe)."""
        load = self.load
        if load is not None:
            self.run_worker(lambda: load(self._progressed), thread=True, group="demo", exit_on_error=False)

    def _progressed(self, progress: Progress) -> None:
        """The demo's load came a step further (called on the loading thread); stopped once the desk is closed."""
        if get_current_worker().is_cancelled:
            # Leaving while it loads: the load's one transaction rolls back, and the program need not wait for it.
            raise WorkerCancelled("the desk was closed while the demo loaded")
        self.post_message(DemoProgressed(progress))

    def on_demo_progressed(self, message: DemoProgressed) -> None:
        """Show the load's progress on the loading screen, while it is in view."""
        from tamdesk.tui.screens.demo_load import DemoLoadScreen

        if isinstance(self.screen, DemoLoadScreen):
            self.screen.progressed(message.progress)

    def _loaded(self, desk: Desk) -> None:
        """The demo is in: the desk opens on it, as ``tamdesk`` would have opened it."""
        self.load = None
        if not self._desk.done() or self._desk.result() is not desk:
            self._use(desk)
        self.opening = Opening(desk)
        self._open()
        self.switch_mode("week")
        self.remove_mode("loading")

    def _demo_ended(self, event: Worker.StateChanged) -> None:
        """The demo's load is in, or failed: open the desk on it, or say why on the loading screen."""
        from tamdesk.tui.screens.demo_load import DemoLoadScreen

        worker = event.worker
        if event.state == WorkerState.SUCCESS:
            self._loaded(worker.result)
        elif event.state == WorkerState.ERROR and isinstance(self.screen, DemoLoadScreen):
            error = worker.error
            self.screen.failed(error.message if isinstance(error, TamdeskError) else f"{type(error).__name__}: {error}")

    def _open(self) -> None:
        """Start the desk: greet the TAM, look for other processes' changes, check the file."""
        self._watch = self.opening.watch
        if (start := self.opening.ready()) is not None:
            self._greet(start)  # before the first frame: it shows the TAM's theme from the start
        else:
            self.run_worker(self.first_read, thread=True, group="tam", exit_on_error=False)
        self.set_interval(self.poll_seconds, self._look_for_changes, name="look for changes")
        # The file's integrity check reads every page: in the background, after the first frame
        # (and after the desk has opened, with ``later``).
        self.run_worker(lambda: self.desk.check_integrity(), thread=True, group="integrity", exit_on_error=False)

    def first_read(self) -> Start:
        """The desk's first read, waiting for it (in a worker); read here if its child ended without it."""
        try:
            return self.opening.start()
        except NoAnswer:
            from tamdesk.services.opening import read_start

            return self.desk.read(read_start)

    def _greet(self, start: Start) -> None:
        """The TAM's name and zone in the header, and the theme they chose."""
        self.tam_zone = start.tam_tz
        # The demo says so, whatever is changed in it since: it is not the TAM's own desk.
        self.sub_title = f"{start.tam_name} · {start.tam_tz.key}" + (" · demo" if start.demo else "")
        self._saved_theme = start.theme
        if start.theme in self.available_themes:
            self.theme = start.theme
        self._theme_read = True

    @property
    def today(self) -> date:
        """The TAM's date by the desk's clock, read without the database: what "this week" and "today" mean."""
        return self.desk.now().astimezone(self.tam_zone).date()

    def watch_theme(self, theme: str) -> None:
        """Remember the theme picked (ctrl+p, "Theme") for the next time the desk opens."""
        if self._theme_read and theme != self._saved_theme:
            self._saved_theme = theme
            self.run_worker(lambda: _save_theme(self.desk, theme), thread=True, group="theme", exit_on_error=False)

    def _no_desk(self, error: BaseException) -> None:
        """The desk will not open: a worker waiting for it fails with ``error`` rather than wait on."""
        try:
            self._desk.set_exception(error)
        except InvalidStateError:  # it opened after all (the app closed as it did)
            pass

    def on_unmount(self) -> None:
        if self._watch is not None:
            self._watch.close()
        # Closed before its desk opened (the app's threads are waited for as the program ends).
        self._no_desk(RuntimeError("the desk was closed before it opened"))

    # -- the desk under the dialogs --------------------------------------------------

    @property
    def desk_screen(self) -> DeskScreen | None:
        """The main screen in view, under any dialogs."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, DeskScreen):
                return screen
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The desk's own keys rest while a dialog is open or a field has focus, so typing never leaves it."""
        if action in _DESK_ACTIONS and (isinstance(self.screen, ModalScreen) or isinstance(self.focused, Input)):
            return False
        if self.load is not None and action != "quit":
            return False  # no desk yet to act on: only leaving, while the demo loads
        return True

    def refresh_desk(self) -> None:
        """Read the data again for the screen in view."""
        if (screen := self.desk_screen) is not None:
            screen.reload()

    def _look_for_changes(self) -> None:
        if self._watch is not None:
            self.run_worker(self._watch.changed, thread=True, exclusive=True, group="watch", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place for what workers report that their screen did not handle."""
        worker = event.worker
        if worker.group == "demo":
            self._demo_ended(event)
            return
        if worker.group == "desk":
            if event.state == WorkerState.SUCCESS:
                self.call_next(self._desk_opened)
            elif event.state == WorkerState.ERROR:
                self.failed = worker.error  # the desk cannot be shown: ``run`` says why, as the CLI would
                self.exit()
            return
        if worker.group == "tam" and event.state == WorkerState.SUCCESS:
            self._greet(worker.result)
            return
        if worker.group == "integrity":
            if event.state == WorkerState.SUCCESS and worker.result:
                self.notify(worker.result, title="Read-only", severity="error", timeout=30)
                self.sub_title = f"{self.sub_title} · read-only"
            return
        if worker.group == "team" and event.state == WorkerState.SUCCESS:
            if worker.result:
                self.switch_mode("team")
            else:
                self.notify("The team view is a manager's; see tamdesk tam list.", title="Team", severity="warning")
            return
        if worker.group == "undo" and event.state == WorkerState.SUCCESS:
            self.notify(f"Undid: {worker.result.said}.", title="Undone", timeout=8)
            self.refresh_desk()
            return
        if worker.group == "watch":
            if event.state == WorkerState.SUCCESS and worker.result:
                self.refresh_desk()
            return
        if event.state == WorkerState.ERROR:
            error = worker.error
            if isinstance(error, TamdeskError):
                self.notify(error.message, title="Refused", severity="error", timeout=8)
            else:
                self.notify(f"{type(error).__name__}: {error}", title="Something went wrong", severity="error")

    # -- the desk-wide flows ---------------------------------------------------------

    def _chosen_customer(self) -> str | None:
        screen = self.desk_screen
        return screen.chosen_customer() if screen is not None else None

    async def open_dialog(self, dialog: Screen[Any], callback: Callable[[Any], None] | None = None) -> None:
        """Show ``dialog`` and return once its first field has focus.

        The dialog keys are priority keys, run as the key arrives; while this
        waits, the keys typed after it wait too, and then go to the dialog's
        first field (Textual focuses it as the dialog is composed): nothing
        typed while a dialog opens is lost.
        """
        await self.push_screen(dialog, callback)

    async def action_book_call(self) -> None:
        """Open the book-a-call dialog, with the customer in view if there is one."""
        from tamdesk.tui.screens.book_call import BookCallDialog

        await self.open_dialog(BookCallDialog(self._chosen_customer()), self._changed)

    async def action_log_time(self) -> None:
        """Open the log-time dialog."""
        from tamdesk.tui.screens.log_time import LogTimeDialog

        await self.open_dialog(LogTimeDialog(self._chosen_customer()), self._changed)

    async def action_open_case(self) -> None:
        """Open the open-a-case dialog."""
        from tamdesk.tui.screens.open_case import OpenCaseDialog

        await self.open_dialog(OpenCaseDialog(self._chosen_customer()), self._changed)

    async def action_search_knowledge(self) -> None:
        """Open the knowledge base's search (L12); what is typed as it opens goes into its field."""
        from tamdesk.tui.screens.knowledge import KnowledgeDialog

        await self.open_dialog(KnowledgeDialog())

    async def action_open_reports(self) -> None:
        """Open the Reports screen on the customer in view; what is typed as it opens goes into its customer field."""
        from tamdesk.tui.screens.reports import ReportsScreen

        await self.open_dialog(ReportsScreen(self._chosen_customer()))

    def action_team(self) -> None:
        """The Team screen, for a manager; a toast for anyone else (whose role is read in a worker)."""
        desk = self.desk
        self.run_worker(lambda: desk.read(lambda unit: unit.tam.manager), thread=True, exclusive=True, group="team",
                        exit_on_error=False)

    def action_undo(self) -> None:
        """Revert the TAM's last change (a worker); the screen shows the data again and a toast says what."""
        from tamdesk.services.undo import undo

        self.run_worker(lambda: undo(self.desk), thread=True, exclusive=True, group="undo", exit_on_error=False)

    def action_help(self) -> None:
        """Show every binding of every screen."""
        from tamdesk.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def _changed(self, message: str | None) -> None:
        """After a dialog: the screen in view says what changed and shows it."""
        if (screen := self.desk_screen) is not None:
            screen.after_change(message)

    # -- command palette -------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action of the desk and of the screen in view, by its description."""
        yield from super().get_system_commands(screen)
        for binding in self._palette_bindings(screen):
            help_text = binding.tooltip or binding.description
            target = self if binding in self.BINDINGS else screen
            yield SystemCommand(binding.description, help_text, partial(self.run_action, binding.action, target))

    def _palette_bindings(self, screen: Screen[Any]) -> list[Binding]:
        own = [b for b in self.BINDINGS if isinstance(b, Binding) and b.action != "quit"]
        if isinstance(screen, DeskScreen):
            own += [b for b in screen.BINDINGS if isinstance(b, Binding) and b.action != "quit"]
        return own


def _waits_for_the_desk(event: events.Event) -> bool:
    """Input that can act on the desk: a key, a paste, a mouse button (a click on a tab or the footer)."""
    if event.is_forwarded:
        return False  # already on its way to a widget: only what comes from the terminal waits
    return isinstance(event, (events.Key, events.Paste, events.MouseDown, events.MouseUp))


def _save_theme(desk: Desk, theme: str) -> None:
    from tamdesk.services.settings import set_setting

    set_setting(desk, "theme", theme)


def run(
    desk: Desk | None,
    opening: Opening | None = None,
    load: Load | None = None,
    where: str = "",
    later: Callable[[], Desk] | None = None,
) -> int:
    """Open the desk in the terminal and return its exit code; ``opening`` is its first read, if begun.

    ``load``: what to load first (the demo, into ``where``), behind a progress screen; it returns the desk.
    ``later``: opens the desk after the first frame, which shows ``opening``; what stops it is raised here.
    """
    startup.desk_ready()
    app = DeskApp(desk, opening=opening, load=load, where=where, later=later)
    app.run()
    if app.failed is not None:
        raise app.failed
    return 0
