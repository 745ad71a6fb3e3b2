"""``tamdesk``: the scriptable command line (a contract: see README "Command line").

Exit codes: 0 done; 2 bad input; 3 refused by a rule (the message names it
and says what would be allowed); 4 the database stayed busy. A refused or bad
command changes nothing. Every global option also reads an environment
variable: ``--db`` TAMDESK_DB, ``--now`` TAMDESK_NOW, ``--tz`` TAMDESK_TZ.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from datetime import datetime
from typing import Any, Callable, Sequence

from tamdesk.cli.output import emit_json, note, say, table
from tamdesk.domain.errors import BadInput, NeedsConfirmation, TamdeskError

Handler = Callable[[argparse.Namespace], int | None]


def _globals(*, with_tz: bool = True) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("global options")
    group.add_argument("--db", default=argparse.SUPPRESS, help="database path or SQLAlchemy URL [TAMDESK_DB]")
    group.add_argument("--now", default=argparse.SUPPRESS, help="the clock, ISO 8601, for back-dating and tests [TAMDESK_NOW]")
    if with_tz:
        group.add_argument("--tz", default=argparse.SUPPRESS, help="your IANA time zone [TAMDESK_TZ]; default: settings, then the system's")
    return parent


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; global options are accepted before or after a command."""
    common = _globals()
    # 'customer add --tz' is the customer's zone; there, yours goes before the command.
    without_tz = _globals(with_tz=False)
    parser = argparse.ArgumentParser(
        prog="tamdesk",
        description="A terminal desk for Technical Account Managers. With no command, opens the desk.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(parent: Any, name: str, handler: Handler, help: str, *, globals_: Any = common) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help, description=help, parents=[globals_])
        sub.set_defaults(handler=handler)
        return sub

    def group(name: str, help: str) -> Any:
        sub = commands.add_parser(name, help=help, description=help, parents=[common])
        sub.set_defaults(handler=lambda args: _usage(sub))
        return sub.add_subparsers(dest="action", metavar="ACTION")

    demo = command(commands, "demo", cmd_demo, "load the demo data set (dates relative to now), then open the desk")
    demo.add_argument("--fresh", action="store_true", help="replace an existing demo data set")
    demo.add_argument("--no-tui", action="store_true", help="load only; do not open the desk")

    customer = group("customer", "customers and their contracts")
    add = command(customer, "add", cmd_customer_add, "add a customer on a plan", globals_=without_tz)
    add.add_argument("name")
    add.add_argument("--plan", required=True)
    add.add_argument("--tz", dest="customer_tz", required=True, metavar="ZONE", help="contract time zone (IANA)")
    add.add_argument("--country", help="ISO 3166 code for public holidays, e.g. ES or US-NY")
    add.add_argument("--contact", action="append", default=[], metavar="EMAIL")
    add.add_argument("--hours-cap", type=str, metavar="H", help="weekly hours cap (default: the plan's)")
    add.add_argument("--business-hours", metavar="HH:MM-HH:MM")
    add.add_argument("--json", action="store_true")
    listing = command(customer, "list", cmd_customer_list, "list customers")
    listing.add_argument("--json", action="store_true")
    show = command(customer, "show", cmd_customer_show, "one customer in detail")
    show.add_argument("customer")
    show.add_argument("--json", action="store_true")
    critical = command(customer, "critical", cmd_customer_critical, "declare a critical period (T5)")
    critical.add_argument("customer")
    critical.add_argument("start")
    critical.add_argument("end")
    critical.add_argument("label")

    session = group("session", "calls: working sessions and reviews")
    book = command(session, "book", cmd_session_book, "book a call; START is local to the contract")
    book.add_argument("customer")
    book.add_argument("start")
    book.add_argument("--minutes", default="60")
    book.add_argument("--review", action="store_true", help="the quarter's review (or the plan's review call)")
    book.add_argument("--agenda")
    book.add_argument("--force", action="store_true", help="confirm an exception: out of hours, over budget")
    book.add_argument("--json", action="store_true")
    move = command(session, "move", cmd_session_move, "move a call, keeping its identity")
    move.add_argument("id")
    move.add_argument("start")
    move.add_argument("--by", required=True, choices=("customer", "tam"))
    move.add_argument("--force", action="store_true")
    move.add_argument("--json", action="store_true")
    cancel = command(session, "cancel", cmd_session_cancel, "cancel a call")
    cancel.add_argument("id")
    cancel.add_argument("--by", required=True, choices=("customer", "tam"))
    cancel.add_argument("--json", action="store_true")
    for mark in ("held", "no-show"):
        marked = command(session, mark, _marker(mark), f"mark a call {mark}")
        marked.add_argument("id")
        marked.add_argument("--json", action="store_true")
    calls = command(session, "list", cmd_session_list, "list calls")
    calls.add_argument("--from", dest="first")
    calls.add_argument("--to", dest="last")
    calls.add_argument("--customer")
    calls.add_argument("--json", action="store_true")
    history = command(session, "history", cmd_session_history, "a call's moves and changes")
    history.add_argument("id")

    case = group("case", "the caseload")
    opened = command(case, "open", cmd_case_open, "open a case (or queue it at the cap)")
    opened.add_argument("customer")
    opened.add_argument("title")
    opened.add_argument("--severity", required=True, choices=("critical", "high", "normal"))
    opened.add_argument("--queue", action="store_true")
    opened.add_argument("--json", action="store_true")
    resolved = command(case, "resolve", cmd_case_resolve, "resolve a case")
    resolved.add_argument("id")
    resolved.add_argument("--json", action="store_true")
    cases = command(case, "list", cmd_case_list, "list cases: open, queued, resolved")
    cases.add_argument("--open", action="store_true", help="leave resolved cases out")
    cases.add_argument("--json", action="store_true")

    time = group("time", "time logged per customer")
    log = command(time, "log", cmd_time_log, "log hours for a customer")
    log.add_argument("customer")
    log.add_argument("hours")
    log.add_argument("--on", metavar="DATE")
    log.add_argument("--case", metavar="ID")
    log.add_argument("--note")
    log.add_argument("--activity", help="an obligation this time meets (P3), e.g. roadmap")
    log.add_argument("--force", action="store_true")
    log.add_argument("--json", action="store_true")
    entries = command(time, "list", cmd_time_list, "the week's time entries")
    entries.add_argument("--date", metavar="DATE")
    entries.add_argument("--json", action="store_true")

    week = command(commands, "week", cmd_week, "your week: hours per customer, caseload")
    week.add_argument("--date", metavar="DATE")
    week.add_argument("--json", action="store_true")
    allowance = command(commands, "allowance", cmd_allowance, "session ledgers for a month")
    allowance.add_argument("--month", metavar="YYYY-MM")
    allowance.add_argument("--customer")
    allowance.add_argument("--json", action="store_true")
    warn = command(commands, "warnings", cmd_warnings, "what needs attention now")
    warn.add_argument("--json", action="store_true")

    timeoff = group("timeoff", "your time off and training (T4)")
    off = command(timeoff, "add", cmd_timeoff_add, "record time off; START and END in your zone")
    off.add_argument("start")
    off.add_argument("end")
    off.add_argument("--training", action="store_true")
    off.add_argument("--note")

    export = group("export", "your calls for calendar apps (X1)")
    ics = command(export, "ics", cmd_export_ics, "the calls as iCalendar: to stdout, a file, or a feed kept current")
    ics.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    ics.add_argument("--customer")
    ics.add_argument("--from", dest="first", metavar="DATE", help="calls from this day on (your zone)")
    ics.add_argument("--to", dest="last", metavar="DATE", help="calls up to this day (your zone)")
    ics.add_argument("--include-notes", action="store_true", help="add internal notes and open cases (X2)")
    ics.add_argument(
        "--auto", metavar="FILE", help="keep FILE current after every change from now on; 'off' stops"
    )

    feed = group("feed", "a calendar feed calendar apps subscribe to")
    serve = command(feed, "serve", cmd_feed_serve, "serve your calls over HTTP on this machine until Ctrl-C")
    serve.add_argument("--port", default="5545", help="port to listen on (default 5545)")
    serve.add_argument(
        "--bind", default="127.0.0.1", metavar="ADDRESS", help="address to listen on (default 127.0.0.1: this machine only)"
    )

    config = group("config", "your name, email, zone and reminders")
    setter = command(config, "set", cmd_config_set, "set name, email, tz, working_hours, alarm_minutes or theme")
    setter.add_argument("key")
    setter.add_argument("value")
    getter = command(config, "get", cmd_config_get, "show the settings")
    getter.add_argument("key", nargs="?")
    command(config, "path", cmd_config_path, "where the database and config live")
    return parser


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


# --- plumbing -----------------------------------------------------------------


def _option(args: argparse.Namespace, name: str, env: str) -> str | None:
    return getattr(args, name, None) or os.environ.get(env) or None


def _now(args: argparse.Namespace) -> datetime | None:
    text = _option(args, "now", "TAMDESK_NOW")
    if text is None:
        return None
    from tamdesk.domain.timezones import parse_datetime, zone

    tz = zone(_option(args, "tz", "TAMDESK_TZ") or _system_zone())
    return parse_datetime(text, tz)


def _system_zone() -> str:
    from tamdesk.services.desk import system_zone_name

    return system_zone_name()


def open_desk(args: argparse.Namespace, *, for_tui: bool = False):  # type: ignore[no-untyped-def]
    """The desk the global options name (the TUI is built on the same one)."""
    from tamdesk.services.desk import Desk

    desk = Desk.open(_option(args, "db", "TAMDESK_DB"), now=_now(args), tz=_option(args, "tz", "TAMDESK_TZ"))
    if not for_tui and not gc.isenabled():  # paused by ``program`` while starting; the TUI resumes it itself
        gc.freeze()
        gc.enable()
    return desk


def _json(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "json", False))


def _date(text: str | None, desk: Any):  # type: ignore[no-untyped-def]
    """A typed date (ISO, or relative to the desk's today: "in 2 days"), or ``None`` when not given."""
    from tamdesk.domain.humanize import read_date

    return read_date(text, desk.today()) if text else None


def _int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise BadInput(f"{what} must be a whole number, not {text!r}") from None


def _local(instant: datetime, tz: str) -> str:
    from zoneinfo import ZoneInfo

    return f"{instant.astimezone(ZoneInfo(tz)):%a %Y-%m-%d %H:%M}"


# --- commands -----------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from tamdesk.services.demo import load_demo

    desk = open_desk(args)
    loaded = load_demo(desk, fresh=args.fresh)
    note(loaded.message)
    if not args.no_tui:
        return _open_tui(desk)
    return 0


def cmd_customer_add(args: argparse.Namespace) -> None:
    from tamdesk.services.customers import CustomerFields, add_customer

    cap = None
    if args.hours_cap is not None:
        try:
            cap = float(args.hours_cap)
        except ValueError:
            raise BadInput(f"--hours-cap must be a number of hours, not {args.hours_cap!r}") from None
    view = add_customer(
        open_desk(args),
        CustomerFields(
            name=args.name,
            plan=args.plan,
            tz=args.customer_tz,
            country=args.country,
            contacts=args.contact,
            hours_cap=cap,
            business_hours=args.business_hours,
        ),
    )
    emit_json(view.as_json()) if _json(args) else say(str(view.id))


def cmd_customer_list(args: argparse.Namespace) -> None:
    from tamdesk.services.customers import list_customers

    views = list_customers(open_desk(args))
    if _json(args):
        emit_json([{k: v.as_json()[k] for k in ("id", "name", "plan", "tz", "country")} for v in views])
        return
    say(
        table(
            ("ID", "NAME", "PLAN", "ZONE", "COUNTRY", "HOURS", "CAP"),
            ((v.id, v.name, v.plan, v.tz, v.country or "-", v.business_hours, f"{v.hours_cap:g} h") for v in views),
            empty="no customers yet: add one with 'tamdesk customer add' or try 'tamdesk demo'",
        )
    )


def cmd_customer_show(args: argparse.Namespace) -> None:
    from tamdesk.services.customers import get_customer

    view = get_customer(open_desk(args), args.customer)
    if _json(args):
        emit_json(view.as_json())
        return
    say(f"{view.name} (id {view.id})")
    say(f"  plan            {view.plan}")
    say(f"  zone            {view.tz}")
    say(f"  country         {view.country or '-'}")
    say(f"  business hours  {view.business_hours} Monday-Friday")
    say(f"  weekly cap      {view.hours_cap:g} h")
    say(f"  contacts        {', '.join(view.contacts) or '-'}")
    for start, end, label in view.critical_periods:
        say(f"  critical        {label}: {_local(start, view.tz)} to {_local(end, view.tz)}")


def cmd_customer_critical(args: argparse.Namespace) -> None:
    from tamdesk.services.customers import add_critical_period

    view = add_critical_period(open_desk(args), args.customer, args.start, args.end, args.label)
    say(f"{view.name}: critical period {args.label!r} recorded")


def _print_change(args: argparse.Namespace, change: Any, verb: str) -> None:
    if _json(args):
        emit_json({**change.call.as_json(), "note": change.note})
        return
    call = change.call
    say(f"call {call.id} {verb}: {call.customer}, {_local(call.start, call.tz)} {call.tz}, {call.status}")
    if change.note:
        note(change.note)


def cmd_session_book(args: argparse.Namespace) -> None:
    from tamdesk.services.calls import book_call

    change = book_call(
        open_desk(args),
        args.customer,
        args.start,
        minutes=_int(args.minutes, "--minutes"),
        review=args.review,
        agenda=args.agenda,
        force=args.force,
    )
    if _json(args):
        emit_json({**change.call.as_json(), "note": change.note})
        return
    say(str(change.call.id))
    if change.note:
        note(change.note)


def cmd_session_move(args: argparse.Namespace) -> None:
    from tamdesk.services.calls import move_call

    _print_change(args, move_call(open_desk(args), _int(args.id, "ID"), args.start, by=args.by, force=args.force), "moved")


def cmd_session_cancel(args: argparse.Namespace) -> None:
    from tamdesk.services.calls import cancel_call

    _print_change(args, cancel_call(open_desk(args), _int(args.id, "ID"), by=args.by), "cancelled")


def _marker(mark: str) -> Handler:
    def handler(args: argparse.Namespace) -> None:
        from tamdesk.services.calls import mark_call

        _print_change(args, mark_call(open_desk(args), _int(args.id, "ID"), mark), f"marked {mark}")

    return handler


def cmd_session_list(args: argparse.Namespace) -> None:
    from tamdesk.services.calls import list_calls

    desk = open_desk(args)
    first, last = _date(args.first, desk), _date(args.last, desk)
    if first and last and last < first:
        raise BadInput("--to comes before --from")
    views = list_calls(desk, first=first, last=last, customer=args.customer)
    if _json(args):
        emit_json([v.as_json() for v in views])
        return
    say(
        table(
            ("ID", "CUSTOMER", "START (CONTRACT ZONE)", "MIN", "STATUS", "KIND", "MARKS"),
            (
                (
                    v.id,
                    v.customer,
                    f"{_local(v.start, v.tz)} {v.tz}",
                    v.minutes,
                    v.status,
                    v.title,
                    " ".join(m for m in ("over-budget" if v.over_budget else "", "exception" if v.exception else "") if m),
                )
                for v in views
            ),
            empty="no calls in that range",
        )
    )


def cmd_session_history(args: argparse.Namespace) -> None:
    from tamdesk.domain.humanize import relative
    from tamdesk.services.calls import call_history

    desk = open_desk(args)
    events, now = call_history(desk, _int(args.id, "ID")), desk.now()
    say(
        table(
            ("AT (UTC)", "WHEN", "ACTION", "BY", "FROM", "TO", "STATUS"),
            (
                (
                    f"{e.at:%Y-%m-%d %H:%M}",
                    relative(e.at, now),
                    e.action,
                    e.by or "",
                    f"{e.from_start:%Y-%m-%d %H:%M}" if e.from_start and e.action == "moved" else "",
                    f"{e.to_start:%Y-%m-%d %H:%M}" if e.to_start else "",
                    e.to_status,
                )
                for e in events
            ),
        )
    )


def cmd_case_open(args: argparse.Namespace) -> None:
    from tamdesk.services.cases import open_case

    view = open_case(open_desk(args), args.customer, args.title, args.severity, queue=args.queue)
    if _json(args):
        emit_json(view.as_json())
        return
    say(str(view.id))
    if view.status == "queued":
        note(f"C2: the caseload is at its cap; case {view.id} waits as number {view.queue_position} in the queue")


def cmd_case_resolve(args: argparse.Namespace) -> None:
    from tamdesk.services.cases import resolve_case

    change = resolve_case(open_desk(args), _int(args.id, "ID"))
    if _json(args):
        emit_json({**change.case.as_json(), "promoted": change.promoted.as_json() if change.promoted else None})
        return
    say(f"case {change.case.id} resolved")
    if change.promoted:
        p = change.promoted
        say(f"C2: case {p.id} ({p.severity}, {p.customer}: {p.title}) opened from the queue")


def cmd_case_list(args: argparse.Namespace) -> None:
    from tamdesk.services.cases import list_cases

    desk = open_desk(args)
    views = list_cases(desk, include_resolved=not args.open)
    if _json(args):
        emit_json([v.as_json() for v in views])
        return
    now = desk.now()
    say(
        table(
            ("ID", "STATUS", "SEVERITY", "CUSTOMER", "TITLE", "OPENED (UTC)", "AGE"),
            (
                (
                    v.id,
                    v.status + (f" #{v.queue_position}" if v.queue_position else ""),
                    v.severity,
                    v.customer,
                    v.title,
                    f"{v.opened_at:%Y-%m-%d %H:%M}" if v.opened_at else "-",
                    v.age(now) or "-",
                )
                for v in views
            ),
            empty="no cases",
        )
    )


def cmd_time_log(args: argparse.Namespace) -> None:
    from tamdesk.services.timelog import log_time

    desk = open_desk(args)
    entry = log_time(
        desk,
        args.customer,
        args.hours,
        on=_date(args.on, desk),
        case_id=_int(args.case, "--case") if args.case else None,
        note=args.note,
        activity=args.activity,
        force=args.force,
    )
    if _json(args):
        emit_json(entry.as_json())
        return
    say(str(entry.id))
    if entry.over_budget:
        note("B2: kept with an over-budget mark")


def cmd_time_list(args: argparse.Namespace) -> None:
    from tamdesk.services.timelog import list_time, week_dates

    desk = open_desk(args)
    day = _date(args.date, desk)
    if day is None:
        day = desk.today()
    first, last = week_dates(day)
    entries = list_time(desk, first, last)
    if _json(args):
        emit_json([e.as_json() for e in entries])
        return
    say(
        table(
            ("ID", "DATE", "CUSTOMER", "HOURS", "NOTE", "MARKS"),
            ((e.id, e.work_date, e.customer, f"{e.minutes / 60:.2f}", e.note or "", "over-budget" if e.over_budget else "") for e in entries),
            empty="no time logged that week",
        )
    )


def cmd_week(args: argparse.Namespace) -> None:
    from tamdesk.services.reports import week_summary

    desk = open_desk(args)
    summary = week_summary(desk, _date(args.date, desk))
    if _json(args):
        emit_json(summary.as_json())
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
    for line in summary.recommendations:
        say(line)


def cmd_allowance(args: argparse.Namespace) -> None:
    from tamdesk.domain.periods import parse_month
    from tamdesk.services.reports import allowance_report

    month = parse_month(args.month) if args.month else None
    views = allowance_report(open_desk(args), month, args.customer)
    if _json(args):
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
            empty="no customer with a session allowance",
        )
    )


def cmd_warnings(args: argparse.Namespace) -> None:
    from tamdesk.services.reports import warnings

    found = warnings(open_desk(args))
    if _json(args):
        emit_json([{"customer": w.customer, "rule": w.rule, "text": w.text} for w in found])
        return
    say(table(("RULE", "CUSTOMER", "WARNING"), ((w.rule, w.customer, w.text) for w in found), empty="nothing needs attention"))


def cmd_timeoff_add(args: argparse.Namespace) -> None:
    from tamdesk.services.customers import add_time_off

    row = add_time_off(open_desk(args), args.start, args.end, "training" if args.training else "time off", args.note)
    say(str(row))


def _export_options(args: argparse.Namespace, desk: Any) -> Any:
    from tamdesk.services.export import ExportOptions

    return ExportOptions(args.customer, _date(args.first, desk), _date(args.last, desk), args.include_notes)


def cmd_export_ics(args: argparse.Namespace) -> None:
    from pathlib import Path

    from tamdesk.services.export import export_ics, export_to_file, set_auto_feed

    desk = open_desk(args)
    options = _export_options(args, desk)
    if args.auto is not None:
        if args.output:
            raise BadInput("give either --auto FILE or -o FILE, not both")
        if args.auto.strip().lower() == "off":
            set_auto_feed(desk, None)
            note("auto feed off: the file stays as it was and is no longer rewritten")
            return
        export = set_auto_feed(desk, Path(args.auto), options)
        note(f"{export.calls} calls written to {args.auto}; it is rewritten after every change from now on")
    else:
        if args.output:
            export = export_to_file(desk, Path(args.output), options)
            note(f"{export.calls} calls written to {args.output}")
        else:
            export = export_ics(desk, options)
            sys.stdout.buffer.write(export.ical)
            sys.stdout.flush()
    if export.warning:
        note(f"tamdesk: {export.warning}")


def cmd_feed_serve(args: argparse.Namespace) -> int:
    from tamdesk.cli.feed_server import serve

    return serve(open_desk(args), args.bind, _int(args.port, "port"))


def cmd_config_set(args: argparse.Namespace) -> None:
    from tamdesk.services.settings import set_setting

    set_setting(open_desk(args), args.key, args.value)


def cmd_config_get(args: argparse.Namespace) -> None:
    from tamdesk.services.settings import KEYS, get_settings

    values = get_settings(open_desk(args))
    if args.key:
        if args.key not in KEYS:
            raise BadInput(f"unknown setting {args.key!r}: choose {', '.join(KEYS)}")
        say(values[args.key] or "")
        return
    for key in KEYS:
        say(f"{key:14} {values[key] or '(not set)'}")


def cmd_config_path(args: argparse.Namespace) -> None:
    from tamdesk.resources import user_config_dir
    from tamdesk.store.engine import database_url

    say(f"database  {database_url(_option(args, 'db', 'TAMDESK_DB'))}")
    say(f"plans     {user_config_dir() / 'plans.toml'} (copy data/plans.toml there to change defaults)")


def cmd_tui(args: argparse.Namespace) -> int:
    return _open_tui(open_desk(args, for_tui=True))


def _open_tui(desk: Any) -> int:
    if not sys.stdout.isatty() and not os.environ.get("TAMDESK_FORCE_TUI"):
        note("the desk needs a terminal; use a command such as 'tamdesk week' in scripts")
        return 2
    # Textual paints on a fixed grid of ticks; at its default 60 a week turned
    # just after a tick waited for the next one (20 ms of a 50 ms turn, measured
    # with benchmarks/). The update timer only runs while something changed, so
    # a finer grid costs nothing when idle. A TEXTUAL_FPS the user set wins.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    # The first read starts now, in a forked child on the other core, while
    # Textual is imported and the app starts; the week screen then finds its
    # data waiting. Nothing has started a thread yet, so forking is safe here.
    from tamdesk.services.opening import Opening

    opening = Opening(desk, fork=True)
    # Textual costs ~0.3 s to import: only the interactive desk pays for it.
    from tamdesk.tui.app import run

    return run(desk, opening)


def program() -> int:
    """The ``tamdesk`` command: ``main``, with the collector paused while the program starts.

    Starting imports SQLAlchemy, arrow and holidays (Textual too for the
    desk): several hundred thousand objects that live as long as the process,
    and almost no garbage. Python's collector walked them some 180 times,
    40-70 ms of every start (timed with and without ``gc.disable()``, the
    passes counted with ``gc.get_stats``). So it is off until the desk is open;
    then it runs again, with what was made so far frozen out of its passes.
    """
    gc.disable()
    try:
        return main()
    finally:
        gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse's usage errors (exit 2) and --help (exit 0)
        return int(stop.code or 0)
    handler: Handler = getattr(args, "handler", cmd_tui)
    try:
        return handler(args) or 0
    except NeedsConfirmation as asked:
        note(f"tamdesk: {asked.message} Add --force to confirm.")
        return asked.exit_code
    except TamdeskError as error:
        note(f"tamdesk: {error.message}")
        return error.exit_code
    except KeyboardInterrupt:
        return 130
