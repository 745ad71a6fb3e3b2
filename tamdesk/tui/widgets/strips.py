"""Drawn lines kept by what they say and how, for the widgets drawn a line at a time.

A week's turn mostly shows lines already drawn in another week (the same
customer at the same hours, the same day heading at the same width), so
keeping the drawn ``Strip`` saves Rich's rendering for every line that did not
change. The key holds the text, its spans and the style it is drawn in, so a
change of theme or of the cursor's place draws afresh.
"""

from __future__ import annotations

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

#: Lines kept before the cache starts again; a week shows about a hundred.
KEPT_STRIPS = 1024


class StripCache:
    """Strips by (text, spans, text style, base style, width, padding)."""

    def __init__(self, limit: int = KEPT_STRIPS) -> None:
        self._limit = limit
        self._strips: dict[tuple[object, ...], Strip] = {}

    def clear(self) -> None:
        self._strips.clear()

    def strip(self, text: Text, style: Style, width: int, console: Console, pad: int = 0) -> Strip:
        """``text`` drawn over ``style`` in exactly ``width`` cells, after ``pad`` blank cells."""
        key = (text.plain, tuple(text.spans), text.style, style, width, pad)
        if (strip := self._strips.get(key)) is None:
            if len(self._strips) >= self._limit:
                self._strips.clear()
            drawn = Text(" " * pad) + text if pad else text.copy()
            drawn.stylize_before(style)
            strip = Strip(drawn.render(console), drawn.cell_len).crop_extend(0, width, style)
            self._strips[key] = strip
        return strip
