"""The TAM's working day (SPEC T8).

The TAM works a window of hours on some weekdays, in their own zone (default
Monday to Friday, 09:00-18:00). A call outside it is not refused: it asks for
confirmation, as T5 does, since a TAM may work late on purpose, and the
record keeps the exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from tamdesk.domain.business_hours import WEEKDAYS, BusinessHours
from tamdesk.domain.errors import BadInput

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DEFAULT_WORKDAY = "Mon-Fri 09:00-18:00"
_WORKDAY = re.compile(r"^\s*(\S+)\s+(\S+)\s*$")
_EXAMPLE = 'use DAYS HH:MM-HH:MM such as "Mon-Fri 09:00-18:00" or "Mon,Wed,Fri 08:00-16:00"'


def _day(name: str, text: str) -> int:
    """A weekday by its first three letters or its whole name, any case: ``mon``, ``Friday``."""
    key = name.strip().title()
    for index, full in enumerate(WEEKDAYS):
        if len(key) >= 3 and full.startswith(key):
            return index
    raise BadInput(f"cannot read {text!r} as a working day: {name.strip()!r} is not a weekday; {_EXAMPLE}")


def _days(spec: str, text: str) -> frozenset[int]:
    """``Mon-Fri``, ``Mon,Wed,Fri`` or ``Sat-Mon`` (a range may wrap round the week)."""
    days: set[int] = set()
    for part in spec.split(","):
        first, dash, last = part.partition("-")
        start = _day(first, text)
        end = _day(last, text) if dash else start
        days.update((start + step) % 7 for step in range((end - start) % 7 + 1))
    return frozenset(days)


@dataclass(frozen=True)
class Workday:
    """The TAM's working window: weekdays and hours in the TAM's zone (T8)."""

    days: frozenset[int] = frozenset(range(5))  # 0 is Monday
    hours: BusinessHours = field(default_factory=lambda: BusinessHours.parse("09:00-18:00"))

    @classmethod
    def parse(cls, text: str) -> Workday:
        """Read ``"Mon-Fri 09:00-18:00"``; anything else is bad input with an example."""
        match = _WORKDAY.match(text or "")
        if not match:
            raise BadInput(f"cannot read {text!r} as a working day: {_EXAMPLE}")
        try:
            hours = BusinessHours.parse(match.group(2))
        except BadInput as error:
            raise BadInput(f"cannot read {text!r} as a working day: {error.message}") from None
        return cls(_days(match.group(1), text), hours)

    def __str__(self) -> str:
        runs: list[list[int]] = []
        for day in sorted(self.days):
            if runs and runs[-1][-1] == day - 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        names = ",".join(DAY_NAMES[r[0]] if len(r) == 1 else f"{DAY_NAMES[r[0]]}-{DAY_NAMES[r[-1]]}" for r in runs)
        return f"{names} {self.hours}"

    def outside_reasons(self, start: datetime, end: datetime, tz: ZoneInfo) -> list[str]:
        """Why ``[start, end)`` falls outside the working day in ``tz``; empty when inside (T8)."""
        local_start, local_end = start.astimezone(tz), end.astimezone(tz)
        day = local_start.date()
        if day.weekday() not in self.days:
            return [f"on your day off ({DAY_NAMES[day.weekday()]}; you work {self} {tz.key})"]
        if not self.hours.fits(local_start.time(), local_end.time(), local_end.date() == day):
            return [f"outside your working day {self} {tz.key}"]
        return []
