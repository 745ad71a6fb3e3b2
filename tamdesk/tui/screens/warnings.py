"""Every warning the desk has, in one list that scrolls: the Week's side panel shows only the first few."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tamdesk.domain.obligations import Warning
from tamdesk.tui import keymap
from tamdesk.tui.formatting import warnings_count, warnings_text
from tamdesk.tui.widgets.key_footer import KeyFooter


class WarningsList(VerticalScroll):
    """The list: ``end`` goes to the last warning even when it arrives before the list is laid out."""

    def action_scroll_end(self) -> None:
        """To the last warning, anchored there until a scroll moves it.

        ``end`` typed with the ``w`` that opens the list can arrive before its lines
        are measured, when there is nothing to scroll yet: Textual then skips the
        key. Anchored, the list is kept at its end as its lines arrive.
        """
        self.anchor()


class WarningsScreen(ModalScreen[None]):
    """The warnings the Week read, each with its rule: the same list as ``tamdesk warnings``."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.WARNINGS_SCREEN)
    AUTO_FOCUS = "#all-warnings"  # the list, so ↑ ↓ and page keys scroll it at once

    def __init__(self, found: list[Warning]) -> None:
        super().__init__()
        self.found = found

    def compose(self) -> ComposeResult:
        with WarningsList(classes="dialog", id="all-warnings"):
            yield Label(warnings_count(self.found), classes="dialog-title")
            yield Static(warnings_text(self.found), id="warnings-list")
        yield KeyFooter(compact=True)
