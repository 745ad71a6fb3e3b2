"""Hours per customer this week as bars against each one's cap (B1-B3).

Over the cap the bar changes glyph and the line says so in words; a customer
consistently over (B3) gets a second mark and the recommendation.

The panel is drawn a line at a time (Textual's line API): with forty
customers it is eighty lines long, and a week's turn draws only the ones in
view instead of laying out and wrapping all of them.
"""

from __future__ import annotations

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
    own = summary.tam_minutes
    lines = [Text(f"You: {hours_text(own)} of {summary.working_hours:g} h this week")]
    over_own = own > summary.working_hours * 60
    lines += [Text("▲ over your working hours (B4)", style="bold red") if over_own else Text(), Text()]
    for row in sorted(summary.customers, key=_order):
        name = Text(f"{clip(row.customer, names):<{names + 1}}", style="bold" if row.over else "")
        name.append(f"{row.total_minutes / 60:>5.1f} / {row.cap_hours:g} h")
        lines.append(name)
        line = bar(row)
        if row.consistently_over:
            line.append(" ▲▲ OVER (B3)", style="bold red")
        elif row.over:
            line.append(" ▲ OVER (B2)", style="bold red")
        lines.append(line)
    return lines


class HoursPanel(Widget):
    """The week's hours per customer against their caps, as long as it needs to be."""

    DEFAULT_CSS = "HoursPanel { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Text] = []
        self._summary: WeekSummary | None = None
        self._names = NAME_CELLS
        # A bar or a name with the same hours looks the same in any week:
        # turning a week draws only the lines that changed.
        self._strips = StripCache()
        self._base_style = Style()

    @property
    def plain(self) -> str:
        """What the panel says, as text."""
        return "\n".join(line.plain for line in self._lines)

    def show_week(self, summary: WeekSummary) -> None:
        """Draw the bars for ``summary``; nothing is redrawn when they did not change."""
        self._summary = summary
        self._names = self._name_cells(summary)
        lines = hours_lines(summary, self._names)
        if lines == self._lines:
            return
        grows = len(lines) != len(self._lines)
        self._lines = lines
        self.refresh(layout=grows)

    def _name_cells(self, summary: WeekSummary) -> int:
        """The names' cells at the panel's width: what the hours leave, never below ``NAME_CELLS`` nor past the longest."""
        longest = max((len(row.customer) for row in summary.customers), default=0)
        return max(NAME_CELLS, min(longest, self.size.width - HOURS_CELLS))

    def on_resize(self) -> None:
        if self._summary is not None and self._name_cells(self._summary) != self._names:
            self.show_week(self._summary)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self._lines)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base_style = self.rich_style  # the same for every line, and costly to work out
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width, style = self.size.width, self._base_style
        if y >= len(self._lines):
            return Strip.blank(width, style)
        return self._strips.strip(self._lines[y], style, width, self.app.console)
