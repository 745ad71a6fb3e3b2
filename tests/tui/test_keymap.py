"""The keymap: one id per key, and every screen binds its own section of it."""

from __future__ import annotations

from tamdesk.tui import keymap
from tamdesk.tui.app import DeskApp
from tamdesk.tui.screens.allowances import AllowancesScreen
from tamdesk.tui.screens.caseload import CaseloadScreen
from tamdesk.tui.screens.customers import CustomersScreen
from tamdesk.tui.screens.emergencies import EmergenciesScreen
from tamdesk.tui.screens.team import TeamScreen
from tamdesk.tui.screens.time import TimeScreen
from tamdesk.tui.screens.week import WeekScreen

SECTIONS = [value for value in vars(keymap).values() if isinstance(value, keymap.Section)]


def test_every_key_has_its_own_id():
    # Textual's keymaps rebind by id: two keys with one id would move together.
    ids = [key.id for section in SECTIONS for key in section.keys]
    assert len(SECTIONS) >= 10 and len(ids) == len(set(ids))


def test_the_help_lists_what_the_desk_and_each_screen_bind():
    listed = {(b.key, b.action, b.description) for section in keymap.HELP for b in keymap.bindings(section)}
    for owner in (DeskApp, WeekScreen, CaseloadScreen, CustomersScreen, AllowancesScreen, TimeScreen, EmergenciesScreen, TeamScreen):
        bound = {(b.key, b.action, b.description) for b in owner.BINDINGS}
        assert bound and bound <= listed, owner
