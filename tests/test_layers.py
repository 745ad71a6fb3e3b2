"""No import cycles inside a layer: read from the source with ``ast``, every import counted.

An import inside a function is still an import: it hides a cycle from Python's
start-up, not from the design (STYLE: "nothing in ``services/`` imports in a
circle"). So every ``import`` and ``from ... import`` anywhere in a module is an
edge; ``from package import name`` is an edge to ``package.name`` when that is a
module; relative imports are resolved against the importing module's package.
Only imports under ``if TYPE_CHECKING:`` are left out: they never run, and they
are how a module names a type without importing its module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tamdesk

ROOT = Path(tamdesk.__file__).parent


def module_name(path: Path) -> str:
    """``tamdesk/services/desk.py`` -> ``tamdesk.services.desk``; a package's ``__init__`` is the package."""
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    """Every module of the shipped package by its dotted name."""
    return {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def walk_running(tree: ast.AST):  # type: ignore[no-untyped-def]
    """Every node of ``tree`` except those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *walk_running(child)])
            continue
        yield node
        yield from walk_running(node)


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The tamdesk modules ``name`` imports, anywhere in its source (functions included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in walk_running(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: one level is the module's own package, each more goes up one
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in known else source)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    """Module -> the tamdesk modules it imports."""
    modules = all_modules()
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as [a, b, ..., a], or None when there is none."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" once fully explored
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def layer(graph: dict[str, set[str]], prefix: str) -> dict[str, set[str]]:
    """The part of ``graph`` among the modules under ``prefix`` (the package itself left out)."""
    inside = {m for m in graph if m.startswith(prefix + ".")}
    return {m: graph[m] & inside for m in inside}


@pytest.mark.parametrize("prefix", ["tamdesk.services", "tamdesk.tui"])
def test_no_import_cycle_inside_a_layer(prefix):
    graph = layer(import_graph(), prefix)
    assert len(graph) > 10  # the layer's modules were found
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


# -- the reader itself, on made-up graphs and sources (so a blind reader cannot pass) --


def test_a_cycle_is_found_and_named():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_imports_inside_functions_relative_and_from_package_are_all_read(tmp_path):
    source = tmp_path / "export.py"
    source.write_text(
        "from . import desk\n"
        "from .views import call_title\n"
        "def later():\n"
        "    from tamdesk.services import calls\n"
        "    import tamdesk.store.models\n"
        "if TYPE_CHECKING:\n"
        "    from tamdesk.tui.app import DeskApp\n",
        encoding="utf-8",
    )
    run = {"tamdesk.services.desk", "tamdesk.services.views", "tamdesk.services.calls", "tamdesk.store.models"}
    known = run | {"tamdesk.tui.app", "tamdesk.services.export"}  # only named for types, and itself
    assert imports_of("tamdesk.services.export", source, known) == run


def test_the_desk_imports_nothing_that_reacts_to_its_changes():
    # The auto feed registers itself as an after-commit hook; the desk does not know it.
    assert "tamdesk.services.export" not in import_graph()["tamdesk.services.desk"]


def test_the_help_screen_reads_the_keymap_not_the_screens():
    imported = import_graph()["tamdesk.tui.screens.help"]
    assert "tamdesk.tui.keymap" in imported
    assert not {m for m in imported if m.startswith("tamdesk.tui.screens.") or m == "tamdesk.tui.app"}
