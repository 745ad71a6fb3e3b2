"""Customers: the list, one customer's contract in detail, add and edit (P1, P2, T2, T4, T5)."""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from tamdesk.services.customers import list_customers
from tamdesk.services.views import CustomerView
from tamdesk.tui import keymap
from tamdesk.tui.screens.base import DeskScreen
from tamdesk.tui.widgets.desk_table import DeskTable, Row


def detail_text(customer: CustomerView, max_contacts: int, plan_title: str) -> Text:
    """Everything about one customer's contract."""
    text = Text(f"{customer.name}\n", style="bold")
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


class CustomersScreen(DeskScreen):
    """Every customer; the one under the cursor in detail."""

    MODE = "customers"
    AUTO_FOCUS = "#customer-list"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.CUSTOMERS)

    def __init__(self) -> None:
        super().__init__()
        self._customers: dict[str, CustomerView] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("Customers", id="customers-title", classes="screen-title")
        with Horizontal(id="customers-body"):
            yield DeskTable("Customer", "Plan", "Time zone", "Country", "Cap", id="customer-list")
            with VerticalScroll(id="customer-detail-box"):
                yield Static(id="customer-detail")

    def fetch(self) -> list[CustomerView]:
        return list_customers(self.desk)

    def show(self, data: list[CustomerView]) -> None:
        self._customers = {f"customer:{c.id}": c for c in data}
        self.query_one("#customers-title", Static).update(Text(f"Customers · {len(data)}", style="bold"))
        rows: list[Row] = [
            (key, (c.name, c.plan, c.tz, c.country or "", f"{c.hours_cap:g} h")) for key, c in self._customers.items()
        ]
        self.query_one("#customer-list", DeskTable).refill(rows)
        self._show_detail()

    def _selected(self) -> CustomerView | None:
        return self._customers.get(self.query_one("#customer-list", DeskTable).selected_key or "")

    def _show_detail(self) -> None:
        customer = self._selected()
        detail = self.query_one("#customer-detail", Static)
        if customer is None:
            detail.update("No customers yet: press n to add one.")
            return
        plan = self.desk.catalogue.plan(customer.plan)
        detail.update(detail_text(customer, plan.max_contacts, plan.title))

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
