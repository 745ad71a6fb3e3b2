"""Write the TAM's timesheet for a week (issue 18): ``s`` on the Week, as ``tamdesk report week -o`` writes it.

The week starts as the one on screen; any day of another week may be typed
(one date reader, as everywhere). Markdown, or CSV for a spreadsheet; the
file's suffix follows the format, and its suggested name follows the week
until the TAM types their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input

from tamdesk.domain.errors import BadInput, TamdeskError
from tamdesk.domain.periods import iso_week_of
from tamdesk.services.report_files import SheetFormat, documents_folder, timesheet_text, with_format, write_report
from tamdesk.tui.screens.form import FormDialog, field
from tamdesk.tui.screens.reports import shown_path
from tamdesk.tui.widgets.text_field import TextField


@dataclass(frozen=True)
class SheetForm:
    """What the timesheet dialog says."""

    day: date
    fmt: SheetFormat
    path: Path


def suggested_file(day: date, fmt: SheetFormat) -> str:
    """``~/Documents/timesheet-2026-W48.md``: the week's own name, in the documents folder (else the home)."""
    return shown_path(documents_folder() / f"timesheet-{iso_week_of(day).key}.{fmt}")


class TimesheetDialog(FormDialog):
    """A week, a format and a file: the timesheet written there."""

    TITLE_TEXT = "Write your timesheet for a week"
    AUTO_FOCUS = "#day"
    SUBMIT_LABEL = "Write"

    def __init__(self, day: date) -> None:
        super().__init__()
        self.day = day
        self.suggested = suggested_file(day, "md")

    def fields(self) -> ComposeResult:
        yield from field("Any day of the week", TextField(self.day.isoformat(), id="day", compact=True),
                         "A date as everywhere: 2026-11-24, fri, last week.")
        yield Checkbox("CSV for a spreadsheet (else Markdown)", id="csv", compact=True)
        yield from field("File", TextField(self.suggested, id="path", compact=True))

    def _format(self) -> SheetFormat:
        return "csv" if self.query_one("#csv", Checkbox).value else "md"

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "day":
            self._follow()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._follow()

    def _follow(self) -> None:
        """The suggested name follows the week and the format, unless the TAM typed their own."""
        path = self.query_one("#path", Input)
        if path.value != self.suggested:
            return
        try:
            self.suggested = suggested_file(self.typed_date("#day"), self._format())
        except TamdeskError:
            return  # a date still being typed: the name waits for a whole one
        path.value = self.suggested

    def read_form(self) -> SheetForm:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            raise BadInput("type a file name, such as ~/timesheet.csv")
        fmt = self._format()
        return SheetForm(self.typed_date("#day"), fmt, with_format(Path(text), fmt))

    def attempt(self, form: SheetForm, confirmed: bool) -> str:
        written = write_report(self.desk, form.path, timesheet_text(self.desk, form.day, form.fmt), private=False)
        return f"Timesheet for {iso_week_of(form.day).key} written to {written}."
