"""``tamdesk emergency``: emergency engagements billed by the hour (E1-E5).

open -> feasibility -> log -> approve -> normalized -> close -> invoice. Human
output shows times in your zone and money for people (Babel); ``--json``
keeps instants in UTC and amounts as exact decimal strings.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tamdesk.cli import team
from tamdesk.cli.common import CUSTOMER_HELP, Commands, day, ident, json_option, local, open_desk, wants_json, your_zone
from tamdesk.cli.output import emit_json, note, say, table
from tamdesk.domain.values import read_whole

if TYPE_CHECKING:
    from tamdesk.services.desk import Desk
    from tamdesk.services.emergencies import EmergencyView, InvoiceView

ID_HELP = "the engagement's id (see 'tamdesk emergency list')"
HOURS_HELP = "hours as 1.5, 1:30 or 90m"


def register(commands: Commands) -> None:
    """``emergency open``, ``feasibility``, ``log``, ``normalized``, ``approve``, ``guarantee``, ``close``, ``show``,
    ``list`` and ``invoice``."""
    emergency = commands.group(
        "emergency", "emergency engagements billed by the hour, 24x7 (E1-E5)",
        examples=("tamdesk emergency open acme 'Database down' --guarantee-hours 2", "tamdesk emergency show 1"),
    )
    opened = emergency.command(
        "open", cmd_open, "open an engagement requested now; prints its id (the feasibility answer is due in 60 min)",
        examples=("tamdesk emergency open acme 'Database down'", "tamdesk emergency open acme 'Ransomware' --guarantee-hours 4"),
    )
    opened.add_argument("customer", help=CUSTOMER_HELP)
    opened.add_argument("title", help="what happened, in a line")
    opened.add_argument("--guarantee-hours", metavar="N", help="hours of guarantee, 1-8 (default 1; none on a monthly plan)")
    answer = emergency.command(
        "feasibility", cmd_feasibility, "give the feasibility answer with its estimates (E3)",
        examples=(
            "tamdesk emergency feasibility 1 --feasible --normalize-hours 4 --mitigate-hours 10 --risk 'data loss'",
            "tamdesk emergency feasibility 1 --declined --note 'product outside our expertise'",
        ),
    )
    answer.add_argument("id", help=ID_HELP)
    which = answer.add_mutually_exclusive_group(required=True)
    which.add_argument("--feasible", action="store_true", help="we can normalize it: the guarantee is billed (invoice 1)")
    which.add_argument("--declined", action="store_true", help="we decline it: nothing is billed")
    answer.add_argument("--normalize-hours", metavar="H", help=f"estimate to normalize: {HOURS_HELP}")
    answer.add_argument("--mitigate-hours", metavar="H", help=f"estimate to mitigate the causes: {HOURS_HELP}")
    answer.add_argument("--guarantee-hours", metavar="N", help="the guarantee the evaluation asks, 1-8")
    answer.add_argument("--risk", metavar="TEXT", help="the risk and the uncertainty, in words")
    answer.add_argument("--note", metavar="TEXT", help="anything else the answer says")
    logged = emergency.command(
        "log", cmd_log, "log the specialist's time; it is cut at your midnights, one entry per day (E4)",
        examples=("tamdesk emergency log 1 '2026-11-23 22:30' '2026-11-24 01:15' --note 'restored the replica'",),
    )
    logged.add_argument("id", help=ID_HELP)
    logged.add_argument("start", help="when the work began (your zone unless it has an offset)")
    logged.add_argument("end", help="when it ended")
    logged.add_argument("--note", metavar="TEXT", help="what was done: the action and its evidence")
    normal = emergency.command(
        "normalized", cmd_normalized, "normality is reached: mitigation starts, invoice 2 is issued",
        examples=("tamdesk emergency normalized 1",),
    )
    normal.add_argument("id", help=ID_HELP)
    approved = emergency.command(
        "approve", cmd_approve, "approve a day's cut of time; only approved time is billed (E4)",
        examples=("tamdesk emergency approve 1 2026-11-23 --by 'Dana Ross'", "tamdesk emergency approve 1 yesterday --by Dana"),
    )
    approved.add_argument("id", help=ID_HELP)
    approved.add_argument("date", help="the day in your zone: 2026-11-23, yesterday")
    approved.add_argument("--by", metavar="NAME", required=True, help="who approved it for the customer")
    guarantee = emergency.command(
        "guarantee", cmd_guarantee, "waive the guarantee, or credit it against normalization (E5)",
        examples=("tamdesk emergency guarantee 1 --credit",),
    )
    guarantee.add_argument("id", help=ID_HELP)
    how = guarantee.add_mutually_exclusive_group(required=True)
    how.add_argument("--waive", action="store_true", help="charge no guarantee (before the feasibility answer bills it)")
    how.add_argument("--credit", action="store_true", help="credit it as a negative line on invoice 2")
    closed = emergency.command(
        "close", cmd_close, "close it: invoice 3 is issued; --report writes the technical report",
        examples=("tamdesk emergency close 1 --report acme-incident.html",),
    )
    closed.add_argument("id", help=ID_HELP)
    closed.add_argument("--report", metavar="FILE", help="write the technical report: HTML if FILE ends in .html, else Markdown (again, once closed)")
    shown = emergency.command("show", cmd_show, "one engagement: clock, entries, invoices", examples=("tamdesk emergency show 1 --json",))
    shown.add_argument("id", help=ID_HELP)
    json_option(shown)
    listed = emergency.command("list", cmd_list, "your engagements, running ones first", examples=("tamdesk emergency list",))
    json_option(listed)
    invoice = emergency.command(
        "invoice", cmd_invoice, "an engagement's issued invoices (or one of them) as Markdown or JSON",
        examples=("tamdesk emergency invoice 1", "tamdesk emergency invoice 1 2 --format json -o invoice-2.json"),
    )
    invoice.add_argument("id", help=ID_HELP)
    invoice.add_argument("number", nargs="?", choices=("1", "2", "3"), help="1 guarantee, 2 normalization, 3 mitigation")
    invoice.add_argument("--format", choices=("md", "json"), default="md", help="Markdown (default) or JSON")
    invoice.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")


def _guarantee_hours(text: str | None) -> int | None:
    # Any whole number reads; outside 1-8 the rule refuses it (E1) and says what is allowed.
    return None if text is None else read_whole(text, "the guarantee hours", low=-(10**6), high=10**6)


def cmd_open(args: argparse.Namespace) -> None:
    from tamdesk.services.emergencies import open_emergency

    view = open_emergency(open_desk(args), args.customer, args.title, guarantee_hours=_guarantee_hours(args.guarantee_hours))
    say(str(view.id))


def cmd_feasibility(args: argparse.Namespace) -> None:
    from tamdesk.services.emergencies import answer_feasibility

    desk = open_desk(args)
    view = answer_feasibility(
        desk, ident(args.id, "emergency"), feasible=args.feasible, normalize_hours=args.normalize_hours,
        mitigate_hours=args.mitigate_hours, guarantee_hours=_guarantee_hours(args.guarantee_hours),
        risk=args.risk, note=args.note,
    )
    answer = "feasible" if view.feasible else "declined"
    say(f"emergency {view.id}: {answer}, answered {view.feasibility} (due {local(view.feasibility_due, your_zone(desk))})")
    _say_invoice_issued(view, 1)


def cmd_log(args: argparse.Namespace) -> None:
    from tamdesk.domain.durations import describe
    from tamdesk.services.emergencies import log_work

    desk = open_desk(args)
    view, ids = log_work(desk, ident(args.id, "emergency"), args.start, args.end, note=args.note)
    yours = your_zone(desk)
    for entry in (e for e in view.entries if e.id in ids):
        say(f"entry {entry.id}: {entry.day.isoformat()} {local(entry.start, yours)[-5:]}-{local(entry.end, yours)[-5:]} "
            f"{describe(entry.minutes)} ({entry.phase})")


def cmd_normalized(args: argparse.Namespace) -> None:
    from tamdesk.services.emergencies import mark_normalized

    view = mark_normalized(open_desk(args), ident(args.id, "emergency"))
    say(f"emergency {view.id} is normalized: mitigation from now on")
    _say_invoice_issued(view, 2)
    _say_unbilled(view, "normalization")


def cmd_approve(args: argparse.Namespace) -> None:
    from tamdesk.services.emergencies import approve_day

    desk = open_desk(args)
    on = day(args.date, desk)
    assert on is not None  # DATE is a required argument
    view = approve_day(desk, ident(args.id, "emergency"), on, args.by)
    say(f"{on.isoformat()} of emergency {view.id} approved by {args.by.strip()}")


def cmd_guarantee(args: argparse.Namespace) -> None:
    from tamdesk.services.emergencies import settle_guarantee

    view = settle_guarantee(open_desk(args), ident(args.id, "emergency"), "waive" if args.waive else "credit")
    said = "credited against the normalization invoice" if view.guarantee == "credited" else "waived"
    say(f"the guarantee of emergency {view.id} is {said}")


def cmd_close(args: argparse.Namespace) -> None:
    from tamdesk.services.emergencies import close_emergency

    from tamdesk.services.emergencies import show_emergency

    desk = open_desk(args)
    number = ident(args.id, "emergency")
    if args.report and show_emergency(desk, number).status == "closed":
        # Closed already: the report is written again from what it holds, and nothing changes.
        _write_report(desk, show_emergency(desk, number), Path(args.report))
        return
    view = close_emergency(desk, number)
    say(f"emergency {view.id} closed")
    _say_invoice_issued(view, 3)
    _say_unbilled(view, "mitigation")
    if args.report:
        _write_report(desk, view, Path(args.report))


def _write_report(desk: Desk, view: EmergencyView, path: Path) -> None:
    from tamdesk.services.emergency_report import write_report

    write_report(desk, view, path)
    note(f"technical report written to {path}")


def cmd_show(args: argparse.Namespace) -> None:
    from tamdesk.services.emergencies import show_emergency

    desk = open_desk(args)
    view = show_emergency(desk, ident(args.id, "emergency"))
    if wants_json(args):
        emit_json(view.as_json())
        return
    _say_emergency(view, your_zone(desk))


def cmd_list(args: argparse.Namespace) -> None:
    from tamdesk.domain.durations import describe
    from tamdesk.services.emergencies import list_emergencies
    from tamdesk.store.models import Emergency

    desk = open_desk(args)
    views = list_emergencies(desk)
    held = team.owners(desk, Emergency, views)  # a manager's list names each engagement's TAM
    if wants_json(args):
        emit_json([team.tam_key(v.as_json(), held, v.id) for v in views])
        return
    yours = your_zone(desk)
    say(table(
        ("ID", "STATUS", "CUSTOMER", "TITLE", f"REQUESTED ({yours})", "FEASIBILITY", "LOGGED", *team.tam_column(held)),
        ((v.id, v.status, v.customer, v.title, local(v.requested_at, yours), v.feasibility,
          describe(sum(e.minutes for e in v.entries)) if v.entries else "-", *team.tam_cell(held, v.id)) for v in views),
        empty="no emergencies",
    ))


def cmd_invoice(args: argparse.Namespace) -> None:
    from tamdesk.services.emergencies import invoice_of, show_emergency

    desk = open_desk(args)
    view = show_emergency(desk, ident(args.id, "emergency"))
    chosen = [invoice_of(view, int(args.number))] if args.number else list(view.invoices)
    if args.format == "json":
        import json

        document = chosen[0].as_json() if args.number else [i.as_json() for i in chosen]
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        yours = your_zone(desk)
        text = "\n".join(_invoice_markdown(view, i, yours) for i in chosen) if chosen else f"emergency {view.id} has no invoices yet\n"
    if args.output:
        from tamdesk.services.emergency_report import write_file

        write_file(desk, Path(args.output), text)
        note(f"written to {args.output}")
    else:
        say(text.rstrip("\n"))


# -- saying it ------------------------------------------------------------------------------------


def _say_invoice_issued(view: EmergencyView, number: int) -> None:
    from tamdesk.domain.money import for_people

    invoice = view.invoice(number)
    if invoice is not None:
        say(f"invoice {number} ({invoice.kind}) issued: {for_people(invoice.total, invoice.currency)}")


def _say_unbilled(view: EmergencyView, phase: str) -> None:
    from tamdesk.domain.durations import describe

    waiting = view.minutes_in(phase, approved=False)
    if waiting:
        note(f"E4: {describe(waiting)} of {phase} time was not approved and is not billed")


def _say_emergency(view: EmergencyView, yours: str) -> None:
    from tamdesk.domain.durations import describe
    from tamdesk.domain.money import for_people

    say(f"emergency {view.id}: {view.title} ({view.customer}, {view.status})")
    clock = f" ({view.due_said})" if view.due_said else ""
    say(f"  requested {local(view.requested_at, yours)}; feasibility due {local(view.feasibility_due, yours)}: {view.feasibility}{clock}")
    if view.feasibility_at is not None:
        answer = "feasible" if view.feasible else "declined"
        say(f"  answered {local(view.feasibility_at, yours)}: {answer}")
    estimates = [f"{what} {describe(m)}" for what, m in (("normalize", view.normalize_minutes), ("mitigate", view.mitigate_minutes)) if m]
    if estimates or view.risk:
        say(f"  estimates: {', '.join(estimates) or '-'}; risk: {view.risk or '-'}")
    guarantee = f"{view.guarantee_hours} h, {view.guarantee}" if view.guarantee_hours else view.guarantee
    say(f"  guarantee: {guarantee}; rates: express {for_people(view.express_rate, view.currency)}/h, "
        f"mitigation {for_people(view.mitigation_rate, view.currency)}/h" + (" (monthly plan)" if view.monthly_plan else ""))
    say(table(
        ("ENTRY", "DAY", f"FROM ({yours})", "TO", "TIME", "PHASE", "APPROVED BY", "NOTE"),
        ((e.id, e.day.isoformat(), local(e.start, yours), local(e.end, yours)[-5:], describe(e.minutes), e.phase,
          e.approved_by or "-", e.note or "") for e in view.entries),
        empty="  no time logged",
    ))
    for invoice in view.invoices:
        say(f"invoice {invoice.number} ({invoice.kind}): {for_people(invoice.total, invoice.currency)}")


def _invoice_markdown(view: EmergencyView, invoice: InvoiceView, yours: str) -> str:
    from tamdesk.domain.durations import describe
    from tamdesk.domain.money import for_people

    money = lambda amount: for_people(amount, invoice.currency)  # noqa: E731
    rows = "\n".join(
        f"| {line.description} | {describe(line.minutes) if line.minutes else ''} | {money(line.rate)}/h | {money(line.amount)} |"
        for line in invoice.lines
    )
    return (
        f"# Invoice {invoice.number}: {invoice.kind}\n\n"
        f"{view.customer}: {view.title} (emergency {view.id}), issued {local(invoice.issued_at, yours)} ({yours})\n\n"
        "| Description | Time | Rate | Amount |\n|---|---|---|---|\n"
        f"{rows}\n| **Total** | | | **{money(invoice.total)}** |\n"
    )
