"""The desk in a headless terminal: the app on the demo desk (``demo``, from tests/conftest.py), keys, and what the screen shows."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Input, Static

from tamdesk.services.desk import Desk
from tamdesk.tui.app import DeskApp
from tamdesk.tui.widgets.call_list import CallList
from tamdesk.tui.widgets.hours_panel import HoursPanel
from tests.tui.scenes import TAM_TZ, demo_desk, fixed_now


@pytest.fixture(autouse=True, scope="session")
def stylesheets_parsed_once() -> Any:
    """Parse each stylesheet once per run, not once per app: the tests build a thousand apps.

    Textual keeps what it parsed per app (``Stylesheet._parse_cache``), so every
    test parsed desk.tcss and every widget's own CSS again: 0.1-0.4 s of CPU a
    test, a fifth of a short one. The key is Textual's own plus the theme's
    variables, so an app with another theme parses anew; what is parsed is the
    same rule sets Textual reuses within an app.
    """
    from textual.css.stylesheet import Stylesheet

    parse = Stylesheet._parse_rules
    parsed: dict[tuple[Any, ...], Any] = {}

    def parse_once(self: Stylesheet, css: str, read_from: Any, is_default_rules: bool = False,
                   tie_breaker: int = 0, scope: str = "") -> Any:
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
        if key not in parsed:
            parsed[key] = parse(self, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stylesheet, "_parse_rules", parse_once)
        yield


@pytest.fixture(autouse=True, scope="session")
def headless_frames_not_drawn() -> Any:
    """A headless terminal's frames are not drawn: Textual draws each one, then throws it away unseen.

    ``Screen._compositor_refresh`` renders the changed part of the screen and hands it to
    ``App._display``, which writes nothing when the app is headless (as in ``run_test``).
    That drawing was three tenths of the TUI tests' CPU. Layout still happens on every
    refresh (the tests read regions, focus and what covers what); a test that reads the
    screen as painted (``painted`` in test_fit.py, the snapshots, ``save_screenshot``) has
    the whole screen drawn then, from the same widgets, and test_fit.py paints every screen
    and dialog at both sizes, so a widget that fails to draw still fails a test.
    """
    from textual.screen import Screen

    draw = Screen._compositor_refresh

    def refresh(self: Screen[Any]) -> None:
        app = self.app
        if app.is_headless and not app.is_inline and self is app.screen:
            self._compositor._dirty_regions.clear()  # as drawing them would
            self._dirty_widgets.clear()
            app._update_mouse_over(self)
            return
        draw(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Screen, "_compositor_refresh", refresh)
        yield


def desk_app(desk: Desk, poll_seconds: float = 3600) -> DeskApp:
    """The desk's app as the CLI builds it; ``app.said`` records every notification it shows."""
    app = DeskApp(desk, poll_seconds=poll_seconds)
    said: list[str] = []
    show = app.notify

    def notify(message: str, **options: Any) -> None:
        said.append(message)
        show(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    app.said = said  # type: ignore[attr-defined]
    return app


@pytest.fixture
def app(demo: Desk) -> DeskApp:
    """The desk's app on the demo data; it does not poll for outside changes unless a test asks."""
    return desk_app(demo)


def plain(value: Any, width: int = 120) -> str:
    """A widget's content as plain text; a Rich renderable (the report's preview) as drawn ``width`` cells wide."""
    if isinstance(value, Text):
        return value.plain
    if not hasattr(value, "plain") and hasattr(value, "__rich_console__"):
        console = Console(width=width, file=io.StringIO(), record=True, color_system=None, legacy_windows=False)
        console.print(value)
        return console.export_text()
    return str(getattr(value, "plain", value))


def screen_text(app: App[Any]) -> str:
    """What the active screen (and any dialog) shows: static texts, list options, table cells, inputs."""
    parts: list[str] = []
    for screen in app.screen_stack[-2:]:
        for widget in screen.query("*"):
            if not widget.display:
                continue
            if isinstance(widget, Static):
                parts.append(plain(widget.content))
            elif isinstance(widget, (CallList, HoursPanel)):
                parts.append(widget.plain)
            elif isinstance(widget, DataTable):
                parts.extend(" | ".join(plain(c) for c in widget.get_row_at(i)) for i in range(widget.row_count))
            elif isinstance(widget, Input):
                parts.append(widget.value)
    return "\n".join(parts)
