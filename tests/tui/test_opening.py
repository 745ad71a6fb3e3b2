"""Opening the desk: the first read waits for nobody, and nobody misses what changed meanwhile."""

from __future__ import annotations

import os
import threading

from tamdesk.domain.errors import BadInput
from tamdesk.services import opening as opening_module
from tamdesk.services.calls import book_call
from tamdesk.services.desk import Desk
from tamdesk.services.opening import Opening
from tamdesk.tui.app import DeskApp
from tamdesk.tui.widgets.customer_picker import CustomerPicker
from tests.tui.conftest import desk_app, screen_text
from tests.tui.scenes import TAM_TZ, fixed_now, play, settle, type_keys


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
        for _ in range(400):  # up to 20 s: a loaded CI machine took more than 5
            if "17:00–18:00 Tailspin Toys" in screen_text(app):
                break
            await pilot.pause(0.05)
        assert "17:00–18:00 Tailspin Toys" in screen_text(app)


# -- the desk opened after the first frame (``tamdesk`` on a terminal forks first) ------------------


def opened_later(open_desk, release: threading.Event):
    """The app's own desk, as ``tamdesk`` opens it after the first frame: held until ``release``.

    A UI thread that waited for it would hold the test too, so the wait is bounded and fails loudly.
    """

    def later():
        assert release.wait(10), "the desk was never let open: did the UI thread wait for it?"
        return open_desk()

    return later


def forked_first(demo, open_desk, release: threading.Event, poll_seconds: float = 3600) -> DeskApp:
    """The app as ``tamdesk`` on a terminal runs it: the child's first read in, no desk of its own yet."""
    opening = Opening(demo)
    opening.start(timeout=30)  # what the forked child sent, before the app runs
    return DeskApp(None, poll_seconds=poll_seconds, opening=opening, later=opened_later(open_desk, release))


def title(app, start: str) -> str:
    """The screen's line that starts with ``start``."""
    return next(line for line in screen_text(app).splitlines() if line.startswith(start))


async def test_the_first_frame_is_the_week_and_keys_typed_before_the_desk_opens_wait_for_it(demo, open_desk):
    release = threading.Event()
    app = forked_first(demo, open_desk, release)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert title(app, "Week ").startswith("Week 2026-W48 · Mon 23 Nov – Sun 29 Nov 2026")
        assert app.sub_title.endswith("· Europe/Madrid · demo")
        type_keys(pilot, ("right",) * 3)
        for _ in range(5):
            await pilot.pause()  # the UI thread goes on; the keys wait for the desk
        assert title(app, "Week ").startswith("Week 2026-W48")
        release.set()
        await settle(pilot)
        # All three count: W48's Monday 23 Nov + 21 days is Mon 14 Dec, 2026-W51.
        assert title(app, "Week ").startswith("Week 2026-W51 · Mon 14 Dec")


async def test_what_is_typed_before_the_desk_opens_lands_in_the_dialog_it_opens(demo, open_desk):
    release = threading.Event()
    app = forked_first(demo, open_desk, release)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        type_keys(pilot, ("l", "u", "m", "b"))  # l opens "Log time"; its first field takes the rest
        await pilot.pause()
        release.set()
        await settle(pilot)
        picker = app.screen.query_one(CustomerPicker)
        assert picker.value == "umb" and picker.customer == "Umbrella GmbH"


async def test_a_change_committed_before_the_desk_opens_is_shown_once_it_has(demo, open_desk):
    release = threading.Event()
    app = forked_first(demo, open_desk, release, poll_seconds=0.05)  # the child's read is in ...
    book_call(open_desk(), "Tailspin Toys", "2026-11-25T10:00")  # ... then someone else changes the week
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        release.set()
        for _ in range(400):  # up to 20 s: a loaded CI machine took more than 5
            if "17:00–18:00 Tailspin Toys" in screen_text(app):
                break
            await pilot.pause(0.05)
        assert "17:00–18:00 Tailspin Toys" in screen_text(app)


async def test_a_desk_that_cannot_open_after_the_first_frame_closes_the_app_and_says_why(demo):
    def later():
        raise BadInput("the database desk.sqlite is damaged; run 'tamdesk doctor'")

    opening = Opening(demo)
    opening.start(timeout=30)
    app = DeskApp(None, poll_seconds=3600, opening=opening, later=later)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            if not app.is_running:
                break
            await pilot.pause(0.05)
    assert isinstance(app.failed, BadInput) and "tamdesk doctor" in app.failed.message  # run() raises it: exit 2


async def test_an_app_closed_before_its_desk_opens_leaves_nothing_waiting_for_the_desk(demo, open_desk):
    # The program waits for the app's threads as it ends: one left waiting for a desk that will
    # never open would keep the terminal for ever.
    release = threading.Event()
    app = forked_first(demo, open_desk, release)
    outcome: list[str] = []

    def ask_for_the_desk() -> None:  # what every read's worker does first
        try:
            app.desk
            outcome.append("desk")
        except Exception as error:
            outcome.append(type(error).__name__)

    asking = threading.Thread(target=ask_for_the_desk, daemon=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        asking.start()
        app.exit()
    release.set()
    asking.join(10)
    assert not asking.is_alive() and outcome == ["RuntimeError"]


async def test_a_child_that_dies_after_opening_the_desk_leaves_the_week_to_the_apps_own_desk(demo, demo_url, open_desk, monkeypatch):
    parent = os.getpid()

    def die_in_the_child(unit):
        if os.getpid() != parent:
            os._exit(9)
        return real_read_start(unit)

    real_read_start = opening_module.read_start
    monkeypatch.setattr(opening_module, "read_start", die_in_the_child)
    opening = Opening.before_the_desk(lambda: Desk.open(str(demo_url), now=fixed_now(), tz=TAM_TZ))
    opening.opened(timeout=30)  # the CLI starts the app now
    app = DeskApp(None, poll_seconds=3600, opening=opening, later=open_desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert title(app, "Week ").startswith("Week 2026-W48 · Mon 23 Nov – Sun 29 Nov 2026")
        assert app.sub_title.endswith("· Europe/Madrid · demo")
