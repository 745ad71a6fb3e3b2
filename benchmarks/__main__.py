"""``python -m benchmarks --size small|medium|team [--db-url URL] [--out FILE.json]``: every benchmark on one size.

Each figure is printed beside its floor, the best this stack allows, and their
ratio. Process timings are medians of several runs after one warm-up run (which
compiles bytecode and fills the holiday cache, as any second start of the desk
finds them). Nothing here is asserted: CI runs ``small`` to keep it working.

With ``--db-url`` naming a PostgreSQL server, each size's desk is also moved
into a database of its own there (``tamdesk_bench_SIZE``, made anew) by
``tamdesk migrate``, so both engines hold the same rows, and the
figures a team reads on a shared database (first frame, the week's ``→``, a
month's ledger) are measured on it too, printed beside SQLite's with a ``pg_``
prefix (issue 19).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.feed import empty_cache, measure_feed, median_wall
from benchmarks.frame import BARE_APP, LEFT, RIGHT, Terminal, first_frame
from benchmarks.generate import NOW, SIZES, TAM_TZ, generate
from tamdesk.domain.periods import iso_week_of

RUNS = 5
#: What only a complete first frame shows: the desk's hours total, the bare app's last panel.
DESK_READY = "You:"
BARE_READY = "bare app ready"
#: What ``tamdesk demo``'s first frame shows: the loading screen's title.
DEMO_READY = "Loading the demo"
ROOT = Path(__file__).resolve().parent.parent


def _environment(home: Path) -> dict[str, str]:
    """The children's environment: their own cache and config folders, bytecode allowed."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for var, sub in (("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")):
        env[var] = str(home / sub)
    env["PYTHONPATH"] = str(ROOT)
    return env


def _desk_args(db: Path | str) -> list[str]:
    return ["--db", str(db), "--now", NOW.isoformat(), "--tz", TAM_TZ]


def week_cli_argv(db: Path) -> list[str]:
    """``tamdesk week --json`` on ``db``, as timed."""
    return [sys.executable, "-m", "tamdesk", *_desk_args(db), "week", "--json"]


#: Its floor: a bare process importing what ``tamdesk week --json`` loads (``bare_cli.py``).
BARE_CLI_ARGV = [sys.executable, str(Path(__file__).with_name("bare_cli.py"))]


def _median_wall(argv: list[str], env: dict[str, str], runs: int) -> float:
    return median_wall(argv, env, runs, lambda run: None)


def first_frames(db: Path | str, env: dict[str, str], runs: int) -> tuple[float, float]:
    """(desk's first frame, bare app's first frame), medians in seconds."""
    desk = [sys.executable, "-m", "tamdesk", *_desk_args(db)]
    bare = [sys.executable, str(BARE_APP)]
    first_frame(desk, DESK_READY, env=env)  # warm-up
    first_frame(bare, BARE_READY, env=env)
    desk_runs = [first_frame(desk, DESK_READY, env=env) for _ in range(runs)]
    bare_runs = [first_frame(bare, BARE_READY, env=env) for _ in range(runs)]
    return statistics.median(desk_runs), statistics.median(bare_runs)


def demo_first_frame(work: Path, env: dict[str, str], runs: int) -> float:
    """``tamdesk demo``'s first frame (the load's progress), median in seconds, each run on a fresh demo path.

    Each run has a data folder of its own, so the demo goes into a new
    ``demo.sqlite`` there and is loaded anew, as on a TAM's first try.
    """
    times = []
    for run in range(runs + 1):  # the first is the warm-up, as for the desk's own first frame
        fresh = {**env, "XDG_DATA_HOME": str(work / f"demo-run-{run}")}
        argv = [sys.executable, "-m", "tamdesk", "--now", NOW.isoformat(), "--tz", TAM_TZ, "demo"]
        times.append(first_frame(argv, DEMO_READY, env=fresh))
    return statistics.median(times[1:])


def week_navigation(db: Path | str, env: dict[str, str], presses: int = 50) -> tuple[float, float, float]:
    """Median and 95th percentile in ms of ``→`` until the new week's frame is complete; the desk's peak MB.

    The desk is driven on a pty as a TAM drives it. It first goes ``presses``
    weeks back with ``←`` (not timed), so that the timed ``→`` presses walk
    through weeks full of history (calls held, time logged, holidays) up to
    this week, rather than through empty weeks ahead. The peak memory is
    read at the end, after the first frame and every week shown.
    """
    argv = [sys.executable, "-m", "tamdesk", *_desk_args(db)]
    with Terminal(argv, env) as terminal:
        terminal.frame_with(DESK_READY, terminal.started)
        monday = iso_week_of(NOW.astimezone(ZoneInfo(TAM_TZ)).date()).first
        for _ in range(presses):
            monday -= timedelta(weeks=1)
            terminal.frame_with(f"Week {iso_week_of(monday).key}", terminal.press(LEFT))
        timings = []
        for _ in range(presses):
            monday += timedelta(weeks=1)
            sent = terminal.press(RIGHT)
            timings.append(terminal.frame_with(f"Week {iso_week_of(monday).key}", sent) * 1000)
        peak = terminal.peak_kib() / 1024
    timings.sort()
    return statistics.median(timings), timings[max(0, math.ceil(len(timings) * 0.95) - 1)], peak


def ledger_month(db: Path | str, runs: int) -> float:
    """Milliseconds for one month's allowance ledger of every customer (median)."""
    from tamdesk.domain.periods import parse_month
    from tamdesk.services.desk import Desk
    from tamdesk.services.reports import allowance_report

    desk = Desk.open(str(db), now=NOW, tz=TAM_TZ)
    try:
        allowance_report(desk, parse_month("2026-11"))
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            allowance_report(desk, parse_month("2026-11"))
            times.append((time.perf_counter() - started) * 1000)
    finally:
        desk.close()
    return statistics.median(times)


def exports(db: Path, env: dict[str, str], work: Path, runs: int) -> tuple[float, float, int]:
    """(full ``export ics`` command, cold, bare icalendar serialization of the same events, events).

    The export is timed cold: the feed's cache is emptied before each run, so
    every event is serialized, as on a desk's first export (its pieces stored
    after it are part of the time); ``export_warm_ratio`` times a warm one.
    """
    target = work / "export.ics"
    export_s = median_wall(
        [sys.executable, "-m", "tamdesk", *_desk_args(db), "export", "ics", "-o", str(target)], env, runs,
        lambda run: empty_cache(db),
    )
    tuples = work / "events.json"
    count = _plain_events(db, tuples)
    bare_s = _median_wall([sys.executable, str(Path(__file__).with_name("bare_export.py")), str(tuples)], env, runs)
    return export_s, bare_s, count


def _plain_events(db: Path, out: Path) -> int:
    """The TAM's calls as plain tuples, as the bare serializer reads them."""
    import sqlite3

    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT c.uid, c.sequence, c.starts_at, c.minutes, k.tz, k.name, c.agenda, c.status, k.plan, c.updated_at"
            " FROM calls c JOIN customers k ON k.id = c.customer_id"
            " WHERE c.tam_id = (SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'current_tam')"
            " ORDER BY c.starts_at, c.id"
        ).fetchall()
    out.write_text(json.dumps(rows))
    return len(rows)


def server_database(server_url: str, name: str) -> str:
    """A new, empty database ``name`` on the PostgreSQL server of ``server_url`` (dropped first if it exists); its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def measure_server(size: str, desk: Path, server_url: str, env: dict[str, str], runs: int) -> dict[str, float]:
    """The team's figures on PostgreSQL: the size's desk, moved by ``tamdesk migrate`` into a database of its own there."""
    from tamdesk.services.migrate import migrate_desk

    url = server_database(server_url, f"tamdesk_bench_{size}")
    move = migrate_desk(str(desk), url)
    if not move.same:
        raise SystemExit(f"{size}: the copy on PostgreSQL differs from the generated desk")
    rows = sum(check.rows for check in move.tables)
    print(f"{size}: moved to PostgreSQL, {rows} rows in {move.seconds:.1f} s, every table checked", file=sys.stderr)
    first, _ = first_frames(url, env, runs)
    nav_p50, nav_p95, _ = week_navigation(url, env)
    return {
        "pg_migrate_s": round(move.seconds, 1),
        "pg_first_frame_s": round(first, 3),
        "pg_week_nav_p50_ms": round(nav_p50, 1),
        "pg_week_nav_p95_ms": round(nav_p95, 1),
        "pg_ledger_month_ms": round(ledger_month(url, runs), 1),
    }


def measure(size: str, work: Path, runs: int = RUNS, server_url: str | None = None) -> dict[str, float | int]:
    db = work / f"{size}.sqlite"
    counts = generate(db, size)
    print(f"{size}: generated {counts}", file=sys.stderr)
    env = _environment(work / "home")
    first, bare_first = first_frames(db, env, runs)
    demo_first = demo_first_frame(work, env, runs)
    nav_p50, nav_p95, peak = week_navigation(db, env)
    ledger = ledger_month(db, runs)
    week_cli = _median_wall(week_cli_argv(db), env, runs)
    bare_cli = _median_wall(BARE_CLI_ARGV, env, runs)
    export_s, bare_export_s, calls = exports(db, env, work, runs)
    feed = measure_feed(db, work, env, runs, bare_export_s)
    # Each ratio is of the figures as printed, so the table reads true to whoever divides them.
    return {
        "first_frame_s": round(first, 3),
        "bare_first_frame_s": round(bare_first, 3),
        "first_frame_ratio": round(round(first, 3) / round(bare_first, 3), 2),
        "demo_first_frame_s": round(demo_first, 3),
        "week_nav_p50_ms": round(nav_p50, 1),
        "week_nav_p95_ms": round(nav_p95, 1),
        "ledger_month_ms": round(ledger, 1),
        "week_cli_s": round(week_cli, 3),
        "bare_cli_s": round(bare_cli, 3),
        "week_cli_ratio": round(round(week_cli, 3) / round(bare_cli, 3), 2),
        "export_s": round(export_s, 3),
        "bare_export_s": round(bare_export_s, 3),
        "export_ratio": round(round(export_s, 3) / round(bare_export_s, 3), 2),
        "export_calls": calls,
        "peak_rss_mb": round(peak, 1),
        **feed,
        **(measure_server(size, db, server_url, env, runs) if server_url else {}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), required=True, action="append",
                        help="small, medium or team; repeat to run several")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON, keyed by size")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed runs per process figure (default {RUNS})")
    parser.add_argument("--db-url", help="a PostgreSQL server (postgresql+psycopg://USER:PASSWORD@HOST/DB): "
                        "also measure the team's figures on a database of their own there")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, float | int]] = {}
    with tempfile.TemporaryDirectory(prefix="tamdesk-bench-") as folder:
        for size in args.size:
            results[size] = measure(size, Path(folder), args.runs, args.db_url)
    keys = list(next(iter(results.values())))
    print(f"{'figure':22}" + "".join(f"{size:>12}" for size in results))
    for key in keys:
        print(f"{key:22}" + "".join(f"{results[size][key]:>12}" for size in results))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
