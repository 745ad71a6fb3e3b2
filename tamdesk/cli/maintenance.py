"""``tamdesk doctor``, ``tamdesk backup`` and ``tamdesk migrate``: the desk's file checked, copied while in use, moved."""

from __future__ import annotations

import argparse
from pathlib import Path

from tamdesk.cli.common import Commands, json_option, option, wants_json
from tamdesk.cli.output import emit_json, note, say, table


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
    migrate = commands.command(
        "migrate", cmd_migrate, "copy the whole desk into an empty database (PostgreSQL or SQLite), checked table by table",
        examples=(
            "tamdesk migrate --to postgresql+psycopg://me@db.example.com/tamdesk",
            "tamdesk --db postgresql+psycopg://me@db.example.com/tamdesk migrate --to ~/tamdesk-copy.sqlite",
        ),
    )
    migrate.add_argument("--to", required=True, metavar="URL", help="the target: a SQLAlchemy URL or a SQLite path, new or empty")
    json_option(migrate)


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


def cmd_migrate(args: argparse.Namespace) -> int:
    from tamdesk.services.migrate import migrate_desk

    moved = migrate_desk(option(args, "db", "TAMDESK_DB"), args.to)
    if wants_json(args):
        emit_json({
            "tables": [{"table": c.table, "rows": c.rows, "checksum": c.checksum, "same": c.same} for c in moved.tables],
            "from": moved.source,
            "to": moved.target,
        })
    else:
        rows = [(c.table, c.rows, c.checksum[:16], "ok" if c.same else f"DIFFERS ({c.target_rows} rows)") for c in moved.tables]
        say(table(("table", "rows", "checksum", "ok"), rows))
    if not moved.same:
        differ = ", ".join(c.table for c in moved.tables if not c.same)
        note(f"tamdesk: the copy differs from the desk in {differ}; it was rolled back, {moved.target} is as it was")
        return 1
    rows = sum(c.rows for c in moved.tables)
    note(f"moved {rows} rows from {moved.source} to {moved.target} in {moved.seconds:.1f} s, every table checked")
    return 0
