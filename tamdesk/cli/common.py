"""What every command module shares: adding commands, the global options, the desk, reading arguments.

Imports nothing heavy: ``tamdesk --help`` builds every command's parser, so a
service is imported only inside the handler that calls it. A command line that
names its command builds only that command's parser (``Commands(only=...)``):
argparse spends about a millisecond on each of the sixty, most of it looking up
translations of its own words.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Callable, Collection, NoReturn, Sequence, cast

from tamdesk.cli.output import note
from tamdesk.domain.values import read_id, read_whole

if TYPE_CHECKING:
    from tamdesk.services.desk import Desk

#: A command: given the parsed arguments, it returns its exit code (None is 0).
Handler = Callable[[argparse.Namespace], int | None]


class UsageError(SystemExit):
    """argparse's usage error (exit 2), keeping its message for ``--json`` and the usage to print with it."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(2)
        self.message = message
        self.usage = usage

    def say(self) -> None:
        """The usage and the error on stderr, as argparse says them."""
        sys.stderr.write(self.usage)
        note(self.message)


class Parser(argparse.ArgumentParser):
    """argparse's parser (every command's, as subparsers take their parent's class), its usage errors as ``UsageError``.

    The error is raised, not printed: a parser built for one command retries a
    line it cannot read with every command's parser before anything is said.
    """

    def error(self, message: str) -> NoReturn:
        """Exit 2 with the usage and the message kept (``UsageError.say`` prints them)."""
        raise UsageError(f"{self.prog}: error: {message}", self.format_usage())


def _named(what: str) -> Callable[[str], str]:
    """A global option's reader: an empty value is refused, never read as the option left out.

    ``--as "$TAM"`` with the variable unset would otherwise act as you (a manager,
    perhaps) and ``--db "$DESK"`` open your own desk. An empty environment
    variable still reads as unset, as variables do.
    """

    def read(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"is empty: give {what}, or leave the option out")
        return text

    return read


def global_options(*, with_tz: bool = True) -> argparse.ArgumentParser:
    """The options every command accepts, before or after its name."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("global options")
    group.add_argument("--db", type=_named("a database path or URL"), default=argparse.SUPPRESS,
                       help="database path or SQLAlchemy URL [TAMDESK_DB]")
    group.add_argument("--now", type=_named("an ISO 8601 instant"), default=argparse.SUPPRESS,
                       help="the clock, ISO 8601, for back-dating and tests [TAMDESK_NOW]")
    group.add_argument(
        "--as", dest="as_tam", metavar="TAM", type=_named("a TAM's id, email or a start of the name (tamdesk tam list)"),
        default=argparse.SUPPRESS,
        help="act as this TAM of the desk: id, email or a start of the name [TAMDESK_AS]; default: 'config set tam'",
    )
    if with_tz:
        group.add_argument("--tz", type=_named("an IANA time zone such as Europe/Madrid"), default=argparse.SUPPRESS,
                           help="your IANA time zone [TAMDESK_TZ]; default: settings, then the system's")
    return parent


class Commands:
    """Where a command module adds its commands (or a group of them), each with the global options.

    With ``only``, the words of one command line, a command whose name is not
    among them is not built: its module's calls go to an ``_Unbuilt`` that
    keeps nothing. A group named there is built whole, so that its usage lists
    every action.
    """

    def __init__(
        self,
        subparsers: Any,
        common: argparse.ArgumentParser,
        without_tz: argparse.ArgumentParser,
        only: Collection[str] | None = None,
    ) -> None:
        self._subparsers = subparsers
        self._common = common
        # 'customer add --tz' is the customer's zone; there, yours goes before the command.
        self._without_tz = without_tz
        self._only = only
        #: Every command's name, built or not.
        self.named: list[str] = []

    def command(
        self, name: str, handler: Handler, help: str, *, examples: Sequence[str] = (), your_tz: bool = True
    ) -> argparse.ArgumentParser:
        """A command, its ``--help`` ending with ``examples``; ``your_tz=False`` leaves ``--tz`` to the command itself."""
        if not self._wanted(name):
            return cast(argparse.ArgumentParser, _Unbuilt())
        sub = self._add(name, help, examples, self._common if your_tz else self._without_tz)
        sub.set_defaults(handler=handler)
        return sub

    def group(self, name: str, help: str, *, examples: Sequence[str] = ()) -> Commands:
        """A command that is a group of actions (``tamdesk customer add``); alone, it prints its usage."""
        if not self._wanted(name):
            return cast(Commands, _Unbuilt())
        sub = self._add(name, help, examples, self._common)
        sub.set_defaults(handler=lambda args: usage(sub))
        return Commands(sub.add_subparsers(dest="action", metavar="ACTION"), self._common, self._without_tz)

    def _wanted(self, name: str) -> bool:
        self.named.append(name)
        return self._only is None or name in self._only

    def _add(self, name: str, help: str, examples: Sequence[str], parent: argparse.ArgumentParser) -> argparse.ArgumentParser:
        epilog = "examples:\n" + "\n".join(f"  {line}" for line in examples) if examples else None
        parser: argparse.ArgumentParser = self._subparsers.add_parser(
            name, help=help, description=help, epilog=epilog, parents=[parent],
            formatter_class=argparse.RawDescriptionHelpFormatter,  # the examples keep their lines
        )
        return parser


#: What a CUSTOMER argument accepts, in every command that takes one.
CUSTOMER_HELP = "a name or id, or any start of one name, any case or accents: tyrell, 'Tyrell Corp', 3"


class _Unbuilt:
    """A command left out of this command line's parser: every call a command module makes on it is kept nowhere."""

    def __getattr__(self, name: str) -> Callable[..., _Unbuilt]:
        return self._ignore

    def _ignore(self, *args: object, **kwargs: object) -> _Unbuilt:
        return self


def json_option(parser: argparse.ArgumentParser) -> None:
    """``--json``: the command's output, or its error, as one JSON document on stdout."""
    parser.add_argument(
        "--json", action="store_true",
        help='print one JSON document (times in UTC); an error as {"error": {"code", "rule", "message"}}',
    )


def usage(parser: argparse.ArgumentParser) -> int:
    """A group named without an action: its usage, as bad input."""
    parser.print_help(sys.stderr)
    return 2


# -- the global options and the desk ---------------------------------------------


def option(args: argparse.Namespace, name: str, env: str) -> str | None:
    """A global option, else its environment variable (unset when empty or blank), else None."""
    return getattr(args, name, None) or (os.environ.get(env, "").strip() and os.environ[env]) or None


def _now(args: argparse.Namespace) -> datetime | None:
    text = option(args, "now", "TAMDESK_NOW")
    if text is None:
        return None
    from tamdesk.domain.timezones import parse_datetime, zone
    from tamdesk.services.desk import system_zone_name

    tz = zone(option(args, "tz", "TAMDESK_TZ") or system_zone_name())
    return parse_datetime(text, tz)


def open_desk(args: argparse.Namespace, *, for_tui: bool = False) -> Desk:
    """The desk the global options name (the TUI is built on the same one), keeping its auto feed current."""
    from tamdesk import startup
    from tamdesk.services.desk import Desk
    from tamdesk.services.export import keep_auto_feed

    desk = Desk.open(
        option(args, "db", "TAMDESK_DB"), now=_now(args), tz=option(args, "tz", "TAMDESK_TZ"), check=not for_tui,
        as_tam=option(args, "as_tam", "TAMDESK_AS"),
    )
    desk.warned.append(lambda message: note(f"tamdesk: warning: {message}"))
    if desk.damaged:
        note(f"tamdesk: {desk.damaged}")
    keep_auto_feed(desk)
    if not for_tui:  # the TUI resumes the collector itself, once Textual is imported
        startup.command_ready()
    return desk


# -- reading arguments -------------------------------------------------------------


def wants_json(args: argparse.Namespace) -> bool:
    """Whether ``--json`` was given."""
    return bool(getattr(args, "json", False))


def day(text: str | None, desk: Desk) -> date | None:
    """A typed date (ISO, or relative to the desk's today: "in 2 days"), or ``None`` when not given."""
    from tamdesk.domain.humanize import read_date

    return read_date(text, desk.today()) if text else None


def whole(text: str, what: str, *, low: int, high: int) -> int:
    """A whole-number argument between ``low`` and ``high``; bad input naming ``what`` otherwise."""
    return read_whole(text, what, low=low, high=high)


def ident(text: str, noun: str) -> int:
    """The id of a ``noun`` (a call, a case): ASCII digits within SQLite's range."""
    return read_id(text, noun)


def your_zone(desk: Desk) -> str:
    """The TAM's zone (``--tz``, else the setting, else the system's): human output shows times in it."""
    return desk.read(lambda unit: unit.tam_tz.key)


def local(instant: datetime, tz: str) -> str:
    """An instant as a day and time in the zone ``tz``."""
    from tamdesk.domain.timezones import zone

    return f"{instant.astimezone(zone(tz)):%a %Y-%m-%d %H:%M}"
