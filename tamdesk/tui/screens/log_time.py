"""Log time for a customer: a day of the TAM's calendar, hours, and what it was for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.widgets import Input

from tamdesk.domain.errors import BadInput
from tamdesk.services.timelog import log_time
from tamdesk.tui.screens.form import PickCustomerDialog, field
from tamdesk.tui.widgets.customer_picker import CustomerPicker


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
    """Log time spent for a customer (B1); over the weekly cap it asks first (B2)."""

    TITLE_TEXT = "Log time"
    SUBMIT_LABEL = "Log"
    CONFIRM_LABEL = "Log anyway"

    def fields(self) -> ComposeResult:
        yield from self.customer_field()
        yield from field("Day (your calendar)", Input(f"{self.today:%Y-%m-%d}", placeholder="YYYY-MM-DD or 2 days ago", id="day", compact=True))
        yield from field("Hours", Input(placeholder="1.5", id="hours", type="number", compact=True))
        yield from field("Case id (optional)", Input(id="case", type="integer", compact=True))
        yield from field("Activity (optional)", Input(placeholder="service-review, customer-intelligence, roadmap", id="activity", compact=True),
                         "An obligation's kind marks it met for its period (P3).")
        yield from field("Note (optional)", Input(id="note", compact=True))

    def read_form(self) -> TimeForm:
        case = self.query_one("#case", Input).value.strip()
        hours = self.query_one("#hours", Input).value.strip()
        if not hours:
            raise BadInput("type the hours spent, such as 1.5")
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
        return f"Logged {entry.minutes / 60:g} h for {entry.customer} on {entry.work_date:%a %d %b}{over}."
