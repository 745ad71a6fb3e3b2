"""What the dialogs about one call share: the call named at the top, and who asked."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual.widgets import RadioButton, RadioSet, Static

from tamdesk.domain.calls import Who
from tamdesk.domain.errors import BadInput
from tamdesk.services.views import CallView
from tamdesk.tui.formatting import city
from tamdesk.tui.screens.form import FormDialog


def read_who(radios: RadioSet) -> Who:
    """Who the radio set says acted: the customer or the TAM."""
    pressed = radios.pressed_button
    if pressed is None:
        raise BadInput("say who asked for it: the customer or you (the TAM)")
    return "customer" if pressed.id == "by-customer" else "tam"


def who_field() -> RadioSet:
    """Customer or TAM, nothing chosen: the user says which."""
    return RadioSet(
        RadioButton("The customer", id="by-customer"), RadioButton("Me (the TAM)", id="by-tam"), id="by", compact=True
    )


class CallFormDialog(FormDialog):
    """A dialog that changes one call."""

    def __init__(self, call: CallView) -> None:
        super().__init__()
        self.call = call

    def call_hint(self, before_time: str = "") -> Static:
        """The call in one line, at its time in the customer's zone."""
        call = self.call
        local = call.start.astimezone(ZoneInfo(call.tz))
        return Static(f"{call.title} with {call.customer}, {before_time}{local:%a %d %b %H:%M} {city(call.tz)}", classes="hint")
