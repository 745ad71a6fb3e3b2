"""The manager's screen (issue 19): every TAM's figures, and the reassignment dialogs, on the demo desk as Priya.

The demo's team: Alex Rivera (every customer but one, 27 open cases), Priya
Nair (the manager, no customers) and Sam Okoro (Initech, one open case). The
figures the tests expect are counted from the database with SQL of their own,
never read off the screen or from the service the screen calls.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from textual.pilot import Pilot
from textual.widgets import Select, Static

from tamdesk.services.desk import Desk
from tamdesk.store import tables
from tamdesk.tui.screens.team import TeamScreen
from tests.conftest import NOW, instant
from tests.tui.conftest import desk_app, plain
from tests.tui.scenes import SCENES, play, settle

SIZES = [(80, 24), (160, 45)]
CAP = 30  # C1: the catalogue's caseload cap (001); C3 warns from 27, 90% of it


@pytest.fixture
def as_priya(demo_url: str) -> Desk:
    """The demo desk at ``NOW`` opened as its manager, in her own zone (Europe/London), as ``tamdesk --as Priya``."""
    desk = Desk.open(demo_url, now=instant(NOW), as_tam="Priya")
    yield desk
    desk.close()


def _scalar(desk: Desk, query: object) -> object:
    with desk.engine.connect() as connection:
        return connection.scalar(query)


def tam_id(desk: Desk, name: str) -> int:
    return _scalar(desk, select(tables.tams.c.id).where(tables.tams.c.name == name))  # type: ignore[return-value]


def open_cases(desk: Desk, tam: int) -> int:
    cases = tables.cases
    return _scalar(desk, select(func.count()).select_from(cases).where(cases.c.tam_id == tam, cases.c.status == "open"))  # type: ignore[return-value]


def week_minutes(desk: Desk, tam: int, tz: str) -> int:
    """B1/B4 from the tables: time logged in the TAM's week (Monday to Sunday in their zone) and calls still booked in it."""
    zone = ZoneInfo(tz)
    day = instant(NOW).astimezone(zone).date()
    monday = day - timedelta(days=day.weekday())
    start = datetime(monday.year, monday.month, monday.day, tzinfo=zone)
    end = start + timedelta(days=7)
    entries, calls = tables.time_entries, tables.calls
    logged = _scalar(desk, select(func.coalesce(func.sum(entries.c.minutes), 0)).where(
        entries.c.tam_id == tam, entries.c.work_date >= monday, entries.c.work_date < monday + timedelta(days=7)))
    booked = _scalar(desk, select(func.coalesce(func.sum(calls.c.minutes), 0)).where(
        calls.c.tam_id == tam, calls.c.status == "scheduled", calls.c.starts_at >= start, calls.c.starts_at < end))
    return int(logged) + int(booked)  # type: ignore[arg-type]


def consistently_over(desk: Desk, tam: int, tz: str) -> set[str]:
    """B3 from the tables: the TAM's customers whose last 4 complete weeks (B1: time logged, calls still booked)
    average over their cap (the customer's own, else their plan's)."""
    zone = ZoneInfo(tz)
    day = instant(NOW).astimezone(zone).date()
    this_monday = day - timedelta(days=day.weekday())
    first = this_monday - timedelta(weeks=4)
    start, end = (datetime(d.year, d.month, d.day, tzinfo=zone) for d in (first, this_monday))
    customers, entries, calls = tables.customers, tables.time_entries, tables.calls
    over = set()
    with desk.engine.connect() as connection:
        for row in connection.execute(select(customers).where(customers.c.tam_id == tam)):
            logged = connection.scalar(select(func.coalesce(func.sum(entries.c.minutes), 0)).where(
                entries.c.customer_id == row.id, entries.c.work_date >= first, entries.c.work_date < this_monday))
            booked = connection.scalar(select(func.coalesce(func.sum(calls.c.minutes), 0)).where(
                calls.c.customer_id == row.id, calls.c.status == "scheduled", calls.c.starts_at >= start,
                calls.c.starts_at < end))
            cap = row.hours_cap if row.hours_cap is not None else desk.catalogue.plan(row.plan).weekly_hours_cap
            if (logged + booked) / 4 > cap * 60:
                over.add(row.name)
    return over


def customer_of(desk: Desk, name: str) -> tuple[int, int]:
    """A customer's id and its TAM's, read from the table."""
    customers = tables.customers
    with desk.engine.connect() as connection:
        row = connection.execute(select(customers.c.id, customers.c.tam_id).where(customers.c.name == name)).one()
    return row.id, row.tam_id


def team_rows(app) -> dict[str, list[str]]:
    """The Team list's rows by the TAM's name, each cell as plain text."""
    table = app.screen.query_one("#team-list")
    rows = [[plain(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
    return {cells[0]: cells for cells in rows}


async def select_tam(pilot: Pilot[object], name: str) -> None:
    """Move the list's cursor to ``name``'s row with ↓ (the rows are by name)."""
    table = pilot.app.screen.query_one("#team-list")
    for _ in range(table.row_count):
        if plain(table.get_row_at(table.cursor_row)[0]) == name:
            return
        await pilot.press("down")
        await settle(pilot)
    raise AssertionError(f"no row for {name}")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_team_screen_lists_every_tam_with_their_figures(as_priya, size):
    app = desk_app(as_priya)
    alex, priya, sam = (tam_id(as_priya, n) for n in ("Alex Rivera", "Priya Nair", "Sam Okoro"))
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("T",))
        assert isinstance(app.screen, TeamScreen)
        rows = team_rows(app)
        assert set(rows) == {"Alex Rivera", "Priya Nair", "Sam Okoro"}
        # C1/C3: n/30 from the cases table; the warning mark from 27 (90% of 30) on, none below.
        for name, tam in (("Alex Rivera", alex), ("Priya Nair", priya), ("Sam Okoro", sam)):
            load = open_cases(as_priya, tam)
            assert rows[name][2].startswith(f"{load}/{CAP}")
            assert ("⚠" in rows[name][2]) == (load >= 27)
        assert open_cases(as_priya, alex) >= 27  # the demo puts Alex in the warning band: the mark is tested both ways
        # B4: each TAM's week from the time and calls tables, in their own zone, against 40 h.
        for name, tam, tz in (("Alex Rivera", alex, "Europe/Madrid"), ("Sam Okoro", sam, "America/New_York")):
            assert rows[name][3] == f"{week_minutes(as_priya, tam, tz) / 60:.1f}/40 h"
        assert week_minutes(as_priya, alex, "Europe/Madrid") > 0
        # B3: the customers to watch name those consistently over, and only those (the demo has one: tested both ways).
        b3 = consistently_over(as_priya, alex, "Europe/Madrid")
        alex_detail = plain(app.screen.query_one("#team-detail", Static).content)  # Alex's row is selected first
        assert b3 and f"consistently over (B3): {', '.join(sorted(b3))}\n" in alex_detail
        assert rows["Alex Rivera"][7].startswith("▲▲ B3 ")
        # L4: Alex's breaches are the ones his own `tamdesk report sla` counts this month (one source per rule value);
        # what is tested here is that each row shows its own TAM's, not the manager's (she has none).
        from tamdesk.services.sla_report import sla_report

        misses = len(sla_report(as_priya.acting_as(alex)).compliance.misses)
        assert misses > 0 and rows["Alex Rivera"][6] == str(misses)
        # S4: Sam's one customer has this month's sessions unbooked (the demo books none for him), so it is at risk.
        assert rows["Sam Okoro"][7].startswith("S4 Ini")
        # Priya has no customers and no cases: nothing to watch, no SLA share (never 100% of nothing, L10).
        assert rows["Priya Nair"][2:] == [f"0/{CAP}", "0.0/40 h", "-", "-", "0", "-"]
        # The detail under the list spells out the selected TAM (Alex, first) whatever the width cuts.
        detail = plain(app.screen.query_one("#team-detail", Static).content)
        assert f"Caseload {open_cases(as_priya, alex)}/{CAP} open" in detail and "(C3)" in detail
        await select_tam(pilot, "Sam Okoro")
        detail = plain(app.screen.query_one("#team-detail", Static).content)
        assert detail.startswith("Sam Okoro · America/New_York")
        assert "At risk this month (S4):" in detail and "Initech" in detail


async def test_a_tam_who_is_not_a_manager_gets_a_toast_not_the_screen(demo):
    app = desk_app(demo)  # the demo as Alex, a TAM
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, ("T",))
        assert not isinstance(app.screen, TeamScreen)
        assert app.current_mode == "week"
        assert any("manager's" in said and "tamdesk tam list" in said for said in app.said)


async def _reassign(pilot: Pilot[object], key: str, record: int, to: int) -> None:
    """With a TAM selected: open the dialog ``key`` opens, pick ``record`` and the receiver ``to``, save."""
    await pilot.press(key)
    await settle(pilot)
    dialog = pilot.app.screen
    dialog.query_one("#record", Select).value = record
    dialog.query_one("#to", Select).value = to
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_reassigning_sam_s_customer_to_alex_moves_it_and_ctrl_z_moves_it_back(as_priya, size):
    app = desk_app(as_priya)
    alex, sam = tam_id(as_priya, "Alex Rivera"), tam_id(as_priya, "Sam Okoro")
    initech, owner = customer_of(as_priya, "Initech")
    assert owner == sam
    alex_before, sam_before = open_cases(as_priya, alex), open_cases(as_priya, sam)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("T",))
        await select_tam(pilot, "Sam Okoro")
        await _reassign(pilot, "c", initech, alex)
        assert isinstance(app.screen, TeamScreen)  # success closes the dialog
        assert customer_of(as_priya, "Initech")[1] == alex
        # Its open case went with it (C1 counted it at Alex's).
        assert (open_cases(as_priya, alex), open_cases(as_priya, sam)) == (alex_before + sam_before, 0)
        assert any("Initech" in s and "ctrl+z to undo" in s for s in app.said)
        assert team_rows(app)["Sam Okoro"][2].startswith(f"0/{CAP}")  # the screen read the team again
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert customer_of(as_priya, "Initech")[1] == sam
        assert (open_cases(as_priya, alex), open_cases(as_priya, sam)) == (alex_before, sam_before)
        assert team_rows(app)["Sam Okoro"][2].startswith(f"{sam_before}/{CAP}")


async def test_a_refused_reassignment_names_its_rule_and_keeps_the_dialog_s_fields(as_priya):
    from tamdesk.services.cases import open_case

    alex, sam = tam_id(as_priya, "Alex Rivera"), tam_id(as_priya, "Sam Okoro")
    # Alex up to the cap (C1): open cases for his own customer until 30 are open.
    as_alex = as_priya.acting_as(alex)
    for number in range(CAP - open_cases(as_priya, alex)):
        open_case(as_alex, "Acme", f"Filler {number}", "normal")
    assert open_cases(as_priya, alex) == CAP
    cases = tables.cases
    sam_case = _scalar(as_priya, select(cases.c.id).where(cases.c.tam_id == sam, cases.c.status == "open"))
    app = desk_app(as_priya)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, ("T",))
        await select_tam(pilot, "Sam Okoro")
        await _reassign(pilot, "a", sam_case, alex)
        dialog = app.screen
        assert not isinstance(dialog, TeamScreen)  # still open
        error = plain(dialog.query_one("#error", Static).content)
        assert error.startswith("✗ C1: Alex Rivera carries 30/30") and "over the cap" in error
        assert dialog.query_one("#record", Select).value == sam_case
        assert dialog.query_one("#to", Select).value == alex
    assert _scalar(as_priya, select(cases.c.tam_id).where(cases.c.id == sam_case)) == sam
    assert open_cases(as_priya, alex) == CAP


# -- snapshots ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_team_scene_looks_as_stored_at_both_sizes(size, as_priya, snap_compare):
    """README's scene (the demo as Priya, Alex's row selected) at the smallest and a wide terminal."""

    async def open_scene(pilot: Pilot[object]) -> None:
        await play(pilot, SCENES["team"])

    assert snap_compare(desk_app(as_priya), terminal_size=size, run_before=open_scene)
