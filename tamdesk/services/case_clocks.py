"""Many cases' clocks at once, for the deadline warnings (L10) and the SLA report (L4).

The week, the warnings and the desk's first read judge every open case's
deadlines on each call, and the report every case with a deadline in its
period: each reads the cases' steps, their customers and critical periods in
one query per table, never one per case, and builds each customer's clock once
(its calendar and critical periods, L7) for all its cases.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

from sqlalchemy import select

from tamdesk.domain import sla
from tamdesk.domain.clocks import Clock
from tamdesk.domain.obligations import Warning
from tamdesk.services.contracts import calendar_of, plan_of
from tamdesk.services.desk import Unit
from tamdesk.store import tables
from tamdesk.store.tables import CustomerRow

if TYPE_CHECKING:
    from tamdesk.store.models import Customer

def history_of(rows: Iterable[Any], checklist: bool) -> list[sla.Event]:
    """A case's stored steps (``CaseEvent`` rows, or rows of their columns, in the order written) as the rules read them.

    A step never happens before the step written before it: one stamped earlier (a desk clock set back,
    ``--now`` in the past) reads as at the same instant, so the rules always see time run forward.
    ``checklist`` is whether the case waits for a complete request (L5).
    """
    events: list[sla.Event] = []
    for row in rows:
        at = max(row.at, events[-1].at) if events else row.at
        events.append(_as_event(checklist, row, at))
    return events


def _as_event(checklist: bool, row: Any, at: datetime) -> sla.Event:
    return sla.event(
        row.kind, at, severity=row.severity, checklist=checklist, level=row.level, item=row.item, problem=row.problem_id
    )


def customer_clock(unit: Unit, customer: Customer, critical: list[tuple[datetime, datetime]] | None = None) -> Clock:
    """The clock every case of ``customer`` runs on: its plan's kind, its calendar, its critical periods (L2, L7).

    ``critical`` is the customer's critical periods when the caller has read them already.
    """
    if critical is None:
        critical = [(p.starts_at, p.ends_at) for p in customer.critical_periods]  # T5: 24x7 inside them (L7)
    return sla.case_clock(plan_of(unit, customer).sla_clock, calendar_of(unit, customer), critical)


def judge(unit: Unit, customer: Customer, events: list[sla.Event], clock: Clock) -> sla.CaseSla:
    """What a case of ``customer`` with ``events`` says at the unit's instant on ``clock`` (its customer's)."""
    # A desk whose clock reads earlier than the filing (back-dated --now) sees the case as filed: sla reads no
    # history before the first event.
    now = max(unit.now, events[0].at)
    return sla.case_sla(events, clock, plan_of(unit, customer).sla_targets, now)


#: The columns read here, as Core sees them (``tamdesk.store.tables``: no ORM on the week's path).
CASE, STEP, CRITICAL, CUSTOMER = tables.cases.c, tables.case_events.c, tables.critical_periods.c, tables.customers.c


class JudgedCase(NamedTuple):
    """One case as the many-case reads name it, with what its clocks say at the unit's instant."""

    id: int
    title: str
    customer: CustomerRow
    said: sla.CaseSla


def clocks_of(unit: Unit, *criteria: Any) -> list[JudgedCase]:
    """The TAM's cases meeting ``criteria`` (on ``Case``), by id, each judged at the unit's instant (L3, L10).

    Three queries in all, however many cases: every case's steps with the
    case's own columns, the customers (already in the session when the caller
    read them) and their critical periods. Each customer's clock is built once.
    A case without a single step (every path writes its filing; the migration
    gave older cases theirs) has no history to judge and is left out.
    """
    rows = unit.session.execute(
        select(CASE.id, CASE.title, CASE.customer_id, CASE.checklist, *_STEP)
        .join(tables.case_events, STEP.case_id == CASE.id)
        .where(CASE.tam_id == unit.desk.tam_id, *criteria)
        .order_by(CASE.id, STEP.id)
    ).all()
    if not rows:
        return []
    ids = {row.customer_id for row in rows}
    customers = {c.id: c for c in unit.session.execute(select(tables.customers).where(CUSTOMER.id.in_(ids)))}
    critical: dict[int, list[tuple[datetime, datetime]]] = {i: [] for i in ids}
    for customer_id, starts, ends in unit.session.execute(
        select(CRITICAL.customer_id, CRITICAL.starts_at, CRITICAL.ends_at).where(
            CRITICAL.customer_id.in_(ids)
        )
    ):
        critical[customer_id].append((starts, ends))  # T5: 24x7 inside them (L7)
    made = {i: customer_clock(unit, customers[i], critical[i]) for i in ids}
    out = []
    for case_id, group in groupby(rows, key=lambda row: row.id):
        steps = list(group)
        case, customer = steps[0], customers[steps[0].customer_id]
        said = judge(unit, customer, history_of(steps, case.checklist), made[customer.id])
        out.append(JudgedCase(case_id, case.title, customer, said))
    return out


#: The columns of a stored step that the rules read (``cases.history_of``).
_STEP = (STEP.at, STEP.kind, STEP.level, STEP.severity, STEP.item, STEP.problem_id)


# ---------------------------------------------------------------- warnings (L10)


def deadline_warnings(unit: Unit) -> dict[int, list[Warning]]:
    """By customer id: an ``L10`` warning for each open or queued case's deadline nearly due or breached.

    A queued case's clocks run (L8), so its deadlines warn too; a resolved
    case's are final and warn no more.
    """
    out: dict[int, list[Warning]] = defaultdict(list)
    for case in clocks_of(unit, CASE.status != "resolved"):
        for warning in case.said.warnings:
            out[case.customer.id].append(Warning(case.customer.name, "L10", f"case {case.id} ({case.title}): {warning.said()}"))
    return out
