"""``tamdesk doctor`` and ``tamdesk backup``: the desk's file checked, and copied while in use."""

from __future__ import annotations

import argparse
from pathlib import Path

from tamdesk.cli.common import Commands, option
from tamdesk.cli.output import note, say


def register(commands: Commands) -> None:
    """``doctor`` and ``backup``."""
    commands.command(
        "doctor", cmd_doctor, "check the database file whole, and say how to restore it if not", examples=("tamdesk doctor",)
    )
    backup = commands.command(
        "backup", cmd_backup, "copy the database to FILE, safely while the desk is open",
        examples=("tamdesk backup ~/backups/tamdesk-2026-11-23.sqlite",),
    )
    backup.add_argument("file", metavar="FILE", help="a new file for the copy (created private, 0600)")


def cmd_doctor(args: argparse.Namespace) -> int:
    from tamdesk.services.maintenance import RESTORE, doctor

    checkup = doctor(option(args, "db", "TAMDESK_DB"))
    if checkup.whole:
        say(f"{checkup.path}: whole (schema {checkup.revision or 'new'})")
        return 0
    say(f"{checkup.path}: damaged; SQLite's integrity check found:")
    for problem in checkup.problems[:20]:
        say(f"  {problem}")
    if len(checkup.problems) > 20:
        say(f"  ... and {len(checkup.problems) - 20} more")
    note(f"tamdesk: the desk opens this file read-only; {RESTORE}")
    return 2


def cmd_backup(args: argparse.Namespace) -> None:
    from tamdesk.services.maintenance import make_backup

    pages = make_backup(option(args, "db", "TAMDESK_DB"), Path(args.file))
    note(f"backed up {pages} pages to {args.file}; restore it by copying it to the database's place")
