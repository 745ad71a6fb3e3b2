"""``tamdesk tam``: the TAMs of a desk a team shares; ``customer assign`` and ``case assign``, a manager's moves.

Who you are is the global ``--as TAM`` (TAMDESK_AS), else what ``tamdesk config
set tam`` chose in your own config folder for this desk, else the desk's own TAM.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tamdesk.cli.common import CUSTOMER_HELP, Commands, json_option, local, open_desk, wants_json, your_zone
from tamdesk.cli.output import emit_json, say, table

if TYPE_CHECKING:
    from tamdesk.services.desk import Desk

WHO_ADDS = (
    "A manager adds TAMs; so may anyone while the desk has a single TAM and no manager "
    "(the owner of a solo desk starting a team: add yourself as manager first, or give --manager)."
)


def register(commands: Commands) -> None:
    """``tam add`` and ``tam list``."""
    tam = commands.group("tam", "the TAMs sharing this desk, and their roles", examples=("tamdesk tam list",))
    add = tam.command(
        "add", cmd_tam_add, "add a TAM (or a manager) to the desk", your_tz=False,
        examples=(
            "tamdesk tam add 'Bo Lind' --email bo@example.com --tz Europe/Stockholm",
            "tamdesk tam add 'Mia Ruiz' --email mia@example.com --tz Europe/Madrid --manager",
        ),
    )
    add.description = f"add a TAM (or a manager) to the desk\n\n{WHO_ADDS}"
    add.add_argument("name", help="the TAM's name, unique on the desk (any case or accents)")
    add.add_argument("--email", required=True, help="the TAM's email address")
    add.add_argument("--tz", dest="tam_tz", required=True, metavar="ZONE", help="the TAM's time zone (IANA)")
    add.add_argument("--manager", action="store_true", help="a manager reads every TAM's rows and reassigns them")
    json_option(add)
    listing = tam.command("list", cmd_tam_list, "list the TAMs: role, customers, open cases", examples=("tamdesk tam list --json",))
    json_option(listing)


def add_assign(group: Commands, kind: str) -> None:
    """``customer assign C --to TAM`` or ``case assign ID --to TAM`` in ``group`` (a manager's only)."""
    if kind == "customer":
        command = group.command(
            "assign", cmd_customer_assign,
            "move a customer, with its calls, cases, time and emergencies, to another TAM (managers only)",
            examples=("tamdesk customer assign tyrell --to bo",),
        )
        command.add_argument("customer", help=CUSTOMER_HELP)
    else:
        command = group.command(
            "assign", cmd_case_assign, "move a case to another TAM (managers only; C1 holds at the receiver)",
            examples=("tamdesk case assign 7 --to bo",),
        )
        command.add_argument("id", help="the case's id (see 'tamdesk case list')")
    command.add_argument("--to", required=True, metavar="TAM", help="the receiving TAM: id, email, or a start of the name")
    json_option(command)


def cmd_tam_add(args: argparse.Namespace) -> None:
    from tamdesk.services.team import add_tam

    view = add_tam(open_desk(args), args.name, args.email, args.tam_tz, manager=args.manager)
    emit_json(view.as_json()) if wants_json(args) else say(str(view.id))


def cmd_tam_list(args: argparse.Namespace) -> None:
    from tamdesk.services.team import list_tams

    views = list_tams(open_desk(args))
    if wants_json(args):
        emit_json([v.as_json() for v in views])
        return
    say(table(
        ("ID", "NAME", "EMAIL", "ZONE", "ROLE", "CUSTOMERS", "OPEN CASES", ""),
        ((v.id, v.name, v.email or "-", v.tz or "-", v.role, v.customers, v.open_cases, "(you)" if v.you else "") for v in views),
    ))


def cmd_customer_assign(args: argparse.Namespace) -> None:
    from tamdesk.services.team import assign_customer

    _said(args, assign_customer(open_desk(args), args.customer, args.to))


def cmd_case_assign(args: argparse.Namespace) -> None:
    from tamdesk.services.team import assign_case

    _said(args, assign_case(open_desk(args), args.id, args.to))


def _said(args: argparse.Namespace, view: Any) -> None:
    if wants_json(args):
        emit_json(view.as_json())
        return
    say(f"{view.kind} {view.record_id} assigned from {view.from_tam} to {view.to_tam}")


def owners(desk: Desk, model: Any, views: Any) -> dict[int, str] | None:
    """For a manager, each listed row's TAM by the row's id (lists name it); None for anyone else."""
    from tamdesk.services.team import team_view

    return team_view(desk, model, (v.id for v in views))


def tam_key(document: dict[str, Any], held: dict[int, str] | None, row_id: int) -> dict[str, Any]:
    """A list's JSON row with its TAM's name added as ``tam`` when a manager lists (keys are only ever added)."""
    return {**document, "tam": held[row_id]} if held else document


def tam_column(held: dict[int, str] | None) -> tuple[str, ...]:
    """The ``TAM`` header of a manager's list; nothing for anyone else."""
    return ("TAM",) if held else ()


def tam_cell(held: dict[int, str] | None, row_id: int) -> tuple[str, ...]:
    """The row's TAM in a manager's list; nothing for anyone else."""
    return (held[row_id],) if held else ()


def print_history(desk: Desk, moves: list[Any]) -> None:
    """The assignment lines of ``customer show`` and ``case show``: when, from whom, to whom, by whom."""
    yours = your_zone(desk) if moves else ""
    for move in moves:
        say(f"  assigned        {local(move.at, yours)} from {move.from_tam} to {move.to_tam} by {move.by}")
