"""Every key of the desk, screen by screen, built from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


def binding_groups() -> list[tuple[str, list[Binding]]]:
    """(group title, bindings) for the desk, each screen and the dialogs."""
    # Imported here: the app imports this screen, and the other screens only when first shown.
    from tamdesk.tui.app import DeskApp
    from tamdesk.tui.screens.allowances import AllowancesScreen
    from tamdesk.tui.screens.caseload import CaseloadScreen
    from tamdesk.tui.screens.confirm import ConfirmScreen
    from tamdesk.tui.screens.customers import CustomersScreen
    from tamdesk.tui.screens.form import FormDialog
    from tamdesk.tui.screens.time import TimeScreen
    from tamdesk.tui.screens.week import WeekScreen

    groups: list[tuple[str, list[BindingType]]] = [
        ("Everywhere", DeskApp.BINDINGS + [Binding("ctrl+p", "command_palette", "Command palette: every action by name")]),
        ("Week", WeekScreen.BINDINGS),
        ("Caseload", CaseloadScreen.BINDINGS),
        ("Customers", CustomersScreen.BINDINGS),
        ("Allowances", AllowancesScreen.BINDINGS),
        ("Time", TimeScreen.BINDINGS),
        ("Dialogs", FormDialog.BINDINGS),
        ("When a rule asks first", ConfirmScreen.BINDINGS),
    ]
    return [(title, [b for b in bindings if isinstance(b, Binding)]) for title, bindings in groups]


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

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="help.close", tooltip="Back to the desk"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Label("Keys of the desk", classes="dialog-title")
            yield Static(help_table(), id="help-table")
