"""B5 in the desk: the hours field keeps what was typed and says what it reads; the Time screen edits and deletes.

The desk's clock is Monday 23 Nov 2026 08:00 in Madrid (``tests.conftest.NOW``).
Every test runs at 80x24, the smallest terminal the desk promises to fit.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from textual.widgets import Input, Static

from tamdesk.services.timelog import list_time, log_time
from tamdesk.tui.screens.confirm import ConfirmScreen
from tamdesk.tui.screens.delete_time import DeleteTimeDialog
from tamdesk.tui.screens.edit_time import EditTimeDialog
from tamdesk.tui.screens.log_time import LogTimeDialog
from tests.databases import sql
from tests.conftest import table_rows
from tests.tui.conftest import desk_app, plain, screen_text
from tests.tui.scenes import play
from tests.tui.test_calls import calls_of, typed

SMALL = (80, 24)
WIDE = (160, 45)
MONDAY = date(2026, 11, 23)


@pytest.fixture
def acme(desk, customer):
    customer("Acme", tz="Europe/Madrid", country="ES")
    return desk


# The observation: 0,5 was logged as 5 h, 1:30 as 130 h, 90m as 90 h. Expected minutes worked out by hand.
@pytest.mark.parametrize("size", [SMALL, WIDE], ids=["80x24", "160x45"])
@pytest.mark.parametrize("hours, label, minutes", [
    ("0,5", "0,5 → 30 min", 30), ("1:30", "1:30 → 1 h 30 min", 90), ("90m", "90m → 1 h 30 min", 90),
])
async def test_the_hours_field_keeps_what_was_typed_and_says_what_it_reads(acme, hours, label, minutes, size):
    app = desk_app(acme)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("l", *typed("acme"), "tab", "tab", *typed(hours)))
        assert isinstance(app.screen, LogTimeDialog)
        assert app.screen.query_one("#hours", Input).value == hours
        assert plain(app.screen.query_one("#hours-reading", Static).content) == label
        assert app.screen.query_one("#hours-reading", Static).region.bottom <= size[1]  # on screen
        await play(pilot, ("ctrl+s",))
    assert [(e.customer, e.minutes) for e in list_time(acme, MONDAY, MONDAY)] == [("Acme", minutes)]


async def test_a_fraction_of_a_minute_is_said_before_saving_and_refused(acme):
    app = desk_app(acme)
    before = table_rows(acme)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("l", *typed("acme"), "tab", "tab", *typed("0.004")))
        assert "0.24 min" in plain(app.screen.query_one("#hours-reading", Static).content)
        await play(pilot, ("ctrl+s",))
        assert isinstance(app.screen, LogTimeDialog)  # still open, with the rule's words
        assert "✗ B5" in screen_text(app)
    assert table_rows(acme) == before


async def test_the_time_screen_edits_the_selected_entry(acme, db_url):
    log_time(acme, "Acme", "1", note="prep")
    app = desk_app(acme)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("5", "e"))
        assert isinstance(app.screen, EditTimeDialog)
        hours = app.screen.query_one("#hours", Input)
        assert hours.value == "1:00" and "1 h" in plain(app.screen.query_one("#hours-reading", Static).content)
        hours.value = ""
        hours.focus()
        await play(pilot, (*typed("1,5"), "ctrl+s"))
        assert not isinstance(app.screen, EditTimeDialog)
        assert "Acme | 1.5 h" in screen_text(app)
    [entry] = list_time(acme, MONDAY, MONDAY)
    assert (entry.minutes, entry.note) == (90, "prep")
    [(action, before, after)] = sql(db_url, "SELECT action, before, after FROM time_entry_events")
    assert (action, json.loads(before)["minutes"], json.loads(after)["minutes"]) == ("edited", 60, 90)


async def test_the_time_screen_deletes_after_asking(acme):
    log_time(acme, "Acme", "45min")
    app = desk_app(acme)
    before = table_rows(acme)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("5", "d"))
        assert isinstance(app.screen, DeleteTimeDialog)
        assert "45 min for Acme on Mon 23 Nov 2026" in screen_text(app)
        await play(pilot, ("enter",))  # the focused answer is Close: nothing deleted
        assert not isinstance(app.screen, DeleteTimeDialog)
        assert table_rows(acme) == before
        await play(pilot, ("d", "ctrl+s"))
        assert "Nothing logged this week" in screen_text(app)
    assert list_time(acme, MONDAY, MONDAY) == []


async def test_deleting_in_a_week_that_has_ended_asks_once_more(acme):
    log_time(acme, "Acme", "2", on=date(2026, 11, 20), force=True)
    app = desk_app(acme)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("5", "left", "d", "ctrl+s"))
        assert isinstance(app.screen, ConfirmScreen) and "B5" in screen_text(app)
        await play(pilot, ("y",))
    assert list_time(acme, date(2026, 11, 16), MONDAY) == []


async def test_a_calls_length_is_read_by_the_same_reader_with_bare_numbers_in_minutes(acme):
    # "1h" was cut to "1" by an integer-only field (a 1-minute call); it is 60 minutes.
    app = desk_app(acme)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("b", *typed("acme"), "tab", *typed("2026-11-25"), "tab", *typed("10:00"), "tab", *typed("1h")))
        assert app.screen.query_one("#minutes", Input).value == "1h"
        await play(pilot, ("ctrl+s",))
    assert [c.minutes for c in calls_of(acme, "Acme")] == [60]


#: The new and changed dialogs, on the demo desk at the scenes' clock: the reading under Hours, edit, delete.
DIALOGS = {
    "log-time": ("l", *typed("soylent"), "tab", "tab", *typed("1,5")),
    "edit-time": ("5", "e"),
    "delete-time": ("5", "d"),
}


@pytest.mark.parametrize("size", [SMALL, WIDE], ids=["80x24", "160x45"])
@pytest.mark.parametrize("scene", list(DIALOGS))
def test_time_dialogs_look_as_stored(scene, size, demo, snap_compare):
    async def open_scene(pilot) -> None:
        await play(pilot, DIALOGS[scene])

    assert snap_compare(desk_app(demo), terminal_size=size, run_before=open_scene)
