"""The calendar feed's figures (issue 17): what a change costs with the auto feed set, warm exports, the server.

``python -m benchmarks.feed --size SIZE`` runs these alone, with the cold
export they are read beside (``python -m benchmarks`` runs them with every
other figure):

* ``auto_feed_write_ratio``: ``tamdesk time log 1 0.25`` on a desk with the
  auto feed set, over the same command on a copy without it, run in turns
  (median of each), so both see the same load;
* ``export_warm_ratio``: ``tamdesk export ics -o FILE`` after one change to
  one call, the cache filled by the export before (median), over the bare
  icalendar floor of the same events (``bare_export.py``);
* ``feed_after_change_s``: ``tamdesk feed serve``'s answer to the first
  request after one change to one call (median), the server warm.

The one change is made straight in SQLite, outside the timing: one call's
agenda and sequence, as an edit would leave them; the 0007 triggers see it
as they see any change.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Callable

from benchmarks.generate import NOW, TAM_TZ

#: How long the feed server may take to say where it listens, on a loaded machine with a cold cache.
SERVER_START_SECONDS = 300.0


def desk_args(db: Path) -> list[str]:
    return ["--db", str(db), "--now", NOW.isoformat(), "--tz", TAM_TZ]


def tamdesk(db: Path, *args: str) -> list[str]:
    """The argv of ``tamdesk ARGS`` on ``db`` at the benchmarks' clock."""
    return [sys.executable, "-m", "tamdesk", *desk_args(db), *args]


def copy_desk(source: Path, target: Path) -> Path:
    """A copy of the desk at ``source`` (SQLite's backup: whatever its WAL still holds comes along)."""
    with sqlite3.connect(source) as old, sqlite3.connect(target) as new:
        old.backup(new)
    return target


def change_one_call(db: Path, step: int) -> None:
    """One change to one call, as an edit of its agenda leaves it (a new agenda, the sequence raised)."""
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE calls SET agenda = ?, sequence = sequence + 1 WHERE id = (SELECT min(id) FROM calls)",
            (f"Agenda, edit {step}",),
        )


def empty_cache(db: Path) -> None:
    """The feed's cache emptied: the next export is a cold one, as on a desk that never exported."""
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM feed_events")
        connection.execute("DELETE FROM feed_pieces")


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def median_wall(argv: list[str], env: dict[str, str], runs: int, before: Callable[[int], None]) -> float:
    """The median wall time of ``argv`` over ``runs`` runs after a warm-up, ``before(run)`` done first, untimed."""
    before(-1)
    subprocess.run(argv, env=env, check=True, capture_output=True)  # warm-up
    times = []
    for run in range(runs):
        before(run)
        times.append(timed(argv, env))
    return statistics.median(times)


def auto_feed_write(db: Path, work: Path, env: dict[str, str], runs: int) -> tuple[float, float]:
    """(``time log`` without the auto feed, with it): medians in seconds, the two run in turns."""
    plain = copy_desk(db, work / "time-log-plain.sqlite")
    fed = copy_desk(db, work / "time-log-feed.sqlite")
    subprocess.run(tamdesk(fed, "export", "ics", "--auto", str(work / "auto-feed.ics")), env=env, check=True, capture_output=True)
    command = ("time", "log", "1", "0.25")
    for db_ in (plain, fed):  # warm-up
        subprocess.run(tamdesk(db_, *command), env=env, check=True, capture_output=True)
    without, with_feed = [], []
    for _ in range(runs):
        without.append(timed(tamdesk(plain, *command), env))
        with_feed.append(timed(tamdesk(fed, *command), env))
    return statistics.median(without), statistics.median(with_feed)


def warm_export(db: Path, work: Path, env: dict[str, str], runs: int) -> float:
    """``export ics -o FILE`` after one change, the cache filled by the export before: median seconds."""
    warm = copy_desk(db, work / "export-warm.sqlite")
    argv = tamdesk(warm, "export", "ics", "-o", str(work / "export-warm.ics"))
    subprocess.run(argv, env=env, check=True, capture_output=True)  # fills the cache
    return median_wall(argv, env, runs, lambda run: change_one_call(warm, run))


def feed_after_change(db: Path, work: Path, env: dict[str, str], runs: int) -> float:
    """The feed server's answer to the first request after one change: median seconds, the server warm."""
    served = copy_desk(db, work / "feed-serve.sqlite")
    log = work / "feed-serve.log"
    with log.open("w") as stderr:
        server = subprocess.Popen(tamdesk(served, "feed", "serve", "--port", "0"), env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        url = _served_url(server, log)
        _get(url)  # warm: the server built the feed when it started; this reads it once
        times = []
        for run in range(runs + 1):
            change_one_call(served, 100 + run)
            started = time.perf_counter()
            body = _get(url)
            times.append(time.perf_counter() - started)
            assert f"edit {100 + run}".encode() in body, "the server did not answer the change"
        return statistics.median(times[1:])  # the first is the warm-up
    finally:
        server.terminate()
        server.wait(timeout=30)


def _served_url(server: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        found = re.search(r"http://127\.0\.0\.1:\d+/calendar\.ics", log.read_text("utf-8", errors="replace"))
        if found:
            return found.group(0)
        if server.poll() is not None:
            raise RuntimeError(f"feed serve exited: {log.read_text('utf-8', errors='replace')}")
        time.sleep(0.05)
    raise RuntimeError("feed serve did not start in time")


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as answer:
        return answer.read()


def measure_feed(db: Path, work: Path, env: dict[str, str], runs: int, bare_export_s: float) -> dict[str, float]:
    """The feed's figures on the desk at ``db`` (each on a copy of its own), ratios of the figures as printed."""
    without, with_feed = auto_feed_write(db, work, env, runs)
    warm = warm_export(db, work, env, runs)
    after_change = feed_after_change(db, work, env, runs)
    return {
        "time_log_s": round(without, 3),
        "time_log_feed_s": round(with_feed, 3),
        "auto_feed_write_ratio": round(round(with_feed, 3) / round(without, 3), 2),
        "export_warm_s": round(warm, 3),
        "export_warm_ratio": round(round(warm, 3) / round(bare_export_s, 3), 2),
        "feed_after_change_s": round(after_change, 3),
    }


def main(argv: list[str] | None = None) -> int:
    """These figures alone, with the cold export and the floor they are read against."""
    from benchmarks.__main__ import RUNS, _environment, exports
    from benchmarks.generate import SIZES, generate

    parser = argparse.ArgumentParser(prog="python -m benchmarks.feed", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tamdesk-bench-feed-") as folder:
        work = Path(folder)
        db = work / f"{args.size}.sqlite"
        generate(db, args.size)
        env = _environment(work / "home")
        export_s, bare_s, count = exports(db, env, work, args.runs)
        figures = {
            "export_s": round(export_s, 3),
            "bare_export_s": round(bare_s, 3),
            "export_ratio": round(round(export_s, 3) / round(bare_s, 3), 2),
            "export_calls": count,
            **measure_feed(db, work, env, args.runs, bare_s),
        }
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
