"""Plans (service levels) and the catalogue that ships them (SPEC P1-P3).

The catalogue is plain data read from ``data/plans.toml``; this module turns
the parsed TOML into typed, validated ``Plan`` values. Numbers are defaults a
user may change; the shape of each rule is what the code implements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

from tamdesk.domain.business_hours import BusinessHours
from tamdesk.domain.cadence import CADENCE_WEEKS
from tamdesk.domain.caseload import Load
from tamdesk.domain.errors import BadInput

Every = Literal["week", "month", "quarter"]
_EVERY = ("week", "month", "quarter")


@dataclass(frozen=True)
class Obligation:
    """A recurring deliverable with a due date in every period (P3).

    It is met by a held review call (for ``service-review``) or by time logged
    with the obligation's ``kind`` as its activity.
    """

    kind: str
    title: str
    every: Every


@dataclass(frozen=True)
class Review:
    """The plan's review call (S8): how often, and whether it uses a session unit."""

    every: Every
    in_allowance: bool
    title: str


@dataclass(frozen=True)
class Plan:
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

    def call_title(self, kind: str, review: bool) -> str:
        """What a call on this plan is, in words: the review's title from the catalogue (S8), or a working session."""
        return self.review.title if kind == "review" or review else "Working session"

    @property
    def has_allowance(self) -> bool:
        """True for plans that grant working sessions each period (S3, S7)."""
        return self.sessions > 0 and self.period is not None


@dataclass(frozen=True)
class Catalogue:
    """Every plan, plus the desk-wide defaults of the caseload and the week."""

    plans: Mapping[str, Plan]
    caseload_cap: int = 30
    caseload_warn_share: float = 0.9
    working_hours_per_week: float = 40.0
    business_hours: BusinessHours = field(default_factory=BusinessHours)

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
    plans: dict[str, Plan] = {}
    for key, table in data.get("plans", {}).items():
        where = f"plans.{key}"
        merged = {**defaults, **table}
        period = merged.get("period")
        if period not in (None, "month", "week"):
            raise BadInput(f"plan catalogue: {where}.period must be month or week")
        review = merged.get("review", {})
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
            review=Review(
                every=_every(review.get("every", "quarter"), f"{where}.review.every"),
                in_allowance=bool(review.get("in_allowance", False)),
                title=str(review.get("title", "Review")),
            ),
            weekly_hours_cap=_number(merged, "weekly_hours_cap", 10, where),
            max_contacts=_number(merged, "max_contacts", 3, where, whole=True),
            session_minutes=_number(merged, "session_minutes", 60, where, whole=True),
            obligations=obligations,
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
    )
