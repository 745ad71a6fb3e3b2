"""``tamdesk time``: time logged per customer (B1, B2, B5)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tamdesk.cli import team
from tamdesk.cli.common import CUSTOMER_HELP, Commands, day, ident, json_option, open_desk, wants_json
from tamdesk.cli.output import emit_json, note, say, table
from tamdesk.domain.errors import BadInput

if TYPE_CHECKING:
    from tamdesk.services.views import TimeEntryView


#: What the duration argument accepts (B5), for every command that takes one.
DURATION_HELP = "hours as 1.5, 1,5 or 1:30, or 90m, 45min, 1h30m: a whole number of minutes (B5)"


def register(commands: Commands) -> None:
    """``time log``, ``list``, ``edit`` and ``delete``."""
    time = commands.group("time", "time logged per customer", examples=("tamdesk time log tyrell 1.5 --note 'prep'",))
    log = time.command(
        "log", cmd_time_log, "log hours for a customer",
        examples=("tamdesk time log tyrell 1.5 --note 'prep'", "tamdesk time log tyrell 1:30 --on yesterday --case 7"),
    )
    log.add_argument("customer", help=CUSTOMER_HELP)
    log.add_argument("hours", help=DURATION_HELP)
    log.add_argument("--on", metavar="DATE", help="the day it was spent (default today): 2026-11-24, yesterday, fri")
    log.add_argument("--case", metavar="ID", help="the case the time went to (see 'tamdesk case list')")
    log.add_argument("--note", metavar="TEXT", help="what the time was for")
    log.add_argument("--activity", help="an obligation this time meets (P3), e.g. roadmap")
    log.add_argument("--force", action="store_true", help="confirm going over the customer's weekly cap (B2)")
    json_option(log)
    entries = time.command("list", cmd_time_list, "the week's time entries", examples=("tamdesk time list --date 'next week'",))
    entries.add_argument("--date", metavar="DATE", help="any day of the week to list (default today)")
    json_option(entries)
    edit = time.command(
        "edit", cmd_time_edit, "correct a time entry under the rules of logging (B2, B5)",
        examples=("tamdesk time edit 12 --hours 1:30", "tamdesk time edit 12 --on yesterday --customer tyrell"),
    )
    edit.add_argument("id", help="the entry's id, as `time list` shows it")
    edit.add_argument("--hours", metavar="H", help=DURATION_HELP)
    edit.add_argument("--on", metavar="DATE", help="the day it was given on")
    edit.add_argument("--customer", metavar="C", help="the customer it was given to")
    edit.add_argument("--note", metavar="TEXT", help="a new note; an empty one clears it")
    edit.add_argument("--activity", metavar="KIND", help="the obligation it meets (P3); empty clears it")
    edit.add_argument("--force", action="store_true", help="confirm over the cap (B2) or in a week that has ended (B5)")
    json_option(edit)
    delete = time.command(
        "delete", cmd_time_delete, "delete a time entry; its history keeps it (B5)", examples=("tamdesk time delete 12",)
    )
    delete.add_argument("id", help="the entry's id, as `time list` shows it")
    delete.add_argument("--force", action="store_true", help="confirm deleting from a week that has ended (B5)")
    json_option(delete)


def cmd_time_log(args: argparse.Namespace) -> None:
    from tamdesk.services.timelog import log_time

    desk = open_desk(args)
    entry = log_time(
        desk,
        args.customer,
        args.hours,
        on=day(args.on, desk),
        case_id=ident(args.case, "case") if args.case else None,
        note=args.note,
        activity=args.activity,
        force=args.force,
    )
    _print_entry(args, entry)


def cmd_time_edit(args: argparse.Namespace) -> None:
    from tamdesk.services.timelog import edit_time

    changes = (args.hours, args.on, args.customer, args.note, args.activity)
    if all(change is None for change in changes):
        raise BadInput("say what to change: --hours, --on, --customer, --note or --activity")
    desk = open_desk(args)
    entry = edit_time(
        desk,
        ident(args.id, "time entry"),
        hours=args.hours,
        on=day(args.on, desk),
        customer_ref=args.customer,
        note=args.note,
        activity=args.activity,
        force=args.force,
    )
    _print_entry(args, entry)


def cmd_time_delete(args: argparse.Namespace) -> None:
    from tamdesk.services.timelog import delete_time

    desk = open_desk(args)
    _print_entry(args, delete_time(desk, ident(args.id, "time entry"), force=args.force))


def _print_entry(args: argparse.Namespace, entry: TimeEntryView) -> None:
    """The entry as JSON, or its id (and its over-budget mark) for a person."""
    if wants_json(args):
        emit_json(entry.as_json())
        return
    say(str(entry.id))
    if entry.over_budget:
        note("B2: kept with an over-budget mark")


def cmd_time_list(args: argparse.Namespace) -> None:
    from tamdesk.services.timelog import list_time, week_dates
    from tamdesk.store.models import TimeEntry

    desk = open_desk(args)
    chosen = day(args.date, desk)
    if chosen is None:
        chosen = desk.today()
    first, last = week_dates(chosen)
    entries = list_time(desk, first, last)
    held = team.owners(desk, TimeEntry, entries)  # a manager's list names each entry's TAM
    if wants_json(args):
        emit_json([team.tam_key(e.as_json(), held, e.id) for e in entries])
        return
    say(
        table(
            ("ID", "DATE", "CUSTOMER", "HOURS", "NOTE", "MARKS", *team.tam_column(held)),
            (
                (e.id, e.work_date, e.customer, f"{e.minutes / 60:.2f}", e.note or "", "over-budget" if e.over_budget else "",
                 *team.tam_cell(held, e.id))
                for e in entries
            ),
            empty="no time logged that week",
        )
    )
