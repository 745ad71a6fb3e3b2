"""Cancel a call: who cancelled it, and what becomes of its unit, said before and after."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import RadioSet, Static
from textual.worker import Worker, WorkerState

from tamdesk.domain.calls import Who
from tamdesk.services.calls import cancel_call, cancellation_preview
from tamdesk.tui.screens.call_form import CallFormDialog, read_who, who_field
from tamdesk.tui.screens.form import field
from tamdesk.tui.widgets.static_text import show_text


class CancelCallDialog(CallFormDialog):
    """Cancel a call, saying who cancelled (S5, S6, S7)."""

    TITLE_TEXT = "Cancel a call"
    SUBMIT_LABEL = "Cancel the call"

    def fields(self) -> ComposeResult:
        yield self.call_hint()
        yield from field("Who cancelled?", who_field())
        yield Static("Choose who cancelled to see what becomes of the session's unit.", id="effect", classes="hint")

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        by: Who = read_who(event.radio_set)
        desk, call_id = self.desk, self.call.id
        self.run_worker(lambda: cancellation_preview(desk, call_id, by), thread=True, exclusive=True,
                        group="effect", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "effect" and event.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            event.stop()
            said = worker.result if event.state == WorkerState.SUCCESS else getattr(worker.error, "message", str(worker.error))
            show_text(self.query_one("#effect", Static), Text(f"→ {said}", style="bold"))

    def read_form(self) -> Who:
        return read_who(self.query_one(RadioSet))

    def attempt(self, form: Who, confirmed: bool) -> str:
        change = cancel_call(self.desk, self.call.id, by=form)
        who = "the customer" if form == "customer" else "you"
        return f"Call {change.call.id} with {change.call.customer} cancelled by {who}. {change.note}"
