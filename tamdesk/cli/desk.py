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
    from tamdesk.services.opening import Opening


def register(commands: Commands) -> None:
    """``demo``."""
    demo = commands.command(
        "demo", cmd_demo,
        "load the demo data set (dates relative to now) into demo.sqlite beside your desk, then open the desk on it",
        examples=("tamdesk demo", "tamdesk demo --fresh", "tamdesk --db try.sqlite demo --no-tui"),
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
    from tamdesk.store.engine import database_url, demo_database_path, printable_url, sqlite_file

    if option(args, "db", "TAMDESK_DB") is None:
        args.db = str(demo_database_path())
    if not args.no_tui and not _has_terminal():
        note("the desk needs a terminal, so the demo was not loaded; to load it only, add --no-tui")
        return 2
    path = sqlite_file(database_url(option(args, "db", "TAMDESK_DB")))
    if not args.no_tui and path is not None and not os.path.exists(path):
        # A new file holds nothing to refuse. Creating it (the migrations: a second, most of it importing
        # Alembic) happens in the load too, behind the progress screen, so the first frame comes at once.
        return open_tui(None, load=partial(_load_demo, args, None), where=path)
    from tamdesk.services.demo import demo_needed

    desk = open_desk(args, for_tui=not args.no_tui)
    needed = demo_needed(desk, fresh=args.fresh)  # a refusal before anything is loaded, or the desk opened
    if args.no_tui:
        from tamdesk.services.demo import load_demo

        note(load_demo(desk, fresh=args.fresh).message)
        return 0
    if not needed:
        return open_tui(desk)
    return open_tui(desk, load=partial(_load_demo, args, desk), where=path or printable_url(desk.url))


def _load_demo(args: argparse.Namespace, desk: Desk | None, progress: ProgressHook) -> Desk:
    """The desk's load, in the app's thread: open ``desk`` (or the one ``args`` name), load the demo, return it."""
    from tamdesk.services.demo import load_demo

    desk = desk or open_desk(args, for_tui=True)
    load_demo(desk, fresh=args.fresh, progress=progress)
    return desk


def _has_terminal() -> bool:
    return sys.stdout.isatty() or bool(os.environ.get("TAMDESK_FORCE_TUI"))


def cmd_tui(args: argparse.Namespace) -> int:
    """``tamdesk`` with no command: open the desk.

    On a terminal the desk is opened in a forked child first, while this
    process imports the interface (``tamdesk.startup.fork_first``); its error
    (locked, damaged, newer than the program) is reported here before any
    frame, with the same message and exit code as when the desk opens here.
    """
    if _has_terminal():
        from tamdesk import startup

        opening = startup.fork_first(option(args, "db", "TAMDESK_DB"), partial(open_desk, args, for_tui=True))
        if opening is not None:
            return _open_forked(args, opening)
    return open_tui(open_desk(args, for_tui=True))


def _open_forked(args: argparse.Namespace, opening: Opening) -> int:
    """Import the interface while the child opens the desk; start the app once the desk is open."""
    from tamdesk.services.opening import NoAnswer

    # Textual costs ~0.3 s to import; the child opens the desk meanwhile.
    from tamdesk.tui.app import run

    try:
        # The desk's refusal to open is the command's, before any frame is drawn; the week is
        # read meanwhile, in the child, while the app starts (a refusal to read it, the app shows).
        opening.opened()
    except NoAnswer:  # the child died: open and read here, in a thread (the process has threads now: no fork)
        return run(open_desk(args, for_tui=True))
    except BaseException:
        opening.close()
        raise
    return run(None, opening, later=partial(open_desk, args, for_tui=True))


def open_tui(desk: Desk | None, load: Callable[[ProgressHook], Desk] | None = None, where: str = "") -> int:
    """Open the interactive desk on ``desk``; bad input when there is no terminal to show it in.

    ``load`` (the demo's, into ``where``) runs in the desk behind a progress screen and
    returns the desk to show; ``desk`` is then None while the load still has to open it.
    """
    if not _has_terminal():
        note("the desk needs a terminal; use a command such as 'tamdesk week' in scripts")
        return 2
    from tamdesk import startup

    # The first read starts now (forked, see tamdesk.startup); with a load to come, once it has ended.
    opening = startup.begin_desk(desk, read=load is None)
    # Textual costs ~0.3 s to import: only the interactive desk pays for it.
    from tamdesk.tui.app import run

    return run(desk, opening, load=load, where=where)
