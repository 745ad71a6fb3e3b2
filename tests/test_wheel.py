"""The built wheel installs into a fresh virtual environment and runs from there.

No package index is needed: the wheel is built with ``--no-isolation`` by the
``hatchling`` of the test extras, and installed with ``--no-index --no-deps``
into a new virtual environment that sees this one's site-packages through a
``.pth`` file (the dependencies are installed there already). Only the wheel
brings ``tamdesk`` itself: the checkout's editable install is not a package in
those folders, and the desk runs outside the checkout.
"""

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

#: The installed wheel's default desk is a SQLite file: left out of the PostgreSQL pass.
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parent.parent


def _run(argv: list[str], **options) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    """Run ``argv``; a failure shows its output, a hang fails after ten minutes."""
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, **options)
    assert done.returncode == 0, f"{argv[:4]} exited {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done


@pytest.mark.slow
def test_wheel_installs_and_runs_the_demo(tmp_path):
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)])
    wheel = next(dist.glob("tamdesk-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)  # this environment's pip installs into it (--python)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    # The dependencies (SQLAlchemy, Textual...) are this environment's: its site-packages, after the venv's own.
    site = _run([str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(site.stdout.strip()) / "test-environment.pth").write_text("\n".join(ours) + "\n", "utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(bin_dir / "python"), "install", "-q", "--no-index", "--no-deps",
          str(wheel)])
    # run outside the checkout so only the installed package (and its data) can answer
    env = {**os.environ, "TAMDESK_DB": str(tmp_path / "wheel.sqlite"), "TAMDESK_NOW": "2026-11-23T08:00:00+01:00",
           "TAMDESK_TZ": "Europe/Madrid", "PYTHONPATH": ""}
    tamdesk = str(bin_dir / "tamdesk")
    where = _run([str(bin_dir / "python"), "-c", "import tamdesk; print(tamdesk.__file__)"], cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(env_dir), where.stdout  # the wheel's copy, not the checkout's
    _run([tamdesk, "demo", "--no-tui"], cwd=tmp_path, env=env)
    week = _run([tamdesk, "week", "--json"], cwd=tmp_path, env=env)
    data = json.loads(week.stdout)
    assert data["week"] == "2026-W48" and len(data["customers"]) == 13
    # The report's templates ship inside the wheel (tamdesk/templates), the page they extend too.
    page = _run([tamdesk, "report", "customer", "umbrella", "--format", "html"], cwd=tmp_path, env=env)
    assert page.stdout.startswith("<!DOCTYPE html>") and "Service report: Umbrella GmbH" in page.stdout
