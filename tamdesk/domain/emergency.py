"""Emergency engagements: their states, the feasibility clock, the guarantee, daily cuts and money (SPEC E1-E5).

Plain data in, decisions out; "now" is always a parameter. An engagement is
``requested`` until the feasibility answer, which is due 60 minutes after the
request (E3, 24x7: every minute counts) and either ``declined`` it or starts
``normalizing``; reaching normality starts ``mitigating``; closing ends it.

Time is entries cut at the TAM's wall-clock midnights (E4), each piece in the
phase in force when it was worked. Money is ``Decimal`` (E5): one line per
phase and approved day, that day's minutes / 60 x the hourly rate, rounded
half-up to the cent once per line.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Literal, NamedTuple, Sequence
from zoneinfo import ZoneInfo

from tamdesk.domain.errors import Refusal

Status = Literal["requested", "declined", "normalizing", "mitigating", "closed"]
Phase = Literal["normalization", "mitigation"]
Guarantee = Literal["paid", "waived", "credited", "none"]
STATUSES: tuple[Status, ...] = ("requested", "declined", "normalizing", "mitigating", "closed")
PHASES: tuple[Phase, ...] = ("normalization", "mitigation")

#: E3: the feasibility answer is due within 60 minutes of the request ("en un lapso no mayor de 60 minutos", 004).
FEASIBILITY_WINDOW = timedelta(minutes=60)
#: E1, E3: the guarantee is 1 to 8 hours of the express rate, 1 unless the specialist says otherwise.
GUARANTEE_HOURS = range(1, 9)
DEFAULT_GUARANTEE_HOURS = 1
#: P1: the one plan of the catalogue that is not a monthly service agreement.
EXPRESS_PLAN = "express"
CENT = Decimal("0.01")


# -- the feasibility clock (E3) ---------------------------------------------------------------


def feasibility_due(requested_at: datetime) -> datetime:
    """When the feasibility answer falls due: 60 minutes after the request, day or night (E3)."""
    return requested_at + FEASIBILITY_WINDOW


def answered_late(requested_at: datetime, answered_at: datetime) -> bool:
    """True when the answer came after it fell due: "within 60 minutes" keeps the 60th minute on time (E3)."""
    return answered_at > feasibility_due(requested_at)


def feasibility_state(requested_at: datetime, answered_at: datetime | None, now: datetime) -> str:
    """The feasibility clock in a word: ``on time`` / ``late`` once answered, ``running`` / ``overdue`` before."""
    if answered_at is not None:
        return "late" if answered_late(requested_at, answered_at) else "on time"
    return "overdue" if now > feasibility_due(requested_at) else "running"


# -- states and the guarantee (E1, E3) --------------------------------------------------------


def has_monthly_plan(plan: str, contract_active: bool) -> bool:
    """True for a customer with an active monthly plan: any plan but ``express``, its contract active (E3, E5)."""
    return plan != EXPRESS_PLAN and contract_active


def check_guarantee_hours(hours: int) -> int:
    """``hours`` when it is 1 to 8; else a refusal naming E1 and what is allowed."""
    if hours not in GUARANTEE_HOURS:
        raise Refusal("E1", f"a guarantee of {hours} h is outside 1 to 8 hours.", "Give 1 to 8 (1 unless told).")
    return hours


def initial_guarantee(hours: int | None, monthly_plan: bool) -> tuple[int, Guarantee]:
    """The guarantee an engagement starts with: none for a customer with an active monthly plan (E3), else paid."""
    if monthly_plan:
        if hours is not None:
            raise Refusal(
                "E3", "a customer with an active monthly plan pays no guarantee.", "Leave --guarantee-hours out."
            )
        return 0, "none"
    return check_guarantee_hours(DEFAULT_GUARANTEE_HOURS if hours is None else hours), "paid"


def require_status(current: str, allowed: Sequence[Status], rule: str, doing: str, instead: str) -> None:
    """A refusal naming ``rule`` unless the engagement is in one of the ``allowed`` states."""
    if current not in allowed:
        raise Refusal(rule, f"cannot {doing}: the engagement is {current}.", instead)


def next_step(status: str) -> str:
    """What may be done next in ``status``, for a refusal's "instead"."""
    return {
        "requested": "Answer its feasibility first: tamdesk emergency feasibility ID --feasible|--declined.",
        "declined": "It was declined; open a new engagement if the customer asks again.",
        "normalizing": "Log time, approve days, then mark it normalized: tamdesk emergency normalized ID.",
        "mitigating": "Log time, approve days, then close it: tamdesk emergency close ID.",
        "closed": "It is closed: its invoices are final (tamdesk emergency invoice ID); close ID --report FILE writes its report again.",
    }[status]


# -- daily cuts (E4) ---------------------------------------------------------------------------


class Piece(NamedTuple):
    """A part of an entry inside one day of the TAM's calendar and one phase (E4)."""

    start: datetime
    end: datetime
    day: date
    phase: Phase

    @property
    def minutes(self) -> int:
        """The real elapsed minutes (a 25-hour day's hour counts once more)."""
        return int((self.end - self.start).total_seconds() // 60)


def next_midnight(instant: datetime, tz: ZoneInfo) -> datetime:
    """The first wall-clock midnight in ``tz`` after ``instant``, as an aware instant.

    Wall-clock arithmetic: tomorrow's date at 00:00 in ``tz`` (a zone whose clocks change at
    midnight starts that day at the change), so a 23- or 25-hour day ends where its clock says.
    """
    tomorrow = instant.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=tz).astimezone(instant.tzinfo)


def cut(start: datetime, end: datetime, tz: ZoneInfo, normalized_at: datetime | None = None) -> list[Piece]:
    """The entry [start, end) cut at each midnight of ``tz`` and at the end of normalization (E4).

    Each piece keeps the phase in force when it was worked: normalization before
    ``normalized_at`` (or always, while it is None), mitigation from it on.
    """
    if end <= start:
        raise Refusal("E4", "an entry ends after it starts.", "Give END after START.")
    bounds = {start, end}
    edge = next_midnight(start, tz)
    while edge < end:
        bounds.add(edge)
        edge = next_midnight(edge, tz)
    if normalized_at is not None and start < normalized_at < end:
        bounds.add(normalized_at)
    ordered = sorted(bounds)
    return [
        Piece(a, b, a.astimezone(tz).date(), phase_at(a, normalized_at))
        for a, b in zip(ordered, ordered[1:])
    ]


def phase_at(instant: datetime, normalized_at: datetime | None) -> Phase:
    """The phase in force at ``instant`` (E4): normalization until normality was reached, mitigation after."""
    return "mitigation" if normalized_at is not None and instant >= normalized_at else "normalization"


# -- money (E5) --------------------------------------------------------------------------------


class Worked(NamedTuple):
    """Approved or not, the minutes of one entry piece as billing reads them."""

    day: date
    phase: Phase
    minutes: int
    approved: bool


class Line(NamedTuple):
    """One line of an invoice: ``amount`` is exact, negative for a credit."""

    description: str
    minutes: int
    rate: Decimal
    amount: Decimal


def amount(minutes: int, rate: Decimal) -> Decimal:
    """``minutes`` / 60 x ``rate``, rounded half-up to the cent once (E5): multiplied first, so it stays exact."""
    return (Decimal(minutes) * rate / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def guarantee_line(hours: int, express_rate: Decimal) -> Line:
    """The guarantee, billed up front at the express rate (E5)."""
    return Line(f"Guarantee: {hours} h at the express rate", hours * 60, express_rate, amount(hours * 60, express_rate))


def credit_line(guarantee: Line) -> Line:
    """The guarantee credited against the normalization fees: the same amount, negative (E5)."""
    return Line("Guarantee credited", guarantee.minutes, guarantee.rate, -guarantee.amount)


def day_lines(worked: Iterable[Worked], phase: Phase, rate: Decimal) -> list[Line]:
    """One line per approved day of ``phase``, in day order; unapproved time is not billed (E4, E5)."""
    per_day: dict[date, int] = {}
    for piece in worked:
        if piece.approved and piece.phase == phase:
            per_day[piece.day] = per_day.get(piece.day, 0) + piece.minutes
    return [
        Line(f"{phase.capitalize()} on {day.isoformat()}", minutes, rate, amount(minutes, rate))
        for day, minutes in sorted(per_day.items())
    ]


def total(lines: Iterable[Line]) -> Decimal:
    """What an invoice comes to: the sum of its rounded lines, never rounded again."""
    return sum((line.amount for line in lines), Decimal("0.00"))


def to_cents(value: Decimal) -> int:
    """An exact amount as the integer cents the store keeps (E5)."""
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{value} is not a whole number of cents")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    """Integer cents back as an exact amount with two places."""
    return (Decimal(cents) / 100).quantize(CENT)
