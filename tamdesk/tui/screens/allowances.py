"""One month of every customer's allowance ledger (S3-S7); units about to expire stand out."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from tamdesk.domain.periods import Period, month_of
from tamdesk.services.reports import allowance_report
from tamdesk.services.views import AllowanceView
from tamdesk.tui import keymap
from tamdesk.tui.screens.base import DeskScreen
from tamdesk.tui.widgets.desk_table import DeskTable, Row
from tamdesk.tui.widgets.static_text import show_text


def fate(view: AllowanceView, today: date) -> Text:
    """What happens to the period's unused units, in words with a symbol."""
    row = view.row
    if row.forfeited and not row.final:
        return Text(f"⚠ {row.forfeited} expire {row.period.last:%d %b}", style="bold yellow")
    if row.forfeited:
        return Text(f"✗ {row.forfeited} forfeited", style="red")
    if row.carried_out:
        return Text(f"→ {row.carried_out} carry to {row.period.next()}", style="cyan")
    if row.period.end <= today:
        return Text("✓ used", style="green")
    return Text("")


class AllowancesScreen(DeskScreen):
    """Granted, carried in, booked, held, available, carried out, forfeited, per customer."""

    MODE = "allowances"
    AUTO_FOCUS = "#ledger"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.ALLOWANCES)

    def __init__(self) -> None:
        super().__init__()
        self.month: Period | None = None  # the month asked for; None: this month
        self.shown: Period | None = None  # the month on screen, once read
        self._views: list[AllowanceView] = []

    def compose_body(self) -> ComposeResult:
        yield Static("Allowances", id="allowances-title", classes="screen-title")
        yield DeskTable(
            "Customer", "Period", "Granted", "Carried in", "Booked", "Held", "Available",
            "Carried out", "Forfeited", "What happens", id="ledger", stretch="What happens",
        )
        yield Static(
            "Read in each customer's contract zone (T2). A session the TAM cancels or moves carries into the next "
            "month (S6); one the customer cancels stays in its month (S5); unused sessions expire at the month's end (S4).",
            classes="hint",
        )

    def fetch(self) -> tuple[Period, date, list[AllowanceView]]:
        today = self.desk.today()
        month = self.month or month_of(today)
        return month, today, allowance_report(self.desk, month)

    def show(self, data: tuple[Period, date, list[AllowanceView]]) -> None:
        month, today, self._views = data
        self.shown = month
        title = Text(f"Allowances · {month.first:%B %Y}", style="bold")
        if month.first <= today < month.end:
            title.append(" · this month")
        expiring = sum(v.row.forfeited for v in self._views if not v.row.final)
        if expiring:
            title.append(f"  ⚠ {expiring} {'session expires' if expiring == 1 else 'sessions expire'} unless booked", style="bold yellow")
        show_text(self.query_one("#allowances-title", Static), title)
        rows: list[Row] = []
        for view in self._views:
            row = view.row
            name = Text(view.customer, style="bold yellow" if row.forfeited and not row.final else "")
            rows.append((
                f"{view.customer}:{row.period.key}",
                (name, row.period.key, str(row.granted), str(row.carried_in), str(row.booked),
                 str(row.held), str(row.available), str(row.carried_out), str(row.forfeited), fate(view, today)),
            ))
        self.query_one("#ledger", DeskTable).refill(rows)

    def chosen_customer(self) -> str | None:
        key = self.query_one("#ledger", DeskTable).selected_key
        return key.rsplit(":", 1)[0] if key else None

    def action_month(self, step: int) -> None:
        """Show the month ``step`` months away from the one asked for last (on screen or still being read).

        Keys typed with the tab that opens the screen come before its first read: they count from this month.
        """
        asked = self.month or self.shown or month_of(self.app.today)  # type: ignore[attr-defined]
        self.month = asked.next() if step > 0 else asked.prev()
        self.reload()

    def action_this_month(self) -> None:
        """Back to this month; a month turned before it is shown counts from this one."""
        self.month = month_of(self.app.today)  # type: ignore[attr-defined]
        self.reload()
