"""The compliance report over a period: shares of deadlines on time, and every miss (SPEC L4, L10).

The period is a span of days in the TAM's zone, both ends included (default:
the current month). Every case's deadlines are read from its events at the
desk's clock (``services.cases.clocks``) and pooled by ``domain.sla.compliance``:
a deadline counts when it fell due in the period and is met, missed or
breached; pending ones do not count, and a period with none has no share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tamdesk.domain import sla
from tamdesk.domain.errors import BadInput
from tamdesk.domain.periods import month_of
from tamdesk.domain.timezones import start_of_day
from tamdesk.services.cases import clocks
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.views import iso
from tamdesk.store.models import Case


@dataclass(frozen=True)
class SlaReport:
    """L4 over the days ``first`` to ``last`` (the TAM's zone, both included)."""

    first: date
    last: date
    compliance: sla.Compliance

    def as_json(self) -> dict[str, Any]:
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


def sla_report(
    desk: Desk, first: date | None = None, last: date | None = None, customer: str | int | None = None
) -> SlaReport:
    """Compliance over ``first``..``last`` (default: the current month in the TAM's zone), for one customer or all."""

    def work(unit: Unit) -> SlaReport:
        start = first or month_of(last or unit.today).first
        end = last or month_of(start).end - timedelta(days=1)
        if end < start:
            raise BadInput("--to comes before --from")
        query = select(Case).where(Case.tam_id == unit.tam.id).options(selectinload(Case.events))
        if customer is not None:
            query = query.where(Case.customer_id == unit.customer(customer).id)
        cases = [(sla.CaseRef(c.id, c.customer.name), clocks(unit, c).deadlines) for c in unit.session.scalars(query)]
        span = (start_of_day(start, unit.tam_tz), start_of_day(end + timedelta(days=1), unit.tam_tz))
        return SlaReport(start, end, sla.compliance(cases, *span, unit.catalogue.compliance))

    return desk.read(work)
