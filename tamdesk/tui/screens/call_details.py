"""One call and every step of its life (S2)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static
from textual.worker import Worker, WorkerState

from tamdesk.domain.humanize import relative
from tamdesk.services.calls import call_history
from tamdesk.services.views import CallEventView, CallView
from tamdesk.tui import keymap
from tamdesk.tui.formatting import city, span, state_text
from tamdesk.tui.widgets.static_text import show_text


class CallDetailsScreen(ModalScreen[None]):
    """The call's times on both sides, its marks, agenda, contacts and history."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.CALL_DETAILS)

    def __init__(self, call: CallView) -> None:
        super().__init__()
        self.call = call

    def compose(self) -> ComposeResult:
        call = self.call
        tz = ZoneInfo(call.tz)
        with VerticalScroll(classes="dialog", id="details"):
            yield Label(f"{call.title} with {call.customer}", classes="dialog-title")
            text = Text()
            text.append(f"{call.start.astimezone(tz):%A %d %B %Y} {span(call.start, call.end, tz)} {city(call.tz)}\n")
            text.append("State: ").append_text(state_text(call)).append("\n")
            if call.exception:
                text.append(f"Exception: {call.exception}\n")
            text.append(f"Plan: {call.plan} · call {call.id} · revision {call.sequence}\n")
            text.append(f"Agenda: {call.agenda or '(none)'}\n")
            text.append(f"Contacts: {', '.join(call.contacts) or '(none)'}\n")
            yield Static(text)
            yield Label("History (S2)", classes="panel-title")
            yield Static("Reading…", id="history")

    def on_mount(self) -> None:
        desk, call_id, tz = self.app.desk, self.call.id, ZoneInfo(self.call.tz)  # type: ignore[attr-defined]
        # Written in the worker: the ages in words may cost arrow's import.
        self.run_worker(
            lambda: history_text(call_history(desk, call_id), tz, desk.now()), thread=True, group="history", exit_on_error=False
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "history" and event.state == WorkerState.SUCCESS:
            event.stop()
            show_text(self.query_one("#history", Static), event.worker.result)


def history_text(events: list[CallEventView], tz: ZoneInfo, now: datetime) -> Text:
    """One line per event: when (and how long ago, by the desk's clock ``now``), what, by whom, from and to."""
    text = Text()
    for event in events:
        # an undone step is kept in the history (see services.undo): "moved (undone)"
        action = event.action.replace("-undone", " (undone)")
        text.append(f"{event.at.astimezone(tz):%Y-%m-%d %H:%M}  {action:<17}")
        if event.by:
            text.append(f" by {'the TAM' if event.by == 'tam' else 'the customer'}")
        if event.action.startswith("moved") and event.from_start and event.to_start:
            text.append(f" from {event.from_start.astimezone(tz):%a %d %b %H:%M} to {event.to_start.astimezone(tz):%a %d %b %H:%M}")
        text.append(f"  · {relative(event.at, now)}\n", style="dim")
    return text
