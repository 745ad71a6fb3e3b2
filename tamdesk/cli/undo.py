"""``tamdesk undo``: revert your last change, step by step, through the same rules."""

from __future__ import annotations

import argparse

from tamdesk.cli.common import Commands, json_option, open_desk, wants_json
from tamdesk.cli.output import emit_json, say


def register(commands: Commands) -> None:
    """``undo``."""
    undo = commands.command(
        "undo", cmd_undo,
        "revert your last change; run again to revert the one before (refused, and nothing changes, "
        "where the rules would refuse it)",
        examples=("tamdesk undo", "tamdesk undo --json"),
    )
    json_option(undo)


def cmd_undo(args: argparse.Namespace) -> None:
    """Undo the newest change not yet undone. Nothing left to undo is bad input (exit 2), so a loop stops."""
    from tamdesk.services.undo import undo

    undone = undo(open_desk(args))
    if wants_json(args):
        emit_json(undone.as_json())
        return
    say(f"Undid: {undone.said} (you had {undone.change}).")
