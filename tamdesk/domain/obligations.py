"""Recurring obligations and review warnings (SPEC P3, S4, S8).

An obligation of a plan (P3: service review, customer intelligence, roadmap)
is due at the end of each of its periods and met by a held review call or by
time logged with its kind as the activity. The allowance warnings say, while
there is still time, how many sessions would be forfeited (S4) and whether a
quarter nearing its end has no review booked (S8).
"""

from __future__ import annotations

from datetime import date
from typing import Literal, NamedTuple

from tamdesk.domain.periods import Period, month_of

ObligationState = Literal["met", "due", "missed"]


class ObligationStatus(NamedTuple):
    """One obligation in one period."""

    kind: str
    title: str
    period: Period
    state: ObligationState

    @property
    def due(self) -> date:
        """The last local date of the period: the obligation's due date (P3)."""
        return self.period.last


def obligation_state(period: Period, met: bool, today: date) -> ObligationState:
    """Met, still due, or missed once the period has ended (P3)."""
    if met:
        return "met"
    return "missed" if period.end <= today else "due"


class Warning(NamedTuple):
    """A warning the desk shows about a customer, naming the rule it comes from."""

    customer: str
    rule: str
    text: str

    def as_json(self) -> dict[str, str]:
        """The warning as ``warnings --json`` and ``week --json`` print it."""
        return {"customer": self.customer, "rule": self.rule, "text": self.text}


def forfeit_warning(customer: str, period: Period, forfeited: int, business_days_left: int) -> Warning | None:
    """Sessions that would be lost at the period's end, while there is time (S4)."""
    if forfeited <= 0:
        return None
    unit = "session" if forfeited == 1 else "sessions"
    days = "business day" if business_days_left == 1 else "business days"
    return Warning(
        customer,
        "S4",
        f"{forfeited} {unit} left in {period}, {business_days_left} {days} left; "
        f"unused sessions are forfeited after {period.last:%d %b}.",
    )


def review_warning(customer: str, quarter: Period, today: date, booked: bool, title: str) -> Warning | None:
    """The quarter's last month has begun and no review is booked (S8)."""
    if booked or today < month_of(quarter.last).first or today >= quarter.end:
        return None
    return Warning(customer, "S8", f"no {title.lower()} booked in {quarter}, which ends {quarter.last:%d %b}.")
