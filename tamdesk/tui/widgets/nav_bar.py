"""The row of screen names under the header; the one in view is marked."""

from __future__ import annotations

from textual.widgets import Static

SCREENS = (
    ("week", "Week"),
    ("caseload", "Caseload"),
    ("customers", "Customers"),
    ("allowances", "Allowances"),
    ("time", "Time"),
)


class NavBar(Static):
    """``1 Week  2 Caseload ...``: each name switches screen on a click or its digit."""

    def __init__(self, current: str) -> None:
        super().__init__(self._markup(current), id="nav")
        self.current = current

    @staticmethod
    def _markup(current: str) -> str:
        parts = []
        for number, (mode, title) in enumerate(SCREENS, start=1):
            style = "reverse bold" if mode == current else "dim"
            parts.append(f"[@click=app.switch_mode('{mode}')][{style}] {number} {title} [/{style}][/]")
        return "  ".join(parts)
