"""The TAM's caseload and its cap (SPEC C1-C3).

At most ``cap`` cases are open at once (C1, 002: 30). Opening one at the cap is
refused unless the user asks to queue it; the queue is ordered by severity,
then age, and its head opens by itself when an open case is resolved (C2).
The load shows as ``n/cap`` and warns from 90% of the cap on (C3). ``Load`` is
the one place that says when: every screen, command and report asks it.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Iterable, Literal, NamedTuple, Sequence, TypeVar

from tamdesk.domain.errors import BadInput, Refusal

Severity = Literal["critical", "high", "normal"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "normal")


def check_severity(text: str) -> Severity:
    """A known severity, or bad input naming the known ones."""
    if text not in SEVERITIES:
        raise BadInput(f"unknown severity {text!r}: choose critical, high or normal")
    return text  # type: ignore[return-value]


class QueuedCase(NamedTuple):
    """What the queue order needs of a waiting case."""

    id: int
    severity: Severity
    filed_at: datetime


Q = TypeVar("Q", bound=QueuedCase)


def queue_order(cases: Iterable[Q]) -> list[Q]:
    """The queue in order: critical, high, normal; then oldest first (C2)."""
    return sorted(cases, key=lambda c: (SEVERITIES.index(c.severity), c.filed_at, c.id))


def decide_open(open_count: int, cap: int, *, queue: bool, position: int = 1) -> Literal["open", "queued"]:
    """Open a new case, queue it at the cap when asked, or refuse (C1, C2).

    ``position`` is where the case would wait, for the refusal's message.
    """
    if open_count < cap:
        return "open"
    if queue:
        return "queued"
    raise Refusal(
        "C1",
        f"the caseload is at its cap of {cap} open cases ({open_count}/{cap}).",
        instead=f"Queue it (it would be number {position} in the queue), or resolve a case first.",
    )


class Load(NamedTuple):
    """The caseload against its cap, as the desk shows it (C3)."""

    open: int
    queued: int
    cap: int
    warn_share: float = 0.9

    @property
    def warn_from(self) -> int:
        """The open count from which the desk warns: 27 of 30."""
        return math.ceil(self.cap * self.warn_share)

    @property
    def warning(self) -> bool:
        """True from 90% of the cap on."""
        return self.open >= self.warn_from

    @property
    def at_cap(self) -> bool:
        """True when no case can open without queueing."""
        return self.open >= self.cap

    @property
    def percent(self) -> int:
        """The open cases as a whole percentage of the cap, rounded down: 27/30 is 90."""
        return self.open * 100 // self.cap if self.cap else 100

    def __str__(self) -> str:
        return f"{self.open}/{self.cap}"


def next_to_open(queued: Sequence[Q]) -> Q | None:
    """The queued case that opens when a place frees up (C2)."""
    ordered = queue_order(queued)
    return ordered[0] if ordered else None
