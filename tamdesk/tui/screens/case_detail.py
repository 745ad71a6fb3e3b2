"""One case: its timeline in the TAM's and the customer's zone, every deadline with its verdict, checklist, problem.

Reached with ``enter`` on the Caseload; ``esc`` goes back. It is a main
screen (header, tabs, footer) over the Caseload, so an undo or another
process's change shows here too.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from tamdesk.services.deadlines import CaseDetail, case_detail, urgency
from tamdesk.services.views import CaseEventView
from tamdesk.tui import keymap
from tamdesk.tui.screens.base import DeskScreen
from tamdesk.tui.formatting import deadline_text, severity_text
from tamdesk.tui.widgets.desk_table import DeskTable, Row

#: How each verdict is coloured (L10).
VERDICT_STYLES = {"met": "green", "missed": "yellow", "breached": "bold red", "pending": ""}

#: Each deadline kind in words.
DEADLINE_NAMES = {"response": "Response", "update": "Update", "escalation-2": "Level 2", "escalation-3": "Level 3"}


def when(at: datetime | None, tz: ZoneInfo) -> str:
    """An instant on a wall clock in ``tz``: ``Mon 23 Nov 14:20``; nothing for none."""
    return f"{at.astimezone(tz):%a %d %b %H:%M}" if at is not None else ""


def event_said(event: CaseEventView) -> str:
    """A step of the case's history in words."""
    fixed = {
        "filed": "filed", "opened": "opened (left the queue)", "responded": "responded to the customer",
        "updated": "updated the customer", "waiting": "waiting on the customer (clocks paused)",
        "resumed": "resumed (clocks run)", "resolved": "resolved", "reopened": "reopened",
    }
    if event.kind in fixed:
        return fixed[event.kind]
    return {
        "escalated": f"escalated to level {event.level}",
        "checklist": f"checklist: {event.item} done",
        "severity": f"severity now {event.severity}",
        "linked": f"linked to problem {event.problem}",
    }.get(event.kind, event.kind)


class CaseDetailScreen(DeskScreen):
    """A case's history, deadlines, checklist and problem."""

    MODE = "caseload"
    AUTO_FOCUS = "#deadlines"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.CASE_DETAIL)

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.detail: CaseDetail | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(f"Case {self.case_id}", id="case-title", classes="screen-title")
        yield Static("", id="case-facts", classes="hint")
        yield Static("Deadlines (L3, L10: escalations to level 2 and 3 run from the first response)", classes="panel-title")
        yield DeskTable("Deadline", "Due (yours)", "Due (customer's)", "Verdict (done, yours)", id="deadlines",
                        stretch="Verdict (done, yours)", least=8)
        yield Static("Timeline", classes="panel-title")
        yield DeskTable("Yours", "Customer's", "What", "Note", id="timeline", stretch="Note")

    def fetch(self) -> CaseDetail:
        return case_detail(self.desk, self.case_id)

    def chosen_customer(self) -> str | None:
        return self.detail.case.customer if self.detail else None

    def show(self, data: CaseDetail) -> None:
        self.detail = data
        case = data.case
        mine, theirs = ZoneInfo(data.tam_tz), ZoneInfo(data.customer_tz)
        title = Text(f"Case {case.id} · {case.customer}: {case.title}  ", style="bold")
        title.append_text(severity_text(case.severity))
        title.append(f"  · {case.shown_status} · level {case.level} · ")
        title.append_text(deadline_text(urgency(case)))
        self.put("#case-title", title)
        self.put("#case-facts", "\n".join(self._facts(data)))
        deadlines: list[Row] = [
            (f"deadline:{n}", (
                DEADLINE_NAMES.get(d.kind, d.kind), when(d.due, mine), when(d.due, theirs),
                Text(f"{d.state} {when(d.done_at, mine)}".rstrip(), style=VERDICT_STYLES.get(d.state, "")),
            ))
            for n, d in enumerate(case.deadlines)
        ]
        self.query_one("#deadlines", DeskTable).refill(deadlines)
        timeline: list[Row] = [
            (f"event:{e.id}", (when(e.at, mine), when(e.at, theirs), event_said(e), e.note or ""))
            for e in case.events
        ]
        self.query_one("#timeline", DeskTable).refill(timeline)

    @staticmethod
    def _facts(data: CaseDetail) -> list[str]:
        """The lines under the title: zones and clock, checklist, problem, resolution."""
        case = data.case
        clock = "business hours" if case.clock == "business" else "24x7"
        facts = [f"Times in {data.tam_tz} (yours) and {data.customer_tz} (the customer's) · clocks run {clock} (L7)"
                 + (" · paused (L9)" if case.paused else "")]
        if case.checklist is None:
            facts.append("Checklist: none asked (L5)")
        else:
            items = " ".join(f"{'☑' if done else '☐'} {item}" for item, done in case.checklist.items())
            facts.append(f"Checklist (L5): {items}")
        facts.append(f"Problem (L6): {case.problem} · {data.problem_title}" if case.problem is not None else "Problem (L6): none")
        if case.resolution_note:
            facts.append(f"Resolution: {case.resolution_note}")
        return facts
