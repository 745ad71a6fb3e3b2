"""Add or edit a customer, validated by the same rules as the CLI (P1, P2, T2, T4, S3)."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select

from tamdesk.domain.errors import BadInput
from tamdesk.services.customer_edit import edit_customer
from tamdesk.services.customers import CustomerFields, add_customer
from tamdesk.services.views import CustomerView
from tamdesk.tui.screens.form import FormDialog, field
from tamdesk.tui.widgets.text_field import TextField


@lru_cache(maxsize=1)
def zone_names() -> list[str]:
    """Every IANA zone name, for type-ahead."""
    return sorted(available_timezones())


class CustomerDialog(FormDialog):
    """A new customer, or the one given, edited."""

    SUBMIT_LABEL = "Save"

    def __init__(self, customer: CustomerView | None) -> None:
        super().__init__()
        self.customer = customer
        self.TITLE_TEXT = f"Edit {customer.name}" if customer else "New customer"  # type: ignore[misc]

    def fields(self) -> ComposeResult:
        c = self.customer
        plans = [(f"{plan.key}: {plan.title}", key) for key, plan in self.desk.catalogue.plans.items()]
        yield from field("Name", TextField(c.name if c else "", id="name", compact=True))
        yield from field("Plan (P1)", Select(plans, value=c.plan if c else plans[0][1], allow_blank=False, id="plan", compact=True))
        yield from field("Contract time zone (T2)", TextField(c.tz if c else "", placeholder="Europe/Madrid", id="tz", compact=True,
                                                          suggester=SuggestFromList(zone_names(), case_sensitive=False)))
        yield from field("Country for public holidays (T4)", TextField(c.country or "" if c else "", placeholder="ES, US-NY", id="country", compact=True))
        yield from field("Business hours (T4)", TextField(c.business_hours if c else "", placeholder="09:00-17:00", id="business-hours", compact=True),
                         "Empty: the desk's default.")
        own_cap = "" if c is None else f"{c.hours_cap:g}"
        yield from field("Weekly hours cap (B2)", TextField(own_cap, placeholder="empty: the plan's cap", id="hours-cap", type="number", compact=True))
        yield from field("Contacts, comma-separated (P2)", TextField(", ".join(c.contacts) if c else "", id="contacts", compact=True))
        since = str(c.active_from) if c and c.active_from else ""
        yield from field("Contract from (S3)", TextField(since, placeholder="today, in its zone", id="since", compact=True))
        until = str(c.active_until) if c and c.active_until else ""
        yield from field("Contract until (S3)", TextField(until, placeholder="empty: no end", id="until", compact=True))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#name", Input))  # at once: the keys typed as the dialog opened come next

    def read_form(self) -> CustomerFields:
        def text(widget_id: str) -> str:
            return self.query_one(widget_id, Input).value.strip()

        cap = text("#hours-cap")
        tz = text("#tz")
        if not tz:
            raise BadInput("a customer needs a contract time zone, such as Europe/Madrid (T2)")
        plan = str(self.query_one("#plan", Select).value)
        own_cap = float(cap) if cap else None
        if self.customer is not None and own_cap == self.desk.catalogue.plan(plan).weekly_hours_cap:
            own_cap = None  # the plan's cap, shown filled in: keep following the plan
        return CustomerFields(
            name=text("#name"),
            plan=plan,
            tz=tz,
            country=text("#country") or None,
            contacts=[e.strip() for e in text("#contacts").split(",") if e.strip()],
            hours_cap=own_cap,
            business_hours=text("#business-hours") or None,
            # Empty: a new contract starts today in its zone; an edited one keeps its start (S3).
            active_from=self.typed_date("#since") if text("#since") else (self.customer.active_from if self.customer else None),
            active_until=self.typed_date("#until") if text("#until") else None,
        )

    def attempt(self, form: CustomerFields, confirmed: bool) -> str:
        if self.customer is None:
            view = add_customer(self.desk, form)
            return f"Added {view.name} on plan {view.plan} ({view.tz})."
        view = edit_customer(self.desk, self.customer.id, form)
        return f"Saved {view.name}."
