"""The knowledge base (L12): past resolutions and problem solutions found by their words as they are typed.

Opened with ``k`` or from the command palette ("Knowledge base"). Each
search runs in a worker; only the newest query's hits are shown, so typing
never waits for a search.
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState

from tamdesk.services.desk import Desk
from tamdesk.services.knowledge import Hit, closest_resolutions, fts_query, search
from tamdesk.tui import keymap
from tamdesk.tui.widgets.key_footer import KeyFooter
from tamdesk.tui.widgets.static_text import show_text
from tamdesk.tui.widgets.text_field import TextField

#: How many hits the dialog lists.
LIMIT = 8


def hit_text(hit: Hit) -> Text:
    """One hit on two lines: kind and id, customer, title; then the snippet, its matching words in bold."""
    text = Text(f"{hit.kind} {hit.id}", style="bold")
    text.append(f" · {hit.customer or '(every customer)'} · ")
    text.append(hit.title, style="bold")
    text.append("\n    ")
    text.append_text(snippet_text(hit.snippet))
    return text


def snippet_text(snippet: str) -> Text:
    """FTS5's snippet with its matching words (in [brackets], ``knowledge.SNIPPET``) shown bold, brackets left out."""
    text = Text()
    for number, part in enumerate(re.split(r"\[([^\[\]]*)\]", snippet)):
        text.append(part, style="bold underline" if number % 2 else "")
    return text


def hits_text(hits: list[Hit], empty: str) -> Text:
    """The hits, one after another, or ``empty`` when there are none."""
    if not hits:
        return Text(empty, style="dim")
    return Text("\n").join(hit_text(h) for h in hits)


class SearchWorkers:
    """Searches run in workers as the TAM types; only the newest one's result is shown."""

    def __init__(self) -> None:
        self.asked = 0  # the number of the newest search asked for

    def next_name(self) -> str:
        self.asked += 1
        return f"search {self.asked}"

    def is_newest(self, worker: Worker[object]) -> bool:
        return worker.name == f"search {self.asked}"


class ClosestResolutions:
    """What a dialog mixes in to show the closest past resolutions to some words as they change (L12).

    ``look_up`` searches in a worker; ``arrived`` picks the newest search's hits
    out of the dialog's worker events (None for any other event or an older search).
    """

    searches: SearchWorkers
    searched_for: str = ""  # what the hits shown (or on their way) were searched for

    def look_up(self, words: str, leave_out: int = 0) -> None:
        """Search the closest past resolutions to ``words`` in a worker; a newer search makes this one's hits moot."""
        if words == self.searched_for:
            return
        self.searched_for = words
        desk, name = self.desk, self.searches.next_name()  # type: ignore[attr-defined]
        self.run_worker(  # type: ignore[attr-defined]
            lambda: closest_resolutions(desk, words, leave_out=leave_out), name=name, thread=True, group="kb",
            exit_on_error=False,
        )

    def arrived(self, event: Worker.StateChanged) -> list[Hit] | None:
        """The hits of the newest search, when ``event`` brings them; None otherwise."""
        worker = event.worker
        if worker.group != "kb" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return None
        event.stop()
        if not self.searches.is_newest(worker) or event.state != WorkerState.SUCCESS:
            return None
        return worker.result  # type: ignore[return-value]


class KnowledgeDialog(ModalScreen[None]):
    """A search field and the hits under it: kind, customer, title, snippet."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.KNOWLEDGE)

    def __init__(self) -> None:
        super().__init__()
        self.searches = SearchWorkers()

    @property
    def desk(self) -> Desk:
        return self.app.desk  # type: ignore[attr-defined,no-any-return]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="knowledge"):
            yield Label("Knowledge base", classes="dialog-title")
            yield TextField(placeholder="words of a title, a resolution or a solution", id="kb-query", compact=True)
            yield Static(Text("Type a word: past resolutions and problem solutions that hold it show here, best first.",
                              style="dim"), id="kb-hits")
        yield KeyFooter(compact=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        typed = event.value
        name = self.searches.next_name()
        if fts_query(typed) is None:
            show_text(self.query_one("#kb-hits", Static), Text("Type a word.", style="dim"))
            return
        desk = self.desk
        self.run_worker(lambda: search(desk, typed, LIMIT), name=name, thread=True, group="kb", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "kb" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        event.stop()
        if not self.searches.is_newest(worker):
            return  # an older query: a newer one is on its way
        if event.state == WorkerState.SUCCESS:
            show_text(self.query_one("#kb-hits", Static), hits_text(worker.result, "Nothing found."))
        else:
            show_text(self.query_one("#kb-hits", Static), Text(f"✗ {worker.error}", style="red"))
