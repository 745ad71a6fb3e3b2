"""The Emergencies screen and the Week's running emergencies (issue 18, E1-E5), with real key presses at 80x24 and 160x45.

The demo desk's clock is Monday 23 Nov 2026 08:00 in Madrid (the TAM's zone).
What the demo holds, worked out from ``data/demo.toml``:

* Cyberdyne's "Payment gateway rejects every card", requested 5 h ago (03:00),
  answered feasible at 03:45 (on time: within 60 min, E3), 2 h 30 min of
  normalization logged, none approved: normalizing.
* Umbrella's "Batch update corrupted the ledger", requested 40 h ago (Sat 21
  16:00): 6 h of normalization on Sat 21 (16:30-22:30) approved by Katrin Weber,
  normalized on Sun 22 13:00, then 2 h of mitigation on Sun 22 (16:00-18:00)
  waiting: mitigating. Umbrella is on a monthly plan (Premium): no guarantee, so
  no invoice 1; invoice 2 bills the approved 6 h at the express rate, 35 USD/h:
  $210.00 (E5).
* Cyberdyne's "Ransomware encrypted the file servers", closed.

The list shows running ones first, newest first (``tamdesk emergency list``):
the gateway, Umbrella, the ransomware.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tamdesk.services.emergencies import list_emergencies, open_emergency, show_emergency
from tamdesk.services.week_page import week_page
from tamdesk.tui.screens.customers import CustomersScreen
from tamdesk.tui.screens.emergencies import ApproveDayDialog, EmergenciesScreen
from tamdesk.tui.screens.week import WeekScreen
from tamdesk.tui.widgets.desk_table import DeskTable
from tests.conftest import table_rows
from tests.tui.conftest import desk_app, plain
from tests.tui.scenes import SCENES, play
from tests.tui.test_calls import typed
from tests.tui.test_fit import SMALL, WIDE

SIZES = pytest.mark.parametrize("size", [SMALL, WIDE], ids=["80x24", "160x45"])
GATEWAY = "Payment gateway rejects every card"
LEDGER = "Batch update corrupted the ledger"
RANSOMWARE = "Ransomware encrypted the file servers"


def ids(desk) -> dict[str, int]:
    """Each demo engagement's id, by its title."""
    return {view.title: view.id for view in list_emergencies(desk)}


def cells(app, selector: str) -> list[list[str]]:
    """The rows of the table at ``selector`` on the screen in view, as plain text."""
    table = app.screen.query_one(selector, DeskTable)
    return [[plain(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def shown(app, selector: str) -> str:
    return plain(app.screen.query_one(selector).content)


@SIZES
async def test_open_the_screen_see_the_engagements_and_the_selected_one_s_entries_and_invoices(size, demo):
    number = ids(demo)
    app = desk_app(demo)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("E",))
        assert isinstance(app.screen, EmergenciesScreen)
        rows = cells(app, "#emergency-list")
        # Running first, newest first: the gateway, Umbrella, then the closed ransomware.
        assert [row[0] for row in rows] == [str(number[GATEWAY]), str(number[LEDGER]), str(number[RANSOMWARE])]
        assert [row[1] for row in rows] == ["Cyberdyne Systems", "Umbrella GmbH", "Cyberdyne Systems"]
        assert [row[3] for row in rows] == ["normalizing", "mitigating", "closed"]
        gateway = rows[0]
        assert gateway[4] == "Mon 23 Nov 03:00"  # 5 h before 08:00
        assert gateway[5] == "feasible 03:45, on time"  # 45 min after the request: within the 60 (E3)
        assert gateway[6:] == ["2 h 30 min", "-", "1 h paid"]  # express: the default guarantee of 1 h (E1)
        assert rows[1][6:] == ["6 h", "2 h", "none"]  # a monthly plan pays no guarantee (E1)
        assert f"Emergency {number[GATEWAY]} · Cyberdyne Systems: {GATEWAY}" in shown(app, "#emergency-facts")

        await play(pilot, ("down",))  # Umbrella's
        assert f"Emergency {number[LEDGER]} · Umbrella GmbH: {LEDGER} · mitigating" in shown(app, "#emergency-facts")
        entries = cells(app, "#emergency-entries")
        assert [row[:6] for row in entries] == [
            ["2026-11-21", "16:30", "22:30", "6 h", "normalization", "✓ Katrin Weber"],
            ["2026-11-22", "16:00", "18:00", "2 h", "mitigation", "waiting"],
        ]
        invoices = shown(app, "#emergency-invoices")
        assert "Invoice 2 (normalization)" in invoices and "total $210.00" in invoices  # 6 h x $35.00 (E5)
        assert "Invoice 1" not in invoices and "Invoice 3" not in invoices  # no guarantee; not closed yet


@SIZES
async def test_approve_a_day_asks_the_name_and_a_day_approved_already_is_refused(size, demo):
    number = ids(demo)[LEDGER]
    app = desk_app(demo)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("E", "down", "a"))
        assert isinstance(app.screen, ApproveDayDialog)
        # The day filled in is the first with time waiting: Sun 22's mitigation (E4).
        assert app.screen.query_one("#day").value == "2026-11-22"
        await play(pilot, (*typed("Albert Wesker"), "ctrl+s"))
        assert isinstance(app.screen, EmergenciesScreen)
        said = f"2026-11-22 of emergency {number} approved by Albert Wesker — ctrl+z to undo."
        assert said in app.said
        approved = {e.day.isoformat(): e.approved_by for e in show_emergency(demo, number).entries}
        assert approved == {"2026-11-21": "Katrin Weber", "2026-11-22": "Albert Wesker"}
        assert "✓ Albert Wesker" in [row[5] for row in cells(app, "#emergency-entries")]

        # Sat 21 again: approved already, refused (E4); the dialog keeps what was typed, nothing changes.
        before = table_rows(demo)
        await play(pilot, ("a", "shift+tab", "ctrl+a", "ctrl+k", *typed("2026-11-21"), "tab", *typed("Ada"), "ctrl+s"))
        assert isinstance(app.screen, ApproveDayDialog)
        assert "E4: 2026-11-21 is approved already." in shown(app, "#error")
        assert app.screen.query_one("#by").value == "Ada"
        assert table_rows(demo) == before

        await play(pilot, ("escape", "ctrl+z"))  # undo the approval
        approved = {e.day.isoformat(): e.approved_by for e in show_emergency(demo, number).entries}
        assert approved == {"2026-11-21": "Katrin Weber", "2026-11-22": None}


@SIZES
async def test_mark_normalized_says_how_to_undo_and_a_second_time_is_refused(size, demo):
    number = ids(demo)[GATEWAY]
    app = desk_app(demo)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("E", "n"))  # the gateway, first in the list
        # Its 2 h 30 min are not approved and its guarantee is paid, not credited: nothing to bill, no invoice 2 (E5).
        said = f"Emergency {number} normalized: mitigation from now on; no approved time: no invoice 2 — ctrl+z to undo."
        assert said in app.said
        after = show_emergency(demo, number)
        assert after.status == "mitigating" and after.invoice(2) is None
        assert cells(app, "#emergency-list")[0][3] == "mitigating"

        before = table_rows(demo)
        await play(pilot, ("n",))  # mitigating now: only a normalizing engagement reaches normality (E2)
        assert any(message.startswith("E2: ") for message in app.said)
        assert table_rows(demo) == before

        await play(pilot, ("ctrl+z",))
        assert show_emergency(demo, number).status == "normalizing"


async def test_the_palette_names_the_screen(demo):
    app = desk_app(demo)
    async with app.run_test(size=WIDE) as pilot:
        await play(pilot, ())
        commands = {command.title for command in app.get_system_commands(app.screen)}
        assert "Emergencies" in commands


# -- the Week's running emergencies ------------------------------------------------------------


def _emergency_line(app) -> str:
    return shown(app, "#week-emergencies")


@SIZES
async def test_the_week_shows_each_running_emergency_with_its_time_since_the_request(size, demo):
    number = ids(demo)
    app = desk_app(demo)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ())
        assert isinstance(app.screen, WeekScreen)
        lines = _emergency_line(app).split("\n")
        # Oldest request first; both answered, so no feasibility clock; the closed ransomware is not shown.
        assert lines == [
            f"⚡ Emergency {number[LEDGER]} · 40 h since the request · mitigating · Umbrella GmbH: {LEDGER}",
            f"⚡ Emergency {number[GATEWAY]} · 5 h since the request · normalizing · Cyberdyne Systems: {GATEWAY}",
        ]
        await play(pilot, ("right",))  # next week: they are running still, the line stays (and the screen's shape)
        assert _emergency_line(app).split("\n") == lines


@SIZES
async def test_the_feasibility_clock_runs_until_it_is_answered_then_says_late(size, demo):
    now = demo.now()
    # Requested 42 min ago: due 60 min after the request, in 18 min; requested 63 min ago: 3 min late (E3).
    soon = open_emergency(demo.at(now - timedelta(minutes=42)), "Cyberdyne Systems", "VPN down").id
    late = open_emergency(demo.at(now - timedelta(minutes=63)), "Cyberdyne Systems", "Mail bounces").id
    app = desk_app(demo)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ())
        lines = _emergency_line(app).split("\n")
        assert lines[-2] == f"⚡ Emergency {late} · feasibility late by 3 min · 1 h 3 min since the request · requested · Cyberdyne Systems: Mail bounces"
        assert lines[-1] == f"⚡ Emergency {soon} · feasibility due in 18 min · 42 min since the request · requested · Cyberdyne Systems: VPN down"


def test_a_turn_of_the_page_keeps_the_running_emergencies_without_reading_them(demo, monkeypatch):
    import tamdesk.services.week_page as week_pages

    page = week_page(demo)
    assert [e.title for e in page.emergencies] == [LEDGER, GATEWAY]  # oldest request first

    def not_read(unit):
        raise AssertionError("a turn of the page read the running emergencies again")

    monkeypatch.setattr(week_pages, "running_in", not_read)
    turned = week_page(demo, demo.today() + timedelta(days=7), page)
    assert turned.emergencies == page.emergencies


# -- the express customer on Customers ------------------------------------------------------------


@SIZES
async def test_the_express_customer_appears_in_customers_with_its_plan(size, demo):
    app = desk_app(demo)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("3",))
        assert isinstance(app.screen, CustomersScreen)
        rows = cells(app, "#customer-list")
        # demo.toml: Cyberdyne Systems is on `express`, the plan of emergencies only.
        assert ["Cyberdyne Systems", "express"] in [[row[0], row[2]] for row in rows]


# -- snapshots ------------------------------------------------------------------------------------


@SIZES
def test_the_emergencies_scene_looks_as_stored_at_both_sizes(size, demo, snap_compare):
    """The README's scene (Umbrella's engagement selected) at the smallest and a wide terminal."""

    async def open_scene(pilot) -> None:
        await play(pilot, SCENES["emergencies"])

    assert snap_compare(desk_app(demo), terminal_size=size, run_before=open_scene)
