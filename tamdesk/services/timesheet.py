"""The TAM's timesheet for one week: hours per customer and per day against the caps (B1, B2, B4, T3).

``report week`` prints it as Markdown or CSV. Each day's figure is B1's for
that day: time logged on it plus calls booked on it and not yet held, so the
days of a customer add up to the week's total the cap is measured against,
the same total ``tamdesk week`` shows (its summary is read here, not redone).
Days are the TAM's, in their zone (T3).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from tamdesk.domain.budget import CustomerWeek
from tamdesk.domain.periods import iso_week_of
from tamdesk.domain.timezones import local_date
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.reports import week_summary_in
from tamdesk.store.models import Call, Customer, TimeEntry

#: The byte order mark that tells a spreadsheet the CSV is UTF-8 (Excel reads it as the local code page otherwise).
BOM = "\ufeff"


@dataclass(frozen=True)
class SheetRow(CustomerWeek):
    """One customer's week against the cap (B1, B2), with the minutes of each of its seven days."""

    customer: str
    plan: str
    days: tuple[int, ...]


@dataclass(frozen=True)
class Timesheet:
    """The TAM's ISO week (T3): a row per customer, the day totals, and the TAM's total against their hours (B4)."""

    week: str
    days: tuple[date, ...]
    tz: str
    tam: str
    rows: tuple[SheetRow, ...]
    working_hours: float

    @property
    def day_totals(self) -> tuple[int, ...]:
        return tuple(sum(row.days[i] for row in self.rows) for i in range(len(self.days)))

    @property
    def total(self) -> CustomerWeek:
        """The TAM's own week, every customer's together, against their working hours (B4)."""
        return CustomerWeek(
            sum(row.logged_minutes for row in self.rows), sum(row.booked_minutes for row in self.rows), self.working_hours
        )


def timesheet(desk: Desk, day: date | None = None) -> Timesheet:
    """The week containing ``day`` (default today, the TAM's zone), every customer's row."""

    def work(unit: Unit) -> Timesheet:
        summary = week_summary_in(unit, day)
        week = iso_week_of(summary.first)
        per_day = _per_day(unit, week.first, week.end)
        ids = dict(unit.session.execute(select(Customer.name, Customer.id).where(Customer.tam_id == unit.tam.id)).all())
        days = tuple(week.first + timedelta(days=i) for i in range(7))
        rows = tuple(
            SheetRow(
                c.logged_minutes, c.booked_minutes, c.cap_hours,
                customer=c.customer, plan=c.plan, days=tuple(per_day.get((ids[c.customer], d), 0) for d in days),
            )
            for c in summary.customers
        )
        return Timesheet(summary.week, days, summary.tz, unit.tam.name, rows, summary.working_hours)

    return desk.read(work)


def _per_day(unit: Unit, first: date, end: date) -> dict[tuple[int, date], int]:
    """B1 per customer and day of the TAM's: time logged, plus calls booked and not yet held, on that day."""
    out: dict[tuple[int, date], int] = defaultdict(int)
    for who, day, minutes in unit.session.execute(
        select(TimeEntry.customer_id, TimeEntry.work_date, func.sum(TimeEntry.minutes))
        .where(TimeEntry.tam_id == unit.tam.id, TimeEntry.work_date >= first, TimeEntry.work_date < end)
        .group_by(TimeEntry.customer_id, TimeEntry.work_date)
    ):
        out[(who, day)] += int(minutes)
    tz = unit.tam_tz
    week = iso_week_of(first)
    for who, starts, minutes in unit.session.execute(
        select(Call.customer_id, Call.starts_at, Call.minutes).where(
            Call.tam_id == unit.tam.id, Call.status == "scheduled",
            Call.starts_at >= week.start_utc(tz), Call.starts_at < week.end_utc(tz),
        )
    ):
        out[(who, local_date(starts, tz))] += minutes
    return out


def decimal_hours(minutes: int) -> str:
    """Minutes as decimal hours with a dot and two decimals, as a spreadsheet reads them in any locale: 90 is ``1.50``."""
    return f"{minutes / 60:.2f}"


def timesheet_csv(sheet: Timesheet) -> str:
    """The timesheet as CSV: a BOM, one header row, a row per customer, then the TAM's total row.

    Dates are ISO (the day columns' headers), hours decimal with a dot; the
    total row's cap is the TAM's working hours (B4).
    """
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180's line ends, which every spreadsheet reads
    writer.writerow(["customer", "plan", *(d.isoformat() for d in sheet.days), "logged", "booked", "total", "cap", "over_cap"])
    for row in sheet.rows:
        writer.writerow([row.customer, row.plan, *(decimal_hours(m) for m in row.days), *_against_cap(row)])
    writer.writerow(["Total", "", *(decimal_hours(m) for m in sheet.day_totals), *_against_cap(sheet.total)])
    return out.getvalue()


def _against_cap(week: CustomerWeek) -> list[str]:
    """A row's last five cells: logged, booked, total, cap, and whether the total is over it."""
    return [
        decimal_hours(week.logged_minutes), decimal_hours(week.booked_minutes), decimal_hours(week.total_minutes),
        f"{week.cap_hours:g}", "yes" if week.over else "no",
    ]
