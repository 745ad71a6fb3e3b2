"""The manager's screen (issue 19): every TAM's caseload, week, customers to watch and SLA, and the reassignments.

Shown with ``T`` to a manager (a TAM who is not one gets a toast and no
screen). One row per TAM, each figure read as that TAM's own desk reads it
(``team_overview``: C1-C3, B2-B4, S4, L4), in a worker, laid out there too;
the selected TAM's figures are spelled out under the list, so an 80x24
terminal loses nothing the row cuts. ``c`` reassigns one of the selected TAM's
customers and ``a`` one of their cases, through the same use-cases as
``tamdesk customer assign`` and ``case assign``: a refusal (C1 or T7 at the
receiver, a name clash) stays in the dialog with what was picked, success
toasts how to undo it (``ctrl+z``) and the screen reads the team again.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, NamedTuple
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Select, Static
from textual.worker import Worker, WorkerState

from tamdesk.domain.errors import BadInput
from tamdesk.services.team import TamView, TeamRow, assign_case, assign_customer, team_overview
from tamdesk.tui import keymap
from tamdesk.tui.formatting import hours_text
from tamdesk.tui.screens.base import DeskScreen
from tamdesk.tui.screens.form import FormDialog, field
from tamdesk.tui.widgets.desk_table import DeskTable, Row

#: How many of a TAM's SLA breaches the detail names, the latest first (the count says how many in all).
BREACHES_NAMED = 3


class Shown(NamedTuple):
    """A TAM as the screen shows them, laid out in the worker: the row and the detail under the list."""

    team: TeamRow
    row: Row
    detail: Text


def at_risk_sessions(warning: Any) -> int:
    """How many sessions an S4 warning says would be forfeited (its text starts with the count)."""
    found = re.match(r"\s*(\d+)", warning.text)
    return int(found.group(1)) if found else 0


def counted(number: int, thing: str, many: str | None = None) -> str:
    """``1 customer``, ``2 customers``, ``0 breaches``."""
    return f"{number} {thing if number == 1 else many or thing + 's'}"


def city(tz: str | None) -> str:
    """A zone as its city, for a narrow column: ``America/New_York`` -> ``New York``."""
    return tz.rsplit("/", 1)[-1].replace("_", " ") if tz else "-"


def load_mark(load: Any, said: bool = False) -> Text:
    """The caseload's mark: ``■`` at the cap (C1), ``⚠`` from 90% of it (C3); ``said``: with what it means."""
    if load.at_cap:
        return Text("■" + ("  FULL: new cases wait in the queue (C1)" if said else ""), style="bold red")
    if load.warning:
        return Text("⚠" + (f" {load.percent}% of the cap (C3)" if said else ""), style="bold yellow")
    return Text()


def caseload_cell(team: TeamRow) -> Text:
    """``27/30 ⚠`` from 90% of the cap (C3), ``30/30 ■`` at it (C1)."""
    load = team.week.caseload
    mark = load_mark(load)
    return Text.assemble(str(load), " " if mark else "", mark)


def over_hours(team: TeamRow) -> bool:
    """The TAM's week is over their working hours (B4)."""
    return team.week.tam_minutes > team.week.working_hours * 60


def week_cell(team: TeamRow) -> Text:
    """This week's hours against the working hours (B4): ``18.8/40 h``, red when over."""
    week = team.week
    return Text(f"{week.tam_minutes / 60:.1f}/{week.working_hours:g} h", style="bold red" if over_hours(team) else "")


def share_cell(share: Any) -> Text:
    """An L4 share as a percentage, red under its target; ``-`` when nothing counted."""
    value = share.share
    if value is None:
        return Text("-", style="dim")
    return Text(f"{value:.0%}", style="" if share.met else "bold red")


def watch_cell(team: TeamRow) -> Text:
    """The customers to watch, by name: over the cap this week (B2), consistently over (B3), sessions at risk (S4)."""
    parts: list[tuple[str, str]] = [(f"▲ B2 {name}", "red") for name in team.over_cap]
    parts += [(f"▲▲ B3 {name}", "bold red") for name in team.consistently_over]
    parts += [(f"S4 {w.customer} {at_risk_sessions(w)}", "yellow") for w in team.at_risk]
    if not parts:
        return Text("-", style="dim")
    text = Text()
    for number, (said, style) in enumerate(parts):
        text.append(" · " if number else "")
        text.append(said, style=style)
    return text


def detail_text(team: TeamRow, tz: ZoneInfo) -> Text:
    """Every figure of one TAM in full, dates in the manager's zone ``tz``."""
    tam, week, sla = team.tam, team.week, team.sla
    load = week.caseload
    text = Text(f"{tam.name}", style="bold")
    text.append(f" · {tam.tz or '-'} · {tam.role}{' (you)' if tam.you else ''} · {counted(tam.customers, 'customer')}")
    text.append(f"\nCaseload {load} open, {load.queued} queued (C1)  ")
    text.append_text(load_mark(load, said=True))
    text.append(f"\nWeek {week.week}: {hours_text(week.tam_minutes)} of {week.working_hours:g} h working hours (B4)")
    if over_hours(team):
        text.append("  ▲ over", style="bold red")
    text.append(f"\nOver the weekly cap (B2): {', '.join(team.over_cap) or 'none'} · consistently over (B3): "
                f"{', '.join(team.consistently_over) or 'none'}")
    sessions = sum(at_risk_sessions(w) for w in team.at_risk)
    risk = ", ".join(f"{w.customer} ({at_risk_sessions(w)})" for w in team.at_risk)
    text.append(f"\nAt risk this month (S4): {counted(sessions, 'session')}" + (f": {risk}" if risk else ""),
                style="yellow" if sessions else "")
    text.append(f"\nSLA this month (L4): first responses {_share_said(sla.first_response)} · updates and escalations "
                f"{_share_said(sla.updates_and_escalations)} · {counted(len(sla.misses), 'breach', 'breaches')}")
    for miss in sorted(sla.misses, key=lambda m: m.due, reverse=True)[:BREACHES_NAMED]:
        text.append(f"\n  case {miss.case.id} ({miss.case.customer}) {miss.kind} due "
                    f"{miss.due.astimezone(tz):%d %b %H:%M}, " + (
                        f"done {miss.done_at.astimezone(tz):%d %b %H:%M}" if miss.done_at else "not done"),
                    style="red")
    return text


def _share_said(share: Any) -> str:
    """``25/25 on time (100%, target 95%)``; ``none due`` when nothing counted."""
    total = share.on_time + share.late
    if not total:
        return "none due"
    return f"{share.on_time}/{total} on time ({share.share:.0%}, target {share.target:.0%})"


def laid_out(team: TeamRow, tz: ZoneInfo) -> Shown:
    """One TAM laid out for the screen (in the worker)."""
    tam = team.tam
    row: Row = (f"tam:{tam.id}", (
        tam.name, city(tam.tz), caseload_cell(team), week_cell(team), share_cell(team.sla.first_response),
        share_cell(team.sla.updates_and_escalations), str(len(team.sla.misses)), watch_cell(team),
    ))
    return Shown(team, row, detail_text(team, tz))


class TeamScreen(DeskScreen):
    """Every TAM of the desk, one row each; the selected one's figures in full below."""

    MODE = "team"
    AUTO_FOCUS = "#team-list"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.TEAM)

    def __init__(self) -> None:
        super().__init__()
        self._shown: dict[str, Shown] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("Team", id="team-title", classes="screen-title")
        yield DeskTable("TAM", "Zone", "Cases", "Week", "L4 1st", "L4 upd", "Breach", "Watch",
                        id="team-list", stretch="Watch", least=8)
        yield Static(id="team-detail")

    def fetch(self) -> list[Shown]:
        tz: ZoneInfo = self.app.tam_zone  # type: ignore[attr-defined]
        return [laid_out(team, tz) for team in team_overview(self.desk)]

    def show(self, data: list[Shown]) -> None:
        self._shown = {shown.row[0]: shown for shown in data}
        tz = self.app.tam_zone  # type: ignore[attr-defined]
        weeks = sorted({s.team.week.week for s in data})
        month = f"{self.app.today:%B}"  # type: ignore[attr-defined]  # the manager's month (each TAM's is read in their zone)
        self.put("#team-title", Text(
            f"Team · {len(data)} TAMs · week {', '.join(weeks)} · SLA, S4: {month} · times in {tz.key}",
            style="bold"))
        self.query_one("#team-list", DeskTable).refill(s.row for s in data)
        self._show_detail()

    def selected(self) -> TeamRow | None:
        """The TAM under the list's cursor."""
        shown = self._shown.get(self.query_one("#team-list", DeskTable).selected_key or "")
        return shown.team if shown else None

    def _show_detail(self) -> None:
        shown = self._shown.get(self.query_one("#team-list", DeskTable).selected_key or "")
        self.put("#team-detail", shown.detail if shown else "No TAM selected.")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "team-list":
            self._show_detail()

    def _chosen(self) -> TeamRow | None:
        team = self.selected()
        if team is None:
            self.notify("Select a TAM first (↑/↓).", severity="warning")
        return team

    def _others(self, team: TeamRow) -> list[TamView]:
        return [s.team.tam for s in self._shown.values() if s.team.tam.id != team.tam.id]

    async def action_reassign_customer(self) -> None:
        """Move one of the selected TAM's customers, with everything of theirs, to another TAM (C1, T7)."""
        if (team := self._chosen()) is not None:
            await self.open_dialog(ReassignCustomerDialog(team.tam, self._others(team)), self.after_change)

    async def action_reassign_case(self) -> None:
        """Move one of the selected TAM's cases to another TAM (C1 at the receiver)."""
        if (team := self._chosen()) is not None:
            await self.open_dialog(ReassignCaseDialog(team.tam, self._others(team)), self.after_change)


class ReassignDialog(FormDialog):
    """Pick one of a TAM's rows and the TAM who receives it; the use-case checks the receiver's rules."""

    SUBMIT_LABEL = "Reassign"
    WHAT: ClassVar[str] = ""  # "customer" or "case"

    def __init__(self, giver: TamView, receivers: list[TamView]) -> None:
        super().__init__()
        self.giver = giver
        self.receivers = receivers
        self.labels: dict[int, str] = {}  # each row's label by its id, once read

    def fields(self) -> ComposeResult:
        giver = self.giver
        yield Static(f"From {giver.name} ({counted(giver.customers, 'customer')}, {counted(giver.open_cases, 'open case')})",
                     classes="hint")
        yield from field(self.WHAT.capitalize(), Select([], prompt="reading…", id="record", compact=True))
        yield from field("To", Select([(f"{t.name} ({t.open_cases} open)", t.id) for t in self.receivers],
                                      prompt="Choose a TAM", id="to", compact=True))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#record", Select))
        self.run_worker(self.choices, thread=True, group="choices", exit_on_error=False)

    def choices(self) -> list[tuple[str, int]]:
        """The giver's rows to pick from, as (label, id) (worker thread)."""
        raise NotImplementedError

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "choices" and event.state == WorkerState.SUCCESS:
            event.stop()
            choices = event.worker.result
            self.labels = {record: label for label, record in choices}
            picker = self.query_one("#record", Select)
            picker.set_options(choices)
            picker.prompt = f"Choose a {self.WHAT}" if choices else f"{self.giver.name} has no {self.WHAT}s to move"

    def read_form(self) -> tuple[int, int]:
        record, to = self.query_one("#record", Select).value, self.query_one("#to", Select).value
        if record is Select.NULL:
            raise BadInput(f"choose one of {self.giver.name}'s {self.WHAT}s")
        if to is Select.NULL:
            raise BadInput("choose the TAM who receives it")
        return int(record), int(to)  # type: ignore[call-overload]

    def moved(self, view: Any, what: str) -> str:
        """The toast: what moved from whom to whom, and how to undo it."""
        return f"{what} moved from {view.from_tam} to {view.to_tam} — {keymap.undo_hint()}."


class ReassignCustomerDialog(ReassignDialog):
    """``tamdesk customer assign C --to TAM`` as a dialog."""

    TITLE_TEXT = "Reassign a customer"
    WHAT = "customer"

    def choices(self) -> list[tuple[str, int]]:
        from tamdesk.services.customers import list_customers

        return [(c.name, c.id) for c in list_customers(self.desk.acting_as(self.giver.id))]

    def attempt(self, form: tuple[int, int], confirmed: bool) -> str:
        customer, to = form
        view = assign_customer(self.desk, customer, str(to))
        return self.moved(view, f"Customer {self.labels.get(customer, view.record_id)}")


class ReassignCaseDialog(ReassignDialog):
    """``tamdesk case assign ID --to TAM`` as a dialog: the giver's open and queued cases to pick from."""

    TITLE_TEXT = "Reassign a case"
    WHAT = "case"

    def choices(self) -> list[tuple[str, int]]:
        from tamdesk.services.cases import list_cases

        cases = [c for c in list_cases(self.desk.acting_as(self.giver.id)) if c.status in ("open", "queued")]
        return [(f"{c.id} · {c.customer}: {c.title}" + (" (queued)" if c.status == "queued" else ""), c.id) for c in cases]

    def attempt(self, form: tuple[int, int], confirmed: bool) -> str:
        case, to = form
        view = assign_case(self.desk, case, str(to))
        return self.moved(view, f"Case {self.labels.get(case, view.record_id)}")
