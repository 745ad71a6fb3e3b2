"""``tamdesk export`` and ``tamdesk feed``: the calls for calendar apps, once, as a file kept current, or served (X1, X2)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from tamdesk.cli.common import CUSTOMER_HELP, Commands, day, open_desk, whole
from tamdesk.cli.output import note
from tamdesk.domain.errors import BadInput

if TYPE_CHECKING:
    from datetime import date

    from tamdesk.services.desk import Desk


def register(commands: Commands) -> None:
    """``export ics`` and ``feed serve``."""
    export = commands.group("export", "your calls for calendar apps (X1)", examples=("tamdesk export ics -o calls.ics",))
    ics = export.command(
        "ics", cmd_export_ics, "the calls as iCalendar: to stdout, a file, or a feed kept current",
        examples=(
            "tamdesk export ics -o calls.ics --from today",
            "tamdesk export ics --auto ~/calendars/tamdesk.ics",
            "tamdesk export ics --auto ~/calendars/tamdesk.ics --days-back 90",
        ),
    )
    ics.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    ics.add_argument("--customer", help="only this customer's calls: " + CUSTOMER_HELP)
    ics.add_argument("--from", dest="first", metavar="DATE", help="calls from this day on (your zone)")
    ics.add_argument("--to", dest="last", metavar="DATE", help="calls up to this day (your zone)")
    ics.add_argument("--include-notes", action="store_true", help="add internal notes and open cases (X2)")
    ics.add_argument(
        "--auto", metavar="FILE", help="keep FILE current after every change from now on; 'off' stops"
    )
    _window_arguments(ics, "with --auto: ")

    feed = commands.group("feed", "a calendar feed calendar apps subscribe to", examples=("tamdesk feed serve --port 5545",))
    serve = feed.command(
        "serve", cmd_feed_serve, "serve your calls over HTTP on this machine until Ctrl-C",
        examples=("tamdesk feed serve --port 5545", "tamdesk feed serve --since 2026-01-01"),
    )
    serve.add_argument("--port", default="5545", help="port to listen on (default 5545)")
    serve.add_argument(
        "--bind", default="127.0.0.1", metavar="ADDRESS", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    serve.add_argument(
        "--include-notes",
        action="store_true",
        help="serve internal notes and open cases too (X2); never implied by the auto feed's own setting",
    )
    _window_arguments(serve, "instead of the auto feed's window: ")


def _window_arguments(parser: argparse.ArgumentParser, lead: str) -> None:
    """``--since DATE | --days-back N``: a feed's window, for calendar apps that choke on years of history."""
    window = parser.add_mutually_exclusive_group()
    window.add_argument("--since", metavar="DATE", help=lead + "only the calls from DATE on (default: every call)")
    window.add_argument(
        "--days-back", metavar="N", help=lead + "only the calls from N days ago on, a window that moves each day"
    )


def _window(args: argparse.Namespace, desk: Desk) -> tuple[date | None, int | None]:
    """The window typed: (its first day, or None; its days back, or None)."""
    days_back = whole(args.days_back, "--days-back", low=0, high=36500) if args.days_back is not None else None
    return day(args.since, desk), days_back


def _export_options(args: argparse.Namespace, desk: Desk) -> Any:
    from tamdesk.services.export import ExportOptions

    since, days_back = _window(args, desk)
    if (since is not None or days_back is not None) and args.auto is None:
        raise BadInput("--since and --days-back are an auto feed's window; for one export give --from DATE")
    return ExportOptions(
        args.customer, day(args.first, desk), day(args.last, desk), args.include_notes, since=since, days_back=days_back
    )


def cmd_export_ics(args: argparse.Namespace) -> None:
    from pathlib import Path

    from tamdesk.services.export import export_ics, export_to_file, set_auto_feed

    desk = open_desk(args)
    options = _export_options(args, desk)
    if args.auto is not None:
        if args.output:
            raise BadInput("give either --auto FILE or -o FILE, not both")
        if args.auto.strip().lower() == "off":
            set_auto_feed(desk, None)
            note("auto feed off: the file stays as it was and is no longer rewritten")
            return
        export = set_auto_feed(desk, Path(args.auto), options)
        note(f"{export.calls} calls written to {args.auto}; it is rewritten after every change from now on")
    else:
        if args.output:
            export = export_to_file(desk, Path(args.output), options)
            note(f"{export.calls} calls written to {args.output}")
        else:
            export = export_ics(desk, options)
            sys.stdout.buffer.write(export.ical)
            sys.stdout.flush()
    if export.warning:
        note(f"tamdesk: {export.warning}")


def cmd_feed_serve(args: argparse.Namespace) -> int:
    from tamdesk.cli.feed_server import serve
    from tamdesk.services.export import ExportOptions

    port = whole(args.port, "--port", low=0, high=65535)
    desk = open_desk(args)
    since, days_back = _window(args, desk)
    window = ExportOptions(since=since, days_back=days_back)
    return serve(desk, args.bind, port, include_notes=args.include_notes, window=window)
