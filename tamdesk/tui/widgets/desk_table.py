"""A DataTable that is refilled in place and keeps its cursor on the same row."""

from __future__ import annotations

from typing import Iterable, Sequence

from rich.text import Text
from textual.widgets import DataTable

Cell = str | Text
Row = tuple[str, Sequence[Cell]]  # (row key, cells)


class DeskTable(DataTable[Cell]):
    """Rows keyed by what they show (``case:12``); a refill keeps the cursor's row."""

    def __init__(self, *columns: str, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._columns = columns

    def on_mount(self) -> None:
        self.add_columns(*self._columns)

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
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if chosen is not None and chosen in self.rows:
            self.move_cursor(row=self.get_row_index(chosen))
