"""Every screen and the main dialogs, compared with their stored SVG at a fixed clock and size.

The scenes are the ones ``screenshots/make.py`` saves for the README. After a
deliberate change of the screens, update the stored SVGs with
``python -m pytest tests/tui/test_snapshots.py --snapshot-update`` and look at them.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import desk_app
from tests.tui.scenes import AS_TAM, SCENES, SIZE, as_seen, play


@pytest.mark.parametrize("scene", list(SCENES))
def test_scene_looks_as_stored(scene, demo, demo_url, snap_compare):
    async def open_scene(pilot: Pilot[object]) -> None:
        await play(pilot, SCENES[scene])

    desk = as_seen(demo_url, scene) if scene in AS_TAM else demo
    try:
        assert snap_compare(desk_app(desk), terminal_size=SIZE, run_before=open_scene)
    finally:
        if desk is not demo:
            desk.close()
