"""Every key press counts: keys pressed faster than the desk reads or opens a dialog are never lost.

The keys come in a burst (``scenes.burst``): all of them are queued before the
desk handles the first, as a terminal delivers a fast typist's keys.
"""

from __future__ import annotations

from textual.widgets import Input

from tamdesk.tui.widgets.customer_picker import CustomerPicker
from tests.tui.conftest import screen_text
from tests.tui.scenes import burst, settle

SMALL, LARGE = (80, 24), (160, 45)


def title(app, start: str) -> str:
    """The screen's line that starts with ``start``."""
    return next(line for line in screen_text(app).splitlines() if line.startswith(start))


async def test_ten_right_arrows_at_once_move_ten_weeks(app):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await burst(pilot, ("right",) * 10)
        # The demo's week is 2026-W48; 2026 has 53 ISO weeks (1 Jan 2026 is a Thursday),
        # so ten weeks on is 2027-W05: Mon 1 Feb 2027 (W48's Monday 23 Nov + 70 days).
        assert title(app, "Week ").startswith("Week 2027-W05 · Mon 01 Feb – Sun 07 Feb 2027")
        await burst(pilot, ("left",) * 3 + ("t", "left"))
        # t counts from this week even before the week it asked for is shown: W48 - 1.
        assert title(app, "Week ").startswith("Week 2026-W47 · Mon 16 Nov")


async def test_five_right_brackets_at_once_move_five_months(app):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await burst(pilot, ("4",))
        assert title(app, "Allowances").startswith("Allowances · November 2026")
        await burst(pilot, ("right_square_bracket",) * 5)
        assert title(app, "Allowances").startswith("Allowances · April 2027")  # November + 5
        await burst(pilot, ("t", "left_square_bracket"))
        assert title(app, "Allowances").startswith("Allowances · October 2026")  # this month - 1


async def test_what_is_typed_as_a_dialog_opens_lands_in_its_first_field(app):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        # l opens "Log time", its first field the customer (filled with the call's customer and
        # selected whole, so typing replaces it); the keys typed at once go into it, none lost.
        await burst(pilot, ("l", "u", "m", "b"))
        picker = app.screen.query_one(CustomerPicker)
        assert picker.value == "umb" and picker.customer == "Umbrella GmbH"
        await burst(pilot, ("escape", "b", "w", "a", "y", "n", "e"))
        assert app.screen.query_one(CustomerPicker).value == "wayne"
        hours = app.screen.query_one("#hours", Input) if app.screen.query("#hours") else None
        assert hours is None  # the booking dialog, not a leftover of the first


async def test_a_dialog_key_typed_into_a_field_is_text(app):
    # The dialog keys act at once, but never while a field has focus: "l" and "o" are letters there.
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await burst(pilot, ("2",))
        await burst(pilot, ("slash", "l", "o", "b"))
        assert app.screen.query_one("#customer-filter", Input).value == "lob"
        assert len(app.screen_stack) == 1


async def test_what_is_typed_as_a_screen_dialog_opens_lands_in_its_first_field(app):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        # m moves the selected call: its first field, the new date, is selected whole; what is typed replaces it.
        await burst(pilot, ("m", *"2026-11-30"))
        assert app.screen.query_one("#date", Input).value == "2026-11-30"
        await burst(pilot, ("escape",))
        await burst(pilot, ("3",))
        # n on Customers adds one: the name is its first field.
        await burst(pilot, ("n", "A", "c", "m", "e", "space", "2"))
        assert app.screen.query_one("#name", Input).value == "Acme 2"


async def test_what_is_typed_as_the_resolution_dialog_opens_is_its_note(app):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await burst(pilot, ("2",))
        # r asks for the resolution note (undo's dialog): the words typed with it are the note.
        await burst(pilot, ("r", *"patched"))
        assert app.screen.query_one("#note", Input).value == "patched"


async def test_keys_pressed_with_the_tab_that_opens_a_screen_count(app):
    # A screen seen for the first time has read nothing yet when the keys typed with its tab
    # arrive: they count from this month / this week, none is dropped.
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await burst(pilot, ("4", *("right_square_bracket",) * 5))
        assert title(app, "Allowances").startswith("Allowances · April 2027")  # November 2026 + 5
        await burst(pilot, ("5", *("right",) * 3))
        # The demo's week is 2026-W48 (Mon 23 Nov); three on is 2026-W51, Mon 14 Dec.
        assert title(app, "Time ").startswith("Time · week 2026-W51 · Mon 14 Dec")
        # And they act on the screen the tab opens, never on the one it leaves: ] means nothing
        # on the Week, so Allowances is still at April; → turns the Week (W48 + 1), not Time.
        await burst(pilot, ("1", "right", "right_square_bracket", "4"))
        assert title(app, "Allowances").startswith("Allowances · April 2027")
        await burst(pilot, ("1",))
        assert title(app, "Week ").startswith("Week 2026-W49 · Mon 30 Nov")
        await burst(pilot, ("5",))
        assert title(app, "Time ").startswith("Time · week 2026-W51 · Mon 14 Dec")
