"""Opening the desk: the first read waits for nobody, and nobody misses what changed meanwhile."""

from __future__ import annotations

import threading

from tamdesk.services import opening as opening_module
from tamdesk.services.calls import book_call
from tests.tui.conftest import desk_app, screen_text
from tests.tui.scenes import play, settle


async def test_a_week_read_slower_than_the_app_starts_shows_when_it_comes(demo, monkeypatch):
    release = threading.Event()
    real_start = opening_module.read_start

    def slow_start(unit):
        assert release.wait(10), "the test never released the read"
        return real_start(unit)

    monkeypatch.setattr(opening_module, "read_start", slow_start)
    app = desk_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Reading the week…" in screen_text(app)
        assert app.sub_title == ""
        release.set()
        await settle(pilot)
        assert "Week 2026-W48 · Mon 23 Nov – Sun 29 Nov 2026" in screen_text(app)
        assert app.sub_title.endswith("· Europe/Madrid · demo")  # the demo desk says so


async def test_a_change_committed_while_the_desk_opens_is_shown_at_the_first_look(demo, open_desk):
    app = desk_app(demo, poll_seconds=0.05)
    app.opening.start(timeout=30)  # the week is read ...
    book_call(open_desk(), "Tailspin Toys", "2026-11-25T10:00")  # ... and then changed by someone else
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ())
        for _ in range(100):
            if "17:00–18:00 Tailspin Toys" in screen_text(app):
                break
            await pilot.pause(0.05)
        assert "17:00–18:00 Tailspin Toys" in screen_text(app)
