"""Time from process start to the first complete frame, in a real pseudo-terminal.

A program is started on a pty of the desk's size (120x40) and its output is
read until a marker that only the complete frame contains appears on the
screen; the figure is the wall time from just before the process was started.
The pty is what a terminal emulator gives the desk, so Textual's own driver,
compositor and output all count, as they do for a TAM.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path
from typing import Any

COLUMNS, ROWS = 120, 40

#: A bare Textual app with the same kinds of widgets as the Week screen that
#: imports the libraries the Week screen needs but reads no data.
BARE_APP = Path(__file__).with_name("bare_app.py")

_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]")


def first_frame(
    argv: list[str], marker: str, *, env: dict[str, str] | None = None, timeout: float = 60.0, peak: bool = False
) -> Any:
    """Seconds from start until ``marker`` shows on the pty; the program is then stopped.

    With ``peak``, returns (seconds, the program's peak resident memory in KiB then).
    """
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS), **(env or {})}
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdin=follower, stdout=follower, stderr=follower, env=full_env, start_new_session=True)
    os.close(follower)
    seen = b""
    wanted = marker.encode()
    try:
        while True:
            left = timeout - (time.perf_counter() - started)
            if left <= 0:
                raise TimeoutError(f"{marker!r} did not appear within {timeout} s; the screen had: {_text(seen)[-400:]!r}")
            ready, _, _ = select.select([leader], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the program ended
                raise RuntimeError(f"the program ended before {marker!r} appeared: {_text(seen)[-400:]!r}") from None
            seen += chunk
            # Textual writes a frame as runs of text between cursor moves; the
            # marker is searched in the text once escapes are taken out.
            if wanted in _ESCAPES.sub(b"", seen):
                seconds = time.perf_counter() - started
                return (seconds, _peak_kib(process.pid)) if peak else seconds
    finally:
        _stop(process, leader)


def _peak_kib(pid: int) -> int:
    """The process's peak resident set (VmHWM) from /proc; 0 where /proc is missing."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _text(raw: bytes) -> str:
    return _ESCAPES.sub(b"", raw).decode("utf-8", "replace")


def _stop(process: subprocess.Popen[bytes], leader: int) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    # Drain what the program writes while it restores the terminal, so it never blocks on a full pty.
    deadline = time.monotonic() + 5
    while process.poll() is None and time.monotonic() < deadline:
        if select.select([leader], [], [], 0.05)[0]:
            try:
                os.read(leader, 65536)
            except OSError:
                break
    if process.poll() is None:
        process.kill()
        process.wait()
    os.close(leader)
