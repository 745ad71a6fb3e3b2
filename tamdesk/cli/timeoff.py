"""``tamdesk timeoff``: the TAM's own time off and training, when no call may be booked (T4)."""

from __future__ import annotations

import argparse

from tamdesk.cli.common import Commands, open_desk
from tamdesk.cli.output import say


def register(commands: Commands) -> None:
    """``timeoff add``."""
    timeoff = commands.group(
        "timeoff", "your time off and training (T4)", examples=("tamdesk timeoff add 'fri 13:00' 'fri 18:00'",)
    )
    off = timeoff.command(
        "add", cmd_timeoff_add, "record time off; START and END in your zone",
        examples=(
            "tamdesk timeoff add 2026-12-24T00:00 2027-01-02T00:00 --note holidays",
            "tamdesk timeoff add 'fri 13:00' 'fri 18:00' --training",
        ),
    )
    off.add_argument("start", help="when it starts, in your zone: 2026-12-24T00:00, 'fri 13:00'")
    off.add_argument("end", help="when it ends, in your zone")
    off.add_argument("--training", action="store_true", help="internal training rather than time off")
    off.add_argument("--note", metavar="TEXT", help="a word on it, for you")


def cmd_timeoff_add(args: argparse.Namespace) -> None:
    from tamdesk.services.customers import add_time_off

    row = add_time_off(open_desk(args), args.start, args.end, "training" if args.training else "time off", args.note)
    say(str(row))
