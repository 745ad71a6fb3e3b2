"""Where to look for a free time: the candidate starts of the one search (SPEC T4-T8).

Every "or book ..." the desk suggests comes from one search that tries these
starts, earliest first, against every rule a save runs. A free time begins at
a wall-clock time someone chose (the time asked for, a contract's opening, the
TAM's working day) or the instant something that held the time ends (a call,
time off); so those are the candidates, day after day up to a horizon.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from tamdesk.domain.errors import BadInput
from tamdesk.domain.timezones import local_to_utc


def candidate_starts(
    after: datetime,
    until: datetime,
    clocks: Sequence[tuple[ZoneInfo, time]],
    edges: Iterable[datetime] = (),
) -> list[datetime]:
    """The starts in ``[after, until)`` worth trying, earliest first, each once.

    ``clocks`` are wall-clock times in their zones, tried on every local day;
    ``edges`` are instants at which something holding the time ends. A wall
    clock that does not exist on a day (a spring-forward gap) is skipped.
    """
    found = {edge for edge in edges if after <= edge < until}
    for tz, clock in clocks:
        day, last = after.astimezone(tz).date(), until.astimezone(tz).date()
        while day <= last:
            try:
                instant = local_to_utc(datetime.combine(day, clock), tz)
            except BadInput:
                instant = None
            if instant is not None and after <= instant < until:
                found.add(instant)
            day += timedelta(days=1)
    return sorted(found)
