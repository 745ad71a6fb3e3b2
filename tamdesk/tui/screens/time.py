"""The week's time entries, and each customer's total against the cap (B1, B2)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Callable, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from tamdesk.domain.periods import iso_week_of
from tamdesk.services.timelog import list_time
from tamdesk.services.views import TimeEntryView
from tamdesk.tui import keymap
from tamdesk.tui.screens.base import WeekPagedScreen
from tamdesk.tui.widgets.desk_table import DeskTable, Row
from tamdesk.tui.widgets.static_text import show_text


class TimeScreen(WeekPagedScreen):
    """Time logged in one ISO week of the TAM's calendar."""

    MODE = "time"
    AUTO_FOCUS = "#entries"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.TIME)

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[TimeEntryView] = []

    def compose_body(self) -> ComposeResult:
        yield Static("Time", id="time-title", classes="screen-title")
        yield DeskTable("Day", "Customer", "Hours", "Activity", "Case", "Call", "Note", id="entries", stretch="Note")
        yield Static(id="time-totals")

    def fetch(self) -> tuple[date, date, list[TimeEntryView]]:
        today = self.desk.today()
        week = iso_week_of(self.day or today)
        return week.first, today, list_time(self.desk, week.first, week.last)

    def show(self, data: tuple[date, date, list[TimeEntryView]]) -> None:
        monday, today, self._entries = data
        self.monday = monday
        week = iso_week_of(monday)
        title = Text(f"Time · week {week.key} · {monday:%a %d %b} – {week.last:%a %d %b %Y}", style="bold")
        if monday <= today <= week.last:
            title.append(" · this week")
        show_text(self.query_one("#time-title", Static), title)
        rows: list[Row] = []
        totals: dict[str, int] = defaultdict(int)
        for entry in self._entries:
            totals[entry.customer] += entry.minutes
            hours = Text(f"{entry.minutes / 60:g} h")
            if entry.over_budget:
                hours.append(" ▲ over budget", style="bold red")
            rows.append((
                f"time:{entry.id}",
                (f"{entry.work_date:%a %d %b}", entry.customer, hours, entry.activity or "",
                 str(entry.case_id or ""), str(entry.call_id or ""), entry.note or ""),
            ))
        self.query_one("#entries", DeskTable).refill(rows)
        summary = Text("Total ", style="bold")
        summary.append(f"{sum(totals.values()) / 60:g} h")
        for customer, minutes in sorted(totals.items()):
            summary.append(f"  ·  {customer} {minutes / 60:g} h")
        if not self._entries:
            summary = Text("Nothing logged this week: press l to log time.", style="dim")
        show_text(self.query_one("#time-totals", Static), summary)

    def chosen_customer(self) -> str | None:
        entry = self._selected()
        return entry.customer if entry else None

    def _selected(self) -> TimeEntryView | None:
        key = self.query_one("#entries", DeskTable).selected_key
        return next((e for e in self._entries if f"time:{e.id}" == key), None)

    def action_edit_entry(self) -> None:
        """Correct the selected entry in a dialog (B5)."""
        from tamdesk.tui.screens.edit_time import EditTimeDialog

        self._with_selected(lambda entry: self.app.push_screen(EditTimeDialog(entry), self.after_change))

    def action_delete_entry(self) -> None:
        """Delete the selected entry once the dialog is answered (B5)."""
        from tamdesk.tui.screens.delete_time import DeleteTimeDialog

        self._with_selected(lambda entry: self.app.push_screen(DeleteTimeDialog(entry), self.after_change))

    def _with_selected(self, act: Callable[[TimeEntryView], object]) -> None:
        entry = self._selected()
        if entry is None:
            self.notify("Select a time entry first (↑/↓).", severity="warning")
            return
        act(entry)
