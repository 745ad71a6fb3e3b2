"""``tamdesk``: the scriptable command line (a contract: see README "Command line").

Exit codes: 0 done; 2 bad input; 3 refused by a rule (the message names it
and says what would be allowed); 4 the database stayed busy. A refused or bad
command changes nothing. Every global option also reads an environment
variable: ``--db`` TAMDESK_DB, ``--now`` TAMDESK_NOW, ``--tz`` TAMDESK_TZ, ``--as`` TAMDESK_AS.

This module only wires the command groups together; each lives in its own
module under ``tamdesk.cli`` with a ``register(commands)``, in the order
``tamdesk --help`` lists them.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from typing import Collection, Sequence

from tamdesk import __version__
from tamdesk.cli import (
    cases, config, customers, desk, emergencies, export, knowledge, maintenance, problems, reports, sessions, team, timelog,
    timeoff, undo,
)
from tamdesk.cli.common import Commands, Handler, Parser, UsageError, global_options, wants_json
from tamdesk.cli.output import emit_json, note
from tamdesk.domain.errors import BadInput, NeedsConfirmation, TamdeskError
from tamdesk.domain.values import read_text

#: The command modules, in the order of ``tamdesk --help``.
GROUPS = (
    desk, customers, sessions, cases, problems, knowledge, emergencies, timelog, undo, reports, timeoff, export, config, team,
    maintenance,
)


def build_parser(only: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; global options are accepted before or after a command.

    With ``only`` (a command line's words), only the commands named among them
    are built (see ``Commands``); ``parse`` falls back to the whole.
    """
    common = global_options()
    parser = Parser(
        prog="tamdesk",
        description="A terminal desk for Technical Account Managers. With no command, opens the desk.",
        epilog=(
            "examples:\n  tamdesk week\n  tamdesk session book tyrell 'tomorrow 10:00'\n"
            "  tamdesk time log tyrell 1.5 --note prep\n\n'tamdesk COMMAND --help' says more about each command."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"tamdesk {__version__}", help="print the version and exit")
    commands = Commands(parser.add_subparsers(dest="command", metavar="COMMAND"), common, global_options(with_tz=False), only)
    for group in GROUPS:
        group.register(commands)
    parser.command_names = frozenset(commands.named)  # type: ignore[attr-defined]
    return parser


def parse(words: Sequence[str]) -> argparse.Namespace:
    """The command line read by a parser of only the command it names.

    A line the small parser cannot read (a mistyped command, a missing one)
    or one asking for help is read again by the whole, so errors and help list
    every command. Raises ``UsageError``, or ``SystemExit(0)`` after help and ``--version``.
    """
    if not {"-h", "--help"} & set(words):
        try:
            return _parser(words).parse_args(words)
        except UsageError:
            pass
    return _parser(None).parse_args(words)


#: The parsers built in this process, by the commands they hold (None: every one).
_PARSERS: dict[frozenset[str] | None, argparse.ArgumentParser] = {}
#: Every command's name, learnt from the first parser built.
_COMMAND_NAMES: set[str] = set()


def _parser(words: Collection[str] | None) -> argparse.ArgumentParser:
    """``build_parser(only=words)``, built once per process for the commands ``words`` name.

    A script (or a test) running many commands in one process built the line again for each,
    35 ms a command. A parser keeps nothing of a line it read, and what changes from one run to
    the next (the variables, the clock) is read after parsing. Only the words that name a command
    narrow a parser (``Commands``), so they alone are the key.
    """
    only = None if words is None else frozenset(words)
    if only is not None and _COMMAND_NAMES:
        only &= _COMMAND_NAMES
    if only not in _PARSERS:
        parser = build_parser(only)
        _COMMAND_NAMES.update(parser.command_names)  # type: ignore[attr-defined]
        if only is not None:
            only &= _COMMAND_NAMES
        _PARSERS[only] = parser
    return _PARSERS[only]


def program() -> int:
    """The ``tamdesk`` command: ``main``, with the collector paused while the program starts (``tamdesk.startup``)."""
    from tamdesk import startup

    return startup.with_collector_paused(main)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code."""
    words = sys.argv[1:] if argv is None else list(argv)
    try:
        args = parse(words)
    except UsageError as bad:
        bad.say()
        if "--json" in words:
            _print_error(BadInput(bad.message), bad.message)
        return 2
    except SystemExit as stop:  # --help and --version (exit 0)
        return int(stop.code or 0)
    handler: Handler = getattr(args, "handler", desk.cmd_tui)
    saved_before = _saved_changes()
    try:
        _check_text(args)
        code = handler(args) or 0
        sys.stdout.flush()  # here, so that output that cannot be written is seen here and not at exit
        return code
    except OSError as error:
        if not _lost_output(error):
            raise
        return _after_lost_output(error, saved=_saved_changes() > saved_before)
    except NeedsConfirmation as asked:
        return _failed(args, asked, f"{asked.message} Add --force to confirm.")
    except TamdeskError as error:
        return _failed(args, error, error.message)
    except KeyboardInterrupt:
        return 130


def _failed(args: argparse.Namespace, error: TamdeskError, message: str) -> int:
    """Say why the command failed on stderr and, with ``--json``, also as one JSON document on stdout.

    The document is ``{"error": {"code": N, "rule": "S3" or null, "message": "..."}}``
    (a contract), so a script reading stdout never has to parse stderr.
    """
    note(f"tamdesk: {message}")
    if wants_json(args):
        _print_error(error, message)
    return error.exit_code


def _print_error(error: TamdeskError, message: str) -> None:
    """The error as ``{"error": {"code": N, "rule": "S3" or null, "message": "..."}}`` on stdout."""
    try:
        emit_json({"error": {"code": error.exit_code, "rule": getattr(error, "rule", None), "message": message}})
        sys.stdout.flush()
    except OSError:
        pass  # the reader is gone; stderr said it already


#: Errors of a standard stream that its reader or its device caused, not the command.
LOST_OUTPUT = frozenset({errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EBADF})


def _check_text(args: argparse.Namespace) -> None:
    """Every argument is valid UTF-8: one typed in another encoding arrives as lone surrogates (bad input)."""
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                read_text(item, f"the {name.replace('_', ' ')} argument", limit=len(item) + 1)


def _saved_changes() -> int:
    """Changes this process has committed; 0 while the desk's module is not even imported."""
    desk_module = sys.modules.get("tamdesk.services.desk")
    return desk_module.SavedChanges.count if desk_module is not None else 0


def _lost_output(error: OSError) -> bool:
    return isinstance(error, BrokenPipeError) or error.errno in LOST_OUTPUT


def _after_lost_output(error: OSError, *, saved: bool) -> int:
    """Output could not be written (``| head`` closed it, ``/dev/full``): a saved change is still exit 0.

    A script that retries on failure would otherwise book twice. Standard
    output goes to the null device, so Python's own flush at exit stays quiet.
    """
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass
    if isinstance(error, BrokenPipeError) and not saved:
        return 0  # the reader had what it wanted (``tamdesk week | head``)
    try:
        if saved:
            note(f"tamdesk: the change is saved, but its output could not be printed: {error.strerror or error}")
        else:
            note(f"tamdesk: cannot print the output: {error.strerror or error}")
    except OSError:
        pass
    return 0 if saved else 1
