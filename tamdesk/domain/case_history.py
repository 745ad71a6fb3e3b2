"""What a TAM may record next on a case, checked against its history of events (L1, L5, L9).

A case keeps an append-only list of events (``domain.sla``'s ``Event``
classes, stamped with the desk's clock); its deadlines, pause, level and
checklist are read from the same list by ``domain.sla.case_sla``. This module
answers the questions a new step asks of the list: is the case waiting on the
customer (only then can it resume), which level is it at (it escalates only
upwards), which checklist items are already in.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from tamdesk.domain.errors import BadInput
from tamdesk.domain.sla import CHECKLIST, ESCALATIONS, ChecklistDone, ChecklistItem, Escalated, Event, Resumed, Waiting


def waiting(events: Sequence[Event]) -> bool:
    """True while the case waits on the customer: its last ``waiting`` has no ``resumed`` after it (L9)."""
    for event in reversed(events):
        if isinstance(event, (Waiting, Resumed)):
            return isinstance(event, Waiting)
    return False


def level(events: Iterable[Event]) -> int:
    """The level the case is escalated to: 1 until escalated, then the highest level reached."""
    return max((e.level for e in events if isinstance(e, Escalated)), default=1)


def items_done(events: Iterable[Event]) -> set[str]:
    """The checklist items already in (L5)."""
    return {e.item for e in events if isinstance(e, ChecklistDone)}


def check_escalation(events: Iterable[Event], to: int) -> int:
    """``to`` if the case may be escalated to it: level 2 or 3 (L1), and above the level it is at."""
    if to not in ESCALATIONS:
        raise BadInput(f"escalation level must be {' or '.join(map(str, ESCALATIONS))}, not {to!r}")
    current = level(events)
    if to <= current:
        highest = " (the highest)" if current == max(ESCALATIONS) else ""
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


def check_items(items: Iterable[str]) -> tuple[ChecklistItem, ...]:
    """The checklist items named, each one of the four (L5), without repeats, in the order given."""
    named = list(items)
    for item in named:
        if item not in CHECKLIST:
            raise BadInput(f"unknown checklist item {item!r}: choose {', '.join(CHECKLIST)}")
    return tuple(dict.fromkeys(named))  # type: ignore[arg-type]
