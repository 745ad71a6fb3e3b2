"""How the desk writes times, hours and call states on screen, in words and symbols.

State is never told by colour alone: every mark has a symbol and a word.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.text import Span, Text

from tamdesk.domain.obligations import Warning
from tamdesk.domain.timezones import zone
from tamdesk.services.views import CallView

if TYPE_CHECKING:
    from tamdesk.services.deadlines import Urgency

STATES = {
    "scheduled": ("·", "scheduled", ""),
    "held": ("✓", "held", "green"),
    "no-show": ("✗", "no-show", "yellow"),
    "cancelled-by-customer": ("⊘", "cust cancelled", "dim"),
    "cancelled-by-tam": ("⊘", "TAM cancelled", "dim"),
}


def city(tz_name: str) -> str:
    """``America/New_York`` as a person says it: ``New York``."""
    return tz_name.rsplit("/", 1)[-1].replace("_", " ")


def hours_text(minutes: float) -> str:
    """Minutes as hours with one decimal: ``7.5 h``."""
    return f"{minutes / 60:.1f} h"


def span(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """``10:00–11:00`` in ``tz``."""
    return f"{start.astimezone(tz):%H:%M}–{end.astimezone(tz):%H:%M}"


def their_time(call: CallView, tam_tz: ZoneInfo) -> str:
    """The call's start in the customer's zone, when its offset differs from the TAM's (T1, T2)."""
    theirs = zone(call.tz)  # remembered: a desk's customers live in more zones than ZoneInfo keeps
    local = call.start.astimezone(theirs)
    if local.utcoffset() == call.start.astimezone(tam_tz).utcoffset():
        return ""
    day = "" if local.date() == call.start.astimezone(tam_tz).date() else f"{local:%a} "
    return f"{day}{local:%H:%M} {city(call.tz)}"


def state_text(call: CallView, when: str = "") -> Text:
    """The call's state with its symbol, and its marks (exception, over budget, overlap).

    A scheduled call with ``when`` in words ("in 3 hours", "2 days ago") says
    that instead of "scheduled": the line has no room for both, and the time
    says more (a call soon, or one still to mark held).
    """
    (_, whole), *parts = _state_parts(call, when)
    text = Text(style=whole)
    for part, style in parts:
        text.append(part, style=style)
    return text


def _state_parts(call: CallView, when: str) -> list[tuple[str, str]]:
    """``state_text`` as (text, style) parts: the whole text's style first (with no text), then each part."""
    symbol, word, style = STATES.get(call.status, ("?", call.status, ""))
    if when and call.status == "scheduled":
        word = when
    parts = [("", style), (f"{symbol} {word}", "")]
    if call.exception:
        parts.append(("  ⚑ exception", "magenta"))
    if call.over_budget:
        parts.append(("  ▲ over budget", "bold red"))
    if call.overlap:
        parts.append(("  ✗ overlaps (T7)", "bold red"))
    return parts


def kind_text(call: CallView) -> str:
    """``Session``, or the review mark and its name (S8)."""
    if call.kind == "review":
        return "★ QBR" if call.plan == "csm" else "★ Review"
    return "★ Review" if call.review else "Session"


def clip(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


#: The customer's column of a call line: at least this wide (a 120-column terminal beside the hours panel) ...
NAME_CELLS = 15
#: ... and wider by what a wider list has beyond the line's other columns (times 13, their time 15,
#: plan 8, kind 9) and room for the state in words (16: "· in 3 hours").
OTHER_CELLS = 1 + 13 + 15 + 8 + 9 + 16


def name_cells(width: int, longest: int) -> int:
    """The customer column's cells in a list ``width`` cells wide: never below ``NAME_CELLS``, never past ``longest``."""
    return max(NAME_CELLS, min(longest, width - OTHER_CELLS - 1))


def call_line(call: CallView, tam_tz: ZoneInfo, when: str = "", names: int = NAME_CELLS) -> Text:
    """One call as a line of the week: times, customer, their time, plan, kind, state (or ``when``, in words).

    The customer's name takes ``names`` cells (``name_cells``): cut with an
    ellipsis only when it is longer.
    """
    (_, state_style), *state = _state_parts(call, when)
    parts = [
        (" ", ""),
        (f"{span(call.start, call.end, tam_tz)} ", "bold"),
        (f"{clip(call.customer, names):<{names + 1}}", ""),
        (f"{clip(their_time(call, tam_tz), 14):<15}", "cyan"),
        (f"{call.plan[:7]:<8}", ""),
        (f"{kind_text(call):<9}", "bold" if call.review or call.kind == "review" else ""),
    ]
    # One Text made from its plain string and spans: appending part by part cost a tenth of a
    # millisecond a line (Rich checks each part for control codes), a few ms of every week's turn.
    plain, spans, state_start, state_index = "", [], 0, 0
    for index, (part, style) in enumerate(parts + state):
        if index == len(parts):  # the state's own style spans it whole, before its parts' (as ``append_text``)
            state_start, state_index = len(plain), len(spans)
        if style and part:
            spans.append(Span(len(plain), len(plain) + len(part), style))
        plain += part
    if state_style:
        spans.insert(state_index, Span(state_start, len(plain), state_style))
    if call.status.startswith("cancelled"):
        spans.append(Span(0, min(1 + 12 + names + 1, len(plain)), "dim"))
    return Text(plain, spans=spans)


def warnings_count(found: list[Warning]) -> str:
    """``14 warnings``, ``1 warning``."""
    return f"{len(found)} warning{'' if len(found) == 1 else 's'}"


def warnings_text(found: list[Warning]) -> Text:
    """One line per warning, each with its rule; B3's recommendations stand out (▲▲), the rest are ⚠."""
    text = Text()
    if not found:
        text.append("none: every allowance and review is on track\n", style="dim")
    for warning in found:
        text.append(*(("▲▲ B3 ", "bold red") if warning.rule == "B3" else (f"⚠ {warning.rule} ", "yellow")))
        text.append(f"{warning.customer}: " if warning.customer else "", style="bold")
        text.append(f"{warning.text}\n")
    return text


SEVERITY_MARKS = {"critical": ("‼", "bold red"), "high": ("!", "yellow"), "normal": ("·", "")}


#: How each state of a case's next deadline is coloured (L10: warned at 25% or less of its interval left).
DEADLINE_STYLES = {"breached": "bold red", "warned": "bold yellow", "pending": "green", "paused": "dim", "none": "dim", "resolved": "dim"}


def severity_text(severity: str) -> Text:
    """The severity with its mark."""
    mark, style = SEVERITY_MARKS.get(severity, ("?", ""))
    return Text(f"{mark} {severity}", style=style)


def severity_mark(severity: str) -> Text:
    """The severity's mark alone (‼ critical, ! high, · normal), for a list that must fit 80 columns with its deadlines."""
    mark, style = SEVERITY_MARKS.get(severity, ("?", ""))
    return Text(mark, style=style)


def deadline_text(said: Urgency) -> Text:
    """The next deadline in words, coloured by its state: ``response in 18 min``, ``update 2 h late``, ``paused``."""
    mark = {"breached": "■ ", "warned": "⚠ "}.get(said.state, "")
    return Text(f"{mark}{said.said}", style=DEADLINE_STYLES[said.state])


#: A sparkline's eight heights, lowest first.
BARS = "▁▂▃▄▅▆▇█"


def sparkline_text(values: tuple[float, ...] | list[float]) -> str:
    """One character per value, its height against the highest (an empty week is a blank, not the lowest bar)."""
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    # (0, 1/8] of the highest is the lowest bar, (7/8, 1] the highest.
    return "".join(" " if v <= 0 else BARS[max(0, math.ceil(v / top * len(BARS)) - 1)] for v in values)
