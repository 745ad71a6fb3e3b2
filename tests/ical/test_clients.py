"""Real readers of the export: vobject (Radicale's parser), khal, and a Radicale CalDAV server (X1)."""

from __future__ import annotations

import subprocess
import sys
import threading
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from wsgiref.simple_server import make_server
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar, Event

from tamdesk.services.calls import list_calls, move_call
from tamdesk.services.export import export_ics

ZONES = ("America/New_York", "Europe/Madrid", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo")


def every_hour(first: int, last: int) -> list[datetime]:
    """Every UTC hour from the start of ``first`` to the end of ``last``."""
    hour, end, hours = datetime(first, 1, 1, tzinfo=UTC), datetime(last + 1, 1, 1, tzinfo=UTC), []
    while hour < end:
        hours.append(hour)
        hour += timedelta(hours=1)
    return hours


#: Every this many hours, a sampled hour: prime, so the samples walk through every hour of the day.
STRIDE = 97


def sampled_hours(key: str, first: int, last: int) -> list[datetime]:
    """A fixed subset of ``every_hour`` that still catches a wrong VTIMEZONE.

    A rule on the wrong day or hour is wrong next to one of zoneinfo's own changes: a
    change written early is wrong in the hour just before the real one, a late one
    in the hour of the real one, so the two hours either side of each change are
    taken. An offset wrong for longer (a rule that should have ended, a wrong
    standard offset) is wrong for days, and an hour every ``STRIDE`` (four days)
    finds it. The same hours every run: no randomness to make a failure come and go.
    """
    zone, hour = ZoneInfo(key), timedelta(hours=1)
    start, end = datetime(first, 1, 1, tzinfo=UTC), datetime(last + 1, 1, 1, tzinfo=UTC)
    picked = {start + n * STRIDE * hour for n in range(int((end - start) / hour) // STRIDE + 1)}
    day = start
    while day < end:  # zoneinfo's changes, found a day at a time (no zone changes twice in a day)
        change = day
        if day.astimezone(zone).utcoffset() != (day + 24 * hour).astimezone(zone).utcoffset():
            while change.astimezone(zone).utcoffset() == day.astimezone(zone).utcoffset():
                change += hour
            picked.update(change + n * hour for n in range(-2, 3))
        day += 24 * hour
    return sorted(t for t in picked if start <= t < end)


def _mismatched_hours(raw: bytes, hours_of) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """For each VTIMEZONE as vobject reads it: how many of ``hours_of(zone)`` have another offset than zoneinfo's."""
    calendar = vobject.readOne(raw.decode())
    found = {}
    for component in calendar.vtimezone_list:
        key = component.tzid.value
        theirs, ours = component.gettzinfo(), ZoneInfo(key)
        found[key] = sum(hour.astimezone(theirs).utcoffset() != hour.astimezone(ours).utcoffset() for hour in hours_of(key))
    return found


def test_vobject_reads_every_zone_at_zoneinfo_s_offset_on_sampled_hours_2025_to_2031(desk, booked):
    hours_of = lambda key: sampled_hours(key, 2025, 2031)  # noqa: E731
    assert _mismatched_hours(export_ics(desk).ical, hours_of) == dict.fromkeys(sorted(ZONES), 0)


@pytest.mark.slow
def test_vobject_reads_every_zone_at_zoneinfo_s_offset_every_hour_2025_to_2031(desk, booked):
    hours = every_hour(2025, 2031)
    assert _mismatched_hours(export_ics(desk).ical, lambda key: hours) == dict.fromkeys(sorted(ZONES), 0)


def test_the_same_check_catches_icalendar_s_own_rdate_vtimezones():
    """The shape the issue forbids: vobject reads one RDATE and is an hour off from then on.

    The sampled hours catch it as every hour does: about half of 2026 is off (summer
    time read as winter time), so well over a tenth of either set of hours is.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//test//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", "x")
    event.add("dtstamp", datetime(2026, 1, 1, tzinfo=UTC))
    event.add("dtstart", datetime(2026, 11, 24, 9, tzinfo=ZoneInfo("Europe/Madrid")))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    assert b"RDATE" in calendar.to_ical()
    hours = every_hour(2025, 2026)
    assert _mismatched_hours(calendar.to_ical(), lambda key: hours)["Europe/Madrid"] > 1000
    sampled = sampled_hours("Europe/Madrid", 2025, 2026)
    assert _mismatched_hours(calendar.to_ical(), lambda key: sampled)["Europe/Madrid"] > len(sampled) / 10


# -- khal -------------------------------------------------------------------------


def _khal(tmp_path: Path) -> list[str]:
    vdir = tmp_path / "vdir"
    vdir.mkdir(exist_ok=True)
    config = tmp_path / "khal.conf"
    config.write_text(
        f"""[calendars]
[[tamdesk]]
path = {vdir}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Europe/Madrid
default_timezone = Europe/Madrid
[sqlite]
path = {tmp_path / 'khal.db'}
""",
        "utf-8",
    )
    khal = Path(sys.executable).with_name("khal")
    return [str(khal), "-c", str(config)]


def _run(command: list[str], **kwargs) -> str:  # type: ignore[no-untyped-def]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, **kwargs)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _khal_list(khal: list[str]) -> list[str]:
    out = _run([*khal, "list", "2026-10-01", "2027-04-30", "--format", "{start} {end} {title} {cancelled}", "--day-format", ""])
    return [line.strip() for line in out.splitlines() if line.strip()]


@pytest.mark.slow  # khal runs as processes of its own: seconds
def test_khal_imports_the_export_and_lists_each_call_at_its_local_time(desk, booked, tmp_path):
    export = tmp_path / "tamdesk.ics"
    export.write_bytes(export_ics(desk).ical)
    khal = _khal(tmp_path)
    _run([*khal, "import", "--batch", str(export)])
    lines = _khal_list(khal)
    madrid = ZoneInfo("Europe/Madrid")
    calls = list_calls(desk)
    assert len(lines) == len(calls)
    for call in calls:
        start, end = call.start.astimezone(madrid), call.end.astimezone(madrid)
        expected = f"{start:%Y-%m-%d %H:%M} {end:%Y-%m-%d %H:%M} {call.customer}: {call.title.lower()}"
        if call.status.startswith("cancelled"):
            expected += " CANCELLED"
        assert expected in lines, f"{expected!r} not in khal's list {lines}"


@pytest.mark.slow  # khal runs as processes of its own: seconds
def test_khal_shows_a_moved_call_once_at_its_new_time_after_a_second_import(desk, at, booked, tmp_path):
    khal = _khal(tmp_path)
    first = tmp_path / "first.ics"
    first.write_bytes(export_ics(desk).ical)
    _run([*khal, "import", "--batch", str(first)])
    move_call(at("2026-11-21T08:00:00+00:00"), booked.moved.id, "2026-11-27T09:00", by="tam")
    second = tmp_path / "second.ics"
    second.write_bytes(export_ics(desk).ical)
    _run([*khal, "import", "--batch", str(second)])
    lines = [line for line in _khal_list(khal) if line.startswith("2026-11-2") and "NY Inc" in line]
    assert lines == ["2026-11-27 15:00 2026-11-27 16:00 NY Inc: working session"]  # 09:00 New York is 15:00 Madrid


# -- Radicale ---------------------------------------------------------------------


@pytest.fixture
def radicale(tmp_path):  # type: ignore[no-untyped-def]
    """A Radicale CalDAV server on 127.0.0.1 with its own storage folder; yields (base URL, storage).

    Radicale's own application and request handler, served from this process: its command
    line refuses port 0, and a port chosen beforehand can be taken by someone else before
    Radicale binds it. Here the server binds port 0 itself and the test reads the port it got.
    """
    from radicale import Application, config
    from radicale.server import RequestHandler

    storage = tmp_path / "radicale"
    configuration = config.load()
    configuration.update(
        {"storage": {"filesystem_folder": str(storage)}, "auth": {"type": "none"}, "rights": {"type": "authenticated"}},
        "test",
    )
    server = make_server("127.0.0.1", 0, Application(configuration), handler_class=RequestHandler)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    serving.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", storage
    finally:
        threading.Thread(target=server.shutdown, daemon=True).start()  # shutdown() itself waits without a deadline
        serving.join(timeout=10)
        server.server_close()
        assert not serving.is_alive(), "Radicale did not stop within 10 s"


def _request(method: str, url: str, body: bytes | None = None) -> int:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "text/calendar; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status


def _stored_items(storage: Path) -> dict[str, list[Calendar]]:
    """Radicale's stored items by UID (one file per item)."""
    items: dict[str, list[Calendar]] = {}
    for path in (storage / "collection-root" / "alex" / "tamdesk").glob("*.ics"):
        calendar = Calendar.from_ical(path.read_bytes())
        [event] = calendar.walk("VEVENT")
        items.setdefault(str(event["uid"]), []).append(event)
    return items


def test_radicale_accepts_the_export_with_one_item_per_uid(desk, at, booked, radicale):
    base, storage = radicale
    assert _request("MKCOL", f"{base}/alex/") == 201
    assert _request("PUT", f"{base}/alex/tamdesk/", export_ics(desk).ical) == 201
    items = _stored_items(storage)
    calls = list_calls(desk)
    assert sorted(items) == sorted(c.uid for c in calls)
    assert all(len(found) == 1 for found in items.values())
    # A second export after a move replaces the first: the call is there once, at its new time.
    move_call(at("2026-11-21T08:00:00+00:00"), booked.moved.id, "2026-11-27T09:00", by="tam")
    assert _request("PUT", f"{base}/alex/tamdesk/", export_ics(desk).ical) == 201
    [moved] = _stored_items(storage)[booked.moved.uid]
    assert moved.decoded("dtstart").astimezone(UTC) == datetime(2026, 11, 27, 14, tzinfo=UTC)
    assert int(moved["sequence"]) == 2


def test_radicale_accepts_an_empty_export(desk, radicale):
    base, storage = radicale
    assert _request("MKCOL", f"{base}/alex/") == 201
    assert _request("PUT", f"{base}/alex/tamdesk/", export_ics(desk).ical) == 201
    assert _stored_items(storage) == {}
