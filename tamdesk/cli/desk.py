"""The desk in the terminal: ``tamdesk`` with no command, and ``tamdesk demo``."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from tamdesk.cli.common import Commands, open_desk
from tamdesk.cli.output import note

if TYPE_CHECKING:
    from tamdesk.services.desk import Desk


def register(commands: Commands) -> None:
    """``demo``."""
    demo = commands.command(
        "demo", cmd_demo, "load the demo data set (dates relative to now), then open the desk",
        examples=("tamdesk demo", "tamdesk --db demo.sqlite demo --fresh"),
    )
    demo.add_argument("--fresh", action="store_true", help="replace an existing demo data set")
    demo.add_argument("--no-tui", action="store_true", help="load only; do not open the desk")


def cmd_demo(args: argparse.Namespace) -> int:
    from tamdesk.services.demo import load_demo

    desk = open_desk(args)
    loaded = load_demo(desk, fresh=args.fresh)
    note(loaded.message)
    if not args.no_tui:
        return open_tui(desk)
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    """``tamdesk`` with no command: open the desk."""
    return open_tui(open_desk(args, for_tui=True))


def open_tui(desk: Desk) -> int:
    """Open the interactive desk on ``desk``; bad input when there is no terminal to show it in."""
    if not sys.stdout.isatty() and not os.environ.get("TAMDESK_FORCE_TUI"):
        note("the desk needs a terminal; use a command such as 'tamdesk week' in scripts")
        return 2
    from tamdesk import startup

    opening = startup.begin_desk(desk)
    # Textual costs ~0.3 s to import: only the interactive desk pays for it.
    from tamdesk.tui.app import run

    return run(desk, opening)
