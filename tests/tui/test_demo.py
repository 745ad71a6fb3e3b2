"""``tamdesk demo`` in the desk: the first frame shows the load's progress at once, then the desk says "demo".

The load is made observable, not waited for: the test hands the app a loader
that runs the real ``load_demo`` but holds it at a step of its history until
the test has looked at the screen and pressed its keys.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import threading

import pytest
from textual.widgets._header import HeaderTitle

from benchmarks.__main__ import _environment
from benchmarks.frame import Terminal
from tamdesk.services.customers import CustomerFields, add_customer
from tamdesk.services.demo import Progress, load_demo
from tamdesk.tui.app import DeskApp
from tamdesk.tui.screens.demo_load import DemoLoadScreen
from tamdesk.tui.screens.week import WeekScreen
from tests.tui.conftest import desk_app, plain, screen_text
from tests.tui.scenes import NOW, TAM_TZ, settle

SMALL, LARGE = (80, 24), (160, 45)


def header(app: DeskApp) -> str:
    """The header's title line as drawn, checked to fit the terminal (not cut by an ellipsis)."""
    title = app.screen.query_one(HeaderTitle)
    text = plain(title.content)
    assert len(text) <= title.size.width, f"{text!r} is cut at {title.size.width} columns"
    return text


async def test_the_demo_shows_its_progress_at_once_and_keys_meanwhile_do_no_harm(desk):
    held, release = threading.Event(), threading.Event()
    steps: list[Progress] = []

    def load(progress):
        def step(at: Progress) -> None:
            progress(at)
            steps.append(at)
            if at.step == "history" and at.done == 100:  # a hundred calls, hours and cases into the history
                held.set()
                assert release.wait(60), "the test never let the load go on"

        load_demo(desk, progress=step)
        return desk

    app = DeskApp(desk, poll_seconds=3600, load=load)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        # The first frame: the loading screen, before the load has got anywhere near its end.
        assert isinstance(app.screen, DemoLoadScreen) and "Loading the demo" in screen_text(app)
        assert await asyncio.get_running_loop().run_in_executor(None, held.wait, 60)
        for _ in range(100):  # the screen shows the latest progress at its next tick (a tenth of a second)
            if f"100 of {steps[-1].total}" in screen_text(app):
                break
            await pilot.pause(0.02)
        # Every customer went in first (13 in data/demo.toml), then the history, counted as it is replayed.
        assert [s.done for s in steps if s.step == "customers"] == list(range(1, 14))
        assert f"in the order they happened: 100 of {steps[-1].total}" in screen_text(app)
        # Keys pressed while it loads, without pausing: no dialog, no screen change, no crash.
        await pilot.press("1", "3", "b", "l", "o", "question_mark", "right", "ctrl+p", "enter", "escape", "x")
        assert isinstance(app.screen, DemoLoadScreen) and len(app.screen_stack) == 1
        release.set()
        await settle(pilot)
        # Then the desk opens on the demo: its week, and "demo" in the header.
        assert isinstance(app.screen, WeekScreen)
        assert "Week 2026-W48 · Mon 23 Nov – Sun 29 Nov 2026" in screen_text(app)
        assert header(app).endswith("Alex Rivera · Europe/Madrid · demo")
        assert steps[-1].done == steps[-1].total  # it did load to its end


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_the_header_says_demo_on_the_demo_and_only_there(demo, desk, size):
    async with desk_app(demo).run_test(size=size) as pilot:
        await settle(pilot)
        assert header(pilot.app).endswith("· demo")  # type: ignore[arg-type]
    add_customer(desk, CustomerFields(name="Acme", plan="tam-a", tz="Europe/Madrid"))
    async with desk_app(desk).run_test(size=size) as pilot:
        await settle(pilot)
        assert "demo" not in header(pilot.app)  # type: ignore[arg-type]


def test_tamdesk_demo_on_a_terminal_shows_the_load_first_and_q_leaves_without_saving_it(tmp_path):
    # The real command on a pseudo-terminal, on a new data folder: the issue saw a blank terminal
    # for seconds. The progress screen comes first (the file is created behind it), then the load's
    # steps; q meanwhile stops the load, whose one transaction then saves nothing.
    env = {**_environment(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data")}
    argv = [sys.executable, "-m", "tamdesk", "--now", NOW, "--tz", TAM_TZ, "demo"]
    with Terminal(argv, env) as terminal:
        terminal.frame_with("Loading the demo", terminal.started, timeout=120)
        terminal.frame_with("Adding the customers", terminal.started, timeout=120)
        terminal.press(b"q")
        assert terminal.process.wait(timeout=60) == 0
    with sqlite3.connect(tmp_path / "data" / "tamdesk" / "demo.sqlite") as db:
        assert db.execute("SELECT count(*) FROM customers").fetchone() == (0,)
    assert not (tmp_path / "data" / "tamdesk" / "tamdesk.sqlite").exists()  # the TAM's own desk: untouched


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_the_loading_screen_looks_as_stored(desk, size, snap_compare):
    # Held at the sixth of twelve customers (a bar at 5%: 6/12 of the customers' tenth) until the app closes.
    release = threading.Event()

    def load(progress):
        while not release.wait(0.05):
            progress(Progress("customers", 6, 12))  # raises once the app has closed, which ends the thread
        return desk

    async def shown(pilot) -> None:
        for _ in range(100):
            if "6 of 12" in screen_text(pilot.app):
                return
            await pilot.pause(0.02)
        raise AssertionError("the progress never showed")

    app = DeskApp(desk, poll_seconds=3600, load=load, where="demo.sqlite")
    try:
        assert snap_compare(app, terminal_size=size, run_before=shown)
    finally:
        release.set()
