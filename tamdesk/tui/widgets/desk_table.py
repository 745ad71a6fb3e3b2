"""A DataTable that is refilled in place, keeps its cursor on the same row, and fits the terminal's width."""

from __future__ import annotations

from typing import Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

Cell = str | Text
Row = tuple[str, Sequence[Cell]]  # (row key, cells)


def _cells(cell: Cell) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(cell)


class DeskTable(DataTable[Cell]):
    """Rows keyed by what they show (``case:12``); a refill keeps the cursor's row.

    One column may ``stretch`` (a title, a note): it takes the width the other
    columns leave, so a wide terminal shows it whole instead of leaving empty
    cells beside it, and a narrow one cuts it with an ellipsis (never below
    ``least`` cells) before the columns after it go off-screen. The other
    columns are as wide as their widest cell. The widths are worked out again
    whenever the table is refilled or resized.
    """

    def __init__(self, *columns: str, id: str | None = None, stretch: str | None = None, least: int = 12) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._columns = columns
        self._stretch = columns.index(stretch) if stretch is not None else None
        self._least = least
        self._rows: list[Row] = []
        self._stretch_width: int | None = None  # the stretching column's width as laid out, None before

    def on_mount(self) -> None:
        if self._stretch is None:
            self.add_columns(*self._columns)
        else:
            self._lay_out(self._stretch_width_for(self._rows))

    @property
    def selected_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return key.value

    def refill(self, rows: Iterable[Row]) -> None:
        """Replace every row, keeping the cursor on the row it was on when it is still there."""
        chosen = self.selected_key
        self._rows = list(rows)
        if self._stretch is not None and (width := self._stretch_width_for(self._rows)) != self._stretch_width:
            self._lay_out(width)
        else:
            self.clear()
        for key, cells in self._rows:
            self.add_row(*self._fitted(cells), key=key)
        if chosen is not None and chosen in self.rows:
            self.move_cursor(row=self.get_row_index(chosen))

    def _update_dimensions(self, new_rows: Iterable[object]) -> None:
        """Textual measures the new rows' cells once idle, widening auto-width columns: render again with them.

        Without this the header (and rows) painted before the measure keep the
        narrower widths until something else repaints them, so whether a fresh
        table's header lines up with its rows depended on timing.
        """
        super()._update_dimensions(new_rows)  # type: ignore[arg-type]
        self._clear_caches()
        self.refresh()

    def on_resize(self) -> None:
        if self._stretch is not None and self._stretch_width_for(self._rows) != self._stretch_width:
            self.refill(self._rows)

    def _stretch_width_for(self, rows: list[Row]) -> int:
        """The stretching column's cells: what the table's width leaves after the others (and a scrollbar)."""
        assert self._stretch is not None
        padding = 2 * self.cell_padding
        others = sum(
            padding + max([cell_len(label), *(_cells(cells[number]) for _, cells in rows)])
            for number, label in enumerate(self._columns)
            if number != self._stretch
        )
        room = self.size.width - self.styles.scrollbar_size_vertical - others - padding
        return max(self._least, room)

    def _lay_out(self, width: int) -> None:
        """Every column again, the stretching one ``width`` cells wide (the rows go: ``refill`` adds them)."""
        self.clear(columns=True)
        self._stretch_width = width
        for number, label in enumerate(self._columns):
            self.add_column(label, width=width if number == self._stretch else None, key=label)

    def _fitted(self, cells: Sequence[Cell]) -> Sequence[Cell]:
        """The row's cells, the stretching one cut with an ellipsis when its column is narrower."""
        if self._stretch is None:
            return cells
        cut = list(cells)
        cell = cut[self._stretch]
        text = cell.copy() if isinstance(cell, Text) else Text(cell)
        text.no_wrap, text.overflow, text.end = True, "ellipsis", ""
        cut[self._stretch] = text
        return cut
