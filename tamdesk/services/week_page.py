"""Everything the week screen shows, read in one snapshot.

The calls and notes of the week (T3, T4), the hours against caps and the
caseload (B1-B4, C1-C3) with its clocks' tally (L10), the running emergencies (E1-E3) and the
warnings (S4, S8, P1, P3, B2, B3, C3, T7) come from one read
transaction, so a change another process commits meanwhile shows in all of
them or in none.
"""

from __future__ import annotations

from datetime import date

from tamdesk.domain.periods import iso_week_of
from tamdesk.services.agenda import week_agenda_in
from tamdesk.services.deadlines import tally_in
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.reports import customers_of, warnings_in, week_summary_reading
from tamdesk.services.emergencies import running_in
from tamdesk.services.views import WeekPage


def week_page(desk: Desk, day: date | None = None, known: WeekPage | None = None) -> WeekPage:
    """The ISO week containing ``day`` (default this week).

    The warnings, the caseload and its clocks' tally, and the running emergencies do not depend on the week:
    pass the page read before (``known``) when only the week changed, and they are kept.
    """
    return desk.read(lambda unit: week_page_in(unit, day, known))


def week_page_in(unit: Unit, day: date | None = None, known: WeekPage | None = None) -> WeekPage:
    """``week_page`` inside a unit of work already open."""
    if known is not None:
        summary, minutes = week_summary_reading(unit, day, known.summary.caseload, known=known.minutes)
        return WeekPage(week_agenda_in(unit, day), summary, known.warnings, known.clocks, known.emergencies, minutes)
    customers = customers_of(unit)
    summary, minutes = week_summary_reading(unit, day, customers=customers)
    # The warnings' B2 and B3 are this week's: the summary just read serves when it is this week's.
    this_week = summary if summary.first == iso_week_of(unit.today).first else None
    warnings = warnings_in(unit, this_week, load=summary.caseload, customers=customers)
    return WeekPage(week_agenda_in(unit, day), summary, warnings, tally_in(unit), running_in(unit), minutes)
