"""What the desk reports: the TAM's week, allowance ledgers and warnings.

The week (B1-B4, C3) is read in the TAM's zone (T3); ledgers and their
warnings in each customer's contract zone (T2, S3-S8); obligations per plan (P3);
sessions crowded against their plan's cadence in the TAM's weeks (P1, T3).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from tamdesk.domain.allowance import ACTIVE, HELD
from tamdesk.domain.budget import WEEKS_FOR_AVERAGE, consistently_over
from tamdesk.domain.cadence import CADENCE_WEEKS, cadence_warning
from tamdesk.domain.calls import unmarked_warning
from tamdesk.domain.caseload import Load
from tamdesk.domain.conflicts import BookedCall, overlapping_ids
from tamdesk.domain.obligations import (
    ObligationStatus,
    Warning,
    forfeit_warning,
    obligation_state,
    review_warning,
)
from tamdesk.domain.periods import Period, iso_week_of, period_containing, quarter_of
from tamdesk.domain.plans import Obligation
from tamdesk.domain.timezones import local_date, zone
from tamdesk.services.allowances import current_period, ledgers
from tamdesk.services.budget import weeks_minutes
from tamdesk.services.case_clocks import deadline_warnings
from tamdesk.services.contracts import calendar_of, contract_start, hours_cap, plan_of
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.views import AllowanceView, CustomerWeekView, WeeksRead, WeekSummary
from tamdesk.store import tables
from tamdesk.store.tables import CustomerRow

#: The columns read here, as Core sees them (``tamdesk.store.tables``: no ORM on the week's path).
CALL, CASE, CUSTOMER, ENTRY = tables.calls.c, tables.cases.c, tables.customers.c, tables.time_entries.c


def customers_of(unit: Unit, ref: str | int | None = None) -> list[CustomerRow]:
    """The TAM's customers in name order, or the one ``ref`` names: their rows as read."""
    if ref is not None:
        return [unit.customer(ref)]
    t = tables.customers
    return list(unit.session.execute(select(t).where(t.c.tam_id == unit.desk.tam_id).order_by(t.c.name_key)))


def _caseload(unit: Unit) -> Load:
    counts = dict(
        unit.session.execute(
            select(CASE.status, func.count()).where(CASE.tam_id == unit.desk.tam_id).group_by(CASE.status)
        ).all()
    )
    return unit.catalogue.load(counts.get("open", 0), counts.get("queued", 0))


def week_summary(desk: Desk, day: date | None = None) -> WeekSummary:
    """The TAM's ISO week containing ``day`` (default today): caseload and hours per customer."""
    return desk.read(lambda unit: week_summary_in(unit, day))


def week_summary_in(
    unit: Unit, day: date | None = None, load: Load | None = None, customers: list[CustomerRow] | None = None
) -> WeekSummary:
    """``week_summary`` inside a unit of work already open; ``load`` (C1-C3) and ``customers`` when already read."""
    return week_summary_reading(unit, day, load, customers)[0]


def week_summary_reading(
    unit: Unit,
    day: date | None = None,
    load: Load | None = None,
    customers: list[CustomerRow] | None = None,
    known: WeeksRead | None = None,
) -> tuple[WeekSummary, WeeksRead]:
    """``week_summary_in``, and the weeks' minutes it was worked out from; the weeks in ``known`` are not read again."""
    today = unit.today
    week = iso_week_of(day or today)
    # B3: the last four complete weeks before the week shown (or before this week).
    reference = min(week.first, iso_week_of(today).first)
    history_first = reference - timedelta(weeks=WEEKS_FOR_AVERAGE)
    span_first, span_end = min(history_first, week.first), max(week.end, reference)
    read = weeks_minutes(unit, span_first, span_end, known)
    logged, booked = read.logged, read.booked
    rows = []
    recommendations = []
    for customer in customers_of(unit) if customers is None else customers:
        cap = hours_cap(unit, customer)
        past = [
            logged.get((customer.id, monday), 0) + booked.get((customer.id, monday), 0)
            for monday in (history_first + timedelta(weeks=i) for i in range(WEEKS_FOR_AVERAGE))
        ]
        row = CustomerWeekView(
            customer=customer.name,
            plan=customer.plan,
            logged_minutes=logged.get((customer.id, week.first), 0),
            booked_minutes=booked.get((customer.id, week.first), 0),
            cap_hours=cap,
            consistently_over=consistently_over(past, cap),
            average_minutes=sum(past) / WEEKS_FOR_AVERAGE,
        )
        if row.consistently_over:
            recommendations.append(f"B3: {customer.name} {_recommendation(row)}")
        rows.append(row)
    load = load or _caseload(unit)
    working = unit.profile.working_hours or unit.catalogue.working_hours_per_week
    summary = WeekSummary(
        week=week.key,
        first=week.first,
        tz=unit.tam_tz.key,
        caseload=load,
        customers=tuple(rows),
        working_hours=working,
        recommendations=tuple(recommendations),
    )
    return summary, read


def _recommendation(row: CustomerWeekView) -> str:
    """What B3 says of a customer consistently over their cap: one wording for the week and the warnings."""
    return (
        f"averaged {row.average_minutes / 60:.1f} h over the last {WEEKS_FOR_AVERAGE} weeks against a cap of "
        f"{row.cap_hours:g} h: recommend an additional engagement."
    )


def _periods_in_month(kind: str, month: Period) -> list[Period]:
    """The month itself, or the ISO weeks whose Monday falls inside it (S7)."""
    if kind == "month":
        return [month]
    monday = month.first + timedelta(days=(7 - month.first.weekday()) % 7)
    weeks = []
    while monday < month.end:
        weeks.append(iso_week_of(monday))
        monday += timedelta(days=7)
    return weeks


def allowance_report(desk: Desk, month: Period | None = None, customer: str | int | None = None) -> list[AllowanceView]:
    """Ledgers of every customer with an allowance for one month (weekly plans: its weeks).

    Without ``month``, each customer's own current period: the one containing
    now in the customer's zone (T2), which may still be last month (or week)
    while the TAM's has turned. Periods before a contract's start are not
    shown: nothing is granted or forfeited in them (S3).
    """

    def work(unit: Unit) -> list[AllowanceView]:
        wanted = []
        for row_customer in customers_of(unit, customer):
            plan = plan_of(unit, row_customer)
            if not plan.has_allowance or plan.period is None:
                continue
            if month is None:
                periods = [current_period(unit, row_customer, plan.period)]
            else:
                periods = _periods_in_month(plan.period, month)
            start = contract_start(row_customer)
            periods = [period for period in periods if period.end > start]
            if periods:
                wanted.append((row_customer, periods[0], periods[-1]))
        rows = ledgers(unit, wanted)
        return [
            AllowanceView(row_customer.name, plan_of(unit, row_customer).key, row)
            for row_customer, _, _ in wanted
            for row in rows[row_customer.id]
        ]

    return desk.read(work)


def week_report(desk: Desk, day: date | None = None) -> tuple[WeekSummary, list[Warning]]:
    """``tamdesk week``: the week containing ``day`` and the warnings, from one read."""

    def work(unit: Unit) -> tuple[WeekSummary, list[Warning]]:
        customers = customers_of(unit)
        summary = week_summary_in(unit, day, customers=customers)
        this_week = summary if summary.first == iso_week_of(unit.today).first else None
        return summary, warnings_in(unit, this_week, load=summary.caseload, customers=customers)

    return desk.read(work)


def warnings(desk: Desk) -> list[Warning]:
    """What needs the TAM's attention now: sessions, reviews, obligations, load, deadlines nearly due or breached (L10).

    Every customer is read at once (a handful of queries in all, not a few
    per customer): the week screen shows these beside every week.
    """
    return desk.read(warnings_in)


def warnings_in(
    unit: Unit, this_week: WeekSummary | None = None, *, load: Load | None = None, customers: list[CustomerRow] | None = None
) -> list[Warning]:
    """``warnings`` inside a unit of work already open (case deadlines too, L10): the one list the CLI's ``warnings``, ``week`` and the desk show.

    ``this_week`` is this week's summary when the caller has read it already
    (the week screen on this week): B2 and B3 come from it. ``load`` and
    ``customers`` are the caseload and the TAM's customers when already read.
    """
    found: list[Warning] = []
    load = load or _caseload(unit)
    if load.warning:
        found.append(Warning("", "C3", f"caseload {load} is at {load.percent}% of its cap."))
    customers = customers_of(unit) if customers is None else customers
    today = {customer.id: local_date(unit.now, zone(customer.tz)) for customer in customers}
    # Each source gives every customer's warnings of its rules, by customer id; the list shows them by customer.
    sources = (
        _forfeit_warnings(unit, customers, today),
        _review_warnings(unit, customers, today),
        _obligation_warnings(unit, customers, today),
        _cadence_warnings(unit, customers),
        _budget_warnings(customers, this_week or week_summary_in(unit, load=load, customers=customers)),
        _overlap_warnings(unit),
        deadline_warnings(unit),
    )
    for customer in customers:
        for source in sources:
            found += source.get(customer.id, [])
    found += _unmarked_warnings(unit)
    return found


def _unmarked_warnings(unit: Unit) -> list[Warning]:
    """Calls that have ended and are still scheduled, every customer's from one query, oldest first (S2).

    Read with no lower bound: a call never marked stays a warning until it is.
    """
    found = []
    for call_id, name, start, minutes, status in unit.session.execute(
        select(CALL.id, CUSTOMER.name, CALL.starts_at, CALL.minutes, CALL.status)
        .join(tables.customers, CUSTOMER.id == CALL.customer_id)
        # read through ix_calls_tam_scheduled, which holds only the scheduled calls
        .where(CALL.tam_id == unit.desk.tam_id, CALL.status == "scheduled", CALL.starts_at < unit.now)
        .order_by(CALL.starts_at, CALL.id)
    ):
        warning = unmarked_warning(name, call_id, start, minutes, status, unit.now, unit.tam_tz)
        if warning:
            found.append(warning)
    return found


def _budget_warnings(customers: list[CustomerRow], week: WeekSummary) -> dict[int, list[Warning]]:
    """Customers over their weekly cap this week (B2) and consistently over it (B3)."""
    ids = {customer.name: customer.id for customer in customers}
    out: dict[int, list[Warning]] = defaultdict(list)
    for row in week.customers:
        if row.over:
            out[ids[row.customer]].append(
                Warning(row.customer, "B2", f"{row.total_minutes / 60:.1f} h this week against a cap of {row.cap_hours:g} h: over budget.")
            )
        if row.consistently_over:
            out[ids[row.customer]].append(Warning(row.customer, "B3", _recommendation(row)))
    return out


def _overlap_warnings(unit: Unit) -> dict[int, list[Warning]]:
    """Calls from this week on that overlap another (T7): older data, which booking and moving now refuse."""
    tz = unit.tam_tz
    rows = unit.session.execute(
        select(CALL.id, CALL.customer_id, CUSTOMER.name, CALL.starts_at, CALL.minutes)
        .join(tables.customers, CUSTOMER.id == CALL.customer_id)
        .where(
            CALL.tam_id == unit.desk.tam_id,
            CALL.status.in_(ACTIVE),
            CALL.starts_at >= iso_week_of(unit.today).start_utc(tz),
        )
        .order_by(CALL.starts_at, CALL.id)
    ).all()
    clashing = overlapping_ids(BookedCall(call_id, name, start, minutes) for call_id, _, name, start, minutes in rows)
    out: dict[int, list[Warning]] = defaultdict(list)
    for call_id, customer_id, name, start, minutes in rows:
        if call_id in clashing:
            local, end = start.astimezone(tz), (start + timedelta(minutes=minutes)).astimezone(tz)
            out[customer_id].append(Warning(name, "T7", (
                f"call {call_id} with {name}, {local:%a %d %b %H:%M}-{end:%H:%M}, overlaps another call; "
                "move or cancel one of them"
            )))
    return out


def _cadence_warnings(unit: Unit, customers: list[CustomerRow]) -> dict[int, list[Warning]]:
    """Sessions booked closer together than the plan's cadence (P1), from one query.

    Read from the week before this one on (a session this week may crowd last
    week's), with no end: every session still ahead can be moved.
    """
    gaps = {c.id: CADENCE_WEEKS.get(plan_of(unit, c).cadence) for c in customers}
    spaced = [c for c in customers if gaps[c.id]]
    if not spaced:
        return {}
    tz = unit.tam_tz
    since = iso_week_of(unit.today).start_utc(tz) - timedelta(weeks=max(gaps[c.id] or 0 for c in spaced) - 1)
    starts: dict[int, list[datetime]] = defaultdict(list)
    for customer_id, start in unit.session.execute(
        select(CALL.customer_id, CALL.starts_at).where(
            CALL.customer_id.in_([c.id for c in spaced]),
            CALL.kind == "working",
            CALL.status.in_(ACTIVE),
            CALL.starts_at >= since,
        )
    ):
        starts[customer_id].append(start)
    out: dict[int, list[Warning]] = {}
    for customer in spaced:
        warning = cadence_warning(customer.name, plan_of(unit, customer).cadence, starts[customer.id], tz, unit.now)
        if warning:
            out[customer.id] = [warning]
    return out


def _forfeit_warnings(unit: Unit, customers: list[CustomerRow], today: dict[int, date]) -> dict[int, list[Warning]]:
    """Sessions about to be forfeited in each customer's current period (S4)."""
    wanted = []
    for customer in customers:
        plan = plan_of(unit, customer)
        if plan.has_allowance and plan.period is not None:
            period = current_period(unit, customer, plan.period)
            wanted.append((customer, period, period))
    rows = ledgers(unit, wanted)
    out: dict[int, list[Warning]] = {}
    for customer, period, _ in wanted:
        days_left = len(calendar_of(unit, customer).business_days(today[customer.id], period.end))
        warning = forfeit_warning(customer.name, period, rows[customer.id][0].forfeited, days_left)
        if warning:
            out[customer.id] = [warning]
    return out


def _review_warnings(unit: Unit, customers: list[CustomerRow], today: dict[int, date]) -> dict[int, list[Warning]]:
    """A quarterly review not yet booked this quarter (S8), from one query."""
    quarterly = [c for c in customers if plan_of(unit, c).review.every == "quarter"]
    spans = _spans({c.id: (quarter_of(today[c.id]), zone(c.tz)) for c in quarterly})
    booked = _starts(
        unit,
        spans,
        CALL.review.is_(True),
        CALL.status.in_(ACTIVE),
    )
    out: dict[int, list[Warning]] = {}
    for customer in quarterly:
        quarter = quarter_of(today[customer.id])
        warning = review_warning(
            customer.name, quarter, today[customer.id], bool(booked[customer.id]), plan_of(unit, customer).review.title
        )
        if warning:
            out[customer.id] = [warning]
    return out


def _obligation_warnings(unit: Unit, customers: list[CustomerRow], today: dict[int, date]) -> dict[int, list[Warning]]:
    """Obligations still due or missed in their current period (P3)."""
    out: dict[int, list[Warning]] = {}
    for customer, status in _obligation_statuses(unit, customers, today):
        if status.state != "met":
            when = "is due by" if status.state == "due" else "was missed, due"
            out.setdefault(customer.id, []).append(
                Warning(customer.name, "P3", f"{status.title} for {status.period} {when} {status.due:%d %b}.")
            )
    return out


def _obligation_statuses(
    unit: Unit, customers: list[CustomerRow], today: dict[int, date]
) -> list[tuple[CustomerRow, ObligationStatus]]:
    """Each customer's obligations in their current periods, from two queries in all.

    An obligation is met by a held call of its kind (a service review) or by
    time logged with it as the activity (P3).
    """
    wanted = [
        (customer, obligation, period_containing(obligation.every, today[customer.id]))
        for customer in customers
        for obligation in plan_of(unit, customer).obligations
    ]
    return obligation_statuses(unit, wanted, today)


def obligation_statuses(
    unit: Unit, wanted: list[tuple[CustomerRow, Obligation, Period]], today: dict[int, date]
) -> list[tuple[CustomerRow, ObligationStatus]]:
    """Each ``(customer, obligation, period)`` wanted with its state on the customer's ``today``, from two queries in all (P3).

    The warnings ask for each customer's current periods; the customer report for every period of its own days.
    """
    if not wanted:
        return []
    reviews = [(c, p) for c, o, p in wanted if o.kind == "service-review"]
    held = _starts(
        unit,
        _spans({c.id: (p, zone(c.tz)) for c, p in reviews}),
        CALL.kind == "review",
        CALL.status.in_(HELD),
    )
    logged: dict[tuple[int, str | None], list[date]] = defaultdict(list)
    for customer_id, activity, day in unit.session.execute(
        select(ENTRY.customer_id, ENTRY.activity, ENTRY.work_date).where(
            ENTRY.customer_id.in_({c.id for c, _, _ in wanted}),
            ENTRY.activity.in_({o.kind for _, o, _ in wanted}),
            ENTRY.work_date >= min(p.first for _, _, p in wanted),
            ENTRY.work_date < max(p.end for _, _, p in wanted),
        )
    ):
        logged[(customer_id, activity)].append(day)
    out = []
    for customer, obligation, period in wanted:
        tz = zone(customer.tz)
        met = (
            obligation.kind == "service-review"
            and any(period.start_utc(tz) <= start < period.end_utc(tz) for start in held[customer.id])
        ) or any(period.first <= day < period.end for day in logged[(customer.id, obligation.kind)])
        out.append(
            (customer, ObligationStatus(obligation.kind, obligation.title, period, obligation_state(period, met, today[customer.id])))
        )
    return out


def _spans(periods: dict[int, tuple[Period, ZoneInfo]]) -> dict[int, tuple[datetime, datetime]]:
    """Each customer's period as instants in their zone."""
    return {cid: (period.start_utc(tz), period.end_utc(tz)) for cid, (period, tz) in periods.items()}


def _starts(unit: Unit, spans: dict[int, tuple[datetime, datetime]], *criteria: Any) -> dict[int, list[datetime]]:
    """Starts of the calls meeting ``criteria`` inside each customer's span, from one query."""
    out: dict[int, list[datetime]] = defaultdict(list)
    if not spans:
        return out
    for customer_id, start in unit.session.execute(
        select(CALL.customer_id, CALL.starts_at).where(
            CALL.customer_id.in_(list(spans)),
            CALL.starts_at >= min(first for first, _ in spans.values()),
            CALL.starts_at < max(end for _, end in spans.values()),
            *criteria,
        )
    ):
        first, end = spans[customer_id]
        if first <= start < end:
            out[customer_id].append(start)
    return out
