"""The footer of keys, rebuilt only when the keys it would show have changed, and fitted to the width."""

from __future__ import annotations

from typing import Any, Hashable

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not exported by textual.widgets; pyproject.toml keeps textual below 9

from tamdesk.tui import keymap

#: The key the footer always shows, however narrow the terminal: the one that lists all the others.
HELP_KEY = next(key.key for key in keymap.DESK.keys if key.id == "desk.help")


class KeyFooter(Footer):
    """Textual's footer, rebuilt only when the keys to show differ from those shown.

    Textual's footer rebuilds all its keys each time the screen says its
    bindings changed, and a screen coming into view says so three times in a
    row (focused, resumed, idle) with the same keys each time. With the desk's
    fourteen keys that was three rebuilds of 20-25 ms each before the first
    frame could be written (measured with benchmarks/). Here a notice asks for
    a rebuild only when none is waiting, and the rebuild is skipped when the
    keys are the ones on show.

    On a narrow terminal (80 columns) the keys that do not fit are hidden,
    the last ones first (a screen's keys come in the keymap's order, then the
    desk's), but the help key stays: it lists every key, and the command
    palette runs them.
    """

    _rebuild_waiting = False
    _shown: Hashable = None  # the keys the footer last composed, None before it first did

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        for key in keys:
            # The class each key's bound ``compact`` would add once mounted, which styled the key
            # again (2 ms a key, fourteen keys at every rebuild); before mounting it costs nothing.
            key.set_class(self.compact, "-compact", update=False)
        self._fit(keys, self.app.size.width)
        yield from widgets

    def on_resize(self) -> None:
        self._fit(list(self.query_children(FooterKey)), self.size.width)

    @staticmethod
    def _fit(keys: list[FooterKey], width: int) -> None:
        """Show the keys that fit in ``width`` cells: the help key, the palette's, then the others in order."""

        def cells(key: FooterKey) -> int:  # the compact footer: "k Description" and a space after it (a bar before the palette's)
            return cell_len(key.key_display) + (1 + cell_len(key.description) if key.description else 0) + 1

        room = width - sum(cells(k) for k in keys if k.has_class("-command-palette") or k.key == HELP_KEY)
        for key in keys:
            if key.has_class("-command-palette") or key.key == HELP_KEY:
                continue
            room -= cells(key)
            key.display = room >= 0

    def _keys(self) -> Hashable:
        """What the footer shows of the screen's bindings now."""
        return tuple(
            (binding.key, binding.key_display, binding.description, binding.action, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # As Footer does: the keys may be composed from now on. A private attribute of
        # Footer: pyproject.toml keeps textual below 9 for it.
        self._bindings_ready = True
        if self._rebuild_waiting or not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_waiting = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_waiting = False
        if not self.is_attached:  # its dialog closed before the refresh came (a save while changes poured in)
            return
        if self._keys() != self._shown:
            await self.recompose()
