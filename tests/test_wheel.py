"""The built wheel installs into a fresh virtual environment and runs from there."""

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_runs_the_demo(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("tamdesk-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    # run outside the checkout so only the installed package (and its data) can answer
    env = {**os.environ, "TAMDESK_DB": str(tmp_path / "wheel.sqlite"), "TAMDESK_NOW": "2026-11-23T08:00:00+01:00",
           "TAMDESK_TZ": "Europe/Madrid", "PYTHONPATH": ""}
    tamdesk = str(bin_dir / "tamdesk")
    demo = subprocess.run([tamdesk, "demo", "--no-tui"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr
    week = subprocess.run([tamdesk, "week", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert week.returncode == 0, week.stderr
    data = json.loads(week.stdout)
    assert data["week"] == "2026-W48" and len(data["customers"]) == 12
