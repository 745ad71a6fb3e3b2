"""What every command prints besides its answer: --version, help with examples, errors as JSON (issue 15)."""

import argparse
import json
import shlex
import tomllib
from pathlib import Path

import pytest

from tamdesk.cli.main import build_parser, main
from tamdesk.services.desk import Desk
from tests.conftest import table_rows


def _parsers(parser: argparse.ArgumentParser, path: str = "tamdesk"):
    """Every parser under ``parser``: the program, each group and each command, with its name."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{path} {name}")


PARSERS = list(_parsers(build_parser()))


def test_version_is_the_packages(capsys):
    # The version the package is built with, read from its own metadata file.
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"tamdesk {pyproject['project']['version']}\n"


@pytest.mark.parametrize("path, parser", PARSERS, ids=[p for p, _ in PARSERS])
def test_every_option_and_argument_says_what_it_is_for(path, parser):
    silent = [
        action.dest for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not (action.help or "").strip()
    ]
    assert silent == [], f"{path}: no help for {silent}"


@pytest.mark.parametrize("path, parser", PARSERS, ids=[p for p, _ in PARSERS])
def test_every_command_shows_examples_that_the_command_line_reads(path, parser):
    epilog = parser.epilog or ""
    assert epilog.startswith("examples:\n"), f"{path} has no examples"
    examples = [line.strip() for line in epilog.splitlines()[1:] if line.strip().startswith("tamdesk ")]
    assert examples, f"{path} has no examples"
    assert "examples:\n  tamdesk " in parser.format_help()  # shown, with its lines kept (RawDescriptionHelpFormatter)
    words = path.split()[1:]
    for example in examples:
        parsed = build_parser().parse_args(shlex.split(example)[1:])  # a usage error would exit
        if words:  # a command's example runs that command (the program's may show any)
            assert [parsed.command, getattr(parsed, "action", None)][: len(words)] == words, example


@pytest.fixture
def acme(run, db_path):
    assert run("customer", "add", "Acme", "--plan", "tam-a", "--tz", "America/New_York")[0] == 0
    desk = Desk.open(str(db_path))
    yield desk
    desk.close()


# The desk's clock is Mon 23 Nov 2026, 08:00 in Madrid (07:00 UTC, 02:00 in New York).
ERRORS = [
    # 01:00 in New York has passed: a refusal names its rule.
    (["session", "book", "Acme", "2026-11-23T01:00"], 3, "S2"),
    # A Saturday asks for confirmation: outside the contract's business days (T4) and the TAM's
    # Mon-Fri working day (T8), one question naming both; a refusal too, until --force.
    (["session", "book", "Acme", "sat 10:00"], 3, "T4, T8"),
    # Input that cannot be read names no rule.
    (["session", "book", "Nobody", "tomorrow 10:00"], 2, None),
    (["week", "--date", "next fri"], 2, None),
    # argparse's own usage errors too.
    (["session", "cancel", "1", "--by", "nobody"], 2, None),
]


@pytest.mark.parametrize("args, code, rule", ERRORS, ids=[" ".join(a[:3]) for a, _, _ in ERRORS])
def test_with_json_an_error_is_also_one_json_document_on_stdout(run, acme, args, code, rule):
    before = table_rows(acme)
    got, out, err = run(*args, "--json")
    assert got == code
    document = json.loads(out)
    assert document == {"error": {"code": code, "rule": rule, "message": document["error"]["message"]}}
    # The same words as stderr's last line, which says it for people.
    assert err.splitlines()[-1].endswith(document["error"]["message"])
    if rule:
        assert document["error"]["message"].startswith(f"{rule}: ")
    assert table_rows(acme) == before
    # Without --json, stdout stays empty.
    assert run(*args)[1] == ""
