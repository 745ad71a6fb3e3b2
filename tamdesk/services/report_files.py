"""The reports as text and as files: what ``report customer|week`` print or write, and the desk's Reports screen shows.

One place turns a report's plain values into Markdown, HTML or CSV, and one
writes that text to a file (atomically, never over the desk's database; notes
make a new file private), so the command line and the desk write the same
bytes the same way.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tamdesk.services.desk import Desk

if TYPE_CHECKING:
    from tamdesk.services.customer_report import CustomerReport

CustomerFormat = Literal["md", "html"]
SheetFormat = Literal["md", "csv"]


def customer_report_text(
    desk: Desk, customer: str | int, first: date | None = None, last: date | None = None, *,
    fmt: CustomerFormat = "md", include_notes: bool = False,
) -> str:
    """A customer's status report (``services.customer_report``) as Markdown or one HTML page."""
    from tamdesk.services.customer_report import customer_report

    return customer_report_as(customer_report(desk, customer, first, last, include_notes=include_notes), fmt)


def customer_report_as(report: CustomerReport, fmt: CustomerFormat = "md") -> str:
    """A customer report already read, laid out as Markdown or one HTML page."""
    from tamdesk.render import render
    from tamdesk.services.customer_report import NOTES_HEADING, SECTIONS

    return render(f"report_customer.{fmt}.j2", r=report, sections=SECTIONS, notes_heading=NOTES_HEADING)


def timesheet_text(desk: Desk, day: date | None = None, fmt: SheetFormat = "md") -> str:
    """The TAM's timesheet for the week containing ``day`` as Markdown, or as CSV for a spreadsheet."""
    from tamdesk.services.timesheet import timesheet, timesheet_csv

    sheet = timesheet(desk, day)
    if fmt == "csv":
        return timesheet_csv(sheet)  # no Jinja2 for the CSV
    from tamdesk.render import render

    return render("report_week.md.j2", sheet=sheet)


def write_report(desk: Desk, path: Path, text: str, *, private: bool) -> Path:
    """Write ``text`` to ``path`` atomically, never over the desk's database; return the file written.

    ``private``: the text holds internal notes, so a new file is readable by its owner only.
    An unwritable path is ``BadInput`` saying why.
    """
    from tamdesk.files import write_derived
    from tamdesk.store.engine import sqlite_file

    database = sqlite_file(desk.url)
    return write_derived(path, text.encode("utf-8"), private=private, protected=[Path(database)] if database else [])


def report_file_name(customer: str, first: date, last: date, fmt: str = "md") -> str:
    """A file name that says whose report it is and over which days: ``umbrella-gmbh-2026-11-01-to-2026-11-23.md``."""
    import re

    from tamdesk.domain.names import folded

    slug = re.sub(r"[^a-z0-9]+", "-", folded(customer)).strip("-") or "customer"
    return f"{slug}-{first.isoformat()}-to-{last.isoformat()}.{fmt}"


def documents_folder() -> Path:
    """Where a report goes unless the TAM says otherwise: their documents folder when it exists, else their home.

    Not the working folder: the desk may have been started anywhere, and an export's default is the home too.
    """
    from platformdirs import user_documents_dir

    documents = Path(user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def with_format(path: Path, fmt: str) -> Path:
    """``path`` ending in the format's suffix: a report's own suffix (or none) is swapped, any other kept."""
    if path.suffix.lower() in ("", ".md", ".markdown", ".html", ".htm", ".csv"):
        return path.with_suffix(f".{fmt}")
    return path
