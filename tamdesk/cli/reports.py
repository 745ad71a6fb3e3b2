"""``tamdesk week``, ``allowance`` and ``warnings``: what the desk says about itself (B1-B4, S3, C3).

``week`` ends with the same warnings ``warnings`` lists (and the desk's Week shows): one list, from one function.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tamdesk.cli.common import CUSTOMER_HELP, Commands, day, json_option, local, open_desk, wants_json, your_zone
from tamdesk.cli.output import emit_json, say, table

if TYPE_CHECKING:
    from tamdesk.domain.obligations import Warning


def register(commands: Commands) -> None:
    """``week``, ``allowance``, ``warnings`` and ``report sla``."""
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
    report = commands.group("report", "reports over a period", examples=("tamdesk report sla --from 2026-11-01 --to 2026-11-30",))
    sla = report.command(
        "sla", cmd_report_sla, "SLA compliance: first responses, updates and escalations on time against L4's targets, and every miss",
        examples=("tamdesk report sla", "tamdesk report sla --from 2026-11-01 --to 2026-11-30 --customer tyrell --json"),
    )
    sla.add_argument("--from", dest="first", metavar="DATE", help="from this day (your zone; default: this month's first)")
    sla.add_argument("--to", dest="last", metavar="DATE", help="to this day, included (default: the month's last)")
    sla.add_argument("--customer", metavar="C", help="only this customer's cases: " + CUSTOMER_HELP)
    json_option(sla)


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
    c = report.compliance
    say(f"SLA compliance {report.first} to {report.last}")
    say(table(
        ("DEADLINES", "ON TIME", "LATE", "SHARE", "TARGET", "MET"),
        (
            (name, s.on_time, s.late, "-" if s.share is None else f"{s.share:.0%}", f"{s.target:.0%}",
             "-" if s.met is None else ("yes" if s.met else "no"))
            for name, s in (("first responses", c.first_response), ("updates", c.updates), ("escalations", c.escalations),
                            ("updates and escalations", c.updates_and_escalations))
        ),
    ))
    yours = your_zone(desk)
    say(table(
        ("CASE", "CUSTOMER", "DEADLINE", f"DUE ({yours})", "DONE"),
        ((m.case.id, m.case.customer, m.kind, local(m.due, yours), local(m.done_at, yours) if m.done_at else "not done")
         for m in c.misses),
        empty="no misses",
    ))
