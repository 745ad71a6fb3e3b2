"""Problem records with their cases (L6) and, once found, their solution (L11).

Reached with ``p`` on the Caseload; ``esc`` goes back. One row per linked
case, under its problem's row, so a problem with two cases shows both.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from tamdesk.services.problems import ProblemView, list_problems
from tamdesk.tui import keymap
from tamdesk.tui.screens.base import DeskScreen
from tamdesk.tui.widgets.desk_table import DeskTable, Row


def problem_rows(problems: list[ProblemView]) -> list[Row]:
    """Each problem's row (id, status, title with its count of cases, solution), then a row per case linked to it."""
    rows: list[Row] = []
    for problem in problems:
        status = Text(problem.status, style="green" if problem.status == "resolved" else "bold yellow")
        title = Text(problem.title, style="bold")
        title.append(f" ({len(problem.cases)} case{'' if len(problem.cases) == 1 else 's'})", style="")
        rows.append((f"problem:{problem.id}", (Text(f"P{problem.id}", style="bold"), status, title, problem.solution or "")))
        for case in problem.cases:
            rows.append((f"problem:{problem.id}:case:{case.id}", (
                "", case.status, f"  └ case {case.id} · {case.customer}: {case.title}", "",
            )))
    return rows


class ProblemsScreen(DeskScreen):
    """Every problem record of the TAM, open ones first, each with its cases."""

    MODE = "caseload"
    AUTO_FOCUS = "#problems"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.PROBLEMS)

    def compose_body(self) -> ComposeResult:
        yield Static("Problems", id="problems-title", classes="screen-title")
        yield Static("A problem's solution goes to every linked open case as an update (L11): "
                     "'tamdesk problem resolve P --note TEXT'.", classes="hint")
        yield DeskTable("Problem", "Status", "Title and cases", "Solution", id="problems", stretch="Title and cases")

    def fetch(self) -> list[ProblemView]:
        return list_problems(self.desk)

    def show(self, data: list[ProblemView]) -> None:
        still_open = sum(p.status == "open" for p in data)
        self.put("#problems-title", Text(f"Problems · {len(data)} ({still_open} open)", style="bold"))
        self.query_one("#problems", DeskTable).refill(problem_rows(data))
