"""What a case's history of events says about it now: waiting, its level, its checklist (L5, L9).

A case keeps an append-only list of events (``filed``, ``opened``,
``responded``...), each stamped with the desk's clock; nothing about the
case's clocks is stored beside them (the deadlines are read from the same list
by ``domain.sla``). This module answers the plain questions the desk asks of
the list, and checks what a TAM may record next: escalating only upwards,
resuming only a waiting case, ticking only the checklist's four items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Literal, Sequence

from tamdesk.domain.errors import BadInput

EventKind = Literal[
    "filed", "opened", "responded", "updated", "escalated", "waiting", "resumed",
    "checklist", "severity", "resolved", "reopened", "linked",
]
EVENT_KINDS: tuple[EventKind, ...] = (
    "filed", "opened", "responded", "updated", "escalated", "waiting", "resumed",
    "checklist", "severity", "resolved", "reopened", "linked",
)
#: What a complete request holds before the clocks start (L5, 003).
CHECKLIST_ITEMS = ("description", "steps", "screenshots", "access")
#: The escalation levels a case can be taken to (L1, 001); a case starts at level 1.
LEVELS = (2, 3)


@dataclass(frozen=True)
class Event:
    """One step in a case's history, as the rules read it (the store's ``CaseEvent``, without the database)."""

    at: datetime
    kind: EventKind
    level: int | None = None
    severity: str | None = None
    item: str | None = None
    note: str | None = None


def waiting(events: Sequence[Event]) -> bool:
    """True while the case waits on the customer: its last ``waiting`` has no ``resumed`` after it (L9)."""
    for event in reversed(events):
        if event.kind in ("waiting", "resumed"):
            return event.kind == "waiting"
    return False


def level(events: Iterable[Event]) -> int:
    """The level the case is escalated to: 1 until escalated, then the highest level reached."""
    return max((e.level or 1 for e in events if e.kind == "escalated"), default=1)


def checklist(events: Iterable[Event], required: bool) -> dict[str, bool] | None:
    """The four items of the request and whether each is done; None when the contract asks for none (L5)."""
    if not required:
        return None
    done = {e.item for e in events if e.kind == "checklist"}
    return {item: item in done for item in CHECKLIST_ITEMS}


def paused(events: Sequence[Event], required: bool) -> bool:
    """True while every clock of the case stands still: waiting on the customer, or its checklist incomplete (L5, L9)."""
    items = checklist(events, required)
    return waiting(events) or (items is not None and not all(items.values()))


def check_escalation(events: Iterable[Event], to: int) -> int:
    """``to`` if the case may be escalated to it: level 2 or 3, and above the level it is at."""
    if to not in LEVELS:
        raise BadInput(f"unknown level {to}: a case escalates to level 2 or 3")
    current = level(events)
    if to <= current:
        highest = " (the highest)" if current == LEVELS[-1] else ""
        raise BadInput(f"the case is already at level {current}{highest}: it escalates only upwards")
    return to


def check_resume(events: Sequence[Event]) -> None:
    """A case resumes only while it waits on the customer (L9)."""
    if not waiting(events):
        raise BadInput("the case is not waiting on the customer: nothing to resume")


def check_wait(events: Sequence[Event]) -> None:
    """A case starts waiting only when it does not wait already (L9)."""
    if waiting(events):
        raise BadInput("the case is already waiting on the customer; 'case resume' it when they answer")


def check_items(items: Iterable[str]) -> tuple[str, ...]:
    """The checklist items named, each one of the four (L5), without repeats."""
    chosen: list[str] = []
    for item in items:
        if item not in CHECKLIST_ITEMS:
            raise BadInput(f"unknown checklist item {item!r}: choose {', '.join(CHECKLIST_ITEMS)}")
        if item not in chosen:
            chosen.append(item)
    return tuple(chosen)
