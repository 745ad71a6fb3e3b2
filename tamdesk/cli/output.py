"""Plain-text tables and JSON for the command line (no rich, no Textual)."""

from __future__ import annotations

import json
import sys
from typing import Any, Iterable, Sequence


def emit_json(document: Any) -> None:
    """Write one JSON document to stdout."""
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, empty: str = "nothing to show") -> str:
    """Rows as aligned columns under a header; ``empty`` when there are none."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    if not cells:
        return empty
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def say(text: str) -> None:
    """A line for the person at the terminal, on stdout."""
    print(text)


def note(text: str) -> None:
    """A remark that scripts reading stdout should not see, on stderr."""
    print(text, file=sys.stderr)
