"""Reading a duration as people type it, and saying it back (SPEC B5).

One reading serves the command line and every field of the desk, so that
``1.5`` means the same everywhere:

- a bare number is hours, with a point or a comma: ``1.5``, ``1,5``, ``2`` (where a
  field says it counts minutes, as a call's length does, a bare number is minutes);
- ``H:MM`` is hours and minutes: ``1:30``, ``0:45`` (two digits of minutes, 00-59);
- numbers with units: ``1h``, ``1.5h``, ``90m``, ``45min``, ``1h30m``, ``1 h 30 min``
  (``h``, ``hr``, ``hrs``, ``hour``, ``hours``; ``m``, ``min``, ``mins``, ``minute``, ``minutes``).

Anything else is bad input with an example. The result is a whole number of
minutes, at least 1. A value that is not a whole number of minutes once read
(``0.004`` h is 0.24 min, ``1.01`` h is 60.6 min) is bad input naming the two
whole-minute values beside it: it is never rounded, because nothing typed is
ever silently changed into something else (B5). Arithmetic is decimal, so
``1.1`` h is exactly 66 min and not 66.00000000000001.
"""

from __future__ import annotations

import re
from decimal import Decimal

from tamdesk.domain.errors import BadInput

#: More than this many characters is not a duration anyone types.
MAX_TYPED = 32
EXAMPLES = "hours such as 1.5, 1,5 or 1:30, or 90m, 45min, 1h30m"
MINUTE_EXAMPLES = "minutes such as 45, or 45min, 1h, 0:45"

_NUMBER = r"[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+"
_HOURS_UNIT = r"h|hr|hrs|hour|hours"
_MINUTES_UNIT = r"m|min|mins|minute|minutes"
_BARE = re.compile(rf"(?P<hours>{_NUMBER})")
_CLOCK = re.compile(r"(?P<hours>[0-9]+):(?P<minutes>[0-5][0-9])")
_UNITS = re.compile(
    rf"(?:(?P<hours>{_NUMBER})\s*(?:{_HOURS_UNIT}))?\s*(?:(?P<minutes>{_NUMBER})\s*(?:{_MINUTES_UNIT}))?",
    re.IGNORECASE,
)


def read_duration(typed: str | float, *, bare: str = "hours") -> int:
    """The whole number of minutes (at least 1) that ``typed`` says; anything else is bad input (B5).

    ``bare`` is what a number without a unit counts: ``"hours"`` (a time entry)
    or ``"minutes"`` (a call's length).
    """
    text = _typed_text(typed)
    exact = _exact_minutes(text, bare)
    if exact <= 0:
        raise BadInput(f"B5: a time entry is at least 1 minute, not {text!r} ({_said(exact)})")
    if exact != exact.to_integral_value():
        low, high = int(exact), int(exact) + 1
        options = " or ".join(describe(m) for m in (low, high) if m >= 1)
        raise BadInput(
            f"B5: {text!r} reads as {_said(exact)}, not a whole number of minutes: type {options}"
        )
    return int(exact)


def describe(minutes: int) -> str:
    """Whole minutes as a person says them: ``1 h 30 min``, ``45 min``, ``2 h``."""
    whole_hours, rest = divmod(minutes, 60)
    if not whole_hours:
        return f"{rest} min"
    return f"{whole_hours} h" + (f" {rest} min" if rest else "")


def reading(typed: str, *, bare: str = "hours") -> str:
    """What a field will be read as, for a label under it: ``1,5 → 1 h 30 min``, or why it cannot be."""
    if not typed.strip():
        return f"type {EXAMPLES if bare == 'hours' else MINUTE_EXAMPLES}"
    try:
        return f"{typed.strip()} → {describe(read_duration(typed, bare=bare))}"
    except BadInput as error:
        return error.message


def _typed_text(typed: str | float) -> str:
    if isinstance(typed, bool):
        raise BadInput(f"cannot read {typed!r} as a duration: type {EXAMPLES}")
    text = repr(typed) if isinstance(typed, float) else str(typed).strip()
    if len(text) > MAX_TYPED:
        raise BadInput(f"a duration of {len(text)} characters cannot be read: type {EXAMPLES}")
    return text


def _exact_minutes(text: str, bare: str) -> Decimal:
    """The minutes ``text`` says, exactly (possibly a fraction), or bad input."""
    if text.startswith("-"):
        raise BadInput(f"B5: a duration must be more than 0, not {text!r}")
    if match := _BARE.fullmatch(text):
        return _decimal(match["hours"]) * (60 if bare == "hours" else 1)
    if match := _CLOCK.fullmatch(text):
        return Decimal(int(match["hours"]) * 60 + int(match["minutes"]))
    match = _UNITS.fullmatch(text)
    if match and (match["hours"] or match["minutes"]):
        hours = _decimal(match["hours"] or "0")
        return hours * 60 + _decimal(match["minutes"] or "0")
    raise BadInput(f"cannot read {text!r} as a duration: type {EXAMPLES if bare == 'hours' else MINUTE_EXAMPLES}")


def _decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", "."))


def _said(exact: Decimal) -> str:
    return f"{exact.normalize():f} min"
