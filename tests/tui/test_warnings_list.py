"""The Week counts the warnings in its header, and ``w`` shows them all: the list ``tamdesk warnings`` gives."""

from __future__ import annotations

import json

import pytest
from textual.containers import VerticalScroll

from tamdesk.tui.screens.warnings import WarningsScreen
from tamdesk.tui.screens.week import WeekScreen
from tests.cli.conftest import runner
from tests.databases import sql
from tests.tui.conftest import desk_app, plain, screen_text
from tests.tui.scenes import burst, play

SIZES = [(80, 24), (160, 45)]


def cli_warnings(path, capsys) -> list[dict[str, str]]:
    """What ``tamdesk warnings --json`` lists for the desk in ``path``, by the real command."""
    code, out, _ = runner(path, capsys)("warnings", "--json")
    assert code == 0
    return json.loads(out)


def crowd_this_week(path) -> int:
    """Older data, from before T7: every call still ahead put on the time of this week's first; returns how many."""
    ahead = "status = 'scheduled' AND starts_at >= '2026-11-23'"
    [(first, moved)] = sql(path, f"SELECT MIN(starts_at), count(*) FROM calls WHERE {ahead}")
    sql(path, f"UPDATE calls SET starts_at = :first WHERE {ahead}", first=first)
    return moved


def warning_lines(app) -> list[str]:
    """The lines of the warnings dialog's list."""
    return plain(app.screen.query_one("#warnings-list").content).splitlines()


@pytest.mark.parametrize("size", SIZES)
async def test_w_shows_the_list_tamdesk_warnings_gives(app, demo_url, capsys, size):
    listed = cli_warnings(demo_url, capsys)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("w",))
        assert isinstance(app.screen, WarningsScreen)
        # One line a warning, in the CLI's order: B3's recommendation marked ▲▲, the others ⚠.
        expected = [
            f"{'▲▲' if w['rule'] == 'B3' else '⚠'} {w['rule']} " + (f"{w['customer']}: " if w["customer"] else "") + w["text"]
            for w in listed
        ]
        assert warning_lines(app) == expected
        await play(pilot, ("escape",))
        assert isinstance(app.screen, WeekScreen)


@pytest.mark.parametrize("size", SIZES)
async def test_the_header_counts_every_warning_and_the_list_scrolls_to_the_last(demo, demo_url, capsys, size):
    crowded = crowd_this_week(demo_url)
    listed = cli_warnings(demo_url, capsys)
    # Each crowded call overlaps the others (T7), on top of the demo's own warnings: more than a screen holds.
    assert len([w for w in listed if w["rule"] == "T7"]) == crowded > 10
    app = desk_app(demo)  # opened on the changed data
    async with app.run_test(size=size) as pilot:
        await play(pilot, ())
        assert f"⚠ {len(listed)} warnings — w to show all" in " ".join(screen_text(app).split())
        await burst(pilot, ("w", "end"))  # end pressed as the list opens still reaches it
        await pilot.wait_for_animation()  # the list scrolls smoothly
        dialog = app.screen.query_one("#all-warnings", VerticalScroll)
        width, height = size
        region = dialog.region
        assert region.x >= 0 and region.y >= 0 and region.right <= width and region.bottom <= height
        assert dialog.scroll_y == dialog.max_scroll_y
        if size == (80, 24):
            assert dialog.max_scroll_y > 0  # the list is longer than the terminal: it does scroll
        last = listed[-1]
        assert warning_lines(app)[-1].endswith(last["text"])
        await play(pilot, ("escape",))
        assert isinstance(app.screen, WeekScreen)


@pytest.mark.parametrize("size", SIZES)
def test_the_warnings_list_looks_as_stored(demo, snap_compare, size):
    async def open_list(pilot) -> None:
        await play(pilot, ("w",))

    assert snap_compare(desk_app(demo), terminal_size=size, run_before=open_list)
