"""The desk fits the terminal (issue 15): usable at 80x24, and at 200 columns it uses the width.

The observation: at 80x24 the booking dialog's buttons and the footer's
``? Help`` were off-screen; at 160+ columns names were cut beside empty
columns. "Visible" here means what a person sees: the widget's region lies
inside the screen's and the widget is the one painted at its middle (not
under the dialog's edge, another widget or a scrolled-away part). Names are
looked for in the painted screen, not in the widgets' data.

The desk's clock is Monday 23 Nov 2026 08:00 in Madrid; the demo's week has
calls with Northwind Traders on Monday and Tuesday and open cases with titles
up to 39 characters ("Migration dry run: field mapping errors").
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import text
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button
from textual.widgets._footer import FooterKey

from tamdesk.tui.screens.form import FormDialog
from tests.tui.conftest import desk_app
from tests.tui.scenes import SCENES, play

SMALL = (80, 24)
WIDE = (160, 45)
WIDEST = (200, 50)


def painted(app: App[Any]) -> list[str]:
    """The terminal's lines as a person sees them: the screen and the dialogs over it, composed."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, color_system=None, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text().splitlines()


def assert_visible(app: App[Any], widget: Widget) -> None:
    """``widget`` lies wholly inside the screen and is what is painted at its middle."""
    screen = app.screen
    region = widget.region
    assert widget.display and region.area, f"{widget!r} takes no room"
    assert screen.region.contains_region(region), f"{widget!r} at {region} is not inside the screen {screen.region}"
    middle = region.center
    shown, _ = screen.get_widget_at(int(middle[0]), int(middle[1]))
    assert shown is widget or widget in shown.ancestors, f"{widget!r} is covered by {shown!r}"


# Every dialog of the desk, by the keys that open it from the week (a call is under the cursor after "down").
DIALOGS = {
    "book": ("b",),
    "log-time": ("l",),
    "open-case": ("o",),
    "move": ("down", "m"),
    "cancel": ("down", "x"),
    "export": ("i",),
    "new-customer": ("3", "n"),
    "edit-customer": ("3", "e"),
    "edit-time": ("5", "e"),
    "delete-time": ("5", "d"),
    "resolve": ("2", "r"),
    "escalate": ("2", "e"),
    "severity": ("2", "s"),
    "timesheet": ("s",),
}


@pytest.mark.parametrize("dialog", list(DIALOGS))
async def test_a_dialogs_buttons_show_at_80x24(dialog, demo):
    app = desk_app(demo)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, DIALOGS[dialog])
        assert isinstance(app.screen, FormDialog)
        for button in app.screen.query(Button):
            assert_visible(app, button)
        assert_visible(app, app.screen.query_one("#error"))  # where the rule's answer will be said


async def test_the_booking_dialogs_buttons_stay_in_view_whatever_is_focused(demo):
    """Tabbing down to the last field scrolls the fields, never the buttons, out of view."""
    app = desk_app(demo)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("b", "tab", "tab", "tab", "tab", "tab"))
        assert app.screen.focused is app.screen.query_one("#agenda")
        assert_visible(app, app.screen.query_one("#agenda"))
        for button in app.screen.query(Button):
            assert_visible(app, button)


async def test_on_a_shorter_terminal_the_fields_scroll_and_the_buttons_stay(demo):
    """At 80x16 the booking dialog's fields (with the preview's three lines of refusal) cannot all show: they scroll."""
    app = desk_app(demo)
    async with app.run_test(size=(80, 16)) as pilot:
        await play(pilot, ("b",))
        fields = app.screen.query_one("#form")
        assert fields.max_scroll_y > 0  # more fields than room: they scroll
        for button in app.screen.query(Button):
            assert_visible(app, button)
        await play(pilot, ("tab", "tab", "tab", "tab", "tab"))
        assert_visible(app, app.screen.query_one("#agenda"))
        for button in app.screen.query(Button):
            assert_visible(app, button)


@pytest.mark.parametrize(
    "keys", [("question_mark",), ("down", "enter"), ("w",), ("k", *"export")], ids=["help", "call-details", "warnings", "knowledge"]
)
async def test_the_dialogs_without_buttons_are_no_wider_than_80_columns(keys, demo):
    app = desk_app(demo)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, keys)
        dialog = app.screen.query_one(".dialog")
        assert app.screen.region.contains_region(dialog.region)


@pytest.mark.parametrize("screen", ["1", "2", "3", "4", "5"])
async def test_the_footer_keeps_help_in_view_at_80_columns(screen, demo):
    app = desk_app(demo)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, (screen,))
        (help_key,) = [key for key in app.screen.query(FooterKey) if key.key == "question_mark"]
        assert_visible(app, help_key)
        assert "? Help" in painted(app)[-1]
        # The keys it shows are whole and come first in the keymap's order: the screen's, then the desk's.
        others = [key for key in app.screen.query(FooterKey) if key.key != "question_mark" and not key.has_class("-command-palette")]
        shown = [key.description for key in others if key.display]
        assert shown == [key.description for key in others][: len(shown)]
        for key in app.screen.query(FooterKey):
            if key.display:
                assert_visible(app, key)


async def test_the_footer_shows_every_key_when_there_is_room(demo):
    app = desk_app(demo)
    async with app.run_test(size=WIDEST) as pilot:
        await play(pilot, ())
        assert all(key.display for key in app.screen.query(FooterKey))


LONG_NAME = "Northwind Traders International Inc."  # 36 characters


def rename(desk: Any, old: str, new: str) -> None:
    with desk.engine.begin() as connection:
        assert connection.execute(text("UPDATE customers SET name = :new WHERE name = :old"), {"new": new, "old": old}).rowcount == 1


async def test_at_200_columns_the_week_shows_a_long_customer_name_whole(demo):
    rename(demo, "Northwind Traders", LONG_NAME)
    app = desk_app(demo)
    async with app.run_test(size=WIDEST) as pilot:
        await play(pilot, ())
        lines = painted(app)
    # Two calls with Northwind this week (Mon 16:00, Tue 16:00 in Madrid): both lines carry the whole name.
    assert sum(f"16:00–17:00 {LONG_NAME} 10:00 New York" in line for line in lines) == 2
    assert not any("Northwind Trad…" in line or "Northwind Traders Intern…" in line for line in lines)
    # The hours panel beside it, wider at 200 columns, has the whole name too: "<name>  3.5 / 10 h".
    assert any(f"{LONG_NAME}   3.5 / 10 h" in line for line in lines)


async def test_at_120_columns_the_week_still_cuts_a_long_name_to_its_column(demo):
    """With no cells to spare (120 columns), the name keeps its 15 (cut with an ellipsis) and the line's other columns stay beside it."""
    rename(demo, "Northwind Traders", LONG_NAME)
    app = desk_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ())
        lines = painted(app)
    assert sum("16:00–17:00 Northwind Trad… 10:00 New York" in line for line in lines) == 2


async def test_at_200_columns_the_cases_titles_show_whole_and_at_80_the_last_column_stays(demo):
    longest = "Migration dry run: field mapping errors"
    app = desk_app(demo)
    async with app.run_test(size=WIDEST) as pilot:
        await play(pilot, ("2",))
        assert any(longest in line for line in painted(app))
    app = desk_app(demo)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("2",))
        lines = painted(app)
        # The title is cut so that the columns after it (the next deadline, the age) stay on screen.
        header = next(line for line in lines if line.lstrip().startswith("Case "))
        assert header.split() == ["Case", "Sev", "Customer", "Title", "Next", "deadline", "Age"]
        # The demo's breached case (Tailspin's webhooks, filed 5 days ago, its update late: data/demo.toml) is
        # first by urgency, its title cut, its deadline and its age whole on its line; so is a younger case's age.
        assert any("Tailspin Toys" in line and "late" in line and line.rstrip().endswith("5 days") for line in lines)
        assert any("Contoso Ibérica" in line and line.rstrip().endswith("3 hours") for line in lines)


@pytest.mark.parametrize("size", [SMALL, WIDE], ids=["80x24", "160x45"])
@pytest.mark.parametrize("scene", ["week", "book-call"])
def test_the_week_and_the_booking_dialog_look_as_stored(scene, size, demo, snap_compare):
    """The README's scenes at the smallest terminal the desk promises to fit and at a wide one."""

    async def open_scene(pilot: Pilot[object]) -> None:
        await play(pilot, SCENES[scene])

    assert snap_compare(desk_app(demo), terminal_size=size, run_before=open_scene)


async def test_at_80_columns_every_line_of_the_hours_panel_fits_it_marks_included(demo):
    """B2's and B4's marks were cut ("▲ OVER cap (B" , "▲ ov") beside the hours at 80 columns."""

    from tamdesk.tui.widgets.hours_panel import HoursPanel, hours_lines

    app = desk_app(demo)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ())
        panel = app.screen.query_one(HoursPanel)
        summary = panel._summary
        assert summary is not None
        # The two longest-named customers over their cap (B2), one of them consistently (B3);
        # the TAM over their own hours (B4).
        first, second = sorted(summary.customers, key=lambda row: -len(row.customer))[:2]
        marked = {
            first.customer: first._replace(logged_minutes=int(first.cap_hours * 60) + 90, consistently_over=False),
            second.customer: second._replace(logged_minutes=int(second.cap_hours * 60) + 90, consistently_over=True),
        }
        customers = tuple(marked.get(row.customer, row) for row in summary.customers)
        over_the_week = summary._replace(customers=customers, working_hours=1)
        lines = hours_lines(over_the_week, panel._names)
        for rule in ("(B4)", "(B2)", "(B3)"):
            assert any(rule in line.plain for line in lines), rule
        assert max(line.cell_len for line in lines) <= panel.size.width
        # And the panel is as long with the marks as without: a week's turn never lays the screen out.
        assert len(lines) == len(hours_lines(summary, panel._names)) == 3 + 2 * len(summary.customers)
