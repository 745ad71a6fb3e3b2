"""Everything the week screen shows, read in one snapshot.

The calls and notes of the week (T3, T4), the hours against caps and the
caseload (B1-B4, C1-C3), and the warnings (S7, S8, P3, C3) come from one read
transaction, so a change another process commits meanwhile shows in all of
them or in none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tamdesk.domain.obligations import Warning
from tamdesk.services.agenda import WeekAgenda, week_agenda_in
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.reports import warnings_in, week_summary_in
from tamdesk.services.views import WeekSummary


@dataclass(frozen=True)
class WeekPage:
    """One ISO week of the TAM's desk, as the week screen shows it."""

    agenda: WeekAgenda
    summary: WeekSummary
    warnings: list[Warning]


def week_page(desk: Desk, day: date | None = None, known_warnings: list[Warning] | None = None) -> WeekPage:
    """The ISO week containing ``day`` (default this week).

    The warnings do not depend on the week: pass those read with the week
    before (``known_warnings``) when only the week changed, and they are kept.
    """
    return desk.read(lambda unit: week_page_in(unit, day, known_warnings))


def week_page_in(unit: Unit, day: date | None = None, known_warnings: list[Warning] | None = None) -> WeekPage:
    """``week_page`` inside a unit of work already open."""
    return WeekPage(
        week_agenda_in(unit, day),
        week_summary_in(unit, day),
        known_warnings if known_warnings is not None else warnings_in(unit),
    )
