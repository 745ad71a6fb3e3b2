"""The shape of every dialog that changes the desk: fields, a rule's answer, confirmation.

A dialog reads its fields on the UI thread (``read_form``), runs the use-case
in a worker (``attempt``), and then:

* on success closes with a sentence saying what changed;
* on a refusal shows the rule's own message under the fields and keeps every
  field as typed;
* on a rule that asks first (``NeedsConfirmation``, or a refusal the dialog
  offers an alternative for) asks, and on yes runs again confirmed, so the
  record keeps the exception.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker, WorkerState

from tamdesk.domain.errors import NeedsConfirmation, Refusal, TamdeskError
from tamdesk.domain.humanize import read_date
from tamdesk.services.customers import list_customers
from tamdesk.services.desk import Desk
from tamdesk.services.views import CustomerView
from tamdesk.tui import keymap
from tamdesk.tui.screens.confirm import ConfirmScreen
from tamdesk.tui.widgets.customer_picker import CustomerPicker
from tamdesk.tui.widgets.key_footer import KeyFooter


class FormDialog(ModalScreen[str | None]):
    """A dialog with fields that runs one use-case; closes with what changed, or ``None``."""

    TITLE_TEXT: ClassVar[str] = ""
    SUBMIT_LABEL: ClassVar[str] = "Save"
    CONFIRM_LABEL: ClassVar[str] = "Confirm anyway"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.DIALOG)

    @property
    def desk(self) -> Desk:
        """The desk the app was opened on."""
        return self.app.desk  # type: ignore[attr-defined,no-any-return]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="form"):
            yield Label(self.TITLE_TEXT, classes="dialog-title")
            yield from self.fields()
            # Docked at the dialog's foot: the rule's answer and the buttons stay in view while the fields scroll (80x24).
            with Vertical(classes="dialog-foot"):
                yield Static("", id="error")
                with Horizontal(classes="buttons"):
                    yield Button(f"{self.SUBMIT_LABEL} (ctrl+s)", variant="primary", id="submit", compact=True)
                    yield Button("Close (esc)", id="close", compact=True)
        yield KeyFooter(compact=True)

    def fields(self) -> ComposeResult:
        """The dialog's own fields."""
        yield from ()

    def read_form(self) -> Any:
        """What the fields say, checked for form (UI thread); raise ``BadInput`` if unreadable."""
        return None

    @property
    def today(self) -> date:
        """The TAM's date by the desk's clock: what a relative date such as "in 2 days" counts from."""
        return self.app.today  # type: ignore[attr-defined,no-any-return]

    def typed_date(self, selector: str) -> date:
        """The date typed in the Input at ``selector``: ISO or relative to today (one reader, as the CLI's)."""
        return read_date(self.query_one(selector, Input).value, self.today)

    def attempt(self, form: Any, confirmed: bool) -> str:
        """Run the use-case (worker thread); return what changed, in a sentence."""
        raise NotImplementedError

    def alternative(self, refusal: Refusal) -> str | None:
        """The confirm button's label when ``refusal`` can be overridden; ``None`` when it cannot."""
        return self.CONFIRM_LABEL if isinstance(refusal, NeedsConfirmation) else None

    # -- flow ------------------------------------------------------------------------

    def action_submit(self, confirmed: bool = False) -> None:
        """Check the fields and run the use-case."""
        try:
            form = self.read_form()
        except TamdeskError as error:
            self.show_error(error)
            return
        self.query_one("#error", Static).update("Saving…")
        self.run_worker(
            lambda: self.attempt(form, confirmed), thread=True, exclusive=True, group="submit", exit_on_error=False
        )

    def action_close(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        elif event.button.id == "close":
            self.action_close()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def show_error(self, error: TamdeskError | str) -> None:
        """The rule's (or the parser's) message under the fields; the fields stay as typed."""
        text = error.message if isinstance(error, TamdeskError) else error
        self.query_one("#error", Static).update(f"✗ {text}")
        self.query_one("#error", Static).add_class("refused")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Textual calls this for each class of the dialog's MRO: subclasses handle
        # their own worker groups and never call it again through super().
        worker = event.worker
        if worker.group != "submit" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        event.stop()
        if event.state == WorkerState.SUCCESS:
            self.dismiss(worker.result)
            return
        error = worker.error
        if not isinstance(error, TamdeskError):
            self.show_error(f"unexpected error, nothing was saved: {type(error).__name__}: {error}")
            return
        self.show_error(error)
        label = self.alternative(error) if isinstance(error, Refusal) else None
        if label is not None:
            assert isinstance(error, Refusal)
            self.app.push_screen(ConfirmScreen(error, label), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if yes:
            self.action_submit(confirmed=True)



class PickCustomerDialog(FormDialog):
    """A dialog whose first field picks a customer; the customer in view starts filled in."""

    def __init__(self, customer: str | None = None) -> None:
        super().__init__()
        self.start_customer = customer
        self.customers: dict[str, CustomerView] = {}

    def customer_field(self) -> ComposeResult:
        """The type-ahead customer field."""
        yield from field("Customer", CustomerPicker(value=self.start_customer, id="customer", compact=True))

    def on_mount(self) -> None:
        # Focus the picker (a filled one is selected whole, so typing replaces it) and read the customers.
        # At once, not later as ``focus()`` does: the keys typed as the dialog opened come next.
        self.set_focus(self.query_one(CustomerPicker))
        desk = self.desk
        self.run_worker(lambda: list_customers(desk), thread=True, group="customers", exit_on_error=False)

    def customers_loaded(self) -> None:
        """Called once the picker knows the customers."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "customers" and event.state == WorkerState.SUCCESS:
            event.stop()
            self.customers = {c.name: c for c in event.worker.result}
            self.query_one(CustomerPicker).set_names(list(self.customers))
            self.customers_loaded()

def field(label: str, widget: Any, hint: str = "") -> ComposeResult:
    """A field on one line, its label on the left, with an optional hint line under it."""
    yield Horizontal(Label(label, classes="field-label"), widget, classes="field")
    if hint:
        yield Static(hint, classes="hint field-hint")
