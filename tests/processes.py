"""Servers started by tests: each binds a port of its own choosing and says which; every wait has a deadline.

A test never picks a free port by binding and closing a probe socket: between
the probe's close and the server's bind another process can take the port.
The server is told port 0, the kernel gives it a free one, and the test reads
the port the server printed. The server's output goes to a file rather than a
pipe, so a chatty server never blocks on a full pipe that nobody reads, and the
test polls that file until a line appears, the server dies, or time runs out.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

#: How long a server may take to say it is listening on a loaded 2-core machine.
START_SECONDS = 30.0


def wait_for_output(process: subprocess.Popen, log: Path, pattern: str, timeout: float = START_SECONDS) -> re.Match[str]:
    """The first match of ``pattern`` in what ``process`` wrote to ``log``; fails if it exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        text = log.read_text("utf-8", errors="replace") if log.exists() else ""
        found = re.search(pattern, text)
        if found:
            return found
        if process.poll() is not None:
            raise AssertionError(f"the process exited ({process.returncode}) before writing {pattern!r}:\n{text}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{pattern!r} not written within {timeout:.0f} s:\n{text}")
        time.sleep(0.05)


def stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """End ``process`` if it still runs, waiting at most ``timeout`` seconds for it to go."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
