"""Every key of the desk, screen by screen, read from the keymap the screens bind from (imports no screen)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tamdesk.tui import keymap


def binding_groups() -> list[tuple[str, list[Binding]]]:
    """(group title, bindings) for the desk, each screen and the dialogs, from the keymap."""
    return [(section.title, [key.binding() for key in section.keys]) for section in keymap.HELP]


def help_table() -> Table:
    """The bindings as a table: key, what it does, more."""
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("Key", style="bold cyan", no_wrap=True)
    table.add_column("Does")
    table.add_column("", style="dim")
    for title, bindings in binding_groups():
        table.add_row(f"[b]{title}[/b]", "", "")
        for binding in bindings:
            table.add_row(binding.key_display or binding.key, binding.description, binding.tooltip)
        table.add_row("", "", "")
    table.add_row("mouse", "click a tab, a row or a button", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Every binding of every screen."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.HELP_SCREEN)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Label("Keys of the desk", classes="dialog-title")
            yield Static(help_table(), id="help-table")
