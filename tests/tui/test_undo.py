"""Undo from the keyboard (ctrl+z), the one-key changes' toasts naming it, and resolving with a note."""

from __future__ import annotations

from datetime import date

from tamdesk.services.calls import list_calls
from tamdesk.services.cases import list_cases
from tamdesk.services.timelog import list_time
from tamdesk.tui import keymap
from tests.conftest import table_rows
from tests.tui.conftest import desk_app, screen_text
from tests.tui.scenes import play
from tests.tui.test_calls import typed

SMALL = (80, 24)


def contoso_today(desk) -> str:
    return next(c.status for c in list_calls(desk) if c.customer == "Contoso Ibérica" and c.start.date() == date(2026, 11, 23))


def logged_for_calls(desk) -> set[str]:
    return {e.customer for e in list_time(desk, date(2026, 11, 23), date(2026, 11, 23)) if e.call_id}


async def test_ctrl_z_after_h_at_80x24_puts_the_call_back_and_says_so(open_desk):
    desk = open_desk("2026-11-23T18:00:00+01:00")  # Contoso's call (11:30) is over: the first in the list
    app = desk_app(desk)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("h",))
        assert contoso_today(desk) == "held" and "Contoso Ibérica" in logged_for_calls(desk)
        # The toast names the way back, as the keymap binds it.
        assert app.said[-1].endswith(f"— {keymap.key_of('desk.undo')} to undo.") and "ctrl+z" in app.said[-1]
        await play(pilot, ("ctrl+z",))
        assert app.said[-1].startswith("Undid: Contoso Ibérica's call on Mon 23 Nov 11:30 is scheduled again")
        assert "✓" not in [line for line in screen_text(app).splitlines() if "Contoso" in line][0]
        assert contoso_today(desk) == "scheduled"
        assert "Contoso Ibérica" not in logged_for_calls(desk)
        # n on the next call (Northwind, 16:00) names the way back too.
        await play(pilot, ("down", "n"))
        assert "Northwind Traders" in logged_for_calls(desk) and app.said[-1].endswith("ctrl+z to undo.")


async def test_ctrl_z_on_the_fresh_demo_has_nothing_to_undo_and_changes_nothing(app, demo):
    # The demo's loading is not the TAM's doing: nothing of it is undone.
    before = table_rows(demo)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("ctrl+z",))
    assert any("nothing to undo" in s for s in app.said)
    assert table_rows(demo) == before


def open_cases(desk) -> dict[int, str]:
    return {c.id: c.status for c in list_cases(desk)}


async def test_r_asks_for_the_note_and_enter_resolves_with_it(app, demo):
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("2",))
        case = int(app.screen.query_one("#open-cases").selected_key.split(":")[1])
        await play(pilot, ("r", *typed("Reset the SSO key"), "enter"))
        assert app.said[-1].startswith(f"Resolved case {case}") and "Ctrl+z to undo" in app.said[-1]
    [resolved] = [c for c in list_cases(demo) if c.id == case]
    assert (resolved.status, resolved.resolution_note) == ("resolved", "Reset the SSO key")


async def test_r_then_escape_leaves_the_case_open_and_changes_nothing(app, demo):
    before = table_rows(demo)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("2", "r", *typed("never mind"), "escape"))
        assert "Resolve case" not in screen_text(app)
    assert table_rows(demo) == before


def test_call_details_say_a_step_was_undone_in_words_with_where_it_had_moved():
    # services.undo keeps an undone move as "moved-undone": the details say "moved (undone)",
    # from and to, in the TAM's zone (10:00 and 11:00 UTC are 11:00 and 12:00 in Madrid in November).
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from tamdesk.services.views import CallEventView
    from tamdesk.tui.screens.call_details import history_text

    at = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    step = CallEventView(at, "moved-undone", "tam", datetime(2026, 11, 24, 10, tzinfo=UTC), datetime(2026, 11, 25, 11, tzinfo=UTC), "scheduled")
    line = history_text([step], ZoneInfo("Europe/Madrid"), at).plain
    assert "moved (undone)" in line and "moved-undone" not in line
    assert "from Tue 24 Nov 11:00 to Wed 25 Nov 12:00" in line
