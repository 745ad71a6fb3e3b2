"""Log time for a customer: a day of the TAM's calendar, hours, and what it was for.

The hours field keeps exactly what was typed and says under it, as the user
types, what it will be read as ("1,5 → 1 h 30 min"): the one reading of B5
that the command line uses too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.widgets import Input, Static

from tamdesk.domain.durations import EXAMPLES, describe, reading
from tamdesk.domain.errors import BadInput
from tamdesk.services.timelog import log_time
from tamdesk.tui.screens.form import PickCustomerDialog, field
from tamdesk.tui.widgets.customer_picker import CustomerPicker
from tamdesk.tui.widgets.static_text import show_text
from tamdesk.tui.widgets.text_field import TextField


@dataclass(frozen=True)
class TimeForm:
    """What the log-time dialog says."""

    customer: str
    on: date
    hours: str
    case_id: int | None
    activity: str | None
    note: str | None


class LogTimeDialog(PickCustomerDialog):
    """Log time spent for a customer (B1, B5); over the weekly cap it asks first (B2)."""

    TITLE_TEXT = "Log time"
    SUBMIT_LABEL = "Log"
    CONFIRM_LABEL = "Log anyway"
    #: Whether the dialog has a case field (a correction keeps the entry's case).
    WITH_CASE = True

    def fields(self) -> ComposeResult:
        yield from self.customer_field()
        yield from self.time_fields(day=f"{self.today:%Y-%m-%d}")

    def time_fields(self, *, day: str, hours: str = "", activity: str = "", note: str = "") -> ComposeResult:
        """The day, hours, (case), activity and note fields, filled with what is given."""
        yield from field("Day (your calendar)", TextField(day, placeholder="YYYY-MM-DD or 2 days ago", id="day", compact=True))
        yield from field("Hours", TextField(hours, placeholder="1.5, 1:30 or 90m", id="hours", compact=True))
        yield Static(reading(hours), id="hours-reading", classes="hint field-hint")
        if self.WITH_CASE:
            yield from field("Case id (optional)", TextField(id="case", type="integer", compact=True))
        yield from field("Activity (optional)", TextField(activity, placeholder="service-review, customer-intelligence, roadmap", id="activity", compact=True),
                         "An obligation's kind marks it met for its period (P3).")
        yield from field("Note (optional)", TextField(note, id="note", compact=True))

    def on_input_changed(self, event: Input.Changed) -> None:
        # Say what the hours will be read as while they are typed, before anything is saved (B5).
        if event.input.id == "hours":
            show_text(self.query_one("#hours-reading", Static), reading(event.value))

    def read_form(self) -> TimeForm:
        case = self.query_one("#case", Input).value.strip() if self.WITH_CASE else ""
        hours = self.query_one("#hours", Input).value.strip()
        if not hours:
            raise BadInput(f"type the hours spent: {EXAMPLES}")
        return TimeForm(
            customer=self.query_one(CustomerPicker).chosen(),
            on=self.typed_date("#day"),
            hours=hours,
            case_id=int(case) if case else None,
            activity=self.query_one("#activity", Input).value.strip() or None,
            note=self.query_one("#note", Input).value.strip() or None,
        )

    def attempt(self, form: TimeForm, confirmed: bool) -> str:
        entry = log_time(
            self.desk, form.customer, form.hours, on=form.on, case_id=form.case_id,
            note=form.note, activity=form.activity, force=confirmed,
        )
        over = " (over budget, B2)" if entry.over_budget else ""
        return f"Logged {describe(entry.minutes)} for {entry.customer} on {entry.work_date:%a %d %b}{over}."
