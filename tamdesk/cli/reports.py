"""``tamdesk week``, ``allowance``, ``warnings`` and ``report sla|customer|week``: what the desk says about itself (B1-B4, S3, C3, L4).

``week`` ends with the same warnings ``warnings`` lists (and the desk's Week shows): one list, from one function.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tamdesk.cli.common import CUSTOMER_HELP, Commands, day, json_option, local, open_desk, wants_json, your_zone
from tamdesk.cli.output import emit_json, note, say, table

if TYPE_CHECKING:
    from tamdesk.domain.obligations import Warning
    from tamdesk.services.desk import Desk
    from tamdesk.services.sla_report import SlaReport


def register(commands: Commands) -> None:
    """``week``, ``allowance``, ``warnings`` and ``report sla``, ``report customer``, ``report week``."""
    week = commands.command(
        "week", cmd_week, "your week: hours per customer, caseload", examples=("tamdesk week", "tamdesk week --date 'next week'")
    )
    week.add_argument("--date", metavar="DATE", help="any day of the week to show (default today): 2026-11-24, fri, next week")
    json_option(week)
    allowance = commands.command(
        "allowance", cmd_allowance, "session ledgers for a month", examples=("tamdesk allowance --month 2026-11 --customer tyrell",)
    )
    allowance.add_argument("--month", metavar="YYYY-MM", help="the month to show (default: each customer's current period in its own zone, T2)")
    allowance.add_argument("--customer", help="only this customer: " + CUSTOMER_HELP)
    json_option(allowance)
    warn = commands.command("warnings", cmd_warnings, "what needs attention now", examples=("tamdesk warnings --json",))
    json_option(warn)
    report = commands.group(
        "report", "reports over a period",
        examples=("tamdesk report sla --from 2026-11-01 --to 2026-11-30", "tamdesk report customer umbrella", "tamdesk report week"),
    )
    compliance = report.command(
        "sla", cmd_report_sla,
        "SLA compliance: first responses, updates and escalations on time against their targets, and every miss (L4)",
        examples=("tamdesk report sla", "tamdesk report sla --from 2026-10-01 --to 2026-12-31 --customer tyrell --json"),
    )
    compliance.add_argument("--from", dest="first", metavar="DATE", help="the first day, in your zone (default: the first of --to's month, else of this month)")
    compliance.add_argument("--to", dest="last", metavar="DATE", help="the last day, included (default: the last of --from's month, else of this month)")
    compliance.add_argument("--customer", metavar="C", help="only this customer's cases: " + CUSTOMER_HELP)
    json_option(compliance)
    status = report.command(
        "customer", cmd_report_customer,
        "a status report for one customer: sessions, hours by week, cases and response times, open cases, problems, "
        "deliverables and what comes next, in the customer's words and zone",
        examples=(
            "tamdesk report customer umbrella",
            "tamdesk report customer umbrella --from 2026-10-01 --to 2026-10-31 --format html -o umbrella-october.html",
        ),
    )
    status.add_argument("customer", metavar="C", help=CUSTOMER_HELP)
    status.add_argument(
        "--from", dest="first", metavar="DATE",
        help="the first day, in the customer's zone (default: the 1st of this month there, so the month so far; "
        "alone, the report runs to the end of its month)",
    )
    status.add_argument(
        "--to", dest="last", metavar="DATE",
        help="the last day, included (default: today; with --from alone, the end of --from's month)",
    )
    status.add_argument("--format", choices=("md", "html"), default="md", help="Markdown to paste into an email (default), or one self-contained HTML page")
    status.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    status.add_argument(
        "--include-notes", action="store_true",
        help="add internal notes (on time entries, on the customer, bookings' exceptions); a new file is then private",
    )
    sheet = report.command(
        "week", cmd_report_week, "your timesheet for a week: hours per customer and per day, totals against the caps",
        examples=("tamdesk report week", "tamdesk report week --date 'last week' --format csv -o week.csv"),
    )
    sheet.add_argument("--date", metavar="DATE", help="any day of the week (default today, your zone): 2026-11-24, fri, last week")
    sheet.add_argument("--format", choices=("md", "csv"), default="md", help="Markdown (default), or CSV for a spreadsheet (UTF-8 with BOM, ISO dates, hours with a dot)")
    sheet.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")


def cmd_week(args: argparse.Namespace) -> None:
    from tamdesk.services.reports import week_report

    desk = open_desk(args)
    summary, found = week_report(desk, day(args.date, desk))
    if wants_json(args):
        emit_json({**summary.as_json(), "warnings": [w.as_json() for w in found]})
        return
    load = summary.caseload
    warn = "  (C3: near the cap)" if load.warning else ""
    say(f"Week {summary.week} from {summary.first:%a %d %b %Y} ({summary.tz})   caseload {load}{warn}, {load.queued} queued")
    say(
        table(
            ("CUSTOMER", "PLAN", "LOGGED", "BOOKED", "TOTAL", "CAP", "STATE"),
            (
                (
                    c.customer,
                    c.plan,
                    f"{c.logged_minutes / 60:.1f}",
                    f"{c.booked_minutes / 60:.1f}",
                    f"{c.total_minutes / 60:.1f}",
                    f"{c.cap_hours:g}",
                    ", ".join(s for s in ("OVER BUDGET" if c.over else "", "consistently over" if c.consistently_over else "") if s),
                )
                for c in summary.customers
            ),
            empty="no customers yet",
        )
    )
    say(f"Your week: {summary.tam_minutes / 60:.1f} h of {summary.working_hours:g} h")
    say("")
    _say_warnings(found)


def _say_warnings(found: list[Warning]) -> None:
    """The one list of warnings, as ``warnings`` and ``week`` print it."""
    say(table(("RULE", "CUSTOMER", "WARNING"), ((w.rule, w.customer, w.text) for w in found), empty="nothing needs attention"))


def cmd_allowance(args: argparse.Namespace) -> None:
    from tamdesk.domain.periods import parse_month
    from tamdesk.services.reports import allowance_report

    month = parse_month(args.month) if args.month else None
    views = allowance_report(open_desk(args), month, args.customer)
    if wants_json(args):
        emit_json([v.as_json() for v in views])
        return
    say(
        table(
            ("CUSTOMER", "PERIOD", "GRANTED", "CARRIED IN", "BOOKED", "HELD", "AVAILABLE", "CARRIED OUT", "FORFEITED"),
            (
                (
                    v.customer,
                    v.row.period.key,
                    v.row.granted,
                    v.row.carried_in,
                    v.row.booked,
                    v.row.held,
                    v.row.available,
                    v.row.carried_out if v.row.final else f"{v.row.carried_out} (proj.)",
                    v.row.forfeited if v.row.final else f"{v.row.forfeited} (proj.)",
                )
                for v in views
            ),
            empty="no customer with a session allowance then (none is shown before its contract starts, S3)",
        )
    )


def cmd_warnings(args: argparse.Namespace) -> None:
    from tamdesk.services.reports import warnings

    found = warnings(open_desk(args))
    if wants_json(args):
        emit_json([w.as_json() for w in found])
        return
    _say_warnings(found)


def cmd_report_sla(args: argparse.Namespace) -> None:
    from tamdesk.services.sla_report import sla_report

    desk = open_desk(args)
    report = sla_report(desk, day(args.first, desk), day(args.last, desk), args.customer)
    if wants_json(args):
        emit_json(report.as_json())
        return
    _say_sla(report, your_zone(desk))


def _say_sla(report: SlaReport, yours: str) -> None:
    """The shares against their targets, then the misses with their times in the TAM's zone."""
    c = report.compliance
    say(f"SLA compliance {report.first} to {report.last} ({yours})")
    say(table(
        ("DEADLINES", "ON TIME", "LATE", "SHARE", "TARGET", "MET"),
        (
            (name, share.on_time, share.late, "-" if share.share is None else f"{share.share:.1%}", f"{share.target:.0%}",
             {None: "nothing due", True: "yes", False: "NO"}[share.met])
            for name, share in (
                ("first responses", c.first_response), ("updates", c.updates), ("escalations", c.escalations),
                ("updates and escalations", c.updates_and_escalations),
            )
        ),
    ))
    say("")
    say(table(
        ("CASE", "CUSTOMER", "DEADLINE", "DUE", "DONE"),
        ((m.case.id, m.case.customer, m.kind, local(m.due, yours), local(m.done_at, yours) if m.done_at else "breached")
         for m in c.misses),
        empty="no deadline missed",
    ))


def cmd_report_customer(args: argparse.Namespace) -> None:
    from tamdesk.services.report_files import customer_report_text

    desk = open_desk(args)
    text = customer_report_text(
        desk, args.customer, day(args.first, desk), day(args.last, desk), fmt=args.format, include_notes=args.include_notes
    )
    _deliver(args, desk, text, private=args.include_notes)


def cmd_report_week(args: argparse.Namespace) -> None:
    from tamdesk.services.report_files import timesheet_text

    desk = open_desk(args)
    _deliver(args, desk, timesheet_text(desk, day(args.date, desk), args.format), private=False)


def _deliver(args: argparse.Namespace, desk: Desk, text: str, *, private: bool) -> None:
    """A report to ``-o FILE`` (atomically, never over the database; notes make a new file private), else to stdout."""
    if not args.output:
        binary = getattr(sys.stdout, "buffer", None)  # a text stream without bytes under it (a caller's StringIO) takes the text
        sys.stdout.flush()
        if binary is None:
            sys.stdout.write(text)
        else:
            binary.write(text.encode("utf-8"))  # the same bytes as the file (a CSV's BOM too), whatever the locale says
        sys.stdout.flush()
        return
    from pathlib import Path

    from tamdesk.services.report_files import write_report

    write_report(desk, Path(args.output), text, private=private)
    note(f"report written to {args.output}")
