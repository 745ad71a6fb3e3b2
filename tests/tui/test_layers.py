"""The desk's screens go through the use-cases: no ORM, no engine, no SQL in tamdesk/tui."""

from __future__ import annotations

import ast
from pathlib import Path

import tamdesk.tui

TUI = Path(tamdesk.tui.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_tui_imports_neither_the_store_nor_sqlalchemy():
    files = sorted(TUI.rglob("*.py"))
    assert len(files) > 15  # every screen, dialog and widget is looked at
    for path in files:
        wrong = {m for m in imported_modules(path) if m.startswith(("tamdesk.store", "sqlalchemy", "alembic"))}
        assert not wrong, f"{path.relative_to(TUI.parent)} imports {wrong}"
