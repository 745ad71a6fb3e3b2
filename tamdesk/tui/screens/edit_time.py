"""Correct a time entry: the log-time dialog, filled with the entry, saving through ``edit_time`` (B5)."""

from __future__ import annotations

from textual.app import ComposeResult

from tamdesk.domain.durations import describe
from tamdesk.services.timelog import edit_time
from tamdesk.services.views import TimeEntryView
from tamdesk.tui.screens.log_time import LogTimeDialog, TimeForm


class EditTimeDialog(LogTimeDialog):
    """The entry's customer, day, hours, activity and note, as they are, to change (B2, B5)."""

    TITLE_TEXT = "Edit time entry"
    SUBMIT_LABEL = "Save"
    CONFIRM_LABEL = "Save anyway"
    WITH_CASE = False

    def __init__(self, entry: TimeEntryView) -> None:
        super().__init__(entry.customer)
        self.entry = entry

    def fields(self) -> ComposeResult:
        entry = self.entry
        yield from self.customer_field()
        # The hours as the entry holds them, in a form the one reading takes back unchanged ("1:30").
        hours = f"{entry.minutes // 60}:{entry.minutes % 60:02d}"
        yield from self.time_fields(
            day=f"{entry.work_date:%Y-%m-%d}", hours=hours, activity=entry.activity or "", note=entry.note or ""
        )

    def attempt(self, form: TimeForm, confirmed: bool) -> str:
        # An emptied note or activity clears it, as the CLI's --note "" does.
        entry = edit_time(
            self.desk, self.entry.id, hours=form.hours, on=form.on, customer_ref=form.customer,
            note=form.note or "", activity=form.activity or "", force=confirmed,
        )
        over = " (over budget, B2)" if entry.over_budget else ""
        return f"Time entry {entry.id} now {describe(entry.minutes)} for {entry.customer} on {entry.work_date:%a %d %b}{over}."
