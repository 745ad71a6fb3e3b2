"""Many cases' clocks at once: the SLA report (L4, L10) and the deadline warnings (L10).

The week, the warnings and the desk's first read judge every open case's
deadlines on each call, and the report every case with a deadline in its
period: each reads the cases, their customers (with critical periods) and all
their events in one query per table, never one per case, and builds each
customer's clock once (its calendar and critical periods, L7) for all its cases.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from math import ceil
from typing import Any, Iterable

from sqlalchemy import or_, select

from tamdesk.domain import sla
from tamdesk.domain.errors import BadInput
from tamdesk.domain.obligations import Warning
from tamdesk.domain.periods import month_of
from tamdesk.domain.timezones import start_of_day
from tamdesk.services.cases import customer_clock, history_of, judge
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.views import iso
from tamdesk.store.models import Case, CaseEvent, CriticalPeriod, Customer


@dataclass(frozen=True)
class JudgedCase:
    """One case as the many-case reads name it, with what its clocks say at the unit's instant."""

    id: int
    title: str
    customer: Customer
    said: sla.CaseSla


def clocks_of(unit: Unit, *criteria: Any) -> list[JudgedCase]:
    """The TAM's cases meeting ``criteria`` (on ``Case``), by id, each judged at the unit's instant (L3, L10).

    Three queries in all, however many cases: every case's steps with the
    case's own columns, the customers (already in the session when the caller
    read them) and their critical periods. Each customer's clock is built once.
    """
    rows = unit.session.execute(
        select(Case.id, Case.title, Case.customer_id, Case.checklist, *_STEP)
        .join(CaseEvent, CaseEvent.case_id == Case.id)
        .where(Case.tam_id == unit.tam.id, *criteria)
        .order_by(Case.id, CaseEvent.id)
    ).all()
    if not rows:
        return []
    ids = {row.customer_id for row in rows}
    customers = {c.id: c for c in unit.session.scalars(select(Customer).where(Customer.id.in_(ids)))}
    critical: dict[int, list[tuple[datetime, datetime]]] = {i: [] for i in ids}
    for customer_id, starts, ends in unit.session.execute(
        select(CriticalPeriod.customer_id, CriticalPeriod.starts_at, CriticalPeriod.ends_at).where(
            CriticalPeriod.customer_id.in_(ids)
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
_STEP = (CaseEvent.at, CaseEvent.kind, CaseEvent.level, CaseEvent.severity, CaseEvent.item, CaseEvent.problem_id)


# ---------------------------------------------------------------- warnings (L10)


def deadline_warnings(unit: Unit) -> dict[int, list[Warning]]:
    """By customer id: an ``L10`` warning for each open or queued case's deadline nearly due or breached.

    A queued case's clocks run (L8), so its deadlines warn too; a resolved
    case's are final and warn no more.
    """
    out: dict[int, list[Warning]] = defaultdict(list)
    for case in clocks_of(unit, Case.status != "resolved"):
        for warning in case.said.warnings:
            out[case.customer.id].append(Warning(case.customer.name, "L10", f"case {case.id} ({case.title}): {warning.said()}"))
    return out


# ---------------------------------------------------------------- the SLA report (L4, L10)


@dataclass(frozen=True)
class SlaReport:
    """``report sla``: the shares of one period of the TAM's days, both ends included, and every miss."""

    first: date
    last: date
    compliance: sla.Compliance

    def as_json(self) -> dict[str, Any]:
        """The shape ``report sla --json`` prints (a contract)."""
        c = self.compliance
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "first_response": c.first_response.as_json(),
            "updates": c.updates.as_json(),
            "escalations": c.escalations.as_json(),
            "updates_and_escalations": c.updates_and_escalations.as_json(),
            "misses": [
                {"case": m.case.id, "customer": m.case.customer, "kind": m.kind, "due": iso(m.due), "done_at": iso(m.done_at)}
                for m in c.misses
            ],
        }


def sla_report(desk: Desk, first: date | None = None, last: date | None = None, customer: str | int | None = None) -> SlaReport:
    """L4 over the TAM's days ``first`` to ``last`` (both included; default this month in the TAM's zone).

    Every deadline due in ``[first 00:00, last + 1 00:00)`` of the TAM's zone
    counts once met, missed or breached (L10); ``customer`` keeps only theirs.
    """

    def work(unit: Unit) -> SlaReport:
        month = month_of(unit.today)
        start_day, last_day = first or month.first, last or month.last
        if last_day < start_day:
            raise BadInput(f"--to {last_day} is before --from {start_day}")
        start, end = start_of_day(start_day, unit.tam_tz), start_of_day(last_day + timedelta(days=1), unit.tam_tz)
        criteria = [Case.filed_at < end, or_(Case.resolved_at.is_(None), Case.resolved_at >= start - _reach(unit))]
        if customer is not None:
            criteria.append(Case.customer_id == unit.customer(customer).id)
        judged = clocks_of(unit, *criteria)
        result = sla.compliance(
            ((sla.CaseRef(case.id, case.customer.name), case.said.deadlines) for case in judged),
            start, end, unit.catalogue.compliance,
        )
        return SlaReport(start_day, last_day, result)

    return desk.read(work)


def _reach(unit: Unit) -> timedelta:
    """How long after a case's resolution one of its deadlines can still fall due, at most.

    A deadline done before the resolution (an escalation met early) falls due
    one target after its start, which was at or before the resolution: never
    later than the longest target after it. A target counts as at most a week
    per business day (a day target) or per business hour (at least one a
    business day), with a fortnight more for a long holiday, so no case with a
    deadline in the period is left unread.
    """
    targets: Iterable[sla.Target] = (
        target
        for plan in unit.catalogue.plans.values()
        for severity in plan.sla_targets.values()
        for target in (severity.response, severity.update, severity.escalate_2, severity.escalate_3)
    )
    longest = max((t.days + ceil(t.minutes / 60) for t in targets), default=0)
    return timedelta(weeks=longest, days=14)
