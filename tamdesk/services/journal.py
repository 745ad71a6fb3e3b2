"""The journal of the TAM's changes: what ``undo`` reads to revert them, newest first.

Every write use-case calls :func:`record` inside its own unit of work, so the
journal row lands in the same transaction as the change (or not at all). It
keeps what undoing needs (``before``, as JSON) and the change in the TAM's own
words. This module knows no use-case: ``services.undo`` does the reverting.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select

from tamdesk.services.desk import Unit
from tamdesk.store.models import JournalEntry


def record(unit: Unit, kind: str, subject_id: int | None, summary: str, before: dict[str, Any] | None = None) -> None:
    """Keep one change of the TAM's: ``kind`` of change to row ``subject_id``, said as ``summary``."""
    unit.session.add(
        JournalEntry(
            tam_id=unit.tam.id,
            at=unit.now,
            kind=kind,
            subject_id=subject_id,
            before=None if before is None else json.dumps(before, default=_plain, sort_keys=True),
            summary=summary,
        )
    )


def newest_not_undone(unit: Unit) -> JournalEntry | None:
    """The TAM's newest change not yet undone, or ``None``: what ``undo`` reverts next."""
    return unit.session.scalar(
        select(JournalEntry)
        .where(JournalEntry.tam_id == unit.tam.id, JournalEntry.undone_at.is_(None))
        .order_by(JournalEntry.id.desc())
        .limit(1)
    )


def forget(unit: Unit) -> None:
    """Empty the TAM's journal: what it holds was not their doing (the demo's loading)."""
    unit.session.execute(delete(JournalEntry).where(JournalEntry.tam_id == unit.tam.id))


def before_of(entry: JournalEntry) -> dict[str, Any]:
    """The ``before`` a change kept, as a dict (empty when it kept none)."""
    return json.loads(entry.before) if entry.before else {}


def when(instant: datetime, unit: Unit) -> str:
    """An instant as the TAM says it, in their zone: ``Tue 1 Dec 10:00``."""
    local = instant.astimezone(unit.tam_tz)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def on_day(day: date) -> str:
    """A date as the TAM says it: ``Fri 27 Nov``."""
    return f"{day:%a} {day.day} {day:%b}"


def _plain(value: object) -> str:
    """Dates and instants in ``before`` as ISO text."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not kept in the journal")
