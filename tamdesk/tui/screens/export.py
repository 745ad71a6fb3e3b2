"""Export the calls as iCalendar, once or as a feed kept current (X1, X2)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input

from tamdesk.domain.errors import BadInput
from tamdesk.services.export import ExportOptions, export_to_file, set_auto_feed
from tamdesk.tui.screens.form import FormDialog, field
from tamdesk.tui.widgets.text_field import TextField

#: Where an export goes unless the TAM says otherwise.
DEFAULT_FILE = "~/tamdesk.ics"


@dataclass(frozen=True)
class ExportForm:
    """What the export dialog says."""

    path: Path
    options: ExportOptions
    auto: bool


class ExportDialog(FormDialog):
    """Write the calls to an .ics file a calendar app imports or subscribes to."""

    TITLE_TEXT = "Export calls to your calendar (iCalendar)"
    AUTO_FOCUS = "#path"
    SUBMIT_LABEL = "Export"

    def __init__(self, customer: str | None = None) -> None:
        super().__init__()
        self.customer = customer

    def fields(self) -> ComposeResult:
        yield from field("File", TextField(DEFAULT_FILE, id="path", compact=True),
                         "Import it in your calendar app, or subscribe to it.")
        yield from field("Only this customer (optional)", TextField(self.customer or "", id="customer", compact=True))
        yield Checkbox("Include internal notes and open cases (X2)", id="notes", compact=True)
        yield Checkbox("Keep this file current after every change (auto feed)", id="auto", compact=True)

    def read_form(self) -> ExportForm:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            raise BadInput(f"type a file name, such as {DEFAULT_FILE}")
        customer = self.query_one("#customer", Input).value.strip() or None
        options = ExportOptions(customer=customer, include_notes=self.query_one("#notes", Checkbox).value)
        return ExportForm(Path(text).expanduser(), options, self.query_one("#auto", Checkbox).value)

    def attempt(self, form: ExportForm, confirmed: bool) -> str:
        if form.auto:
            export = set_auto_feed(self.desk, form.path, form.options)
            assert export is not None
            said = f"Exported {export.calls} calls to {form.path}; it is rewritten after every change."
        else:
            export = export_to_file(self.desk, form.path, form.options)
            said = f"Exported {export.calls} calls to {form.path}."
        return f"{said} Note: {export.warning}." if export.warning else said
