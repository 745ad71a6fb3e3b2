"""Make every SVG in this folder from the demo desk at a fixed clock.

Run from the repository's root:  python screenshots/make.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from tamdesk.tui.app import DeskApp
from tamdesk.tui.scenes import SCENES, SIZE, demo_desk, play

HERE = Path(__file__).resolve().parent


async def shoot(desk_file: Path, name: str, keys: tuple[str, ...]) -> Path:
    """Save one scene as ``<name>.svg`` next to this script."""
    desk = demo_desk(desk_file)
    app = DeskApp(desk, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await play(pilot, keys)
        path = app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    desk.close()
    return Path(path)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        desk_file = Path(folder) / "demo.sqlite"
        for name, keys in SCENES.items():
            print(asyncio.run(shoot(desk_file, name, keys)).relative_to(HERE.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
