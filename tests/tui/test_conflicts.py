"""The desk's booking preview runs the same checks as saving (T8), and the Week marks overlaps (T7)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from textual.widgets import Input

from tamdesk.tui.screens.book_call import BookCallDialog
from tamdesk.tui.screens.confirm import ConfirmScreen
from tests.conftest import table_rows
from tamdesk.services.calls import list_calls
from tests.tui.conftest import desk_app, screen_text
from tests.tui.scenes import play
from tests.tui.test_calls import typed

SMALL = (80, 24)


async def test_the_preview_of_a_call_saving_would_refuse_shows_the_refusal_not_a_tick(app, demo):
    # Fabrikam (Sydney, tam-b: 2 sessions a month) has both of November's booked in the demo.
    # Wed 25 Nov 10:00 Sydney is inside its business hours and 00:00 in Madrid: the preview
    # used to show ✓ and saving refused (S3). Now the preview says what saving says.
    before = table_rows(demo)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("b", *typed("fabrikam"), "tab", *typed("2026-11-25"), "tab", *typed("10:00")))
        assert isinstance(app.screen, BookCallDialog)
        shown = screen_text(app)
        assert "✗ S3: no session left for Fabrikam Pty in 2026-11" in shown
        assert "✓" not in shown
        await play(pilot, ("ctrl+s",))
        assert isinstance(app.screen, BookCallDialog)  # refused, still open
    assert table_rows(demo) == before


async def test_typing_on_in_a_chosen_name_or_the_agenda_judges_the_slot_no_more_times(app, demo, monkeypatch):
    # "f" already names Fabrikam alone (its date and time filled in): the rest of its name and an
    # agenda ask for the same judgement, whose refusal searched weeks ahead (S3); a new time is judged again.
    from tamdesk.tui.screens import book_call

    judged: list[str] = []

    def counted(desk, customer, start, *args, **options):
        judged.append(start)
        return preview_slot(desk, customer, start, *args, **options)

    preview_slot = book_call.preview_slot
    monkeypatch.setattr(book_call, "preview_slot", counted)
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("b", "ctrl+a", "ctrl+k", "f"))
        first = len(judged)
        await play(pilot, (*typed("abrikam"), "tab", "tab", "tab", "tab", "tab", *typed("quarterly plan")))
        assert app.screen.query_one("#agenda", Input).value == "quarterly plan"
        assert len(judged) == first and first >= 1
        await play(pilot, ("shift+tab", "shift+tab", "shift+tab", "shift+tab", "ctrl+a", "ctrl+k", *typed("2026-11-25")))
        assert judged[-1] == "2026-11-25 10:00" and len(judged) == first + 1
        assert "✗ S3: no session left for Fabrikam Pty in 2026-11" in screen_text(app)


async def test_the_preview_of_a_call_too_long_shows_the_s1_refusal(app, demo):
    # 10:00 Chicago is 17:00 in Madrid, inside every window; 90 minutes is past S1's 60.
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("b", *typed("tails"), "tab", *typed("2026-11-25"), "tab", *typed("10:00"), "tab",
                           "end", "backspace", "backspace", *typed("90")))
        shown = screen_text(app)
        assert "✗ S1: a working session lasts at most 60 minutes; 90 were asked for." in shown
        assert "✓" not in shown


async def test_a_call_at_midnight_for_the_tam_previews_the_t8_question_and_saving_asks_it(app, demo):
    # Wed 2 Dec 10:00 Sydney is Wed 00:00 in Madrid: inside Fabrikam's hours, with December's
    # sessions free, but outside the TAM's day (Mon-Fri 09:00-18:00 Madrid): T8 asks.
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ("b", *typed("fabrikam"), "tab", *typed("2026-12-02"), "tab", *typed("10:00")))
        shown = screen_text(app)
        assert "⚑ outside your working day Mon-Fri 09:00-18:00 Europe/Madrid: will ask to confirm (T8)" in shown
        assert "✓" not in shown
        await play(pilot, ("ctrl+s",))
        assert isinstance(app.screen, ConfirmScreen)
        assert "T8" in screen_text(app)
        await play(pilot, ("y",))  # the TAM works late on purpose
        assert not isinstance(app.screen, (BookCallDialog, ConfirmScreen))
    new = max(list_calls(demo), key=lambda c: c.id)
    assert (new.customer, new.start) == ("Fabrikam Pty", datetime(2026, 12, 1, 23, 0, tzinfo=UTC))
    assert new.exception == "after hours: outside your working day Mon-Fri 09:00-18:00 Europe/Madrid"


@pytest.mark.parametrize("size", [SMALL, (160, 45)])
async def test_booking_onto_another_call_in_the_desk_is_refused_with_the_next_free_time(demo, size):
    # Tue 24 Nov 10:00 New York is 16:00-17:00 in Madrid, Northwind's call: T7 refuses Wayne.
    # Wayne (premium) has this week's and the next weeks' sessions booked in the demo, so the
    # next time that passes every rule is further on; the dialog names it and stays open.
    before = table_rows(demo)
    app = desk_app(demo)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("b", *typed("wayne"), "tab", *typed("2026-11-24"), "tab", *typed("10:00"), "ctrl+s"))
        assert isinstance(app.screen, BookCallDialog)
        shown = " ".join(screen_text(app).split())
        assert "✗ T7: you already have call" in shown and "with Northwind Traders on Tue 2026-11-24 16:00-17:00" in shown
        assert "the next time that passes every rule." in shown
    assert table_rows(demo) == before


async def test_the_week_marks_calls_that_overlap_in_older_data(demo):
    # Older data, from before T7: Northwind's Tuesday call put on Umbrella's time (15:00 Berlin,
    # 15:00 Madrid) behind the desk's back. Both are marked; the others are not.
    with demo.engine.begin() as db:
        ids = dict(db.execute(text(
            "SELECT c.id, u.name FROM calls c JOIN customers u ON u.id = c.customer_id "
            "WHERE c.status = 'scheduled' AND c.starts_at >= '2026-11-24' AND c.starts_at < '2026-11-25'"
        )).all())
        umbrella = next(i for i, name in ids.items() if name == "Umbrella GmbH")
        northwind = next(i for i, name in ids.items() if name == "Northwind Traders")
        db.execute(text("UPDATE calls SET starts_at = (SELECT starts_at FROM calls WHERE id = :u) WHERE id = :n"),
                   {"u": umbrella, "n": northwind})
    app = desk_app(demo)  # opened on the changed data
    async with app.run_test(size=SMALL) as pilot:
        await play(pilot, ())
        lines = [line for line in screen_text(app).splitlines() if "overlaps (T7)" in line]
    assert len(lines) == 2
    assert any("Umbrella" in line for line in lines) and any("Northwind" in line for line in lines)
