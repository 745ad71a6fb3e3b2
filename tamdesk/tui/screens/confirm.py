"""Asking before a rule's exception goes through: over budget, out of hours, queue a case."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from tamdesk.domain.errors import Refusal
from tamdesk.tui import keymap


class ConfirmScreen(ModalScreen[bool]):
    """The rule's own words, and two answers: go ahead (kept on record) or go back."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.CONFIRM)

    def __init__(self, asked: Refusal, yes_label: str) -> None:
        super().__init__()
        self.asked = asked
        self.yes_label = yes_label

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Label(f"Rule {self.asked.rule} asks first", classes="dialog-title")
            yield Static(self.asked.reason, id="confirm-reason")
            if self.asked.instead:
                yield Static(self.asked.instead, id="confirm-instead", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes_label} (y)", variant="warning", id="yes")
                yield Button("Go back (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")
