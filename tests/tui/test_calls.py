"""Booking, moving, cancelling and marking calls from the keyboard; the database is the judge."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from textual.widgets import Checkbox, Input

from tamdesk.services.calls import list_calls
from tamdesk.services.timelog import list_time
from tamdesk.store.models import Call, CallEvent
from tamdesk.tui.screens.book_call import BookCallDialog
from tamdesk.tui.screens.confirm import ConfirmScreen
from tests.conftest import table_rows
from tests.tui.conftest import desk_app, screen_text
from tests.tui.scenes import play

TYPE = tuple


def typed(text: str) -> tuple[str, ...]:
    """The key presses that type ``text``."""
    return tuple({" ": "space", "-": "minus", ":": "colon", ".": "full_stop"}.get(c, c) for c in text)


def calls_of(desk, customer: str) -> list:
    return [c for c in list_calls(desk) if c.customer == customer]


async def test_book_a_call_by_type_ahead_in_the_customer_zone(app, demo):
    before = len(calls_of(demo, "Tailspin Toys"))
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("b", *typed("tails"), "tab", *typed("2026-11-25"), "tab", *typed("10:00")))
        dialog = app.screen
        assert isinstance(dialog, BookCallDialog)
        shown = screen_text(app)
        assert "→ Tailspin Toys · tam-b · America/Chicago" in shown
        # The live preview: 10:00 in Chicago is 17:00 for the TAM in Madrid.
        assert "Wed 25 Nov 10:00–11:00 Chicago  =  Wed 25 Nov 17:00–18:00 your time (Madrid)" in shown
        await play(pilot, ("ctrl+s",))
        assert not isinstance(app.screen, BookCallDialog)
    booked = calls_of(demo, "Tailspin Toys")
    assert len(booked) == before + 1
    new = max(booked, key=lambda c: c.id)
    assert new.start == datetime(2026, 11, 25, 16, 0, tzinfo=UTC)
    assert (new.minutes, new.status, new.review, new.exception) == (60, "scheduled", False, None)
    assert any(f"Booked call {new.id}: Working session with Tailspin Toys, Wed 25 Nov 10:00 Chicago" in s for s in app.said)


async def test_a_refusal_shows_the_rule_and_keeps_every_field_as_typed(app, demo):
    before = table_rows(demo)
    keys = ("b", *typed("tails"), "tab", *typed("2026-11-25"), "tab", *typed("11:30"), "tab", *typed("45"),
            "tab", "space", "tab", *typed("roadmap"), "ctrl+s")
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, keys)
        dialog = app.screen
        assert isinstance(dialog, BookCallDialog)  # still open
        assert "✗ S8: 2026-Q4 already has its quarterly review with Tailspin Toys" in screen_text(app)
        values = [dialog.query_one(f"#{name}", Input).value for name in ("customer", "date", "time", "minutes", "agenda")]
        assert values == ["tails", "2026-11-25", "11:30", "45", "roadmap"]
        assert dialog.query_one("#review", Checkbox).value is True
    assert table_rows(demo) == before


async def test_out_of_hours_asks_first_and_the_call_keeps_the_exception(app, demo):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("b", *typed("tailspin"), "tab", *typed("2026-11-25"), "tab", *typed("19:00"), "ctrl+s"))
        assert isinstance(app.screen, ConfirmScreen)
        assert "outside business hours 09:00-17:00 America/Chicago" in screen_text(app)
        await play(pilot, ("y",))
        assert not isinstance(app.screen, (BookCallDialog, ConfirmScreen))
    new = max(calls_of(demo, "Tailspin Toys"), key=lambda c: c.id)
    assert new.start == datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    # 19:00 Chicago is 02:00 in Madrid: outside the contract's hours (T4) and the TAM's day (T8).
    assert new.exception == (
        "with prior notice: outside business hours 09:00-17:00 America/Chicago; "
        "after hours: outside your working day Mon-Fri 09:00-18:00 Europe/Madrid"
    )


async def test_going_back_from_a_confirmation_books_nothing_and_keeps_the_form(app, demo):
    before = table_rows(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("b", *typed("tailspin"), "tab", *typed("2026-11-25"), "tab", *typed("19:00"), "ctrl+s", "n"))
        assert isinstance(app.screen, BookCallDialog)
        assert app.screen.query_one("#time", Input).value == "19:00"
    assert table_rows(demo) == before


async def test_move_a_call_saying_the_customer_asked(app, demo):
    northwind = next(c for c in calls_of(demo, "Northwind Traders") if c.start.day == 23)
    async with app.run_test(size=(120, 40)) as pilot:
        # The cursor starts on today's first call (Contoso); Northwind is next.
        # Wed 25 Nov 09:00 New York (15:00 Madrid): on the 24th the TAM's calls fill 09:00-12:00
        # New York (T7), and 12:00 there is 18:00 in Madrid, past the TAM's day (T8).
        await play(pilot, ("down", "m", *typed("2026-11-25"), "tab", *typed("09:00"), "tab", "enter", "ctrl+s"))
    moved = next(c for c in calls_of(demo, "Northwind Traders") if c.id == northwind.id)
    assert moved.start == datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    assert moved.sequence == northwind.sequence + 1
    with demo.engine.connect() as connection:
        event = connection.execute(
            select(CallEvent.action, CallEvent.by).where(CallEvent.call_id == northwind.id).order_by(CallEvent.id.desc())
        ).first()
    assert tuple(event) == ("moved", "customer")


async def test_cancel_as_the_tam_says_the_unit_becomes_next_month_credit_and_allowances_show_it(app, demo):
    contoso = next(c for c in calls_of(demo, "Contoso Ibérica") if c.start.day == 23)
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("x", "down", "enter"))
        assert ("→ S6: the unit is free again for 2026-11; if it is not used by the month's end it becomes a "
                "credit for 2026-12.") in screen_text(app)
        await play(pilot, ("ctrl+s",))
        assert any("cancelled by you" in s and "credit for 2026-12" in s for s in app.said)
        await play(pilot, ("4", "right_square_bracket"))
        december = next(line for line in screen_text(app).splitlines() if line.startswith("Contoso Ibérica | 2026-12"))
    assert [cell.strip() for cell in december.split("|")][3] == "1"  # carried in
    with demo.engine.connect() as connection:
        status = connection.scalar(select(Call.status).where(Call.id == contoso.id))
    assert status == "cancelled-by-tam"


async def test_cancel_needs_to_know_who_cancelled(app, demo):
    before = table_rows(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("x", "ctrl+s"))
        assert "✗ say who asked for it: the customer or you (the TAM)" in screen_text(app)
    assert table_rows(demo) == before


async def test_mark_held_and_no_show_log_the_time(open_desk):
    desk = open_desk("2026-11-23T18:00:00+01:00")  # Contoso (11:30) and Northwind (16:00) are over
    app = desk_app(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("h", "down", "n"))
    today = {c.customer: c.status for c in list_calls(desk) if c.start.day == 23 and c.start.month == 11}
    assert today["Contoso Ibérica"] == "held"
    assert today["Northwind Traders"] == "no-show"
    logged = {e.customer for e in list_time(desk, datetime(2026, 11, 23).date(), datetime(2026, 11, 23).date()) if e.call_id}
    assert {"Contoso Ibérica", "Northwind Traders"} <= logged


async def test_marking_a_future_call_is_refused_with_its_rule_and_changes_nothing(app, demo):
    before = table_rows(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("h",))
    assert any(s.startswith("S2:") for s in app.said)
    assert table_rows(demo) == before
