"""The calls as iCalendar for the TAM's calendar apps (SPEC X1, X2), and the feed kept current.

``export_ics`` reads the calls in one snapshot and hands plain values to
``tamdesk.ical``. Internal notes (the customer's notes, a booking's exception,
the open cases) stay out unless ``include_notes`` is asked for (X2).

An *auto feed* is a file rewritten, atomically, after every change any
tamdesk process commits to the desk: ``tamdesk export ics --auto FILE`` sets it
(the ``auto_feed`` setting) and writes it once; a calendar app subscribed to
the file, or to ``tamdesk feed serve``, sees moves and cancellations in place.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from tamdesk import __version__
from tamdesk.domain.calls import CANCELLED
from tamdesk.domain.errors import BadInput
from tamdesk.files import write_atomically
from tamdesk.ical.calendar import EventData, Organizer, build_calendar
from tamdesk.services.calls import calls_query
from tamdesk.services.desk import AUTO_FEED, Desk, Unit
from tamdesk.services.settings import DEFAULT_ALARM_MINUTES
from tamdesk.store.models import Call, Case, Setting

#: What to say when the export has no ORGANIZER because the TAM has no address yet.
NO_ADDRESS = "the export has no ORGANIZER: set your address with 'tamdesk config set email you@example.com'"

log = logging.getLogger("tamdesk")


@dataclass(frozen=True)
class ExportOptions:
    """Which calls go out, and whether internal notes go with them (X2)."""

    customer: str | None = None
    first: date | None = None
    last: date | None = None
    include_notes: bool = False

    def as_dict(self) -> dict[str, object]:
        """What an auto feed keeps of the options (it always holds every date)."""
        return {"customer": self.customer, "include_notes": self.include_notes}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ExportOptions:
        customer = data.get("customer")
        return cls(customer=str(customer) if customer is not None else None, include_notes=bool(data.get("include_notes")))


@dataclass(frozen=True)
class Export:
    """An iCalendar object and what it holds."""

    ical: bytes
    calls: int
    warning: str | None  # said to the user beside the file, such as a missing address


def export_ics(desk: Desk, options: ExportOptions = ExportOptions()) -> Export:
    """The calls ``options`` choose as one iCalendar object (X1), cancelled ones included."""
    if options.first and options.last and options.last < options.first:
        raise BadInput(f"--to {options.last} is before --from {options.first}")
    return desk.read(lambda unit: _export(unit, options))


def _export(unit: Unit, options: ExportOptions) -> Export:
    customer_id = unit.customer(options.customer).id if options.customer is not None else None
    calls = list(unit.session.scalars(calls_query(unit, options.first, options.last, customer_id)))
    cases = _open_cases(unit) if options.include_notes else {}
    events = [_event_data(unit, call, cases, options.include_notes) for call in calls]
    tam = unit.tam
    organizer = Organizer(tam.name, tam.email) if tam.email else None
    alarm = unit.session.get(Setting, "alarm_minutes")
    ical = build_calendar(
        events,
        name=f"tamdesk · {tam.name}",
        organizer=organizer,
        alarm_minutes=int(alarm.value) if alarm else DEFAULT_ALARM_MINUTES,
        version=__version__,
    )
    return Export(ical, len(events), None if organizer else NO_ADDRESS)


def _open_cases(unit: Unit) -> dict[int, list[Case]]:
    found: dict[int, list[Case]] = {}
    query = select(Case).where(Case.tam_id == unit.tam.id, Case.status != "resolved").order_by(Case.id)
    for case in unit.session.scalars(query):
        found.setdefault(case.customer_id, []).append(case)
    return found


def _event_data(unit: Unit, call: Call, cases: dict[int, list[Case]], include_notes: bool) -> EventData:
    customer = call.customer
    plan = unit.catalogue.plan(customer.plan)
    title = plan.call_title(call.kind, call.review)
    lines = [f"{title} with {customer.name} ({plan.title}, {call.minutes} minutes)."]
    lines += ["", "Agenda:", call.agenda.strip() if call.agenda and call.agenda.strip() else "(none yet)"]
    lines += ["", "Contacts:"]
    lines += [f"{c.name} <{c.email}>" if c.name else c.email for c in customer.contacts] or ["(none on file)"]
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
        for case in cases.get(customer.id, []):
            lines.append(f"Case #{case.id} [{case.severity}, {case.status}]: {case.title}")
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


# -- the auto feed -------------------------------------------------------------------


def set_auto_feed(desk: Desk, path: Path | None, options: ExportOptions = ExportOptions()) -> Export | None:
    """Keep ``path`` current after every change from now on (``None``: stop); write it once now."""
    if options.first is not None or options.last is not None:
        raise BadInput("an auto feed holds every call, so calendars see the whole history; leave out --from and --to")
    if path is None:
        desk.write(lambda unit: _delete_setting(unit, AUTO_FEED))
        return None
    target = path.expanduser().resolve()
    if target.is_dir():
        raise BadInput(f"{path} is a folder; give the feed a file name such as {path / 'tamdesk.ics'}")
    export = export_to_file(desk, target, options)  # refuses an unknown customer before anything is saved
    value = json.dumps({"path": str(target), "options": options.as_dict()})
    desk.write(lambda unit: unit.session.merge(Setting(key=AUTO_FEED, value=value)))
    return export


def auto_feed(desk: Desk) -> tuple[Path, ExportOptions] | None:
    """The auto feed's file and options, if one is set."""
    setting = desk.read(lambda unit: unit.session.get(Setting, AUTO_FEED))
    return None if setting is None else _feed(setting.value)


def _feed(value: str) -> tuple[Path, ExportOptions]:
    data = json.loads(value)
    return Path(data["path"]), ExportOptions.from_dict(data["options"])


def refresh_auto_feed(desk: Desk, setting: str) -> None:
    """Rewrite the auto feed the ``auto_feed`` setting names (called after every committed change).

    The change is already saved; a feed that cannot be written is reported
    as a warning, never as a failure of the change.
    """
    path, options = _feed(setting)
    try:
        write_export(path, export_ics(desk, options).ical)
    except (OSError, BadInput) as error:
        log.warning("the change is saved, but the auto feed %s was not rewritten: %s", path, error)


def export_to_file(desk: Desk, path: Path, options: ExportOptions = ExportOptions()) -> Export:
    """Export once to ``path``, atomically (the CLI's ``-o`` and the desk's export dialog)."""
    export = export_ics(desk, options)
    write_export(path, export.ical)
    return export


def write_export(path: Path, content: bytes) -> None:
    """Write an export atomically; a file that cannot be written is bad input naming it."""
    try:
        write_atomically(path, content)
    except OSError as error:
        raise BadInput(f"cannot write {path}: {error.strerror or error}") from None


def _delete_setting(unit: Unit, key: str) -> None:
    setting = unit.session.get(Setting, key)
    if setting is not None:
        unit.session.delete(setting)
