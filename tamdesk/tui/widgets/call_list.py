"""The week's calls under their days: a list the cursor walks, drawn a line at a time.

Headings (a day, a holiday) are rows the cursor passes over; a call is a row
with a key. Enter or a click on a call posts ``CallList.Chosen``.

Textual's ``OptionList`` did this before, but it converted, wrapped and
measured every line of the week again on each turn, about a third of a
millisecond a line: half of a week's turn on five years of data. Here a row
is wrapped only when it is wider than the list, a drawn line is kept by what
it says (``StripCache``), and a turn draws only the lines in view.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, chop_cells
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tamdesk.tui.widgets.strips import StripCache

PAD = 1  # blank cells on either side of a line
HANG = 2  # how much further a wrapped row's later lines are indented than its first
_WORD = re.compile(r"\s*\S+\s*")


def wrapped(text: Text, width: int) -> list[Text]:
    """``text`` in lines of at most ``width`` cells, broken where Rich's ``Text.wrap`` breaks it.

    A line breaks before a word that would pass the edge, and inside a word
    longer than a whole line. ``Text.wrap`` does the same through its general
    machinery (splitting on newlines, tabs, justification, overflow), three
    times slower: on a week of long lines, a tenth of a page turn.
    """
    breaks: list[int] = []
    used = 0
    for word in _WORD.finditer(text.plain):
        start, length = word.start(), cell_len(word.group().rstrip())
        if width - used >= length:
            used += cell_len(word.group())
        elif length > width:  # cut into pieces of a line each
            *whole, last = chop_cells(word.group(), width)
            for piece in whole:
                breaks += [start] if start else []
                start += len(piece)
            breaks += [start] if start else []
            used = cell_len(last)
        elif used and start:
            breaks.append(start)
            used = cell_len(word.group())
    lines = list(text.divide(breaks))
    for line in lines:
        line.rstrip_end(width)
        line.truncate(width, overflow="fold")  # a wide character alone on a line narrower than it
    return lines


@dataclass(frozen=True)
class Row:
    """One entry of the list: a call when it has a key, else a heading the cursor skips.

    ``text`` is the line, or makes it for the cells the list has (a call's
    line gives a long customer name more room on a wide terminal).
    """

    text: Text | Callable[[int], Text]
    key: str | None = None

    def at(self, width: int) -> Text:
        """The line for a list ``width`` cells wide."""
        return self.text(width) if callable(self.text) else self.text


class CallList(ScrollView, can_focus=True):
    """Rows of text, some of them chosen with the cursor (↑/↓, Home/End, PgUp/PgDn, Enter, click)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("home", "end(1)", "First", show=False),
        Binding("end", "end(-1)", "Last", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"call-list--heading", "call-list--cursor", "call-list--hover"}

    DEFAULT_CSS = """
    CallList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        background: $surface;
        border: tall $border-blurred;
        overflow-x: hidden;
        & > .call-list--heading {
            color: $text-muted;
        }
        & > .call-list--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .call-list--hover {
            background: $block-hover-background;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .call-list--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    class Chosen(Message):
        """A call was chosen with Enter or a click."""

        def __init__(self, call_list: CallList, key: str) -> None:
            super().__init__()
            self.call_list = call_list
            self.key = key

        @property
        def control(self) -> CallList:
            return self.call_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Row] = []
        self._texts: list[Text] = []  # each row's line at the laid-out width
        self._index: dict[str, int] = {}  # row of each key
        self._lines: list[tuple[int, Text]] = []  # (row, text) of each line at the laid-out width
        self._row_line: list[int] = []  # first line of each row
        self._laid_out_width = -1
        self._cursor: int | None = None  # a row with a key, or None
        self._hover: int | None = None
        self._strips = StripCache()
        self._base_style = Style()

    # -- what it shows ---------------------------------------------------------------

    @property
    def plain(self) -> str:
        """What the list says, a row a line (at the width it was last laid out for)."""
        return "\n".join(text.plain for text in self._texts)

    @property
    def highlighted_key(self) -> str | None:
        """The key of the row under the cursor."""
        return None if self._cursor is None else self._rows[self._cursor].key

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Show ``rows``; the cursor stays on its key when the key is still there, else it is lifted."""
        kept = self.highlighted_key
        self._rows = list(rows)
        self._index = {row.key: i for i, row in enumerate(self._rows) if row.key is not None}
        self._cursor = self._index.get(kept) if kept is not None else None
        self._hover = None
        self._laid_out_width = -1
        self._lay_out()
        self.refresh()
        self._scroll_to_cursor()

    def highlight(self, key: str | None) -> None:
        """Put the cursor on the row keyed ``key`` (None lifts it)."""
        self._move_to(self._index.get(key) if key is not None else None)

    # -- lines -----------------------------------------------------------------------

    def _lay_out(self) -> None:
        """Split the rows into lines at the list's width: a row wider than the list wraps."""
        region_width = self.scrollable_content_region.width
        if region_width == self._laid_out_width:
            return
        self._laid_out_width = region_width
        width = region_width - 2 * PAD
        lines: list[tuple[int, Text]] = []
        starts: list[int] = []
        self._texts = [row.at(max(width, 0)) for row in self._rows]
        for number, text in enumerate(self._texts):
            starts.append(len(lines))
            if width <= 0 or text.cell_len <= width:
                lines.append((number, text))
            else:
                lines.extend((number, part) for part in self._wrap(text, width))
        self._lines, self._row_line = lines, starts
        self._set_length(Size(region_width, len(lines)))

    def _set_length(self, size: Size) -> None:
        """The list's virtual size, laying the screen out again only when the list's scrollbar comes or goes.

        Setting ``virtual_size`` lays out the whole screen, a third of a week's
        turn (measured on the benchmarks' medium desk: p50 65 ms with it, 55
        without). The screen's layout does not depend on the list's length, only
        on whether its scrollbar takes a column: when that stays as it was, the
        scrollbar alone is told the new length.
        """
        old, viewport = self.virtual_size, self.container_size.height
        if self.is_mounted and viewport and old.width == size.width and (old.height > viewport) == (size.height > viewport):
            self.set_reactive(CallList.virtual_size, size)
            self._scroll_update(size)  # Textual's own update of the scrollbars and the scroll offset's bounds
            self.refresh()
        else:
            self.virtual_size = size

    @staticmethod
    def _wrap(text: Text, width: int) -> list[Text]:
        """``text`` in lines of ``width`` cells, the later ones indented past the first's indent."""
        plain = text.plain
        hang = min(len(plain) - len(plain.lstrip()) + HANG, width // 2)
        parts = wrapped(text, width - hang)
        return [parts[0], *(Text(" " * hang, style=text.style) + part for part in parts[1:])]

    def _row_region(self, row: int) -> Region:
        first = self._row_line[row]
        last = self._row_line[row + 1] if row + 1 < len(self._row_line) else len(self._lines)
        return Region(0, first, self.scrollable_content_region.width, last - first)

    def on_resize(self) -> None:
        self._lay_out()
        self._scroll_to_cursor()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._lay_out()
        self._base_style = self.rich_style  # the same for every line, and costly to work out
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._laid_out_width
        number = self.scroll_offset.y + y
        if number >= len(self._lines):
            return Strip.blank(width, self._base_style)
        row, text = self._lines[number]
        return self._strips.strip(text, self._style_of(row), width, self.app.console, PAD)

    def _style_of(self, row: int) -> Style:
        if self._rows[row].key is None:
            return self.get_visual_style("call-list--heading").rich_style
        if row == self._cursor:
            return self.get_visual_style("call-list--cursor").rich_style
        if row == self._hover:
            return self.get_visual_style("call-list--hover").rich_style
        return self._base_style

    def _refresh_row(self, row: int | None) -> None:
        if row is not None and row < len(self._row_line):
            region = self._row_region(row)
            self.refresh_lines(region.y, region.height)

    # -- the cursor ------------------------------------------------------------------

    def _move_to(self, row: int | None) -> None:
        if row == self._cursor:
            return
        before, self._cursor = self._cursor, row
        self._refresh_row(before)
        self._refresh_row(row)
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        if self._cursor is not None and self.is_mounted and self._row_line:
            self.scroll_to_region(self._row_region(self._cursor), animate=False, force=True, immediate=True)

    def _next_call(self, start: int, step: int) -> int | None:
        """The first row with a key from ``start`` on, going ``step``."""
        row = start
        while 0 <= row < len(self._rows):
            if self._rows[row].key is not None:
                return row
            row += step
        return None

    def action_cursor(self, step: int) -> None:
        """The next call up or down; the first (or last) when there is no cursor yet."""
        if self._cursor is None:
            self.action_end(step)
            return
        found = self._next_call(self._cursor + step, step)
        if found is not None:
            self._move_to(found)

    def action_end(self, step: int) -> None:
        """The first call (``step`` 1) or the last (``step`` -1)."""
        start = 0 if step > 0 else len(self._rows) - 1
        found = self._next_call(start, step)
        if found is not None:
            self._move_to(found)

    def action_page(self, step: int) -> None:
        """About a page of lines up or down, landing on a call."""
        if self._cursor is None or not self._lines:
            self.action_end(step)
            return
        height = max(self.scrollable_content_region.height, 1)
        line = min(max(self._row_line[self._cursor] + step * height, 0), len(self._lines) - 1)
        row = self._lines[line][0]
        found = self._next_call(row, step)
        if found is None:
            found = self._next_call(row, -step)
        if found is not None:
            self._move_to(found)

    def action_choose(self) -> None:
        if (key := self.highlighted_key) is not None:
            self.post_message(self.Chosen(self, key))

    # -- the mouse -------------------------------------------------------------------

    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        number = self.scroll_offset.y + offset.y
        return self._lines[number][0] if 0 <= number < len(self._lines) else None

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row is not None and self._rows[row].key is not None:
            self._move_to(row)
            self.action_choose()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        row = self._row_at(event)
        if row != self._hover:
            before, self._hover = self._hover, row
            self._refresh_row(before)
            self._refresh_row(row)

    def on_leave(self, event: events.Leave) -> None:
        before, self._hover = self._hover, None
        self._refresh_row(before)
