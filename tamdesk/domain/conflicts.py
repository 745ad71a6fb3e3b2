"""One call at a time (SPEC T7).

A TAM's scheduled, held and no-show calls, with any customer, never overlap.
Calls are half-open spans ``[start, end)``: one that ends at 10:00 and one
that starts at 10:00 are back to back, not overlapping. Cancelled calls free
their time, so they are never passed in here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable, NamedTuple
from zoneinfo import ZoneInfo

from tamdesk.domain.errors import Refusal


class BookedCall(NamedTuple):
    """A call that holds the TAM's time: scheduled, held or no-show."""

    id: int
    customer: str
    start: datetime
    minutes: int

    @property
    def end(self) -> datetime:
        """When the call ends (exclusive)."""
        return self.start + timedelta(minutes=self.minutes)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """True when ``[start, end)`` shares a minute with this call; back to back does not (T7)."""
        return self.start < end and start < self.end


def first_overlap(start: datetime, end: datetime, calls: Iterable[BookedCall]) -> BookedCall | None:
    """The earliest call that overlaps ``[start, end)``, if any."""
    hits = [call for call in calls if call.overlaps(start, end)]
    return min(hits, key=lambda call: (call.start, call.id), default=None)


def check_overlap(start: datetime, end: datetime, calls: Iterable[BookedCall], tz: ZoneInfo) -> None:
    """Refuse a call that overlaps another of the TAM's calls, naming it in the TAM's zone (T7).

    The refusal says nothing of what to book instead: the one search for a
    free time that passes every rule lives with the use-cases.
    """
    other = first_overlap(start, end, calls)
    if other is not None:
        raise Refusal(
            "T7",
            f"you already have call {other.id} with {other.customer} on "
            f"{other.start.astimezone(tz):%a %Y-%m-%d %H:%M}-{other.end.astimezone(tz):%H:%M} "
            f"{tz.key}; calls never overlap.",
        )


def overlapping_ids(calls: Iterable[BookedCall]) -> set[int]:
    """The ids of every call that overlaps another: what older data may hold (T7)."""
    ordered = sorted(calls, key=lambda call: (call.start, call.id))
    clashing: set[int] = set()
    latest: BookedCall | None = None  # the call reaching furthest so far
    for call in ordered:
        if latest is not None and call.start < latest.end:
            clashing.update((call.id, latest.id))
        if latest is None or call.end > latest.end:
            latest = call
    return clashing
