"""The clocks as the desk shows them: each case's next deadline in words, how urgent it is, the day's tally.

The rules (``domain.sla``) judge every deadline; this module only reads what
they said for the desk's screens: the Caseload's column and its order by
urgency (L3, L10), the Week's count of deadlines due today, warned and
breached, and a case's detail with its customer's zone and its problem.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo


from tamdesk.domain.sla import WARN_SHARE, CaseSla
from tamdesk.domain.timezones import local_date
from tamdesk.services.case_clocks import clocks_of
from tamdesk.services.cases import case_of, case_view
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.views import CaseView, DeadlineTally
from tamdesk.store import tables
from tamdesk.store.models import Problem

#: What the Caseload's deadline column says of a case, and how it is coloured.
State = Literal["breached", "warned", "pending", "none", "paused", "resolved"]

#: The order the Caseload lists cases in by default: breached first, then the soonest due (warned or not); then
#: cases with nothing due, paused and resolved last.
URGENCY_RANK: dict[State, int] = {"breached": 0, "warned": 1, "pending": 1, "none": 2, "paused": 3, "resolved": 4}


class Urgency(NamedTuple):
    """A case's next deadline as the Caseload shows it: its words, its state, where it sorts."""

    state: State
    said: str  # "response in 18 min", "update 2 h late", "paused (waiting)", "resolved", "—" when nothing is due
    due: datetime | None  # the next deadline's due instant, when there is one

    def sort_key(self, case_id: int) -> tuple[int, float, int]:
        """Breached first, then warned and pending by due time (the soonest first); then none, paused, resolved."""
        return URGENCY_RANK[self.state], self.due.timestamp() if self.due else 0.0, case_id


def urgency(case: CaseView) -> Urgency:
    """How urgent ``case`` is by its next deadline (L3): breached, warned (L10: 25% or less of its interval left), pending.

    A paused case (waiting on the customer, or its checklist incomplete, L9)
    has no next deadline and says why; a resolved one says so (the list shows
    its status nowhere else).
    """
    if case.status == "resolved":
        return Urgency("resolved", "resolved", None)
    if case.paused:
        return Urgency("paused", "paused (waiting)" if case.waiting else "paused (checklist)", None)
    following = case.next_deadline
    if following is None:
        return Urgency("none", "—", None)
    if following.clock_minutes_left < 0:
        return Urgency("breached", following.said(), following.due)
    interval = next(
        (d.interval for d in case.deadlines if d.kind == following.kind and d.due == following.due), None
    )
    warned = interval is not None and following.clock_minutes_left <= WARN_SHARE * interval
    return Urgency("warned" if warned else "pending", following.said(), following.due)


def by_urgency(cases: list[CaseView]) -> list[CaseView]:
    """``cases`` in the Caseload's default order (``Urgency.sort_key``)."""
    return sorted(cases, key=lambda c: urgency(c).sort_key(c.id))


def tally(slas: list[CaseSla], now: datetime, tz: ZoneInfo) -> DeadlineTally:
    """Count the deadlines of unresolved cases' clocks (pure).

    ``due_today``: pending deadlines (not final) of running clocks due before the
    end of the TAM's day (``tz``) that ``now`` falls in; ``warned`` and ``breached``
    are L10's warnings (a pending deadline with 25% or less of its interval left;
    a deadline due and not done), one per deadline.
    """
    today = local_date(now, tz)
    due_today = warned = breached = 0
    for said in slas:
        if said.resolved:
            continue
        for deadline in said.deadlines:
            if (
                not said.paused
                and not deadline.final
                and deadline.state == "pending"
                and local_date(deadline.due, tz) == today
            ):
                due_today += 1
        warned += sum(w.what == "due-soon" for w in said.warnings)
        breached += sum(w.what == "breached" for w in said.warnings)
    return DeadlineTally(due_today, warned, breached)


def tally_in(unit: Unit) -> DeadlineTally:
    """``tally`` of the TAM's open and queued cases at the unit's instant (a queued case's customer is waiting, L8)."""
    judged = clocks_of(unit, tables.cases.c.status != "resolved")  # the warnings' batched read: a clock per customer, not per case
    return tally([case.said for case in judged], unit.now, unit.tam_tz)


class CaseDetail(NamedTuple):
    """One case as its detail screen shows it: the case, its customer's zone, its problem's title."""

    case: CaseView
    customer_tz: str
    tam_tz: str
    problem_title: str | None


def case_detail(desk: Desk, case_id: int | str) -> CaseDetail:
    """A case with its history and deadlines, read with its customer's zone and its problem in one read."""

    def work(unit: Unit) -> CaseDetail:
        case = case_of(unit, case_id)
        problem = unit.session.get(Problem, case.problem_id) if case.problem_id is not None else None
        return CaseDetail(case_view(unit, case), case.customer.tz, unit.tam_tz.key, problem.title if problem else None)

    return desk.read(work)


#: How long a resolved case stays on the Caseload (at its foot), for ``reopen`` to reach it.
RECENTLY_RESOLVED = timedelta(days=7)


def recently_resolved(case: CaseView, now: datetime) -> bool:
    """Whether ``case`` was resolved within ``RECENTLY_RESOLVED`` of ``now``."""
    return case.resolved_at is not None and now - case.resolved_at <= RECENTLY_RESOLVED
