"""The home screen: the week's calls in both zones, hours against caps, caseload, warnings."""

from __future__ import annotations

import re
from datetime import date

from tamdesk.services.calls import list_calls
from tamdesk.services.timelog import list_time
from tests.tui.conftest import screen_text
from tests.tui.scenes import play


def b1_minutes(desk, first: date, last: date, customer: str | None = None) -> int:
    """B1 worked out from the desk's records: time logged on the TAM's days ``first..last``
    plus the calls starting on them that are booked and not yet held (still scheduled)."""
    logged = sum(e.minutes for e in list_time(desk, first, last) if customer in (None, e.customer))
    calls = list_calls(desk, first=first, last=last)
    booked = sum(c.minutes for c in calls if c.status == "scheduled" and customer in (None, c.customer))
    return logged + booked


def line(pattern: str, shown: str) -> bool:
    """Whether a whole line of the screen matches ``pattern``; runs of spaces are layout, not content."""
    return re.search(rf"^ *{pattern} *$", shown, re.MULTILINE) is not None


async def test_week_shows_calls_in_both_zones_holidays_hours_caseload_and_warnings(app, demo):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ())
        shown = screen_text(app)
    assert "Week 2026-W48 · Mon 23 Nov – Sun 29 Nov 2026 · times in Europe/Madrid · this week" in shown
    # Northwind (New York) at 10:00 their time is 16:00 in Madrid (T1, T2); a Madrid call has no second time.
    assert line(r"16:00–17:00 Northwind Trad… +10:00 New York +tam-a +Session +· in 8 hours", shown)
    # Today's calls say how soon instead of "scheduled", by the desk's clock (08:00): 11:30 is 3.5 h
    # away, which arrow says "in 3 hours" (16:00 is 8 h away); Tuesday's calls are another day and stay "scheduled".
    assert line(r"11:30–12:30 Contoso Ibérica +tam-a +Session +· in 3 hours", shown)
    assert line(r"15:00–16:00 Umbrella GmbH +premium +Session +· scheduled", shown)
    # P1: Northwind (tam-a, weekly) has sessions on Monday and Tuesday of this week.
    assert "P1 Northwind Traders: 2 sessions in your week 2026-W48" in shown
    assert "⊘ TAM cancelled" in shown  # the Hooli call the TAM cancelled, in words
    assert "holiday: Thanksgiving Day (US): Northwind Traders, Tailspin Toys, Wayne Enterprises" in shown
    # C3: the demo files 30 cases and resolves 3 (data/demo.toml): 27 of a cap of 30 is 90%.
    assert line(r"Caseload 27/30 +⚠ 90% of cap \(C3\)", shown)
    # B3: Umbrella's average over the four complete weeks before W48 (26 Oct to 22 Nov), each
    # week's hours by B1; shown with one decimal, marked in words, not colour only.
    average = b1_minutes(demo, date(2026, 10, 26), date(2026, 11, 22), "Umbrella GmbH") / 4
    assert average > 10 * 60  # over premium's 10 h cap, or the demo lost its point
    assert "▲▲ OVER (B3)" in shown  # on Umbrella's bar; the average is in the warning beside it
    assert f"B3 Umbrella GmbH: averaged {average / 60:.1f} h over the last 4 weeks" in shown
    assert "S4 Tailspin Toys: 1 session left in 2026-11" in shown
    # B4: the TAM's own week is B1 summed over every customer, against the catalogue's 40 working hours.
    own = b1_minutes(demo, date(2026, 11, 23), date(2026, 11, 29))
    assert f"You: {own / 60:.1f} h of 40 h this week" in shown


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
        assert line(r"2026-11-13 11:30 +booked +· a week ago", shown)


async def test_a_call_of_another_day_in_the_customer_zone_names_that_day(open_desk):
    # 17:00 on Tuesday 1 December in Madrid is 03:00 on Wednesday in Sydney.
    from tamdesk.services.calls import book_call
    from tamdesk.tui.app import DeskApp

    desk = open_desk()
    book_call(desk, "Fabrikam Pty", "2026-12-02T03:00+11:00", minutes=30, force=True)
    app = DeskApp(desk, poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("right",))
        assert line(r"17:00–17:30 Fabrikam Pty +Wed 03:00 Syd… +tam-b +Session +· scheduled +⚑ exception", screen_text(app))


async def test_turning_a_week_lays_out_neither_its_title_nor_its_list(app, monkeypatch):
    """A turn repaints the week; laying the screen out again (a third of a turn) is for a change of shape.

    At 120 columns the title stays on its line, both weeks' lists scroll and the hours
    panel is as long in every week (W47 has a B3 mark W48 has not): nothing changes the
    screen's shape, and nothing asks for a layout.
    """
    from textual.widget import Widget

    from tests.tui.scenes import SIZE

    laid_out: list[str] = []
    refresh = Widget.refresh

    def watched(self, *regions, layout=False, **options):
        if layout:
            laid_out.append(f"{type(self).__name__}#{self.id}")
        return refresh(self, *regions, layout=layout, **options)

    async with app.run_test(size=SIZE) as pilot:
        await play(pilot, ("left",))
        monkeypatch.setattr(Widget, "refresh", watched)
        await play(pilot, ("right",))
        assert "Week 2026-W48" in screen_text(app)
    assert laid_out == []  # not the title, the list, nor the hours panel (as long in every week)
