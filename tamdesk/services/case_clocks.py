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
from datetime import date, timedelta
from math import ceil
from typing import Any, Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from tamdesk.domain import sla
from tamdesk.domain.clocks import Clock
from tamdesk.domain.errors import BadInput
from tamdesk.domain.obligations import Warning
from tamdesk.domain.periods import month_of
from tamdesk.domain.timezones import start_of_day
from tamdesk.services.cases import clocks, customer_clock
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.views import iso
from tamdesk.store.models import Case, Customer


def clocks_of(unit: Unit, *criteria: Any) -> list[tuple[Case, sla.CaseSla]]:
    """The TAM's cases meeting ``criteria``, by id, each with what its clocks say at the unit's instant.

    Four queries in all, however many cases: the cases, their customers, the
    customers' critical periods and every case's events.
    """
    rows = unit.session.scalars(
        select(Case)
        .where(Case.tam_id == unit.tam.id, *criteria)
        .options(selectinload(Case.events), selectinload(Case.customer).selectinload(Customer.critical_periods))
        .order_by(Case.id)
    ).all()
    made: dict[int, Clock] = {}
    out = []
    for case in rows:
        if case.customer_id not in made:
            made[case.customer_id] = customer_clock(unit, case.customer)
        out.append((case, clocks(unit, case, clock=made[case.customer_id])))
    return out


# ---------------------------------------------------------------- warnings (L10)


def deadline_warnings(unit: Unit) -> dict[int, list[Warning]]:
    """By customer id: an ``L10`` warning for each open or queued case's deadline nearly due or breached.

    A queued case's clocks run (L8), so its deadlines warn too; a resolved
    case's are final and warn no more.
    """
    out: dict[int, list[Warning]] = defaultdict(list)
    for case, said in clocks_of(unit, Case.status != "resolved"):
        for warning in said.warnings:
            out[case.customer_id].append(Warning(case.customer.name, "L10", f"case {case.id} ({case.title}): {warning.said()}"))
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
            ((sla.CaseRef(case.id, case.customer.name), said.deadlines) for case, said in judged),
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
