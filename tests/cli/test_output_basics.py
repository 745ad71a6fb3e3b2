"""What every command prints besides its answer: --version, help with examples, errors as JSON (issue 15)."""

import argparse
import json
import shlex
import tomllib
from pathlib import Path

import pytest

from tamdesk.cli.main import build_parser, main, parse
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


def _read(parsed: argparse.Namespace) -> dict[str, object]:
    """What a parse gives, its handler by name (a group's usage handler is a new function per parser)."""
    return {key: getattr(value, "__qualname__", value) for key, value in vars(parsed).items()}


@pytest.mark.parametrize("path, parser", PARSERS, ids=[p for p, _ in PARSERS])
def test_a_command_line_reads_the_same_through_the_parser_of_its_command_alone(path, parser):
    # main reads a line with a parser of only the commands it names; every example must read
    # exactly as the whole parser reads it (the same command, options, defaults and handler).
    examples = [shlex.split(line.strip())[1:] for line in (parser.epilog or "").splitlines() if line.strip().startswith("tamdesk ")]
    for words in examples:
        assert _read(parse(words)) == _read(build_parser().parse_args(words)), words


def test_the_parser_of_one_command_builds_that_command_alone():
    (subparsers,) = [a for a in build_parser(only={"week", "--json"})._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(subparsers.choices) == ["week"]
    # A group named on the line is built whole (its usage lists every action); nothing else is.
    every = {path for path, _ in PARSERS}
    assert {path for path, _ in _parsers(build_parser(only={"case", "show", "3"}))} == {
        path for path in every if path == "tamdesk" or path.startswith("tamdesk case ") or path == "tamdesk case"
    }


@pytest.mark.parametrize(
    "words, said",
    [
        (["wek"], "invalid choice: 'wek' (choose from 'demo', 'customer'"),  # every command is offered
        (["case"], "usage: tamdesk case"),  # a group alone: its usage lists every action
        (["case", "shw", "3"], "invalid choice: 'shw' (choose from 'open'"),
    ],
)
def test_a_line_the_small_parser_cannot_read_is_said_as_the_whole_parser_says_it(words, said, capsys):
    assert main(words) == 2
    err = capsys.readouterr().err
    assert said in err
    assert err.count("usage:") == 1  # said once, by the whole parser


def test_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(f"    {name} " in out for name in ("demo", "week", "backup", "case", "export"))


@pytest.fixture
def acme(run, db_url):
    assert run("customer", "add", "Acme", "--plan", "tam-a", "--tz", "America/New_York")[0] == 0
    desk = Desk.open(str(db_url))
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
