"""Customers: the list with each one's last 12 weeks of hours, one customer's history and contract, add and edit (P1, P2, T2, T4, T5).

The list and the histories are read in the screen's worker (``fetch``), the
histories for every customer at once (``services.customer_history``).
"""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Sparkline, Static

from tamdesk.services.customer_history import WEEKS, CustomerHistory, customer_histories
from tamdesk.services.customers import list_customers
from tamdesk.services.views import CustomerView
from tamdesk.tui import keymap
from tamdesk.tui.formatting import hours_text, sparkline_text
from tamdesk.tui.screens.base import DeskScreen
from tamdesk.tui.widgets.desk_table import DeskTable, Row
from tamdesk.tui.widgets.static_text import show_text


def detail_text(customer: CustomerView, max_contacts: int, plan_title: str) -> Text:
    """Everything about one customer's contract."""
    text = Text(f"\n{customer.name}\n", style="bold")
    text.append(f"Plan          {customer.plan} ({plan_title})\n")
    text.append(f"Time zone     {customer.tz} (contract periods and hours are read here, T2)\n")
    text.append(f"Country       {customer.country or '(none: no public holidays)'}\n")
    text.append(f"Business hrs  {customer.business_hours} Mon-Fri (T4)\n")
    text.append(f"Weekly cap    {customer.hours_cap:g} h (B2)\n")
    if customer.active_from or customer.active_until:
        text.append(f"Contract      {customer.active_from or '…'} to {customer.active_until or '…'}\n")
    text.append(f"\nContacts ({len(customer.contacts)} of at most {max_contacts}, P2)\n", style="bold")
    for email in customer.contacts:
        text.append(f"  {email}\n")
    if not customer.contacts:
        text.append("  (none)\n", style="dim")
    text.append("\nCritical periods (T5)\n", style="bold")
    tz = ZoneInfo(customer.tz)
    for start, end, label in customer.critical_periods:
        text.append(f"  {label}: {start.astimezone(tz):%Y-%m-%d %H:%M} to {end.astimezone(tz):%Y-%m-%d %H:%M}\n")
    if not customer.critical_periods:
        text.append("  (none)\n", style="dim")
    return text


def history_text(history: CustomerHistory) -> Text:
    """The customer's last weeks in a few lines: this week against the cap, the allowance, calls and cases."""
    week = history.this_week
    text = Text()
    over = "  ▲ over the cap (B2)" if week.over else ""
    text.append(f"This week  {hours_text(week.total_minutes)} of {week.cap_hours:g} h{over}\n")
    ledger = history.allowance
    if ledger is None:
        text.append("Sessions   none in the plan now\n", style="dim")
    else:
        text.append(
            f"Sessions   {ledger.available} of {ledger.granted + ledger.carried_in} left in {ledger.period.key}\n"
        )
    text.append(f"Calls      {history.held} held · {history.cancelled} cancelled · {history.booked} ahead\n")
    text.append(f"Cases      {history.open_cases} open · {history.resolved_cases} resolved\n")
    return text


class CustomersScreen(DeskScreen):
    """Every customer; the one under the cursor in detail."""

    MODE = "customers"
    AUTO_FOCUS = "#customer-list"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.CUSTOMERS)

    def __init__(self) -> None:
        super().__init__()
        self._customers: dict[str, CustomerView] = {}
        self._histories: dict[int, CustomerHistory] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("Customers", id="customers-title", classes="screen-title")
        with Horizontal(id="customers-body"):
            # The zone gives way first (the panel beside names it whole), so the weeks and the cap stay in view at 120 columns.
            yield DeskTable(
                "Customer", f"{WEEKS} weeks", "Plan", "Time zone", "Country", "Cap", id="customer-list", stretch="Time zone", least=8
            )
            with VerticalScroll(id="customer-detail-box"):
                yield Static(Text(f"Last {WEEKS} weeks of hours (B1)", style="bold"), id="customer-weeks")
                yield Sparkline([], id="customer-sparkline")
                yield Static(id="customer-history")
                yield Static(id="customer-detail")

    def fetch(self) -> tuple[list[CustomerView], dict[int, CustomerHistory]]:
        return list_customers(self.desk), customer_histories(self.desk)

    def show(self, data: tuple[list[CustomerView], dict[int, CustomerHistory]]) -> None:
        customers, self._histories = data
        self._customers = {f"customer:{c.id}": c for c in customers}
        show_text(self.query_one("#customers-title", Static), Text(f"Customers · {len(customers)}", style="bold"))
        rows: list[Row] = [
            (key, (c.name, self._sparkline(c), c.plan, c.tz, c.country or "", f"{c.hours_cap:g} h"))
            for key, c in self._customers.items()
        ]
        self.query_one("#customer-list", DeskTable).refill(rows)
        self._show_detail()

    def _selected(self) -> CustomerView | None:
        return self._customers.get(self.query_one("#customer-list", DeskTable).selected_key or "")

    def _sparkline(self, customer: CustomerView) -> Text:
        """The customer's weeks as a line of bars, this week's last (red when over the cap)."""
        history = self._histories.get(customer.id)
        if history is None:
            return Text(" " * WEEKS)
        return Text(sparkline_text(history.week_hours), style="red" if history.this_week.over else "cyan")

    def _show_detail(self) -> None:
        customer = self._selected()
        detail = self.query_one("#customer-detail", Static)
        history = self._histories.get(customer.id) if customer is not None else None
        show_text(self.query_one("#customer-history", Static), history_text(history) if history else "")
        sparkline = self.query_one("#customer-sparkline", Sparkline)
        sparkline.data = list(history.week_hours) if history else []
        sparkline.display = history is not None
        self.query_one("#customer-weeks", Static).display = history is not None
        if customer is None:
            show_text(detail, "No customers yet: press n to add one.")
            return
        plan = self.desk.catalogue.plan(customer.plan)
        show_text(detail, detail_text(customer, plan.max_contacts, plan.title))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def chosen_customer(self) -> str | None:
        customer = self._selected()
        return customer.name if customer else None

    def action_export_calendar(self) -> None:
        """Export the selected customer's calls to a calendar file."""
        self.export_calendar(self.chosen_customer())

    async def action_new_customer(self) -> None:
        """Add a customer."""
        from tamdesk.tui.screens.customer_form import CustomerDialog

        await self.open_dialog(CustomerDialog(None), self.after_change)

    async def action_edit_customer(self) -> None:
        """Edit the selected customer."""
        from tamdesk.tui.screens.customer_form import CustomerDialog

        customer = self._selected()
        if customer is None:
            self.notify("Select a customer first (↑/↓).", severity="warning")
            return
        await self.open_dialog(CustomerDialog(customer), self.after_change)
