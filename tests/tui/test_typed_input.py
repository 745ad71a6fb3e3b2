"""What a TAM types into the desk's fields: days as khal or timewarrior users type them, names without accents (issue 15)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tamdesk.services.calls import list_calls
from tamdesk.tui.screens.book_call import BookCallDialog
from tests.conftest import table_rows
from tests.tui.conftest import screen_text
from tests.tui.scenes import play
from tests.tui.test_fit import painted
from tests.tui.test_calls import calls_of, typed


async def test_a_call_is_booked_for_a_weekday_typed_by_name(app, demo):
    # The demo's clock is Monday 23 Nov 2026, 08:00 in Madrid (01:00 in Chicago): "wed" is
    # Wednesday 25 Nov; 10:00 in Chicago (UTC-6) is 16:00 UTC.
    before = len(calls_of(demo, "Tailspin Toys"))
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("b", *typed("tails"), "tab", *typed("wed"), "tab", *typed("10:00"), "ctrl+s"))
        assert not isinstance(app.screen, BookCallDialog)
    booked = calls_of(demo, "Tailspin Toys")
    assert len(booked) == before + 1
    assert max(booked, key=lambda c: c.id).start == datetime(2026, 11, 25, 16, 0, tzinfo=UTC)


async def test_a_guess_is_refused_in_the_dialog_with_an_example(app, demo):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("b", *typed("tails"), "tab", *typed("next wed"), "tab", *typed("10:00")))
        assert isinstance(app.screen, BookCallDialog)
        preview = str(app.screen.query_one("#preview").render())
        assert "ambiguous" in preview and "'wed' for the coming one" in preview


async def test_the_customer_field_reads_a_name_without_its_accents(app, demo):
    # The demo's "Contoso Ibérica" (Madrid, 11:30 calls): typed without the accent, it is still found.
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("b", *typed("contoso iberica")))
        assert "→ Contoso Ibérica · tam-a · Europe/Madrid" in screen_text(app)


async def test_a_refusal_says_the_calls_time_in_the_tams_zone(app, demo):
    # Marking a call that has not begun is refused (S2); the toast said its start in UTC. The
    # demo's TAM is in Madrid; each selected call's start, seen there, is what the message must say.
    before = table_rows(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("h",))
        refusals = [s for s in app.said if "has not begun" in s]
    assert refusals, app.said
    madrid = ZoneInfo("Europe/Madrid")
    starts = {f"starts at {c.start.astimezone(madrid):%a %Y-%m-%d %H:%M} Europe/Madrid" for c in list_calls(demo)}
    assert any(start in refusals[0] for start in starts), refusals[0]
    assert table_rows(demo) == before


async def test_typing_in_a_field_lays_nothing_out_and_the_text_scrolls_inside_it(app, demo):
    # Each key typed into a field used to lay the whole screen out again (the Input's virtual size,
    # and the dialog's hint given the same text), the most of a key's cost in a dialog.
    agenda = "review the sync worker backlog and the quarterly roadmap with the whole team"
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("b", *typed("tails"), "tab", "tab", "tab", "tab", "tab"))
        dialog = app.screen
        assert dialog.focused is dialog.query_one("#agenda")
        layouts = []
        lay_out = dialog._refresh_layout
        dialog._refresh_layout = lambda *args, **kwargs: (layouts.append(args), lay_out(*args, **kwargs))[1]
        await play(pilot, typed(agenda))
        assert layouts == []
        field = dialog.query_one("#agenda")
        assert field.value == agenda
        assert field.region.width < len(agenda) and field.scroll_x > 0  # the end typed is in view
        assert "whole team" in "\n".join(painted(app))
