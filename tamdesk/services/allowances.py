"""Reading the allowance ledger from the store, and checking a change against it (S3-S8)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Sequence

from sqlalchemy import func, select, union

from tamdesk.domain.allowance import CallFact, LedgerRow, check_change, compute_ledger
from tamdesk.domain.periods import Period, PeriodKind, period_containing, period_of_instant
from tamdesk.domain.plans import Plan
from tamdesk.domain.timezones import local_date, zone
from tamdesk.services.contracts import contract_of, plan_of
from tamdesk.services.desk import Unit
from tamdesk.store import tables
from tamdesk.store.tables import CustomerRow

#: How far back a chain of TAM credits is followed at most (one per month).
MAX_CHAIN = 240
#: How many months back ``ledgers`` reads departures in its one query; longer chains are followed month by month.
OPENING_REACH = 12
DEPARTURES = ("moved", "cancelled")

Change = Callable[[list[CallFact]], list[CallFact]]
Wanted = tuple[CustomerRow, Period, Period]  # a customer's ledger from the first period to the last

#: The columns read here, as Core sees them (``tamdesk.store.tables``: no ORM on the week's path).
CALL, EVENT = tables.calls.c, tables.call_events.c


def _departures_query(customer_ids: Sequence[int], start: datetime, end: datetime, *columns: Any):  # type: ignore[no-untyped-def]
    """The working calls the TAM moved or cancelled away from ``[start, end)`` (S6): ``columns``, else their ids."""
    return (
        select(*(columns or (EVENT.call_id,)))
        .join(tables.calls, CALL.id == EVENT.call_id)
        .where(
            EVENT.customer_id.in_(customer_ids),  # by ix_call_events_departures: these customers' alone
            CALL.kind == "working",
            EVENT.by == "tam",
            EVENT.action.in_(DEPARTURES),
            EVENT.from_starts_at >= start,
            EVENT.from_starts_at < end,
        )
    )


def _opening(unit: Unit, customer: CustomerRow, kind: PeriodKind, first: Period) -> Period:
    """The first period to compute from: one whose ``carried_in`` is surely 0 (S6)."""
    if kind != "month":
        return first
    tz = zone(customer.tz)
    period = first.prev()
    for _ in range(MAX_CHAIN):
        freed = unit.session.scalar(
            _departures_query([customer.id], period.start_utc(tz), period.end_utc(tz)).limit(1)
        )
        if freed is None:
            return period.next()
        period = period.prev()
    return period.next()


def _openings(unit: Unit, wanted: Sequence[Wanted]) -> dict[int, Period]:
    """``_opening`` of every customer wanted, from one query over the year before each one's first period.

    A chain of TAM credits longer than a year (rare) is followed by ``_opening`` itself.
    """
    out = {customer.id: first for customer, first, _ in wanted}
    monthly = [(customer, first) for customer, first, _ in wanted if plan_of(unit, customer).period == "month"]
    if not monthly:
        return out
    tz_of = {customer.id: zone(customer.tz) for customer, _ in monthly}
    spans = {}
    for customer, first in monthly:
        reach = first
        for _ in range(OPENING_REACH):
            reach = reach.prev()
        spans[customer.id] = (reach.start_utc(tz_of[customer.id]), first.start_utc(tz_of[customer.id]))
    freed: dict[int, set[Period]] = {customer.id: set() for customer, _ in monthly}
    rows = unit.session.execute(
        _departures_query(
            list(spans),
            min(start for start, _ in spans.values()),
            max(end for _, end in spans.values()),
            CALL.customer_id,
            EVENT.from_starts_at,
        )
    )
    for customer_id, left in rows:
        freed[customer_id].add(period_of_instant("month", left, tz_of[customer_id]))
    for customer, first in monthly:
        period = first.prev()
        for _ in range(OPENING_REACH):
            if period not in freed[customer.id]:
                out[customer.id] = period.next()
                break
            period = period.prev()
        else:
            out[customer.id] = _opening(unit, customer, "month", first)
    return out


def call_facts(unit: Unit, customer: CustomerRow, start: datetime, end: datetime) -> list[CallFact]:
    """The working calls that touch ``[start, end)``: booked there or freed from there by the TAM."""
    return _call_facts(unit, {customer.id: (start, end)})[customer.id]


def _call_facts(unit: Unit, windows: dict[int, tuple[datetime, datetime]]) -> dict[int, list[CallFact]]:
    """``call_facts`` of several customers, each in its own window, in two queries in all."""
    start = min(first for first, _ in windows.values())
    end = max(last for _, last in windows.values())
    ids = union(
        select(CALL.id).where(
            CALL.customer_id.in_(list(windows)),
            CALL.kind == "working",
            CALL.starts_at >= start,
            CALL.starts_at < end,
        ),
        _departures_query(list(windows), start, end),
    ).subquery()
    calls = unit.session.execute(
        select(CALL.id, CALL.customer_id, CALL.starts_at, CALL.status).where(CALL.id.in_(select(ids.c[0])))
    ).all()
    departures: dict[int, list[tuple[datetime, datetime | None]]] = {}
    # Every event of these calls, read by call id, the TAM's departures picked out here.
    for call_id, left, went_to, action, by in unit.session.execute(
        select(EVENT.call_id, EVENT.from_starts_at, EVENT.to_starts_at, EVENT.action, EVENT.by)
        .where(EVENT.call_id.in_([c.id for c in calls]))
        .order_by(EVENT.id)
    ):
        if by == "tam" and action in DEPARTURES:
            departures.setdefault(call_id, []).append((left, went_to if action == "moved" else None))
    out: dict[int, list[CallFact]] = {customer_id: [] for customer_id in windows}
    for call in calls:
        first, last = windows[call.customer_id]
        moves = tuple(departures.get(call.id, ()))
        if first <= call.starts_at < last or any(first <= left < last for left, _ in moves):
            out[call.customer_id].append(CallFact(call.id, call.starts_at, call.status, moves))
    return out


def last_booked_period(unit: Unit, customer: CustomerRow, kind: PeriodKind) -> Period | None:
    """The period of the customer's latest working call, if any."""
    latest = unit.session.scalar(
        select(func.max(CALL.starts_at)).where(CALL.customer_id == customer.id, CALL.kind == "working")
    )
    if latest is None:
        return None
    return period_of_instant(kind, latest, zone(customer.tz))


def ledger(
    unit: Unit, customer: CustomerRow, first: Period, last: Period, change: Change | None = None
) -> list[LedgerRow]:
    """The customer's ledger from ``first`` to ``last``, optionally after a hypothetical change."""
    plan = plan_of(unit, customer)
    assert plan.period is not None
    tz = zone(customer.tz)
    opening = _opening(unit, customer, plan.period, first)
    facts = call_facts(unit, customer, opening.start_utc(tz), last.end_utc(tz))
    return _rows(unit, customer, opening, (first, last), change(facts) if change is not None else facts)


def ledgers(unit: Unit, wanted: Sequence[Wanted]) -> dict[int, list[LedgerRow]]:
    """Several customers' ledgers, each ``(customer, first, last)``, read in a few queries in all.

    The same rows as ``ledger`` for each, without three queries per customer.
    """
    openings = _openings(unit, wanted)
    windows = {
        customer.id: (openings[customer.id].start_utc(zone(customer.tz)), last.end_utc(zone(customer.tz)))
        for customer, _, last in wanted
    }
    facts = _call_facts(unit, windows) if windows else {}
    return {
        customer.id: _rows(unit, customer, openings[customer.id], (first, last), facts[customer.id])
        for customer, first, last in wanted
    }


def _rows(
    unit: Unit, customer: CustomerRow, opening: Period, shown: tuple[Period, Period], facts: list[CallFact]
) -> list[LedgerRow]:
    plan = plan_of(unit, customer)
    assert plan.period is not None
    tz = zone(customer.tz)
    first, last = shown
    rows = compute_ledger(
        sessions=plan.sessions,
        kind=plan.period,
        tz=tz,
        calls=facts,
        first=opening,
        last=last,
        today=local_date(unit.now, tz),
        contract=contract_of(customer),
    )
    return [row for row in rows if row.period >= first]


def require_allowance(unit: Unit, customer: CustomerRow, plan: Plan, touched: list[Period], change: Change) -> None:
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


def current_period(unit: Unit, customer: CustomerRow, kind: PeriodKind) -> Period:
    """The allowance period that contains now, in the customer's zone."""
    return period_containing(kind, local_date(unit.now, zone(customer.tz)))
