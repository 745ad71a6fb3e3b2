"""The benchmark suite keeps working: CI runs it on ``small`` (figures are printed, never asserted)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.__main__ import BARE_CLI_ARGV, _environment, week_cli_argv
from benchmarks.generate import generate

ROOT = Path(__file__).resolve().parent.parent
KEYS = [
    "first_frame_s", "bare_first_frame_s", "first_frame_ratio", "demo_first_frame_s", "week_nav_p50_ms", "week_nav_p95_ms",
    "ledger_month_ms", "week_cli_s", "bare_cli_s", "week_cli_ratio", "export_s", "bare_export_s",
    "export_ratio", "export_calls", "peak_rss_mb",
    "time_log_s", "time_log_feed_s", "auto_feed_write_ratio", "export_warm_s", "export_warm_ratio", "feed_after_change_s",
]


def _rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        tables = [t for (t,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables if t != "settings"}


def test_the_generator_is_deterministic_and_realistic(tmp_path: Path) -> None:
    counts = generate(tmp_path / "a.sqlite", "small")
    generate(tmp_path / "b.sqlite", "small")
    a, b = _rows(tmp_path / "a.sqlite"), _rows(tmp_path / "b.sqlite")
    assert {k: v for k, v in a.items() if k not in ("tams", "customers")} == {
        k: v for k, v in b.items() if k not in ("tams", "customers")
    }
    assert counts["customers"] == 15 and counts["calls"] == len(a["calls"]) > 800
    assert counts["call_events"] == len(a["call_events"]) > counts["calls"]  # booked, then moved, held...
    with sqlite3.connect(tmp_path / "a.sqlite") as connection:
        actions = dict(connection.execute(
            "SELECT action || ':' || coalesce(by, ''), count(*) FROM call_events GROUP BY 1"
        ).fetchall())
        open_cases = connection.execute("SELECT count(*) FROM cases WHERE status = 'open'").fetchone()[0]
    assert actions["booked:"] == counts["calls"]
    assert actions["moved:tam"] and actions["cancelled:tam"]  # the TAM's credits carry (S6)
    assert 0 < open_cases <= 27  # never over the cap of 30 (C1); medium sits in the 90% warning (C3)
    with pytest.raises(FileExistsError):
        generate(tmp_path / "a.sqlite", "small")


def test_a_desk_of_several_tams_is_generated_each_findable_by_name(tmp_path: Path, monkeypatch) -> None:
    # The ``team`` size (50 TAMs, minutes to generate) in miniature: three TAMs of one customer each.
    # Its TAMs were inserted without their unique name key (migration 0009), so the second one failed.
    from benchmarks import generate as generator
    from tamdesk.cli.main import main

    monkeypatch.setitem(generator.SIZES, "trio", generator.Size(3, 1, 1, 2, 4))
    counts = generate(tmp_path / "trio.sqlite", "trio")
    assert counts["tams"] == 3 and counts["customers"] == 3
    assert main(["--db", str(tmp_path / "trio.sqlite"), "--as", "tam 02", "customer", "list", "--json"]) == 0


@pytest.mark.slow  # the whole benchmark on small: half a minute of processes and frames
def test_python_m_benchmarks_on_small_prints_a_table_and_writes_every_key(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--size", "small", "--runs", "1", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert list(figures) == ["small"]
    small = figures["small"]
    assert list(small) == KEYS
    assert all(isinstance(v, (int, float)) and v > 0 for v in small.values()), small
    assert small["export_calls"] == 900
    assert small["first_frame_ratio"] == round(small["first_frame_s"] / small["bare_first_frame_s"], 2)
    assert small["week_nav_p50_ms"] <= small["week_nav_p95_ms"]
    assert small["auto_feed_write_ratio"] == round(small["time_log_feed_s"] / small["time_log_s"], 2)
    assert small["export_warm_ratio"] == round(small["export_warm_s"] / small["bare_export_s"], 2)
    table = done.stdout.splitlines()
    assert table[0].split() == ["figure", "small"]
    assert [line.split()[0] for line in table[1:]] == KEYS


#: Runs a process as ``argv[1:]`` would (``-m MODULE ARGS`` or ``SCRIPT ARGS``) and, at exit, writes
#: the names in ``sys.modules`` to the file named first.
MODULES_AT_EXIT = """
import atexit, runpy, sys
out, rest = sys.argv[1], sys.argv[2:]
atexit.register(lambda: open(out, "w", encoding="utf-8").write("\\n".join(sys.modules)))
if rest[0] == "-m":
    sys.argv = rest[1:]
    runpy.run_module(rest[1], run_name="__main__", alter_sys=True)
else:
    sys.argv = rest
    runpy.run_path(rest[0], run_name="__main__")
"""


def _third_party_loaded(argv: list[str], env: dict[str, str], out: Path) -> set[str]:
    """The top-level third-party packages in ``sys.modules`` when the process ``argv`` ends."""
    done = subprocess.run([argv[0], "-c", MODULES_AT_EXIT, str(out), *argv[1:]],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    tops = {name.partition(".")[0] for name in out.read_text("utf-8").split()}
    return {t for t in tops if not t.startswith("_") and t not in sys.stdlib_module_names}


@pytest.mark.slow  # a small desk generated and three processes: seconds, like the benchmark it guards
def test_the_week_cli_floor_loads_the_same_third_party_packages_as_tamdesk_week(tmp_path: Path) -> None:
    """The floor ``week_cli_ratio`` divides by loads what ``tamdesk week --json`` loads, no more, no fewer.

    Both run as the benchmark runs them: on ``small``, in its environment, after a warm-up
    run that filled the holiday cache. Expected: the same sets, but for tamdesk itself.
    """
    db = tmp_path / "small.sqlite"
    generate(db, "small")
    env = _environment(tmp_path / "home")
    week = week_cli_argv(db)
    subprocess.run(week, env=env, check=True, capture_output=True, timeout=120)  # warm-up, as the benchmark's
    desk = _third_party_loaded(week, env, tmp_path / "week.txt")
    floor = _third_party_loaded(BARE_CLI_ARGV, env, tmp_path / "floor.txt")
    assert "sqlalchemy" in floor  # the comparison sees packages at all
    assert desk - {"tamdesk"} == floor
