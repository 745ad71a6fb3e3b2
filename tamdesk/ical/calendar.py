"""The calls as one iCalendar object (SPEC X1), every component built with ``icalendar``.

Each call is its own VEVENT, never a recurrence: a move or a cancellation
changes that event's times or STATUS and raises its SEQUENCE, so a subscribed
calendar updates it in place. ``METHOD:PUBLISH`` forbids ATTENDEE (RFC 5546),
so the customer's contacts are named in the description instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vCalAddress

from tamdesk.ical.vtimezone import vtimezone

#: How often subscribed calendars are asked to poll (REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH = timedelta(minutes=15)


@dataclass(frozen=True)
class EventData:
    """One call as a calendar event: plain values, ready to write."""

    uid: str
    sequence: int
    start: datetime  # aware, UTC or any zone
    minutes: int
    tz: str  # the IANA contract zone DTSTART and DTEND are written in
    summary: str
    description: str
    cancelled: bool
    categories: tuple[str, ...]
    created: datetime
    modified: datetime


@dataclass(frozen=True)
class Organizer:
    name: str
    email: str


def build_calendar(
    events: list[EventData],
    *,
    name: str,
    organizer: Organizer | None,
    alarm_minutes: int | None,
    version: str,
) -> bytes:
    """The whole iCalendar object: calendar properties, one VTIMEZONE per zone used, one VEVENT per call.

    The reference the feed's cache is held to (``services.feed_cache``): its
    parts below, joined, are these bytes exactly.
    """
    calendar = _calendar(name, version)
    zones = sorted({event.tz for event in events})
    first_year = zones_from_year([event.start.year for event in events])
    for key in zones:
        calendar.add_component(vtimezone(key, first_year))
    for event in events:
        calendar.add_component(_event(event, organizer, alarm_minutes))
    return calendar.to_ical()


# -- the same object in parts: icalendar writes a component's lines one after another, each folded on
# its own, so the header, each VTIMEZONE and each VEVENT serialized alone join into ``build_calendar``'s bytes.

#: The calendar's last line.
FOOTER = b"END:VCALENDAR\r\n"


def zones_from_year(years: list[int]) -> int:
    """The year the VTIMEZONEs start from: the year before the first event's (UTC), 1999 with no events."""
    return min(years, default=2000) - 1


def calendar_header(name: str, version: str) -> bytes:
    """``BEGIN:VCALENDAR`` and the calendar's properties: every line before its first component."""
    whole = _calendar(name, version).to_ical()
    assert whole.endswith(FOOTER)
    return whole[: -len(FOOTER)]


def vtimezone_bytes(key: str, first_year: int) -> bytes:
    """The VTIMEZONE of ``key`` from ``first_year`` on, as it stands in the calendar."""
    return vtimezone(key, first_year).to_ical()


def event_bytes(data: EventData, organizer: Organizer | None, alarm_minutes: int | None) -> bytes:
    """One call's VEVENT, as it stands in the calendar."""
    return _event(data, organizer, alarm_minutes).to_ical()


def _calendar(name: str, version: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//tamdesk//tamdesk {version}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT15M")
    return calendar


def _in_zone(instant: datetime, tz: ZoneInfo) -> datetime:
    """``instant`` on the zone's wall clock, or in UTC for the hour that clock shows twice.

    On the night the clocks go back, 01:30 happens twice. RFC 5545 reads such
    a time as the first occurrence, but clients differ (khal takes the second),
    and the second cannot be written at all; so in that hour the time is
    written in UTC, where it is exact for every client (DTSTART and DTEND may
    be in different zones).
    """
    local = instant.astimezone(tz)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return instant.astimezone(UTC)
    return local


def _event(data: EventData, organizer: Organizer | None, alarm_minutes: int | None) -> Event:
    tz = ZoneInfo(data.tz)
    event = Event()
    event.add("uid", data.uid)
    event.add("sequence", data.sequence)
    event.add("dtstamp", data.modified.astimezone(UTC))
    event.add("created", data.created.astimezone(UTC))
    event.add("last-modified", data.modified.astimezone(UTC))
    event.add("dtstart", _in_zone(data.start, tz))
    event.add("dtend", _in_zone(data.start + timedelta(minutes=data.minutes), tz))
    event.add("summary", " ".join(data.summary.split()))  # one line, whatever the name held
    event.add("description", data.description)
    event.add("status", "CANCELLED" if data.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if data.cancelled else "OPAQUE")
    if data.categories:
        event.add("categories", list(data.categories))
    if organizer is not None:
        address = vCalAddress(f"mailto:{organizer.email}")
        address.params["CN"] = organizer.name
        event.add("organizer", address)
    if alarm_minutes and not data.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"In {alarm_minutes} minutes: {event['summary']}")
        alarm.add("trigger", timedelta(minutes=-alarm_minutes))
        event.add_component(alarm)
    return event
