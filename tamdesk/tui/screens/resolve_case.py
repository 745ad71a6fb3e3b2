"""Resolve a case with a note saying what fixed it (L12); Escape leaves the case open."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Static

from tamdesk.services.cases import resolve_case
from tamdesk.services.views import CaseView
from tamdesk.tui import keymap
from tamdesk.tui.screens.form import FormDialog, field


class ResolveCaseDialog(FormDialog):
    """The case, and its resolution note: Enter resolves it, Escape changes nothing."""

    TITLE_TEXT = "Resolve case"
    SUBMIT_LABEL = "Resolve"

    def __init__(self, case: CaseView) -> None:
        super().__init__()
        self.case = case

    def fields(self) -> ComposeResult:
        case = self.case
        yield Static(f"Case {case.id} · {case.customer}: {case.title}", id="resolve-what")
        yield from field(
            "Resolution", Input(placeholder="what fixed it (optional)", id="note", compact=True),
            "Kept with the case and shown in 'tamdesk case list'. Enter resolves, Escape leaves it open.",
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#note", Input))

    def read_form(self) -> str:
        return self.query_one("#note", Input).value

    def attempt(self, form: str, confirmed: bool) -> str:
        change = resolve_case(self.desk, self.case.id, form)
        said = f"Resolved case {change.case.id} ({change.case.customer})."
        if change.promoted:
            said += f" Case {change.promoted.id} ({change.promoted.customer}) left the queue and is open now."
        return f"{said} {keymap.undo_hint().capitalize()}."
