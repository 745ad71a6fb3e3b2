"""Plans (service levels) and the catalogue that ships them (SPEC P1-P3).

The catalogue is plain data read from ``data/plans.toml``; this module turns
the parsed TOML into typed, validated ``Plan`` values. Numbers are defaults a
user may change; the shape of each rule is what the code implements.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, Literal, Mapping, NamedTuple

from tamdesk.domain.business_hours import BusinessHours
from tamdesk.domain.cadence import CADENCE_WEEKS
from tamdesk.domain.caseload import Load, Severity
from tamdesk.domain.errors import BadInput
from tamdesk.domain.sla import DEFAULT_TARGETS, ClockKind, ComplianceTargets, Targets, read_clock_kind, read_targets

Every = Literal["week", "month", "quarter"]
_EVERY = ("week", "month", "quarter")


class Obligation(NamedTuple):
    """A recurring deliverable with a due date in every period (P3).

    It is met by a held review call (for ``service-review``) or by time logged
    with the obligation's ``kind`` as its activity.
    """

    kind: str
    title: str
    every: Every


class Review(NamedTuple):
    """The plan's review call (S8): how often, and whether it uses a session unit.

    ``every`` is None on a plan without review calls (``review = false``: express, P1).
    """

    every: Every | None
    in_allowance: bool
    title: str


class Plan(NamedTuple):
    """One service level: its allowance, caps and cadence (P1, P2)."""

    key: str
    title: str
    sessions: int
    period: Literal["month", "week"] | None
    cadence: str  # how the sessions are spaced: a key of ``CADENCE_WEEKS`` (warned about, never refused)
    review: Review
    weekly_hours_cap: float
    max_contacts: int
    session_minutes: int
    obligations: tuple[Obligation, ...] = ()
    sla_clock: ClockKind = "business"  # L2, L7: how its cases' clocks run
    sla_targets: Mapping[Severity, Targets] = MappingProxyType(read_targets({}, "sla_targets"))  # L1, read-only: shared
    extra_work_rate: Decimal = Decimal(35)  # P1: per hour of extra work for a customer on this plan

    def call_title(self, kind: str, review: bool) -> str:
        """What a call on this plan is, in words: the review's title from the catalogue (S8), or a working session."""
        return self.review.title if kind == "review" or review else "Working session"

    @property
    def has_allowance(self) -> bool:
        """True for plans that grant working sessions each period (S3, S7)."""
        return self.sessions > 0 and self.period is not None


class Rates(NamedTuple):
    """P1, E1, E5: hourly rates beside the plans, exact decimals in ``currency``.

    ``on_demand`` ships equal to ``express`` until the user sets their own; a
    plan's own ``extra_work_rate`` defaults to ``on_demand``.
    """

    express: Decimal = Decimal(35)
    on_demand: Decimal = Decimal(35)
    currency: str = "USD"


class Catalogue(NamedTuple):
    """Every plan, plus the desk-wide defaults of the caseload and the week."""

    plans: Mapping[str, Plan]
    caseload_cap: int = 30
    caseload_warn_share: float = 0.9
    working_hours_per_week: float = 40.0
    business_hours: BusinessHours = BusinessHours()
    rates: Rates = Rates()
    compliance: ComplianceTargets = ComplianceTargets()

    def load(self, open_count: int, queued_count: int) -> Load:
        """The caseload against this catalogue's cap and warning share (C1, C3)."""
        return Load(open_count, queued_count, self.caseload_cap, self.caseload_warn_share)

    def plan(self, key: str) -> Plan:
        """The plan called ``key``; an unknown key is bad input naming the known ones."""
        try:
            return self.plans[key]
        except KeyError:
            known = ", ".join(sorted(self.plans))
            raise BadInput(f"unknown plan {key!r}: choose one of {known}") from None


def _number(table: Mapping[str, Any], key: str, default: float, where: str, *, whole: bool = False) -> Any:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise BadInput(f"plan catalogue: {where}.{key} must be a number of 0 or more")
    if whole and int(value) != value:
        raise BadInput(f"plan catalogue: {where}.{key} must be a whole number")
    return int(value) if whole else float(value)


def _rate(table: Mapping[str, Any], key: str, default: Decimal, where: str) -> Decimal:
    """An hourly rate: a number (or a text of one) of 0 or more with at most cents (E5: exact, never a float's error)."""
    value = table.get(key, default)
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise InvalidOperation
        rate = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        rate = Decimal(-1)
    if not rate.is_finite() or rate < 0 or rate != rate.quantize(Decimal("0.01")):
        raise BadInput(f"plan catalogue: {where}.{key} must be an hourly rate of 0 or more with at most cents, not {value!r}")
    return rate


def _share(table: Mapping[str, Any], key: str, default: float, where: str) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise BadInput(f"plan catalogue: {where}.{key} must be a share above 0 and at most 1, such as 0.95")
    return float(value)


def _review(value: Any, where: str) -> Review:
    if value is False:
        return Review(every=None, in_allowance=False, title="Review")
    return Review(
        every=_every(value.get("every", "quarter"), f"{where}.review.every"),
        in_allowance=bool(value.get("in_allowance", False)),
        title=str(value.get("title", "Review")),
    )


def _every(value: Any, where: str) -> Every:
    if value not in _EVERY:
        raise BadInput(f"plan catalogue: {where} must be one of {', '.join(_EVERY)}")
    return value


def _cadence(value: Any, where: str) -> str:
    if value not in CADENCE_WEEKS:
        known = ", ".join(repr(k) for k in CADENCE_WEEKS if k)
        raise BadInput(f"plan catalogue: {where}.cadence must be one of {known}")
    return str(value)


def catalogue_from_dict(data: Mapping[str, Any]) -> Catalogue:
    """Build a validated catalogue from parsed TOML (see ``data/plans.toml``)."""
    desk = data.get("desk", {})
    defaults = data.get("defaults", {})
    rates_table = data.get("rates", {})
    express = _rate(rates_table, "express", Decimal(35), "rates")
    rates = Rates(express, _rate(rates_table, "on_demand", express, "rates"), str(rates_table.get("currency", "USD")))
    # L1: the desk's targets over SPEC's table; a plan may set its own over these (000: 30 minutes).
    own_targets = data.get("sla_targets", {})
    read_targets(own_targets, "plan catalogue: sla_targets")
    base_targets = {sev: {**DEFAULT_TARGETS[sev], **own_targets.get(sev, {})} for sev in DEFAULT_TARGETS}
    sla = data.get("sla", {})
    plans: dict[str, Plan] = {}
    for key, table in data.get("plans", {}).items():
        where = f"plans.{key}"
        merged = {**defaults, **table}
        period = merged.get("period")
        if period not in (None, "month", "week"):
            raise BadInput(f"plan catalogue: {where}.period must be month or week")
        obligations = tuple(
            Obligation(
                kind=str(item["kind"]),
                title=str(item.get("title", item["kind"])),
                every=_every(item.get("every"), f"{where}.obligations.every"),
            )
            for item in merged.get("obligations", [])
        )
        plans[key] = Plan(
            key=key,
            title=str(merged.get("title", key)),
            sessions=_number(merged, "sessions", 0, where, whole=True),
            period=period,
            cadence=_cadence(merged.get("cadence", ""), where),
            review=_review(merged.get("review", {}), where),
            weekly_hours_cap=_number(merged, "weekly_hours_cap", 10, where),
            max_contacts=_number(merged, "max_contacts", 3, where, whole=True),
            session_minutes=_number(merged, "session_minutes", 60, where, whole=True),
            obligations=obligations,
            sla_clock=read_clock_kind(merged.get("sla_clock", "business"), f"plan catalogue: {where}.sla_clock"),
            sla_targets=read_targets(table.get("sla_targets", {}), f"plan catalogue: {where}.sla_targets", base_targets),
            extra_work_rate=_rate(merged, "extra_work_rate", rates.on_demand, where),
        )
        if plans[key].sessions and period is None:
            raise BadInput(f"plan catalogue: {where} grants sessions but names no period")
    if not plans:
        raise BadInput("plan catalogue: no plans")
    return Catalogue(
        plans=plans,
        caseload_cap=_number(desk, "caseload_cap", 30, "desk", whole=True),
        caseload_warn_share=_number(desk, "caseload_warn_share", 0.9, "desk"),
        working_hours_per_week=_number(desk, "working_hours_per_week", 40, "desk"),
        business_hours=BusinessHours.parse(str(defaults.get("business_hours", "09:00-17:00"))),
        rates=rates,
        compliance=ComplianceTargets(
            _share(sla, "first_response_target", 0.95, "sla"),
            _share(sla, "updates_and_escalations_target", 0.9, "sla"),
        ),
    )
