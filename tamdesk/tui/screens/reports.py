"""The Reports screen (issue 18): a customer and a period, the status report's Markdown as a preview, then a file.

Opened with ``P`` from every screen (or "Reports" in the palette), with the
customer in view filled in. Empty dates are the customer's month so far in
their zone, as ``tamdesk report customer`` reads them. The preview is read in
a worker each time the report the fields ask for changes (the customer they
name, a date, the notes switch), not at every key: typing on in a name that
already names the customer (``umb``, ``umbr``...) reads and lays out nothing
again, for laying the preview out is what a key would wait for. Only the
newest preview is shown, drawn by Rich as one text (Textual's Markdown widget
made a widget of every block and table cell, some 280, laid out again at each
preview). ``ctrl+s`` writes the Markdown and
``ctrl+o`` the HTML page to the file named (its suffix set to the format's),
through the same use-case as ``report customer -o``: atomically, never over
the database, a new file private when it holds notes. A refusal (no such
customer, ``To`` before ``From``, a file that cannot be written) shows under
the fields, which keep what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static
from textual.worker import Worker, WorkerState

from tamdesk.domain.errors import BadInput, TamdeskError
from tamdesk.domain.humanize import read_date
from tamdesk.services.customers import list_customers
from tamdesk.services.desk import Desk
from tamdesk.services.report_files import (
    CustomerFormat,
    customer_report_as,
    customer_report_text,
    documents_folder,
    report_file_name,
    with_format,
    write_report,
)
from tamdesk.tui import keymap
from tamdesk.tui.screens.form import field
from tamdesk.tui.screens.knowledge import SearchWorkers
from tamdesk.tui.widgets.customer_picker import CustomerPicker
from tamdesk.tui.widgets.key_footer import KeyFooter
from tamdesk.tui.widgets.static_text import show_text
from tamdesk.tui.widgets.text_field import TextField

#: What the format's button and the toast call it.
FORMATS: dict[CustomerFormat, str] = {"md": "Markdown", "html": "HTML page"}


@dataclass(frozen=True)
class ReportForm:
    """What the fields ask for: whose report, which days (None: the CLI's default), notes or not."""

    customer: str
    first: date | None
    last: date | None
    include_notes: bool


def shown_path(path: Path) -> str:
    """``path`` as the TAM would type it: under their home, with ``~``."""
    home = Path.home()
    return f"~/{path.relative_to(home)}" if path.is_relative_to(home) else str(path)


class ReportsScreen(ModalScreen[None]):
    """Pick a customer and a period, read the report, write it as Markdown or HTML."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.REPORTS)

    def __init__(self, customer: str | None = None) -> None:
        super().__init__()
        self.start_customer = customer
        self.previews = SearchWorkers()  # only the newest preview is shown
        self.asked: ReportForm | None = None  # the report of the newest preview asked for (None: none stands)
        self.shown: ReportForm | None = None  # the report the preview shows
        self.suggested = ""  # the file name the screen filled in; replaced as the report changes, unless edited
        self.markdown = ""  # the Markdown the preview shows

    @property
    def desk(self) -> Desk:
        return self.app.desk  # type: ignore[attr-defined,no-any-return]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="reports"):
            yield Label("Reports: a customer's status report", classes="dialog-title")
            yield from field("Customer", CustomerPicker(value=self.start_customer, id="customer", compact=True))
            with Horizontal(classes="field"):
                yield Label("From", classes="field-label")
                yield TextField(placeholder="the 1st of the month", id="first", compact=True)
                yield Label(" To ", id="to-label")
                yield TextField(placeholder="today", id="last", compact=True)
            yield Checkbox("Include internal notes (for you, not for the customer)", id="notes", compact=True)
            yield from field("File", TextField(id="path", compact=True))
            yield Static("", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Write Markdown (ctrl+s)", variant="primary", id="write-md", compact=True)
                yield Button("Write HTML (ctrl+o)", id="write-html", compact=True)
                yield Button("Close (esc)", id="close", compact=True)
            with VerticalScroll(id="report-preview"):
                yield Static(id="report-markdown")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        # At once, so the keys typed as the screen opened go into the customer field.
        self.set_focus(self.query_one(CustomerPicker))
        desk = self.desk
        self.run_worker(lambda: list_customers(desk), thread=True, group="customers", exit_on_error=False)

    # -- reading the fields -------------------------------------------------------

    def _typed_date(self, selector: str) -> date | None:
        text = self.query_one(selector, Input).value
        return read_date(text, self.app.today) if text.strip() else None  # type: ignore[attr-defined]

    def read_form(self) -> ReportForm:
        """What the fields say; ``BadInput`` saying why not (the fields stay as typed)."""
        return ReportForm(
            self.query_one(CustomerPicker).chosen(),
            self._typed_date("#first"),
            self._typed_date("#last"),
            self.query_one("#notes", Checkbox).value,
        )

    def _path(self, fmt: CustomerFormat) -> Path:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            raise BadInput("type a file name, such as ~/report.md")
        return with_format(Path(text), fmt)  # as typed: the refusals name it so; the write expands ~

    def show_error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        show_text(error, f"✗ {message}" if message else "")  # the same line again lays nothing out
        error.set_class(bool(message), "refused")

    # -- the preview ----------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id != "path":
            self.preview()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.preview()

    def preview(self) -> None:
        """Read and lay out the report the fields ask for, in a worker; say why not when they cannot be read.

        Nothing is read again when the fields still ask for the report shown or on its way.
        """
        try:
            form = self.read_form()
        except TamdeskError as error:
            self.previews.next_name()  # an older preview on its way is not shown
            self.asked = None
            self.show_error(error.message)
            return
        if form == self.asked:
            if form == self.shown:
                self.show_error("")  # as a preview read again would
            return
        name = self.previews.next_name()  # an older preview on its way is not shown
        self.asked = form
        desk = self.desk
        self.run_worker(lambda: _preview(desk, form), name=name, thread=True, group="preview", exit_on_error=False)

    def _previewed(self, markdown: str, name: str) -> None:
        self.show_error("")
        self.shown = self.asked
        if markdown != self.markdown:  # the same text is not laid out again (notes ticked where there are none)
            self.markdown = markdown
            self.query_one("#report-markdown", Static).update(Markdown(markdown, hyperlinks=False))
        path = self.query_one("#path", Input)
        if path.value in ("", self.suggested):  # the TAM's own name is kept
            self.suggested = shown_path(documents_folder() / name)
            path.value = self.suggested

    # -- writing --------------------------------------------------------------------

    def action_write(self, fmt: CustomerFormat) -> None:
        """Write the report as ``fmt`` to the file named (a worker); a toast says where."""
        try:
            form = self.read_form()
            path = self._path(fmt)
        except TamdeskError as error:
            self.show_error(error.message)
            return
        self.show_error("")
        self.query_one("#error", Static).update(f"Writing {path}…")
        desk = self.desk
        self.run_worker(lambda: _write(desk, form, fmt, path), thread=True, exclusive=True, group="write", exit_on_error=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "close":
            self.dismiss(None)
        else:
            self.action_write("html" if event.button.id == "write-html" else "md")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR) or worker.group not in ("customers", "preview", "write"):
            return
        event.stop()
        if event.state == WorkerState.ERROR:
            error = worker.error
            if worker.group != "preview" or self.previews.is_newest(worker):
                if worker.group == "preview":
                    self.asked = None  # the same fields are read again: the refusal may not stand
                self.show_error(error.message if isinstance(error, TamdeskError) else f"{type(error).__name__}: {error}")
            return
        if worker.group == "customers":
            self.query_one(CustomerPicker).set_names([c.name for c in worker.result])
            self.preview()
        elif worker.group == "preview" and self.previews.is_newest(worker):
            self._previewed(*worker.result)
        elif worker.group == "write":
            self.show_error("")
            fmt, written = worker.result
            self.notify(f"{FORMATS[fmt]} written to {written}.", title="Report written", timeout=10)


def _preview(desk: Desk, form: ReportForm) -> tuple[str, str]:
    """The report's Markdown, and the file name its customer and days suggest (in a worker)."""
    from tamdesk.services.customer_report import customer_report

    report = customer_report(desk, form.customer, form.first, form.last, include_notes=form.include_notes)
    return customer_report_as(report, "md"), report_file_name(report.customer, report.span.first, report.span.last)


def _write(desk: Desk, form: ReportForm, fmt: CustomerFormat, path: Path) -> tuple[CustomerFormat, Path]:
    """Read the report again (the desk may have changed since the preview) and write it (in a worker)."""
    text = customer_report_text(desk, form.customer, form.first, form.last, fmt=fmt, include_notes=form.include_notes)
    return fmt, write_report(desk, path, text, private=form.include_notes)

