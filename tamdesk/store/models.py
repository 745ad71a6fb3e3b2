"""SQLAlchemy 2.x typed models of the desk.

Every instant is stored in UTC (SPEC T1) through ``UTCDateTime``. Customers,
cases, calls and time belong to a TAM from the first schema on, so a team can
share one database. Calls keep their history of moves and status changes as
``CallEvent`` rows (S2), which the ledger reads to know what the TAM freed (S6).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


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


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for migrations."""

    metadata = MetaData(naming_convention=NAMING)


class Tam(Base):
    """A Technical Account Manager whose desk this is."""

    __tablename__ = "tams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    tz: Mapped[str | None] = mapped_column(String(64))
    working_hours: Mapped[float | None]


class Setting(Base):
    """A desk-wide setting: the current TAM, reminder minutes and the like."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Customer(Base):
    """A customer the TAM is assigned to, on one plan (P1)."""

    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("tam_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tam_id: Mapped[int] = mapped_column(ForeignKey("tams.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # casefolded name: customers are found by name without regard to case
    name_key: Mapped[str] = mapped_column(String(200))
    plan: Mapped[str] = mapped_column(String(40))
    tz: Mapped[str] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(10))
    hours_cap: Mapped[float | None]
    business_hours: Mapped[str | None] = mapped_column(String(11))
    active_from: Mapped[date | None] = mapped_column(Date)
    active_until: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Contact.id"
    )
    critical_periods: Mapped[list[CriticalPeriod]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CriticalPeriod.starts_at"
    )


class Contact(Base):
    """An identified point of contact of a customer (P2)."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(200))

    customer: Mapped[Customer] = relationship(back_populates="contacts")


class CriticalPeriod(Base):
    """A span the customer declared critical: out-of-hours calls need no confirmation (T5)."""

    __tablename__ = "critical_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    label: Mapped[str] = mapped_column(String(200))

    customer: Mapped[Customer] = relationship(back_populates="critical_periods")


class TimeOff(Base):
    """The TAM's time off or internal training: not available for calls (T4)."""

    __tablename__ = "time_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    tam_id: Mapped[int] = mapped_column(ForeignKey("tams.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20))  # "time off" or "training"
    note: Mapped[str | None] = mapped_column(Text)


class Call(Base):
    """A booked call: a working session or a review call (S1, S2, S8, S9)."""

    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_tam_start", "tam_id", "starts_at"),
        Index("ix_calls_customer_start", "customer_id", "starts_at"),
        # the calls still scheduled only: S2's warning reads them with no lower bound (services/reports.py)
        Index(
            "ix_calls_tam_scheduled",
            "tam_id",
            "starts_at",
            sqlite_where=text("status = 'scheduled'"),
            postgresql_where=text("status = 'scheduled'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the calendar identity of the call (X1): made once, never changed
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: str(uuid.uuid4()))
    tam_id: Mapped[int] = mapped_column(ForeignKey("tams.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(24))
    # "working" uses a unit of the allowance; "review" is a plan's separate review call
    kind: Mapped[str] = mapped_column(String(16))
    # the working session that is the quarter's review (S8)
    review: Mapped[bool] = mapped_column(Boolean, default=False)
    agenda: Mapped[str | None] = mapped_column(Text)
    # why the call stands outside the rules, once confirmed (T5); None when it does not
    exception: Mapped[str | None] = mapped_column(Text)
    over_budget: Mapped[bool] = mapped_column(Boolean, default=False)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    customer: Mapped[Customer] = relationship()
    events: Mapped[list[CallEvent]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallEvent.id"
    )


class CallEvent(Base):
    """One step in a call's history: booked, moved, cancelled, held, no-show (S2)."""

    __tablename__ = "call_events"
    # The TAM's departures of some customers' calls from a span of time (S6), by an index that leads
    # with the customer: one TAM's customers, not every TAM's departures (migration 0005).
    __table_args__ = (Index("ix_call_events_departures", "customer_id", "by", "from_starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    # the call's customer, copied from it (a call never changes customer); empty only before 0005 ran
    customer_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(16))
    by: Mapped[str | None] = mapped_column(String(16))
    from_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    to_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))

    call: Mapped[Call] = relationship(back_populates="events")


class Case(Base):
    """A case, incident or service request the TAM carries (C1, C2)."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_tam_status", "tam_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tam_id: Mapped[int] = mapped_column(ForeignKey("tams.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # what the TAM wrote when resolving it (L12 searches these)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    # the contract asks for a complete request before the clocks start (L5); the items done are events
    checklist: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("0"))
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id"), index=True)

    customer: Mapped[Customer] = relationship()
    problem: Mapped[Problem | None] = relationship(back_populates="cases")
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )


class CaseEvent(Base):
    """One step in a case's history, stamped with the desk's clock (L3, L8-L10 read them).

    ``kind`` is one of ``domain.sla.EVENTS``; ``level`` is set on
    an escalation, ``severity`` on a severity change (the new one), ``item`` on
    a checklist item done, ``problem_id`` on a link to a problem, ``note`` on
    whatever the TAM wrote (a resolution, an update's text). The list is only
    appended to, and read in the order it was written (by id: a clock set back
    for a replay must not reorder it); undo removes the event it reverts.
    """

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))
    level: Mapped[int | None] = mapped_column(Integer)
    severity: Mapped[str | None] = mapped_column(String(16))
    item: Mapped[str | None] = mapped_column(String(16))
    problem_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="events")


class Problem(Base):
    """A problem record: the cause behind recurring cases, and its solution once found (L6, L11)."""

    __tablename__ = "problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    tam_id: Mapped[int] = mapped_column(ForeignKey("tams.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    solution: Mapped[str | None] = mapped_column(Text)

    cases: Mapped[list[Case]] = relationship(back_populates="problem", order_by="Case.id")


#: The knowledge base's SQLite FTS5 table (L12) and the tables FTS5 keeps for it: made by migration
#: 0006 with the triggers that fill it, outside the models (SQLAlchemy has no virtual tables).
KNOWLEDGE = "knowledge"
KNOWLEDGE_TABLES = frozenset({KNOWLEDGE, *(f"{KNOWLEDGE}_{part}" for part in ("data", "idx", "content", "docsize", "config"))})
#: The calendar feed's cache and its revision counters (migration 0007, ``services.feed_cache``): derived
#: data outside the models, read and written as plain SQL, never part of what a change or an undo touches.
FEED_TABLES = frozenset({"feed_events", "feed_pieces", "feed_state"})


class TimeEntry(Base):
    """Time the TAM gave a customer on one day of their own calendar (B1)."""

    __tablename__ = "time_entries"
    __table_args__ = (
        Index("ix_time_entries_tam_date", "tam_id", "work_date"),
        Index("ix_time_entries_customer_date", "customer_id", "work_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tam_id: Mapped[int] = mapped_column(ForeignKey("tams.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    # the TAM's local date the time was given on (their ISO week, T3)
    work_date: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    # the obligation this time meets, if any (P3): "customer-intelligence", "roadmap"...
    activity: Mapped[str | None] = mapped_column(String(40))
    over_budget: Mapped[bool] = mapped_column(Boolean, default=False)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TimeEntryEvent(Base):
    """One correction of a time entry: edited or deleted, with the entry before and after (B5).

    ``time_entry_id`` is a plain column, not a foreign key, so that the history
    of a deleted entry outlives it. ``before`` and ``after`` are the entry's
    fields as JSON text (``after`` is empty for a deletion).
    """

    __tablename__ = "time_entry_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    time_entry_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(16))
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class JournalEntry(Base):
    """One change the TAM made, kept so that ``tamdesk undo`` can revert it, newest first.

    Written in the same transaction as the change. ``kind`` names the use-case
    (``call.moved``, ``time.logged``...), ``subject_id`` the row it changed (a
    plain column: the row may be gone), ``before`` what undoing needs as JSON
    text, ``summary`` the change in the TAM's words. ``undone_at`` is set once
    undone; an undone change is never undone twice.
    """

    __tablename__ = "journal"
    __table_args__ = (Index("ix_journal_tam_undone", "tam_id", "undone_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tam_id: Mapped[int] = mapped_column(ForeignKey("tams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(24))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Emergency(Base):
    """An emergency engagement on a customer (E1-E5): its feasibility answer, guarantee, phases and rates.

    The rates are fixed when it is opened, from the catalogue and the customer's plan then (E5),
    so a later change of either never changes what it bills. Money is integer cents.
    """

    __tablename__ = "emergencies"
    __table_args__ = (Index("ix_emergencies_tam_status", "tam_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tam_id: Mapped[int] = mapped_column(ForeignKey("tams.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # the feasibility answer (E3): when, which, and its estimates
    feasibility_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feasible: Mapped[bool | None] = mapped_column(Boolean)
    normalize_minutes: Mapped[int | None] = mapped_column(Integer)
    mitigate_minutes: Mapped[int | None] = mapped_column(Integer)
    risk: Mapped[str | None] = mapped_column(Text)
    feasibility_note: Mapped[str | None] = mapped_column(Text)
    guarantee_hours: Mapped[int] = mapped_column(Integer)
    guarantee: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    express_rate_cents: Mapped[int] = mapped_column(Integer)
    mitigation_rate_cents: Mapped[int] = mapped_column(Integer)
    monthly_plan: Mapped[bool] = mapped_column(Boolean)
    normalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    customer: Mapped[Customer] = relationship()
    entries: Mapped[list[EmergencyEntry]] = relationship(
        back_populates="emergency", cascade="all, delete-orphan", order_by="EmergencyEntry.starts_at"
    )
    invoices: Mapped[list[EmergencyInvoice]] = relationship(
        back_populates="emergency", cascade="all, delete-orphan", order_by="EmergencyInvoice.number"
    )


class EmergencyEntry(Base):
    """The specialist's time on an engagement inside one day of the TAM's calendar and one phase (E4).

    ``approved_by`` and ``approved_at`` are set when the day's cut is approved; only then is it billed.
    """

    __tablename__ = "emergency_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    tam_id: Mapped[int] = mapped_column(ForeignKey("tams.id"))
    emergency_id: Mapped[int] = mapped_column(ForeignKey("emergencies.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer)
    # the TAM's local date it was worked on (E4: the day's cut)
    work_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    emergency: Mapped[Emergency] = relationship(back_populates="entries")


class EmergencyInvoice(Base):
    """An invoice summary as issued (E2, E5): 1 guarantee, 2 normalization, 3 mitigation; never changed after."""

    __tablename__ = "emergency_invoices"
    __table_args__ = (UniqueConstraint("emergency_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tam_id: Mapped[int] = mapped_column(ForeignKey("tams.id"))
    emergency_id: Mapped[int] = mapped_column(ForeignKey("emergencies.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    currency: Mapped[str] = mapped_column(String(3))
    total_cents: Mapped[int] = mapped_column(Integer)

    emergency: Mapped[Emergency] = relationship(back_populates="invoices")
    lines: Mapped[list[EmergencyInvoiceLine]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="EmergencyInvoiceLine.position"
    )


class EmergencyInvoiceLine(Base):
    """One line of an issued invoice: a phase's approved day, the guarantee, or its credit (negative)."""

    __tablename__ = "emergency_invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    tam_id: Mapped[int] = mapped_column(ForeignKey("tams.id"))
    invoice_id: Mapped[int] = mapped_column(ForeignKey("emergency_invoices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int] = mapped_column(Integer)
    rate_cents: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)

    invoice: Mapped[EmergencyInvoice] = relationship(back_populates="lines")
