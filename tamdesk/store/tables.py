"""The desk's schema as SQLAlchemy Core tables: every table the models map, and the reads that want rows.

Every instant is stored in UTC (SPEC T1) through ``UTCDateTime``. Customers,
cases, calls and time belong to a TAM from the first schema on, so a team can
share one database. The migrations build this schema; a test keeps them equal.

The ORM classes (``tamdesk.store.models``) are mapped onto these tables. A
statement built from these columns compiles without the ORM: no mapper is
configured (tens of milliseconds in a fresh process), the compile is cheaper
and rows come back as named tuples. ``tamdesk week`` and the desk's week page
read through them only, so a command that reads never pays for the ORM's
set-up (``tests/cli/test_import_hygiene.py`` keeps it so); writes, and reads
of whole objects to change, use the models.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Protocol

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.types import TypeDecorator

#: Stable constraint names, for the migrations.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC instant, stored as naive UTC text so that it sorts (T1)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC instant is stored")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def new_uid() -> str:
    """A call's calendar identity (X1)."""
    return str(uuid.uuid4())


tams = Table(
    "tams",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320)),
    Column("tz", String(64)),
    Column("working_hours", Double),
    # who reads every TAM's rows and may reassign them (issue 19, migration 0009)
    Column("manager", Boolean, nullable=False, default=False, server_default=false()),
    # the name without case or accents (names.folded), unique: --as finds a TAM as a customer is found
    Column("name_key", String(200), nullable=False, server_default=""),
    Index("uq_tams_name_key", "name_key", unique=True),
)

#: Each move of a customer or a case from one TAM to another, and the manager who made it (migration 0009).
assignments = Table(
    "assignments",
    metadata,
    Column("id", Integer, primary_key=True),
    # "customer" or "case"
    Column("kind", String(16), nullable=False),
    Column("record_id", Integer, nullable=False),
    Column("from_tam_id", Integer, ForeignKey("tams.id"), nullable=False),
    Column("to_tam_id", Integer, ForeignKey("tams.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("by_tam_id", Integer, ForeignKey("tams.id"), nullable=False),
    Index("ix_assignments_record", "kind", "record_id"),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

customers = Table(
    "customers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tam_id", Integer, ForeignKey("tams.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    # the casefolded name: customers are found by name without regard to case
    Column("name_key", String(200), nullable=False),
    Column("plan", String(40), nullable=False),
    Column("tz", String(64), nullable=False),
    Column("country", String(10)),
    Column("hours_cap", Double),
    Column("business_hours", String(11)),
    Column("active_from", Date),
    Column("active_until", Date),
    Column("notes", Text),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("tam_id", "name_key"),
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("email", String(320), nullable=False),
    Column("name", String(200)),
)

critical_periods = Table(
    "critical_periods",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("label", String(200), nullable=False),
)

time_off = Table(
    "time_off",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tam_id", Integer, ForeignKey("tams.id"), nullable=False, index=True),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    # "time off" or "training"
    Column("kind", String(20), nullable=False),
    Column("note", Text),
)

calls = Table(
    "calls",
    metadata,
    Column("id", Integer, primary_key=True),
    # the calendar identity of the call (X1): made once, never changed
    Column("uid", String(64), nullable=False, unique=True, default=new_uid),
    Column("tam_id", Integer, ForeignKey("tams.id"), nullable=False),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("status", String(24), nullable=False),
    # "working" uses a unit of the allowance; "review" is a plan's separate review call
    Column("kind", String(16), nullable=False),
    # the working session that is the quarter's review (S8)
    Column("review", Boolean, nullable=False, default=False),
    Column("agenda", Text),
    # why the call stands outside the rules, once confirmed (T5); None when it does not
    Column("exception", Text),
    Column("over_budget", Boolean, nullable=False, default=False),
    Column("sequence", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_calls_customer_start", "customer_id", "starts_at"),
    # the calls still scheduled only: S2's warning reads them with no lower bound (services/reports.py)
    # (PostgreSQL's index has the same condition, from migration 0004: naming ``postgresql_where`` here
    # would load PostgreSQL's dialect, some 35 ms, in every command on every desk.)
    Index("ix_calls_tam_scheduled", "tam_id", "starts_at", sqlite_where=text("status = 'scheduled'")),
    Index("ix_calls_tam_start", "tam_id", "starts_at"),
)

call_events = Table(
    "call_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("call_id", Integer, ForeignKey("calls.id", ondelete="CASCADE"), nullable=False, index=True),
    # the call's customer, copied from it (a call never changes customer); empty only before 0005 ran
    Column("customer_id", Integer),
    Column("at", UTCDateTime, nullable=False),
    Column("action", String(16), nullable=False),
    Column("by", String(16)),
    Column("from_starts_at", UTCDateTime),
    Column("to_starts_at", UTCDateTime),
    Column("from_status", String(24)),
    Column("to_status", String(24), nullable=False),
    # The TAM's departures of some customers' calls from a span of time (S6), by an index that leads
    # with the customer: one TAM's customers, not every TAM's departures (migration 0005).
    Index("ix_call_events_departures", "customer_id", "by", "from_starts_at"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tam_id", Integer, ForeignKey("tams.id"), nullable=False),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("severity", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("filed_at", UTCDateTime, nullable=False),
    Column("opened_at", UTCDateTime),
    Column("resolved_at", UTCDateTime),
    # what the TAM wrote when resolving it (L12 searches these)
    Column("resolution_note", Text),
    # the contract asks for a complete request before the clocks start (L5); the items done are events
    Column("checklist", Boolean, nullable=False, default=False, server_default=text("0")),
    Column("problem_id", Integer, ForeignKey("problems.id"), index=True),
    Index("ix_cases_tam_status", "tam_id", "status"),
)

case_events = Table(
    "case_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("level", Integer),
    Column("severity", String(16)),
    Column("item", String(16)),
    Column("problem_id", Integer),
    Column("note", Text),
)

problems = Table(
    "problems",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tam_id", Integer, ForeignKey("tams.id"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("opened_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime),
    Column("solution", Text),
)

time_entries = Table(
    "time_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tam_id", Integer, ForeignKey("tams.id"), nullable=False),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("case_id", Integer, ForeignKey("cases.id")),
    Column("call_id", Integer, ForeignKey("calls.id")),
    # the TAM's local date the time was given on (their ISO week, T3)
    Column("work_date", Date, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("note", Text),
    # the obligation this time meets, if any (P3): "customer-intelligence", "roadmap"...
    Column("activity", String(40)),
    Column("over_budget", Boolean, nullable=False, default=False),
    Column("logged_at", UTCDateTime, nullable=False),
    Index("ix_time_entries_customer_date", "customer_id", "work_date"),
    Index("ix_time_entries_tam_date", "tam_id", "work_date"),
)

time_entry_events = Table(
    "time_entry_events",
    metadata,
    Column("id", Integer, primary_key=True),
    # a plain column, not a foreign key: the history of a deleted entry outlives it
    Column("time_entry_id", Integer, nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("action", String(16), nullable=False),
    Column("before", Text, nullable=False),
    Column("after", Text),
)

journal = Table(
    "journal",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tam_id", Integer, ForeignKey("tams.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("subject_id", Integer),
    Column("before", Text),
    Column("summary", Text, nullable=False),
    Column("undone_at", UTCDateTime),
    Index("ix_journal_tam_undone", "tam_id", "undone_at"),
)

emergencies = Table(
    "emergencies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tam_id", Integer, ForeignKey("tams.id"), nullable=False),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    # the feasibility answer (E3): when, which, and its estimates
    Column("feasibility_at", UTCDateTime),
    Column("feasible", Boolean),
    Column("normalize_minutes", Integer),
    Column("mitigate_minutes", Integer),
    Column("risk", Text),
    Column("feasibility_note", Text),
    Column("guarantee_hours", Integer, nullable=False),
    Column("guarantee", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("express_rate_cents", Integer, nullable=False),
    Column("mitigation_rate_cents", Integer, nullable=False),
    Column("monthly_plan", Boolean, nullable=False),
    Column("normalized_at", UTCDateTime),
    Column("closed_at", UTCDateTime),
    Index("ix_emergencies_tam_status", "tam_id", "status"),
)

emergency_entries = Table(
    "emergency_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tam_id", Integer, ForeignKey("tams.id"), nullable=False),
    Column("emergency_id", Integer, ForeignKey("emergencies.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("phase", String(16), nullable=False),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("minutes", Integer, nullable=False),
    # the TAM's local date it was worked on (E4: the day's cut)
    Column("work_date", Date, nullable=False),
    Column("note", Text),
    Column("logged_at", UTCDateTime, nullable=False),
    Column("approved_by", String(200)),
    Column("approved_at", UTCDateTime),
)

emergency_invoices = Table(
    "emergency_invoices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tam_id", Integer, ForeignKey("tams.id"), nullable=False),
    Column("emergency_id", Integer, ForeignKey("emergencies.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total_cents", Integer, nullable=False),
    UniqueConstraint("emergency_id", "number"),
)

emergency_invoice_lines = Table(
    "emergency_invoice_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tam_id", Integer, ForeignKey("tams.id"), nullable=False),
    Column("invoice_id", Integer, ForeignKey("emergency_invoices.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("description", Text, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("rate_cents", Integer, nullable=False),
    Column("amount_cents", Integer, nullable=False),
)


class CustomerRow(Protocol):
    """A customer's columns, as a Core row of ``customers`` or a ``models.Customer`` gives them."""

    id: int
    tam_id: int
    name: str
    name_key: str
    plan: str
    tz: str
    country: str | None
    hours_cap: float | None
    business_hours: str | None
    active_from: date | None
    active_until: date | None
    notes: str | None
    created_at: datetime
