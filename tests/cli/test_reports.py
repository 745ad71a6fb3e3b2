"""``report customer`` and ``report week`` on the command line: files, notes, the CSV read back, the page in a browser."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import pytest

from tamdesk.services.customer_report import NOTES_HEADING, SECTIONS
from tests.browser import chromium, dom_text, png_size, screenshot
from tests.cli.conftest import changes_nothing, runner

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def demo_run(demo_url, demo_holidays, capsys):
    """``tamdesk ARGS`` on this test's copy of the demo desk (Monday 23 November 2026, 08:00 in Madrid)."""
    return runner(demo_url, capsys)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------- report customer


def test_the_readme_example_shows_every_section_with_content(demo_run):
    # README's example: Umbrella GmbH (premium, Berlin) over November so far.
    code, out, err = demo_run("report", "customer", "umbrella")
    assert code == 0, err
    sections = {heading: part for heading, part in _sections(out).items()}
    assert list(sections) == list(SECTIONS.values())  # every section, in order, and no notes unasked
    assert "All times are in Europe/Berlin" in out
    # Each section has rows of its own, not its "nothing here" sentence.
    for heading, part in sections.items():
        assert "\n| " in part or "\n- " in part, f"{heading} has no content:\n{part}"
    for empty in ("No calls in this period", "No open cases", "No problems open", "no regular deliverables", "No calls booked yet"):
        assert empty not in out


def _sections(markdown: str) -> dict[str, str]:
    """The Markdown's ``## `` sections by heading."""
    parts = markdown.split("\n## ")[1:]
    return {part.split("\n", 1)[0]: part.split("\n", 1)[1] for part in parts}


def test_output_file_is_written_whole_and_private_only_with_notes(demo_run, tmp_path):
    plain, noted = tmp_path / "umbrella.md", tmp_path / "umbrella-notes.md"
    code, out, _ = demo_run("report", "customer", "umbrella")
    assert demo_run("report", "customer", "umbrella", "-o", str(plain))[0] == 0
    assert demo_run("report", "customer", "umbrella", "--include-notes", "-o", str(noted))[0] == 0
    assert plain.read_text(encoding="utf-8") == out  # -o writes what stdout prints
    assert NOTES_HEADING not in plain.read_text(encoding="utf-8")
    assert f"## {NOTES_HEADING}" in noted.read_text(encoding="utf-8")
    # Notes make a new file private, as the export does (X2); without them it is readable as any document.
    assert (mode(plain), mode(noted)) == (0o644, 0o600)
    # An existing file keeps its mode, never loosened: a private report rewritten without notes stays private.
    assert demo_run("report", "customer", "umbrella", "-o", str(noted))[0] == 0
    assert mode(noted) == 0o600 and NOTES_HEADING not in noted.read_text(encoding="utf-8")


@pytest.mark.sqlite_only  # the database as a file
def test_a_report_onto_the_database_is_refused(run, db_url, customer):
    customer("Acme")
    code, _, err = changes_nothing(run, db_url, "report", "customer", "acme", "-o", str(db_url))
    assert code == 2 and "database" in err


@pytest.mark.parametrize(
    "args",
    [
        ("report", "customer", "acme", "--from", "2026-11-10", "--to", "2026-11-09"),  # ends before it starts
        ("report", "customer", "nobody"),
        ("report", "customer", "acme", "--format", "pdf"),
        ("report", "week", "--format", "xlsx"),
        ("report", "week", "--date", "someday"),
    ],
)
def test_bad_report_input_exits_2_and_changes_nothing(run, db_url, customer, args):
    customer("Acme")
    code, out, _ = changes_nothing(run, db_url, *args)
    assert code == 2 and out == ""


# ---------------------------------------------------------------- report week


@pytest.fixture
def week_desk(run):
    """W48 (Mon 23 - Sun 29 Nov 2026, Madrid): Acme 2 h logged today, a call booked Tue 24 10:00 New
    York (16:00 Madrid) and one Mon 23 18:30 New York, which is Tue 24 00:30 in Madrid (T3: the TAM's
    Tuesday; booked as an exception, T5/T8); Beta, capped at 2 h, 2.5 h logged today, confirmed over the cap (B2)."""
    for args in (
        ("customer", "add", "Acme", "--plan", "tam-a", "--tz", "America/New_York", "--country", "US", "--since", "2026-01-01"),
        ("customer", "add", "Beta", "--plan", "tam-c", "--tz", "Europe/London", "--country", "GB", "--hours-cap", "2"),
        ("time", "log", "Acme", "2"),
        ("time", "log", "Beta", "2.5", "--force"),
        ("session", "book", "Acme", "2026-11-24T10:00"),
        ("session", "book", "Acme", "2026-11-23T18:30", "--force"),
    ):
        code, _, err = run(*args)
        assert code == 0, (args, err)
    return run


def test_the_week_csv_reads_back_with_the_weeks_totals(week_desk, tmp_path):
    target = tmp_path / "week.csv"
    assert week_desk("report", "week", "--date", "2026-11-25", "--format", "csv", "-o", str(target))[0] == 0
    raw = target.read_bytes()
    assert raw.startswith(BOM)  # a spreadsheet reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    days = [f"2026-11-{d}" for d in range(23, 30)]  # ISO dates as the day columns
    assert list(rows[0]) == ["customer", "plan", *days, "logged", "booked", "total", "cap", "over_cap"]
    by_name = {row["customer"]: row for row in rows}
    # By hand (B1: logged plus booked and not held, on the TAM's days): Acme 2 h Monday, both 1 h calls
    # on the TAM's Tuesday; Beta 2.5 h Monday, over its 2 h cap; the TAM 4.5 h Monday, 2 h Tuesday,
    # 6.5 h against 40 (B4).
    assert [by_name["Acme"][d] for d in days] == ["2.00", "2.00", "0.00", "0.00", "0.00", "0.00", "0.00"]
    assert [by_name["Acme"][k] for k in ("logged", "booked", "total", "cap", "over_cap")] == ["2.00", "2.00", "4.00", "10", "no"]
    assert [by_name["Beta"][k] for k in ("2026-11-23", "logged", "booked", "total", "cap", "over_cap")] == ["2.50", "2.50", "0.00", "2.50", "2", "yes"]
    assert [by_name["Total"][k] for k in ("2026-11-23", "2026-11-24", "logged", "booked", "total", "cap", "over_cap")] == [
        "4.50", "2.00", "4.50", "2.00", "6.50", "40", "no"
    ]
    # The same totals as `tamdesk week` shows for that week, and each customer's days add up to its total.
    _, out, _ = week_desk("week", "--date", "2026-11-25", "--json")
    for customer in json.loads(out)["customers"]:
        row = by_name[customer["customer"]]
        assert float(row["total"]) == customer["total_hours"]
        assert round(sum(float(row[d]) for d in days), 2) == float(row["total"])


def test_the_week_markdown_rows(week_desk):
    code, out, _ = week_desk("report", "week")
    assert code == 0
    lines = out.splitlines()
    assert "| Acme | tam-a | 2.00 | 2.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 2.00 | 2.00 | 4.00 | 10 |" in lines
    assert "| Beta | tam-c | 2.50 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 2.50 | 0.00 | 2.50 (over) | 2 |" in lines
    assert "| **Total** | | 4.50 | 2.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 4.50 | 2.00 | 6.50 | 40 |" in lines


def test_the_week_csv_on_stdout_is_the_file(week_desk, tmp_path):
    target = tmp_path / "week.csv"
    _, out, _ = week_desk("report", "week", "--format", "csv")
    assert week_desk("report", "week", "--format", "csv", "-o", str(target))[0] == 0
    assert out == target.read_bytes().decode("utf-8")  # `> week.csv` gives the same file, its BOM too
    assert mode(target) == 0o644  # a timesheet holds no notes


def test_reports_import_no_textual_and_the_csv_no_jinja2(week_desk, db_url):
    from tests.cli.test_import_hygiene import modules_after

    def loaded(*args: str) -> set[str]:
        argv = ["--db", str(db_url), "--now", "2026-11-23T08:00:00+01:00", "--tz", "Europe/Madrid", *args]
        return modules_after(
            f"import contextlib, io\nfrom tamdesk.cli.main import main\nwith contextlib.redirect_stdout(io.StringIO()):\n"
            f"    assert main({argv!r}) == 0"
        )

    customer = loaded("report", "customer", "acme", "--format", "html")
    assert "textual" not in customer and "jinja2" in customer
    assert not {"textual", "jinja2"} & loaded("report", "week", "--format", "csv")


# ---------------------------------------------------------------- the page in a browser


@pytest.mark.slow
@pytest.mark.browser
def test_the_html_page_renders_in_chromium_with_every_section(demo_run, tmp_path):
    browser = chromium()  # fails under CI when missing, skips elsewhere
    page, png = tmp_path / "umbrella.html", tmp_path / "umbrella.png"
    assert demo_run("report", "customer", "umbrella", "--format", "html", "--include-notes", "-o", str(page))[0] == 0
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http" not in html.split("</style>", 1)[1]  # nothing to run, nothing to fetch
    screenshot(browser, page, png, (1024, 1600))
    assert png_size(png) == (1024, 1600)
    text = dom_text(browser, page)
    for heading in (*SECTIONS.values(), NOTES_HEADING):
        assert heading in text, heading
    assert "Service report: Umbrella GmbH" in text and "Europe/Berlin" in text
