"""Every key of the desk, as data: what the screens bind and what the help screen lists.

Each key has an id (``screen.what``, Textual's binding id, so a future user
keymap can rebind it as posting's does), the key, the action, a short
description for the footer and the palette, and a tooltip saying more. A
screen's ``BINDINGS`` is ``bindings(ITS_SECTION)``; the help screen reads
``HELP``. So the help imports no screen, and a key changed here changes in
both places at once.

This module imports only Textual's ``Binding``: screens, the app and the help
screen all import it, and it imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    """One key of one screen."""

    id: str
    key: str  # Textual's key names, comma-separated for several ("escape,n")
    action: str
    description: str  # the footer's and the palette's words
    tooltip: str = ""  # what the help and the palette say beside it
    show: bool = True  # shown in the footer; secondary keys are not
    key_display: str | None = None  # how the key is written when its name is not what the user sees
    # Run as the key arrives, before the focused widget's own keys (the week's arrows over a list's),
    # and before the keys typed after it (a dialog's key: what is typed next goes into the dialog).
    priority: bool = False

    def binding(self) -> Binding:
        """The key as a Textual binding."""
        return Binding(
            self.key,
            self.action,
            self.description,
            show=self.show,
            key_display=self.key_display,
            priority=self.priority,
            id=self.id,
            tooltip=self.tooltip,
        )


@dataclass(frozen=True)
class Section:
    """The keys of one screen (or of the whole desk), under the title the help gives them."""

    title: str
    keys: tuple[Key, ...]


def bindings(section: Section) -> list[BindingType]:
    """A screen's ``BINDINGS``: its section's keys as Textual bindings."""
    return [key.binding() for key in section.keys]


def _week_keys(screen: str, previous: str, following: str, back: str) -> tuple[Key, ...]:
    """``←`` ``→`` ``t`` for a screen that shows one week at a time, in its own words.

    All three act as they arrive, so ``t`` then ``←`` pressed at once is last week.
    """
    return (
        Key(f"{screen}.previous", "left", "week(-1)", previous, "Show the week before", key_display="←", priority=True),
        Key(f"{screen}.next", "right", "week(1)", following, "Show the week after", key_display="→", priority=True),
        Key(f"{screen}.today", "t", "this_week", back, "Back to this week", priority=True),
    )


DESK = Section("Everywhere", (
    Key("go.week", "1", "switch_mode('week')", "Week", "The week's calls, hours and warnings", show=False, priority=True),
    Key("go.caseload", "2", "switch_mode('caseload')", "Caseload", "Open cases and the queue", show=False, priority=True),
    Key("go.customers", "3", "switch_mode('customers')", "Customers", "Customers and their contracts", show=False, priority=True),
    Key("go.allowances", "4", "switch_mode('allowances')", "Allowances", "Each customer's sessions this month", show=False, priority=True),
    Key("go.time", "5", "switch_mode('time')", "Time", "Time logged this week", show=False, priority=True),
    Key("desk.book", "b", "book_call", "Book call", "Book a call with a customer", priority=True),
    Key("desk.log", "l", "log_time", "Log time", "Log time spent for a customer", priority=True),
    Key("desk.open_case", "o", "open_case", "Open case", "Open a case (or queue it at the cap)", priority=True),
    Key("desk.knowledge", "k", "search_knowledge", "Knowledge base",
        "Search past resolutions and problem solutions by their words (L12)", show=False, priority=True),
    Key("desk.reports", "P", "open_reports", "Reports",
        "A customer's status report: preview it, write it as Markdown or HTML", show=False, priority=True, key_display="P"),
    Key("desk.emergencies", "E", "switch_mode('emergencies')", "Emergencies",
        "Every emergency engagement: its clocks, its time by day, its invoices (E1-E5)", show=False, priority=True,
        key_display="E"),
    Key("desk.team", "T", "team", "Team",
        "A manager's screen: every TAM's caseload, week, customers to watch and SLA; reassign customers and cases",
        show=False, priority=True, key_display="T"),
    Key("desk.undo", "ctrl+z", "undo", "Undo", "Revert your last change; again, the one before", show=False),
    Key("desk.help", "question_mark", "help", "Help", "Every key of every screen", key_display="?"),
    Key("desk.quit", "q", "quit", "Quit", "Leave the desk", show=False),
))


def key_of(key_id: str) -> str:
    """How the key with id ``key_id`` is written for the user (its first key), for a toast to name it."""
    key = next(k for section in HELP for k in section.keys if k.id == key_id)
    return key.key_display or key.key.split(",")[0]


def undo_hint() -> str:
    """What a one-key change's toast ends with: the way to undo it."""
    return f"{key_of('desk.undo')} to undo"


#: Textual's own key for the command palette: listed in the help, bound by Textual.
PALETTE = Key("desk.palette", "ctrl+p", "command_palette", "Command palette: every action by name")

WEEK = Section("Week", (
    *_week_keys("week", "Prev", "Next", "Today"),
    Key("week.move", "m", "move_call", "Move", "Move the selected call", priority=True),
    Key("week.cancel", "x", "cancel_call", "Cancel", "Cancel the selected call, saying who cancelled"),
    Key("week.held", "h", "mark_held", "Held", "Mark the selected call held and log its time"),
    Key("week.no_show", "n", "mark_no_show", "No-show", "Mark the selected call a no-show"),
    Key("week.export", "i", "export_calendar", "Export iCal", "Every call as an .ics file for your calendar app"),
    Key("week.timesheet", "s", "timesheet", "Timesheet", "Write your timesheet for the week on screen, as Markdown or CSV",
        show=False, priority=True),
    Key("week.details", "enter", "call_details", "Details", "The selected call and its history", show=False),
    # Not in the footer: the week's header names it beside the count of warnings.
    Key("week.warnings", "w", "show_warnings", "Warnings", "Every warning, in a list that scrolls", show=False, priority=True),
))
CASELOAD = Section("Caseload", (
    Key("caseload.respond", "a", "respond", "Respond", "Record a response to the customer on the selected case (L8)"),
    Key("caseload.update", "u", "update", "Update", "Record an update to the customer on the selected case (L8)"),
    Key("caseload.escalate", "e", "escalate", "Escalate", "Escalate the selected case to level 2 or 3 (asks which, L8)",
        priority=True),
    Key("caseload.wait", "w", "wait_or_resume", "Wait/resume",
        "The selected case waits on the customer, its clocks paused; again, it resumes (L9)"),
    Key("caseload.resolve", "r", "resolve_case", "Resolve", "Resolve the selected open case", priority=True),
    Key("caseload.severity", "s", "change_severity", "Severity",
        "Give the selected case another severity (asks which; its targets apply to every deadline not met, L9)",
        show=False, priority=True),
    Key("caseload.reopen", "R", "reopen", "Reopen", "Open the selected resolved case again (C1, L9)", show=False,
        key_display="R"),
    Key("caseload.details", "enter", "case_details", "Details",
        "The selected case's history, deadlines, checklist and problem", show=False),
    Key("caseload.problems", "p", "show_problems", "Problems", "Every problem record with its cases (L6)", show=False,
        priority=True),
    Key("caseload.filter", "slash", "filter", "Filter", "Filter by customer", key_display="/", priority=True),
    Key("caseload.clear", "escape", "clear_filter", "Clear filter", "Show every case again", show=False),
))
EMERGENCIES = Section("Emergencies", (
    Key("emergencies.approve", "a", "approve_day", "Approve day",
        "Approve the day of the selected entry for the customer (asks who approved it, E4)", priority=True),
    Key("emergencies.normalized", "n", "mark_normalized", "Normalized",
        "Normality is reached on the selected emergency: mitigation starts, invoice 2 is issued (E2, E5)"),
))
TEAM = Section("Team", (
    Key("team.customer", "c", "reassign_customer", "Reassign customer",
        "Move one of the selected TAM's customers, with everything of theirs, to another TAM (C1, T7)", priority=True),
    Key("team.case", "a", "reassign_case", "Reassign case",
        "Move one of the selected TAM's open cases to another TAM (C1 at the receiver)", priority=True),
))
CASE_DETAIL = Section("Case details", (
    Key("case.close", "escape,q", "dismiss", "Back", "Back to the Caseload"),
))
PROBLEMS = Section("Problems", (
    Key("problems.close", "escape,q", "dismiss", "Back", "Back to the Caseload"),
))
KNOWLEDGE = Section("Knowledge base", (
    Key("knowledge.close", "escape", "dismiss", "Close", "Close the search", priority=True),
))
REPORTS = Section("Reports", (
    Key("reports.markdown", "ctrl+s", "write('md')", "Write Markdown", "Write the report as Markdown to the file named"),
    Key("reports.html", "ctrl+o", "write('html')", "Write HTML", "Write the report as one HTML page to the file named"),
    Key("reports.close", "escape", "dismiss", "Close", "Back to the desk", priority=True),
))
CUSTOMERS = Section("Customers", (
    Key("customers.new", "n", "new_customer", "New customer", "Add a customer", priority=True),
    Key("customers.edit", "e", "edit_customer", "Edit", "Edit the selected customer", priority=True),
    Key("customers.export", "i", "export_calendar", "Export iCal",
        "The selected customer's calls as an .ics file for your calendar app"),
))
ALLOWANCES = Section("Allowances", (
    Key("allowances.previous", "left_square_bracket", "month(-1)", "Prev month", "Show the month before", key_display="[", priority=True),
    Key("allowances.next", "right_square_bracket", "month(1)", "Next month", "Show the month after", key_display="]", priority=True),
    Key("allowances.today", "t", "this_month", "This month", "Back to this month", priority=True),
))
TIME = Section("Time", (
    *_week_keys("time", "Prev week", "Next week", "This week"),
    Key("time.edit", "e", "edit_entry", "Edit", "Correct the selected time entry (B5)"),
    Key("time.delete", "d", "delete_entry", "Delete", "Delete the selected time entry, after asking (B5)"),
))
DIALOG = Section("Dialogs", (
    Key("form.submit", "ctrl+s", "submit", "Save", "Save what the form says"),
    # At once, so a dialog key typed right after it (esc then b) acts on the desk, not on this dialog.
    Key("form.close", "escape", "close", "Close", "Close without saving", priority=True),
))
CONFIRM = Section("When a rule asks first", (
    Key("confirm.yes", "y", "answer(True)", "Yes", "Go ahead; the exception is recorded"),
    Key("confirm.no", "escape,n", "answer(False)", "Go back", "Change what you typed"),
))
CALL_DETAILS = Section("Call details", (
    Key("details.close", "escape,enter,q", "dismiss", "Close", "Back to the week"),
))
WARNINGS_SCREEN = Section("Warnings", (
    Key("warnings.close", "escape,w,q", "dismiss", "Close", "Back to the week"),
))
HELP_SCREEN = Section("Help", (
    Key("help.close", "escape,question_mark,q", "dismiss", "Close", "Back to the desk"),
))

#: What the help screen lists, in its order: the desk's keys (and the palette's), each screen's, the dialogs'.
HELP: tuple[Section, ...] = (
    Section(DESK.title, (*DESK.keys, PALETTE)),
    WEEK,
    CASELOAD,
    CUSTOMERS,
    ALLOWANCES,
    TIME,
    EMERGENCIES,
    TEAM,
    CASE_DETAIL,
    PROBLEMS,
    KNOWLEDGE,
    REPORTS,
    DIALOG,
    CONFIRM,
)
