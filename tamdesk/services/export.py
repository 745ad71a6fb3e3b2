"""The calls as iCalendar for the TAM's calendar apps (SPEC X1, X2), and the feed kept current.

``export_ics`` reads the calls in one snapshot and hands plain values to
``tamdesk.ical``. Internal notes (the customer's notes, a booking's exception,
the open cases) stay out unless ``include_notes`` is asked for (X2).

An *auto feed* is a file rewritten, atomically, after every change any
tamdesk process commits to the desk: ``tamdesk export ics --auto FILE`` sets it
(the ``auto_feed`` setting) and writes it once; a calendar app subscribed to
the file, or to ``tamdesk feed serve``, sees moves and cancellations in place.
Whoever opens the desk (the CLI, the TUI) registers ``refresh_auto_feed`` as one
of the desk's after-commit hooks with ``keep_auto_feed``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from tamdesk import __version__
from tamdesk.domain.calls import CANCELLED
from tamdesk.domain.errors import BadInput
from tamdesk.files import derived_side_file, exclusive_lock, write_atomically, write_derived
from tamdesk.services.desk import Desk, Unit, revision_in
from tamdesk.services.settings import DEFAULT_ALARM_MINUTES
from tamdesk.store.engine import sqlite_file
from tamdesk.store.models import Call, Case, Setting

if TYPE_CHECKING:
    from tamdesk.ical.calendar import EventData

#: The setting naming the auto feed file and its options.
AUTO_FEED = "auto_feed"

#: What to say when the export has no ORGANIZER because the TAM has no address yet.
NO_ADDRESS = "the export has no ORGANIZER: set your address with 'tamdesk config set email you@example.com'"



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
    revision: int = 0  # the desk's data version the export shows


def export_ics(desk: Desk, options: ExportOptions = ExportOptions()) -> Export:
    """The calls ``options`` choose as one iCalendar object (X1), cancelled ones included."""
    if options.first and options.last and options.last < options.first:
        raise BadInput(f"--to {options.last} is before --from {options.first}")
    return desk.read(lambda unit: _export(unit, options))


def _export(unit: Unit, options: ExportOptions) -> Export:
    # icalendar costs ~0.15 s to import: every command that changes the desk imports
    # this module for its after-commit hook, and only one that exports pays for it.
    from tamdesk.ical.calendar import Organizer, build_calendar
    from tamdesk.services.calls import calls_query  # the booking rules' module: only an export needs it

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
    return Export(ical, len(events), None if organizer else NO_ADDRESS, revision_in(unit))


def _open_cases(unit: Unit) -> dict[int, list[Case]]:
    found: dict[int, list[Case]] = {}
    query = select(Case).where(Case.tam_id == unit.tam.id, Case.status != "resolved").order_by(Case.id)
    for case in unit.session.scalars(query):
        found.setdefault(case.customer_id, []).append(case)
    return found


def _event_data(unit: Unit, call: Call, cases: dict[int, list[Case]], include_notes: bool) -> EventData:
    from tamdesk.ical.calendar import EventData  # already imported by ``_export``

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
    try:
        target = path.expanduser().resolve()
        folder = target.is_dir()
    except (OSError, RuntimeError) as error:  # a name too long, a loop of links
        raise BadInput(f"cannot use {path} for the feed: {getattr(error, 'strerror', None) or error}") from None
    if folder:
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


def keep_auto_feed(desk: Desk, *, catch_up: bool = True) -> None:
    """Keep the auto feed, if the TAM sets one, current after every change ``desk`` commits (X1).

    With ``catch_up``, a feed older than the desk (its writer was killed after
    the commit, or could not write it) is written again now.
    """
    desk.add_after_commit(refresh_auto_feed)
    if catch_up:
        feed = auto_feed(desk)
        if feed is not None and (not feed[0].exists() or stamped_revision(feed[0]) < desk.revision()):
            try:
                refresh_auto_feed(desk)
            except FeedNotWritten as error:
                desk.warn(str(error))


class FeedNotWritten(Exception):
    """The auto feed could not be rewritten; the change before it is saved, and the next one tries again."""


def refresh_auto_feed(desk: Desk) -> None:
    """Rewrite the auto feed, if one is set: the after-commit hook ``keep_auto_feed`` registers.

    Writers take turns on the feed's lock file and each reads the desk once it
    holds the lock, so the feed never goes back to an older state; a writer
    that finds a feed as new as what it read leaves it. The revision the feed
    shows is stamped beside it.
    """
    feed = auto_feed(desk)
    if feed is None:
        return
    path, options = feed
    try:
        with exclusive_lock(derived_side_file(path, "lock")):
            export = export_ics(desk, options)
            if path.exists() and stamped_revision(path) >= export.revision:
                return  # another process already wrote this state, or a newer one
            write_export(desk, path, export.ical, options)
            write_atomically(derived_side_file(path, "revision"), str(export.revision).encode())
    except Exception as error:
        raise FeedNotWritten(
            f"the auto feed {path} was not rewritten ({error}); the next change tries again"
        ) from error


def stamped_revision(path: Path) -> int:
    """The desk revision the feed at ``path`` shows; -1 when unknown (a feed from before stamps)."""
    try:
        return int(derived_side_file(path, "revision").read_text())
    except (OSError, ValueError):
        return -1


def export_to_file(desk: Desk, path: Path, options: ExportOptions = ExportOptions()) -> Export:
    """Export once to ``path``, atomically (the CLI's ``-o`` and the desk's export dialog)."""
    export = export_ics(desk, options)
    write_export(desk, path, export.ical, options)
    return export


def write_export(desk: Desk, path: Path, content: bytes, options: ExportOptions) -> None:
    """Write an export atomically, never over the desk's database; notes make a new file private (X2)."""
    database = sqlite_file(desk.url)
    write_derived(path, content, private=options.include_notes, protected=[Path(database)] if database else [])


def _delete_setting(unit: Unit, key: str) -> None:
    setting = unit.session.get(Setting, key)
    if setting is not None:
        unit.session.delete(setting)
