"""Booking, moving, cancelling and marking calls (SPEC S1-S9, T4-T6, B1-B2).

Every change runs the same admission in one transaction: length (S1), the
allowance ledger after the change (S3, S5, S6, S7), the quarter's review (S8),
business hours and time off (T4, T5) and the weekly cap (B2). Hard rules
refuse; out-of-hours and over-budget ask for confirmation (``force``) and the
call keeps the exception.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from tamdesk.domain.allowance import ACTIVE, CallFact
from tamdesk.domain.budget import check_budget
from tamdesk.domain.business_hours import SlotVerdict, judge_slot, require_slot
from tamdesk.domain.calls import (
    MoveRequest,
    Who,
    cancellation_effect,
    check_bookable,
    check_cancel,
    check_length,
    check_mark,
    check_move,
)
from tamdesk.domain.errors import BadInput, NeedsConfirmation, Refusal, combine_confirmations
from tamdesk.domain.periods import Period, iso_week_of, period_of_instant, quarter_of
from tamdesk.domain.plans import Plan
from tamdesk.domain.timezones import local_date, parse_datetime, start_of_day, zone
from tamdesk.services.allowances import Change, period_kind_of, require_allowance
from tamdesk.services.budget import customer_week
from tamdesk.services.customers import calendar_of, critical_intervals, plan_of, time_off_intervals
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.timelog import check_day_room
from tamdesk.services.views import CallEventView, CallView
from tamdesk.store.models import Call, CallEvent, Customer, TimeEntry


@dataclass(frozen=True)
class CallChange:
    """A call after a change, and what the change meant in words."""

    call: CallView
    note: str | None = None


def call_view(unit: Unit, call: Call) -> CallView:
    """The view of a call row, titled from the customer's plan."""
    customer = call.customer
    return CallView(
        id=call.id,
        uid=call.uid,
        customer_id=customer.id,
        customer=customer.name,
        tz=customer.tz,
        plan=customer.plan,
        start=call.starts_at,
        minutes=call.minutes,
        status=call.status,
        kind=call.kind,
        review=call.review,
        agenda=call.agenda,
        exception=call.exception,
        over_budget=call.over_budget,
        sequence=call.sequence,
        updated_at=call.updated_at,
        title=plan_of(unit, customer).call_title(call.kind, call.review),
        contacts=tuple(c.email for c in customer.contacts),
    )


def _start(text: str | datetime, customer: Customer, now: datetime) -> datetime:
    """A call's start: typed in the customer's zone, as people say it from the desk's clock."""
    if isinstance(text, datetime):
        return text
    return parse_datetime(text, zone(customer.tz), now)


def _call(unit: Unit, call_id: int | str) -> Call:
    return unit.owned(Call, call_id, "call", "session list")


@dataclass(frozen=True)
class SlotPreview:
    """Where a call typed in the customer's zone falls, judged before it is booked (T1-T5, B2)."""

    customer: str
    customer_tz: str
    tam_tz: str
    start: datetime
    minutes: int
    verdict: SlotVerdict
    week: CustomerWeek  # the customer's week in the TAM's zone, this call not yet counted

    @property
    def over_budget(self) -> bool:
        """Whether booking it would take the customer past the weekly cap (B2)."""
        return self.week.over_after(self.minutes)


def preview_slot(desk: Desk, customer_ref: str | int, start: str | datetime, minutes: int = 60) -> SlotPreview:
    """Judge a slot without booking it: its instant, business hours, time off, budget."""

    def work(unit: Unit) -> SlotPreview:
        customer = unit.customer(customer_ref)
        begins = _start(start, customer, unit.now)
        end = begins + timedelta(minutes=minutes)
        verdict = judge_slot(
            begins,
            end,
            calendar_of(unit, customer),
            time_off_intervals(unit, begins, end),
            critical_intervals(customer),
        )
        week = customer_week(unit, customer, local_date(begins, unit.tam_tz))
        return SlotPreview(customer.name, customer.tz, unit.tam_tz.key, begins, minutes, verdict, week)

    return desk.read(work)


def _check_review(unit: Unit, customer: Customer, start: datetime, skip_call: int | None) -> None:
    """One working session per quarter is the quarterly review (S8)."""
    quarter = quarter_of(local_date(start, zone(customer.tz)))
    tz = zone(customer.tz)
    query = select(Call).where(
        Call.customer_id == customer.id,
        Call.kind == "working",
        Call.review.is_(True),
        Call.status.in_(ACTIVE),
        Call.starts_at >= quarter.start_utc(tz),
        Call.starts_at < quarter.end_utc(tz),
    )
    if skip_call is not None:
        query = query.where(Call.id != skip_call)
    other = unit.session.scalars(query).first()
    if other is not None:
        raise Refusal(
            "S8",
            f"{quarter} already has its quarterly review with {customer.name}, call {other.id} on "
            f"{other.starts_at.astimezone(tz):%Y-%m-%d %H:%M}.",
            instead="Book this one as a normal working session, or move that review.",
        )


def _admit(
    unit: Unit,
    customer: Customer,
    plan: Plan,
    *,
    start: datetime,
    minutes: int,
    call: Call | None,
    kind: str,
    force: bool,
    change_period: list[Period],  # periods touched, target first
    change: Change,
) -> tuple[str | None, bool]:
    """Every rule a booking or move must pass; returns (exception, over budget)."""
    check_length(minutes, plan.session_minutes)
    if kind == "working":
        require_allowance(unit, customer, plan, change_period, change)
    end = start + timedelta(minutes=minutes)
    pending: list[NeedsConfirmation] = []
    exception: str | None = None
    try:
        exception = require_slot(
            start,
            end,
            calendar_of(unit, customer),
            who=customer.name,
            time_off=time_off_intervals(unit, start, end),
            critical_periods=critical_intervals(customer),
            confirmed=force,
        )
    except NeedsConfirmation as asked:
        pending.append(asked)
    week_day = local_date(start, unit.tam_tz)
    over = False
    try:
        over = check_budget(
            customer_week(unit, customer, week_day, skip_call=call.id if call else None),
            minutes,
            customer=customer.name,
            week_key=iso_week_of(week_day).key,
            confirmed=force,
        )
    except NeedsConfirmation as asked:
        pending.append(asked)
    if pending:
        raise combine_confirmations(pending)
    return exception, over


def _event(call: Call, unit: Unit, action: str, by: str | None, from_start: datetime | None, from_status: str | None) -> None:
    call.events.append(
        CallEvent(
            at=unit.now,
            action=action,
            by=by,
            from_starts_at=from_start,
            to_starts_at=call.starts_at,
            from_status=from_status,
            to_status=call.status,
        )
    )


def book_call(
    desk: Desk,
    customer_ref: str | int,
    start: str | datetime,
    *,
    minutes: int = 60,
    review: bool = False,
    agenda: str | None = None,
    force: bool = False,
) -> CallChange:
    """Book a call with a customer; START is local to the contract unless it has an offset."""

    def work(unit: Unit) -> CallChange:
        customer = unit.customer(customer_ref)
        plan = plan_of(unit, customer)
        begins = _start(start, customer, unit.now)
        check_length(minutes, plan.session_minutes)
        check_bookable(begins, unit.now, unit.tam_tz)
        separate_review = review and not plan.review.in_allowance
        kind = "review" if separate_review else "working"
        if kind == "working" and not plan.has_allowance:
            raise Refusal(
                "S3",
                f"plan {plan.key} grants no working sessions to {customer.name}.",
                instead=f"Book its {plan.review.title.lower()} with --review.",
            )
        if kind == "working" and review:
            _check_review(unit, customer, begins, None)
        period = period_of_instant(plan.period, begins, zone(customer.tz)) if plan.period else None

        def change(facts: list[CallFact]) -> list[CallFact]:
            return [*facts, CallFact(-1, begins, "scheduled")]

        exception, over = _admit(
            unit, customer, plan, start=begins, minutes=minutes, call=None, kind=kind,
            force=force, change_period=[period] if period else [], change=change,
        )
        call = Call(
            tam_id=unit.tam.id,
            customer=customer,
            starts_at=begins,
            minutes=minutes,
            status="scheduled",
            kind=kind,
            review=review,
            agenda=(agenda or "").strip() or None,
            exception=exception,
            over_budget=over,
            sequence=0,
            created_at=unit.now,
            updated_at=unit.now,
        )
        unit.session.add(call)
        _event(call, unit, "booked", None, None, None)
        unit.session.flush()
        return CallChange(call_view(unit, call), _marks(exception, over))

    return desk.write(work)


def _marks(exception: str | None, over: bool) -> str | None:
    marks = [m for m in (exception and f"exception: {exception}", over and "over budget (B2)") if m]
    return "; ".join(marks) or None


def move_call(desk: Desk, call_id: int | str, start: str | datetime, *, by: Who, force: bool = False) -> CallChange:
    """Move a call (or book a cancelled one again) keeping its identity (S2, S5, S6)."""
    if by not in ("customer", "tam"):
        raise BadInput("--by is customer or tam")

    def work(unit: Unit) -> CallChange:
        call = _call(unit, call_id)
        customer = call.customer
        plan = plan_of(unit, customer)
        tz = zone(customer.tz)
        begins = _start(start, customer, unit.now)
        kind = period_kind_of(plan)
        check_move(
            MoveRequest(call.status, call.starts_at, begins, by, call.kind == "working"),
            now=unit.now,
            kind=kind,
            tz=tz,
        )
        if call.kind == "working" and call.review:
            _check_review(unit, customer, begins, call.id)
        touched = []
        if kind is not None:
            touched = [period_of_instant(kind, begins, tz), period_of_instant(kind, call.starts_at, tz)]

        def change(facts: list[CallFact]) -> list[CallFact]:
            out = [f for f in facts if f.id != call.id]
            old = next((f for f in facts if f.id == call.id), CallFact(call.id, call.starts_at, call.status))
            departures = old.tam_departures + (((call.starts_at, begins),) if by == "tam" else ())
            return [*out, replace(old, start=begins, status="scheduled", tam_departures=departures)]

        exception, over = _admit(
            unit, customer, plan, start=begins, minutes=call.minutes, call=call, kind=call.kind,
            force=force, change_period=touched, change=change,
        )
        old_start, old_status = call.starts_at, call.status
        call.starts_at = begins
        call.status = "scheduled"
        call.exception = exception
        call.over_budget = over
        call.sequence += 1
        call.updated_at = unit.now
        _event(call, unit, "moved", by, old_start, old_status)
        unit.session.flush()
        note = f"moved by the {'customer' if by == 'customer' else 'TAM'} from {old_start.astimezone(tz):%a %Y-%m-%d %H:%M}"
        marks = _marks(exception, over)
        return CallChange(call_view(unit, call), note + (f"; {marks}" if marks else ""))

    return desk.write(work)


def cancel_call(desk: Desk, call_id: int | str, *, by: Who) -> CallChange:
    """Cancel a call, saying who cancelled and what becomes of its unit (S2, S5, S6)."""
    if by not in ("customer", "tam"):
        raise BadInput("--by is customer or tam")

    def work(unit: Unit) -> CallChange:
        call = _call(unit, call_id)
        check_cancel(call.status, call.starts_at, unit.now)
        effect = _cancellation_effect(unit, call, by)
        call.status = f"cancelled-by-{by}"
        call.sequence += 1
        call.updated_at = unit.now
        _event(call, unit, "cancelled", by, call.starts_at, "scheduled")
        unit.session.flush()
        return CallChange(call_view(unit, call), effect)

    return desk.write(work)


def _cancellation_effect(unit: Unit, call: Call, by: Who) -> str:
    plan = plan_of(unit, call.customer)
    kind = period_kind_of(plan) if call.kind == "working" else None
    period = period_of_instant(kind, call.starts_at, zone(call.customer.tz)) if kind else None
    return cancellation_effect(by, str(period), str(period.next()) if period else "", kind)


def cancellation_preview(desk: Desk, call_id: int | str, by: Who) -> str:
    """What cancelling the call now would do to its unit, changing nothing (S5, S6, S7).

    Refuses as ``cancel_call`` would (a call already past or not scheduled).
    """

    def work(unit: Unit) -> str:
        call = _call(unit, call_id)
        check_cancel(call.status, call.starts_at, unit.now)
        return _cancellation_effect(unit, call, by)

    return desk.read(work)


def mark_call(desk: Desk, call_id: int | str, mark: str) -> CallChange:
    """Mark a call held or no-show; its time is logged for the day it took place (S2, B1).

    A no-show counts as held for the allowance, and the TAM's hour was spent
    waiting, so it is logged too.
    """
    if mark not in ("held", "no-show"):
        raise BadInput("a call is marked held or no-show")

    def work(unit: Unit) -> CallChange:
        call = _call(unit, call_id)
        check_mark(call.status, call.starts_at, unit.now, mark, unit.tam_tz)
        call.status = mark
        call.sequence += 1
        call.updated_at = unit.now
        _event(call, unit, mark, None, call.starts_at, "scheduled")
        view = call_view(unit, call)
        check_day_room(unit, local_date(call.starts_at, unit.tam_tz), call.minutes)  # its time is an entry too (B5)
        unit.session.add(
            TimeEntry(
                tam_id=unit.tam.id,
                customer_id=call.customer_id,
                call_id=call.id,
                work_date=local_date(call.starts_at, unit.tam_tz),
                minutes=call.minutes,
                note=f"{view.title} {'held' if mark == 'held' else '(customer absent)'}",
                activity="service-review" if call.kind == "review" else None,
                over_budget=call.over_budget,
                logged_at=unit.now,
            )
        )
        unit.session.flush()
        return CallChange(view, f"{call.minutes} minutes logged for {call.customer.name}")

    return desk.write(work)


def list_calls(
    desk: Desk,
    *,
    first: date | None = None,
    last: date | None = None,
    customer: str | int | None = None,
) -> list[CallView]:
    """Calls from ``first`` to ``last`` (local dates of the TAM, both included), by start."""

    def work(unit: Unit) -> list[CallView]:
        customer_id = unit.customer(customer).id if customer is not None else None
        return calls_between(unit, first, last, customer_id)

    return desk.read(work)


def calls_query(unit: Unit, first: date | None, last: date | None, customer_id: int | None = None) -> Select[tuple[Call]]:
    """The TAM's calls from ``first`` to ``last`` (local dates, both included), by start.

    Each call's customer and contacts come with it, in two more queries in all
    rather than two per customer.
    """
    query = (
        select(Call)
        .where(Call.tam_id == unit.tam.id)
        .options(selectinload(Call.customer).selectinload(Customer.contacts))
        .order_by(Call.starts_at, Call.id)
    )
    if first is not None:
        query = query.where(Call.starts_at >= start_of_day(first, unit.tam_tz))
    if last is not None:
        query = query.where(Call.starts_at < start_of_day(last + timedelta(days=1), unit.tam_tz))
    if customer_id is not None:
        query = query.where(Call.customer_id == customer_id)
    return query


def calls_between(unit: Unit, first: date | None, last: date | None, customer_id: int | None = None) -> list[CallView]:
    """The views of :func:`calls_query`'s calls."""
    return [call_view(unit, c) for c in unit.session.scalars(calls_query(unit, first, last, customer_id))]


def call_history(desk: Desk, call_id: int | str) -> list[CallEventView]:
    """Every step of a call's life, oldest first (S2)."""

    def work(unit: Unit) -> list[CallEventView]:
        call = _call(unit, call_id)
        return [
            CallEventView(e.at, e.action, e.by, e.from_starts_at, e.to_starts_at, e.to_status) for e in call.events
        ]

    return desk.read(work)
