"""The floor for ``tamdesk export ics``: the same events serialized by ``icalendar`` alone, from plain tuples.

Reads the tuples ``benchmarks`` wrote (one per call: uid, sequence, start,
minutes, zone, customer, agenda, status, plan, updated) and writes the same
properties tamdesk writes, with no database, no ORM and no VTIMEZONE work.
"""

import json
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vCalAddress


def main(path: str) -> None:
    rows = json.loads(open(path, encoding="utf-8").read())
    calendar = Calendar()
    for key, value in (("prodid", "-//bare//EN"), ("version", "2.0"), ("method", "PUBLISH"), ("name", "bare")):
        calendar.add(key, value)
    organizer = vCalAddress("mailto:alex@tamdesk.example")
    organizer.params["CN"] = "Alex Rivera"
    for uid, sequence, start, minutes, zone, customer, agenda, status, plan, updated in rows:
        tz = ZoneInfo(zone)
        begins = datetime.fromisoformat(start).replace(tzinfo=ZoneInfo("UTC"))
        stamp = datetime.fromisoformat(updated).replace(tzinfo=ZoneInfo("UTC"))
        event = Event()
        event.add("uid", uid)
        event.add("sequence", sequence)
        event.add("dtstamp", stamp)
        event.add("created", stamp)
        event.add("last-modified", stamp)
        event.add("dtstart", begins.astimezone(tz))
        event.add("dtend", (begins + timedelta(minutes=minutes)).astimezone(tz))
        event.add("summary", f"{customer}: working session")
        event.add("description", f"Working session with {customer}.\n\nAgenda:\n{agenda}\n\nContacts:\nops@example")
        event.add("status", "CANCELLED" if status.startswith("cancelled") else "CONFIRMED")
        event.add("transp", "OPAQUE")
        event.add("categories", [plan])
        event.add("organizer", organizer)
        if not status.startswith("cancelled"):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"In 15 minutes: {customer}")
            alarm.add("trigger", timedelta(minutes=-15))
            event.add_component(alarm)
        calendar.add_component(event)
    sys.stdout.buffer.write(calendar.to_ical())


if __name__ == "__main__":
    main(sys.argv[1])
