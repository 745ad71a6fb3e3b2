"""The allowance ledger of working sessions (SPEC S3-S7).

For a customer and a period (a calendar month in the contract zone, or an ISO
week for weekly plans, S7) the ledger says what was granted, what was carried
in, what is booked and held, what is still available, and what crosses into
the next period (``carried_out``) or is lost (``forfeited``):

* ``granted`` = the plan's sessions if the contract is active on any day (S3);
* ``carried_in`` = ``carried_out`` of the period before (S6);
* ``booked`` = calls in the period that are scheduled, held or no-show (S3);
* ``available`` = ``granted + carried_in - booked``;
* ``carried_out`` = min(what is left, sessions the TAM cancelled or moved out
  of the period) for monthly plans, always 0 for weekly ones (S6, S7);
* ``forfeited`` = what is left minus ``carried_out`` (S4).

A past period's last two figures are final; the current one's are projected
as if nothing more were booked. Nothing else ever crosses a period.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Iterable, NamedTuple, Sequence
from zoneinfo import ZoneInfo

from tamdesk.domain.errors import Refusal
from tamdesk.domain.periods import Period, PeriodKind, period_of_instant, periods_between

ACTIVE = frozenset({"scheduled", "held", "no-show"})
HELD = frozenset({"held", "no-show"})


class CallFact(NamedTuple):
    """What the ledger needs of one call that uses the allowance.

    ``tam_departures`` are the TAM's cancellations and moves of the call, each
    as (the start it left, the start it went to or ``None`` for a cancellation);
    a customer's cancellations and moves are not listed (S6).
    """

    id: int
    start: datetime
    status: str
    tam_departures: tuple[tuple[datetime, datetime | None], ...] = ()


class Contract(NamedTuple):
    """The local dates a contract is active, both ends included; ``None`` is open."""

    active_from: date | None = None
    active_until: date | None = None

    def active_in(self, period: Period) -> bool:
        """True when the contract is active on any day of ``period`` (S3)."""
        starts_in_time = self.active_from is None or self.active_from < period.end
        not_ended = self.active_until is None or self.active_until >= period.first
        return starts_in_time and not_ended


class LedgerRow(NamedTuple):
    """The S3 ledger of one customer for one period."""

    period: Period
    granted: int
    carried_in: int
    booked: int
    held: int
    available: int
    tam_freed: int
    carried_out: int
    forfeited: int
    final: bool

    @property
    def left(self) -> int:
        """What is still available and not negative: the base of carry and forfeit."""
        return max(self.available, 0)


def compute_ledger(
    *,
    sessions: int,
    kind: PeriodKind,
    tz: ZoneInfo,
    calls: Iterable[CallFact],
    first: Period,
    last: Period,
    today: date,
    contract: Contract = Contract(),
) -> list[LedgerRow]:
    """The ledger of every period from ``first`` to ``last``.

    ``first`` must be a period whose ``carried_in`` is 0: one after a period in
    which the TAM freed nothing, or the customer's first. ``today`` is the local
    date in ``tz``; periods that end on or before it are final.
    """
    periods = periods_between(first, last)
    booked: dict[Period, int] = {p: 0 for p in periods}
    held: dict[Period, int] = {p: 0 for p in periods}
    freed: dict[Period, set[int]] = {p: set() for p in periods}
    active_in: dict[int, Period | None] = {}
    calls = list(calls)
    for call in calls:
        period = period_of_instant(kind, call.start, tz)
        active_in[call.id] = period if call.status in ACTIVE else None
        if call.status in ACTIVE and period in booked:
            booked[period] += 1
            if call.status in HELD:
                held[period] += 1
    for call in calls:
        for left, went_to in call.tam_departures:
            origin = period_of_instant(kind, left, tz)
            if went_to is not None and period_of_instant(kind, went_to, tz) <= origin:
                # A move inside the period is not a cancellation, and neither is a
                # move back into an earlier one: that call uses the earlier
                # period's unit again and this one's follows S4 (S6).
                continue
            # A call the TAM moved away and back again is not a freed unit.
            if origin in freed and active_in[call.id] != origin:
                freed[origin].add(call.id)

    rows: list[LedgerRow] = []
    carried_in = 0
    for period in periods:
        granted = sessions if contract.active_in(period) else 0
        available = granted + carried_in - booked[period]
        left = max(available, 0)
        tam_freed = len(freed[period])
        carried_out = min(left, tam_freed) if kind == "month" else 0
        rows.append(
            LedgerRow(
                period=period,
                granted=granted,
                carried_in=carried_in,
                booked=booked[period],
                held=held[period],
                available=available,
                tam_freed=tam_freed,
                carried_out=carried_out,
                forfeited=left - carried_out,
                final=period.end <= today,
            )
        )
        carried_in = carried_out
    return rows


def row_for(rows: Sequence[LedgerRow], period: Period) -> LedgerRow | None:
    """The row of ``period`` in ``rows``, if it is there."""
    return next((row for row in rows if row.period == period), None)


def check_change(
    before: Sequence[LedgerRow],
    after: Sequence[LedgerRow],
    *,
    customer: str,
    target: Period | None,
) -> None:
    """Refuse a change that leaves any period with less than nothing (S3, S6).

    ``before`` and ``after`` cover the same periods; ``target`` is the period a
    call is being booked or moved into. A period already below zero before the
    change (a plan changed under it) only refuses changes that make it worse.
    """
    for old, new in zip(before, after, strict=True):
        if new.available >= 0 or new.available >= old.available:
            continue
        if new.period == target:
            raise _no_allowance(customer, old, row_for(after, new.period.next()))
        raise Refusal(
            "S6",
            f"{customer}'s {new.period} would be left with {new.available} sessions: its credit "
            f"of {old.carried_in} carried in from {new.period.prev()} (a TAM cancellation) is "
            f"already used by a call booked in {new.period}, and this change would take that unit back.",
            instead=f"Book in {new.period} instead, or cancel one of its calls first.",
        )


def _no_allowance(customer: str, row: LedgerRow, following: LedgerRow | None) -> Refusal:
    """The S3 refusal, from the period's row as it stood before the change."""
    if row.granted == 0 and row.carried_in == 0 and row.booked == 0:
        reason = f"{customer}'s contract grants no sessions in {row.period}."
    else:
        reason = (
            f"no session left for {customer} in {row.period}: {row.granted} granted + "
            f"{row.carried_in} carried in, {row.booked} already booked."
        )
    instead = None
    if following is not None and following.available > 0:
        instead = f"{following.period} has {following.available} available."
    elif following is not None:
        instead = f"{following.period} has none available either."
    return Refusal("S3", reason, instead)
