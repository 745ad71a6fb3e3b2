"""The Reports screen and the Customers screen's history (issue 18), with real key presses at 80x24 and 160x45.

The demo desk's clock is Monday 23 Nov 2026 08:00 in Madrid, 08:00 in Berlin:
Umbrella GmbH's month so far (its zone, Europe/Berlin) is 1 to 23 November,
so the name the screen suggests is ``umbrella-gmbh-2026-11-01-to-2026-11-23``.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tamdesk.tui.screens.customers import CustomersScreen
from tamdesk.tui.screens.reports import ReportsScreen
from tests.cli.conftest import runner
from tests.conftest import table_rows
from tests.tui.conftest import desk_app, plain, screen_text
from tests.tui.scenes import SCENES, play, type_in
from tests.tui.test_calls import typed
from tests.tui.test_fit import SMALL, WIDE, painted

SIZES = pytest.mark.parametrize("size", [SMALL, WIDE], ids=["80x24", "160x45"])
#: The customer report's sections, as README's Reports section names them.
HEADINGS = [
    "Working sessions", "Hours by week", "Cases and response times", "Open cases", "Problems",
    "Regular deliverables", "Coming up",
]
NAME = "umbrella-gmbh-2026-11-01-to-2026-11-23"


@pytest.fixture
def documents(isolated: Path) -> Path:
    """The TAM's documents folder (in the test's home), where a report goes unless told otherwise."""
    folder = isolated / "Documents"
    folder.mkdir(parents=True)
    return folder


def preview_lines(app) -> list[str]:
    """The preview as it reads, a line each, drawn at the preview's width."""
    preview = app.screen.query_one("#report-markdown", Static)
    return [line.strip() for line in plain(preview.content, width=preview.size.width).splitlines()]


def headings(app) -> list[str]:
    """The second-level headings the preview shows, in order: those of its Markdown drawn as lines of their own."""
    shown = set(preview_lines(app))
    return [line[3:] for line in app.screen.markdown.splitlines() if line.startswith("## ") and line[3:] in shown]


def field(app, selector: str) -> str:
    return app.screen.query_one(selector, Input).value


async def open_reports_on(pilot: Pilot[object], customer: str) -> None:
    """From the week: P opens Reports; the customer's name typed replaces the one filled in."""
    await play(pilot, ("P",))
    await type_in(pilot, ("ctrl+a", "ctrl+k", *typed(customer)))  # the field starts with the customer in view


@SIZES
async def test_pick_a_customer_see_the_preview_and_write_the_markdown(size, demo, demo_url, documents, capsys):
    app = desk_app(demo)
    async with app.run_test(size=size) as pilot:
        await open_reports_on(pilot, "umbrella")
        assert isinstance(app.screen, ReportsScreen)
        assert headings(app) == HEADINGS
        assert "Service report: Umbrella GmbH" in "\n".join(painted(app))
        assert field(app, "#path") == f"~/Documents/{NAME}.md"
        await play(pilot, ("ctrl+s",))
        assert isinstance(app.screen, ReportsScreen)  # it stays open: the HTML may be written next
    written = documents / f"{NAME}.md"
    assert f"Markdown written to {written}." in app.said
    # The same bytes as the command line writes with -o, from the same desk at the same clock.
    code, _, _ = runner(demo_url, capsys)("report", "customer", "umbrella", "-o", str(documents / "cli.md"))
    assert code == 0 and written.read_bytes() == (documents / "cli.md").read_bytes()
    assert stat.S_IMODE(written.stat().st_mode) & 0o044  # no notes: readable as any document


async def test_the_html_with_notes_goes_to_a_private_file_named_for_its_format(demo, demo_url, documents, capsys):
    app = desk_app(demo)
    async with app.run_test(size=WIDE) as pilot:
        await open_reports_on(pilot, "umbrella")
        await play(pilot, ("tab", "tab", "tab", "space"))  # from, to, then the notes box, ticked
        assert "Internal notes" in headings(app)
        await play(pilot, ("ctrl+o",))
    written = documents / f"{NAME}.html"  # the suggested .md name, with the HTML's suffix
    assert f"HTML page written to {written}." in app.said
    code, _, _ = runner(demo_url, capsys)(
        "report", "customer", "umbrella", "--format", "html", "--include-notes", "-o", str(documents / "cli.html")
    )
    assert code == 0 and written.read_bytes() == (documents / "cli.html").read_bytes()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600  # notes: a new file only its owner reads


async def test_a_period_typed_is_the_reports_period(demo, documents):
    app = desk_app(demo)
    async with app.run_test(size=SMALL) as pilot:
        await open_reports_on(pilot, "umbrella")
        await type_in(pilot, ("tab", *typed("2026-10-01"), "tab", *typed("2026-10-31")))
        assert field(app, "#path") == "~/Documents/umbrella-gmbh-2026-10-01-to-2026-10-31.md"
        await play(pilot, ("ctrl+s",))
    text = (documents / "umbrella-gmbh-2026-10-01-to-2026-10-31.md").read_text()
    assert "Thu 01 Oct 2026 to Sat 31 Oct 2026" in text  # 1 Oct 2026 is a Thursday, 31 Oct a Saturday


@pytest.mark.parametrize(
    ("size", "keys", "reason", "kept"),
    [
        (SMALL, ("ctrl+a", "ctrl+k", *typed("Nobody")), "no customer matches 'Nobody'", ("#customer", "Nobody")),
        (WIDE, ("tab", *typed("2026-11-20"), "tab", *typed("2026-11-10")), "2026-11-10 is before 2026-11-20",
         ("#last", "2026-11-10")),
        # A folder that cannot be made: its name is taken by a file.
        (SMALL, ("tab", "tab", "tab", "tab", "ctrl+a", "ctrl+k", *typed("~/taken/report.md")), "cannot write ~/taken/report.md",
         ("#path", "~/taken/report.md")),
    ],
    ids=["unknown-customer-80x24", "to-before-from-160x45", "unwritable-80x24"],
)
async def test_a_refusal_says_why_keeps_the_fields_and_writes_nothing(size, keys, reason, kept, demo, documents, isolated):
    (isolated / "taken").write_text("a file, not a folder")
    before = table_rows(demo)
    app = desk_app(demo)
    async with app.run_test(size=size) as pilot:
        await open_reports_on(pilot, "umbrella")
        await type_in(pilot, keys)
        await play(pilot, ("ctrl+s",))
        assert isinstance(app.screen, ReportsScreen)
        assert reason in screen_text(app) and "✗" in "\n".join(painted(app))
        selector, value = kept
        assert field(app, selector) == value
    assert list(documents.iterdir()) == []
    assert not any("written to" in said for said in app.said)
    assert table_rows(demo) == before


async def test_typing_on_in_a_name_already_chosen_reads_and_lays_out_nothing_again(demo):
    # "umb" already names Umbrella GmbH alone: "umbrella" asks for the same report, so the
    # preview keeps the very text it drew (a re-read would draw and lay it out anew, the
    # wait a TAM feels at each key). A name that matches nobody says so; one more key back, the
    # report stands again and the refusal goes.
    app = desk_app(demo)
    async with app.run_test(size=SMALL) as pilot:
        await open_reports_on(pilot, "umb")
        screen = app.screen
        drawn = screen.query_one("#report-markdown", Static).content
        asked = screen.previews.asked
        await play(pilot, typed("rella"))
        assert screen.previews.asked == asked  # no preview asked for
        assert screen.query_one("#report-markdown", Static).content is drawn
        await play(pilot, ("x",))
        assert "no customer matches 'umbrellax'" in screen_text(app)
        await play(pilot, ("backspace",))
        assert "no customer matches" not in screen_text(app)
        assert headings(app) == HEADINGS and "Service report: Umbrella GmbH" in "\n".join(painted(app))


async def test_reports_is_in_the_palette_and_esc_goes_back(app):
    async with app.run_test(size=WIDE) as pilot:
        await play(pilot, ("3", "ctrl+p", *typed("reports")))
        await play(pilot, ("enter",))
        assert isinstance(app.screen, ReportsScreen)
        assert field(app, "#customer") == "Acme Logística"  # the customer in view on Customers
        await play(pilot, ("escape",))
        assert isinstance(app.screen, CustomersScreen)


async def test_P_typed_into_a_field_is_a_letter(app):
    async with app.run_test(size=WIDE) as pilot:
        await play(pilot, ("b", "P"))
        assert not isinstance(app.screen, ReportsScreen)
        assert app.screen.query_one("#customer", Input).value == "P"


@SIZES
async def test_the_customers_screen_shows_each_customers_weeks_and_the_selected_ones_history(size, desk, customer):
    from datetime import date

    from tamdesk.services.calls import book_call
    from tamdesk.services.timelog import log_time

    customer("Acme")
    customer("Brill")
    # Acme: 8 h in the week of 2 Nov, 4.5 h in the week of 9 Nov, nothing on 16 Nov, and 1 h logged plus a
    # 1 h call booked this week: the 12 weeks scale to the highest (8 h), each bar an eighth of it.
    log_time(desk, "Acme", 8, on=date(2026, 11, 2), force=True)
    log_time(desk, "Acme", 4.5, on=date(2026, 11, 9), force=True)
    log_time(desk, "Acme", 1)
    book_call(desk, "Acme", "2026-11-25T10:00")
    app = desk_app(desk)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("3",))
        shown = screen_text(app)
        lines = painted(app)
        # 8 h is the full bar; 4.5 h is over 4/8 of it, so the 5th of eight; an empty week a blank; 2 h is 2/8, the 2nd.
        assert "Acme | " + " " * 8 + "█▅ ▂ |" in shown
        assert "Brill | " + " " * 12 + " |" in shown
        assert any("This week  2.0 h of 10 h" in line for line in lines)  # 1 h logged + 1 h booked (B1), tam-a's cap (B2)
        assert "Sessions   3 of 4 left in 2026-11" in shown  # tam-a's 4, one booked (S3)
        assert "0 held · 0 cancelled · 1 ahead" in shown
        await play(pilot, ("down",))
        assert "This week  0.0 h of 10 h" in screen_text(app)


@SIZES
@pytest.mark.parametrize("scene", ["reports", "customers"])
def test_the_reports_and_customers_screens_look_as_stored(scene, size, demo, snap_compare):
    async def open_scene(pilot: Pilot[object]) -> None:
        await play(pilot, SCENES[scene])

    assert snap_compare(desk_app(demo), terminal_size=size, run_before=open_scene)


@SIZES
async def test_s_on_the_week_writes_the_timesheet_the_cli_writes(size, demo, demo_url, documents, capsys):
    app = desk_app(demo)
    async with app.run_test(size=size) as pilot:
        await play(pilot, ("right", "s"))  # next week, 30 Nov to 6 Dec: ISO week 49
        assert field(app, "#day") == "2026-11-30" and field(app, "#path") == "~/Documents/timesheet-2026-W49.md"
        await play(pilot, ("tab", "space"))  # CSV: the suggested name follows the format
        assert field(app, "#path") == "~/Documents/timesheet-2026-W49.csv"
        await play(pilot, ("ctrl+s",))
    written = documents / "timesheet-2026-W49.csv"
    assert f"Timesheet for 2026-W49 written to {written}." in app.said
    code, _, _ = runner(demo_url, capsys)("report", "week", "--date", "2026-11-30", "--format", "csv", "-o", str(documents / "cli.csv"))
    assert code == 0 and written.read_bytes() == (documents / "cli.csv").read_bytes()


async def test_a_timesheet_for_a_day_that_is_no_date_says_why_and_writes_nothing(demo, documents):
    before = table_rows(demo)
    app = desk_app(demo)
    async with app.run_test(size=SMALL) as pilot:
        await type_in(pilot, ("s", "ctrl+a", "ctrl+k", *typed("someday"), "ctrl+s"))
        assert field(app, "#day") == "someday"
        assert "✗" in "\n".join(painted(app)) and "someday" in screen_text(app)
    assert list(documents.iterdir()) == []
    assert table_rows(demo) == before
