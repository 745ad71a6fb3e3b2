"""The benchmark suite keeps working: CI runs it on ``small`` (figures are printed, never asserted)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import generate

ROOT = Path(__file__).resolve().parent.parent
KEYS = [
    "first_frame_s", "bare_first_frame_s", "first_frame_ratio", "week_nav_p50_ms", "week_nav_p95_ms",
    "ledger_month_ms", "week_cli_s", "bare_cli_s", "week_cli_ratio", "export_s", "bare_export_s",
    "export_ratio", "export_calls", "peak_rss_mb",
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
    table = done.stdout.splitlines()
    assert table[0].split() == ["figure", "small"]
    assert [line.split()[0] for line in table[1:]] == KEYS
