"""A case's SLA clocks: deadlines, verdicts, warnings and compliance (SPEC L1-L4, L7-L10).

Nothing here is stored: a case's deadlines are worked out from its append-only
list of events every time they are read (the status-replay model), so no
counter can drift from the history. ``case_sla`` replays one case's events on
its clock and says every deadline known so far with its verdict, the next
deadline and the warnings; ``compliance`` pools many cases' deadlines over a
period (L4, L10).

The clock (``tamdesk.domain.clocks``) is given: the caller builds it from the
plan's clock kind (L2), the customer's calendar and critical periods
(``case_clock``); this module adds the case's own pauses to it (L9).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable, Literal, Mapping, NamedTuple, Sequence

from tamdesk.domain.caseload import Severity
from tamdesk.domain.clocks import Clock, Span, business_clock, round_the_clock
from tamdesk.domain.durations import describe, read_duration
from tamdesk.domain.errors import BadInput

if TYPE_CHECKING:
    from tamdesk.domain.business_hours import BusinessCalendar

ClockKind = Literal["business", "24x7"]
CLOCK_KINDS: tuple[ClockKind, ...] = ("business", "24x7")
#: The catalogue's first spelling of a business clock, still read so that a user's copied file keeps working.
_CLOCK_ALIASES = {"business-hours": "business"}

DeadlineKind = Literal["response", "update", "escalation-2", "escalation-3"]
Verdict = Literal["met", "missed", "breached", "pending"]
#: L1: the escalation deadline of each support level.
ESCALATIONS: Mapping[int, DeadlineKind] = {2: "escalation-2", 3: "escalation-3"}
_CONTACT_MEETS: tuple[DeadlineKind, ...] = ("response", "update")
ChecklistItem = Literal["description", "steps", "screenshots", "access"]
#: L5 (003): what a complete request carries before its clocks start.
CHECKLIST: tuple[ChecklistItem, ...] = ("description", "steps", "screenshots", "access")
#: L10: the desk warns when this share or less of a pending deadline's interval is left.
WARN_SHARE = 0.25


# ---------------------------------------------------------------- targets (L1, L2, L7)


def read_clock_kind(value: Any, where: str = "sla_clock") -> ClockKind:
    """``business`` or ``24x7`` (L2); anything else is bad input naming both."""
    kind = _CLOCK_ALIASES.get(value, value) if isinstance(value, str) else value
    if kind not in CLOCK_KINDS:
        raise BadInput(f"{where} must be business or 24x7, not {value!r}")
    return kind  # type: ignore[return-value]


_DAYS = re.compile(r"(?P<days>[0-9]+)\s*(?:d|day|days)", re.IGNORECASE)


class Target(NamedTuple):
    """One SLA target: whole clock minutes, or whole days (a day target, L7)."""

    minutes: int = 0
    days: int = 0

    @classmethod
    def read(cls, text: Any, where: str) -> Target:
        """``"30 min"``, ``"2 h"``, ``"1h30m"`` (clock minutes) or ``"1 day"``, ``"2 days"`` (day targets).

        A bare number is refused: it would be hours to one reader and minutes to another.
        """
        typed = str(text).strip() if isinstance(text, str) else ""
        unreadable = BadInput(
            f"{where} must be a duration of at least 1 minute with its unit, such as \"30 min\", \"2 h\" or \"1 day\", not {text!r}"
        )
        if not re.search(r"[a-z]", typed, re.IGNORECASE):
            raise unreadable
        if match := _DAYS.fullmatch(typed):
            if int(match["days"]) < 1:
                raise unreadable
            return cls(days=int(match["days"]))
        try:
            return cls(minutes=read_duration(typed))
        except BadInput:
            raise unreadable from None

    def due(self, clock: Clock, start: datetime) -> datetime:
        """When a deadline of this target that starts at ``start`` falls due on ``clock`` (L7)."""
        return clock.add_days(start, self.days) if self.days else clock.add_minutes(start, self.minutes)

    def interval(self, clock: Clock, start: datetime, due: datetime) -> int:
        """The clock minutes from ``start`` to its ``due``: a minute target's own, as ``add_minutes`` promises."""
        return clock.minutes_between(start, due) if self.days else self.minutes

    def __str__(self) -> str:
        if self.days:
            return f"{self.days} day" + ("s" if self.days > 1 else "")
        return describe(self.minutes)


class Targets(NamedTuple):
    """The four targets of one severity (L1): first response, update interval, escalations from the first response."""

    response: Target
    update: Target
    escalate_2: Target
    escalate_3: Target

    def of(self, kind: DeadlineKind) -> Target:
        """The target that a deadline of ``kind`` runs to."""
        return {
            "response": self.response,
            "update": self.update,
            "escalation-2": self.escalate_2,
            "escalation-3": self.escalate_3,
        }[kind]


_TARGET_KEYS = ("response", "update", "escalate_2", "escalate_3")

#: L1's table (001), as the shipped catalogue says it.
DEFAULT_TARGETS: Mapping[str, Mapping[str, str]] = {
    "critical": {"response": "30 min", "update": "2 h", "escalate_2": "4 h", "escalate_3": "8 h"},
    "high": {"response": "2 h", "update": "4 h", "escalate_2": "8 h", "escalate_3": "16 h"},
    "normal": {"response": "4 h", "update": "1 day", "escalate_2": "2 days", "escalate_3": "4 days"},
}


def read_targets(table: Mapping[str, Any], where: str, base: Mapping[str, Mapping[str, Any]] = DEFAULT_TARGETS) -> dict[Severity, Targets]:
    """Every severity's targets from ``table`` (``severity -> key -> "duration"``), each key over ``base``'s.

    A severity or key tamdesk does not know is bad input, so that a typo never
    silently leaves a default in force.
    """
    if not isinstance(table, Mapping):
        raise BadInput(f"{where} must be a table of severities")
    for severity, keys in table.items():
        if severity not in DEFAULT_TARGETS:
            raise BadInput(f"{where}.{severity} is not a severity: use critical, high or normal")
        unknown = sorted(set(keys) - set(_TARGET_KEYS)) if isinstance(keys, Mapping) else ["(not a table)"]
        if unknown:
            raise BadInput(f"{where}.{severity}: unknown key {unknown[0]}; the keys are {', '.join(_TARGET_KEYS)}")
    return {
        severity: Targets(
            *(
                Target.read({**base[severity], **table.get(severity, {})}[key], f"{where}.{severity}.{key}")
                for key in _TARGET_KEYS
            )
        )
        for severity in base  # type: ignore[misc]
    }


class ComplianceTargets(NamedTuple):
    """L4's targets (001): first responses 95%, updates and escalations 90%."""

    first_response: float = 0.95
    updates_and_escalations: float = 0.9


def case_clock(
    kind: ClockKind, calendar: BusinessCalendar, critical_periods: Sequence[Span] = ()
) -> Clock:
    """The clock a customer's cases run on (L2, L7): 24x7, or business hours that run 24x7 in critical periods."""
    if kind == "24x7":
        return round_the_clock()
    return business_clock(calendar, always_on=critical_periods)


# ---------------------------------------------------------------- events (the case's history)


class Filed(NamedTuple):
    """The case was filed, with its first severity; ``checklist`` when its clocks wait for a complete request (L5)."""

    at: datetime
    severity: Severity
    checklist: bool = False
    kind: str = "filed"


class Opened(NamedTuple):
    """A queued case left the queue (C2); its clocks were already running (L8)."""

    at: datetime
    kind: str = "opened"


class Responded(NamedTuple):
    """The TAM answered the customer (first response, and an update too, L8)."""

    at: datetime
    kind: str = "responded"


class Updated(NamedTuple):
    """The TAM sent the customer an update (L8)."""

    at: datetime
    kind: str = "updated"


class Escalated(NamedTuple):
    """The case went to support level 2 or 3 (L1, L8)."""

    at: datetime
    level: int
    kind: str = "escalated"


class Waiting(NamedTuple):
    """The case waits on the customer: every clock pauses (L9)."""

    at: datetime
    kind: str = "waiting"


class Resumed(NamedTuple):
    """The customer answered: the clocks run again (L9)."""

    at: datetime
    kind: str = "resumed"


class ChecklistDone(NamedTuple):
    """One item of the request's checklist is in (L5)."""

    at: datetime
    item: ChecklistItem
    kind: str = "checklist"


class SeverityChanged(NamedTuple):
    """The case's severity changed: new targets for every deadline not yet done (L9)."""

    at: datetime
    severity: Severity
    kind: str = "severity"


class Resolved(NamedTuple):
    """The case was resolved: its deadlines not yet done become final (L10)."""

    at: datetime
    kind: str = "resolved"


class Reopened(NamedTuple):
    """The case is open again and owes an update one interval from now (L9)."""

    at: datetime
    kind: str = "reopened"


class Linked(NamedTuple):
    """The case was linked to a problem record (L6)."""

    at: datetime
    problem: int
    kind: str = "linked"


#: Any event of a case's history. Each is a named tuple (building a frozen dataclass costs Python 3.11
#: about a millisecond at import, and every command imports these); ``kind`` is part of the value,
#: so two events of different kinds at one instant are never equal.
Event = Filed | Opened | Responded | Updated | Escalated | Waiting | Resumed | ChecklistDone | SeverityChanged | Resolved | Reopened | Linked


#: Every event class by its kind, for whoever maps stored rows to events.
EVENTS: Mapping[str, type[Event]] = {cls._field_defaults["kind"]: cls for cls in Event.__args__}


def event(kind: str, at: datetime, **fields: Any) -> Event:
    """The event of ``kind`` at ``at`` from a stored row's fields; fields its kind does not carry (a note) are left out."""
    try:
        cls = EVENTS[kind]
    except KeyError:
        raise BadInput(f"unknown case event {kind!r}: one of {', '.join(EVENTS)}") from None
    return cls(at, **{name: value for name, value in fields.items() if name in cls._fields and name not in ("at", "kind")})


# ---------------------------------------------------------------- deadlines and verdicts (L3, L8-L10)


class Deadline(NamedTuple):
    """One deadline of a case with its verdict at ``now`` (L10).

    ``interval`` is the clock minutes from ``start`` to ``due`` (the share L10's
    warning is measured against); ``final`` marks a deadline a resolution closed
    (L10): its verdict no longer changes and it is no longer anyone's next.
    """

    kind: DeadlineKind
    start: datetime
    due: datetime
    done_at: datetime | None
    state: Verdict
    interval: int
    final: bool = False


class NextDeadline(NamedTuple):
    """The earliest deadline still pending or breached, with the clock minutes left (negative once breached)."""

    kind: DeadlineKind
    due: datetime
    clock_minutes_left: int

    def said(self) -> str:
        """As a TAM says it: ``response in 18 min``, ``update 2 h late``."""
        left = self.clock_minutes_left
        return f"{self.kind} in {describe(left)}" if left > 0 else f"{self.kind} due now" if left == 0 else f"{self.kind} {describe(-left)} late"


class SlaWarning(NamedTuple):
    """L10: a pending deadline with 25% or less of its interval left (``due-soon``), or a breach."""

    what: Literal["due-soon", "breached"]
    deadline: Deadline
    clock_minutes_left: int

    def said(self) -> str:
        """As the warning list says it: ``response due in 8 min``, ``update 2 h late``.

        A breach whose lateness is still under a clock minute (due at the close
        of business, read after it) says ``late`` without a figure.
        """
        kind, left = self.deadline.kind, self.clock_minutes_left
        if self.what == "breached":
            return f"{kind} {describe(-left)} late" if left < 0 else f"{kind} late"
        return f"{kind} due in {describe(left)}" if left > 0 else f"{kind} due now"


class CaseSla(NamedTuple):
    """Everything the clocks say about one case at ``now`` (L3)."""

    severity: Severity
    deadlines: tuple[Deadline, ...]  # every deadline known so far, dropped ones left out, in the order they fall due
    next_deadline: NextDeadline | None
    warnings: tuple[SlaWarning, ...]
    paused: bool  # waiting on the customer, or its checklist is not complete (L9)
    resolved: bool
    level: int  # the highest support level reached (1 until escalated)
    problem: int | None  # the problem record it was last linked to (L6)
    checklist: dict[str, bool] | None  # None when the case carries no checklist (L5)


@dataclass
class _Open:
    """A deadline while the replay builds it: when it started, when it was done or closed."""

    kind: DeadlineKind
    start: datetime
    done_at: datetime | None = None
    closed_at: datetime | None = None  # the resolution that made it final (L10)


@dataclass
class _Replay:
    """The state of a case while its events are replayed in order."""

    filed: Filed
    deadlines: list[_Open] = field(default_factory=list)
    gaps: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    severities: list[tuple[datetime, Severity]] = field(default_factory=list)
    items: set[str] = field(default_factory=set)
    started: datetime | None = None  # when the clocks started (L8): filing, or the checklist's completion
    first_contact: datetime | None = None
    escalated: dict[int, datetime] = field(default_factory=dict)
    resolved_at: datetime | None = None
    waiting_since: datetime | None = None
    level: int = 1
    problem: int | None = None

    def open(self, kind: DeadlineKind, start: datetime) -> _Open:
        deadline = _Open(kind, start)
        self.deadlines.append(deadline)
        return deadline

    def pending(self, kind: DeadlineKind) -> _Open | None:
        return next((d for d in self.deadlines if d.kind == kind and d.done_at is None and d.closed_at is None), None)


def _replay(events: Sequence[Event]) -> _Replay:
    filed = events[0]
    if not isinstance(filed, Filed):
        raise BadInput(f"a case's history starts with its filing, not {filed.kind!r}")
    state = _Replay(filed, severities=[(filed.at, filed.severity)])
    if filed.checklist:
        state.gaps.append((filed.at, None))  # L5: an incomplete checklist pauses every clock
    else:
        state.started = filed.at
        state.open("response", filed.at)
    for event in events[1:]:
        _apply(state, event)
    return state


def _apply(state: _Replay, event: Event) -> None:
    at = event.at
    if isinstance(event, SeverityChanged):
        state.severities.append((at, event.severity))
    elif isinstance(event, Linked):
        state.problem = event.problem
    elif isinstance(event, Reopened):
        if state.resolved_at is not None:
            state.resolved_at = None
            state.open("update", at)  # L9: one interval after the reopening, and nothing owed at once
    elif state.resolved_at is not None:
        return  # a resolved case owes nothing and its clocks are final until it reopens
    elif isinstance(event, ChecklistDone):
        state.items.add(event.item)
        if state.started is None and state.items >= set(CHECKLIST):
            state.started = at  # L8: the clocks start when the request is complete
            state.gaps[0] = (state.gaps[0][0], at)
            # A response sent before the request was complete is at or before its due time (L8).
            state.open("response", at).done_at = state.first_contact
    elif isinstance(event, (Responded, Updated)):
        _contact(state, at)
    elif isinstance(event, Escalated):
        _escalate(state, event.level, at)
    elif isinstance(event, Waiting) and state.waiting_since is None:
        state.waiting_since = at
    elif isinstance(event, Resumed) and state.waiting_since is not None:
        state.gaps.append((state.waiting_since, at))
        state.waiting_since = None
    elif isinstance(event, Resolved):
        _resolve(state, at)


def _contact(state: _Replay, at: datetime) -> None:
    """A response or an update: meets the first response, the update owed, and starts the next (L8)."""
    for kind in _CONTACT_MEETS:
        owed = state.pending(kind)
        if owed is not None:
            owed.done_at = at
    if state.first_contact is None:
        state.first_contact = at
        for level, kind in ESCALATIONS.items():  # L1: escalations run from the first response
            state.open(kind, at).done_at = state.escalated.get(level)
    state.open("update", at)


def _escalate(state: _Replay, level: int, at: datetime) -> None:
    """Escalating to ``level`` meets its escalation, and level 3 meets level 2 too (L8)."""
    state.level = max(state.level, level)
    for reached, kind in ESCALATIONS.items():
        if reached <= level:
            state.escalated.setdefault(reached, at)
            owed = state.pending(kind)
            if owed is not None:
                owed.done_at = at


def _resolve(state: _Replay, at: datetime) -> None:
    """L10: what is not done is final now; a pause ends with the case."""
    for deadline in state.deadlines:
        if deadline.done_at is None and deadline.closed_at is None:
            deadline.closed_at = at
    if state.waiting_since is not None:
        state.gaps.append((state.waiting_since, at))
        state.waiting_since = None
    state.resolved_at = at


def _severity_at(state: _Replay, when: datetime) -> Severity:
    return [severity for at, severity in state.severities if at <= when][-1]


def case_sla(
    events: Sequence[Event],
    clock: Clock,
    targets: Mapping[Severity, Targets],
    now: datetime,
) -> CaseSla:
    """Replay a case's events (oldest first) on its ``clock`` and judge every deadline at ``now`` (L3, L8-L10).

    Events after ``now`` are not yet history and are left out. The case's pauses
    (waiting on the customer, an incomplete checklist) are added to ``clock`` as
    gaps (L9); a pause still running counts up to ``now``, so a pending deadline's
    due time is what it would be if the pause ended now. A deadline done or made
    final runs to the targets of the severity in force then; one still open runs
    to the current severity's, from its own start (L9).
    """
    state = _replay([e for e in events if e.at <= now])
    paused = state.resolved_at is None and (state.waiting_since is not None or state.started is None)
    gaps = [(start, end or now) for start, end in state.gaps]
    if state.waiting_since is not None:
        gaps.append((state.waiting_since, now))
    paused_clock = clock.paused(*gaps)  # overlapping pauses (waiting with an incomplete checklist) join there
    if state.started is None and state.resolved_at is None:
        state.open("response", now)  # L5: it starts when the checklist completes; shown as if it completed now
    deadlines = [
        d
        for d in (_judge(state, o, _clock_until(clock, gaps, paused_clock, o, now), targets, now) for o in state.deadlines)
        if d is not None
    ]
    deadlines.sort(key=lambda d: (d.due, d.start))
    live = [d for d in deadlines if not d.final and d.state in ("pending", "breached")]
    left = {id(d): paused_clock.minutes_between(now, d.due) for d in live}
    warnings = tuple(
        SlaWarning("breached" if d.state == "breached" else "due-soon", d, left[id(d)])
        for d in live
        if d.state == "breached" or (not paused and left[id(d)] <= WARN_SHARE * d.interval)
    )
    first = live[0] if live and not paused else None
    return CaseSla(
        severity=state.severities[-1][1],
        deadlines=tuple(deadlines),
        next_deadline=NextDeadline(first.kind, first.due, left[id(first)]) if first else None,
        warnings=warnings,
        paused=paused,
        resolved=state.resolved_at is not None,
        level=state.level,
        problem=state.problem,
        checklist={item: item in state.items for item in CHECKLIST} if state.filed.checklist else None,
    )


def _clock_until(clock: Clock, gaps: list[Span], paused_clock: Clock, deadline: _Open, now: datetime) -> Clock:
    """The clock a deadline runs on: paused only while it was open (L9).

    A deadline done, or made final by a resolution, is no longer moved by a pause
    that began after: its due time stays what it was when it was done.
    """
    until = deadline.done_at or deadline.closed_at
    if until is None or all(end <= until for _, end in gaps):
        return paused_clock
    return clock.paused(*((start, min(end, until)) for start, end in gaps if start < until))


def _judge(state: _Replay, deadline: _Open, clock: Clock, targets: Mapping[Severity, Targets], now: datetime) -> Deadline | None:
    """The deadline's due time and verdict (L10); None when a resolution dropped it before it fell due."""
    when = deadline.done_at or deadline.closed_at or now
    target = targets[_severity_at(state, when)].of(deadline.kind)
    due = target.due(clock, deadline.start)
    verdict: Verdict
    if deadline.done_at is not None:
        verdict = "met" if deadline.done_at <= due else "missed"
    elif deadline.closed_at is not None:
        if deadline.closed_at <= due:
            return None  # L8, L10: resolved before it fell due, never needed
        verdict = "breached"
    else:
        verdict = "breached" if now > due else "pending"
    interval = target.interval(clock, deadline.start, due)
    final = deadline.closed_at is not None
    return Deadline(deadline.kind, deadline.start, due, deadline.done_at, verdict, interval, final)


# ---------------------------------------------------------------- compliance (L4, L10)


class CaseRef(NamedTuple):
    """Which case a deadline belongs to, as a compliance report names it."""

    id: int
    customer: str | None = None


class Share(NamedTuple):
    """Deadlines on time and late among those that count; no share when none counts (L10)."""

    on_time: int
    late: int
    target: float

    @property
    def share(self) -> float | None:
        """on time / counted, or None when nothing counts (never 100% of nothing)."""
        counted = self.on_time + self.late
        return self.on_time / counted if counted else None

    @property
    def met(self) -> bool | None:
        """Whether the share reaches its target; None with no share."""
        share = self.share
        return None if share is None else share >= self.target

    def as_json(self) -> dict[str, Any]:
        """The shape ``report sla --json`` prints for one share."""
        return {"on_time": self.on_time, "late": self.late, "share": self.share, "target": self.target, "met": self.met}


class Miss(NamedTuple):
    """A deadline that counted as late: missed (done after due) or breached."""

    case: CaseRef
    kind: DeadlineKind
    due: datetime
    done_at: datetime | None


class Compliance(NamedTuple):
    """L4 over one period: the shares and every miss, in the order they fell due."""

    start: datetime
    end: datetime
    first_response: Share
    updates: Share
    escalations: Share
    updates_and_escalations: Share
    misses: tuple[Miss, ...]


def compliance(
    cases: Iterable[tuple[CaseRef, Sequence[Deadline]]],
    start: datetime,
    end: datetime,
    targets: ComplianceTargets = ComplianceTargets(),
) -> Compliance:
    """L4 and L10 over ``[start, end)``: every deadline due in it that is met, missed or breached counts.

    Pending deadlines do not count, nor do those a resolution dropped (they are
    not in a case's deadlines at all). ``late`` is missed plus breached. Updates
    and escalations each have their own share besides their pooled one, all
    against L4's 90%.
    """
    counted = [
        (case, d) for case, deadlines in cases for d in deadlines if start <= d.due < end and d.state != "pending"
    ]

    def share(kinds: tuple[str, ...], target: float) -> Share:
        states = [d.state for _, d in counted if d.kind in kinds]
        on_time = states.count("met")
        return Share(on_time, len(states) - on_time, target)

    escalations = ("escalation-2", "escalation-3")
    misses = sorted(
        (Miss(case, d.kind, d.due, d.done_at) for case, d in counted if d.state != "met"),
        key=lambda m: (m.due, m.case.id, m.kind),
    )
    return Compliance(
        start=start,
        end=end,
        first_response=share(("response",), targets.first_response),
        updates=share(("update",), targets.updates_and_escalations),
        escalations=share(escalations, targets.updates_and_escalations),
        updates_and_escalations=share(("update", *escalations), targets.updates_and_escalations),
        misses=tuple(misses),
    )
