"""How a plan's sessions are spread over the weeks: its cadence (SPEC P1, T3).

P1 gives each plan with sessions a cadence beside its allowance: `tam-a` and
`premium` meet weekly, `tam-b` on alternate weeks, `tam-c` monthly. The
allowance (S3, S7) already caps how many sessions a period holds; the cadence
says how they should be spaced, so crowding them is a gentle warning, never a
refusal (the customer sets the agenda, S9, and may want two close together).

The general form chosen here: a cadence is a least gap in ISO weeks between two
sessions, the weeks being the TAM's (T3, Monday 00:00 to Sunday 24:00 in the
TAM's zone). ``weekly`` is a gap of 1 (two sessions in one week crowd it);
``alternate weeks`` a gap of 2 (two in one week, or in two weeks running).
``monthly`` has no gap in weeks: one session a month is already spread by its
allowance, so it is never warned about.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable
from zoneinfo import ZoneInfo

from tamdesk.domain.obligations import Warning
from tamdesk.domain.periods import iso_week_of
from tamdesk.domain.timezones import local_date

#: The least number of the TAM's ISO weeks between two sessions, per cadence.
CADENCE_WEEKS: dict[str, int | None] = {"weekly": 1, "alternate weeks": 2, "monthly": None, "": None}


def cadence_warning(customer: str, cadence: str, starts: Iterable[datetime], tz: ZoneInfo, now: datetime) -> Warning | None:
    """The first two sessions closer than the cadence allows, while the later one is still ahead (P1).

    ``starts`` are the customer's booked, held or no-show sessions; ``tz`` is
    the TAM's zone, whose ISO weeks count (T3). Sessions already behind ``now``
    cannot be moved, so two past ones say nothing.
    """
    gap = CADENCE_WEEKS.get(cadence)
    if not gap:
        return None
    ordered = sorted(starts)
    for earlier, later in zip(ordered, ordered[1:]):
        first, second = iso_week_of(local_date(earlier, tz)), iso_week_of(local_date(later, tz))
        if later > now and (second.first - first.first).days // 7 < gap:
            where = f"2 sessions in your week {first}" if first == second else f"sessions in your weeks {first} and {second}"
            return Warning(customer, "P1", f"{where}, but the plan's cadence is {cadence}: consider moving one.")
    return None
