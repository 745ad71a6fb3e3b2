"""Resolve a case with a note saying what fixed it (L12); Escape leaves the case open.

Beside the note, the knowledge base's closest past resolutions: for the case's
title as the dialog opens, then for what is typed, as it is typed (each search
in a worker; only the newest query's hits are shown, so typing never waits).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static
from textual.worker import Worker

from tamdesk.services.cases import resolve_case
from tamdesk.services.knowledge import fts_query
from tamdesk.services.views import CaseView
from tamdesk.tui import keymap
from tamdesk.tui.screens.case_steps import CaseDialog
from tamdesk.tui.screens.form import field
from tamdesk.tui.screens.knowledge import ClosestResolutions, SearchWorkers, hits_text
from tamdesk.tui.widgets.static_text import show_text
from tamdesk.tui.widgets.text_field import TextField


class ResolveCaseDialog(ClosestResolutions, CaseDialog):
    """The case, and its resolution note: Enter resolves it, Escape changes nothing."""

    TITLE_TEXT = "Resolve case"
    SUBMIT_LABEL = "Resolve"

    def __init__(self, case: CaseView) -> None:
        super().__init__(case)
        self.searches = SearchWorkers()

    def fields(self) -> ComposeResult:
        case = self.case
        yield Static(f"Case {case.id} · {case.customer}: {case.title}", id="resolve-what")
        # Side by side on a wide terminal (150+ columns), the hits under the note on a narrower one (desk.tcss).
        with Horizontal(id="resolve-body"):
            with Vertical(id="resolve-note"):
                yield from field(
                    "Resolution", TextField(placeholder="what fixed it (optional)", id="note", compact=True),
                    "Kept with the case and shown in 'tamdesk case list'. Enter resolves, Escape leaves it open.",
                )
            yield Static(Text("Reading the closest past resolutions…", style="dim"), id="resolve-hits")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#note", Input))
        self.look_up(self.case.title, self.case.id)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "note":
            self.look_up(event.value if fts_query(event.value) is not None else self.case.title, self.case.id)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        hits = self.arrived(event)
        if hits is None:
            return
        which = "the title" if self.searched_for == self.case.title else "what you typed"
        shown = Text(f"Closest past resolutions to {which} (L12):\n", style="bold")
        shown.append_text(hits_text(hits, "none found."))
        show_text(self.query_one("#resolve-hits", Static), shown)

    def read_form(self) -> str:
        return self.query_one("#note", Input).value

    def attempt(self, form: str, confirmed: bool) -> str:
        change = resolve_case(self.desk, self.case.id, form)
        said = f"Resolved case {change.case.id} ({change.case.customer})."
        if change.promoted:
            said += f" Case {change.promoted.id} ({change.promoted.customer}) left the queue and is open now."
        return f"{said} {keymap.undo_hint().capitalize()}."
