"""The calendar export made from cached pieces: cost follows what changed, not how much history there is (X1).

An export is the calendar's header, one VTIMEZONE per zone used and one VEVENT
per call, then its last line (``tamdesk.ical.calendar``'s parts). Each VEVENT
is a pure function of what it is made from: the call's row, its customer's
name, plan, zone, contacts (and, with internal notes, the customer's notes and
open cases), the organizer, the alarm setting, whether notes go out, the zone
rules' version, the plan catalogue and the versions of tamdesk and icalendar.
So each call's VEVENT is kept with a digest of all of that, and only a call
whose digest changed is serialized again; the pieces joined are, byte for
byte, what ``build_calendar`` writes from scratch (a test holds the two equal
after random changes).

Why in the desk's database (tables ``feed_events`` and ``feed_pieces``,
migration 0007) rather than in files beside a feed: the CLI, the desk and
``feed serve`` are separate processes that all export, and the database is
what they already share, with its locking; another database would hold the
same tables. The cache is written in its own short transaction after the
export has read its snapshot, never inside the user's change: it does not
raise the desk's revision, runs no after-commit hook and, when the database
is busy or read-only, is simply not written (the next export makes the
missing pieces again). A stale or missing entry is only slower, never wrong.

The rows are read as one query of plain values (no mapped objects: building
10,720 calls with their customers cost more than the whole warm export), the
datetimes as the stored text, which is what the digest reads; only a call
whose VEVENT must be written again has its values parsed.

``feed_stamp`` is what says that a feed needs no export at all: the counters
the 0007 triggers raise when anything a feed shows changes, with the options,
the window's first day and the versions. Equal stamps, equal bytes.
"""

from __future__ import annotations

import hashlib
import json
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Sequence

from sqlalchemy import String, select, text, type_coerce

from tamdesk import __version__
from tamdesk.domain.plans import Catalogue
from tamdesk.services.desk import Desk, Unit
from tamdesk.store.models import Call, Case, Contact, Customer, Setting

if TYPE_CHECKING:
    from tamdesk.ical.calendar import EventData, Organizer

#: Ids asked for in one ``IN (...)``: well under SQLite's bound on a statement's parameters.
_CHUNK = 500


# -- one call's event -----------------------------------------------------------------


class CallValues(NamedTuple):
    """A call read as plain values for the cache, its datetimes parsed: what a mapped ``Call`` shows an event."""

    uid: str
    sequence: int
    starts_at: datetime
    minutes: int
    status: str
    kind: str
    review: bool
    agenda: str | None
    exception: str | None
    over_budget: bool
    created_at: datetime
    updated_at: datetime


class CustomerValues(NamedTuple):
    """A customer read as plain values: what a mapped ``Customer`` shows an event."""

    name: str
    plan: str
    tz: str
    notes: str | None


#: A contact as the description names it: (name or None, address).
ContactLine = tuple["str | None", str]
#: An open case as internal notes name it: (id, severity, status, title).
CaseLine = tuple[int, str, str, str]


def event_data(
    catalogue: Catalogue,
    call: Call | CallValues,
    customer: Customer | CustomerValues,
    contacts: Sequence[ContactLine],
    cases: Sequence[CaseLine],
    include_notes: bool,
) -> EventData:
    """One call as a calendar event (X1): internal notes only with ``include_notes`` (X2)."""
    from tamdesk.domain.calls import CANCELLED
    from tamdesk.ical.calendar import EventData  # icalendar: only an export that writes an event pays for it

    plan = catalogue.plan(customer.plan)
    title = plan.call_title(call.kind, call.review)
    lines = [f"{title} with {customer.name} ({plan.title}, {call.minutes} minutes)."]
    lines += ["", "Agenda:", call.agenda.strip() if call.agenda and call.agenda.strip() else "(none yet)"]
    lines += ["", "Contacts:"]
    lines += [f"{name} <{email}>" if name else email for name, email in contacts] or ["(none on file)"]
    if call.status in CANCELLED:
        lines += ["", f"Cancelled by the {'customer' if call.status == 'cancelled-by-customer' else 'TAM'}."]
    if include_notes:
        lines += ["", "Internal notes:"]
        if customer.notes:
            lines.append(customer.notes)
        if call.exception:
            lines.append(f"Booked as an exception: {call.exception}")
        if call.over_budget:
            lines.append("Booked over the customer's weekly hours cap (B2).")
        for number, severity, status, case_title in cases:
            lines.append(f"Case #{number} [{severity}, {status}]: {case_title}")
    return EventData(
        uid=call.uid,
        sequence=call.sequence,
        start=call.starts_at,
        minutes=call.minutes,
        tz=customer.tz,
        summary=f"{customer.name}: {title.lower()}",
        description="\n".join(lines),
        cancelled=call.status in CANCELLED,
        categories=(plan.title,),
        created=call.created_at,
        modified=call.updated_at,
    )


def contacts_of(unit: Unit, customer_ids: set[int]) -> dict[int, list[ContactLine]]:
    """Each customer's contacts, in the order they were added, in one query."""
    found: dict[int, list[ContactLine]] = {}
    query = select(Contact.customer_id, Contact.name, Contact.email).order_by(Contact.id)
    for owner, name, email in unit.session.execute(query.where(Contact.customer_id.in_(customer_ids))):
        found.setdefault(owner, []).append((name, email))
    return found


def open_cases(unit: Unit) -> dict[int, list[CaseLine]]:
    """The TAM's open cases by customer, oldest first (internal notes, X2)."""
    found: dict[int, list[CaseLine]] = {}
    query = (
        select(Case.customer_id, Case.id, Case.severity, Case.status, Case.title)
        .where(Case.tam_id == unit.tam.id, Case.status != "resolved")
        .order_by(Case.id)
    )
    for owner, *case in unit.session.execute(query):
        found.setdefault(owner, []).append((case[0], case[1], case[2], case[3]))
    return found


def calendar_settings(unit: Unit) -> tuple[str, Organizer | None, int | None]:
    """The calendar's name, its ORGANIZER (the TAM, when they have an address) and the alarm's minutes."""
    from tamdesk.ical.calendar import Organizer
    from tamdesk.services.settings import DEFAULT_ALARM_MINUTES

    tam = unit.tam
    alarm = unit.session.get(Setting, "alarm_minutes")
    return (
        f"tamdesk · {tam.name}",
        Organizer(tam.name, tam.email) if tam.email else None,
        int(alarm.value) if alarm else DEFAULT_ALARM_MINUTES,
    )


# -- versions the output depends on -----------------------------------------------------


@lru_cache(maxsize=1)
def tzdata_version() -> str:
    """The IANA zone rules' version ``zoneinfo`` reads: the system's ``tzdata.zi`` first, else the tzdata package's.

    ``zoneinfo`` looks in ``TZPATH`` first and falls back to the ``tzdata``
    package, so the version is looked up in that order. Where neither says
    (a system folder without ``tzdata.zi``), the folder and its time of change.
    """
    for folder in zoneinfo.TZPATH:
        index = Path(folder) / "tzdata.zi"
        try:
            with index.open(encoding="utf-8") as file:
                first = file.readline().strip()
        except OSError:
            if Path(folder).is_dir():
                return f"{folder}@{Path(folder).stat().st_mtime_ns}"
            continue
        return first.removeprefix("# version ").strip() or first
    try:
        import tzdata

        return f"tzdata {tzdata.IANA_VERSION}"
    except ImportError:
        return "none"


@lru_cache(maxsize=1)
def library_version() -> str:
    """Which icalendar writes the pieces: its file and when it changed (reading its metadata costs 0.1 s)."""
    spec = find_spec("icalendar")
    origin = spec.origin if spec is not None and spec.origin else ""
    try:
        return f"{origin}@{Path(origin).stat().st_mtime_ns}"
    except OSError:
        return origin


def _catalogue_digest(catalogue: Catalogue) -> str:
    """The plan catalogue (titles a description shows come from it), as a digest."""
    return _digest(repr(catalogue))


def _digest(value: str) -> str:
    return hashlib.blake2b(value.encode(), digest_size=16).hexdigest()


# -- the stamp: whether a feed needs an export at all ----------------------------------------


def feed_state(unit: Unit) -> tuple[int, int]:
    """The 0007 counters: (what every feed shows, what only a feed with notes shows)."""
    row = unit.session.execute(text("SELECT revision, notes_revision FROM feed_state WHERE id = 1")).one()
    return int(row[0]), int(row[1])


def feed_stamp(unit: Unit, options: dict[str, object], first: date | None, include_notes: bool) -> str:
    """What a feed with ``options`` shows, in one line: an export is due only when it differs from the last one's.

    The counters (the notes' only when notes go out), the options and the
    first day of its window (a window of N days back moves every day), the
    TAM, the catalogue and the versions of tamdesk, the zone rules and icalendar.
    """
    shown, notes = feed_state(unit)
    parts = [
        shown, notes if include_notes else 0, options, first.isoformat() if first else None, unit.desk.tam_id,
        __version__, tzdata_version(), library_version(), _catalogue_digest(unit.catalogue),
    ]
    return json.dumps(parts, sort_keys=True, default=str)


# -- the export from pieces ---------------------------------------------------------------


def _instant(stored: str | datetime) -> datetime:
    """A datetime as ``UTCDateTime`` stores it (naive UTC: SQLite's text, PostgreSQL's timestamp), as the mapped column reads it."""
    naive = stored if isinstance(stored, datetime) else datetime.fromisoformat(stored)
    return naive.replace(tzinfo=UTC)


#: The columns a call's event is made of, datetimes as their stored text (the digest reads that).
_COLUMNS = (
    Call.id, Call.customer_id, Call.uid, Call.sequence, type_coerce(Call.starts_at, String).label("starts_at"),
    Call.minutes, Call.status, Call.kind, Call.review, Call.agenda, Call.exception, Call.over_budget,
    type_coerce(Call.created_at, String).label("created_at"), type_coerce(Call.updated_at, String).label("updated_at"),
    Customer.name, Customer.plan, Customer.tz, Customer.notes,
)
#: Where a row holds its customer's id, and the call's own values (the uid to the last change).
_CUSTOMER = 1
_SHOWN = slice(2, 14)


@dataclass
class Memo:
    """Pieces a long-lived process keeps in memory (``feed serve``), so a request after a change reads
    from the database only the events whose digest changed."""

    #: (call, with notes) -> (its customer's digest, the call's values shown, its digest, its VEVENT)
    events: dict[tuple[int, bool], tuple[str, tuple[Any, ...], str, bytes]] = field(default_factory=dict)
    pieces: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Assembled:
    """An export made from pieces, and the pieces it had to make (to store once the read is over)."""

    ical: bytes
    calls: int
    organizer: bool
    new_events: list[tuple[int, bool, str, bytes]]
    new_pieces: list[tuple[str, bytes]]


def assemble(
    unit: Unit,
    *,
    customer_id: int | None,
    first: date | None,
    last: date | None,
    include_notes: bool,
    memo: Memo | None = None,
) -> Assembled:
    """The calls from ``first`` to ``last`` (the TAM's dates) as iCalendar, from cached pieces where they hold."""
    from tamdesk.services.calls import _within  # the calls' window, as every list of calls reads it
    from tamdesk.services.settings import DEFAULT_ALARM_MINUTES

    memo = memo if memo is not None else Memo()
    # Core, not the ORM's loading: the rows are plain tuples either way, and this way costs half as much.
    rows = unit.session.connection().execute(
        _within(select(*_COLUMNS).join(Customer, Customer.id == Call.customer_id), unit, first, last, customer_id)
    ).all()
    contacts = contacts_of(unit, {row[_CUSTOMER] for row in rows})
    cases = open_cases(unit) if include_notes else {}
    tam = unit.tam
    alarm = unit.session.get(Setting, "alarm_minutes")
    alarm_minutes = int(alarm.value) if alarm else DEFAULT_ALARM_MINUTES
    versions = (__version__, tzdata_version(), library_version())
    shared = repr((tam.name, tam.email, alarm_minutes, include_notes, versions, _catalogue_digest(unit.catalogue)))
    by_customer: dict[int, str] = {}
    zones: set[str] = set()
    for row in rows:
        if row[_CUSTOMER] not in by_customer:
            zones.add(row.tz)
            notes = (row.notes, cases.get(row[_CUSTOMER], [])) if include_notes else None
            by_customer[row[_CUSTOMER]] = _digest(
                shared + repr((row.name, row.plan, row.tz, contacts.get(row[_CUSTOMER], []), notes))
            )
    bodies, digests = _cached_events(unit, memo, rows, by_customer, include_notes)
    new_events: list[tuple[int, bool, str, bytes]] = []
    organizer = None
    for index, row in enumerate(rows):
        if bodies[index] is not None:
            continue
        if not new_events:
            organizer = calendar_settings(unit)[1]
        call = CallValues(
            *row[2:4], _instant(row.starts_at), *row[5:12], _instant(row.created_at), _instant(row.updated_at)
        )
        customer = CustomerValues(row.name, row.plan, row.tz, row.notes)
        data = event_data(
            unit.catalogue, call, customer, contacts.get(row[_CUSTOMER], []), cases.get(row[_CUSTOMER], []), include_notes
        )
        body = _event_bytes(data, organizer, alarm_minutes)
        bodies[index] = body
        new_events.append((row.id, include_notes, digests[index], body))
        memo.events[(row.id, include_notes)] = (by_customer[row[_CUSTOMER]], tuple(row[_SHOWN]), digests[index], body)
    name = f"tamdesk · {tam.name}"
    first_year = _instant(rows[0].starts_at).year - 1 if rows else 1999  # by start: the first row is the earliest
    wanted = [("header", name, __version__)] + [("zone", key, first_year) for key in sorted(zones)]
    pieces, new_pieces = _pieces(unit, memo, wanted, versions)
    ical = b"".join([*pieces, *bodies, b"END:VCALENDAR\r\n"])  # type: ignore[list-item]
    return Assembled(ical, len(rows), tam.email is not None and tam.email != "", new_events, new_pieces)


def _event_bytes(data: EventData, organizer: Organizer | None, alarm_minutes: int | None) -> bytes:
    from tamdesk.ical.calendar import event_bytes

    return event_bytes(data, organizer, alarm_minutes)


def _cached_events(
    unit: Unit, memo: Memo, rows: Sequence[Any], by_customer: dict[int, str], include_notes: bool
) -> tuple[list[bytes | None], list[str]]:
    """Each event's cached bytes where what made it still holds (the memo first, then the database), else None;
    and each event's digest (empty where the memo answered: its values compared equal, no digest needed)."""
    found: list[bytes | None] = [None] * len(rows)
    digests = [""] * len(rows)
    asked: dict[int, int] = {}
    for index, row in enumerate(rows):
        shown = tuple(row[_SHOWN])
        held = memo.events.get((row[0], include_notes))
        if held is not None and held[0] == by_customer[row[_CUSTOMER]] and held[1] == shown:
            found[index] = held[3]
            continue
        digests[index] = _digest(by_customer[row[_CUSTOMER]] + repr(shown))
        asked[row[0]] = index
    ids = list(asked)
    for start in range(0, len(ids), _CHUNK):
        query = text(
            "SELECT call_id, digest, body FROM feed_events WHERE notes = :notes AND call_id IN "
            f"({', '.join(str(number) for number in ids[start : start + _CHUNK])})"  # integers read from the database
        )
        for call_id, digest, body in unit.session.connection().execute(query, {"notes": include_notes}):
            index = asked[call_id]
            if digest == digests[index]:
                row = rows[index]
                found[index] = bytes(body)
                memo.events[(call_id, include_notes)] = (by_customer[row[_CUSTOMER]], tuple(row[_SHOWN]), digest, found[index])  # type: ignore[assignment]
    return found, digests


def _pieces(
    unit: Unit, memo: Memo, wanted: list[tuple[Any, ...]], versions: tuple[str, ...]
) -> tuple[list[bytes], list[tuple[str, bytes]]]:
    """The header and the VTIMEZONEs, each cached by the digest of what makes it."""
    digests = [_digest(repr((piece, versions))) for piece in wanted]
    missing = [digest for digest in digests if digest not in memo.pieces]
    if missing:
        query = text(
            "SELECT digest, body FROM feed_pieces WHERE digest IN (" + ", ".join(f":d{i}" for i in range(len(missing))) + ")"
        )
        for digest, body in unit.session.execute(query, {f"d{i}": d for i, d in enumerate(missing)}):
            memo.pieces[digest] = bytes(body)
    made: list[tuple[str, bytes]] = []
    for piece, digest in zip(wanted, digests):
        if digest not in memo.pieces:
            memo.pieces[digest] = _piece(piece)
            made.append((digest, memo.pieces[digest]))
    return [memo.pieces[digest] for digest in digests], made


def _piece(piece: tuple[Any, ...]) -> bytes:
    from tamdesk.ical.calendar import calendar_header, vtimezone_bytes

    kind, *args = piece
    return calendar_header(*args) if kind == "header" else vtimezone_bytes(*args)


def store(desk: Desk, assembled: Assembled) -> None:
    """Keep the pieces an export made, in a short transaction of its own after the export's read.

    Never the user's change: it raises no revision and runs no hook. A
    database that is busy or read-only keeps what it had; the next export
    makes those pieces again.
    """
    if not (assembled.new_events or assembled.new_pieces) or desk.damaged is not None:
        return
    from sqlalchemy.exc import DatabaseError

    from tamdesk.store.engine import WRITE

    try:
        with desk.engine.connect().execution_options(**{WRITE: True}) as connection, connection.begin():
            if assembled.new_events:
                connection.execute(
                    text(
                        "INSERT INTO feed_events (call_id, notes, digest, body) VALUES (:call, :notes, :digest, :body) "
                        "ON CONFLICT (call_id, notes) DO UPDATE SET digest = excluded.digest, body = excluded.body"
                    ),
                    [{"call": c, "notes": n, "digest": d, "body": b} for c, n, d, b in assembled.new_events],
                )
            if assembled.new_pieces:
                connection.execute(
                    text("INSERT INTO feed_pieces (digest, body) VALUES (:digest, :body) ON CONFLICT (digest) DO NOTHING"),
                    [{"digest": d, "body": b} for d, b in assembled.new_pieces],
                )
    except DatabaseError:  # busy past the timeout, read-only, full: the cache is only ever a shortcut
        return
