"""README's command list and key table are what the program has (issue 15: they must match).

The command list is read from the parser the CLI builds, every command and
every option of it; the key table from the desk's keymap. A command, an option
or a key added without its README line fails here, and so does a README line
naming one the program no longer has.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from tamdesk.cli.main import build_parser
from tamdesk.tui import keymap

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
#: Options every command takes (README names them once, above the list), and argparse's own.
GLOBAL = {"--db", "--now", "--tz", "--as", "-h", "--help", "--version"}


def _section(title: str) -> str:
    """The README text under ``## title``, up to the next ``## ``."""
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def _command_block() -> list[str]:
    """The lines of the command list: the first fenced block under "Command line"."""
    return _section("Command line").split("```\n", 2)[1].splitlines()


def _subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """Every command the parser runs, by its words (``("customer", "add")``), with its parser."""
    found: dict[tuple[str, ...], argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                inner = _subcommands(sub, (*path, name))
                found.update(inner or {(*path, name): sub})
    return found


COMMANDS = _subcommands(build_parser())


def _options(parser: argparse.ArgumentParser) -> set[str]:
    """The long options a command takes beyond the global ones (its own ``--tz`` on customer add/edit aside)."""
    named = {option for action in parser._actions for option in action.option_strings if option.startswith("--")}
    return named - GLOBAL


def _lines_of(words: tuple[str, ...]) -> list[str]:
    """The README lines documenting ``tamdesk WORDS``: the line, or a part of one after ``|``."""
    said = " ".join(words)
    return [line for line in _command_block() if re.search(rf"(^tamdesk |\| (tamdesk )?){re.escape(said)}( |$)", line)]


def test_the_program_has_commands_to_check():
    assert len(COMMANDS) > 25 and ("customer", "edit") in COMMANDS and ("undo",) in COMMANDS


@pytest.mark.parametrize("words", sorted(COMMANDS), ids=" ".join)
def test_every_command_and_option_has_its_readme_line(words):
    lines = _lines_of(words)
    assert lines, f"README's command list has no line for 'tamdesk {' '.join(words)}'"
    text = " ".join(lines)
    missing = {option for option in _options(COMMANDS[words]) if not re.search(rf"{re.escape(option)}\b", text)}
    if words in {("customer", "add"), ("customer", "edit")}:
        missing.discard("--tz")  # theirs is the customer's zone, and it is on the line
    assert not missing, f"'tamdesk {' '.join(words)}' takes {sorted(missing)}, which README's line does not name"


def test_every_readme_command_line_is_a_command():
    for line in _command_block():
        for part in line.split(" | "):
            words = part.removeprefix("tamdesk ").split()
            if not part.startswith(("tamdesk ", words[0] if words else "-")) or not words:
                continue
            named = tuple(w for w in words[:2] if re.fullmatch(r"[a-z][a-z-]*", w))
            if named and named[0] in {w[0] for w in COMMANDS}:
                assert named in COMMANDS or named[:1] in COMMANDS, f"README names 'tamdesk {' '.join(named)}', which is no command"


#: How a key is written in README when its Textual name is not what the user sees.
GLYPHS = {"right": "→", "left": "←", "escape": "esc", "question_mark": "?", "slash": "/"}
#: README's "where" column for each keymap section in the table.
WHERE = {
    keymap.DESK: "everywhere",
    keymap.WEEK: "Week",
    keymap.CASELOAD: "Caseload",
    keymap.CUSTOMERS: "Customers",
    keymap.ALLOWANCES: "Allowances",
    keymap.TIME: "Time",
    keymap.EMERGENCIES: "Emergencies",
    keymap.TEAM: "Team",
    keymap.CASE_DETAIL: "Case details",
    keymap.PROBLEMS: "Problems",
    keymap.REPORTS: "Reports",
    keymap.DIALOG: "dialogs",
}
#: The key README names in the text above the table instead: ``?``, the help.
IN_THE_TEXT = {"desk.help"}


def _table() -> list[tuple[set[str], str]]:
    """The key table's rows: the keys written in the first column (``1``-``5`` expanded), and the second."""
    rows = []
    for line in _section("The desk in the terminal").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not line.startswith("| `") or len(cells) < 3:
            continue
        keys = set(re.findall(r"`([^`]+)`", cells[0]))
        for low, high in re.findall(r"`(\d)`-`(\d)`", cells[0]):
            keys |= {str(n) for n in range(int(low), int(high) + 1)}
        rows.append((keys, cells[1]))
    return rows


def _glyph(key: keymap.Key) -> str:
    first = key.key.split(",")[0]
    return key.key_display or GLYPHS.get(first, first)


@pytest.mark.parametrize("section", list(WHERE), ids=lambda s: s.title)
def test_every_key_of_the_desk_is_in_readme_s_key_table(section):
    rows = _table()
    for key in section.keys:
        glyph = _glyph(key)
        if key.id in IN_THE_TEXT:
            assert f"`{glyph}`" in _section("The desk in the terminal"), f"README never names {glyph} ({key.id})"
            continue
        where = WHERE[section]
        assert any(glyph in keys and where in said for keys, said in rows), (
            f"README's key table has no row for {glyph} ({key.id}, {key.description}) under '{where}'"
        )


def test_every_key_in_readme_s_table_is_a_key_of_the_desk():
    known = {_glyph(key) for section in keymap.HELP for key in section.keys}
    for keys, where in _table():
        assert keys <= known | {"/"}, f"README's key table names {sorted(keys - known)} ({where}), which no screen binds"
