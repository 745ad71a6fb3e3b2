"""Move a call: a new date and time in the customer's zone, and who asked for the move."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.widgets import Input, RadioSet

from tamdesk.domain.calls import Who
from tamdesk.services.calls import move_call
from tamdesk.tui.formatting import city
from tamdesk.tui.screens.call_form import CallFormDialog, read_who, who_field
from tamdesk.tui.screens.form import field
from tamdesk.tui.widgets.text_field import TextField


@dataclass(frozen=True)
class MoveForm:
    """What the move dialog says."""

    start: str
    by: Who


class MoveCallDialog(CallFormDialog):
    """Move a call to another time (S5, S6, S7)."""

    TITLE_TEXT = "Move a call"
    SUBMIT_LABEL = "Move"
    CONFIRM_LABEL = "Move anyway"

    def fields(self) -> ComposeResult:
        tz = ZoneInfo(self.call.tz)
        local = self.call.start.astimezone(tz)
        yield self.call_hint("now ")
        yield from field(f"New date ({city(self.call.tz)})", TextField(f"{local:%Y-%m-%d}", id="date", compact=True))
        yield from field(f"New time ({city(self.call.tz)})", TextField(f"{local:%H:%M}", id="time", compact=True))
        yield from field("Who asked for the move?", who_field(),
                         "The customer: the session stays in its month (S5). You: it may go into the next month (S6).")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#date", Input))  # at once: the keys typed as the dialog opened come next

    def read_form(self) -> MoveForm:
        clock = self.query_one("#time", Input).value.strip()
        return MoveForm(f"{self.typed_date('#date')} {clock}", read_who(self.query_one(RadioSet)))

    def attempt(self, form: MoveForm, confirmed: bool) -> str:
        change = move_call(self.desk, self.call.id, form.start, by=form.by, force=confirmed)
        return f"Call {change.call.id} with {change.call.customer} {change.note}."
