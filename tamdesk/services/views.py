"""Plain, read-only records that use-cases return to the CLI and the TUI.

Their ``as_json`` methods are the JSON contract of the command line (see the
core issue); new keys may be added, the documented ones never change.

This module imports neither SQLAlchemy nor the store: the desk's first read
(``Start``, with its ``WeekPage``) comes pickled from a child process into a
parent that has not imported them yet (``tamdesk.services.opening``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from tamdesk.domain import humanize
from tamdesk.domain.allowance import LedgerRow
from tamdesk.domain.budget import CustomerWeek, hours
from tamdesk.domain.caseload import Load
from tamdesk.domain.obligations import Warning
from tamdesk.domain.sla import Deadline, NextDeadline
from tamdesk.domain.timezones import local_date, zone


def iso(instant: datetime | None, tz: ZoneInfo | None = None) -> str | None:
    """ISO 8601 with the offset of ``tz`` (or UTC), to the second."""
    if instant is None:
        return None
    return (instant.astimezone(tz) if tz else instant).isoformat(timespec="seconds")


class CustomerView(NamedTuple):
    """A customer as the desk shows it."""

    id: int
    name: str
    plan: str
    tz: str
    country: str | None
    hours_cap: float
    business_hours: str
    contacts: tuple[str, ...] = ()
    critical_periods: tuple[tuple[datetime, datetime, str], ...] = ()
    active_from: date | None = None
    active_until: date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "plan": self.plan,
            "tz": self.tz,
            "country": self.country,
            "hours_cap": self.hours_cap,
            "business_hours": self.business_hours,
            "contacts": list(self.contacts),
            # the contract's first and last local days (--since, --until), ISO; null is open
            "since": self.active_from.isoformat() if self.active_from else None,
            "until": self.active_until.isoformat() if self.active_until else None,
        }


class CallView(NamedTuple):
    """A booked call, with its times in the contract zone."""

    id: int
    uid: str
    customer_id: int
    customer: str
    tz: str
    plan: str
    start: datetime
    minutes: int
    status: str
    kind: str
    review: bool
    agenda: str | None
    exception: str | None
    over_budget: bool
    sequence: int
    updated_at: datetime
    title: str  # what kind of call, in words, from the plan catalogue (``Plan.call_title``)
    contacts: tuple[str, ...] = ()
    overlap: bool = False  # it overlaps another of the TAM's calls: older data, from before T7

    @property
    def end(self) -> datetime:
        """The instant the call ends."""
        return self.start + timedelta(minutes=self.minutes)

    def as_json(self) -> dict[str, Any]:
        tz = zone(self.tz)
        return {
            "id": self.id,
            "customer": self.customer,
            "start": iso(self.start, tz),
            "end": iso(self.end, tz),
            "minutes": self.minutes,
            "status": self.status,
            "review": self.review,
            "sequence": self.sequence,
            "kind": self.kind,
            "tz": self.tz,
            "agenda": self.agenda,
            "exception": self.exception,
            "over_budget": self.over_budget,
            "uid": self.uid,
        }


class CallEventView(NamedTuple):
    """One step of a call's history (S2)."""

    at: datetime
    action: str
    by: str | None
    from_start: datetime | None
    to_start: datetime | None
    to_status: str


class CaseView(NamedTuple):
    """A case on the caseload or in its queue."""

    id: int
    customer: str
    title: str
    severity: str
    status: str
    filed_at: datetime
    opened_at: datetime | None
    resolved_at: datetime | None
    queue_position: int | None = None
    #: what the TAM wrote when resolving it, if anything
    resolution_note: str | None = None
    #: how its SLA clocks run: "business" or "24x7" (L2, L7)
    clock: str = "business"
    #: waiting on the customer (L9): its status reads "waiting"
    waiting: bool = False
    #: every clock stands still: waiting, or the checklist incomplete (L5, L9)
    paused: bool = False
    level: int = 1
    problem: int | None = None
    #: the four items of a complete request to done or not; None when the contract asks for none (L5)
    checklist: dict[str, bool] | None = None
    #: the earliest deadline pending or breached, None when none is or the case is paused (L3)
    next_deadline: NextDeadline | None = None
    #: every deadline known so far with its verdict, in the order they fall due (L3, L10)
    deadlines: tuple[Deadline, ...] = ()
    #: the case's history, oldest first
    events: tuple[CaseEventView, ...] = ()

    def age(self, now: datetime) -> str:
        """How long it has been open, or waiting in the queue (C2), in words: "3 days"; resolved, nothing."""
        since = {"open": self.opened_at, "queued": self.filed_at}.get(self.status)
        return humanize.age(since, now) if since else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "customer": self.customer,
            "title": self.title,
            "severity": self.severity,
            "status": self.shown_status,
            "opened_at": iso(self.opened_at),
            "filed_at": iso(self.filed_at),
            "resolved_at": iso(self.resolved_at),
            "queue_position": self.queue_position,
            "resolution_note": self.resolution_note,
            "clock": self.clock,
            "paused": self.paused,
            "level": self.level,
            "problem": self.problem,
            "checklist": self.checklist,
            "next_deadline": None if self.next_deadline is None else {
                "kind": self.next_deadline.kind, "due": iso(self.next_deadline.due),
                "clock_minutes_left": self.next_deadline.clock_minutes_left,
            },
            "deadlines": [
                {"kind": d.kind, "due": iso(d.due), "done_at": iso(d.done_at), "state": d.state} for d in self.deadlines
            ],
        }

    @property
    def shown_status(self) -> str:
        """The status as the TAM reads it: ``waiting`` while it waits on the customer, else as stored."""
        return "waiting" if self.waiting and self.status != "resolved" else self.status


class CaseEventView(NamedTuple):
    """One step in a case's history (see ``domain.case_history``)."""

    id: int
    at: datetime
    kind: str
    level: int | None = None
    severity: str | None = None
    item: str | None = None
    problem: int | None = None
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "at": iso(self.at), "kind": self.kind, "level": self.level, "severity": self.severity,
            "item": self.item, "problem": self.problem, "note": self.note,
        }


class CaseChange(NamedTuple):
    """What resolving or opening a case did, including a case promoted from the queue (C2)."""

    case: CaseView
    promoted: CaseView | None = None


class TimeEntryView(NamedTuple):
    """Time logged for a customer on a day."""

    id: int
    customer: str
    work_date: date
    minutes: int
    note: str | None
    case_id: int | None
    call_id: int | None
    activity: str | None
    over_budget: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "customer": self.customer,
            "date": self.work_date.isoformat(),
            "hours": hours(self.minutes),
            "note": self.note,
            "case": self.case_id,
            "call": self.call_id,
            "activity": self.activity,
            "over_budget": self.over_budget,
        }


class CustomerWeekView(NamedTuple):
    """One customer's hours in the week against their cap (B1-B3)."""

    customer: str
    plan: str
    logged_minutes: int
    booked_minutes: int
    cap_hours: float
    consistently_over: bool
    average_minutes: float

    @property
    def budget(self) -> CustomerWeek:
        """The week as the budget rule sees it (B1, B2)."""
        return CustomerWeek(self.logged_minutes, self.booked_minutes, self.cap_hours)

    @property
    def total_minutes(self) -> int:
        return self.budget.total_minutes

    @property
    def over(self) -> bool:
        return self.budget.over

    def as_json(self) -> dict[str, Any]:
        return {
            "customer": self.customer,
            "logged_hours": hours(self.logged_minutes),
            "booked_hours": hours(self.booked_minutes),
            "total_hours": hours(self.total_minutes),
            "cap": self.cap_hours,
            "over": self.over,
            "consistently_over": self.consistently_over,
            "average_hours_last_4_weeks": hours(self.average_minutes),
        }


class WeekSummary(NamedTuple):
    """The TAM's week: caseload, hours per customer and the TAM's own total (B4, C3)."""

    week: str
    first: date
    tz: str
    caseload: Load
    customers: tuple[CustomerWeekView, ...]
    working_hours: float
    recommendations: tuple[str, ...] = ()

    @property
    def tam_minutes(self) -> int:
        return sum(c.total_minutes for c in self.customers)

    def as_json(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "caseload": {
                "open": self.caseload.open,
                "queued": self.caseload.queued,
                "cap": self.caseload.cap,
                "warning": self.caseload.warning,
            },
            "customers": [c.as_json() for c in self.customers],
            "tam": {
                "total_hours": hours(self.tam_minutes),
                "working_hours": self.working_hours,
                "over": self.tam_minutes > self.working_hours * 60,
            },
            "recommendations": list(self.recommendations),
        }


class AllowanceView(NamedTuple):
    """One customer's ledger for one period (S3)."""

    customer: str
    plan: str
    row: LedgerRow

    def as_json(self) -> dict[str, Any]:
        row = self.row
        return {
            "customer": self.customer,
            "period": row.period.key,
            "granted": row.granted,
            "carried_in": row.carried_in,
            "booked": row.booked,
            "held": row.held,
            "available": row.available,
            "carried_out": row.carried_out,
            "forfeited": row.forfeited,
            "final": row.final,
            "plan": self.plan,
        }


class DayNote(NamedTuple):
    """Something that closes a day, wholly or partly: a public holiday or the TAM's time off."""

    day: date
    kind: str  # "holiday" or "time off"
    text: str


class WeekAgenda(NamedTuple):
    """Monday to Sunday of one ISO week in the TAM's zone."""

    week: str
    first: date
    tz: str
    today: date
    calls: tuple[CallView, ...]
    notes: tuple[DayNote, ...]
    #: When a call starts or started, in words, for the calls that need it said (``starts_in_words``).
    when: dict[int, str]

    @property
    def days(self) -> list[date]:
        """The seven local dates of the week."""
        return [self.first + timedelta(days=i) for i in range(7)]

    def calls_on(self, day: date) -> list[CallView]:
        """The calls starting on ``day`` in the TAM's zone."""
        tz = zone(self.tz)
        return [c for c in self.calls if local_date(c.start, tz) == day]

    def notes_on(self, day: date) -> list[DayNote]:
        """The holidays and time off of ``day``."""
        return [n for n in self.notes if n.day == day]


class DeadlineTally(NamedTuple):
    """The Week's line on the clocks: deadlines due later today, warned, breached (L10)."""

    due_today: int = 0
    warned: int = 0
    breached: int = 0


class RunningEmergency(NamedTuple):
    """An engagement still running (requested, normalizing, mitigating), as the Week's line shows it (E1-E3).

    The minutes are counted at the read's clock: since the request, and, while the
    feasibility answer is not given, until it falls due (negative once it is late).
    """

    id: int
    customer: str
    title: str
    status: str
    elapsed_minutes: int
    feasibility_minutes: int | None  # None once answered

    @property
    def clock(self) -> str | None:
        """The feasibility clock as people say it: "feasibility due in 18 min", "feasibility late by 3 min"."""
        from tamdesk.domain.durations import describe

        left = self.feasibility_minutes
        if left is None:
            return None
        return f"feasibility due in {describe(left)}" if left >= 0 else f"feasibility late by {describe(-left)}"


WeekMinutes = dict[tuple[int, date], int]
"""Minutes per (customer id, Monday of the TAM's week)."""


class WeeksRead(NamedTuple):
    """Time logged and calls booked per customer in each of ``weeks`` (Mondays), as read in one unit of work (B1)."""

    weeks: frozenset[date]
    logged: WeekMinutes
    booked: WeekMinutes


class WeekPage(NamedTuple):
    """One ISO week of the TAM's desk, as the week screen shows it."""

    agenda: WeekAgenda
    summary: WeekSummary
    warnings: list[Warning]
    #: the caseload's deadlines due today, warned and breached (L10); like the warnings, not the week's own
    clocks: DeadlineTally = DeadlineTally()
    #: the engagements running now (E1-E3); like the warnings, not the week's own: a turn of the page keeps them
    emergencies: tuple[RunningEmergency, ...] = ()
    #: the minutes of the weeks the page and B3's average were worked out from: the next turn reads only a new week
    minutes: WeeksRead | None = None


class Start(NamedTuple):
    """What the desk shows as it opens, read in one snapshot."""

    tam_name: str
    tam_tz: ZoneInfo
    theme: str | None
    week: WeekPage
    demo: bool = False  # the database holds the demo (the header says so)
