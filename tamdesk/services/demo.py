"""The demo desk: ``data/demo.toml`` replayed through the use-cases, relative to now.

Every call, case and hour of the demo is made by the same use-cases as a
TAM's own, each at the moment it would have happened (``Desk.at``), so the
rules hold on the demo as on real data. The whole load is one transaction.
The demo goes only into an empty database or one that holds the demo: it
never mixes with, or replaces, a TAM's own desk. The demo marks the database
with the desk revision its load ended at, and every later commit raises the
revision, so ``--fresh`` can tell a demo nobody touched (replaced) from one
with a TAM's changes in it (refused, nothing changed).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Callable

from sqlalchemy import delete, func, select

from tamdesk.domain.business_hours import BusinessCalendar
from tamdesk.domain.durations import read_duration
from tamdesk.domain.errors import BadInput, NeedsConfirmation, TamdeskError
from tamdesk.domain.periods import Period, iso_week_of, month_of, periods_between, quarter_of
from tamdesk.domain.timezones import local_date, local_to_utc, zone
from tamdesk.resources import data_file, read_toml
from tamdesk.services import calls, case_events, cases, customers, emergencies, problems, settings, team, timelog
from tamdesk.services.desk import Desk, Unit, revision_in
from tamdesk.services.journal import forget
from tamdesk.services.settings import DEMO_MARKER
from tamdesk.store.engine import printable_url, sqlite_file
from tamdesk.store.models import Base, Customer, Setting

BOOK_AHEAD = timedelta(days=10)
#: The tables a TAM's data lives in: every one but the TAMs and the settings.
KEPT_BY_WIPE = ("tams", "settings")


@dataclass(frozen=True)
class DemoResult:
    """What ``load_demo`` did, in words and numbers."""

    message: str
    loaded: bool


@dataclass(frozen=True)
class Progress:
    """How far a load has come: ``done`` of ``total`` in ``step`` ("customers", then "history")."""

    step: str
    done: int
    total: int


#: Told of the load's progress, from the thread that loads.
ProgressHook = Callable[[Progress], None]


class NotOnlyTheDemo(TamdeskError):
    """The database holds data the demo did not write: loading would mix with it, ``--fresh`` delete it."""

    exit_code = 3  # refused: nothing was changed
    rule = None


class _AlreadyLoaded(Exception):
    """The demo is there already: the batch ends without committing (so without a new revision)."""


@dataclass(frozen=True)
class _Found:
    """What a database holds, as far as the demo cares."""

    rows: int  # rows of the TAM's data (every table but the TAMs and the settings)
    stamp: int | None  # the revision the demo was saved at; None without the demo
    revision: int
    foreign: list[str]  # customers the demo does not have


@dataclass(order=True)
class _Action:
    when: datetime
    order: int
    run: Callable[[Desk, bool], Any] = field(compare=False)


def demo_needed(desk: Desk, *, fresh: bool = False) -> bool:
    """Whether ``load_demo`` would load (not find it loaded); ``NotOnlyTheDemo`` when it would refuse."""
    return _needed(desk.read(_found), desk, fresh)


def load_demo(desk: Desk, *, fresh: bool = False, progress: ProgressHook | None = None) -> DemoResult:
    """Load the demo into an empty (or demo) database; ``fresh`` replaces a demo nobody changed since.

    The database is read and written under one write lock (the batch's), so
    two demos started at once load it once: the second finds it loaded.
    ``progress`` hears of each customer and each step of history replayed.
    """
    spec = read_toml(data_file("demo.toml"))
    try:
        with desk.batch():
            found = desk.read(_found)
            if not _needed(found, desk, fresh):
                raise _AlreadyLoaded  # out of the batch without its commit, which would count as a change
            if found.rows:
                desk.write(_wipe)
            team = _Demo(desk, spec, progress or (lambda _: None)).load()
            for member in (desk, *team):
                member.write(forget)  # the demo's writes are not the TAMs' changes: nothing of it to undo
            # The batch's commit raises the revision once more: the demo's stamp is the revision it ends at.
            desk.write(lambda unit: unit.session.merge(Setting(key=DEMO_MARKER, value=str(revision_in(unit) + 1))))
    except _AlreadyLoaded:
        return DemoResult(f"the demo is already loaded in {database_name(desk)} (use --fresh to load it anew)", loaded=False)
    total = desk.read(
        lambda unit: unit.session.scalar(select(func.count()).select_from(Customer).where(Customer.tam_id == unit.tam.id))
    )
    return DemoResult(f"demo loaded into {database_name(desk)}: {total} customers, dates around {desk.now():%Y-%m-%d}", loaded=True)


def _found(unit: Unit) -> _Found:
    marker = unit.session.get(Setting, DEMO_MARKER)
    rows = sum(
        unit.session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
        if table.name not in KEPT_BY_WIPE
    )
    spec = read_toml(data_file("demo.toml"))
    ours = {entry["name"] for entry in spec["customers"]} | {c["name"] for m in spec.get("team", []) for c in m.get("customers", [])}
    names = unit.session.scalars(select(Customer.name).order_by(Customer.name))
    stamp = int(marker.value) if marker is not None and marker.value.isdigit() else None
    return _Found(rows, stamp, revision_in(unit), [name for name in names if name not in ours])


def _needed(found: _Found, desk: Desk, fresh: bool) -> bool:
    """Whether to load: into an empty database, or ``fresh`` over a demo alone; refused over anything else."""
    where = database_name(desk)
    if not found.rows:
        return True
    if found.stamp is None:
        raise NotOnlyTheDemo(
            f"{where} holds your own desk ({found.rows} records, not the demo's); the demo goes only into an "
            "empty database, so nothing was changed. Run 'tamdesk demo' without --db (it uses demo.sqlite "
            "beside your desk), or name a new file: tamdesk --db demo.sqlite demo"
        )
    if not fresh:
        return False
    if found.revision > found.stamp:
        # The stamp is the revision the demo's own commit ended at; every later commit is someone's change.
        changes = found.revision - found.stamp
        what = f"{changes} change{'s' if changes != 1 else ''} saved after the demo loaded"
        if found.foreign:
            what += f", among them customers the demo does not have: {', '.join(found.foreign)}"
        # An undo is a change too: the desk cannot tell that undos left the demo as it was, so it asks nothing of
        # the TAM's memory and refuses; the message says so, for a TAM who undid everything they did.
        raise NotOnlyTheDemo(
            f"{where} holds more than the demo ({what}; an undo counts too); --fresh would delete them, so "
            "nothing was changed. "
            f"To start the demo anew and keep them, name a new file: tamdesk --db demo-2.sqlite demo; "
            f"or move {where} aside and run 'tamdesk demo' again"
        )
    return True


def database_name(desk: Desk) -> str:
    """The desk's file (or URL), as the demo's messages name it."""
    return sqlite_file(desk.url) or printable_url(desk.url)


def _wipe(unit: Unit) -> None:
    """Empty every table of the desk, keeping the TAMs and their settings but the demo mark."""
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in KEPT_BY_WIPE:
            unit.session.execute(delete(table))
    unit.session.execute(delete(Setting).where(Setting.key == DEMO_MARKER))


def _member(adder: Desk, member: dict[str, Any]) -> int:
    """The id of the demo's team ``member``: added by ``adder``, or as a reload found them (the wipe keeps the TAMs)."""
    from tamdesk.services.identity import find_tam

    try:
        return adder.read(lambda unit: find_tam(unit.session, member["email"]).id)
    except BadInput:
        return team.add_tam(adder, member["name"], member["email"], member["tz"], manager=member.get("manager", False)).id


class _Demo:
    """Builds the demo's actions from the spec and replays them in time order."""

    def __init__(self, desk: Desk, spec: dict[str, Any], progress: ProgressHook) -> None:
        self.desk = desk
        self.spec = spec
        self.progress = progress
        self.now = desk.now()
        self.actions: list[_Action] = []
        self.random = random.Random(20261122)
        self.busy: list[datetime] = []  # starts of the demo's calls, all customers: one call at a time (T7)
        self.cases: dict[str, dict[str, int]] = {}  # each case's id once filed, by title (problems name them)

    def add(self, when: datetime, run: Callable[[Desk, bool], Any]) -> None:
        self.actions.append(_Action(min(when, self.now), len(self.actions), run))

    def load(self) -> list[Desk]:
        """Replay the demo; the desks of the rest of the team, as each of them."""
        tam = self.spec["tam"]
        for key in ("name", "email", "tz"):
            settings.set_setting(self.desk, key, tam[key])
        self.tam_tz = self.desk.read(lambda unit: unit.tam_tz)
        today = local_date(self.now, self.tam_tz)
        self.this_month = month_of(today)
        self.start = min(self.this_month.prev().start_utc(self.tam_tz), iso_week_of(today).start_utc(self.tam_tz) - timedelta(weeks=6)) - timedelta(days=7)
        self.agendas = self.spec["agendas"]["working"]
        customers = self.spec["customers"]
        for done, entry in enumerate(customers, 1):
            self._customer(entry)
            self.progress(Progress("customers", done, len(customers)))
        self._time_off()
        for entry in self.spec["cases"]:
            self._case(entry)
        for entry in self.spec.get("problems", []):
            self._problem(entry)
        for entry in self.spec.get("emergencies", []):
            self._emergency(entry)
        # Calls, hours and cases in time order: nine tenths of the load's time.
        for done, action in enumerate(sorted(self.actions), 1):
            self._confirming(action)
            self.progress(Progress("history", done, len(self.actions)))
        return self._team()

    def _team(self) -> list[Desk]:
        """The manager and the other TAMs, added after Alex's history: Alex's ids stay what they were.

        The first member (the manager) is added by Alex, the desk's only TAM so
        far; the manager adds the rest, each of whom adds their own customers and cases.
        """
        desks: list[Desk] = []
        adder = self.desk
        for member in self.spec.get("team", []):
            desk = self.desk.acting_as(_member(adder, member))
            desks.append(desk)
            if member.get("manager"):
                adder = desk
            for entry in member.get("customers", []):
                fields = customers.CustomerFields(
                    name=entry["name"], plan=entry["plan"], tz=entry["tz"], country=entry.get("country"),
                    active_from=self._history_start(entry),
                )
                customers.add_customer(desk.at(self.start - timedelta(days=1)), fields)
            for entry in member.get("cases", []):
                filed = desk.at(self.now - timedelta(days=entry["age_days"], hours=3))
                cases.open_case(filed, entry["customer"], entry["title"], entry["severity"])
        return desks

    def _confirming(self, action: _Action) -> None:
        """Run an action; where a rule asks for confirmation, confirm it as a TAM would."""
        at = self.desk.at(action.when)
        try:
            action.run(at, False)
        except NeedsConfirmation:
            action.run(at, True)

    # --- customers and their calls ----------------------------------------------

    def _customer(self, entry: dict[str, Any]) -> None:
        fields = customers.CustomerFields(
            name=entry["name"],
            plan=entry["plan"],
            tz=entry["tz"],
            country=entry.get("country"),
            contacts=entry.get("contacts", []),
            business_hours=entry.get("business_hours"),
            active_from=self._history_start(entry),
        )
        customers.add_customer(self.desk.at(self.start - timedelta(days=1)), fields)
        tz = zone(entry["tz"])
        plan = self.desk.catalogue.plan(entry["plan"])
        calendar = self.desk.read(lambda unit: customers.calendar_of(unit, unit.customer(entry["name"])))
        clock = time.fromisoformat(entry["call_time"])
        stories = {(s["month"], s["session"]): s for s in self.spec.get("stories", []) if s["customer"] == entry["name"]}
        if plan.has_allowance:
            with_review = entry.get("quarterly_review", True)
            self._sessions(entry["name"], plan.period, plan.sessions, calendar, clock, stories, with_review)
        self._reviews(entry["name"], plan, calendar, clock)
        if "critical_period" in entry:
            self._critical_period(entry["name"], entry["critical_period"], tz)
        self._hours(entry["name"], entry.get("hours_per_week", [0, 0]), plan)

    def _history_start(self, entry: dict[str, Any]) -> date:
        """The contract's start: the first day of the history ``_sessions`` books (S3 grants nothing before it).

        Last month's first day in the customer's zone, or the Monday of its week on a weekly plan (S7).
        """
        first = month_of(local_date(self.now, zone(entry["tz"]))).prev().first
        return iso_week_of(first).first if self.desk.catalogue.plan(entry["plan"]).period == "week" else first

    def _slot(self, calendar: BusinessCalendar, day: date, clock: time, period: Period, taken: set[date]) -> datetime | None:
        """The first business-hours start on or after ``day`` at ``clock``, inside ``period``."""
        while day < period.end:
            if day not in taken and calendar.is_business_day(day):
                start = local_to_utc(datetime.combine(day, clock), calendar.tz)
                if not calendar.outside_reasons(start, start + timedelta(minutes=60)) and self._free(start):
                    return start
            day += timedelta(days=1)
        return None

    def _free(self, start: datetime) -> bool:
        """No other demo call holds any minute of the hour from ``start`` (T7)."""
        return all(abs(start - other) >= timedelta(minutes=60) for other in self.busy)

    def _before_history(self, start: datetime | None) -> bool:
        """True for a slot that is missing or earlier than the demo's history can book it."""
        return start is None or start < self.start + timedelta(days=1)

    def _sessions(
        self, name: str, kind: str, count: int, calendar: BusinessCalendar, clock: time, stories: dict, with_review: bool
    ) -> None:
        today = local_date(self.now, calendar.tz)
        first = month_of(today).prev()
        horizon = month_of(today).next()
        if kind == "week":
            periods = periods_between(iso_week_of(first.first), iso_week_of(today + timedelta(weeks=3)))
        else:
            periods = periods_between(first, horizon)
        reviewed: set[Period] = set()
        for period in periods:
            month_offset = _month_offset(month_of(period.first), month_of(today))
            length = (period.end - period.first).days
            taken: set[date] = set()
            for index in range(count):
                anchor = period.first + timedelta(days=index * length // count + (1 if kind == "week" else 0))
                start = self._slot(calendar, anchor, clock, period, taken)
                if self._before_history(start):
                    continue
                if period.kind == "month" and period == horizon and local_date(start, calendar.tz).day > 15:
                    continue  # next month is booked only for its first half
                taken.add(local_date(start, calendar.tz))
                quarter = quarter_of(local_date(start, calendar.tz))
                review = with_review and kind == "month" and quarter not in reviewed
                reviewed.add(quarter)
                story = stories.get((month_offset, index + 1)) if kind == "month" else None
                self._session(name, start, review, story, calendar, clock, period)

    def _session(self, name: str, start: datetime, review: bool, story: dict | None, calendar: BusinessCalendar, clock: time, period: Period) -> None:
        booked_at = max(start - BOOK_AHEAD, self.start)
        self.busy.append(start)
        agenda = self.spec["agendas"]["review"] if review else self.random.choice(self.agendas)
        ref: dict[str, int] = {}

        def book(desk: Desk, force: bool) -> None:
            ref["id"] = calls.book_call(desk, name, start, review=review, agenda=agenda, force=force).call.id

        self.add(booked_at, book)
        action = story["action"] if story else None
        if action == "cancel":
            cancel_at = max(booked_at + timedelta(minutes=1), min(start - timedelta(days=2), self.now))
            self.add(cancel_at, lambda desk, _: calls.cancel_call(desk, ref["id"], by=story["by"]))
            if story.get("rebook_next_month"):
                following = period.next()
                again = self._slot(calendar, following.first + timedelta(days=23), clock, following, set())
                if again is not None:
                    self._session(name, again, False, None, calendar, clock, following)
            return
        if action == "move":
            target = self._slot(calendar, local_date(start, calendar.tz) + timedelta(days=story["days"]), clock, period, set())
            move_at = max(booked_at + timedelta(minutes=1), min(start - timedelta(days=1), self.now))
            if target is not None and target > move_at:
                self.busy.append(target)
                self.add(move_at, lambda desk, force: calls.move_call(desk, ref["id"], target, by=story["by"], force=force))
                start = target
        end = start + timedelta(minutes=70)
        if end <= self.now:
            mark = "no-show" if action == "no-show" else "held"
            self.add(end, lambda desk, _: calls.mark_call(desk, ref["id"], mark))

    def _reviews(self, name: str, plan: Any, calendar: BusinessCalendar, clock: time) -> None:
        """The plan's separate review calls: csm/standard each quarter, premium each month."""
        if plan.review.in_allowance or plan.review.every is None:
            return
        today = local_date(self.now, calendar.tz)
        every = [month_of(today).prev(), month_of(today)] if plan.review.every == "month" else [quarter_of(today)]
        for period in every:
            start = self._slot(calendar, period.first + timedelta(days=min(19, (period.end - period.first).days - 8)), clock.replace(hour=min(clock.hour + 2, 15)), period, set())
            if self._before_history(start):
                continue
            self.busy.append(start)
            ref: dict[str, int] = {}
            agenda = f"{plan.review.title}: trends, open issues, roadmap"

            def book(desk: Desk, force: bool, start: datetime = start, ref: dict = ref) -> None:
                ref["id"] = calls.book_call(desk, name, start, review=True, agenda=agenda, force=force).call.id

            self.add(max(start - BOOK_AHEAD, self.start), book)
            if start + timedelta(minutes=70) <= self.now:
                self.add(start + timedelta(minutes=70), lambda desk, _, ref=ref: calls.mark_call(desk, ref["id"], "held"))

    def _critical_period(self, name: str, spec: dict[str, Any], tz: Any) -> None:
        month = month_of(local_date(self.now, tz))
        saturday = month.last - timedelta(days=(month.last.weekday() - 5) % 7)
        begins = datetime.combine(saturday, time(0))
        ends = begins + timedelta(days=2)
        self.add(
            self.start,
            lambda desk, _: customers.add_critical_period(desk, name, begins.isoformat(), ends.isoformat(), spec["label"]),
        )

    def _hours(self, name: str, per_week: list[int], plan: Any) -> None:
        """A few entries a week, in the TAM's calendar, up to today."""
        today = local_date(self.now, self.tam_tz)
        monday = iso_week_of(local_date(self.start, self.tam_tz)).first
        low, high = per_week
        while monday <= today:
            target = self.random.uniform(low, high) if high else 0
            days = [monday + timedelta(days=d) for d in (0, 2, 3)]
            chunks = [round(target * share * 4) / 4 for share in (0.4, 0.35, 0.25)]
            for day, hours in zip(days, chunks):
                if hours <= 0 or day > today:
                    continue
                when = local_to_utc(datetime.combine(day, time(18)), self.tam_tz)
                activity = _activity(plan, day)
                self.add(
                    when,
                    lambda desk, force, day=day, hours=hours, activity=activity: timelog.log_time(
                        desk, name, hours, on=day, note="Follow-up and preparation", activity=activity, force=force
                    ),
                )
            monday += timedelta(weeks=1)

    def _time_off(self) -> None:
        spec = self.spec["time_off"]
        monday = iso_week_of(local_date(self.now, self.tam_tz)).first + timedelta(weeks=spec["week"])
        day = monday + timedelta(days=spec["weekday"] - 1)
        start = datetime.combine(day, time.fromisoformat(spec["from"]))
        end = datetime.combine(day, time.fromisoformat(spec["to"]))
        self.add(self.start, lambda desk, _: customers.add_time_off(desk, start.isoformat(), end.isoformat(), "training", spec["label"]))

    def _case(self, entry: dict[str, Any]) -> None:
        """A case filed ``age_days`` (and three hours) ago, then each of its ``steps``, then its resolution with its note."""
        filed = self.now - timedelta(days=entry["age_days"], hours=3)
        ref = self.cases[entry["title"]] = {}

        def open_it(desk: Desk, _: bool) -> None:
            ref["id"] = cases.open_case(desk, entry["customer"], entry["title"], entry["severity"]).id

        self.add(filed, open_it)
        for step in entry.get("steps", []):
            # A step's time: hours after the filing, or hours before now (the last update of a case kept current).
            when = filed + timedelta(hours=step["hours"]) if "hours" in step else self.now - timedelta(hours=step["hours_ago"])
            self.add(when, lambda desk, _, step=step: _STEPS[step["do"]](desk, ref["id"], step))
        if "resolved_days_ago" in entry:
            self.add(
                self.now - timedelta(days=entry["resolved_days_ago"]),
                lambda desk, _: cases.resolve_case(desk, ref["id"], entry.get("resolution")),
            )

    def _problem(self, entry: dict[str, Any]) -> None:
        """A problem record opened ``hours_ago`` over the cases it names by title (L6); solved later if it says so (L11)."""
        linked = [self.cases[title] for title in entry["cases"]]
        ref: dict[str, int] = {}

        def open_it(desk: Desk, _: bool) -> None:
            ref["id"] = problems.open_problem(desk, entry["title"], [case["id"] for case in linked]).id

        self.add(self.now - timedelta(hours=entry["hours_ago"]), open_it)
        if "solution" in entry:
            self.add(
                self.now - timedelta(hours=entry["solved_hours_ago"]),
                lambda desk, _: problems.resolve_problem(desk, ref["id"], entry["solution"], resolve_cases=entry.get("resolve_cases", False)),
            )

    def _emergency(self, entry: dict[str, Any]) -> None:
        """An engagement requested ``hours_ago`` before now, then each of its ``steps`` ``hours`` after (E1-E5)."""
        requested = self.now - timedelta(hours=entry["hours_ago"])
        ref: dict[str, int] = {}

        def open_it(desk: Desk, _: bool) -> None:
            ref["id"] = emergencies.open_emergency(
                desk, entry["customer"], entry["title"], guarantee_hours=entry.get("guarantee_hours")
            ).id

        self.add(requested, open_it)
        for step in entry["steps"]:
            begins = requested + timedelta(hours=step["hours"])
            if step["do"] == "log":
                ends = begins + timedelta(minutes=read_duration(step["for"]))
                self.add(ends, lambda desk, _, a=begins, b=ends, note=step["note"]: emergencies.log_work(desk, ref["id"], a, b, note=note))
            else:
                self.add(begins, lambda desk, _, step=step: _EMERGENCY_STEPS[step["do"]](desk, ref["id"], step))


def _approve_waiting(desk: Desk, emergency_id: int, by: str) -> None:
    """Approve every day with time waiting in a phase not yet invoiced, as the customer would (E4)."""
    view = emergencies.show_emergency(desk, emergency_id)
    billed = {"normalization": view.normalized_at is not None, "mitigation": view.closed_at is not None}
    for day in sorted({e.day for e in view.entries if e.approved_at is None and not billed[e.phase]}):
        emergencies.approve_day(desk, emergency_id, day, by)


#: What an emergency's step in the demo does, through the same use-cases as ``tamdesk emergency``.
_EMERGENCY_STEPS: dict[str, Callable[[Desk, int, dict[str, Any]], Any]] = {
    "feasible": lambda desk, e, step: emergencies.answer_feasibility(
        desk, e, feasible=True, normalize_hours=step.get("normalize_hours"), mitigate_hours=step.get("mitigate_hours"),
        risk=step.get("risk"), note=step.get("note"),
    ),
    "approve": lambda desk, e, step: _approve_waiting(desk, e, step["by"]),
    "normalized": lambda desk, e, step: emergencies.mark_normalized(desk, e),
    "close": lambda desk, e, step: emergencies.close_emergency(desk, e),
}


#: What a case's step in the demo does, through the same use-cases as the TAM's own (L8, L9).
_STEPS: dict[str, Callable[[Desk, int, dict[str, Any]], Any]] = {
    "respond": lambda desk, case, step: case_events.respond(desk, case, step.get("note")),
    "update": lambda desk, case, step: case_events.update(desk, case, step.get("note")),
    "escalate": lambda desk, case, step: case_events.escalate(desk, case, step["level"], step.get("note")),
    "wait": lambda desk, case, step: case_events.wait(desk, case, step.get("note")),
    "resume": lambda desk, case, step: case_events.resume(desk, case),
}


def _activity(plan: Any, day: date) -> str | None:
    """Premium and standard work meets its obligations (P3): intelligence weekly, roadmap monthly."""
    kinds = {o.kind for o in plan.obligations}
    if "roadmap" in kinds and day.day <= 7 and day.weekday() == 0:
        return "roadmap"
    if "customer-intelligence" in kinds and day.weekday() == 0:
        return "customer-intelligence"
    return None


def _month_offset(month: Period, current: Period) -> int:
    return (month.first.year - current.first.year) * 12 + month.first.month - current.first.month
