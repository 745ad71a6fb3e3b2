"""The steps of a case that ask something first: escalate (to which level) and severity (which one)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from tamdesk.domain.caseload import SEVERITIES
from tamdesk.services import case_events
from tamdesk.services.deadlines import urgency
from tamdesk.services.views import CaseView
from tamdesk.tui import keymap
from tamdesk.tui.screens.form import FormDialog, field
from tamdesk.tui.widgets.text_field import TextField


class CaseDialog(FormDialog):
    """A dialog about one case, which it names first."""

    def __init__(self, case: CaseView) -> None:
        super().__init__()
        self.case = case

    def what(self) -> Static:
        """The case the dialog is about, on its first line."""
        case = self.case
        return Static(f"Case {case.id} · {case.customer}: {case.title} · {case.severity}, level {case.level}", id="case-what")


def said_after(said: str, after: CaseView) -> str:
    """What a step's toast says: the step, the case's next deadline now, and the undo hint."""
    return f"{said} ({after.customer}): {urgency(after).said}. {keymap.undo_hint().capitalize()}."


@dataclass(frozen=True)
class Escalation:
    """What the escalate dialog says."""

    level: int
    note: str


class EscalateDialog(CaseDialog):
    """Escalate a case to level 2 or 3 (L1, L8: straight to 3 meets level 2 too)."""

    TITLE_TEXT = "Escalate case"
    SUBMIT_LABEL = "Escalate"

    def fields(self) -> ComposeResult:
        yield self.what()
        yield from field(
            "Level",
            Select([("Level 2", 2), ("Level 3", 3)], value=min(self.case.level + 1, 3), allow_blank=False, id="level",
                   compact=True),
            "Escalating straight to level 3 meets level 2's deadline too (L8).",
        )
        yield from field("Note", TextField(placeholder="to whom, why (optional)", id="note", compact=True))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#level", Select))

    def read_form(self) -> Escalation:
        return Escalation(int(self.query_one("#level", Select).value), self.query_one("#note", Input).value)  # type: ignore[arg-type]

    def attempt(self, form: Escalation, confirmed: bool) -> str:
        after = case_events.escalate(self.desk, self.case.id, form.level, form.note)
        return said_after(f"Escalated case {after.id} to level {form.level}", after)


class SeverityDialog(CaseDialog):
    """Give a case another severity: the new targets apply to every deadline not yet met (L9)."""

    TITLE_TEXT = "Change severity"
    SUBMIT_LABEL = "Change"

    def fields(self) -> ComposeResult:
        others = [s for s in SEVERITIES if s != self.case.severity]
        yield self.what()
        yield from field(
            "Severity",
            Select([(s.capitalize(), s) for s in SEVERITIES], value=others[0], allow_blank=False, id="severity",
                   compact=True),
            "Its targets (L1) apply to every deadline not yet met, each from its own start (L9).",
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#severity", Select))

    def read_form(self) -> str:
        return str(self.query_one("#severity", Select).value)

    def attempt(self, form: str, confirmed: bool) -> str:
        after = case_events.change_severity(self.desk, self.case.id, form)
        return said_after(f"Made case {after.id} {form}", after)
