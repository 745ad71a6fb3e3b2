"""Changing a customer's contract in place: only what is given changes, and no booked call is lost.

The rules a TAM expects when a contract changes under calls already booked:

* Calls keep their instant (T1) and their status: an edit never moves,
  cancels or re-marks a call. A new zone shows them at another local hour and
  reads the periods (months, weeks) in the new zone from then on (T2).
* A new plan grants its sessions for the whole of the current period and the
  ones after it (S3): an upgrade adds its units at once; a downgrade is refused
  while the current or a later period holds more calls than the new plan
  grants, naming them, so the TAM cancels or moves them first. The desk keeps
  one plan per customer: past periods are read with the plan in force.
* The contract's start (``since``) and end (``until``) may not leave a booked,
  held or no-show call outside them: the edit is refused naming those calls.

Each refusal changes nothing: the edit is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from sqlalchemy import select

from tamdesk.domain.allowance import ACTIVE
from tamdesk.domain.errors import Refusal
from tamdesk.domain.periods import Period
from tamdesk.domain.timezones import local_date, zone
from tamdesk.services.allowances import current_period, last_booked_period, ledger
from tamdesk.services.contracts import contract_start
from tamdesk.services.customers import (
    CustomerFields,
    apply_fields,
    contract_day,
    customer_view,
    fields_of,
    validate_fields,
)
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.journal import record
from tamdesk.services.views import CustomerView
from tamdesk.store.models import Call, Customer

#: How many calls a refusal names before it says "and N more".
NAMED = 5


@dataclass(frozen=True)
class CustomerChanges:
    """What a user asked to change; ``None`` leaves a field as it is.

    ``contacts`` given replaces the whole list. ``since`` and ``until`` are
    dates as typed (``2026-12-01``, ``tomorrow``), read in the customer's zone.
    """

    plan: str | None = None
    tz: str | None = None
    country: str | None = None
    contacts: tuple[str, ...] | None = None
    hours_cap: float | None = None
    business_hours: str | None = None
    since: str | None = None
    until: str | None = None


def edit_customer_contract(desk: Desk, ref: str | int, changes: CustomerChanges) -> CustomerView:
    """Change the fields given of a customer (``customer edit``), in one transaction."""

    def work(unit: Unit) -> CustomerView:
        customer = unit.customer(ref)
        return _edited(unit, customer, _merged(unit, customer, changes))

    return desk.write(work)


def edit_customer(desk: Desk, ref: str | int, fields: CustomerFields) -> CustomerView:
    """Replace every field of a customer (the desk's customer form), under the same rules."""
    return desk.write(lambda unit: _edited(unit, unit.customer(ref), fields))


def restore_customer(unit: Unit, customer_id: int, kept: dict[str, Any]) -> Customer:
    """Put a customer's fields back as ``kept`` (undoing an edit), under the rules of an edit (P1, P2, S3)."""
    customer = unit.owned(Customer, customer_id, "customer", "customer list")
    days = {k: date.fromisoformat(kept[k]) if kept[k] else None for k in ("active_from", "active_until")}
    _save(unit, customer, CustomerFields(**{**kept, **days, "contacts": tuple(kept["contacts"])}))
    return customer


def _edited(unit: Unit, customer: Customer, fields: CustomerFields) -> CustomerView:
    """``_save`` an edit, kept in the journal with the fields before it, so that it can be undone."""
    before = fields_of(customer)._asdict()
    view = _save(unit, customer, fields)
    record(unit, "customer.edited", customer.id, f"edited customer {before['name']}", before)
    return view


def _save(unit: Unit, customer: Customer, fields: CustomerFields) -> CustomerView:
    """Validate ``fields`` as when adding, write them, and refuse what loses a booked call (S3)."""
    validate_fields(unit, fields, current_id=customer.id)
    before = _ledger_from_now(unit, customer)
    apply_fields(customer, fields)
    unit.session.flush()
    _require_calls_inside_contract(unit, customer)
    _require_allowance_kept(unit, customer, before)
    return customer_view(unit, customer)


def _merged(unit: Unit, customer: Customer, changes: CustomerChanges) -> CustomerFields:
    """The customer's fields with the changes laid over them."""
    tz = changes.tz if changes.tz is not None else customer.tz
    current = fields_of(customer)._replace(active_from=contract_start(customer))
    given = {
        key: value
        for key, value in (
            ("plan", changes.plan),
            ("tz", changes.tz),
            ("country", changes.country),
            ("contacts", changes.contacts),
            ("hours_cap", changes.hours_cap),
            ("business_hours", changes.business_hours),
        )
        if value is not None
    }
    if changes.since is not None:
        given["active_from"] = contract_day(changes.since, tz, unit.now)
    if changes.until is not None:
        given["active_until"] = contract_day(changes.until, tz, unit.now)
    return current._replace(**given)


def _named(calls: list[Call], tz_name: str) -> str:
    """Calls as the TAM reads them: id and local start in the contract zone."""
    tz = zone(tz_name)
    text = ", ".join(f"call {c.id} on {c.starts_at.astimezone(tz):%a %d %b %Y %H:%M}" for c in calls[:NAMED])
    return text + (f" and {len(calls) - NAMED} more" if len(calls) > NAMED else "")


def _require_calls_inside_contract(unit: Unit, customer: Customer) -> None:
    """Refuse a start or end that leaves a booked, held or no-show call outside the contract (S3)."""
    tz = zone(customer.tz)
    calls = unit.session.scalars(
        select(Call).where(Call.customer_id == customer.id, Call.status.in_(ACTIVE)).order_by(Call.starts_at)
    )
    start, until = contract_start(customer), customer.active_until
    outside = [c for c in calls if local_date(c.starts_at, tz) < start or (until and local_date(c.starts_at, tz) > until)]
    if outside:
        raise Refusal(
            "S3",
            f"{customer.name}'s contract would run from {start} to {until or 'no end'}, "
            f"leaving {_named(outside, customer.tz)} outside it.",
            instead="Cancel or move those calls first, or choose dates that keep them.",
        )


def _ledger_from_now(unit: Unit, customer: Customer) -> dict[Period, int]:
    """What is available in the customer's current period and each one after it up to its last booking."""
    plan = unit.catalogue.plan(customer.plan)
    if not plan.has_allowance or plan.period is None:
        return {}
    first = current_period(unit, customer, plan.period)
    latest = last_booked_period(unit, customer, plan.period)
    last = max(first, latest) if latest else first
    return {row.period: row.available for row in ledger(unit, customer, first, last)}


def _require_allowance_kept(unit: Unit, customer: Customer, before: dict[Period, int]) -> None:
    """Refuse a plan or zone that leaves the current or a later period with more calls than it grants (S3).

    A period already over before the edit (an older plan change) refuses only
    when the edit makes it worse.
    """
    plan = unit.catalogue.plan(customer.plan)
    tz = zone(customer.tz)
    now = unit.now
    if not plan.has_allowance or plan.period is None:
        ahead = list(
            unit.session.scalars(
                select(Call)
                .where(Call.customer_id == customer.id, Call.kind == "working", Call.status == "scheduled", Call.starts_at >= now)
                .order_by(Call.starts_at)
            )
        )
        if ahead:
            raise Refusal(
                "S3",
                f"plan {plan.key} grants no working sessions, and {customer.name} has {_named(ahead, customer.tz)} booked.",
                instead="Cancel those calls first, or choose a plan with sessions.",
            )
        return
    for period, available in _ledger_from_now(unit, customer).items():
        if available >= 0 or available >= before.get(period, 0):
            continue
        booked = list(
            unit.session.scalars(
                select(Call)
                .where(
                    Call.customer_id == customer.id,
                    Call.kind == "working",
                    Call.status.in_(ACTIVE),
                    Call.starts_at >= period.start_utc(tz),
                    Call.starts_at < period.end_utc(tz),
                )
                .order_by(Call.starts_at)
            )
        )
        raise Refusal(
            "S3",
            f"plan {plan.key} grants {plan.sessions} session{'' if plan.sessions == 1 else 's'} in {period}, and {customer.name} has "
            f"{len(booked)} there: {_named(booked, customer.tz)}.",
            instead=f"Cancel or move {-available} of them first, or keep the plan it has.",
        )
