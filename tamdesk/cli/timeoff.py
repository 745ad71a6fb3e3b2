"""``tamdesk timeoff``: the TAM's own time off and training, when no call may be booked (T4)."""

from __future__ import annotations

import argparse

from tamdesk.cli.common import Commands, open_desk
from tamdesk.cli.output import say


def register(commands: Commands) -> None:
    """``timeoff add``."""
    timeoff = commands.group("timeoff", "your time off and training (T4)")
    off = timeoff.command("add", cmd_timeoff_add, "record time off; START and END in your zone")
    off.add_argument("start")
    off.add_argument("end")
    off.add_argument("--training", action="store_true")
    off.add_argument("--note")


def cmd_timeoff_add(args: argparse.Namespace) -> None:
    from tamdesk.services.customers import add_time_off

    row = add_time_off(open_desk(args), args.start, args.end, "training" if args.training else "time off", args.note)
    say(str(row))
