"""Hours per customer this week as bars against each one's cap (B1-B3).

Over the cap the bar changes glyph and the line says so in words; a customer
consistently over (B3) gets a second mark and the recommendation.

The panel is drawn a line at a time (Textual's line API): with forty
customers it is eighty lines long, and a week's turn draws only the ones in
view instead of laying out and wrapping all of them.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from tamdesk.services.views import CustomerWeekView, WeekSummary
from tamdesk.tui.formatting import clip, hours_text
from tamdesk.tui.widgets.strips import StripCache

BAR = 20  # cells; the cap sits at three quarters, so going over stays visible


def _order(row: CustomerWeekView) -> tuple[int, float, str]:
    """Consistently over first, then over, then by the share of the cap used."""
    rank = 0 if row.consistently_over else 1 if row.over else 2
    return (rank, -row.total_minutes / max(row.cap_hours * 60, 1), row.customer.casefold())


def bar(row: CustomerWeekView) -> Text:
    """``████░░░░│`` with the cap at a fixed place; past it, ``▓`` and red."""
    cap_cells = BAR * 3 // 4
    cap_minutes = max(row.cap_hours * 60, 1)
    filled = min(round(row.total_minutes / cap_minutes * cap_cells), BAR)
    text = Text()
    inside = min(filled, cap_cells)
    text.append("█" * inside, style="green" if not row.over else "yellow")
    text.append("░" * (cap_cells - inside), style="dim")
    text.append("│", style="bold")
    beyond = max(filled - cap_cells, 0)
    if row.over and beyond == 0:
        beyond = 1
    text.append("▓" * beyond, style="bold red")
    text.append(" " * (BAR - cap_cells - beyond))
    return text


#: A customer's name in the panel: at least this many cells (the panel at 40 columns) ...
NAME_CELLS = 21
#: ... and more when the panel is wider than its hours need beside the name (" 13.5 / 10 h").
HOURS_CELLS = 13


def hours_lines(summary: WeekSummary, names: int = NAME_CELLS) -> list[Text]:
    """The TAM's own total (B4), then every customer's week, two lines each, names in ``names`` cells.

    The total comes first so that it shows however many customers follow.
    Every line fits the panel at its narrowest (35 cells, at 80 columns), and
    the panel is as long in every week (three lines, then two a customer): a
    week's turn repaints it, never lays the screen out again (a third of the
    turn, measured with benchmarks/). So B4's mark has a line of its own,
    blank when the TAM is within their hours, and B3's average is said in the
    warnings beside it, the bar carrying only its mark.
    """
    shown = Shown.of(summary, names)
    return [shown.line(y) for y in range(shown.height)]


class Shown(NamedTuple):
    """What the panel shows of a week: each line is made when it is drawn, as only a third are in view."""

    own_minutes: int
    working_hours: float
    rows: tuple[CustomerWeekView, ...]  # in the panel's order
    names: int

    @classmethod
    def of(cls, summary: WeekSummary, names: int) -> Shown:
        return cls(summary.tam_minutes, summary.working_hours, tuple(sorted(summary.customers, key=_order)), names)

    @property
    def height(self) -> int:
        return HEADER_LINES + 2 * len(self.rows)

    def line(self, y: int) -> Text:
        """Line ``y``: the TAM's total, B4's mark (or blank) and a blank; then each customer's name and bar."""
        if y == 0:
            return Text(f"You: {hours_text(self.own_minutes)} of {self.working_hours:g} h this week")
        if y < HEADER_LINES:
            over_own = self.own_minutes > self.working_hours * 60
            return Text("▲ over your working hours (B4)", style="bold red") if y == 1 and over_own else Text()
        row = self.rows[(y - HEADER_LINES) // 2]
        if (y - HEADER_LINES) % 2 == 0:
            name = Text(f"{clip(row.customer, self.names):<{self.names + 1}}", style="bold" if row.over else "")
            return name.append(f"{row.total_minutes / 60:>5.1f} / {row.cap_hours:g} h")
        line = bar(row)
        if row.consistently_over:
            line.append(" ▲▲ OVER (B3)", style="bold red")
        elif row.over:
            line.append(" ▲ OVER (B2)", style="bold red")
        return line


#: The TAM's own total, B4's line and a blank line, above the customers.
HEADER_LINES = 3


class HoursPanel(Widget):
    """The week's hours per customer against their caps, as long as it needs to be."""

    DEFAULT_CSS = "HoursPanel { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: Shown | None = None  # nothing until the first week is shown
        self._lines: dict[int, Text] = {}  # the lines of ``_shown`` made so far, by their y
        self._summary: WeekSummary | None = None
        self._names = NAME_CELLS
        # A bar or a name with the same hours looks the same in any week:
        # turning a week draws only the lines that changed.
        self._strips = StripCache()
        self._base_style = Style()

    @property
    def plain(self) -> str:
        """What the panel says, as text."""
        shown = self._shown
        return "\n".join(shown.line(y).plain for y in range(shown.height)) if shown else ""

    def show_week(self, summary: WeekSummary) -> None:
        """Draw the bars for ``summary``; nothing is redrawn when they did not change."""
        self._summary = summary
        self._names = self._name_cells(summary)
        shown = Shown.of(summary, self._names)
        if shown == self._shown:
            return
        grows = self._shown is None or shown.height != self._shown.height
        self._shown, self._lines = shown, {}
        self.refresh(layout=grows)

    def _name_cells(self, summary: WeekSummary) -> int:
        """The names' cells at the panel's width: what the hours leave, never below ``NAME_CELLS`` nor past the longest."""
        longest = max((len(row.customer) for row in summary.customers), default=0)
        return max(NAME_CELLS, min(longest, self.size.width - HOURS_CELLS))

    def on_resize(self) -> None:
        if self._summary is not None and self._name_cells(self._summary) != self._names:
            self.show_week(self._summary)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return self._shown.height if self._shown else 0

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base_style = self.rich_style  # the same for every line, and costly to work out
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width, style = self.size.width, self._base_style
        if self._shown is None or y >= self._shown.height:
            return Strip.blank(width, style)
        if (line := self._lines.get(y)) is None:
            line = self._lines[y] = self._shown.line(y)
        return self._strips.strip(line, style, width, self.app.console)
