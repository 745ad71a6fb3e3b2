"""Calls and their life cycle (SPEC S1, S2, S5, S6, S8, S9).

A call is a working session (it uses a unit of the allowance) or a review call
that a plan keeps outside the allowance (csm's quarterly business review,
premium's monthly service review). These functions decide whether a booking,
a move, a cancellation or a mark is allowed; they change nothing themselves.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from tamdesk.domain.errors import BadInput, Refusal
from tamdesk.domain.obligations import Warning
from tamdesk.domain.periods import Period, PeriodKind, period_of_instant

Status = Literal["scheduled", "held", "no-show", "cancelled-by-customer", "cancelled-by-tam"]
STATUSES: tuple[Status, ...] = ("scheduled", "held", "no-show", "cancelled-by-customer", "cancelled-by-tam")
CANCELLED = frozenset({"cancelled-by-customer", "cancelled-by-tam"})
Who = Literal["customer", "tam"]


def check_length(minutes: int, limit: int = 60) -> None:
    """A call lasts more than 0 and at most ``limit`` minutes (S1)."""
    if minutes <= 0:
        raise BadInput(f"a call must last at least 1 minute, not {minutes}")
    if minutes > limit:
        raise Refusal(
            "S1",
            f"a working session lasts at most {limit} minutes; {minutes} were asked for.",
            instead=f"Book {limit} minutes, and a second session for the rest.",
        )


def check_bookable(start: datetime, now: datetime, yours: ZoneInfo | None = None) -> None:
    """A new call starts now or later: the past is recorded with ``--now``.

    The refusal says the time in the TAM's zone ``yours`` (UTC if not given).
    """
    if start < now:
        raise Refusal(
            "S2",
            f"the call would start at {_seen(start, yours)}, which has passed.",
            instead="Choose a time from now on (to record the past, back-date with --now).",
        )


def _seen(instant: datetime, yours: ZoneInfo | None) -> str:
    """An instant as a refusal says it: day and time in the TAM's zone (UTC if not given), the zone named."""
    local = instant.astimezone(yours or ZoneInfo("UTC"))
    return f"{local:%a %Y-%m-%d %H:%M} {local.tzinfo}"


def check_mark(status: str, start: datetime, now: datetime, mark: str, yours: ZoneInfo | None = None) -> None:
    """Only a scheduled call that has begun can be marked held or no-show (S2); times in ``yours``."""
    if status != "scheduled":
        raise Refusal("S2", f"the call is {status}; only a scheduled call can be marked {mark}.")
    if now < start:
        raise Refusal(
            "S2",
            f"the call starts at {_seen(start, yours)} and has not begun; it cannot be marked {mark} yet.",
            instead="Mark it once it has started, or move or cancel it.",
        )


def unmarked_warning(customer: str, call_id: int, start: datetime, minutes: int, status: str, now: datetime, yours: ZoneInfo) -> Warning | None:
    """A call that has ended and is still scheduled: it was held, or the customer did not come (S2).

    The time is said in the TAM's zone ``yours``, as the TAM remembers the call.
    """
    if status != "scheduled" or start + timedelta(minutes=minutes) > now:
        return None
    return Warning(
        customer,
        "S2",
        f"call {call_id} on {_seen(start, yours)} has ended and is still scheduled: mark it held or no-show "
        f"('tamdesk session held {call_id}' or 'tamdesk session no-show {call_id}'; h or n on the Week).",
    )


def check_cancel(status: str, start: datetime, now: datetime) -> None:
    """A scheduled call can be cancelled until it starts (S2)."""
    if status != "scheduled":
        raise Refusal("S2", f"the call is already {status}.")
    if now >= start:
        raise Refusal(
            "S2",
            "the call has already started; it cannot be cancelled.",
            instead="Mark it held, or no-show if the customer did not come.",
        )


class MoveRequest(NamedTuple):
    """A move of a call to a new start, asked for by the customer or the TAM."""

    status: str
    start: datetime
    new_start: datetime
    by: Who
    uses_allowance: bool


def check_move(move: MoveRequest, *, now: datetime, kind: PeriodKind | None, tz: ZoneInfo) -> None:
    """Whether a call may move to ``new_start`` (S2, S5, S6).

    A scheduled call moves before it starts; a cancelled call moves to book it
    again. Periods matter only for calls that use the allowance: a customer's
    move, and any move of a customer-cancelled call, stays in the period of the
    appointment (S5); the TAM may move a call into the next month, not further (S6).
    """
    if move.status not in ("scheduled", *CANCELLED):
        raise Refusal("S2", f"the call is {move.status}; a held call cannot move.")
    if move.status == "scheduled" and now >= move.start:
        raise Refusal(
            "S2", "the call has already started; it cannot move.", instead="Mark it held or no-show."
        )
    if move.new_start < now:
        raise Refusal("S2", "the new time has passed.", instead="Choose a time from now on.")
    if not move.uses_allowance or kind is None:
        return
    here = period_of_instant(kind, move.start, tz)
    there = period_of_instant(kind, move.new_start, tz)
    if here == there:
        return
    if move.status == "cancelled-by-customer" or move.by == "customer":
        what = "cancelled by the customer" if move.status == "cancelled-by-customer" else "moved by the customer"
        raise Refusal(
            "S5",
            f"a session {what} may be booked again only inside {here}, the {kind} of its appointment; "
            f"{move.new_start.astimezone(tz):%Y-%m-%d} is in {there}.",
            instead=_inside(here, now.astimezone(tz).date()),
        )
    if kind == "month" and there > here.next():
        raise Refusal(
            "S6",
            f"a session the TAM moves may go into the next month ({here.next()}), not further; "
            f"{move.new_start.astimezone(tz):%Y-%m-%d} is in {there}.",
            instead=f"Choose a time in {here} or {here.next()}.",
        )


def _inside(period: Period, today: date) -> str:
    """Where an S5 unit may still go: the rest of its period, or nowhere once the period has ended."""
    if today > period.last:
        return f"{period} has ended, so the unit can no longer be booked again."
    return f"Choose a time in {period} (from {max(period.first, today)} to {period.last})."


def cancellation_effect(by: Who, period: str, next_period: str, kind: PeriodKind | None) -> str:
    """What becomes of a cancelled session's unit, in words (S5, S6, S7)."""
    if kind is None:
        return "The call was outside the allowance; no unit changes."
    if by == "customer":
        return f"S5: the unit is free again, to be booked inside {period} only."
    if kind == "week":
        return f"S7: the unit is free again for {period}; nothing carries to the next week."
    return (
        f"S6: the unit is free again for {period}; if it is not used by the month's end "
        f"it becomes a credit for {next_period}."
    )
