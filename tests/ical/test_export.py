"""The export read back with icalendar and compared with the database (X1, X2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tamdesk.services.calls import list_calls
from tamdesk.services.export import NO_ADDRESS, ExportOptions, export_ics
from tamdesk.services.settings import set_setting
from tests.ical.conftest import AWKWARD, AWKWARD_AGENDA, events_by_uid, parse


def test_every_event_matches_its_call_in_the_database(desk, booked):
    calendar = parse(export_ics(desk).ical)
    events = events_by_uid(calendar)
    calls = list_calls(desk)
    # Every call the fixture books is a plain working session (no --review): "customer: working session".
    summaries = {
        booked.madrid_dst.uid: "Madrid Co: working session",
        booked.new_york_night.uid: "NY Inc: working session",
        booked.moved.uid: "NY Inc: working session",
        booked.cancelled.uid: "Madrid Co: working session",
        booked.awkward.uid: f"{AWKWARD}: working session",
        booked.sydney.uid: "Sydney Pty: working session",
        booked.kolkata.uid: "Pune Ltd: working session",
        booked.sao_paulo.uid: "Paulista SA: working session",
    }
    assert sorted(events) == sorted(c.uid for c in calls)
    for call in calls:
        event = events[call.uid]
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        # The same instants (in UTC: PEP 495 never calls an ambiguous local time equal to another zone's).
        assert start.astimezone(UTC) == call.start and end.astimezone(UTC) == call.end
        if call.uid != booked.new_york_night.uid:  # (that one is in UTC: see the test of the night below)
            assert event["dtstart"].params["TZID"] == call.tz  # written in the contract zone
        assert int(event["sequence"]) == call.sequence
        assert str(event["status"]) == ("CANCELLED" if call.status.startswith("cancelled") else "CONFIRMED")
        assert str(event["summary"]) == summaries[call.uid]
        assert (call.agenda or "") in str(event["description"])
        for contact in call.contacts:
            assert contact in str(event["description"])
        assert event.decoded("dtstamp").tzinfo is not None and event.decoded("dtstamp").utcoffset() == timedelta(0)
        assert "ATTENDEE" not in event  # forbidden under METHOD:PUBLISH (RFC 5546)


def test_calendar_level_properties(desk, booked):
    raw = export_ics(desk).ical
    calendar = parse(raw)
    assert str(calendar["method"]) == "PUBLISH" and str(calendar["version"]) == "2.0"
    assert str(calendar["x-wr-calname"]) == str(calendar["name"]) == "tamdesk · Alex Rivera"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT15M\r\n" in raw
    assert b"X-PUBLISHED-TTL:PT15M\r\n" in raw
    assert str(calendar["prodid"]).startswith("-//tamdesk//")


def test_a_moved_call_keeps_its_uid_and_raises_its_sequence(desk, booked):
    event = events_by_uid(parse(export_ics(desk).ical))[booked.moved.uid]
    assert int(event["sequence"]) == 1
    assert event.decoded("dtstart") == datetime(2026, 11, 25, 14, tzinfo=ZoneInfo("America/New_York"))
    assert str(event["status"]) == "CONFIRMED" and "VALARM" in [c.name for c in event.subcomponents]


def test_a_cancelled_call_stays_in_the_export_as_cancelled(desk, booked):
    event = events_by_uid(parse(export_ics(desk).ical))[booked.cancelled.uid]
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1
    assert str(event["transp"]) == "TRANSPARENT" and not event.subcomponents  # no reminder for it
    assert "Cancelled by the TAM." in str(event["description"])


def test_a_call_after_a_dst_change_keeps_its_wall_clock(desk, booked):
    event = events_by_uid(parse(export_ics(desk).ical))[booked.madrid_dst.uid]
    assert event["dtstart"].to_ical() == b"20270329T100000" and event["dtstart"].params["TZID"] == "Europe/Madrid"
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2027, 3, 29, 8, tzinfo=UTC)  # CEST, +02:00


def test_a_call_across_the_night_the_clocks_go_back_keeps_its_hour(desk, booked):
    raw = export_ics(desk).ical
    event = events_by_uid(parse(raw))[booked.new_york_night.uid]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # the first 01:30 (EDT)
    assert end.astimezone(UTC) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # the second 01:30 (EST)
    assert end - start == timedelta(hours=1)
    # Both 01:30s are written in UTC: the second cannot be written on the wall clock, and
    # clients read the first differently (RFC 5545 says the first occurrence, khal takes the second).
    assert b"DTSTART:20261101T053000Z" in raw and b"DTEND:20261101T063000Z" in raw


def test_awkward_text_survives_the_trip(desk, booked):
    raw = export_ics(desk).ical
    event = events_by_uid(parse(raw))[booked.awkward.uid]
    assert str(event["summary"]) == f"{AWKWARD}: working session"
    assert AWKWARD_AGENDA in str(event["description"])
    unfolded = raw.replace(b"\r\n ", b"")
    [summary_line] = [line for line in unfolded.split(b"\r\n") if line.startswith(b"SUMMARY:") and "Ñandú".encode() in line]
    assert b"\\," in summary_line and b"\\;" in summary_line and b"\\\\" in summary_line


def test_a_newline_in_a_name_becomes_a_space_in_the_summary(desk, customer):
    from tamdesk.ical.calendar import EventData, build_calendar

    moment = datetime(2026, 11, 24, 9, tzinfo=UTC)
    data = EventData("u-1", 0, moment, 60, "UTC", "Two\nlines, one; summary", "d", False, (), moment, moment)
    raw = build_calendar([data], name="n", organizer=None, alarm_minutes=None, version="0")
    assert b"SUMMARY:Two lines\\, one\\; summary\r\n" in raw


def test_every_zone_used_has_one_vtimezone_with_yearly_rules_and_no_rdate(desk, booked):
    raw = export_ics(desk).ical
    calendar = parse(raw)
    zones = [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")]
    used = {str(e["dtstart"].params.get("TZID", "UTC")) for e in calendar.walk("VEVENT")} - {"UTC"}
    assert sorted(zones) == sorted(used) == sorted(
        {"Europe/Madrid", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo"}
    )
    assert b"RDATE" not in raw
    by_zone = {str(z["tzid"]): z for z in calendar.walk("VTIMEZONE")}
    rules = {
        str(z["tzid"]): sorted((o.name, o["rrule"].to_ical().decode()) for o in z.subcomponents if "rrule" in o)
        for z in by_zone.values()
    }
    assert rules["America/New_York"] == [
        ("DAYLIGHT", "FREQ=YEARLY;BYDAY=2SU;BYMONTH=3"),
        ("STANDARD", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"),
    ]
    assert rules["Australia/Sydney"] == [  # southern hemisphere: daylight from October
        ("DAYLIGHT", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=10"),
        ("STANDARD", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=4"),
    ]
    assert rules["Asia/Kolkata"] == []  # one fixed observance
    assert [o["tzoffsetto"].to_ical() for o in by_zone["Asia/Kolkata"].subcomponents] == ["+0530"]


def test_organizer_comes_from_the_settings_and_a_missing_address_is_named(desk, booked):
    event = next(iter(parse(export_ics(desk).ical).walk("VEVENT")))
    assert str(event["organizer"]) == "mailto:alex@tamdesk.example"
    assert event["organizer"].params["CN"] == "Alex Rivera"
    desk.write(lambda unit: setattr(unit.tam, "email", None))
    export = export_ics(desk)
    assert export.warning == NO_ADDRESS and "tamdesk config set email" in NO_ADDRESS
    assert all("organizer" not in e for e in parse(export.ical).walk("VEVENT"))


def test_the_reminder_follows_the_alarm_setting(desk, booked):
    set_setting(desk, "alarm_minutes", "30")
    event = events_by_uid(parse(export_ics(desk).ical))[booked.sydney.uid]
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(minutes=-30) and str(alarm["action"]) == "DISPLAY"


def test_internal_notes_stay_out_unless_asked_for(desk, booked):
    from tamdesk.services.cases import open_case

    desk.write(lambda unit: setattr(unit.customer("NY Inc"), "notes", "Renewal at risk: keep it quiet"))
    open_case(desk, "NY Inc", "Database failover keeps flapping", "high")
    plain = export_ics(desk).ical.replace(b"\r\n ", b"").decode()
    assert "Renewal at risk" not in plain and "failover" not in plain and "exception" not in plain
    with_notes = export_ics(desk, ExportOptions(include_notes=True)).ical.replace(b"\r\n ", b"").decode()
    assert "Renewal at risk: keep it quiet" in with_notes and "Database failover keeps flapping" in with_notes
    assert "Booked as an exception" in with_notes  # the out-of-hours night call kept its T4 exception


def test_customer_and_date_filters(desk, booked):
    only = parse(export_ics(desk, ExportOptions(customer="ny inc")).ical)
    assert {str(e["summary"]).split(":")[0] for e in only.walk("VEVENT")} == {"NY Inc"}
    from datetime import date

    window = parse(export_ics(desk, ExportOptions(first=date(2026, 11, 24), last=date(2026, 11, 25))).ical)
    # The window is 24-25 Nov in the TAM's Madrid. Sydney's Tue 10:00 (UTC+11) is Tue 00:00 in
    # Madrid, its first instant; Sao Paulo's Tue 10:00 is 14:00; Pune's Wed 10:00 is 05:30; the
    # moved NY call, Wed 14:00, is 20:00. Madrid Co's 26 Nov and March calls, the awkward 27 Nov
    # one and the 1 Nov night call fall outside.
    wanted = {booked.sydney.uid, booked.sao_paulo.uid, booked.kolkata.uid, booked.moved.uid}
    assert set(events_by_uid(window)) == wanted


def test_an_empty_export_is_still_a_calendar(desk):
    raw = export_ics(desk).ical
    calendar = Calendar.from_ical(raw)
    assert calendar.name == "VCALENDAR" and not calendar.walk("VEVENT") and str(calendar["method"]) == "PUBLISH"
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")


def test_the_same_desk_exports_the_same_bytes(desk, booked):
    assert export_ics(desk).ical == export_ics(desk).ical  # so a feed's ETag only changes with the calls
