"""Booking, moving, cancelling and marking calls (SPEC S1-S9, T4-T6, B1-B2).

Every change runs the same admission in one transaction: length (S1), the
allowance ledger after the change (S3, S5, S6, S7), the quarter's review (S8),
one call at a time (T7), business hours and time off (T4, T5), the TAM's
working day (T8) and the weekly cap (B2). Hard rules refuse; out-of-hours and
over-budget ask for confirmation (``force``) and the call keeps the exception.
The desk's preview runs the same admission, and every "or book ..." comes from
one search that runs it on the candidate starts (``_Attempt.next_free``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from tamdesk.domain.allowance import ACTIVE, CallFact
from tamdesk.domain.budget import CustomerWeek, check_budget
from tamdesk.domain.business_hours import Interval, SlotVerdict, judge_slot, require_slot
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
from tamdesk.domain.conflicts import BookedCall, check_overlap, overlapping_ids
from tamdesk.domain.errors import BadInput, NeedsConfirmation, Refusal, TamdeskError, combine_confirmations, with_instead
from tamdesk.domain.periods import Period, iso_week_of, period_of_instant, quarter_of
from tamdesk.domain.plans import Plan
from tamdesk.domain.slots import candidate_starts
from tamdesk.domain.timezones import local_date, parse_datetime, start_of_day, zone
from tamdesk.services.allowances import Change, period_kind_of, require_allowance
from tamdesk.services.budget import customer_week
from tamdesk.services.contracts import calendar_of, critical_intervals, plan_of, time_off_intervals
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.journal import record, when
from tamdesk.services.timelog import check_day_room
from tamdesk.services.settings import workday_of
from tamdesk.services.views import CallEventView, CallView
from tamdesk.store import tables
from tamdesk.store.models import Call, CallEvent, Customer, TimeEntry

Row = TypeVar("Row", bound=tuple[Any, ...])


@dataclass(frozen=True)
class CallChange:
    """A call after a change, and what the change meant in words."""

    call: CallView
    note: str | None = None


def call_view(unit: Unit, call: Call) -> CallView:
    """The view of a call row, titled from the customer's plan."""
    customer = call.customer
    return _view(unit, call, customer, tuple(c.email for c in customer.contacts))


def _view(unit: Unit, call: Any, customer: Any, contacts: tuple[str, ...], overlap: bool = False) -> CallView:
    """A call's view from its fields and its customer's (``name``, ``tz``, ``plan``).

    ``call`` and ``customer`` are mapped objects, or one row of ``_VIEW_COLUMNS``
    serving as both (the week's read): one making of a view for either.
    """
    return CallView(
        id=call.id,
        uid=call.uid,
        customer_id=call.customer_id,
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
        title=unit.catalogue.plan(customer.plan).call_title(call.kind, call.review),
        contacts=contacts,
        overlap=overlap,
    )


def _start(text: str | datetime, customer: Customer, now: datetime) -> datetime:
    """A call's start: typed in the customer's zone, as people say it from the desk's clock."""
    if isinstance(text, datetime):
        return text
    return parse_datetime(text, zone(customer.tz), now)


def _call(unit: Unit, call_id: int | str) -> Call:
    return unit.owned(Call, call_id, "call", "session list")


#: How far ahead the one search looks for a time that passes every rule.
SEARCH_DAYS = 60
#: The longest call the desk books (the CLI's --minutes limit): how far back a call can still overlap.
LONGEST_CALL = timedelta(hours=24)
#: The rules whose refusal or question a later time can answer: they get an "or book ..." suggestion.
ABOUT_THE_TIME = frozenset({"T4", "T7", "T8", "S3", "S5", "S6", "B2"})


def _tam_calls(unit: Unit, start: datetime, end: datetime, skip: int | None) -> list[BookedCall]:
    """The TAM's calls, any customer, that hold time in ``[start, end)``: scheduled, held or no-show (T7)."""
    query = (
        select(Call.id, Customer.name, Call.starts_at, Call.minutes)
        .join(Customer, Customer.id == Call.customer_id)
        .where(
            Call.tam_id == unit.tam.id,
            Call.status.in_(ACTIVE),
            Call.starts_at < end,
            Call.starts_at > start - LONGEST_CALL,
        )
    )
    if skip is not None:
        query = query.where(Call.id != skip)
    calls = [BookedCall(*row) for row in unit.session.execute(query)]
    return [call for call in calls if call.overlaps(start, end)]


def _workday(unit: Unit) -> Callable[[datetime, datetime], list[str]]:
    """Why a slot is outside the TAM's working day, in the TAM's zone (T8)."""
    workday, tz = workday_of(unit), unit.tam_tz
    return lambda start, end: workday.outside_reasons(start, end, tz)


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
    probing: bool = False,
    known: _SearchReads | None = None,
) -> tuple[str | None, bool]:
    """Every rule a booking or move must pass at ``start``; returns (exception, over budget).

    Hard refusals (S1, T7, S3, S6) win over questions (T4, T5, T8, B2), which
    are asked together. ``probing`` (the search) stops at the first question;
    ``known``: the TAM's time off and working day, read once for the whole search.
    """
    check_length(minutes, plan.session_minutes)
    end = start + timedelta(minutes=minutes)
    pending: list[NeedsConfirmation] = []
    exception: str | None = None
    try:
        exception = require_slot(
            start,
            end,
            calendar_of(unit, customer),
            who=customer.name,
            time_off=time_off_intervals(unit, start, end) if known is None else known.time_off_in(start, end),
            critical_periods=critical_intervals(customer),
            workday=_workday(unit) if known is None else known.workday,
            confirmed=force,
        )
    except NeedsConfirmation as asked:
        if probing:
            raise
        pending.append(asked)
    check_overlap(start, end, _tam_calls(unit, start, end, call.id if call else None), unit.tam_tz)
    if kind == "working":
        require_allowance(unit, customer, plan, change_period, change)
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
        if probing:
            raise
        pending.append(asked)
    if pending:
        raise combine_confirmations(pending)
    return exception, over


@dataclass(frozen=True)
class _SearchReads:
    """What the search for a free time reads once, not at each of its (hundreds of) candidate starts.

    Nothing the search probes changes them: it only reads. The time off is the
    TAM's over the whole search, each candidate's own picked out as the query
    would pick it (T4); the working day is the TAM's (T8).
    """

    time_off: list[Interval]
    workday: Callable[[datetime, datetime], list[str]]

    def time_off_in(self, start: datetime, end: datetime) -> list[Interval]:
        return [interval for interval in self.time_off if interval.overlaps(start, end)]


@dataclass
class _Attempt:
    """A booking, or a move of ``call``, judged at some start.

    Saving, the desk's preview and the search for a free time all call
    :meth:`admit`, so a preview never shows as fine what saving would refuse
    or ask about (T8), and a suggestion is never a time that would be refused.
    """

    unit: Unit
    customer: Customer
    plan: Plan
    minutes: int
    kind: str  # "working" (uses the allowance) or "review" (a plan's own review call)
    review: bool
    call: Call | None = None
    by: Who | None = None

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.customer.tz)

    def admit(
        self, start: datetime, *, force: bool = False, probing: bool = False, known: _SearchReads | None = None
    ) -> tuple[str | None, bool]:
        """Every rule at ``start``: returns (exception, over budget), or refuses or asks."""
        unit, call = self.unit, self.call
        if call is None:
            check_bookable(start, unit.now, unit.tam_tz)
        else:
            assert self.by is not None
            request = MoveRequest(call.status, call.starts_at, start, self.by, call.kind == "working")
            check_move(request, now=unit.now, kind=period_kind_of(self.plan), tz=self.tz)
        if self.kind == "working" and self.review:
            _check_review(unit, self.customer, start, call.id if call else None)
        return _admit(
            unit, self.customer, self.plan, start=start, minutes=self.minutes, call=call, kind=self.kind,
            force=force, change_period=self._touched(start), change=self._change(start), probing=probing, known=known,
        )

    def _touched(self, start: datetime) -> list[Period]:
        kind = self.plan.period if self.call is None else period_kind_of(self.plan)
        if kind is None:
            return []
        starts = [start] if self.call is None else [start, self.call.starts_at]
        return [period_of_instant(kind, instant, self.tz) for instant in starts]

    def _change(self, start: datetime) -> Change:
        call, by = self.call, self.by
        if call is None:
            return lambda facts: [*facts, CallFact(-1, start, "scheduled")]

        def moved(facts: list[CallFact]) -> list[CallFact]:
            out = [f for f in facts if f.id != call.id]
            old = next((f for f in facts if f.id == call.id), CallFact(call.id, call.starts_at, call.status))
            departures = old.tam_departures + (((call.starts_at, start),) if by == "tam" else ())
            return [*out, old._replace(start=start, status="scheduled", tam_departures=departures)]

        return moved

    def judge(self, start: datetime, *, force: bool = False) -> tuple[str | None, bool]:
        """:meth:`admit`, and a refusal about the time offers the next time that passes every rule."""
        try:
            return self.admit(start, force=force)
        except Refusal as refused:
            if not ABOUT_THE_TIME.intersection(refused.rule.split(", ")):
                raise
            when = self.next_free(self._origin(start, refused.rule))
            if when is None:
                raise
            text = f"{when.astimezone(self.tz):%a %Y-%m-%d %H:%M} {self.tz.key}"
            instead = f"{refused.instead.rstrip('.')}, or book {text}" if refused.instead else f"Book {text}"
            raise with_instead(refused, instead + ", the next time that passes every rule.") from None

    def _origin(self, start: datetime, rule: str) -> datetime:
        """Where the search starts: the time asked, or for S5 the start of the appointment's own period."""
        if rule == "S5" and self.call is not None and (kind := period_kind_of(self.plan)) is not None:
            return max(self.unit.now, period_of_instant(kind, self.call.starts_at, self.tz).start_utc(self.tz))
        return max(start, self.unit.now)

    def next_free(self, after: datetime) -> datetime | None:
        """The one search: the first start from ``after`` on that every rule admits without a question."""
        unit = self.unit
        until = after + timedelta(days=SEARCH_DAYS)
        skip = self.call.id if self.call else None
        edges = [c.end for c in _tam_calls(unit, after, until, skip)]
        edges += [t.end for t in time_off_intervals(unit, after, until)]
        clocks = [
            (self.tz, after.astimezone(self.tz).time()),
            (self.tz, calendar_of(unit, self.customer).hours.opens),
            (unit.tam_tz, workday_of(unit).hours.opens),
        ]
        # A candidate's call ends at most LONGEST_CALL after the last start.
        known = _SearchReads(time_off_intervals(unit, after, until + LONGEST_CALL), _workday(unit))
        for start in candidate_starts(after, until, clocks, edges):
            try:
                self.admit(start, probing=True, known=known)
            except TamdeskError:
                continue
            return start
        return None


@dataclass(frozen=True)
class SlotPreview:
    """Where a call typed in the customer's zone falls, judged as saving would judge it (T1-T8, S1-S8, B2)."""

    customer: str
    customer_tz: str
    tam_tz: str
    start: datetime
    minutes: int
    verdict: SlotVerdict
    week: CustomerWeek  # the customer's week in the TAM's zone, this call not yet counted
    #: What saving would say now: a refusal, a question (``NeedsConfirmation``), or ``None`` when it would just book.
    answer: Refusal | None = None

    @property
    def over_budget(self) -> bool:
        """Whether booking it would take the customer past the weekly cap (B2)."""
        return self.week.over_after(self.minutes)


def preview_slot(
    desk: Desk, customer_ref: str | int, start: str | datetime, minutes: int = 60, *, review: bool = False
) -> SlotPreview:
    """Judge a booking without making it: the same checks as :func:`book_call`, and where the slot falls."""

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
            _workday(unit),
        )
        week = customer_week(unit, customer, local_date(begins, unit.tam_tz))
        answer: Refusal | None = None
        try:
            _booking(unit, customer, minutes, review).judge(begins)
        except Refusal as said:
            answer = said
        return SlotPreview(customer.name, customer.tz, unit.tam_tz.key, begins, minutes, verdict, week, answer)

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


def _event(
    call: Call, unit: Unit, action: str, by: str | None, from_start: datetime | None, from_status: str | None
) -> CallEvent:
    event = CallEvent(
        customer_id=call.customer_id,
        at=unit.now,
        action=action,
        by=by,
        from_starts_at=from_start,
        to_starts_at=call.starts_at,
        from_status=from_status,
        to_status=call.status,
    )
    call.events.append(event)
    return event


def _journal(unit: Unit, call: Call, kind: str, summary: str, event: CallEvent, **before: object) -> None:
    """Keep the change for undo (after a flush, so the event has its id)."""
    unit.session.flush()
    record(unit, f"call.{kind}", call.id, summary, {"event_id": event.id, **before})


def _whose(call: Call) -> str:
    return f"{call.customer.name}'s call"


def _booking(unit: Unit, customer: Customer, minutes: int, review: bool) -> _Attempt:
    """A new booking with the customer, after the rules that do not depend on its time (S1, S3)."""
    plan = plan_of(unit, customer)
    check_length(minutes, plan.session_minutes)
    if plan.review.every is None and (review or not plan.has_allowance):
        raise Refusal("S3", f"plan {plan.key} grants {customer.name} neither working sessions nor review calls (P1).")
    kind = "review" if review and not plan.review.in_allowance else "working"
    if kind == "working" and not plan.has_allowance:
        raise Refusal(
            "S3",
            f"plan {plan.key} grants no working sessions to {customer.name}.",
            instead=f"Book its {plan.review.title.lower()} with --review.",
        )
    return _Attempt(unit, customer, plan, minutes, kind, review)


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
        begins = _start(start, customer, unit.now)
        attempt = _booking(unit, customer, minutes, review)
        exception, over = attempt.judge(begins, force=force)
        call = Call(
            tam_id=unit.tam.id,
            customer=customer,
            starts_at=begins,
            minutes=minutes,
            status="scheduled",
            kind=attempt.kind,
            review=review,
            agenda=(agenda or "").strip() or None,
            exception=exception,
            over_budget=over,
            sequence=0,
            created_at=unit.now,
            updated_at=unit.now,
        )
        unit.session.add(call)
        event = _event(call, unit, "booked", None, None, None)
        _journal(unit, call, "booked", f"booked {_whose(call)} on {when(begins, unit)}", event)
        return CallChange(call_view(unit, call), _marks(exception, over))

    return desk.write(work)


def _marks(exception: str | None, over: bool) -> str | None:
    marks = [m for m in (exception and f"exception: {exception}", over and "over budget (B2)") if m]
    return "; ".join(marks) or None


def move_call(desk: Desk, call_id: int | str, start: str | datetime, *, by: Who, force: bool = False) -> CallChange:
    """Move a call (or book a cancelled one again) keeping its identity (S2, S5, S6, T7)."""
    if by not in ("customer", "tam"):
        raise BadInput("--by is customer or tam")

    def work(unit: Unit) -> CallChange:
        call = _call(unit, call_id)
        customer = call.customer
        plan = plan_of(unit, customer)
        tz = zone(customer.tz)
        begins = _start(start, customer, unit.now)
        attempt = _Attempt(unit, customer, plan, call.minutes, call.kind, call.review, call, by)
        exception, over = attempt.judge(begins, force=force)
        old_start, old_status, old_exception, old_over = call.starts_at, call.status, call.exception, call.over_budget
        call.starts_at = begins
        call.status = "scheduled"
        call.exception = exception
        call.over_budget = over
        call.sequence += 1
        call.updated_at = unit.now
        event = _event(call, unit, "moved", by, old_start, old_status)
        _journal(
            unit, call, "moved", f"moved {_whose(call)} from {when(old_start, unit)} to {when(begins, unit)}", event,
            start=old_start, status=old_status, exception=old_exception, over_budget=old_over,
        )
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
        event = _event(call, unit, "cancelled", by, call.starts_at, "scheduled")
        _journal(unit, call, "cancelled", f"cancelled {_whose(call)} on {when(call.starts_at, unit)}", event)
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
        event = _event(call, unit, mark, None, call.starts_at, "scheduled")
        view = call_view(unit, call)
        check_day_room(unit, local_date(call.starts_at, unit.tam_tz), call.minutes)  # its time is an entry too (B5)
        entry = TimeEntry(
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
        unit.session.add(entry)
        unit.session.flush()  # the entry's id, kept for undo
        _journal(unit, call, "marked", f"marked {_whose(call)} on {when(call.starts_at, unit)} {mark}", event, entry_id=entry.id)
        return CallChange(view, f"{call.minutes} minutes logged for {call.customer.name}")

    return desk.write(work)


def restore_call(unit: Unit, call_id: int, event_id: int, *, start: datetime, status: str, marks: tuple[str | None, bool] | None = None) -> Call:
    """Put a call back at ``start`` in ``status``, as before the change that wrote event ``event_id`` (undo).

    That event is voided (its action becomes ``<action>-undone``), so the ledger
    no longer reads it: undoing a TAM's cancellation or move invents no credit
    (S6). A call that comes back on the calendar, or at another time, passes
    the rules of a booking there (S2 not past, S8, T7, S3/S6, T4/T8 and B2,
    whose questions count as answered: the TAM chose that state before; its
    marks are worked out anew). ``marks`` (exception, over budget) are put back
    as they were otherwise. The call's history gains an ``undone`` step and its
    SEQUENCE rises, so subscribed calendars follow (X1).
    """
    call = _call(unit, call_id)
    voided = unit.session.get_one(CallEvent, event_id)
    if status in ACTIVE and (call.status not in ACTIVE or start != call.starts_at):
        marks = _admit_again(unit, call, start, status, voided)
    from_start, from_status = call.starts_at, call.status
    voided.action = f"{voided.action}-undone"
    call.starts_at, call.status = start, status
    if marks is not None:
        call.exception, call.over_budget = marks
    call.sequence += 1
    call.updated_at = unit.now
    _event(call, unit, "undone", None, from_start, from_status)
    unit.session.flush()
    return call


def _admit_again(unit: Unit, call: Call, start: datetime, status: str, voided: CallEvent) -> tuple[str | None, bool]:
    """The rules of a booking for ``call`` back at ``start``, the ledger reading it without ``voided``."""
    customer = call.customer
    plan = plan_of(unit, customer)
    tz = zone(customer.tz)
    check_bookable(start, unit.now, unit.tam_tz)
    if call.kind == "working" and call.review:
        _check_review(unit, customer, start, call.id)
    kind = period_kind_of(plan)
    touched = [period_of_instant(kind, at, tz) for at in (start, call.starts_at)] if kind else []
    voided_move = (voided.from_starts_at, voided.to_starts_at if voided.action == "moved" else None)

    def back(facts: list[CallFact]) -> list[CallFact]:
        old = next((f for f in facts if f.id == call.id), CallFact(call.id, call.starts_at, call.status))
        departures = list(old.tam_departures)
        if voided.by == "tam" and voided_move in departures:
            departures.remove(voided_move)
        kept = old._replace(start=start, status=status, tam_departures=tuple(departures))
        return [*(f for f in facts if f.id != call.id), kept]

    return _admit(
        unit, customer, plan, start=start, minutes=call.minutes, call=call, kind=call.kind,
        force=True, change_period=touched, change=back,
    )


def discard_call(unit: Unit, call_id: int) -> Call:
    """Remove a booked call with its history, as if never booked (undoing the booking).

    Not a cancellation: no S5/S6 effect is invented, and the call leaves the
    calendar feed, so subscribed calendars drop it (X1).
    """
    call = _call(unit, call_id)
    logged = unit.session.scalar(select(func.count()).select_from(TimeEntry).where(TimeEntry.call_id == call.id))
    if logged:
        raise Refusal("S2", f"{_whose(call)} has time logged against it.", instead="Delete that time first.")
    unit.session.delete(call)
    unit.session.flush()
    return call


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
    query = select(Call).options(selectinload(Call.customer).selectinload(Customer.contacts))
    return _within(query, unit, first, last, customer_id)


def _within(query: Select[Row], unit: Unit, first: date | None, last: date | None, customer_id: int | None) -> Select[Row]:
    """``query`` over the TAM's calls narrowed to local dates ``first`` to ``last`` and a customer, by start."""
    call = tables.calls.c
    # a customer's calls are its TAM's (the customer was found in scope: a manager may read another's)
    mine = call.customer_id == customer_id if customer_id is not None else call.tam_id == unit.desk.tam_id
    query = query.where(mine).order_by(call.starts_at, call.id)
    if first is not None:
        query = query.where(call.starts_at >= start_of_day(first, unit.tam_tz))
    if last is not None:
        query = query.where(call.starts_at < start_of_day(last + timedelta(days=1), unit.tam_tz))
    return query


#: What a call's view is made of, read as plain rows: the week reads them on every turn of a page.
_VIEW_COLUMNS = (
    *(tables.calls.c[name] for name in ("id", "uid", "customer_id")),
    *(tables.customers.c[name] for name in ("name", "tz", "plan")),
    *(tables.calls.c[name] for name in (
        "starts_at", "minutes", "status", "kind", "review", "agenda", "exception", "over_budget", "sequence", "updated_at"
    )),
)


def calls_between(unit: Unit, first: date | None, last: date | None, customer_id: int | None = None) -> list[CallView]:
    """The views of :func:`calls_query`'s calls, each marked when it overlaps another listed call (T7).

    Read as rows, not as mapped objects (a week of 40 calls took 15 ms to
    build as calls, customers and contacts, a third of a page turn), with the
    contacts in one more query.
    """
    rows = unit.session.execute(
        _within(
            select(*_VIEW_COLUMNS).join(tables.customers, tables.customers.c.id == tables.calls.c.customer_id),
            unit, first, last, customer_id,
        )
    ).all()
    contacts: dict[int, list[str]] = defaultdict(list)
    for owner, email in unit.session.execute(
        select(tables.contacts.c.customer_id, tables.contacts.c.email)
        .where(tables.contacts.c.customer_id.in_({row.customer_id for row in rows}))
        .order_by(tables.contacts.c.id)
    ):
        contacts[owner].append(email)
    clashing = overlapping_ids(
        BookedCall(row.id, row.name, row.starts_at, row.minutes) for row in rows if row.status in ACTIVE
    )
    return [_view(unit, row, row, tuple(contacts[row.customer_id]), row.id in clashing) for row in rows]


def call_history(desk: Desk, call_id: int | str) -> list[CallEventView]:
    """Every step of a call's life, oldest first (S2)."""

    def work(unit: Unit) -> list[CallEventView]:
        call = _call(unit, call_id)
        return [
            CallEventView(e.at, e.action, e.by, e.from_starts_at, e.to_starts_at, e.to_status) for e in call.events
        ]

    return desk.read(work)
