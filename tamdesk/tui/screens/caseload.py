"""Open cases by urgency with their next deadline, and the queue in its order (C1-C3, L3, L10).

Each case's steps (respond, update, escalate, wait or resume, severity,
resolve, reopen) run through their use-case in a worker (``DeskScreen.change``);
``enter`` opens a case's detail, ``p`` the problems. Cases resolved in the last
week stay at the foot of the list, for ``R`` to reopen them.
"""

from __future__ import annotations

from typing import Callable, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from tamdesk.domain.caseload import SEVERITIES
from tamdesk.services import case_events
from tamdesk.services.cases import list_cases
from tamdesk.services.desk import Desk
from tamdesk.services.deadlines import Urgency, recently_resolved, urgency
from tamdesk.services.views import CaseView
from tamdesk.tui import keymap
from tamdesk.tui.formatting import deadline_text, severity_mark
from tamdesk.tui.screens.base import DeskScreen
from tamdesk.tui.screens.case_steps import EscalateDialog, SeverityDialog, said_after
from tamdesk.tui.widgets.desk_table import DeskTable, Row
from tamdesk.tui.widgets.static_text import show_text
from tamdesk.tui.widgets.text_field import TextField

class CaseloadScreen(DeskScreen):
    """The caseload against its cap, and the cases waiting for a place."""

    MODE = "caseload"
    AUTO_FOCUS = "#open-cases"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.CASELOAD)

    def __init__(self) -> None:
        super().__init__()
        self._cases: list[CaseView] = []
        self._ages: dict[int, str] = {}  # each case's age by the desk's clock when the cases were read
        self._urgency: dict[int, Urgency] = {}  # each case's next deadline, read with it
        self._read = False

    def compose_body(self) -> ComposeResult:
        yield Static("Caseload", id="caseload-title", classes="screen-title")
        with Horizontal(id="filters"):
            yield TextField(placeholder="filter by customer (/)", id="customer-filter")
            yield Select([(s.capitalize(), s) for s in SEVERITIES], prompt="Any severity", id="severity-filter")
        yield Static("Open cases, most urgent first; resolved this week at the foot", classes="panel-title")
        yield DeskTable("Case", "Sev", "Customer", "Title", "Next deadline", "Age", id="open-cases", stretch="Title", least=8)
        yield Static("Queue (C2: critical first, then high, then normal; oldest first)", classes="panel-title")
        yield DeskTable("#", "Case", "Sev", "Customer", "Title", "Next deadline", "Waiting", id="queue", stretch="Title", least=8)

    def fetch(self) -> tuple[list[CaseView], dict[int, str], dict[int, Urgency]]:
        # The ages are put in words here, in the worker: the first costs arrow's import.
        now = self.desk.now()
        cases = [c for c in list_cases(self.desk) if c.status != "resolved" or recently_resolved(c, now)]
        return cases, {c.id: c.age(now) for c in cases}, {c.id: urgency(c) for c in cases}

    def show(self, data: tuple[list[CaseView], dict[int, str], dict[int, Urgency]]) -> None:
        self._cases, self._ages, self._urgency = data
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
        show_text(self.query_one("#caseload-title", Static), title)
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
        ages, said = self._ages, self._urgency
        cases = self._visible(self._cases)
        listed = sorted((c for c in cases if c.status != "queued"), key=lambda c: said[c.id].sort_key(c.id))
        open_rows: list[Row] = [
            (f"case:{c.id}", (str(c.id), severity_mark(c.severity), c.customer, c.title, deadline_text(said[c.id]),
                              ages[c.id]))
            for c in listed
        ]
        queued = sorted((c for c in cases if c.status == "queued"), key=lambda c: c.queue_position or 0)
        queue_rows: list[Row] = [
            (f"case:{c.id}", (str(c.queue_position), str(c.id), severity_mark(c.severity), c.customer, c.title,
                              deadline_text(said[c.id]), ages[c.id]))
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
        """The case under the cursor: in the queue when the queue has focus, else in the list of open cases."""
        table = self.focused if isinstance(self.focused, DeskTable) else self.query_one("#open-cases", DeskTable)
        key = table.selected_key
        return next((c for c in self._cases if f"case:{c.id}" == key), None)

    def _chosen_case(self) -> CaseView | None:
        """The selected case, or a toast saying to select one first."""
        case = self._selected()
        if case is None:
            self.notify("Select a case first (↑/↓).", severity="warning")
        return case

    def _step(self, step: Callable[[Desk, int], CaseView], said: str) -> None:
        """Run one step of the selected case through its use-case in a worker; the toast says what and how to undo it.

        ``said`` is the toast's start, ``{case}`` standing for the case's id.
        """
        case = self._chosen_case()
        if case is None:
            return
        desk = self.desk

        def work() -> str:
            after = step(desk, case.id)
            return said_after(said.format(case=after.id), after)

        self.change(work)

    def action_respond(self) -> None:
        """A response to the customer (L8: meets the first response; the next update is due one interval later)."""
        self._step(case_events.respond, "Responded to case {case}")

    def action_update(self) -> None:
        """An update to the customer (L8)."""
        self._step(case_events.update, "Updated case {case}")

    def action_wait_or_resume(self) -> None:
        """The case waits on the customer and its clocks pause; on a waiting case, it resumes (L9)."""
        case = self._chosen_case()
        if case is None:
            return
        if case.waiting:
            self._step(case_events.resume, "Resumed case {case}")
        else:
            self._step(case_events.wait, "Case {case} waits on the customer")

    def action_reopen(self) -> None:
        """Open the selected resolved case again: C1 may refuse it at the cap (L9)."""
        self._step(case_events.reopen, "Reopened case {case}")

    async def action_escalate(self) -> None:
        """Ask the level (2 or 3), then escalate the selected case (L8)."""
        if (case := self._chosen_case()) is not None:
            await self.open_dialog(EscalateDialog(case), self.after_change)

    async def action_change_severity(self) -> None:
        """Ask the new severity, then give it to the selected case (L9)."""
        if (case := self._chosen_case()) is not None:
            await self.open_dialog(SeverityDialog(case), self.after_change)

    def action_case_details(self) -> None:
        """The selected case's timeline, deadlines, checklist and problem."""
        from tamdesk.tui.screens.case_detail import CaseDetailScreen

        if (case := self._chosen_case()) is not None:
            self.app.push_screen(CaseDetailScreen(case.id))

    def on_data_table_row_selected(self, event: DeskTable.RowSelected) -> None:
        """``enter`` on a case (the table takes the key before the screen's binding): its detail."""
        event.stop()
        self.action_case_details()

    def action_show_problems(self) -> None:
        """Every problem record with its cases (L6)."""
        from tamdesk.tui.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen())

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
        if case is None or case.status == "resolved":
            self.notify("Select an open case first (↑/↓).", severity="warning")
            return
        await self.open_dialog(ResolveCaseDialog(case), self.after_change)
