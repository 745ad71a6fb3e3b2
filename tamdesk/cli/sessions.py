"""``tamdesk session``: calls, working sessions and reviews (S1-S3, T4-T8)."""

from __future__ import annotations

import argparse
from typing import Any

from tamdesk.cli.common import (
    CUSTOMER_HELP, Commands, Handler, day, ident, json_option, local, open_desk, wants_json, your_zone,
)
from tamdesk.cli.output import emit_json, note, say, table
from tamdesk.domain.errors import BadInput


def register(commands: Commands) -> None:
    """``session book``, ``move``, ``cancel``, ``held``, ``no-show``, ``list`` and ``history``."""
    session = commands.group(
        "session", "calls: working sessions and reviews",
        examples=("tamdesk session book tyrell 'tomorrow 10:00'", "tamdesk session list --from today"),
    )
    book = session.command(
        "book", cmd_session_book, "book a call; START is local to the contract",
        examples=(
            "tamdesk session book tyrell 'tomorrow 10:00'",
            "tamdesk session book 'Acme Corp' 2026-11-24T15:30 --minutes 30 --agenda 'Q&A'",
        ),
    )
    book.add_argument("customer", help=CUSTOMER_HELP)
    book.add_argument("start", help=START_HELP)
    book.add_argument("--minutes", default="60", metavar="N", help="how long the call lasts: 45, 45m, 1h (default 60, at most the plan's, S1)")
    book.add_argument("--review", action="store_true", help="the quarter's review (or the plan's review call)")
    book.add_argument("--agenda", metavar="TEXT", help="what the call is for (shown in calendars)")
    book.add_argument("--force", action="store_true", help="confirm an exception: out of hours, over budget")
    json_option(book)
    move = session.command(
        "move", cmd_session_move, "move a call, keeping its identity",
        examples=("tamdesk session move 12 'fri 14:30' --by customer",),
    )
    move.add_argument("id", help=CALL_HELP)
    move.add_argument("start", help="the new " + START_HELP)
    move.add_argument("--by", required=True, choices=("customer", "tam"), help=BY_HELP)
    move.add_argument("--force", action="store_true", help="confirm an exception: out of hours, over budget")
    json_option(move)
    cancel = session.command(
        "cancel", cmd_session_cancel, "cancel a call", examples=("tamdesk session cancel 12 --by customer",)
    )
    cancel.add_argument("id", help=CALL_HELP)
    cancel.add_argument("--by", required=True, choices=("customer", "tam"), help=BY_HELP)
    json_option(cancel)
    for mark in ("held", "no-show"):
        marked = session.command(mark, _marker(mark), f"mark a call {mark}", examples=(f"tamdesk session {mark} 12",))
        marked.add_argument("id", help=CALL_HELP)
        json_option(marked)
    calls = session.command(
        "list", cmd_session_list, "list calls",
        examples=("tamdesk session list --from today --to 'next week'", "tamdesk session list --customer tyrell --json"),
    )
    calls.add_argument("--from", dest="first", metavar="DATE", help="calls from this day on (your zone): 2026-11-24, today, mon")
    calls.add_argument("--to", dest="last", metavar="DATE", help="calls up to this day (your zone)")
    calls.add_argument("--customer", help="only this customer's calls: " + CUSTOMER_HELP)
    json_option(calls)
    history = session.command(
        "history", cmd_session_history, "a call's moves and changes", examples=("tamdesk session history 12",)
    )
    history.add_argument("id", help=CALL_HELP)


#: What the positional arguments mean, the same in every session command.
CALL_HELP = "the call's id (see 'tamdesk session list')"
START_HELP = "start, in the customer's zone: 2026-11-24T10:00, 'tomorrow 10:00', 'fri 14:30'"
BY_HELP = "who asked for it: the customer or you (the TAM); it decides what happens to the session (S5-S7)"


def _change_json(change: Any) -> None:
    emit_json({**change.call.as_json(), "note": change.note})


def _print_change(args: argparse.Namespace, change: Any, verb: str) -> None:
    """What a change did to a call, and the rule's note if it has one."""
    if wants_json(args):
        _change_json(change)
        return
    call = change.call
    say(f"call {call.id} {verb}: {call.customer}, {local(call.start, call.tz)} {call.tz}, {call.status}")
    if change.note:
        note(change.note)


def cmd_session_book(args: argparse.Namespace) -> None:
    from tamdesk.domain.durations import read_duration
    from tamdesk.services.calls import book_call

    change = book_call(
        open_desk(args),
        args.customer,
        args.start,
        minutes=read_duration(args.minutes, bare="minutes"),  # B5's one reading; S1 bounds the length
        review=args.review,
        agenda=args.agenda,
        force=args.force,
    )
    if wants_json(args):
        _change_json(change)
        return
    say(str(change.call.id))
    if change.note:
        note(change.note)


def cmd_session_move(args: argparse.Namespace) -> None:
    from tamdesk.services.calls import move_call

    _print_change(args, move_call(open_desk(args), ident(args.id, "call"), args.start, by=args.by, force=args.force), "moved")


def cmd_session_cancel(args: argparse.Namespace) -> None:
    from tamdesk.services.calls import cancel_call

    _print_change(args, cancel_call(open_desk(args), ident(args.id, "call"), by=args.by), "cancelled")


def _marker(mark: str) -> Handler:
    def handler(args: argparse.Namespace) -> None:
        from tamdesk.services.calls import mark_call

        _print_change(args, mark_call(open_desk(args), ident(args.id, "call"), mark), f"marked {mark}")

    return handler


def cmd_session_list(args: argparse.Namespace) -> None:
    from tamdesk.services.calls import list_calls

    desk = open_desk(args)
    first, last = day(args.first, desk), day(args.last, desk)
    if first and last and last < first:
        raise BadInput("--to comes before --from")
    views = list_calls(desk, first=first, last=last, customer=args.customer)
    if wants_json(args):
        emit_json([v.as_json() for v in views])
        return
    say(
        table(
            ("ID", "CUSTOMER", "START (CONTRACT ZONE)", "MIN", "STATUS", "KIND", "MARKS"),
            (
                (
                    v.id,
                    v.customer,
                    f"{local(v.start, v.tz)} {v.tz}",
                    v.minutes,
                    v.status,
                    v.title,
                    " ".join(
                        m
                        for m in (
                            "over-budget" if v.over_budget else "",
                            "exception" if v.exception else "",
                            "overlap(T7)" if v.overlap else "",
                        )
                        if m
                    ),
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
    events, now, yours = call_history(desk, ident(args.id, "call")), desk.now(), your_zone(desk)
    say(
        table(
            # Every time in your zone, named once in the header.
            (f"AT ({yours})", "WHEN", "ACTION", "BY", "FROM", "TO", "STATUS"),
            (
                (
                    local(e.at, yours),
                    relative(e.at, now),
                    e.action,
                    e.by or "",
                    local(e.from_start, yours) if e.from_start and e.action == "moved" else "",
                    local(e.to_start, yours) if e.to_start else "",
                    e.to_status,
                )
                for e in events
            ),
        )
    )
