"""Open a case; at the caseload's cap the dialog offers to queue it (C1, C2)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Select

from tamdesk.domain.caseload import SEVERITIES
from tamdesk.domain.errors import BadInput, Refusal
from tamdesk.services.cases import open_case
from tamdesk.tui.screens.form import PickCustomerDialog, field
from tamdesk.tui.widgets.customer_picker import CustomerPicker


@dataclass(frozen=True)
class CaseForm:
    """What the open-case dialog says."""

    customer: str
    title: str
    severity: str


class OpenCaseDialog(PickCustomerDialog):
    """Open a case for a customer."""

    TITLE_TEXT = "Open a case"
    SUBMIT_LABEL = "Open"

    def fields(self) -> ComposeResult:
        yield from self.customer_field()
        yield from field("Title", Input(placeholder="what the case is about", id="title", compact=True))
        yield from field(
            "Severity",
            Select([(s.capitalize(), s) for s in SEVERITIES], value="normal", allow_blank=False, id="severity", compact=True),
            "At the cap of open cases, a case waits in the queue: critical first, then high, then normal (C2).",
        )

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
