"""The iCalendar export from the desk: a key on Week and Customers, and the palette (X1)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from icalendar import Calendar
from textual.screen import ModalScreen

from tamdesk.services.calls import book_call, list_calls
from tamdesk.tui.screens.export import ExportDialog
from tests.tui.conftest import screen_text
from tests.tui.scenes import play
from tests.tui.test_calls import typed


def _events(path: Path) -> list:
    return list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


async def test_export_every_call_from_the_week(app, demo, isolated):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("i",))
        assert isinstance(app.screen, ExportDialog)
        await play(pilot, ("ctrl+s",))
        assert not isinstance(app.screen, ExportDialog)
        assert any(f"Exported {len(list_calls(demo))} calls to" in said for said in app.said)
    written = isolated / "tamdesk.ics"  # the default ~/tamdesk.ics, in the test's home
    assert sorted(str(e["uid"]) for e in _events(written)) == sorted(c.uid for c in list_calls(demo))


async def test_export_the_selected_customer_from_customers_as_an_auto_feed(app, demo, isolated):
    target = isolated / "contoso.ics"  # typed as ~/contoso.ics: the test's home, and a few keys instead of a long path
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("3",))
        customer = app.screen.chosen_customer()
        await play(pilot, ("i",))
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and dialog.query_one("#customer").value == customer
        await play(pilot, ("end", *["backspace"] * 20, *typed("~/contoso.ics"), "tab", "tab", "tab", "space"))
        assert dialog.query_one("#path").value == "~/contoso.ics"
        assert dialog.query_one("#auto").value is True
        await play(pilot, ("ctrl+s",))
        assert any("rewritten after every change" in said for said in app.said)
    events = _events(target)
    assert events and {str(e["summary"]).split(":")[0] for e in events} == {customer}
    # The feed follows a change made after the dialog closed.
    calls = [c for c in list_calls(demo) if c.customer == customer]
    book_call(demo, customer, "2026-12-15T11:00", review=True, force=True)
    assert len(_events(target)) == len(calls) + 1


async def test_a_refused_export_keeps_what_was_typed(app, demo, tmp_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("ctrl+p", *typed("export ical")))
        await play(pilot, ("enter",))
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await play(pilot, ("tab", *typed("Nobody Ltd"), "ctrl+s"))
        assert isinstance(app.screen, ExportDialog)
        assert "unknown customer 'Nobody Ltd'" in screen_text(app)
        assert dialog.query_one("#customer").value == "Nobody Ltd"


async def test_a_feed_that_cannot_be_written_after_a_save_is_a_warning_not_a_failure(app, demo, tmp_path):
    """Issue 14: the dialog said "nothing was saved" and kept its fields, so saving again booked twice."""
    from tamdesk.services.export import set_auto_feed
    from tamdesk.services.timelog import list_time

    from tamdesk.store.models import Setting

    set_auto_feed(demo, tmp_path / "feed.ics")
    # What an older tamdesk accepted (`config set alarm_minutes 1e20`): every feed rewrite fails after the commit.
    demo.write(lambda unit: unit.session.merge(Setting(key="alarm_minutes", value="1e20")))
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("l", *typed("soylent"), "tab", "tab", *typed("1.5"), "tab", "tab", "tab", *typed("Once"), "ctrl+s"))
        assert not isinstance(app.screen, ModalScreen)  # the dialog closed: the entry is saved
        assert any("saved" in said and "auto feed" in said for said in app.said)
    entries = [e for e in list_time(demo, date(2026, 11, 23), date(2026, 11, 23)) if e.note == "Once"]
    assert len(entries) == 1
