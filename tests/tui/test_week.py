"""The home screen: the week's calls in both zones, hours against caps, caseload, warnings."""

from __future__ import annotations

from tamdesk.services.calls import list_calls
from tests.tui.conftest import screen_text
from tests.tui.scenes import play


async def test_week_shows_calls_in_both_zones_holidays_hours_caseload_and_warnings(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ())
        shown = screen_text(app)
    assert "Week 2026-W48 · Mon 23 Nov – Sun 29 Nov 2026 · times in Europe/Madrid · this week" in shown
    # Northwind (New York) at 10:00 their time is 16:00 in Madrid (T1, T2); a Madrid call has no second time.
    assert "16:00–17:00 Northwind Trad… 10:00 New York tam-a" in shown
    assert "11:30–12:30 Contoso Ibérica                tam-a" in shown
    # Today's calls say how soon instead of "scheduled", by the desk's clock (08:00): 11:30 is 3.5 h
    # away, which arrow says "in 3 hours"; Tuesday's calls are another day and stay "scheduled".
    assert "11:30–12:30 Contoso Ibérica                tam-a   Session  · in 3 hours\n" in shown
    assert "15:00–16:00 Umbrella GmbH                  premium Session  · scheduled\n" in shown
    # P1: Northwind (tam-a, weekly) has sessions on Monday and Tuesday of this week.
    assert "P1 Northwind Traders: 2 sessions in your week 2026-W48" in shown
    assert "⊘ TAM cancelled" in shown  # the Hooli call the TAM cancelled, in words
    assert "holiday: Thanksgiving Day (US): Northwind Traders, Tailspin Toys, Wayne Enterprises" in shown
    assert "Caseload 27/30  ⚠ 90% of cap (C3)" in shown
    assert "▲▲ consistently over 13.5 h/wk (B3)" in shown  # Umbrella, marked in words, not colour only
    assert "S4 Tailspin Toys: 1 session left in 2026-11" in shown
    assert "You: 18.8 h of 40 h this week" in shown


async def test_arrows_move_a_week_and_t_comes_back(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("left",))
        assert "Week 2026-W47 · Mon 16 Nov – Sun 22 Nov 2026" in screen_text(app)
        await play(pilot, ("right", "right"))
        assert "Week 2026-W49 · Mon 30 Nov – Sun 06 Dec 2026" in screen_text(app)
        await play(pilot, ("t",))
        assert "Week 2026-W48" in screen_text(app)


async def test_the_cursor_starts_on_the_next_call_and_enter_shows_its_history(app, demo):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ())
        first = list_calls(demo, first=None)[0]
        assert app.screen.selected_call.id != first.id  # not the oldest call: today's next one
        await play(pilot, ("enter",))
        shown = screen_text(app)
        assert "Working session with Contoso Ibérica" in shown
        assert "booked" in shown  # S2: its history
        # booked on Friday 13 Nov 11:30; the desk's clock is Monday 23 Nov 08:00: ten days, "a week ago"
        assert "2026-11-13 11:30  booked      · a week ago" in shown


async def test_a_call_of_another_day_in_the_customer_zone_names_that_day(open_desk):
    # 17:00 on Tuesday 1 December in Madrid is 03:00 on Wednesday in Sydney.
    from tamdesk.services.calls import book_call
    from tamdesk.tui.app import DeskApp

    desk = open_desk()
    book_call(desk, "Fabrikam Pty", "2026-12-02T03:00+11:00", minutes=30, force=True)
    app = DeskApp(desk, poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("right",))
        assert "17:00–17:30 Fabrikam Pty    Wed 03:00 Syd… tam-b   Session  · scheduled  ⚑ exception" in screen_text(app)
