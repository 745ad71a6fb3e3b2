"""Reading the values people type: one reader per kind, each with its domain (issue 14).

Every argument of the command line, every setting and every field of the desk
goes through one of these, so that anything outside a value's domain is bad
input (exit 2) with a one-line reason, never a traceback and never a value the
database or JSON cannot hold: ids are ASCII digits within SQLite's integer
range (``²`` and ``١٢`` are digits to Python, not ids to a TAM); numbers are
finite (no ``nan``, ``inf`` or ``1e20`` minutes) and within bounds that make
sense for what they count; text is valid Unicode of a bounded length (an
argument in another encoding arrives as lone surrogates, which SQLite and the
terminal cannot take).
"""

from __future__ import annotations

import math

from tamdesk.domain.errors import BadInput

#: The years a date may fall in: wide enough for any contract, narrow enough that
#: every zone conversion and every "one month later" stays inside Python's calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2200
#: SQLite's largest integer; an id above it cannot exist.
MAX_ID = 2**63 - 1
#: What a name, a title or a note may hold, in characters.
MAX_TEXT = 2000
MAX_NAME = 200
#: A whole week, the most that hours of one customer or one TAM can fill.
HOURS_IN_WEEK = 7 * 24
#: A reminder more than a week before a call helps nobody.
MAX_ALARM_MINUTES = 7 * 24 * 60


def read_id(text: str | int, noun: str) -> int:
    """The id of a ``noun`` (a call, a case, a time entry) typed as ASCII digits."""
    if isinstance(text, int) and not isinstance(text, bool):
        number = text
    else:
        raw = str(text).strip()
        if not (raw.isascii() and raw.isdigit()):
            raise BadInput(f"{shown(raw)} is not a {noun} id: an id is a whole number such as 12")
        number = int(raw)
    if not 1 <= number <= MAX_ID:
        raise BadInput(f"there is no {noun} {number}: ids start at 1 and stay below 2^63")
    return number


def looks_like_id(text: str) -> bool:
    """True when ``text`` is typed as an id (ASCII digits), so a lookup by name can try it as one."""
    raw = text.strip()
    return raw.isascii() and raw.isdigit()


def read_decimal(text: str | float, what: str) -> float:
    """A finite decimal number (a comma reads as a point); ``nan``, ``inf`` and non-ASCII digits are bad input."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        number: float | None = float(text)
    else:
        raw = str(text).strip()
        try:
            number = float(raw.replace(",", ".", 1)) if raw.isascii() else None
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        raise BadInput(f"{what} must be a number such as 1.5, not {shown(str(text))}")
    return number


def read_number(text: str | float, what: str, *, low: float, high: float, unit: str = "") -> float:
    """A finite decimal number between ``low`` and ``high`` (both included)."""
    number = read_decimal(text, what)
    if not low <= number <= high:
        suffix = f" {unit}" if unit else ""
        raise BadInput(f"{what} must be between {low:g} and {high:g}{suffix}, not {number:g}")
    return number


def read_whole(text: str | int, what: str, *, low: int, high: int, unit: str = "") -> int:
    """A whole number between ``low`` and ``high`` (both included)."""
    raw = str(text).strip()
    if not (raw.isascii() and raw.lstrip("-").isdigit()):
        raise BadInput(f"{what} must be a whole number such as {_example(low, high)}, not {shown(raw)}")
    number = int(raw)
    if not low <= number <= high:
        suffix = f" {unit}" if unit else ""
        raise BadInput(f"{what} must be between {low} and {high}{suffix}, not {number}")
    return number


def read_text(text: str, what: str, *, limit: int = MAX_TEXT, required: bool = False) -> str:
    """Text as typed, stripped: valid Unicode, at most ``limit`` characters; empty only when not ``required``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(f"{what} is not valid UTF-8 text; type it again in UTF-8") from None
    value = text.strip()
    if required and not value:
        raise BadInput(f"{what} cannot be empty")
    if len(value) > limit:
        raise BadInput(f"{what} is {len(value)} characters long; at most {limit} fit")
    if any(ord(c) < 32 and c not in "\t\n" for c in value):
        raise BadInput(f"{what} holds control characters; type plain text")
    return value


def check_year(year: int, text: str) -> None:
    """Bad input unless ``year`` lies in ``FIRST_YEAR``..``LAST_YEAR`` (``text`` is what was typed)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadInput(f"{shown(text)} is outside the years {FIRST_YEAR}-{LAST_YEAR} the desk keeps")


def shown(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message: invalid characters escaped, long text cut."""
    safe = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return repr(safe if len(safe) <= limit else safe[:limit] + "...")


def _example(low: float, high: float) -> str:
    return f"{max(low, min(high, 1)):g}"
