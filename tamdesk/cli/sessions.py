"""``tamdesk session``: calls, working sessions and reviews (S1-S3, T4-T8)."""

from __future__ import annotations

import argparse
from typing import Any

from tamdesk.cli.common import Commands, Handler, day, ident, local, open_desk, wants_json, whole
from tamdesk.cli.output import emit_json, note, say, table
from tamdesk.domain.errors import BadInput


def register(commands: Commands) -> None:
    """``session book``, ``move``, ``cancel``, ``held``, ``no-show``, ``list`` and ``history``."""
    session = commands.group("session", "calls: working sessions and reviews")
    book = session.command("book", cmd_session_book, "book a call; START is local to the contract")
    book.add_argument("customer")
    book.add_argument("start")
    book.add_argument("--minutes", default="60")
    book.add_argument("--review", action="store_true", help="the quarter's review (or the plan's review call)")
    book.add_argument("--agenda")
    book.add_argument("--force", action="store_true", help="confirm an exception: out of hours, over budget")
    book.add_argument("--json", action="store_true")
    move = session.command("move", cmd_session_move, "move a call, keeping its identity")
    move.add_argument("id")
    move.add_argument("start")
    move.add_argument("--by", required=True, choices=("customer", "tam"))
    move.add_argument("--force", action="store_true")
    move.add_argument("--json", action="store_true")
    cancel = session.command("cancel", cmd_session_cancel, "cancel a call")
    cancel.add_argument("id")
    cancel.add_argument("--by", required=True, choices=("customer", "tam"))
    cancel.add_argument("--json", action="store_true")
    for mark in ("held", "no-show"):
        marked = session.command(mark, _marker(mark), f"mark a call {mark}")
        marked.add_argument("id")
        marked.add_argument("--json", action="store_true")
    calls = session.command("list", cmd_session_list, "list calls")
    calls.add_argument("--from", dest="first")
    calls.add_argument("--to", dest="last")
    calls.add_argument("--customer")
    calls.add_argument("--json", action="store_true")
    history = session.command("history", cmd_session_history, "a call's moves and changes")
    history.add_argument("id")


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
    from tamdesk.services.calls import book_call

    change = book_call(
        open_desk(args),
        args.customer,
        args.start,
        minutes=whole(args.minutes, "--minutes", low=1, high=24 * 60),
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
    events, now = call_history(desk, ident(args.id, "call")), desk.now()
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
