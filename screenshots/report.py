"""Make ``report-customer.png``: the demo's customer report as HTML, drawn by headless Chromium.

Run from the repository's root:  python screenshots/report.py
The demo desk at the same clock as the other screenshots (Monday 23 November
2026, 08:00 in Madrid); README's example customer, Umbrella GmbH.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the browser helper lives beside the tests that use it

from tamdesk.cli.main import main  # noqa: E402
from tests.browser import chromium, screenshot  # noqa: E402

CLOCK = ["--now", "2026-11-23T08:00:00+01:00", "--tz", "Europe/Madrid"]
SIZE = (1000, 2580)


def make() -> Path:
    """Load the demo into a temporary desk, write Umbrella's report, and draw it."""
    png = HERE / "report-customer.png"
    with tempfile.TemporaryDirectory() as folder:
        db, page = Path(folder) / "demo.sqlite", Path(folder) / "umbrella.html"
        assert main(["--db", str(db), *CLOCK, "demo", "--no-tui"]) == 0
        assert main(["--db", str(db), *CLOCK, "report", "customer", "umbrella", "--format", "html", "-o", str(page)]) == 0
        screenshot(chromium(), page, png, SIZE)
    return png


if __name__ == "__main__":
    print(make().relative_to(HERE.parent))
