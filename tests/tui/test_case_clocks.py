"""Cases on the clock in the desk (issue 16): the Caseload's deadline column and keys, a case's detail, problems, the knowledge base.

The cases are ``clocked_cases``'s (tests/services/test_deadlines.py): one
customer in New York on a business clock (09:00-17:00), looked at on Monday
23 Nov 2026 at 11:00 New York (17:00 in the TAM's Madrid), one case per state
of the deadline column. Every test runs at the smallest terminal the desk
promises (80x24) and at a wide one (160x45), and checks the database and the
screen.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Select

from tamdesk.services.cases import open_case, resolve_case, show_case
from tamdesk.services.desk import Desk
from tamdesk.services.problems import open_problem
from tamdesk.tui import keymap
from tamdesk.tui.app import DeskApp
from tamdesk.tui.screens.case_detail import CaseDetailScreen
from tamdesk.tui.screens.case_steps import EscalateDialog, SeverityDialog
from tamdesk.tui.screens.caseload import CaseloadScreen
from tamdesk.tui.screens.knowledge import KnowledgeDialog
from tamdesk.tui.screens.problems import ProblemsScreen
from tamdesk.tui.screens.resolve_case import ResolveCaseDialog
from tamdesk.tui.widgets.desk_table import DeskTable
from tests.conftest import instant, table_rows
from tests.services.test_deadlines import LOOK, Clocked, clocked_cases, ny
from tests.tui.conftest import desk_app, plain, screen_text
from tests.tui.scenes import play
from tests.tui.test_calls import typed
from tests.tui.test_fit import SMALL, WIDE, painted

SIZES = pytest.mark.parametrize("size", [SMALL, WIDE], ids=["80x24", "160x45"])


@pytest.fixture
def clocked(desk: Desk, customer) -> Clocked:
    return clocked_cases(desk, customer("Northwind").name)


@pytest.fixture
def looking(desk: Desk) -> Desk:
    """The desk at 11:00 New York, when the cases are looked at."""
    return desk.at(instant(LOOK))


@pytest.fixture
def app(looking: Desk, clocked: Clocked) -> DeskApp:
    """The desk's app at 11:00 New York, once the cases are in (it starts reading the week as it is built)."""
    return desk_app(looking)


def rows(app: App[Any], table: str = "#open-cases") -> list[tuple[str, ...]]:
    """A table's rows as shown, top to bottom, each cell's plain text."""
    shown = app.screen.query_one(table, DeskTable)
    return [tuple(Text(c).plain if isinstance(c, str) else c.plain for c in shown.get_row_at(i)) for i in range(shown.row_count)]


def row_of(app: App[Any], case_id: int) -> tuple[str, ...]:
    return next(r for r in rows(app) if r[0] == str(case_id))


def cell(app: App[Any], case_id: int, column: int) -> Text:
    shown = app.screen.query_one("#open-cases", DeskTable)
    return shown.get_row_at(shown.get_row_index(f"case:{case_id}"))[column]


async def on_case(pilot: Pilot[Any], case_id: int) -> None:
    """Open the Caseload (``2``) and move its cursor to ``case_id`` with the arrow keys."""
    await play(pilot, ("2",))
    table = pilot.app.screen.query_one("#open-cases", DeskTable)
    await play(pilot, ("down",) * table.get_row_index(f"case:{case_id}"))
    assert table.selected_key == f"case:{case_id}"


def on_screen(app: App[Any], words: str) -> bool:
    """Whether ``words`` are painted on the terminal, as a person would see them."""
    return any(words in line for line in painted(app))


def resolve_hits(app: App[Any]) -> str:
    """What the resolve dialog shows beside its note: the closest past resolutions."""
    from textual.widgets import Static

    return plain(app.screen.query_one("#resolve-hits", Static).content)


def kinds(desk: Desk, case_id: int) -> list[str]:
    return [e.kind for e in show_case(desk, case_id).events]


NEXT_DEADLINE = 4  # the Caseload's column of the next deadline
UNDO = f"{keymap.undo_hint().capitalize()}."  # what a step's toast ends with


@SIZES
async def test_the_caseload_lists_cases_by_urgency_with_their_next_deadline_coloured(size, app, clocked):
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("2",))
        shown = rows(app)
        # Breached (due 10:30), then the soonest due (the warned update 11:10, the pending response 12:00),
        # then paused, and the case resolved today last (tests/services/test_deadlines.py works them out).
        assert [r[0] for r in shown] == [str(c) for c in (clocked.breached, clocked.warned, clocked.pending, clocked.paused, clocked.resolved)]
        assert [r[NEXT_DEADLINE] for r in shown] == [
            "■ response 30 min late", "⚠ update in 10 min", "response in 1 h", "paused (waiting)", "resolved",
        ]
        styles = [str(cell(app, c, NEXT_DEADLINE).style) for c in (clocked.breached, clocked.warned, clocked.pending)]
        assert styles == ["bold red", "bold yellow", "green"]
        # The column is on screen, not scrolled off the right edge, at either size.
        assert on_screen(app, "response 30 min late") and on_screen(app, "update in 10 min")


#: The keys that record a contact with the customer: key, the case, its next deadline after, the event, the toast.
CONTACTS = {
    # High, responded at 11:00: the first update is due 4 h later (L1, L8), 15:00 New York.
    "respond": ("a", "pending", "update in 4 h", "responded", "Responded to case"),
    # Critical, updated at 11:00: the next update is due 2 h later, 13:00, before the escalation (13:10).
    "update": ("u", "warned", "update in 2 h", "updated", "Updated case"),
}


@SIZES
@pytest.mark.parametrize("contact", list(CONTACTS))
async def test_a_contact_with_the_customer_moves_the_next_deadline(contact, size, app, looking, clocked):
    key, which, after, kind, toast = CONTACTS[contact]
    case_id = getattr(clocked, which)
    events = kinds(looking, case_id)
    async with app.run_test(size=size) as pilot:
        await on_case(pilot, case_id)
        await play(pilot, (key,))
        assert row_of(app, case_id)[NEXT_DEADLINE] == after
        assert on_screen(app, after)
    assert kinds(looking, case_id) == [*events, kind]
    assert any(s.startswith(f"{toast} {case_id} (Northwind): {after}.") and s.endswith(UNDO) for s in app.said)


@SIZES
async def test_w_puts_a_case_on_waiting_and_again_resumes_it(size, app, looking, clocked):
    async with app.run_test(size=size) as pilot:
        await on_case(pilot, clocked.pending)
        await play(pilot, ("w",))
        assert row_of(app, clocked.pending)[NEXT_DEADLINE] == "paused (waiting)"
        assert kinds(looking, clocked.pending) == ["filed", "opened", "waiting"]
        # Paused, it sorts after the running clocks; the cursor stays on it.
        await play(pilot, ("w",))
        # Resumed at the same instant: no clock time was paused, the response is still due in 1 h (L9).
        assert row_of(app, clocked.pending)[NEXT_DEADLINE] == "response in 1 h"
    assert kinds(looking, clocked.pending) == ["filed", "opened", "waiting", "resumed"]
    assert any(f"Case {clocked.pending} waits on the customer" in s for s in app.said)
    assert any(f"Resumed case {clocked.pending}" in s for s in app.said)


@SIZES
async def test_e_asks_the_level_and_escalates_straight_to_3(size, app, looking, clocked):
    async with app.run_test(size=size) as pilot:
        await on_case(pilot, clocked.warned)
        await play(pilot, ("e",))
        assert isinstance(app.screen, EscalateDialog)
        assert app.screen.query_one("#level", Select).value == 2  # the next level up, offered first
        await play(pilot, ("enter", "down", "enter", "ctrl+s"))
        assert isinstance(app.screen, CaseloadScreen)
    case = show_case(looking, clocked.warned)
    assert (case.level, [e.level for e in case.events if e.kind == "escalated"]) == (3, [3])
    # L8: escalating straight to level 3 meets level 2 too: both escalations are met.
    assert {d.kind: d.state for d in case.deadlines if d.kind.startswith("escalation")} == {"escalation-2": "met", "escalation-3": "met"}
    assert any(f"Escalated case {clocked.warned} to level 3" in s for s in app.said)


@SIZES
async def test_escalating_below_the_level_reached_is_refused_in_the_dialog(size, looking, clocked):
    from tamdesk.services import case_events

    case_events.escalate(looking, clocked.warned, 3)
    before = table_rows(looking)
    app = desk_app(looking)
    async with app.run_test(size=size) as pilot:
        await on_case(pilot, clocked.warned)
        await play(pilot, ("e", "ctrl+s"))
        assert isinstance(app.screen, EscalateDialog)
        assert "✗ the case is already at level 3 (the highest)" in screen_text(app)
    assert table_rows(looking) == before


@SIZES
async def test_s_asks_the_severity_and_the_new_targets_apply(size, app, looking, clocked):
    async with app.run_test(size=size) as pilot:
        await on_case(pilot, clocked.pending)
        await play(pilot, ("s",))
        assert isinstance(app.screen, SeverityDialog)
        assert app.screen.query_one("#severity", Select).value == "critical"  # the first severity it is not
        await play(pilot, ("ctrl+s",))
        # L9: critical's 30 min response runs from the deadline's own start (filed 10:00): due 10:30, so
        # at 11:00 it is 30 min late, and the case is now the most urgent of all with the other breach.
        assert row_of(app, clocked.pending)[NEXT_DEADLINE] == "■ response 30 min late"
        assert row_of(app, clocked.pending)[1] == "‼"  # critical's mark
    assert show_case(looking, clocked.pending).severity == "critical"


@SIZES
async def test_shift_r_reopens_a_resolved_case(size, app, looking, clocked):
    async with app.run_test(size=size) as pilot:
        await on_case(pilot, clocked.resolved)
        await play(pilot, ("R",))
        # Reopened, it owes an update (L9): its deadline column no longer says "resolved".
        assert row_of(app, clocked.resolved)[NEXT_DEADLINE] != "resolved"
    case = show_case(looking, clocked.resolved)
    assert (case.status, kinds(looking, clocked.resolved)[-1]) == ("open", "reopened")
    assert any(f"Reopened case {clocked.resolved}" in s and UNDO in s for s in app.said)


@SIZES
async def test_reopening_at_the_cap_is_refused_with_the_rule_named(size, looking, clocked):
    # C1: 30 open cases is the cap; the clocked cases leave 4 open, so 26 more fill it.
    with looking.batch():
        for n in range(26):
            open_case(looking, clocked.customer, f"Filler {n}", "normal")
    before = table_rows(looking)
    app = desk_app(looking)
    async with app.run_test(size=size) as pilot:
        await on_case(pilot, clocked.resolved)
        await play(pilot, ("R",))
        assert row_of(app, clocked.resolved)[NEXT_DEADLINE] == "resolved"
    assert any(s.startswith(f"C1: case {clocked.resolved} cannot open again") for s in app.said)
    assert table_rows(looking) == before


@pytest.fixture
def earlier(desk: Desk, clocked: Clocked) -> int:
    """A past case about a stalled export, resolved at 09:20 New York with a note: the knowledge base's hit."""
    case = open_case(desk.at(ny("09:00")), clocked.customer, "Export stalls at midnight", "high").id
    resolve_case(desk.at(ny("09:20")), case, "Raised the export worker's memory limit")
    return case


@SIZES
async def test_r_shows_the_closest_resolutions_for_the_title_then_for_what_is_typed(size, earlier, looking, clocked):
    # A past resolution whose title shares "export" and "stalls" with the warned case's ("Nightly export stalls").
    app = desk_app(looking)
    async with app.run_test(size=size) as pilot:
        await on_case(pilot, clocked.warned)
        await play(pilot, ("r",))
        assert isinstance(app.screen, ResolveCaseDialog)
        hits = resolve_hits(app)
        assert "Closest past resolutions to the title (L12):" in hits
        assert f"case {earlier} · Northwind · Export stalls at midnight" in hits
        assert "Password reset mail delayed" not in hits  # no word in common with the title
        # As the note is typed, the hits follow it: "relay" is in the resolved case's note only.
        await play(pilot, typed("relay"))
        hits = resolve_hits(app)
        assert "Closest past resolutions to what you typed (L12):" in hits
        assert f"case {clocked.resolved} · Northwind · Password reset mail delayed" in hits
        assert "Export stalls at midnight" not in hits
        assert on_screen(app, "Password reset mail delayed")
        await play(pilot, ("enter",))
    case = show_case(looking, clocked.warned)
    assert (case.status, case.resolution_note) == ("resolved", "relay")


async def test_the_newest_search_wins_over_an_older_one_that_ends_later(looking, clocked):
    """Two searches in flight: the older one's hits, arriving last, are not shown over the newer one's."""
    from textual.worker import Worker, WorkerState

    app = desk_app(looking)
    async with app.run_test(size=WIDE) as pilot:
        await play(pilot, ("k", *typed("relay")))
        dialog = app.screen
        assert isinstance(dialog, KnowledgeDialog)
        shown = screen_text(app)
        assert "Password reset mail delayed" in shown
        # A worker named for an older query reports success now: it must be ignored.
        stale: Worker[Any] = Worker(dialog, lambda: [], name="search 1", group="kb")
        stale._result = []
        dialog.post_message(Worker.StateChanged(stale, WorkerState.SUCCESS))
        await play(pilot, ())
        assert screen_text(app) == shown


@SIZES
async def test_enter_opens_the_cases_detail_in_both_zones_and_escape_goes_back(size, app, looking, clocked):
    open_problem(looking, "Export workers starve", [clocked.warned])
    async with app.run_test(size=size) as pilot:
        await on_case(pilot, clocked.warned)
        await play(pilot, ("enter",))
        assert isinstance(app.screen, CaseDetailScreen)
        shown = screen_text(app)
        assert f"Case {clocked.warned} · Northwind: Nightly export stalls" in shown
        assert "Times in Europe/Madrid (yours) and America/New_York (the customer's)" in shown
        assert "Problem (L6): 1 · Export workers starve" in shown
        assert "Checklist: none asked (L5)" in shown
        # Filed 09:00 New York = 15:00 Madrid; responded 09:10 = 15:10.
        timeline = rows(app, "#timeline")
        assert timeline[0] == ("Mon 23 Nov 15:00", "Mon 23 Nov 09:00", "filed", "")
        assert timeline[2][:3] == ("Mon 23 Nov 15:10", "Mon 23 Nov 09:10", "responded to the customer")
        # The response (due 09:30 New York, 15:30 Madrid) was met at 09:10; the update (due 11:10, 17:10) pending;
        # escalations 4 h and 8 h of business clock after the response: 13:10, and Tue 09:10 (17:00 closes at 7 h 50).
        assert rows(app, "#deadlines") == [
            ("Response", "Mon 23 Nov 15:30", "Mon 23 Nov 09:30", "met Mon 23 Nov 15:10"),
            ("Update", "Mon 23 Nov 17:10", "Mon 23 Nov 11:10", "pending"),
            ("Level 2", "Mon 23 Nov 19:10", "Mon 23 Nov 13:10", "pending"),
            ("Level 3", "Tue 24 Nov 15:10", "Tue 24 Nov 09:10", "pending"),
        ]
        assert on_screen(app, "met Mon 23 Nov 15:10")
        await play(pilot, ("escape",))
        assert isinstance(app.screen, CaseloadScreen)


@SIZES
async def test_p_lists_problems_with_their_cases(size, app, looking, clocked):
    problem = open_problem(looking, "Export workers starve", [clocked.warned, clocked.pending])
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("2", "p"))
        assert isinstance(app.screen, ProblemsScreen)
        assert "Problems · 1 (1 open)" in screen_text(app)
        shown = rows(app, "#problems")
        assert shown[0][:3] == (f"P{problem.id}", "open", "Export workers starve (2 cases)")
        assert [r[1:3] for r in shown[1:]] == [
            ("open", f"  └ case {clocked.warned} · Northwind: Nightly export stalls"),
            ("open", f"  └ case {clocked.pending} · Northwind: Reports show wrong currency"),
        ]
        assert on_screen(app, "Export workers starve (2 cases)")
        await play(pilot, ("escape",))
        assert isinstance(app.screen, CaseloadScreen)


@SIZES
async def test_the_knowledge_base_is_searched_from_the_palette(size, app, looking, clocked):
    before = table_rows(looking)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("ctrl+p", *typed("knowledge base")))
        await play(pilot, ("enter",))
        assert isinstance(app.screen, KnowledgeDialog)
        await play(pilot, typed("mail relay"))
        shown = screen_text(app)
        # Kind, id, customer, title; then the snippet with the matching words.
        assert f"case {clocked.resolved} · Northwind · Password reset mail delayed" in shown
        assert "Mail relay queue flushed" in shown
        assert on_screen(app, "Password reset mail delayed")
        await play(pilot, ("escape",))
        assert not isinstance(app.screen, KnowledgeDialog)
    assert table_rows(looking) == before  # a search changes nothing


@SIZES
async def test_the_week_counts_deadlines_due_today_warned_and_breached(size, app, clocked):
    async with app.run_test(size=size) as pilot:
        await play(pilot, ())
        # tests/services/test_deadlines.py works the three numbers out by hand.
        assert "Deadlines 3 due today\n⚠ 1 warned · ■ 1 breached" in screen_text(app)
        assert on_screen(app, "Deadlines 3 due today") and on_screen(app, "⚠ 1 warned · ■ 1 breached")


#: The clocks' screens as stored pictures: key presses after the desk opens on the clocked cases.
PICTURES = {
    "caseload-clocks": ("2",),
    "case-detail": ("2", "down", "enter"),  # the second case by urgency: the warned one, with its problem
    "problems": ("2", "p"),
}


@pytest.mark.parametrize("size", [SMALL, WIDE], ids=["80x24", "160x45"])
@pytest.mark.parametrize("picture", list(PICTURES))
def test_the_clocks_screens_look_as_stored(picture, size, looking, clocked, snap_compare):
    from tamdesk.services.settings import set_setting

    set_setting(looking, "name", "Alex Rivera")  # the header names the TAM: not this machine's user
    open_problem(looking, "Export workers starve", [clocked.warned, clocked.pending])

    async def open_scene(pilot: Pilot[object]) -> None:
        await play(pilot, PICTURES[picture])

    assert snap_compare(desk_app(looking), terminal_size=size, run_before=open_scene)


@SIZES
async def test_ctrl_z_undoes_a_step_taken_with_a_key(size, app, looking, clocked):
    before = table_rows(looking)
    async with app.run_test(size=size) as pilot:
        await on_case(pilot, clocked.pending)
        await play(pilot, ("a",))
        assert kinds(looking, clocked.pending) == ["filed", "opened", "responded"]
        await play(pilot, ("ctrl+z",))
        # The response is gone: the first response is due again in 1 h (12:00 New York).
        assert row_of(app, clocked.pending)[NEXT_DEADLINE] == "response in 1 h"
    # The toast names what was undone (the journal's words are the store's to choose) and the case.
    assert any(s.startswith("Undid: ") and f"case {clocked.pending} (Reports show wrong currency)" in s for s in app.said)
    # Every row as before, but the journal (the step is marked undone) and the desk's revision (two changes).
    after = table_rows(looking)
    assert {k: v for k, v in after.items() if k not in ("journal", "settings")} == {
        k: v for k, v in before.items() if k not in ("journal", "settings")
    }


@SIZES
async def test_keys_act_on_the_queued_case_when_the_queue_has_focus(size, looking, clocked):
    # C1: the clocked cases leave 4 open; 26 more fill the cap, so the next case waits in the queue.
    # Its customer is already waiting (L8): a response is what the TAM may still send.
    with looking.batch():
        for n in range(26):
            open_case(looking, clocked.customer, f"Filler {n}", "normal")
    queued = open_case(looking, clocked.customer, "Waiting in line", "high", queue=True).id
    app = desk_app(looking)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("2", "tab", "a"))
        assert app.screen.query_one("#queue", DeskTable).selected_key == f"case:{queued}"
        await play(pilot, ("enter",))
        assert isinstance(app.screen, CaseDetailScreen) and app.screen.case_id == queued
    assert kinds(looking, queued) == ["filed", "responded"]


@SIZES
async def test_opening_a_case_suggests_the_closest_past_resolutions_as_its_title_is_typed(size, earlier, looking, clocked):
    # L12: "opening a case suggests the closest past resolutions". Typing a title that shares "export"
    # with the earlier case's lists it under the title.
    from textual.widgets import Static

    from tamdesk.tui.screens.open_case import OpenCaseDialog

    app = desk_app(looking)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("o",))
        assert isinstance(app.screen, OpenCaseDialog)
        await play(pilot, ("tab", *typed("Monthly export fails")))
        hits = plain(app.screen.query_one("#open-hits", Static).content)
        assert "Closest past resolutions (L12):" in hits
        assert f"case {earlier} · Northwind · Export stalls at midnight" in hits
        assert on_screen(app, "Export stalls at midnight")
