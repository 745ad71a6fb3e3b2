"""What users expect of a terminal app: help, command palette, mouse, live refresh, themes."""

from __future__ import annotations

import subprocess
import sys

from textual.binding import Binding

from tamdesk.services.settings import get_settings
from tamdesk.tui.app import DeskApp
from tamdesk.tui.screens.allowances import AllowancesScreen
from tamdesk.tui.screens.book_call import BookCallDialog
from tamdesk.tui.screens.caseload import CaseloadScreen
from tamdesk.tui.screens.customers import CustomersScreen
from tamdesk.tui.screens.emergencies import EmergenciesScreen
from tamdesk.tui.screens.team import TeamScreen
from tamdesk.tui.screens.help import HelpScreen, binding_groups
from tamdesk.tui.screens.time import TimeScreen
from tamdesk.tui.screens.week import WeekScreen
from tamdesk.tui.widgets.key_footer import KeyFooter
from tests.tui.conftest import desk_app, screen_text
from tests.tui.scenes import NOW, TAM_TZ, play
from tests.tui.test_calls import typed


async def test_help_lists_every_binding_of_every_screen(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("question_mark",))
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table").content  # the rich table of bindings
        rows = [str(cell) for column in table.columns for cell in column._cells]
    for screen in (DeskApp, WeekScreen, CaseloadScreen, CustomersScreen, AllowancesScreen, TimeScreen, EmergenciesScreen, TeamScreen):
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding) and binding.id and binding.description
            assert binding.description in rows, binding
    assert "Command palette: every action by name" in rows
    assert [title for title, _ in binding_groups()][:6] == ["Everywhere", "Week", "Caseload", "Customers", "Allowances", "Time"]


async def test_the_palette_offers_every_action_of_the_desk_and_of_the_screen(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("4",))
        titles = {command.title for command in app.get_system_commands(app.screen)}
    expected = {b.description for b in DeskApp.BINDINGS + AllowancesScreen.BINDINGS if b.action != "quit"}
    assert expected <= titles
    assert "Theme" in titles or any("theme" in t.lower() for t in titles)  # Textual's own theme picker


async def test_the_palette_runs_an_action_by_name(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("ctrl+p", *typed("book call")))
        await play(pilot, ("enter",))
        assert isinstance(app.screen, BookCallDialog)


async def test_the_palette_runs_a_screen_action(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("4", "ctrl+p", *typed("next month")))
        await play(pilot, ("enter",))
        assert "Allowances · December 2026" in screen_text(app)


async def test_a_click_on_a_tab_changes_screen(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ())
        await pilot.click("#nav", offset=(14, 0))  # " 2 Caseload "
        await play(pilot, ())
        assert isinstance(app.screen, CaseloadScreen)
        await pilot.click("#nav", offset=(30, 0))  # " 3 Customers "
        await play(pilot, ())
        assert isinstance(app.screen, CustomersScreen)


async def test_keys_of_the_desk_rest_while_a_dialog_is_open(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("b", "2", "q"))
        assert isinstance(app.screen, BookCallDialog)
        assert app.screen.query_one("#customer").value == "2q"  # typed into the field, not obeyed


async def test_a_change_made_by_another_process_shows_without_a_restart(demo, demo_url):
    app = desk_app(demo, poll_seconds=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ())
        assert "17:00–18:00 Tailspin Toys" not in screen_text(app)
        subprocess.run(
            [sys.executable, "-m", "tamdesk", "--db", str(demo_url), "--now", NOW, "--tz", TAM_TZ,
             "session", "book", "Tailspin Toys", "2026-11-25T10:00"],
            check=True, capture_output=True, timeout=120,
        )
        for _ in range(100):
            await pilot.pause(0.05)
            if "17:00–18:00 Tailspin Toys" in screen_text(app):
                break
        assert "17:00–18:00 Tailspin Toys" in screen_text(app)


async def test_the_theme_picked_is_the_theme_next_time(demo):
    first = desk_app(demo)
    async with first.run_test(size=(120, 40)) as pilot:
        await play(pilot, ())
        first.theme = "textual-light"
        await play(pilot, ())
    assert get_settings(demo)["theme"] == "textual-light"
    again = desk_app(demo)
    async with again.run_test(size=(120, 40)) as pilot:
        await play(pilot, ())
        assert again.current_theme.name == "textual-light"
        assert not again.current_theme.dark


def footer_keys(app) -> list[str]:
    return [key.description for key in app.screen.query_one(KeyFooter).query("FooterKey")]


async def test_the_footer_shows_the_keys_of_the_screen_in_view(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ())
        week = footer_keys(app)
        assert week[:4] == ["Prev", "Next", "Today", "Move"]
        assert "Book call" in week
        await play(pilot, ("2",))
        caseload = footer_keys(app)
        assert "Resolve" in caseload and "Move" not in caseload
        await play(pilot, ("1",))
        assert footer_keys(app) == week
