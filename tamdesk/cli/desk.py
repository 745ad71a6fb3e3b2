"""The desk in the terminal: ``tamdesk`` with no command, and ``tamdesk demo``."""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from typing import TYPE_CHECKING, Callable

from tamdesk.cli.common import Commands, open_desk, option
from tamdesk.cli.output import note

if TYPE_CHECKING:
    from tamdesk.services.demo import ProgressHook
    from tamdesk.services.desk import Desk


def register(commands: Commands) -> None:
    """``demo``."""
    demo = commands.command(
        "demo", cmd_demo,
        "load the demo data set (dates relative to now) into demo.sqlite beside your desk, then open the desk on it",
        examples=("tamdesk demo", "tamdesk demo --fresh", "tamdesk --db /tmp/try.sqlite demo --no-tui"),
    )
    demo.add_argument(
        "--fresh", action="store_true",
        help="replace the demo with a new one; refused if anything was changed in it since it loaded",
    )
    demo.add_argument("--no-tui", action="store_true", help="load only; do not open the desk")


def cmd_demo(args: argparse.Namespace) -> int:
    """Load the demo into its own database (``demo.sqlite`` unless --db or TAMDESK_DB names one), then open it.

    On a terminal the desk opens at once and shows the load's progress; without
    one (and without --no-tui) nothing is loaded: the desk cannot be shown.
    """
    from tamdesk.services.demo import demo_needed, load_demo
    from tamdesk.store.engine import demo_database_path

    if option(args, "db", "TAMDESK_DB") is None:
        args.db = str(demo_database_path())
    desk = open_desk(args, for_tui=not args.no_tui)
    needed = demo_needed(desk, fresh=args.fresh)  # a refusal before anything is loaded, or the desk opened
    if args.no_tui:
        note(load_demo(desk, fresh=args.fresh).message)
        return 0
    if not needed:
        return open_tui(desk)
    if not _has_terminal():
        note("the desk needs a terminal, so the demo was not loaded; to load it only, add --no-tui")
        return 2
    return open_tui(desk, load=partial(load_demo, desk, fresh=args.fresh))


def _has_terminal() -> bool:
    return sys.stdout.isatty() or bool(os.environ.get("TAMDESK_FORCE_TUI"))


def cmd_tui(args: argparse.Namespace) -> int:
    """``tamdesk`` with no command: open the desk."""
    return open_tui(open_desk(args, for_tui=True))


def open_tui(desk: Desk, load: Callable[[ProgressHook], object] | None = None) -> int:
    """Open the interactive desk on ``desk``; bad input when there is no terminal to show it in.

    ``load`` (the demo's) runs in the desk behind a progress screen, then the desk opens on what it loaded.
    """
    if not _has_terminal():
        note("the desk needs a terminal; use a command such as 'tamdesk week' in scripts")
        return 2
    from tamdesk import startup

    # The first read starts now (forked, see tamdesk.startup); with a load to come, once it has ended.
    opening = startup.begin_desk(desk, read=load is None)
    # Textual costs ~0.3 s to import: only the interactive desk pays for it.
    from tamdesk.tui.app import run

    return run(desk, opening, load=load)
