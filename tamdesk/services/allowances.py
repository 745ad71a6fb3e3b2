"""Reading the allowance ledger from the store, and checking a change against it (S3-S8)."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import func, select, union

from tamdesk.domain.allowance import CallFact, Contract, LedgerRow, check_change, compute_ledger
from tamdesk.domain.periods import Period, PeriodKind, period_containing, period_of_instant
from tamdesk.domain.plans import Plan
from tamdesk.domain.timezones import local_date, zone
from tamdesk.services.customers import plan_of
from tamdesk.services.desk import Unit
from tamdesk.store.models import Call, CallEvent, Customer

#: How far back a chain of TAM credits is followed at most (one per month).
MAX_CHAIN = 240
DEPARTURES = ("moved", "cancelled")

Change = Callable[[list[CallFact]], list[CallFact]]


def _departures_query(customer: Customer, start: datetime, end: datetime):  # type: ignore[no-untyped-def]
    return (
        select(CallEvent.call_id)
        .join(Call, Call.id == CallEvent.call_id)
        .where(
            Call.customer_id == customer.id,
            Call.kind == "working",
            CallEvent.by == "tam",
            CallEvent.action.in_(DEPARTURES),
            CallEvent.from_starts_at >= start,
            CallEvent.from_starts_at < end,
        )
    )


def _opening(unit: Unit, customer: Customer, kind: PeriodKind, first: Period) -> Period:
    """The first period to compute from: one whose ``carried_in`` is surely 0 (S6)."""
    if kind != "month":
        return first
    tz = zone(customer.tz)
    period = first.prev()
    for _ in range(MAX_CHAIN):
        freed = unit.session.scalar(
            _departures_query(customer, period.start_utc(tz), period.end_utc(tz)).limit(1)
        )
        if freed is None:
            return period.next()
        period = period.prev()
    return period.next()


def call_facts(unit: Unit, customer: Customer, start: datetime, end: datetime) -> list[CallFact]:
    """The working calls that touch ``[start, end)``: booked there or freed from there by the TAM."""
    ids = union(
        select(Call.id).where(
            Call.customer_id == customer.id,
            Call.kind == "working",
            Call.starts_at >= start,
            Call.starts_at < end,
        ),
        _departures_query(customer, start, end),
    ).subquery()
    calls = unit.session.execute(
        select(Call.id, Call.starts_at, Call.status).where(Call.id.in_(select(ids.c[0])))
    ).all()
    departures: dict[int, list[tuple[datetime, datetime | None]]] = {}
    for call_id, left, went_to, action in unit.session.execute(
        select(CallEvent.call_id, CallEvent.from_starts_at, CallEvent.to_starts_at, CallEvent.action)
        .where(
            CallEvent.call_id.in_([c.id for c in calls]),
            CallEvent.by == "tam",
            CallEvent.action.in_(DEPARTURES),
        )
        .order_by(CallEvent.id)
    ):
        departures.setdefault(call_id, []).append((left, went_to if action == "moved" else None))
    return [CallFact(c.id, c.starts_at, c.status, tuple(departures.get(c.id, ()))) for c in calls]


def last_booked_period(unit: Unit, customer: Customer, kind: PeriodKind) -> Period | None:
    """The period of the customer's latest working call, if any."""
    latest = unit.session.scalar(
        select(func.max(Call.starts_at)).where(Call.customer_id == customer.id, Call.kind == "working")
    )
    if latest is None:
        return None
    return period_of_instant(kind, latest, zone(customer.tz))


def ledger(
    unit: Unit, customer: Customer, first: Period, last: Period, change: Change | None = None
) -> list[LedgerRow]:
    """The customer's ledger from ``first`` to ``last``, optionally after a hypothetical change."""
    plan = plan_of(unit, customer)
    assert plan.period is not None
    tz = zone(customer.tz)
    opening = _opening(unit, customer, plan.period, first)
    facts = call_facts(unit, customer, opening.start_utc(tz), last.end_utc(tz))
    if change is not None:
        facts = change(facts)
    rows = compute_ledger(
        sessions=plan.sessions,
        kind=plan.period,
        tz=tz,
        calls=facts,
        first=opening,
        last=last,
        today=local_date(unit.now, tz),
        contract=Contract(customer.active_from, customer.active_until),
    )
    return [row for row in rows if row.period >= first]


def require_allowance(unit: Unit, customer: Customer, plan: Plan, touched: list[Period], change: Change) -> None:
    """Refuse a booking or move that leaves any period below zero (S3, S6).

    ``touched`` are the periods the change books into or frees; the check runs
    from the earliest of them to one past the customer's latest booking, since
    a credit a period loses can starve the next.
    """
    assert plan.period is not None
    first = min(touched)
    latest = last_booked_period(unit, customer, plan.period)
    last = max([*touched, *([latest] if latest else [])]).next()
    before = ledger(unit, customer, first, last)
    after = ledger(unit, customer, first, last, change)
    check_change(before, after, customer=customer.name, target=touched[0])


def period_kind_of(plan: Plan) -> PeriodKind | None:
    """The allowance period of a plan: month, ISO week (S7), or none."""
    return plan.period if plan.has_allowance else None


def current_period(unit: Unit, customer: Customer, kind: PeriodKind) -> Period:
    """The allowance period that contains now, in the customer's zone."""
    return period_containing(kind, local_date(unit.now, zone(customer.tz)))
