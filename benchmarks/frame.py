"""Frames as a terminal sees them: time to the first one, and from a key press to the next.

A program is started on a pseudo-terminal of the desk's size (120x40), the
same device a terminal emulator gives it, so Textual's own driver, compositor
and output all count, as they do for a TAM. The terminal answers Textual's
question about synchronized output (mode 2026) the way kitty, WezTerm, foot or
iTerm2 do, so Textual brackets every frame it writes between "begin" and "end
of frame" sequences: a frame is complete when its "end" arrives. A figure is
the wall time from just before the process starts (or the key is sent) until
the end of the first frame that shows a marker only that frame contains.
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

COLUMNS, ROWS = 120, 40

#: A bare Textual app with the same kinds of widgets as the Week screen that
#: imports the libraries the Week screen needs but reads no data.
BARE_APP = Path(__file__).with_name("bare_app.py")

#: Textual's question whether the terminal can synchronize output, and the
#: answer "yes, it can (currently off)".
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_ANSWER = b"\x1b[?2026;2$y"
FRAME_END = b"\x1b[?2026l"
RIGHT, LEFT = b"\x1b[C", b"\x1b[D"

_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]")


class Terminal:
    """A program running on a pty of COLUMNS x ROWS, read as it writes."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS), **(env or {})}
        self.leader = leader
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=follower, stdout=follower, stderr=follower, env=full_env, start_new_session=True
        )
        os.close(follower)
        self._unread = b""  # what came since the last frame waited for
        self._answered = False

    def frame_with(self, marker: str, since: float, timeout: float = 60.0) -> float:
        """Seconds from ``since`` until the end of a frame showing ``marker``.

        What was read up to the end of that frame is consumed.
        """
        wanted = marker.encode()
        deadline = time.perf_counter() + timeout
        while (end := self._frame_end_after(wanted)) < 0:
            self._read(marker, deadline, timeout)
        self._unread = self._unread[end:]
        return time.perf_counter() - since

    def _frame_end_after(self, wanted: bytes) -> int:
        """Where the first frame holding ``wanted`` ends in what was read; -1 until it has."""
        if not self._answered:  # no synchronized output: the marker's text is all there is
            return len(self._unread) if wanted in _ESCAPES.sub(b"", self._unread) else -1
        start = 0
        while (end := self._unread.find(FRAME_END, start)) >= 0:
            end += len(FRAME_END)
            if wanted in _ESCAPES.sub(b"", self._unread[:end]):
                return end
            start = end
        return -1

    def _read(self, marker: str, deadline: float, timeout: float) -> None:
        ready, _, _ = select.select([self.leader], [], [], max(deadline - time.perf_counter(), 0.0))
        if not ready:
            raise TimeoutError(f"{marker!r} did not appear within {timeout} s; the screen had: {self.tail()!r}")
        try:
            chunk = os.read(self.leader, 65536)
        except OSError:  # the program ended
            raise RuntimeError(f"the program ended before {marker!r} appeared: {self.tail()!r}") from None
        self._unread += chunk
        if not self._answered and SYNC_QUERY in self._unread:
            os.write(self.leader, SYNC_ANSWER)
            self._answered = True

    def press(self, key: bytes) -> float:
        """Send ``key`` as the keyboard would; the moment it was sent."""
        sent = time.perf_counter()
        os.write(self.leader, key)
        return sent

    def peak_kib(self) -> int:
        """The program's peak resident set (VmHWM) from /proc; 0 where /proc is missing."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def tail(self) -> str:
        """The last text read, escapes taken out, for error messages."""
        return _ESCAPES.sub(b"", self._unread).decode("utf-8", "replace")[-400:]

    def close(self) -> None:
        """Stop the program, draining what it writes while it restores the terminal."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 5
        while self.process.poll() is None and time.monotonic() < deadline:
            if select.select([self.leader], [], [], 0.05)[0]:
                try:
                    os.read(self.leader, 65536)
                except OSError:
                    break
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.leader)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def first_frame(argv: list[str], marker: str, *, env: dict[str, str] | None = None, timeout: float = 60.0) -> float:
    """Seconds from process start to the end of the first frame showing ``marker``."""
    with Terminal(argv, env) as terminal:
        return terminal.frame_with(marker, terminal.started, timeout)
