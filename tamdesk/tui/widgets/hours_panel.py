"""Hours per customer this week as bars against each one's cap (B1-B3).

Over the cap the bar changes glyph and the line says so in words; a customer
consistently over (B3) gets a second mark and the recommendation.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tamdesk.services.views import CustomerWeekView, WeekSummary
from tamdesk.tui.formatting import clip, hours_text

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


def hours_lines(summary: WeekSummary) -> Text:
    """Every customer's week, two lines each, then the TAM's own total (B4)."""
    text = Text()
    for row in sorted(summary.customers, key=_order):
        text.append(f"{clip(row.customer, 21):<22}", style="bold" if row.over else "")
        text.append(f"{row.total_minutes / 60:>5.1f} / {row.cap_hours:g} h\n")
        text.append_text(bar(row))
        if row.over:
            text.append(" ▲ OVER cap (B2)", style="bold red")
        text.append("\n")
        if row.consistently_over:
            text.append(
                f"▲▲ consistently over {row.average_minutes / 60:.1f} h/wk (B3)\n", style="bold red"
            )
    own = summary.tam_minutes
    text.append(f"\nYou: {hours_text(own)} of {summary.working_hours:g} h this week")
    if own > summary.working_hours * 60:
        text.append("  ▲ over your working hours (B4)", style="bold red")
    return text


class HoursPanel(Static):
    """The week's hours per customer against their caps."""

    def show_week(self, summary: WeekSummary) -> None:
        """Draw the bars for ``summary``."""
        self.update(hours_lines(summary))
