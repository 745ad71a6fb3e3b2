"""Make every SVG in this folder from the demo desk at a fixed clock.

Run from the repository's root:  python screenshots/make.py [SCENE ...]  (no names: every scene)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The scenes live beside the snapshot tests that check them (tests/tui/scenes.py),
# outside the shipped package: the repository's root is where they are found.
sys.path.insert(0, str(HERE.parent))

from tamdesk.tui.app import DeskApp  # noqa: E402
from tests.tui.scenes import SCENES, SIZE, demo_desk, play  # noqa: E402


async def shoot(desk_file: Path, name: str, keys: tuple[str, ...]) -> Path:
    """Save one scene as ``<name>.svg`` next to this script."""
    desk = demo_desk(desk_file, name)
    app = DeskApp(desk, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await play(pilot, keys)
        path = app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    desk.close()
    return Path(path)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        desk_file = Path(folder) / "demo.sqlite"
        for name in sys.argv[1:] or SCENES:
            print(asyncio.run(shoot(desk_file, name, SCENES[name])).relative_to(HERE.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
