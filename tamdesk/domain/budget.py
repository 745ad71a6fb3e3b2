"""The weekly hours budget per customer and the TAM's own week (SPEC B1-B4).

The hours a TAM gives a customer in an ISO week (in the TAM's zone, T3) are the
time logged that week plus the calls booked that week and not yet held (B1).
Going over the plan's cap asks for confirmation and is kept with an
``over budget`` mark (B2). A customer whose last four complete weeks average
over the cap is consistently over (B3); the TAM's total is shown against their
working hours (B4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from tamdesk.domain.errors import NeedsConfirmation

WEEKS_FOR_AVERAGE = 4


@dataclass(frozen=True)
class CustomerWeek:
    """One customer's hours in one week against their cap (B1, B2).

    A dataclass, not a named tuple like most value types: reports extend it
    with the week's Monday or its days (``customer_report``, ``timesheet``).
    """

    logged_minutes: int
    booked_minutes: int
    cap_hours: float

    @property
    def total_minutes(self) -> int:
        """Logged time plus calls booked and not yet held (B1)."""
        return self.logged_minutes + self.booked_minutes

    @property
    def over(self) -> bool:
        """True when the week is past the cap (B2)."""
        return self.over_after(0)

    def over_after(self, added_minutes: int) -> bool:
        """True when adding ``added_minutes`` takes the week past the cap (B2)."""
        return self.total_minutes + added_minutes > self.cap_hours * 60


def check_budget(week: CustomerWeek, added_minutes: int, *, customer: str, week_key: str, confirmed: bool) -> bool:
    """Whether adding ``added_minutes`` takes the customer over the cap (B2).

    Returns ``True`` (the record keeps an ``over budget`` mark) when the user
    confirmed; refuses until then. Returns ``False`` when within the cap.
    """
    if not week.over_after(added_minutes):
        return False
    after = week.total_minutes + added_minutes
    if confirmed:
        return True
    room = max(week.cap_hours * 60 - week.total_minutes, 0)
    raise NeedsConfirmation(
        "B2",
        f"{customer} would have {hours(after)} h in {week_key}, over the weekly cap of "
        f"{hours(week.cap_hours * 60)} h ({hours(week.total_minutes)} h already logged or booked).",
        exception="over budget",
        instead=f"Confirm to keep it marked over budget, or keep to {hours(room)} h this week.",
    )


def consistently_over(last_weeks_minutes: Sequence[int], cap_hours: float) -> bool:
    """True when the average of the last 4 complete weeks exceeds the cap (B3)."""
    if len(last_weeks_minutes) < WEEKS_FOR_AVERAGE:
        return False
    recent = last_weeks_minutes[-WEEKS_FOR_AVERAGE:]
    return sum(recent) / WEEKS_FOR_AVERAGE > cap_hours * 60


def hours(minutes: float) -> float:
    """Minutes as hours, rounded to two decimals for display and JSON."""
    return round(minutes / 60, 2)
