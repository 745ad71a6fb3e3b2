"""The home screen: the TAM's ISO week of calls, hours against caps, caseload, warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from tamdesk.domain.durations import describe
from tamdesk.services.views import CallView, DeadlineTally, RunningEmergency, WeekAgenda, WeekPage, WeekSummary
from tamdesk.tui import keymap
from tamdesk.tui.formatting import call_line, name_cells, warnings_count, warnings_text
from tamdesk.tui.screens.base import WeekPagedScreen
from tamdesk.tui.widgets.call_list import CallList, Row
from tamdesk.tui.widgets.hours_panel import HoursPanel

if TYPE_CHECKING:
    from tamdesk.tui.app import DeskApp


def caseload_text(summary: WeekSummary, clocks: DeadlineTally | None = None) -> Text:
    """``Caseload 27/30`` with the 90% warning in words (C3), and under it the clocks' day (L10).

    ``Deadlines 2 due today`` and ``⚠ 1 warned · ■ 3 breached``: pending ones due
    before the day ends, those with 25% or less of their interval left, those past due.
    """
    load = summary.caseload
    text = Text("Caseload ", style="bold")
    text.append(str(load))
    if load.at_cap:
        text.append("  ■ FULL: new cases queue (C1)", style="bold red")
    elif load.warning:
        text.append(f"  ⚠ {load.percent}% of cap (C3)", style="bold yellow")
    if load.queued:
        text.append(f"  · {load.queued} queued")
    if clocks is not None:
        # Two lines: one would wrap in the side panel's 38 cells at 80 and 120 columns.
        text.append("\nDeadlines ", style="bold")
        text.append(f"{clocks.due_today} due today\n")
        text.append(f"⚠ {clocks.warned} warned", style="bold yellow" if clocks.warned else "")
        text.append(" · ")
        text.append(f"■ {clocks.breached} breached", style="bold red" if clocks.breached else "")
    return text


def emergencies_text(running: tuple[RunningEmergency, ...]) -> Text:
    """A line per running emergency: whose, what, its state, the time since the request and the feasibility clock (E1-E3).

    ``E`` shows them all in detail; the clock is red once the answer is late. The clocks come first:
    on a narrow terminal the line is cut at its end, the title.
    """
    text = Text()
    for n, emergency in enumerate(running):
        if n:
            text.append("\n")
        text.append(f"⚡ Emergency {emergency.id}", style="bold red")
        if (clock := emergency.clock) is not None:
            late = emergency.feasibility_minutes is not None and emergency.feasibility_minutes < 0
            text.append(" · ")
            text.append(clock, style="bold red" if late else "bold yellow")
        text.append(f" · {describe(emergency.elapsed_minutes)} since the request · {emergency.status}")
        text.append(f" · {emergency.customer}: {emergency.title}")
    return text


class WeekScreen(WeekPagedScreen):
    """Monday to Sunday in the TAM's zone, with the hours and warnings beside it."""

    MODE = "week"
    AUTO_FOCUS = "#calls"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.WEEK)

    def __init__(self) -> None:
        super().__init__()
        self._calls: dict[str, CallView] = {}
        # The page last shown. Its warnings and caseload are the same whichever
        # week is shown, so turning a page keeps them; any other reload (a change,
        # another process's change, coming back to the screen) reads them again.
        self._page: WeekPage | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("Reading the week…", id="week-title", classes="screen-title")
        yield Static(id="week-emergencies")
        with Horizontal(id="week-body"):
            yield CallList(id="calls")
            with VerticalScroll(id="side"):
                yield Static(id="caseload")
                yield Static("Hours this week", id="hours-title", classes="panel-title")
                yield HoursPanel(id="hours")
                yield Static(id="warnings")

    def came_into_view(self) -> None:
        """The first time, show the week the desk read as it opened; after that, read it again."""
        app: DeskApp = self.app  # type: ignore[assignment]
        opening = app.opening
        if not opening.take_week():
            self.reload()
        elif (start := opening.ready()) is not None:
            self.show(start.week)  # already read: the first frame is the complete week
        else:
            self.load(lambda: app.first_read().week)

    def reload(self) -> None:
        self._page = None
        super().reload()

    def turn_page(self) -> None:
        super().reload()

    def fetch(self) -> WeekPage:
        # Here, not at the top: the first frame shows the page a forked child read, before SQLAlchemy is imported.
        from tamdesk.services.week_page import week_page

        return week_page(self.desk, self.day, self._page)

    def show(self, data: WeekPage) -> None:
        shown_warnings = self._page.warnings if self._page else None
        self._page = data
        agenda = data.agenda
        tz = ZoneInfo(agenda.tz)
        self.monday = agenda.first
        days = agenda.days
        heading = f"Week {agenda.week} · {days[0]:%a %d %b} – {days[-1]:%a %d %b %Y} · times in {agenda.tz}"
        if agenda.first <= agenda.today <= days[-1]:
            heading += " · this week"
        if data.warnings:
            # The side panel shows the first few: the count says how many there are, and the key shows them all.
            heading += f" · ⚠ {warnings_count(data.warnings)} — w to show all"
        self.put("#week-title", heading)
        running = self.query_one("#week-emergencies", Static)
        running.display = bool(data.emergencies)
        self.put("#week-emergencies", emergencies_text(data.emergencies))
        rows: list[Row] = []
        self._calls = {}
        on_day = {day: agenda.calls_on(day) for day in days}
        longest = max((len(call.customer) for call in agenda.calls), default=0)
        for day in days:
            label = Text(f"{day:%a %d %b}", style="bold")
            if day == agenda.today:
                label.append("  ◀ today", style="bold cyan")
            if not on_day[day]:
                label.append("  no calls", style="dim")
            rows.append(Row(label))
            for note in agenda.notes_on(day):
                rows.append(Row(Text(f"    ◆ {note.kind}: {note.text}", style="italic")))
            for call in on_day[day]:
                key = f"call:{call.id}"
                self._calls[key] = call
                rows.append(Row(self._line(call, tz, agenda.when.get(call.id, ""), longest), key))
        calls = self.query_one("#calls", CallList)
        calls.set_rows(rows)
        if calls.highlighted_key is None:
            calls.highlight(self._first_call(agenda, tz))
        self.put("#caseload", caseload_text(data.summary, data.clocks))
        self.query_one(HoursPanel).show_week(data.summary)
        if data.warnings is not shown_warnings:  # a turn of the page reads the same list again (week_page)
            self.put("#warnings", Text("Warnings\n", style="bold").append_text(warnings_text(data.warnings)))

    @staticmethod
    def _line(call: CallView, tz: ZoneInfo, when: str, longest: int) -> Callable[[int], Text]:
        """The call's line for the list's width: the names get the cells a wide terminal has to spare."""
        return lambda width: call_line(call, tz, when, name_cells(width, longest))

    def _first_call(self, agenda: WeekAgenda, tz: ZoneInfo) -> str | None:
        """Where the cursor goes when its call is not in the week: the first call from today on."""
        upcoming = (k for k, c in self._calls.items() if c.start.astimezone(tz).date() >= agenda.today)
        return next(upcoming, next(iter(self._calls), None))

    @property
    def selected_call(self) -> CallView | None:
        """The call under the cursor."""
        key = self.query_one("#calls", CallList).highlighted_key
        return self._calls.get(key) if key is not None else None

    def action_export_calendar(self) -> None:
        """Export every call to a calendar file."""
        self.export_calendar(None)

    async def action_timesheet(self) -> None:
        """Write the timesheet of the week on screen (or another), as ``report week -o`` does."""
        from tamdesk.tui.screens.timesheet import TimesheetDialog

        app: DeskApp = self.app  # type: ignore[assignment]
        await self.open_dialog(TimesheetDialog(self.monday or app.today), self.after_change)

    def chosen_customer(self) -> str | None:
        call = self.selected_call
        return call.customer if call else None

    def _need_call(self) -> CallView | None:
        call = self.selected_call
        if call is None:
            self.notify("Select a call first (↑/↓).", severity="warning")
        return call

    # -- actions ---------------------------------------------------------------------

    async def action_move_call(self) -> None:
        """Move the selected call."""
        from tamdesk.tui.screens.move_call import MoveCallDialog

        if call := self._need_call():
            await self.open_dialog(MoveCallDialog(call), self.after_change)

    def action_cancel_call(self) -> None:
        """Cancel the selected call."""
        from tamdesk.tui.screens.cancel_call import CancelCallDialog

        if call := self._need_call():
            self.app.push_screen(CancelCallDialog(call), self.after_change)

    def action_mark_held(self) -> None:
        """Mark the selected call held."""
        self._mark("held")

    def action_mark_no_show(self) -> None:
        """Mark the selected call a no-show."""
        self._mark("no-show")

    def _mark(self, mark: str) -> None:
        if call := self._need_call():

            def work() -> str:
                from tamdesk.services.calls import mark_call

                change = mark_call(self.desk, call.id, mark)
                said = f"{change.call.title} with {change.call.customer} marked {mark}; {change.note}"
                return f"{said} — {keymap.undo_hint()}."

            self.change(work)

    async def action_show_warnings(self) -> None:
        """Every warning, in a list that scrolls."""
        from tamdesk.tui.screens.warnings import WarningsScreen

        await self.open_dialog(WarningsScreen(self._page.warnings if self._page else []))

    def action_call_details(self) -> None:
        """Show the selected call and its history."""
        from tamdesk.tui.screens.call_details import CallDetailsScreen

        if call := self._need_call():
            self.app.push_screen(CallDetailsScreen(call))

    def on_call_list_chosen(self, event: CallList.Chosen) -> None:
        event.stop()
        self.action_call_details()
