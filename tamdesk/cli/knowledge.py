"""``tamdesk kb``: the knowledge base of past resolutions and solutions, by full text (L12)."""

from __future__ import annotations

import argparse

from tamdesk.cli.common import Commands, json_option, open_desk, wants_json, whole
from tamdesk.cli.output import emit_json, say, table


def register(commands: Commands) -> None:
    """``kb search``."""
    kb = commands.group(
        "kb", "the knowledge base: cases and problems by the words of their titles and resolutions (L12)",
        examples=("tamdesk kb search 'sso login'",),
    )
    search = kb.command(
        "search", cmd_kb_search, "search cases and problems by any of the words given, best first",
        examples=("tamdesk kb search 'sso login'", "tamdesk kb search timeout --limit 3 --json"),
    )
    search.add_argument("text", metavar="TEXT", help="words to find in titles, resolution notes and solutions")
    search.add_argument("--limit", metavar="N", default="10", help="at most this many hits (default 10)")
    json_option(search)


def cmd_kb_search(args: argparse.Namespace) -> None:
    from tamdesk.services.knowledge import search

    hits = search(open_desk(args), args.text, whole(args.limit, "--limit", low=1, high=1000))
    if wants_json(args):
        emit_json([h.as_json() for h in hits])
        return
    say(table(("KIND", "ID", "CUSTOMER", "TITLE", "MATCH"),
              ((h.kind, h.id, h.customer or "-", h.title, h.snippet) for h in hits), empty="nothing found"))
