"""Emergencies (issue 18): every engagement with its clocks, and the selected one's time by day and invoices (E1-E5).

Shown with ``E`` from every screen (or "Emergencies" in the palette); ``1``-``5``
leave it. The list and every engagement's detail come from one read
(``list_emergencies``, as ``tamdesk emergency list`` and ``show``), laid out in
the worker too (money is formatted by Babel, which loads its data on first
use), so the UI thread only fills the widgets. ``a`` approves the day of the
entry under the cursor (asking who approved it) and ``n`` marks the selected
engagement normalized, through the same use-cases as ``tamdesk emergency
approve`` and ``normalized``; a refusal names its rule and changes nothing,
``ctrl+z`` undoes either.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, NamedTuple
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Static

from tamdesk.domain.durations import describe
from tamdesk.domain.values import MAX_NAME, read_text
from tamdesk.services.emergencies import EmergencyView, InvoiceView, approve_day, list_emergencies, mark_normalized
from tamdesk.tui import keymap
from tamdesk.tui.screens.base import DeskScreen
from tamdesk.tui.screens.case_detail import when
from tamdesk.tui.screens.form import FormDialog, field
from tamdesk.tui.widgets.desk_table import DeskTable, Row
from tamdesk.tui.widgets.text_field import TextField

#: How each state reads in the list: running ones stand out (E2).
STATUS_STYLES = {"requested": "bold yellow", "normalizing": "bold red", "mitigating": "yellow", "declined": "dim", "closed": "dim"}


class Shown(NamedTuple):
    """An engagement as the screen shows it, laid out in the worker: its row, its facts, its entries, its invoices."""

    view: EmergencyView
    row: Row
    facts: Text
    entries: list[Row]
    invoices: Text


def feasibility_said(view: EmergencyView, tz: ZoneInfo) -> Text:
    """The feasibility clock in a cell: due and still running, overdue, or answered on time or late (E3)."""
    if view.feasibility_at is None:
        due = f"due {view.feasibility_due.astimezone(tz):%H:%M}, {view.due_said}"
        return Text(due, style="bold red" if view.feasibility == "overdue" else "bold yellow")
    answer = "feasible" if view.feasible else "declined"
    return Text(f"{answer} {view.feasibility_at.astimezone(tz):%H:%M}, {view.feasibility}",
                style="red" if view.feasibility == "late" else "")


def hours_in(view: EmergencyView, phase: str) -> str:
    """The time logged in ``phase``, as people say it; ``-`` for none."""
    minutes = view.minutes_in(phase)
    return describe(minutes) if minutes else "-"


def guarantee_said(view: EmergencyView) -> str:
    """``2 h paid``, ``1 h credited``; ``none`` on a monthly plan or when declined (E1)."""
    return f"{view.guarantee_hours} h {view.guarantee}" if view.guarantee_hours and view.guarantee != "none" else view.guarantee


def facts_text(view: EmergencyView, tz: ZoneInfo) -> Text:
    """What ``tamdesk emergency show`` says above its entries: request, answer, estimates, guarantee and rates."""
    from tamdesk.domain.money import for_people  # Babel: in the worker, with the rest of the layout

    text = Text(f"Emergency {view.id} · {view.customer}: {view.title} · ", style="bold")
    text.append(view.status, style=STATUS_STYLES.get(view.status, ""))
    text.append(f"\nRequested {when(view.requested_at, tz)} · feasibility (E3) ")
    text.append_text(feasibility_said(view, tz))
    estimates = [f"{what} {describe(m)}" for what, m in (("normalize", view.normalize_minutes), ("mitigate", view.mitigate_minutes)) if m]
    if estimates or view.risk:
        text.append(f"\nEstimates: {', '.join(estimates) or '-'} · risk: {view.risk or '-'}")
    money = lambda amount: for_people(amount, view.currency)  # noqa: E731
    text.append(f"\nGuarantee: {guarantee_said(view)} · rates: express {money(view.express_rate)}/h, "
                f"mitigation {money(view.mitigation_rate)}/h" + (" (monthly plan)" if view.monthly_plan else ""))
    return text


def entry_rows(view: EmergencyView, tz: ZoneInfo) -> list[Row]:
    """The specialist's time by day (E4): each day's cut with who approved it, or waiting."""
    return [
        (f"entry:{e.id}", (
            e.day.isoformat(), f"{e.start.astimezone(tz):%H:%M}", f"{e.end.astimezone(tz):%H:%M}", describe(e.minutes), e.phase,
            Text(f"✓ {e.approved_by}", style="green") if e.approved_by else Text("waiting", style="bold yellow"),
            e.note or "",
        ))
        for e in view.entries
    ]


def invoices_text(view: EmergencyView, tz: ZoneInfo) -> Text:
    """Each issued invoice with its lines and total, money as ``tamdesk emergency invoice`` writes it (E5)."""
    from tamdesk.domain.money import for_people

    if not view.invoices:
        return Text("No invoice issued yet (E2: the guarantee's with a feasible answer, then one per phase).", style="dim")
    text = Text()
    for invoice in view.invoices:
        money = lambda amount, i=invoice: for_people(amount, i.currency)  # noqa: E731
        text.append(f"Invoice {invoice.number} ({invoice.kind}) · issued {when(invoice.issued_at, tz)} · "
                    f"total {money(invoice.total)}\n", style="bold")
        for line in invoice.lines:
            time = describe(line.minutes) if line.minutes else ""
            text.append(f"  {line.description} · {time + ' · ' if time else ''}{money(line.rate)}/h · {money(line.amount)}\n")
    text.rstrip()
    return text


def laid_out(view: EmergencyView, tz: ZoneInfo) -> Shown:
    """One engagement laid out for the screen (in the worker)."""
    row: Row = (f"emergency:{view.id}", (
        str(view.id), view.customer, view.title, Text(view.status, style=STATUS_STYLES.get(view.status, "")),
        when(view.requested_at, tz), feasibility_said(view, tz), hours_in(view, "normalization"),
        hours_in(view, "mitigation"), guarantee_said(view),
    ))
    return Shown(view, row, facts_text(view, tz), entry_rows(view, tz), invoices_text(view, tz))


class EmergenciesScreen(DeskScreen):
    """The TAM's engagements, running ones first; the one under the cursor in detail below."""

    MODE = "emergencies"
    AUTO_FOCUS = "#emergency-list"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.EMERGENCIES)

    def __init__(self) -> None:
        super().__init__()
        self._shown: dict[str, Shown] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("Emergencies", id="emergencies-title", classes="screen-title")
        yield DeskTable("#", "Customer", "Title", "Status", "Requested", "Feasibility (E3)", "Normalization", "Mitigation",
                        "Guarantee", id="emergency-list", stretch="Title", least=8)
        with VerticalScroll(id="emergency-detail"):
            yield Static(id="emergency-facts")
            yield Static("Time by day (E4: only approved days are billed)", classes="panel-title")
            yield DeskTable("Day", "From", "To", "Time", "Phase", "Approved", "Note", id="emergency-entries", stretch="Note")
            yield Static("Invoices (E5)", classes="panel-title")
            yield Static(id="emergency-invoices")

    def fetch(self) -> list[Shown]:
        app = self.app
        tz: ZoneInfo = app.tam_zone  # type: ignore[attr-defined]
        return [laid_out(view, tz) for view in list_emergencies(self.desk)]

    def show(self, data: list[Shown]) -> None:
        self._shown = {shown.row[0]: shown for shown in data}
        running = sum(1 for s in data if s.view.status not in ("declined", "closed"))
        tz = self.app.tam_zone  # type: ignore[attr-defined]
        self.put("#emergencies-title", Text(f"Emergencies · {running} running of {len(data)} · times in {tz.key}", style="bold"))
        self.query_one("#emergency-list", DeskTable).refill(s.row for s in data)
        self._show_detail()

    def selected(self) -> EmergencyView | None:
        """The engagement under the list's cursor."""
        shown = self._shown.get(self.query_one("#emergency-list", DeskTable).selected_key or "")
        return shown.view if shown else None

    def _show_detail(self) -> None:
        shown = self._shown.get(self.query_one("#emergency-list", DeskTable).selected_key or "")
        if shown is None:
            self.put("#emergency-facts", "No emergencies: `tamdesk emergency open CUSTOMER TITLE` opens one.")
            self.query_one("#emergency-entries", DeskTable).refill([])
            self.put("#emergency-invoices", "")
            return
        self.put("#emergency-facts", shown.facts)
        self.query_one("#emergency-entries", DeskTable).refill(shown.entries)
        self.put("#emergency-invoices", shown.invoices)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "emergency-list":
            self._show_detail()

    def chosen_customer(self) -> str | None:
        view = self.selected()
        return view.customer if view else None

    def _chosen(self) -> EmergencyView | None:
        view = self.selected()
        if view is None:
            self.notify("Select an emergency first (↑/↓).", severity="warning")
        return view

    def chosen_day(self, view: EmergencyView) -> date | None:
        """The day to approve: the entry under the entries' cursor when they have focus, else the first day with time waiting."""
        entries = self.query_one("#emergency-entries", DeskTable)
        key = entries.selected_key if self.focused is entries else None
        entry = next((e for e in view.entries if f"entry:{e.id}" == key), None)
        if entry is not None:
            return entry.day
        return next((e.day for e in view.entries if e.approved_at is None), None)

    # -- actions ---------------------------------------------------------------------

    async def action_approve_day(self) -> None:
        """Ask who approved it, then approve the selected entry's day (E4)."""
        if (view := self._chosen()) is not None:
            await self.open_dialog(ApproveDayDialog(view, self.chosen_day(view)), self.after_change)

    def action_mark_normalized(self) -> None:
        """Normality is reached on the selected engagement: invoice 2 is issued (E2, E5); the toast says how to undo."""
        if (view := self._chosen()) is None:
            return
        desk = self.desk

        def work() -> str:
            after = mark_normalized(desk, view.id)
            issued = after.invoice(2)
            billed = f"; invoice 2 issued ({_total(issued)})" if issued else "; no approved time: no invoice 2"
            return f"Emergency {after.id} normalized: mitigation from now on{billed} — {keymap.undo_hint()}."

        self.change(work)


def _total(invoice: InvoiceView) -> str:
    from tamdesk.domain.money import for_people

    return for_people(invoice.total, invoice.currency)


class ApproveDayDialog(FormDialog):
    """Approve a day's cut of an engagement's time for the customer, saying who approved it (E4)."""

    TITLE_TEXT = "Approve a day of emergency time"
    SUBMIT_LABEL = "Approve"

    def __init__(self, view: EmergencyView, day: date | None) -> None:
        super().__init__()
        self.view = view
        self.day = day

    def fields(self) -> ComposeResult:
        view = self.view
        yield Static(f"Emergency {view.id} · {view.customer}: {view.title}", classes="hint")
        yield from field("Day", TextField(self.day.isoformat() if self.day else "", placeholder="2026-11-23, yesterday",
                                      id="day", compact=True))
        yield from field("Approved by", TextField(placeholder="the customer's name", id="by", compact=True))

    def on_mount(self) -> None:
        # The day is filled in: what is typed as the dialog opens is the name.
        self.set_focus(self.query_one("#by", Input))

    def read_form(self) -> tuple[date, str]:
        return self.typed_date("#day"), read_text(self.query_one("#by", Input).value, "who approved it", limit=MAX_NAME, required=True)

    def attempt(self, form: tuple[date, str], confirmed: bool) -> str:
        day, by = form
        after = approve_day(self.desk, self.view.id, day, by)
        return f"{day.isoformat()} of emergency {after.id} approved by {by} — {keymap.undo_hint()}."
