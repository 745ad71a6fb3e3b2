"""The compliance report over a period: shares of deadlines on time, and every miss (SPEC L4, L10).

The period is a span of days in the TAM's zone, both ends included (default:
the current month): the instants ``[first 00:00, last + 1 00:00)`` there. A
deadline counts when it fell due in the period and is met, missed or breached;
pending ones do not count, and a period with none has no share. Only the cases
that can have a deadline in the period are read, with their steps, customers
and critical periods in one query each (``services.case_clocks``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import ceil
from typing import Any, Iterable

from sqlalchemy import or_

from tamdesk.domain import sla
from tamdesk.domain.errors import BadInput
from tamdesk.domain.periods import month_of
from tamdesk.domain.timezones import start_of_day
from tamdesk.services.case_clocks import clocks_of
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.views import iso
from tamdesk.store import tables


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
    """L4 over the TAM's days ``first`` to ``last``, both included; either alone keeps to its month, neither is this month.

    Every deadline due in ``[first 00:00, last + 1 00:00)`` of the TAM's zone
    counts once met, missed or breached (L10); ``customer`` keeps only theirs.
    """

    def work(unit: Unit) -> SlaReport:
        start_day = first or month_of(last or unit.today).first
        last_day = last or month_of(start_day).last
        if last_day < start_day:
            raise BadInput(f"--to comes before --from: {last_day} is before {start_day}")
        start, end = start_of_day(start_day, unit.tam_tz), start_of_day(last_day + timedelta(days=1), unit.tam_tz)
        customer_id = unit.customer(customer).id if customer is not None else None
        return SlaReport(start_day, last_day, compliance_between(unit, start, end, customer_id))

    return desk.read(work)


def compliance_between(unit: Unit, start: datetime, end: datetime, customer_id: int | None = None) -> sla.Compliance:
    """L4 over the instants ``[start, end)``: every deadline due in it, met, missed or breached (L10).

    Only the cases that can have a deadline there are read; ``customer_id``
    keeps one customer's (the customer report reads its own days this way).
    """
    criteria = [tables.cases.c.filed_at < end, or_(tables.cases.c.resolved_at.is_(None), tables.cases.c.resolved_at >= start - _reach(unit))]
    if customer_id is not None:
        criteria.append(tables.cases.c.customer_id == customer_id)
    judged = clocks_of(unit, *criteria)
    return sla.compliance(
        ((sla.CaseRef(case.id, case.customer.name), case.said.deadlines) for case in judged),
        start, end, unit.catalogue.compliance,
    )


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
