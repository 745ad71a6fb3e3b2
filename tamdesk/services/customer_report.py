"""A status report for one customer over a span of their days, as plain values (issue 18; seeds 000, 002).

000 promises "reportes regulares con información sobre situación actual", 002
"informes personalizados sobre niveles de actividad, tendencias, problemas
abiertos y resoluciones". ``customer_report`` reads everything such a report
shows in one read and returns it as a tree of frozen values; the templates
``report_customer.md.j2`` and ``report_customer.html.j2`` only lay it out.

Nothing here decides a rule again: the sessions come from the allowance ledger
(S3-S7, ``services.allowances``), the hours from B1's reading
(``services.budget``), compliance from L4 (``services.sla_report``), deadlines
from the case clocks (L3, L10, ``services.case_clocks``), obligations from P3
(``services.reports``). The customer's days are read in their contract zone
(T2), the weeks of hours are the TAM's ISO weeks (T3), as the cap counts them.

Internal notes (on time entries, on the customer, the exceptions bookings were
confirmed as) are read only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tamdesk.domain import sla
from tamdesk.domain.allowance import LedgerRow
from tamdesk.domain.budget import CustomerWeek
from tamdesk.domain.errors import BadInput
from tamdesk.domain.obligations import ObligationState
from tamdesk.domain.periods import Period, iso_week_of, month_of, period_containing, periods_between
from tamdesk.domain.timezones import local_date, start_of_day, zone
from tamdesk.services.allowances import ledgers
from tamdesk.services.budget import booked_minutes, logged_minutes
from tamdesk.services.case_clocks import clocks_of
from tamdesk.services.contracts import contract_start, hours_cap, plan_of
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.reports import obligation_statuses
from tamdesk.services.sla_report import compliance_between
from tamdesk.store import tables
from tamdesk.store.models import Call, Case, Customer, Problem, TimeEntry

#: A call's status as the customer reads it (S2: a no-show counts as held).
CALL_STATUS = {
    "scheduled": "booked",
    "held": "held",
    "no-show": "held (nobody attended)",
    "cancelled-by-customer": "cancelled by you",
    "cancelled-by-tam": "cancelled by us",
}
#: A deadline's kind as the customer reads it (L1, L8).
DEADLINE = {
    "response": "first response",
    "update": "update",
    "escalation-2": "escalation to level 2",
    "escalation-3": "escalation to level 3",
}
#: Every section's heading, in the order the page shows them (the templates read them here; a test finds each).
SECTIONS = {
    "sessions": "Working sessions",
    "hours": "Hours by week",
    "cases": "Cases and response times",
    "open_cases": "Open cases",
    "problems": "Problems",
    "obligations": "Regular deliverables",
    "coming": "Coming up",
}
#: The heading of the internal notes, shown only when asked for.
NOTES_HEADING = "Internal notes"
#: How many calls ahead "Coming up" lists.
UPCOMING = 8


class Span(NamedTuple):
    """The report's days, both ends included, in the customer's zone."""

    first: date
    last: date


@dataclass(frozen=True)
class SessionPeriod:
    """One allowance period's ledger in the customer's words (S3-S7): ``final`` once the period is over."""

    name: str  # "November 2026", "week of 16 Nov 2026"
    granted: int
    carried_in: int
    booked: int
    held: int
    available: int
    carried_out: int
    forfeited: int
    final: bool


@dataclass(frozen=True)
class CallLine:
    """A call with the customer, its start in their zone."""

    start: datetime
    minutes: int
    title: str  # "Working session", "Quarterly review"
    status: str  # CALL_STATUS's words
    agenda: str | None


@dataclass(frozen=True)
class WeekHours(CustomerWeek):
    """The hours given the customer in one of the TAM's weeks against the weekly cap (B1, B2), and its Monday."""

    monday: date

    @property
    def hours(self) -> float:
        return self.total_minutes / 60


@dataclass(frozen=True)
class Bar:
    """One week's bar in the HTML chart: where it stands, in the SVG's units."""

    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    over: bool


@dataclass(frozen=True)
class Chart:
    """The hours chart of the HTML page: bars per week and the cap as a line (the Markdown has a table instead)."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    cap_y: float
    cap_label: str
    baseline: float


@dataclass(frozen=True)
class CaseLine:
    """A case as the report lists it."""

    id: int
    title: str
    severity: str
    filed: datetime
    resolved: datetime | None


@dataclass(frozen=True)
class ShareLine:
    """One compliance share in the customer's words (L4): ``share`` is None when nothing fell due (L10)."""

    name: str
    on_time: int
    counted: int
    share: float | None
    target: float
    met: bool | None


@dataclass(frozen=True)
class MissLine:
    """A deadline done late or not at all (L10)."""

    case: int
    title: str
    what: str
    due: datetime
    done: datetime | None


@dataclass(frozen=True)
class OpenCase:
    """A case still open with what it waits for next (L3): a deadline, or the customer (L9)."""

    id: int
    title: str
    severity: str
    status: str  # "open", "waiting for you", "queued"
    next_what: str | None
    next_due: datetime | None
    late: bool


@dataclass(frozen=True)
class ProblemLine:
    """A problem behind some of the customer's cases, and only their cases (L6, L11)."""

    title: str
    opened: datetime
    resolved: datetime | None
    solution: str | None
    cases: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class ObligationLine:
    """A recurring deliverable of the plan in one of its periods (P3)."""

    title: str
    period: str
    due: date
    state: ObligationState


@dataclass(frozen=True)
class Review:
    """The next review call: booked, or when one is owed (S8, P1)."""

    title: str
    booked: datetime | None
    every: str | None  # "quarter", "month"; None when the plan has none


@dataclass(frozen=True)
class EntryNote:
    """A time entry's internal note."""

    day: date
    minutes: int
    note: str


@dataclass(frozen=True)
class Notes:
    """Internal notes, present only when asked for."""

    customer: str | None
    entries: tuple[EntryNote, ...]
    exceptions: tuple[tuple[datetime, str], ...]  # a call's start and the exception it was booked as (T5, T8)


@dataclass(frozen=True)
class CustomerReport:
    """Everything one customer's report shows, as plain values."""

    customer: str
    plan: str
    tz: str
    tam: str
    tam_tz: str
    prepared: datetime
    span: Span
    period_word: str | None  # "month" or "week": what the allowance counts; None on a plan without one
    sessions: tuple[SessionPeriod, ...]
    calls: tuple[CallLine, ...]
    weeks: tuple[WeekHours, ...]
    cap_hours: float
    opened: tuple[CaseLine, ...]
    resolved: tuple[CaseLine, ...]
    shares: tuple[ShareLine, ...]
    misses: tuple[MissLine, ...]
    open_cases: tuple[OpenCase, ...]
    problems: tuple[ProblemLine, ...]
    obligations: tuple[ObligationLine, ...]
    upcoming: tuple[CallLine, ...]
    review: Review
    notes: Notes | None

    @property
    def chart(self) -> Chart:
        """The weeks as bars against the cap, for the HTML page."""
        return hours_chart(self.weeks, self.cap_hours)


def customer_report(
    desk: Desk, customer: str | int, first: date | None = None, last: date | None = None, *, include_notes: bool = False
) -> CustomerReport:
    """The report of ``customer`` over their days ``first`` to ``last`` (both included, their zone).

    Neither given: this month so far in the customer's zone (the 1st to
    today); one alone keeps to its month, as ``report sla`` does.
    """

    def work(unit: Unit) -> CustomerReport:
        row = unit.customer(customer)
        tz = zone(row.tz)
        today = local_date(unit.now, tz)
        span = _span(first, last, today)
        start, end = start_of_day(span.first, tz), start_of_day(span.last + timedelta(days=1), tz)
        plan = plan_of(unit, row)
        opened, resolved = _cases(unit, row, start, end)
        compliance = compliance_between(unit, start, end, row.id)
        return CustomerReport(
            customer=row.name,
            plan=plan.title,
            tz=row.tz,
            tam=unit.tam.name,
            tam_tz=unit.tam_tz.key,
            prepared=unit.now.astimezone(tz),
            span=span,
            period_word=plan.period if plan.has_allowance else None,
            sessions=_sessions(unit, row, span),
            calls=tuple(_call_lines(unit, row, Call.starts_at >= start, Call.starts_at < end)),
            weeks=_weeks(unit, row, span),
            cap_hours=hours_cap(unit, row),
            opened=opened,
            resolved=resolved,
            shares=_shares(compliance),
            misses=_misses(unit, compliance.misses, tz),
            open_cases=_open_cases(unit, row),
            problems=_problems(unit, row, start),
            obligations=_obligations(unit, row, span, today),
            upcoming=tuple(_call_lines(unit, row, Call.starts_at >= unit.now, Call.status == "scheduled", limit=UPCOMING)),
            review=_review(unit, row),
            notes=_notes(unit, row, span, start, end) if include_notes else None,
        )

    return desk.read(work)


def _span(first: date | None, last: date | None, today: date) -> Span:
    """The days asked for: neither is this month to today; one alone keeps to its month."""
    if first is None and last is None:
        return Span(month_of(today).first, today)
    start = first or month_of(last or today).first
    end = last or month_of(start).last
    if end < start:
        raise BadInput(f"--to comes before --from: {end} is before {start}")
    return Span(start, end)


def _period_name(period: Period) -> str:
    return f"{period.first:%B %Y}" if period.kind == "month" else f"week of {period.first:%d %b %Y}"


def _sessions(unit: Unit, customer: Customer, span: Span) -> tuple[SessionPeriod, ...]:
    """The ledger of every allowance period the span touches, from the contract's start on (S3, S7)."""
    plan = plan_of(unit, customer)
    if not plan.has_allowance or plan.period is None:
        return ()
    started = contract_start(customer)
    periods = [
        p for p in periods_between(period_containing(plan.period, span.first), period_containing(plan.period, span.last))
        if p.end > started
    ]
    if not periods:
        return ()
    rows: list[LedgerRow] = ledgers(unit, [(customer, periods[0], periods[-1])])[customer.id]
    return tuple(
        SessionPeriod(_period_name(r.period), r.granted, r.carried_in, r.booked, r.held, r.available, r.carried_out, r.forfeited, r.final)
        for r in rows
    )


def _call_lines(unit: Unit, customer: Customer, *criteria: object, limit: int | None = None) -> list[CallLine]:
    """The customer's calls meeting ``criteria``, by start, in their zone."""
    plan = plan_of(unit, customer)
    tz = zone(customer.tz)
    query = (
        select(Call.starts_at, Call.minutes, Call.kind, Call.review, Call.status, Call.agenda)
        .where(Call.customer_id == customer.id, *criteria)
        .order_by(Call.starts_at, Call.id)
        .limit(limit)
    )
    return [
        CallLine(start.astimezone(tz), minutes, plan.call_title(kind, review), CALL_STATUS.get(status, status), agenda)
        for start, minutes, kind, review, status, agenda in unit.session.execute(query)
    ]


def _weeks(unit: Unit, customer: Customer, span: Span) -> tuple[WeekHours, ...]:
    """B1's hours in each of the TAM's weeks the span touches, against the cap (B2)."""
    weeks = periods_between(iso_week_of(span.first), iso_week_of(span.last))
    logged = logged_minutes(unit, weeks[0].first, weeks[-1].end, customer.id)
    booked = booked_minutes(unit, weeks[0].first, weeks[-1].end, customer.id)
    cap = hours_cap(unit, customer)
    return tuple(
        WeekHours(logged.get((customer.id, w.first), 0), booked.get((customer.id, w.first), 0), cap, monday=w.first) for w in weeks
    )


def _cases(unit: Unit, customer: Customer, start: datetime, end: datetime) -> tuple[tuple[CaseLine, ...], tuple[CaseLine, ...]]:
    """The customer's cases filed in ``[start, end)``, and those resolved in it."""
    tz = zone(customer.tz)
    rows = unit.session.execute(
        select(Case.id, Case.title, Case.severity, Case.filed_at, Case.resolved_at)
        .where(
            Case.customer_id == customer.id,
            ((Case.filed_at >= start) & (Case.filed_at < end)) | ((Case.resolved_at >= start) & (Case.resolved_at < end)),
        )
        .order_by(Case.id)
    ).all()
    lines = [
        CaseLine(r.id, r.title, r.severity, r.filed_at.astimezone(tz), r.resolved_at.astimezone(tz) if r.resolved_at else None)
        for r in rows
    ]
    opened = tuple(c for c in lines if start <= c.filed < end)
    resolved = tuple(c for c in lines if c.resolved is not None and start <= c.resolved < end)
    return opened, resolved


def _shares(c: sla.Compliance) -> tuple[ShareLine, ...]:
    """L4's two targets: first responses, and updates with escalations."""
    return tuple(
        ShareLine(name, s.on_time, s.on_time + s.late, s.share, s.target, s.met)
        for name, s in (("First responses", c.first_response), ("Updates and escalations", c.updates_and_escalations))
    )


def _misses(unit: Unit, misses: tuple[sla.Miss, ...], tz: ZoneInfo) -> tuple[MissLine, ...]:
    """Each deadline done late or never, with its case's title (one query for them all), its times in ``tz``."""
    titles = dict(unit.session.execute(select(Case.id, Case.title).where(Case.id.in_({m.case.id for m in misses}))).all())
    return tuple(
        MissLine(m.case.id, titles.get(m.case.id, ""), DEADLINE[m.kind], m.due.astimezone(tz), m.done_at.astimezone(tz) if m.done_at else None)
        for m in misses
    )


def _open_cases(unit: Unit, customer: Customer) -> tuple[OpenCase, ...]:
    """Every case not resolved, with its next deadline (L3) or why its clocks are paused (L9)."""
    tz = zone(customer.tz)
    rows = {
        r.id: r
        for r in unit.session.execute(
            select(Case.id, Case.status, Case.severity).where(Case.customer_id == customer.id, Case.status != "resolved")
        )
    }
    out = []
    for case in clocks_of(unit, tables.cases.c.customer_id == customer.id, tables.cases.c.status != "resolved"):
        following = case.said.next_deadline
        status = "queued" if rows[case.id].status == "queued" else "waiting for you" if case.said.paused else "open"
        out.append(OpenCase(
            case.id, case.title, rows[case.id].severity, status,
            DEADLINE[following.kind] if following and not case.said.paused else None,
            following.due.astimezone(tz) if following and not case.said.paused else None,
            bool(following and not case.said.paused and following.clock_minutes_left < 0),
        ))
    return tuple(out)


def _problems(unit: Unit, customer: Customer, start: datetime) -> tuple[ProblemLine, ...]:
    """Problems behind the customer's cases, open or resolved since the span began; only their own cases listed."""
    tz = zone(customer.tz)
    rows = unit.session.execute(
        select(Problem.id, Problem.title, Problem.opened_at, Problem.resolved_at, Problem.solution, Case.id, Case.title)
        .join(Case, Case.problem_id == Problem.id)
        .where(Case.customer_id == customer.id, (Problem.resolved_at.is_(None)) | (Problem.resolved_at >= start))
        .order_by(Problem.id, Case.id)
    ).all()
    found: dict[int, ProblemLine] = {}
    for problem_id, title, opened, resolved, solution, case_id, case_title in rows:
        known = found.get(problem_id)
        cases = (*(known.cases if known else ()), (case_id, case_title))
        found[problem_id] = ProblemLine(title, opened.astimezone(tz), resolved.astimezone(tz) if resolved else None, solution, cases)
    return tuple(found.values())


def _obligations(unit: Unit, customer: Customer, span: Span, today: date) -> tuple[ObligationLine, ...]:
    """Each obligation of the plan in every one of its periods the span touches, met, due or missed (P3)."""
    wanted = [
        (customer, obligation, period)
        for obligation in plan_of(unit, customer).obligations
        for period in periods_between(period_containing(obligation.every, span.first), period_containing(obligation.every, span.last))
    ]
    return tuple(
        ObligationLine(status.title, _period_name(status.period) if status.period.kind != "quarter" else status.period.key, status.due, status.state)
        for _, status in obligation_statuses(unit, wanted, {customer.id: today})
    )


def _review(unit: Unit, customer: Customer) -> Review:
    """The next review call booked from now on (S8; a separate call on csm, standard and premium)."""
    plan = plan_of(unit, customer)
    booked = unit.session.scalar(
        select(Call.starts_at)
        .where(
            Call.customer_id == customer.id, Call.status == "scheduled", Call.starts_at >= unit.now,
            (Call.review.is_(True)) | (Call.kind == "review"),
        )
        .order_by(Call.starts_at)
        .limit(1)
    )
    return Review(plan.review.title, booked.astimezone(zone(customer.tz)) if booked else None, plan.review.every)


def _notes(unit: Unit, customer: Customer, span: Span, start: datetime, end: datetime) -> Notes:
    """The internal notes of the span: the customer's own, time entries' (the TAM's days), bookings' exceptions."""
    tz = zone(customer.tz)
    entries = unit.session.execute(
        select(TimeEntry.work_date, TimeEntry.minutes, TimeEntry.note)
        .where(
            TimeEntry.customer_id == customer.id, TimeEntry.note.is_not(None),
            TimeEntry.work_date >= span.first, TimeEntry.work_date <= span.last,
        )
        .order_by(TimeEntry.work_date, TimeEntry.id)
    ).all()
    exceptions = unit.session.execute(
        select(Call.starts_at, Call.exception)
        .where(Call.customer_id == customer.id, Call.exception.is_not(None), Call.starts_at >= start, Call.starts_at < end)
        .order_by(Call.starts_at)
    ).all()
    return Notes(
        customer.notes,
        tuple(EntryNote(day, minutes, note) for day, minutes, note in entries),
        tuple((at.astimezone(tz), text) for at, text in exceptions),
    )


# ---------------------------------------------------------------- the chart


def hours_chart(weeks: tuple[WeekHours, ...], cap_hours: float, *, width: int = 640, height: int = 220) -> Chart:
    """Bars of each week's hours on a scale that always shows the cap, with room for labels (pure)."""
    top, bottom, left, right = 18.0, 36.0, 36.0, 12.0
    plot = height - top - bottom
    scale_max = max([cap_hours * 1.15, *(w.hours * 1.05 for w in weeks), 1.0])
    slot = (width - left - right) / max(len(weeks), 1)
    bar_width = slot * 0.6
    baseline = top + plot

    def y(hours: float) -> float:
        return round(baseline - plot * hours / scale_max, 1)

    bars = tuple(
        Bar(
            x=round(left + slot * i + (slot - bar_width) / 2, 1), y=y(w.hours), width=round(bar_width, 1),
            height=round(baseline - y(w.hours), 1), label=f"{w.monday:%d %b}", value=f"{round(w.hours, 2):g} h", over=w.over,
        )
        for i, w in enumerate(weeks)
    )
    return Chart(width, height, bars, y(cap_hours), f"cap {cap_hours:g} h", baseline)
