"""Open a case; at the caseload's cap the dialog offers to queue it (C1, C2).

Under the title, the knowledge base's three closest past resolutions to it,
searched as it is typed (L12; each search in a worker, the newest one shown).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static
from textual.worker import Worker

from tamdesk.domain.caseload import SEVERITIES
from tamdesk.domain.errors import BadInput, Refusal
from tamdesk.services.cases import open_case
from tamdesk.services.knowledge import fts_query
from tamdesk.tui.screens.form import PickCustomerDialog, field
from tamdesk.tui.screens.knowledge import ClosestResolutions, SearchWorkers, hits_text
from tamdesk.tui.widgets.customer_picker import CustomerPicker
from tamdesk.tui.widgets.static_text import show_text
from tamdesk.tui.widgets.text_field import TextField


@dataclass(frozen=True)
class CaseForm:
    """What the open-case dialog says."""

    customer: str
    title: str
    severity: str


class OpenCaseDialog(ClosestResolutions, PickCustomerDialog):
    """Open a case for a customer."""

    TITLE_TEXT = "Open a case"
    SUBMIT_LABEL = "Open"

    def __init__(self, customer: str | None = None) -> None:
        super().__init__(customer)
        self.searches = SearchWorkers()

    def fields(self) -> ComposeResult:
        yield from self.customer_field()
        yield from field("Title", TextField(placeholder="what the case is about", id="title", compact=True))
        yield Static(id="open-hits")
        yield from field(
            "Severity",
            Select([(s.capitalize(), s) for s in SEVERITIES], value="normal", allow_blank=False, id="severity", compact=True),
            "At the cap of open cases, a case waits in the queue: critical first, then high, then normal (C2).",
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "title" and fts_query(event.value) is not None:
            self.look_up(event.value)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        hits = self.arrived(event)
        if hits is not None:
            shown = Text("Closest past resolutions (L12):\n", style="bold")
            show_text(self.query_one("#open-hits", Static), shown.append_text(hits_text(hits, "none found.")))

    def read_form(self) -> CaseForm:
        title = self.query_one("#title", Input).value.strip()
        if not title:
            raise BadInput("a case needs a title")
        severity = self.query_one("#severity", Select).value
        return CaseForm(self.query_one(CustomerPicker).chosen(), title, str(severity))

    def alternative(self, refusal: Refusal) -> str | None:
        """At the cap (C1) the case can wait in the queue instead."""
        return "Queue it" if refusal.rule == "C1" else super().alternative(refusal)

    def attempt(self, form: CaseForm, confirmed: bool) -> str:
        case = open_case(self.desk, form.customer, form.title, form.severity, queue=confirmed)
        if case.status == "queued":
            return f"Case {case.id} for {case.customer} queued at position {case.queue_position} (C2)."
        return f"Opened case {case.id} for {case.customer}: {case.title} ({case.severity})."
