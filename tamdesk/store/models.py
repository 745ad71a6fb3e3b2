"""SQLAlchemy 2.x typed models of the desk, mapped onto the Core tables of ``tamdesk.store.tables``.

The schema (columns, keys, indexes) lives in ``tables``; here each table gets
its class, its typed attributes and its relationships, for the use-cases that
load objects and change them. Calls keep their history of moves and status
changes as ``CallEvent`` rows (S2), which the ledger reads to know what the
TAM freed (S6).

The typed attributes are declared for readers and type checkers only
(``TYPE_CHECKING``): SQLAlchemy maps every column of the table anyway, and
reading the annotations at import would cost about as much as building the
tables themselves, in every command.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import DeclarativeBase, relationship, validates

from tamdesk.store import tables

if TYPE_CHECKING:
    from sqlalchemy.orm import Mapped


class Base(DeclarativeBase):
    """Declarative base over the desk's one ``MetaData`` (stable constraint names, for migrations)."""

    metadata = tables.metadata


class Tam(Base):
    """A Technical Account Manager: whose desk this is, or one of a team sharing the database.

    A ``manager`` reads every TAM's rows and may reassign them (migration 0009).
    ``name_key`` is the name without case or accents, unique: set with the name.
    """

    __table__ = tables.tams

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        name: Mapped[str]
        email: Mapped[str | None]
        tz: Mapped[str | None]
        working_hours: Mapped[float | None]
        manager: Mapped[bool]
        name_key: Mapped[str]

    @validates("name")
    def _keyed(self, _key: str, name: str) -> str:
        """The name's key follows the name, wherever it is set."""
        from tamdesk.domain.names import folded

        self.name_key = folded(name)
        return name


class Assignment(Base):
    """One move of a customer or a case from one TAM to another, by a manager (kept for history and undo)."""

    __table__ = tables.assignments

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        kind: Mapped[str]
        record_id: Mapped[int]
        from_tam_id: Mapped[int]
        to_tam_id: Mapped[int]
        at: Mapped[datetime]
        by_tam_id: Mapped[int]


class Setting(Base):
    """A desk-wide setting: the current TAM, reminder minutes and the like."""

    __table__ = tables.settings

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        key: Mapped[str]
        value: Mapped[str]


class Customer(Base):
    """A customer the TAM is assigned to, on one plan (P1)."""

    __table__ = tables.customers

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        tam_id: Mapped[int]
        name: Mapped[str]
        name_key: Mapped[str]
        plan: Mapped[str]
        tz: Mapped[str]
        country: Mapped[str | None]
        hours_cap: Mapped[float | None]
        business_hours: Mapped[str | None]
        active_from: Mapped[date | None]
        active_until: Mapped[date | None]
        notes: Mapped[str | None]
        created_at: Mapped[datetime]
        contacts: Mapped[list[Contact]]
        critical_periods: Mapped[list[CriticalPeriod]]

    contacts = relationship("Contact", back_populates="customer", cascade="all, delete-orphan", order_by="Contact.id")
    critical_periods = relationship(
        "CriticalPeriod", back_populates="customer", cascade="all, delete-orphan", order_by="CriticalPeriod.starts_at"
    )


class Contact(Base):
    """An identified point of contact of a customer (P2)."""

    __table__ = tables.contacts

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        customer_id: Mapped[int]
        email: Mapped[str]
        name: Mapped[str | None]
        customer: Mapped[Customer]

    customer = relationship("Customer", back_populates="contacts")


class CriticalPeriod(Base):
    """A span the customer declared critical: out-of-hours calls need no confirmation (T5)."""

    __table__ = tables.critical_periods

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        customer_id: Mapped[int]
        starts_at: Mapped[datetime]
        ends_at: Mapped[datetime]
        label: Mapped[str]
        customer: Mapped[Customer]

    customer = relationship("Customer", back_populates="critical_periods")


class TimeOff(Base):
    """The TAM's time off or internal training: not available for calls (T4)."""

    __table__ = tables.time_off

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        tam_id: Mapped[int]
        starts_at: Mapped[datetime]
        ends_at: Mapped[datetime]
        kind: Mapped[str]
        note: Mapped[str | None]


class Call(Base):
    """A booked call: a working session or a review call (S1, S2, S8, S9)."""

    __table__ = tables.calls

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        uid: Mapped[str]
        tam_id: Mapped[int]
        customer_id: Mapped[int]
        starts_at: Mapped[datetime]
        minutes: Mapped[int]
        status: Mapped[str]
        kind: Mapped[str]
        review: Mapped[bool]
        agenda: Mapped[str | None]
        exception: Mapped[str | None]
        over_budget: Mapped[bool]
        sequence: Mapped[int]
        created_at: Mapped[datetime]
        updated_at: Mapped[datetime]
        customer: Mapped[Customer]
        events: Mapped[list[CallEvent]]

    customer = relationship("Customer")
    events = relationship("CallEvent", back_populates="call", cascade="all, delete-orphan", order_by="CallEvent.id")


class CallEvent(Base):
    """One step in a call's history: booked, moved, cancelled, held, no-show (S2)."""

    __table__ = tables.call_events

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        call_id: Mapped[int]
        customer_id: Mapped[int | None]
        at: Mapped[datetime]
        action: Mapped[str]
        by: Mapped[str | None]
        from_starts_at: Mapped[datetime | None]
        to_starts_at: Mapped[datetime | None]
        from_status: Mapped[str | None]
        to_status: Mapped[str]
        call: Mapped[Call]

    call = relationship("Call", back_populates="events")


class Case(Base):
    """A case, incident or service request the TAM carries (C1, C2)."""

    __table__ = tables.cases

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        tam_id: Mapped[int]
        customer_id: Mapped[int]
        title: Mapped[str]
        severity: Mapped[str]
        status: Mapped[str]
        filed_at: Mapped[datetime]
        opened_at: Mapped[datetime | None]
        resolved_at: Mapped[datetime | None]
        resolution_note: Mapped[str | None]
        checklist: Mapped[bool]
        problem_id: Mapped[int | None]
        customer: Mapped[Customer]
        problem: Mapped[Problem | None]
        events: Mapped[list[CaseEvent]]

    customer = relationship("Customer")
    problem = relationship("Problem", back_populates="cases")
    events = relationship("CaseEvent", back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id")


class CaseEvent(Base):
    """One step in a case's history, stamped with the desk's clock (L3, L8-L10 read them).

    ``kind`` is one of ``domain.sla.EVENTS``; ``level`` is set on
    an escalation, ``severity`` on a severity change (the new one), ``item`` on
    a checklist item done, ``problem_id`` on a link to a problem, ``note`` on
    whatever the TAM wrote (a resolution, an update's text). The list is only
    appended to, and read in the order it was written (by id: a clock set back
    for a replay must not reorder it); undo removes the event it reverts.
    """

    __table__ = tables.case_events

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        case_id: Mapped[int]
        at: Mapped[datetime]
        kind: Mapped[str]
        level: Mapped[int | None]
        severity: Mapped[str | None]
        item: Mapped[str | None]
        problem_id: Mapped[int | None]
        note: Mapped[str | None]
        case: Mapped[Case]

    case = relationship("Case", back_populates="events")


class Problem(Base):
    """A problem record: the cause behind recurring cases, and its solution once found (L6, L11)."""

    __table__ = tables.problems

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        tam_id: Mapped[int]
        title: Mapped[str]
        opened_at: Mapped[datetime]
        resolved_at: Mapped[datetime | None]
        solution: Mapped[str | None]
        cases: Mapped[list[Case]]

    cases = relationship("Case", back_populates="problem", order_by="Case.id")


#: The knowledge base's SQLite FTS5 table (L12) and the tables FTS5 keeps for it: made by migration
#: 0006 with the triggers that fill it, outside the models (SQLAlchemy has no virtual tables).
KNOWLEDGE = "knowledge"
KNOWLEDGE_TABLES = frozenset(
    {KNOWLEDGE, *(f"{KNOWLEDGE}_{part}" for part in ("data", "idx", "content", "docsize", "config"))}
)
#: The calendar feed's cache and its revision counters (migration 0007, ``services.feed_cache``): derived
#: data outside the models, read and written as plain SQL, never part of what a change or an undo touches.
FEED_TABLES = frozenset({"feed_events", "feed_pieces", "feed_state"})


class TimeEntry(Base):
    """Time the TAM gave a customer on one day of their own calendar (B1)."""

    __table__ = tables.time_entries

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        tam_id: Mapped[int]
        customer_id: Mapped[int]
        case_id: Mapped[int | None]
        call_id: Mapped[int | None]
        work_date: Mapped[date]
        minutes: Mapped[int]
        note: Mapped[str | None]
        activity: Mapped[str | None]
        over_budget: Mapped[bool]
        logged_at: Mapped[datetime]


class TimeEntryEvent(Base):
    """One correction of a time entry: edited or deleted, with the entry before and after (B5).

    ``time_entry_id`` is a plain column, not a foreign key, so that the history
    of a deleted entry outlives it. ``before`` and ``after`` are the entry's
    fields as JSON text (``after`` is empty for a deletion).
    """

    __table__ = tables.time_entry_events

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        time_entry_id: Mapped[int]
        at: Mapped[datetime]
        action: Mapped[str]
        before: Mapped[str]
        after: Mapped[str | None]


class JournalEntry(Base):
    """One change the TAM made, kept so that ``tamdesk undo`` can revert it, newest first.

    Written in the same transaction as the change. ``kind`` names the use-case
    (``call.moved``, ``time.logged``...), ``subject_id`` the row it changed (a
    plain column: the row may be gone), ``before`` what undoing needs as JSON
    text, ``summary`` the change in the TAM's words. ``undone_at`` is set once
    undone; an undone change is never undone twice.
    """

    __table__ = tables.journal

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        tam_id: Mapped[int]
        at: Mapped[datetime]
        kind: Mapped[str]
        subject_id: Mapped[int | None]
        before: Mapped[str | None]
        summary: Mapped[str]
        undone_at: Mapped[datetime | None]


class Emergency(Base):
    """An emergency engagement on a customer (E1-E5): its feasibility answer, guarantee, phases and rates.

    The rates are fixed when it is opened, from the catalogue and the customer's plan then (E5),
    so a later change of either never changes what it bills. Money is integer cents.
    """

    __table__ = tables.emergencies

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        tam_id: Mapped[int]
        customer_id: Mapped[int]
        title: Mapped[str]
        status: Mapped[str]
        requested_at: Mapped[datetime]
        feasibility_at: Mapped[datetime | None]
        feasible: Mapped[bool | None]
        normalize_minutes: Mapped[int | None]
        mitigate_minutes: Mapped[int | None]
        risk: Mapped[str | None]
        feasibility_note: Mapped[str | None]
        guarantee_hours: Mapped[int]
        guarantee: Mapped[str]
        currency: Mapped[str]
        express_rate_cents: Mapped[int]
        mitigation_rate_cents: Mapped[int]
        monthly_plan: Mapped[bool]
        normalized_at: Mapped[datetime | None]
        closed_at: Mapped[datetime | None]
        customer: Mapped[Customer]
        entries: Mapped[list[EmergencyEntry]]
        invoices: Mapped[list[EmergencyInvoice]]

    customer = relationship("Customer")
    entries = relationship(
        "EmergencyEntry", back_populates="emergency", cascade="all, delete-orphan", order_by="EmergencyEntry.starts_at"
    )
    invoices = relationship(
        "EmergencyInvoice", back_populates="emergency", cascade="all, delete-orphan", order_by="EmergencyInvoice.number"
    )


class EmergencyEntry(Base):
    """The specialist's time on an engagement inside one day of the TAM's calendar and one phase (E4).

    ``approved_by`` and ``approved_at`` are set when the day's cut is approved; only then is it billed.
    """

    __table__ = tables.emergency_entries

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        tam_id: Mapped[int]
        emergency_id: Mapped[int]
        phase: Mapped[str]
        starts_at: Mapped[datetime]
        ends_at: Mapped[datetime]
        minutes: Mapped[int]
        work_date: Mapped[date]
        note: Mapped[str | None]
        logged_at: Mapped[datetime]
        approved_by: Mapped[str | None]
        approved_at: Mapped[datetime | None]
        emergency: Mapped[Emergency]

    emergency = relationship("Emergency", back_populates="entries")


class EmergencyInvoice(Base):
    """An invoice summary as issued (E2, E5): 1 guarantee, 2 normalization, 3 mitigation; never changed after."""

    __table__ = tables.emergency_invoices

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        tam_id: Mapped[int]
        emergency_id: Mapped[int]
        number: Mapped[int]
        issued_at: Mapped[datetime]
        currency: Mapped[str]
        total_cents: Mapped[int]
        emergency: Mapped[Emergency]
        lines: Mapped[list[EmergencyInvoiceLine]]

    emergency = relationship("Emergency", back_populates="invoices")
    lines = relationship(
        "EmergencyInvoiceLine",
        back_populates="invoice",
        cascade="all, delete-orphan",
        order_by="EmergencyInvoiceLine.position",
    )


class EmergencyInvoiceLine(Base):
    """One line of an issued invoice: a phase's approved day, the guarantee, or its credit (negative)."""

    __table__ = tables.emergency_invoice_lines

    if TYPE_CHECKING:  # the columns come from the table; typed here for readers and checkers
        id: Mapped[int]
        tam_id: Mapped[int]
        invoice_id: Mapped[int]
        position: Mapped[int]
        description: Mapped[str]
        minutes: Mapped[int]
        rate_cents: Mapped[int]
        amount_cents: Mapped[int]
        invoice: Mapped[EmergencyInvoice]

    invoice = relationship("EmergencyInvoice", back_populates="lines")
