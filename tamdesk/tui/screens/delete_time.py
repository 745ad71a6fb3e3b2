"""Delete a time entry, after saying which one; a week that has ended asks once more (B5)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Button, Static

from tamdesk.domain.durations import describe
from tamdesk.services.timelog import delete_time
from tamdesk.services.views import TimeEntryView
from tamdesk.tui.screens.form import FormDialog


class DeleteTimeDialog(FormDialog):
    """Which entry goes, and two answers: delete it (ctrl+s) or close (esc, the default)."""

    TITLE_TEXT = "Delete time entry"
    SUBMIT_LABEL = "Delete"
    CONFIRM_LABEL = "Delete anyway"

    def __init__(self, entry: TimeEntryView) -> None:
        super().__init__()
        self.entry = entry

    def fields(self) -> ComposeResult:
        entry = self.entry
        note = f" · {entry.note}" if entry.note else ""
        yield Static(
            f"{describe(entry.minutes)} for {entry.customer} on {entry.work_date:%a %d %b %Y}{note}",
            id="delete-what",
        )
        yield Static("Its history keeps what it was (B5).", classes="hint")

    def on_mount(self) -> None:
        # Enter on the focused button closes: deleting takes the dialog's own key or a click.
        self.query_one("#close", Button).focus()

    def attempt(self, form: object, confirmed: bool) -> str:
        entry = delete_time(self.desk, self.entry.id, force=confirmed)
        return f"Deleted {describe(entry.minutes)} for {entry.customer} on {entry.work_date:%a %d %b}."
