"""The desk's Textual application (placeholder until the TUI issue lands)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from tamdesk.services.desk import Desk
from tamdesk.services.reports import week_summary


class DeskApp(App[None]):
    """The desk: for now, the week's summary as text."""

    TITLE = "tamdesk"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        yield Header()
        summary = week_summary(self.desk)
        lines = [f"Week {summary.week}  caseload {summary.open_cases}/{summary.cap}"]
        lines += [f"{c.customer:30} {c.total_minutes / 60:5.1f} h / {c.cap_hours:g} h" for c in summary.customers]
        yield Static("\n".join(lines))
        yield Footer()


def run(desk: Desk) -> int:
    """Open the desk and return its exit code."""
    DeskApp(desk).run()
    return 0
