"""Text shown in a ``Static``: changed only when it differs, laid out again only when its height does.

``Static.update`` lays out the whole screen again, which is most of a frame's
cost: a side panel redrawn with the same text on every turn of a page, or a
dialog's hint and preview given the same text on every key typed, paid it for
nothing.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static


def show_text(static: Static, content: Text | str) -> None:
    """Show ``content`` in ``static``, unless it shows it already; repaint only when its height stays."""
    if static.content == content:
        return
    width = static.content_region.width
    same_height = width > 0 and _lines(static.content, width) == _lines(content, width) is not None
    static.update(content, layout=not same_height)


def _lines(content: object, width: int) -> int | None:
    """How many lines ``content`` takes at ``width`` cells when none of its lines wraps; None when one does."""
    plain = content.plain if isinstance(content, Text) else str(content)
    lines = plain.split("\n")
    return len(lines) if all(cell_len(line) <= width for line in lines) else None
