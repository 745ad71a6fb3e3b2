"""The technical report of an emergency engagement, and the files its commands write (E2).

What the customer reads at close: what happened (the request, the feasibility
answer with its estimates and risk), the actions with their times in both zones
(the TAM's and the customer's), the evidence notes and the hours per phase. The
data is laid out here as plain words; ``emergency_report.md.j2`` and
``emergency_report.html.j2`` only place it. Rule ids stay out: they are the
desk's words, not the customer's.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from tamdesk.domain.durations import describe
from tamdesk.domain.timezones import zone
from tamdesk.files import write_derived
from tamdesk.services.desk import Desk
from tamdesk.services.emergencies import EmergencyView
from tamdesk.store.engine import sqlite_file


class Action(NamedTuple):
    """One entry of the specialist's time, as the report lists it."""

    yours: str  # from-to in the TAM's zone
    theirs: str  # the same in the customer's zone
    time: str
    phase: str
    note: str


def _span(start: datetime, end: datetime, tz: str) -> str:
    a, b = start.astimezone(zone(tz)), end.astimezone(zone(tz))
    # The TAM's pieces end by their day's midnight; in another zone a piece may end on the next day.
    same_day = b.date() == a.date() or (b.time() == time(0) and b.date() - a.date() == timedelta(days=1))
    ends = f"{b:%H:%M}" if same_day else f"{b:%a %Y-%m-%d %H:%M}"
    return f"{a:%a %Y-%m-%d %H:%M}-{ends}"


def _at(instant: datetime | None, tz: str) -> str:
    return "-" if instant is None else f"{instant.astimezone(zone(tz)):%a %Y-%m-%d %H:%M}"


def report_context(view: EmergencyView, tam_tz: str) -> dict[str, Any]:
    """Everything the report's templates show, as words (no rule ids)."""
    both = lambda instant: f"{_at(instant, tam_tz)} ({tam_tz}), {_at(instant, view.customer_tz)} ({view.customer_tz})"  # noqa: E731
    estimates = [
        (what, describe(minutes)) for what, minutes in (("To normalize", view.normalize_minutes), ("To mitigate", view.mitigate_minutes))
        if minutes
    ]
    answer = None
    if view.feasibility_at is not None:
        answer = f"{'Feasible' if view.feasible else 'Declined'}, answered {both(view.feasibility_at)}"
    phases = [(phase.capitalize(), describe(view.minutes_in(phase)) if view.minutes_in(phase) else "-")
              for phase in ("normalization", "mitigation")]
    return {
        "title": view.title,
        "customer": view.customer,
        "number": view.id,
        "tam_tz": tam_tz,
        "customer_tz": view.customer_tz,
        "requested": both(view.requested_at),
        "answer": answer,
        "estimates": estimates,
        "risk": view.risk,
        "normalized": both(view.normalized_at) if view.normalized_at else None,
        "closed": both(view.closed_at) if view.closed_at else None,
        "actions": [
            Action(_span(e.start, e.end, tam_tz), _span(e.start, e.end, view.customer_tz), describe(e.minutes),
                   e.phase.capitalize(), e.note or "")
            for e in view.entries
        ],
        # An entry cut at midnight keeps its note on both pieces: each note once, in the order written.
        "evidence": list(dict.fromkeys(note for note in [view.note, *(e.note for e in view.entries)] if note)),
        "phases": phases,
        "total": describe(sum(e.minutes for e in view.entries)) if view.entries else "-",
    }


def render_report(view: EmergencyView, tam_tz: str, *, html: bool) -> str:
    """The report as Markdown, or as one self-contained HTML page."""
    from tamdesk.render import render

    return render("emergency_report.html.j2" if html else "emergency_report.md.j2", **report_context(view, tam_tz))


def write_file(desk: Desk, path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, never over the desk's database."""
    database = sqlite_file(desk.url)
    write_derived(path, text.encode("utf-8"), protected=[Path(database)] if database else [])


def write_report(desk: Desk, view: EmergencyView, path: Path) -> None:
    """The technical report to ``path``: HTML when it ends in ``.html``, else Markdown."""
    tam_tz = desk.read(lambda unit: unit.tam_tz.key)
    write_file(desk, path, render_report(view, tam_tz, html=path.suffix.lower() == ".html"))
