"""Offset changes read from the IANA database, grouped into yearly rules (X1)."""

from datetime import UTC, datetime

from tamdesk.ical.vtimezone import vtimezone, zone_changes


def test_the_shortest_offset_since_1970_is_found():
    """Noronha kept daylight time for one week of October 2000; a coarser scan would miss it."""
    days = [c.at.date().isoformat() for c in zone_changes("America/Noronha") if c.at.year == 2000]
    assert days[-2:] == ["2000-10-08", "2000-10-15"]


def test_a_zone_that_stopped_daylight_saving_keeps_its_last_rule_closed():
    component = vtimezone("America/Sao_Paulo", 2025)
    [observance] = component.subcomponents  # the standard time in force since February 2019
    assert observance.name == "STANDARD" and observance["tzoffsetto"].to_ical() == "-0300"
    until = observance["rrule"]["until"]
    assert (until[0] if isinstance(until, list) else until) == datetime(2019, 2, 17, 2, tzinfo=UTC)


def test_a_rule_still_in_force_is_open_ended():
    component = vtimezone("Europe/Madrid", 2025)
    assert all("UNTIL" not in o["rrule"] for o in component.subcomponents)
    assert sorted(o["rrule"].to_ical().decode() for o in component.subcomponents) == [
        "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
    ]
