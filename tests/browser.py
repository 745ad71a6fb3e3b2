"""Headless Chromium for what looks at an HTML page: the report's test and the README's screenshot.

Debian's ``chromium`` (``.ci/run`` installs it). Each run gets its own profile
folder, so runs in parallel never wait on one another's lock.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chromium() -> str:
    """The browser's path; missing, the test fails under CI (``CI`` set) and is skipped elsewhere."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: .ci/run installs it (apt-get install chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium); CI runs this test")


def _run(browser: str, page: Path, *options: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}",
             *options, page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def screenshot(browser: str, page: Path, png: Path, size: tuple[int, int]) -> None:
    """``page`` drawn at ``size`` (width, height in CSS pixels) into ``png``."""
    _run(browser, page, f"--screenshot={png}", f"--window-size={size[0]},{size[1]}")


def dom_text(browser: str, page: Path) -> str:
    """The text of ``page``'s DOM once the browser has built it (``--dump-dom``), whitespace folded."""
    parser = _Text()
    parser.feed(_run(browser, page, "--dump-dom").stdout)
    return " ".join(" ".join(parser.parts).split())


class _Text(HTMLParser):
    """The text nodes of a document, outside ``style`` and ``script``."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skipping += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skipping -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def png_size(png: Path) -> tuple[int, int]:
    """A PNG's width and height, read from its IHDR chunk (the first, right after the signature)."""
    head = png.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE and head[12:16] == b"IHDR", f"{png} is not a PNG"
    return struct.unpack(">II", head[16:24])
