"""``tamdesk config``: the TAM's name, email, zone, working hours, reminders and theme."""

from __future__ import annotations

import argparse

from tamdesk.cli.common import Commands, open_desk, option
from tamdesk.cli.output import say
from tamdesk.domain.errors import BadInput


def register(commands: Commands) -> None:
    """``config set``, ``get`` and ``path``."""
    config = commands.group("config", "your name, email, zone and reminders", examples=("tamdesk config set tz Europe/Madrid",))
    setter = config.command(
        "set", cmd_config_set, "set name, email, tz, working_hours, workday (\"Mon-Fri 09:00-18:00\"), alarm_minutes, theme, or tam (who you are here)",
        examples=(
            "tamdesk config set tz Europe/Madrid",
            "tamdesk config set workday \"Mon-Fri 09:00-18:00\"",
            "tamdesk config set alarm_minutes 10",
            "tamdesk config set tam bo",
        ),
    )
    setter.add_argument("key", help="name, email, tz, working_hours, workday, alarm_minutes, theme or tam")
    setter.add_argument("value", help="the new value")
    getter = config.command("get", cmd_config_get, "show the settings", examples=("tamdesk config get tz",))
    getter.add_argument("key", nargs="?", help="one setting (default: all); 'tam' says who you are on this desk")
    config.command("path", cmd_config_path, "where the database and config live", examples=("tamdesk config path",))


def cmd_config_set(args: argparse.Namespace) -> None:
    from tamdesk.services.settings import set_setting

    if args.key == "tam":  # who you are on this desk: kept in your own config folder, not in the shared database
        from tamdesk.services.identity import choose

        if not args.value.strip():  # an empty name would choose whoever you are now
            raise BadInput("name the TAM you are: an id, email or a start of the name (tamdesk tam list)")
        args.as_tam = args.value
        desk = open_desk(args)
        choose(desk.url, desk.tam_id)
        say(f"you are {desk.read(lambda unit: unit.tam.name)} on this desk")
        return
    set_setting(open_desk(args), args.key, args.value)


def cmd_config_get(args: argparse.Namespace) -> None:
    from tamdesk.services.settings import KEYS, get_settings

    desk = open_desk(args)
    if args.key == "tam":  # who you are here: --as, else your choice for this desk, else the desk's own TAM
        say(desk.read(lambda unit: unit.tam.name))
        return
    values = get_settings(desk)
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

    say(f"database  {database_url(option(args, 'db', 'TAMDESK_DB'))}")
    say(f"plans     {user_config_dir() / 'plans.toml'} (copy data/plans.toml there to change defaults)")
