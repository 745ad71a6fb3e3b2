"""``tamdesk time``: time logged per customer (B1, B2, B5)."""

from __future__ import annotations

import argparse

from tamdesk.cli.common import CUSTOMER_HELP, Commands, day, ident, json_option, open_desk, wants_json
from tamdesk.cli.output import emit_json, note, say, table


def register(commands: Commands) -> None:
    """``time log`` and ``list``."""
    time = commands.group("time", "time logged per customer", examples=("tamdesk time log tyrell 1.5 --note 'prep'",))
    log = time.command(
        "log", cmd_time_log, "log hours for a customer",
        examples=("tamdesk time log tyrell 1.5 --note 'prep'", "tamdesk time log tyrell 0.5 --on yesterday --case 7"),
    )
    log.add_argument("customer", help=CUSTOMER_HELP)
    log.add_argument("hours", help="hours spent, e.g. 1.5")
    log.add_argument("--on", metavar="DATE", help="the day it was spent (default today): 2026-11-24, yesterday, fri")
    log.add_argument("--case", metavar="ID", help="the case the time went to (see 'tamdesk case list')")
    log.add_argument("--note", metavar="TEXT", help="what the time was for")
    log.add_argument("--activity", help="an obligation this time meets (P3), e.g. roadmap")
    log.add_argument("--force", action="store_true", help="confirm going over the customer's weekly cap (B2)")
    json_option(log)
    entries = time.command("list", cmd_time_list, "the week's time entries", examples=("tamdesk time list --date 'next week'",))
    entries.add_argument("--date", metavar="DATE", help="any day of the week to list (default today)")
    json_option(entries)


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
    if wants_json(args):
        emit_json(entry.as_json())
        return
    say(str(entry.id))
    if entry.over_budget:
        note("B2: kept with an over-budget mark")


def cmd_time_list(args: argparse.Namespace) -> None:
    from tamdesk.services.timelog import list_time, week_dates

    desk = open_desk(args)
    chosen = day(args.date, desk)
    if chosen is None:
        chosen = desk.today()
    first, last = week_dates(chosen)
    entries = list_time(desk, first, last)
    if wants_json(args):
        emit_json([e.as_json() for e in entries])
        return
    say(
        table(
            ("ID", "DATE", "CUSTOMER", "HOURS", "NOTE", "MARKS"),
            ((e.id, e.work_date, e.customer, f"{e.minutes / 60:.2f}", e.note or "", "over-budget" if e.over_budget else "") for e in entries),
            empty="no time logged that week",
        )
    )
