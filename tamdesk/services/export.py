"""The calls as iCalendar for the TAM's calendar apps (SPEC X1, X2), and the feed kept current.

``export_ics`` reads the calls in one snapshot and hands plain values to
``tamdesk.ical``. Internal notes (the customer's notes, a booking's exception,
the open cases) stay out unless ``include_notes`` is asked for (X2).

An *auto feed* is a file rewritten, atomically, after every change any
tamdesk process commits to the desk: ``tamdesk export ics --auto FILE`` sets it
(the ``auto_feed`` setting) and writes it once; a calendar app subscribed to
the file, or to ``tamdesk feed serve``, sees moves and cancellations in place.
Whoever opens the desk (the CLI, the TUI) registers ``refresh_auto_feed`` as one
of the desk's after-commit hooks with ``keep_auto_feed``. An export is made from
each call's cached VEVENT (``services.feed_cache``), so its cost follows what
changed; a change to nothing a feed shows costs the hook two counters read.
A feed may hold a window (``since`` or ``days_back``) for calendar apps that
choke on years of history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from tamdesk import __version__
from tamdesk.domain.errors import BadInput
from tamdesk.files import derived_side_file, exclusive_lock, write_atomically, write_derived
from tamdesk.services.desk import Desk, Unit, revision_in, setting_in
from tamdesk.store.engine import sqlite_file

if TYPE_CHECKING:
    from tamdesk.services.feed_cache import Assembled, Memo

#: The setting naming the auto feed file and its options.
AUTO_FEED = "auto_feed"

#: What to say when the export has no ORGANIZER because the TAM has no address yet.
NO_ADDRESS = "the export has no ORGANIZER: set your address with 'tamdesk config set email you@example.com'"


@dataclass(frozen=True)
class ExportOptions:
    """Which calls go out, and whether internal notes go with them (X2).

    ``since`` or ``days_back`` is a feed's window (an auto feed's, or ``feed
    serve``'s): the calls from that day on, for calendar apps that choke on
    years of history; ``days_back`` moves with the days.
    """

    customer: str | None = None
    first: date | None = None
    last: date | None = None
    include_notes: bool = False
    since: date | None = None
    days_back: int | None = None

    def as_dict(self) -> dict[str, object]:
        """What an auto feed keeps of the options (its window, never a fixed range)."""
        return {
            "customer": self.customer,
            "include_notes": self.include_notes,
            "since": self.since.isoformat() if self.since else None,
            "days_back": self.days_back,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ExportOptions:
        customer, since, days_back = data.get("customer"), data.get("since"), data.get("days_back")
        return cls(
            customer=str(customer) if customer is not None else None,
            include_notes=bool(data.get("include_notes")),
            since=date.fromisoformat(str(since)) if since else None,
            days_back=int(str(days_back)) if days_back is not None else None,
        )

    def first_day(self, today: date) -> date | None:
        """The first day whose calls go out: the later of ``first`` and the window's start."""
        window = self.since if self.since is not None else (
            today - timedelta(days=self.days_back) if self.days_back is not None else None
        )
        days = [day for day in (self.first, window) if day is not None]
        return max(days) if days else None


@dataclass(frozen=True)
class Export:
    """An iCalendar object and what it holds."""

    ical: bytes
    calls: int
    warning: str | None  # said to the user beside the file, such as a missing address
    revision: int = 0  # the desk's data version the export shows
    stamp: str = ""  # what it shows, in one line (``feed_cache.feed_stamp``): equal stamps, equal bytes


def export_ics(desk: Desk, options: ExportOptions = ExportOptions(), memo: Memo | None = None) -> Export:
    """The calls ``options`` choose as one iCalendar object (X1), cancelled ones included.

    Made from the feed's cache (``services.feed_cache``): only the calls that
    changed since the last export are serialized; then the pieces it made are
    kept, in a transaction of their own. ``memo`` keeps pieces in memory too
    (``feed serve``).
    """
    from tamdesk.services.feed_cache import assemble, feed_stamp, store

    _check_range(options)

    def work(unit: Unit) -> tuple[Assembled, Export]:
        first = options.first_day(unit.today)
        customer_id = unit.customer(options.customer).id if options.customer is not None else None
        made = assemble(
            unit, customer_id=customer_id, first=first, last=options.last, include_notes=options.include_notes, memo=memo
        )
        stamp = feed_stamp(unit, options.as_dict(), first, options.include_notes)
        return made, Export(made.ical, made.calls, None if made.organizer else NO_ADDRESS, revision_in(unit), stamp)

    made, export = desk.read(work)
    store(desk, made)
    return export


def export_from_scratch(desk: Desk, options: ExportOptions = ExportOptions()) -> Export:
    """The same export built whole by ``build_calendar``, with no cache: the reference ``export_ics`` is held to."""
    _check_range(options)
    return desk.read(lambda unit: _export(unit, options))


def _check_range(options: ExportOptions) -> None:
    if options.first and options.last and options.last < options.first:
        raise BadInput(f"--to {options.last} is before --from {options.first}")
    if options.days_back is not None and options.days_back < 0:
        raise BadInput(f"--days-back must be 0 or more, not {options.days_back}")


def _export(unit: Unit, options: ExportOptions) -> Export:
    # icalendar costs ~0.15 s to import: every command that changes the desk imports
    # this module for its after-commit hook, and only one that exports pays for it.
    from tamdesk.ical.calendar import build_calendar
    from tamdesk.services.calls import calls_query  # the booking rules' module: only an export needs it
    from tamdesk.services.feed_cache import calendar_settings, event_data, open_cases

    customer_id = unit.customer(options.customer).id if options.customer is not None else None
    calls = list(unit.session.scalars(calls_query(unit, options.first_day(unit.today), options.last, customer_id)))
    cases = open_cases(unit) if options.include_notes else {}
    events = [
        event_data(
            unit.catalogue, call, call.customer, [(c.name, c.email) for c in call.customer.contacts],
            cases.get(call.customer_id, []), options.include_notes,
        )
        for call in calls
    ]
    name, organizer, alarm_minutes = calendar_settings(unit)
    ical = build_calendar(events, name=name, organizer=organizer, alarm_minutes=alarm_minutes, version=__version__)
    return Export(ical, len(events), None if organizer else NO_ADDRESS, revision_in(unit))


# -- the auto feed -------------------------------------------------------------------


def set_auto_feed(desk: Desk, path: Path | None, options: ExportOptions = ExportOptions()) -> Export | None:
    """Keep ``path`` current after every change from now on (``None``: stop); write it once now."""
    if options.first is not None or options.last is not None:
        raise BadInput(
            "an auto feed holds every call, or a window with --since or --days-back; leave out --from and --to"
        )
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
    from tamdesk.store.models import Setting  # here: every command reads the feed's setting, few change it

    desk.write(lambda unit: unit.session.merge(Setting(key=AUTO_FEED, value=value)))
    return export


def auto_feed(desk: Desk) -> tuple[Path, ExportOptions] | None:
    """The auto feed's file and options, if one is set."""
    value = desk.read(lambda unit: setting_in(unit, AUTO_FEED))
    return None if value is None else _feed(value)


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
        if feed is not None and (not feed[0].is_file() or stamped_revision(feed[0]) < desk.revision()):
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
    shows is stamped beside it, and so is what it shows (``feed_stamp``): a
    change to nothing the feed shows (a time entry) finds the same stamp and
    only stamps the new revision, without reading a call.
    """
    feed = auto_feed(desk)
    if feed is None:
        return
    path, options = feed
    try:
        with exclusive_lock(derived_side_file(path, "lock")):
            revision, stamp = desk.read(lambda unit: (revision_in(unit), _stamp(unit, options)))
            if path.is_file():  # a feed deleted, or a folder in its place, is written (or said to fail) again
                if stamped_revision(path) >= revision:
                    return  # another process already wrote this state, or a newer one
                if _stamped_inputs(path) == stamp:  # the same calls, the same bytes: only the revision moved
                    write_atomically(derived_side_file(path, "revision"), str(revision).encode())
                    return
            export = export_ics(desk, options)
            write_export(desk, path, export.ical, options)
            write_atomically(derived_side_file(path, "revision"), str(export.revision).encode())
            write_atomically(derived_side_file(path, "inputs"), export.stamp.encode())
    except Exception as error:
        raise FeedNotWritten(
            f"the auto feed {path} was not rewritten ({error}); the next change tries again"
        ) from error


def feed_stamp_of(desk: Desk, options: ExportOptions) -> str:
    """What a feed with ``options`` shows now, in one line (``feed serve`` compares it before exporting)."""
    return desk.read(lambda unit: _stamp(unit, options))


def _stamp(unit: Unit, options: ExportOptions) -> str:
    from tamdesk.services.feed_cache import feed_stamp

    return feed_stamp(unit, options.as_dict(), options.first_day(unit.today), options.include_notes)


def _stamped_inputs(path: Path) -> str | None:
    """What the feed at ``path`` was written from (``feed_stamp``); None when unknown."""
    try:
        return derived_side_file(path, "inputs").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None


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
    from tamdesk.store.models import Setting

    setting = unit.session.get(Setting, key)
    if setting is not None:
        unit.session.delete(setting)
