"""Open cases and the queue in its order (C1-C3); open, queue, resolve; filters."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from tamdesk.domain.caseload import SEVERITIES
from tamdesk.services.cases import list_cases
from tamdesk.services.views import CaseView
from tamdesk.tui import keymap
from tamdesk.tui.screens.base import DeskScreen
from tamdesk.tui.widgets.desk_table import DeskTable, Row

SEVERITY_MARKS = {"critical": ("‼", "bold red"), "high": ("!", "yellow"), "normal": ("·", "")}


def severity_text(severity: str) -> Text:
    """The severity with its mark."""
    mark, style = SEVERITY_MARKS.get(severity, ("?", ""))
    return Text(f"{mark} {severity}", style=style)


class CaseloadScreen(DeskScreen):
    """The caseload against its cap, and the cases waiting for a place."""

    MODE = "caseload"
    AUTO_FOCUS = "#open-cases"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.CASELOAD)

    def __init__(self) -> None:
        super().__init__()
        self._cases: list[CaseView] = []
        self._ages: dict[int, str] = {}  # each case's age by the desk's clock when the cases were read
        self._read = False

    def compose_body(self) -> ComposeResult:
        yield Static("Caseload", id="caseload-title", classes="screen-title")
        with Horizontal(id="filters"):
            yield Input(placeholder="filter by customer (/)", id="customer-filter")
            yield Select([(s.capitalize(), s) for s in SEVERITIES], prompt="Any severity", id="severity-filter")
        yield Static("Open cases", classes="panel-title")
        yield DeskTable("Case", "Severity", "Customer", "Title", "Age", "State", id="open-cases", stretch="Title")
        yield Static("Queue (C2: critical first, then high, then normal; oldest first)", classes="panel-title")
        yield DeskTable("#", "Case", "Severity", "Customer", "Title", "Waiting", id="queue", stretch="Title")

    def fetch(self) -> tuple[list[CaseView], dict[int, str]]:
        # The ages are put in words here, in the worker: the first costs arrow's import.
        now = self.desk.now()
        cases = list_cases(self.desk, include_resolved=False)
        return cases, {c.id: c.age(now) for c in cases}

    def show(self, data: tuple[list[CaseView], dict[int, str]]) -> None:
        self._cases, self._ages = data
        self._read = True
        load = self.desk.catalogue.load(
            sum(c.status == "open" for c in self._cases), sum(c.status == "queued" for c in self._cases)
        )
        title = Text(f"Caseload {load} open", style="bold")
        if load.at_cap:
            title.append("  ■ FULL: new cases wait in the queue (C1)", style="bold red")
        elif load.warning:
            title.append(f"  ⚠ {load.percent}% of the cap (C3)", style="bold yellow")
        title.append(f"  · {load.queued} queued")
        self.query_one("#caseload-title", Static).update(title)
        self._fill()

    def _visible(self, cases: list[CaseView]) -> list[CaseView]:
        typed = self.query_one("#customer-filter", Input).value.strip().casefold()
        severity = self.query_one("#severity-filter", Select).value
        return [
            c for c in cases
            if typed in c.customer.casefold() and (severity is Select.NULL or c.severity == severity)
        ]

    def _fill(self) -> None:
        if not self._read:
            return
        ages = self._ages
        cases = self._visible(self._cases)
        open_rows: list[Row] = [
            (f"case:{c.id}", (str(c.id), severity_text(c.severity), c.customer, c.title, ages[c.id], "open"))
            for c in sorted(cases, key=lambda c: (SEVERITIES.index(c.severity), c.opened_at or c.filed_at))  # type: ignore[arg-type]
            if c.status == "open"
        ]
        queued = sorted((c for c in cases if c.status == "queued"), key=lambda c: c.queue_position or 0)
        queue_rows: list[Row] = [
            (f"case:{c.id}", (str(c.queue_position), str(c.id), severity_text(c.severity), c.customer, c.title, ages[c.id]))
            for c in queued
        ]
        self.query_one("#open-cases", DeskTable).refill(open_rows)
        self.query_one("#queue", DeskTable).refill(queue_rows)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#open-cases", DeskTable).focus()

    def chosen_customer(self) -> str | None:
        case = self._selected()
        return case.customer if case else None

    def _selected(self) -> CaseView | None:
        key = self.query_one("#open-cases", DeskTable).selected_key
        return next((c for c in self._cases if f"case:{c.id}" == key), None)

    def action_filter(self) -> None:
        """Type a customer's name to filter both lists (what is typed right after ``/`` goes into it)."""
        self.set_focus(self.query_one("#customer-filter", Input))

    def action_clear_filter(self) -> None:
        """Show every case again."""
        self.query_one("#customer-filter", Input).value = ""
        self.query_one("#severity-filter", Select).clear()
        self.query_one("#open-cases", DeskTable).focus()

    async def action_resolve_case(self) -> None:
        """Ask for the resolution note, then resolve the selected open case; the head of the queue takes its place (C2)."""
        from tamdesk.tui.screens.resolve_case import ResolveCaseDialog

        case = self._selected()
        if case is None:
            self.notify("Select an open case first (↑/↓).", severity="warning")
            return
        await self.open_dialog(ResolveCaseDialog(case), self.after_change)
