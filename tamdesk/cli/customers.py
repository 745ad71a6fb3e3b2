"""``tamdesk customer``: customers and their contracts."""

from __future__ import annotations

import argparse

from tamdesk.cli import team
from tamdesk.cli.common import CUSTOMER_HELP, Commands, json_option, local, open_desk, wants_json
from tamdesk.cli.output import emit_json, say, table
from tamdesk.domain.values import read_decimal


def register(commands: Commands) -> None:
    """``customer add``, ``list``, ``show`` and ``critical``."""
    customer = commands.group(
        "customer", "customers and their contracts", examples=("tamdesk customer list", "tamdesk customer show tyrell")
    )
    add = customer.command(
        "add", cmd_customer_add, "add a customer on a plan", your_tz=False,
        examples=("tamdesk customer add 'Tyrell Corp' --plan tam-a --tz America/New_York --country US --contact ops@tyrell.example",),
    )
    add.add_argument("name", help="the customer's name, unique on your desk")
    add.add_argument("--plan", required=True, help="the service plan, e.g. tam-a, tam-b, tam-c, csm, standard, premium")
    add.add_argument("--tz", dest="customer_tz", required=True, metavar="ZONE", help="contract time zone (IANA)")
    add.add_argument("--country", help="ISO 3166 code for public holidays, e.g. ES or US-NY")
    add.add_argument("--contact", action="append", default=[], metavar="EMAIL", help="a named contact; repeat for more (P2)")
    add.add_argument("--hours-cap", type=str, metavar="H", help="weekly hours cap (default: the plan's)")
    add.add_argument("--business-hours", metavar="HH:MM-HH:MM", help="the contract's hours, Monday-Friday (default 09:00-17:00, T4)")
    add.add_argument(
        "--since", metavar="DATE",
        help="the contract's first day, in its zone: 2026-11-01, today, 'mon' (default today there); nothing is granted or forfeited before it (S3)",
    )
    json_option(add)
    _edit_command(customer)
    listing = customer.command("list", cmd_customer_list, "list customers", examples=("tamdesk customer list --json",))
    json_option(listing)
    show = customer.command("show", cmd_customer_show, "one customer in detail", examples=("tamdesk customer show tyrell",))
    show.add_argument("customer", help=CUSTOMER_HELP)
    json_option(show)
    critical = customer.command(
        "critical", cmd_customer_critical, "declare a critical period (T5)",
        examples=("tamdesk customer critical tyrell 'sat 08:00' 'sun 20:00' 'ERP migration'",),
    )
    critical.add_argument("customer", help=CUSTOMER_HELP)
    critical.add_argument("start", help="when it starts, in the customer's zone: 2026-11-28T08:00, 'sat 08:00'")
    critical.add_argument("end", help="when it ends, in the customer's zone")
    critical.add_argument("label", help="what it is, e.g. 'ERP migration'")
    team.add_assign(customer, "customer")


def _edit_command(customer: Commands) -> None:
    edit = customer.command(
        "edit", cmd_customer_edit, "change a customer's contract: only the options given change", your_tz=False,
        examples=(
            "tamdesk customer edit tyrell --plan tam-b",
            "tamdesk customer edit tyrell --contact ops@tyrell.example --contact cto@tyrell.example",
            "tamdesk customer edit tyrell --until 2027-06-30",
        ),
    )
    # What a TAM expects when a contract changes under calls already booked (services/customer_edit.py).
    edit.description = (
        "change a customer's contract: only the options given change\n\n"
        "Booked calls keep their time (the same instant, T1): a new zone shows them at\n"
        "another local hour and reads months and weeks in that zone. A new plan grants\n"
        "its sessions from the current period on, the current one included (S3); a plan\n"
        "that leaves the current or a later period with more calls than it grants is\n"
        "refused naming them, and so are --since or --until that leave a booked, held or\n"
        "no-show call outside the contract. The desk keeps one plan per customer: past\n"
        "periods are read with the plan in force."
    )
    edit.add_argument("customer", help=CUSTOMER_HELP)
    edit.add_argument("--plan", help="the service plan, e.g. tam-a, tam-b, tam-c, csm, standard, premium")
    edit.add_argument("--tz", dest="customer_tz", metavar="ZONE", help="contract time zone (IANA); booked calls keep their instant")
    edit.add_argument("--country", help="ISO 3166 code for public holidays, e.g. ES or US-NY; '' for none")
    edit.add_argument(
        "--contact", action="append", metavar="EMAIL",
        help="a named contact; given at least once, the contacts given replace the whole list (P2)",
    )
    edit.add_argument("--hours-cap", type=str, metavar="H", help="weekly hours cap (B2)")
    edit.add_argument("--business-hours", metavar="HH:MM-HH:MM", help="the contract's hours, Monday-Friday (T4); '' for the default")
    edit.add_argument("--since", metavar="DATE", help="the contract's first day, in its zone (S3)")
    edit.add_argument("--until", metavar="DATE", help="the contract's last day, in its zone: 2027-06-30, 'next week' (S3)")
    json_option(edit)


def _cap(text: str | None) -> float | None:
    return None if text is None else read_decimal(text, "--hours-cap")


def cmd_customer_add(args: argparse.Namespace) -> None:
    from tamdesk.services.customers import CustomerFields, add_customer, contract_day

    desk = open_desk(args)
    view = add_customer(
        desk,
        CustomerFields(
            name=args.name,
            plan=args.plan,
            tz=args.customer_tz,
            country=args.country,
            contacts=args.contact,
            hours_cap=_cap(args.hours_cap),
            business_hours=args.business_hours,
            active_from=contract_day(args.since, args.customer_tz, desk.now()) if args.since else None,
        ),
    )
    emit_json(view.as_json()) if wants_json(args) else say(str(view.id))


def cmd_customer_edit(args: argparse.Namespace) -> None:
    from tamdesk.services.customer_edit import CustomerChanges, edit_customer_contract

    view = edit_customer_contract(
        open_desk(args),
        args.customer,
        CustomerChanges(
            plan=args.plan,
            tz=args.customer_tz,
            country=args.country,
            contacts=tuple(args.contact) if args.contact is not None else None,
            hours_cap=_cap(args.hours_cap),
            business_hours=args.business_hours,
            since=args.since,
            until=args.until,
        ),
    )
    if wants_json(args):
        emit_json(view.as_json())
        return
    say(f"{view.name} (id {view.id}) saved: plan {view.plan}, zone {view.tz}, contract from {view.active_from}"
        + (f" until {view.active_until}" if view.active_until else ""))


def cmd_customer_list(args: argparse.Namespace) -> None:
    from tamdesk.services.customers import list_customers
    from tamdesk.store.models import Customer

    desk = open_desk(args)
    views = list_customers(desk)
    held = team.owners(desk, Customer, views)  # a manager's list names each customer's TAM
    if wants_json(args):
        keys = ("id", "name", "plan", "tz", "country")
        emit_json([team.tam_key({k: v.as_json()[k] for k in keys}, held, v.id) for v in views])
        return
    say(
        table(
            ("ID", "NAME", "PLAN", "ZONE", "COUNTRY", "HOURS", "CAP", *team.tam_column(held)),
            (
                (v.id, v.name, v.plan, v.tz, v.country or "-", v.business_hours, f"{v.hours_cap:g} h", *team.tam_cell(held, v.id))
                for v in views
            ),
            empty="no customers yet: add one with 'tamdesk customer add' or try 'tamdesk demo'",
        )
    )


def cmd_customer_show(args: argparse.Namespace) -> None:
    from tamdesk.services.customers import get_customer
    from tamdesk.services.team import assignments

    desk = open_desk(args)
    view = get_customer(desk, args.customer)
    moves = assignments(desk, "customer", view.id)
    if wants_json(args):
        # the moves between TAMs, once there are any (a solo desk's document stays as it was)
        emit_json({**view.as_json(), **({"assignments": [m.as_json() for m in moves]} if moves else {})})
        return
    say(f"{view.name} (id {view.id})")
    say(f"  plan            {view.plan}")
    say(f"  zone            {view.tz}")
    say(f"  country         {view.country or '-'}")
    say(f"  business hours  {view.business_hours} Monday-Friday")
    say(f"  weekly cap      {view.hours_cap:g} h")
    say(f"  contacts        {', '.join(view.contacts) or '-'}")
    say(f"  contract        from {view.active_from or '-'}" + (f" until {view.active_until}" if view.active_until else ""))
    for start, end, label in view.critical_periods:
        say(f"  critical        {label}: {local(start, view.tz)} to {local(end, view.tz)}")
    team.print_history(desk, moves)


def cmd_customer_critical(args: argparse.Namespace) -> None:
    from tamdesk.services.customers import add_critical_period

    view = add_critical_period(open_desk(args), args.customer, args.start, args.end, args.label)
    say(f"{view.name}: critical period {args.label!r} recorded")
