"""Each customer's recent history, as the Customers screen shows it beside the list (issue 18).

The hours of the last ``WEEKS`` of the TAM's ISO weeks (B1's reading, as
``tamdesk week`` counts them: time logged plus calls booked and not yet held,
T3), the calls of those weeks by what became of them, the cases open now and
resolved in those weeks, this week against the cap (B2) and the allowance of
the period under way (S3-S7, the ledger ``tamdesk allowance`` shows).

Every customer is read at once: one query per table (customers, time entries,
calls, cases) and the ledgers' few, never a query per customer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from tamdesk.domain.allowance import LedgerRow
from tamdesk.domain.budget import CustomerWeek
from tamdesk.domain.periods import iso_week_of
from tamdesk.services.allowances import current_period, ledgers
from tamdesk.services.budget import booked_minutes, logged_minutes
from tamdesk.services.contracts import contract_start, hours_cap, plan_of
from tamdesk.services.desk import Desk, Unit
from tamdesk.store.models import Call, Case, Customer

#: How many of the TAM's weeks the history covers, this week the last.
WEEKS = 12
#: What became of a call, by its status: a no-show counts as held (S2).
CALL_FATE = {
    "scheduled": "booked",
    "held": "held",
    "no-show": "held",
    "cancelled-by-customer": "cancelled",
    "cancelled-by-tam": "cancelled",
}


@dataclass(frozen=True)
class CustomerHistory:
    """One customer's last ``WEEKS`` weeks: hours per week, calls, cases, this week, the allowance."""

    weeks: tuple[int, ...]  # B1's minutes in each week, the oldest first and this week last
    held: int  # calls held (or missed by the customer, S2) in those weeks
    booked: int  # calls booked from now on
    cancelled: int  # calls cancelled (by either side) in those weeks
    open_cases: int  # open or queued now
    resolved_cases: int  # resolved in those weeks
    this_week: CustomerWeek  # this week's hours against the cap (B1, B2)
    allowance: LedgerRow | None  # the period under way; None on a plan without sessions or before the contract

    @property
    def week_hours(self) -> tuple[float, ...]:
        """The weeks' hours, for a sparkline."""
        return tuple(minutes / 60 for minutes in self.weeks)


def customer_histories(desk: Desk) -> dict[int, CustomerHistory]:
    """Every customer's history, by customer id, from one read."""
    return desk.read(histories_in)


def histories_in(unit: Unit) -> dict[int, CustomerHistory]:
    """``customer_histories`` inside a unit of work already open."""
    customers = list(unit.session.scalars(select(Customer).where(Customer.tam_id == unit.tam.id)))
    this_week = iso_week_of(unit.today)
    mondays = [this_week.first - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]
    first, end = mondays[0], this_week.end
    logged = logged_minutes(unit, first, end)
    booked = booked_minutes(unit, first, end)
    since = iso_week_of(first).start_utc(unit.tam_tz)  # the first week's Monday midnight, the TAM's (T3)
    calls = _call_fates(unit, since)
    cases = _case_counts(unit, since)
    allowances = _allowances(unit, customers)
    out = {}
    for customer in customers:
        weeks = tuple(logged.get((customer.id, m), 0) + booked.get((customer.id, m), 0) for m in mondays)
        key = (customer.id, this_week.first)
        fates = calls.get(customer.id, Counter())
        open_cases, resolved_cases = cases.get(customer.id, (0, 0))
        out[customer.id] = CustomerHistory(
            weeks=weeks,
            held=fates["held"],
            booked=fates["booked"],
            cancelled=fates["cancelled"],
            open_cases=open_cases,
            resolved_cases=resolved_cases,
            this_week=CustomerWeek(logged.get(key, 0), booked.get(key, 0), hours_cap(unit, customer)),
            allowance=allowances.get(customer.id),
        )
    return out


def _call_fates(unit: Unit, since: datetime) -> dict[int, Counter[str]]:
    """Per customer: calls held and cancelled since ``since`` until now, and calls booked from now on (one query)."""
    out: dict[int, Counter[str]] = {}
    ahead = Call.starts_at >= unit.now  # one expression, one parameter: PostgreSQL groups by what it selects
    for who, status, upcoming, count in unit.session.execute(
        select(Call.customer_id, Call.status, ahead, func.count())
        .where(Call.tam_id == unit.tam.id, Call.starts_at >= since)
        .group_by(Call.customer_id, Call.status, ahead)
    ):
        fate = CALL_FATE.get(status)
        # Booked counts what is ahead; held and cancelled what is behind (a call cancelled ahead of its day counts too).
        if fate == "booked" and not upcoming or fate == "held" and upcoming:
            continue
        out.setdefault(who, Counter())[fate or status] += count
    return out


def _case_counts(unit: Unit, since: datetime) -> dict[int, tuple[int, int]]:
    """Per customer: cases open or queued now, and cases resolved since ``since`` (one query)."""
    opened: Counter[int] = Counter()
    resolved: Counter[int] = Counter()
    lately = Case.resolved_at >= since
    for who, status, recent, count in unit.session.execute(
        select(Case.customer_id, Case.status, lately, func.count())
        .where(Case.tam_id == unit.tam.id)
        .group_by(Case.customer_id, Case.status, lately)
    ):
        if status == "resolved":
            resolved[who] += count if recent else 0
        else:
            opened[who] += count
    return {who: (opened[who], resolved[who]) for who in opened.keys() | resolved.keys()}


def _allowances(unit: Unit, customers: list[Customer]) -> dict[int, LedgerRow]:
    """The ledger row of each customer's period under way, in their zone (T2), read for all at once."""
    wanted = []
    for customer in customers:
        plan = plan_of(unit, customer)
        if not plan.has_allowance or plan.period is None:
            continue
        period = current_period(unit, customer, plan.period)
        if period.end > contract_start(customer):  # nothing is granted before the contract (S3)
            wanted.append((customer, period, period))
    return {who: rows[-1] for who, rows in ledgers(unit, wanted).items() if rows}
