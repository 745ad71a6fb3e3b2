"""The auto feed and ``feed serve`` after a change: cost follows what changed (issue 17, X1).

A change to nothing a feed shows (a time entry) exports nothing: the auto feed
only has its revision stamped again, the server answers 304 with the same
ETag. A change to a call writes that call's event again and nothing else, and
the server answers it at the next request, whichever process made it. A
window (``--since``, ``--days-back``) keeps the calls from its first day on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from tamdesk.cli import feed_server
from tamdesk.files import derived_side_file
from tamdesk.services import export, feed_cache
from tamdesk.services.desk import Desk
from tamdesk.services.export import ExportOptions, export_from_scratch, stamped_revision
from tests.cli.conftest import NOW, changes_nothing
from tests.cli.test_feed_hardening import get, serving


@pytest.fixture
def three_calls(run):
    """Acme with three calls a week apart (24 Nov, 1 Dec, 8 Dec 2026), the TAM with an address."""
    assert run("config", "set", "email", "alex@tamdesk.example")[0] == 0
    assert run("customer", "add", "Acme", "--plan", "premium", "--tz", "America/New_York", "--country", "US")[0] == 0
    for day in ("2026-11-24", "2026-12-01", "2026-12-08"):
        assert run("session", "book", "Acme", f"{day}T10:00")[0] == 0
    return run


@pytest.fixture
def counted(monkeypatch):
    """Counts of (exports made, VEVENTs serialized) since the last look; each look resets them."""
    counts = {"exports": 0, "events": 0}
    real_export, real_event = export.export_ics, feed_cache._event_bytes

    def exporting(*args, **kwargs):
        counts["exports"] += 1
        return real_export(*args, **kwargs)

    def serializing(*args):
        counts["events"] += 1
        return real_event(*args)

    monkeypatch.setattr(export, "export_ics", exporting)
    monkeypatch.setattr(feed_server, "export_ics", exporting)
    monkeypatch.setattr(feed_cache, "_event_bytes", serializing)

    def look() -> tuple[int, int]:
        seen = (counts["exports"], counts["events"])
        counts.update(exports=0, events=0)
        return seen

    return look


def _revision(db_url: Path) -> int:
    desk = Desk.open(str(db_url))
    try:
        return desk.revision()
    finally:
        desk.close()


def _reference(db_url: Path, options: ExportOptions = ExportOptions()) -> bytes:
    from tests.conftest import instant

    desk = Desk.open(str(db_url), now=instant(NOW), tz="Europe/Madrid")
    try:
        return export_from_scratch(desk, options).ical
    finally:
        desk.close()


def _uids(body: bytes) -> list[str]:
    return [str(event["uid"]) for event in Calendar.from_ical(body).walk("VEVENT")]


def test_a_time_entry_leaves_the_auto_feed_as_it_is_and_stamps_the_new_revision(three_calls, db_url, tmp_path, counted):
    feed = tmp_path / "feed.ics"
    assert three_calls("export", "ics", "--auto", str(feed))[0] == 0
    written = feed.read_bytes()
    counted()

    assert three_calls("time", "log", "Acme", "0.25")[0] == 0
    # Readers compare the stamp with the desk (a feed behind it is rewritten): it must say the new revision.
    assert counted() == (0, 0) and feed.read_bytes() == written
    assert stamped_revision(feed) == _revision(db_url)

    assert three_calls("session", "move", "2", "2026-12-02T10:00", "--by", "tam")[0] == 0
    assert counted() == (1, 1)  # one export, one event written again: the moved call's
    assert feed.read_bytes() == _reference(db_url) != written
    assert stamped_revision(feed) == _revision(db_url)


def test_a_feed_whose_inputs_stamp_is_lost_or_tampered_is_exported_again(three_calls, db_url, tmp_path, counted):
    feed = tmp_path / "feed.ics"
    assert three_calls("export", "ics", "--auto", str(feed))[0] == 0
    feed.write_bytes(b"not a calendar")  # what the stamp said no longer matches the file: it is written again
    derived_side_file(feed, "inputs").write_text("[]")
    counted()
    assert three_calls("time", "log", "Acme", "0.25")[0] == 0
    assert counted() == (1, 0)  # an export, from the cache
    assert feed.read_bytes() == _reference(db_url)


def test_the_auto_feed_keeps_its_window_and_the_window_moves_with_the_days(three_calls, db_url, tmp_path, capsys):
    feed = tmp_path / "feed.ics"
    code, _, err = three_calls("export", "ics", "--auto", str(feed), "--since", "2026-11-30")
    assert code == 0 and "2 calls written" in err  # 1 and 8 December; 24 November is before the window
    assert len(_uids(feed.read_bytes())) == 2
    desk = Desk.open(str(db_url))
    try:
        assert export.auto_feed(desk)[1] == ExportOptions(since=date(2026, 11, 30))
    finally:
        desk.close()

    code, _, err = three_calls("export", "ics", "--auto", str(feed), "--days-back", "0")
    assert code == 0 and "3 calls written" in err  # from today (23 November) on: all three
    # Ten days on, the window of 0 days back starts on 3 December: only the 8 December call is left,
    # after a change to nothing the feed shows (the counters alone would call the feed current).
    later = ["--db", str(db_url), "--now", "2026-12-03T09:00:00+01:00", "--tz", "Europe/Madrid"]
    from tamdesk.cli.main import main

    assert main([*later, "time", "log", "Acme", "0.25"]) == 0
    capsys.readouterr()
    assert len(_uids(feed.read_bytes())) == 1


def test_a_window_belongs_to_a_feed_not_to_one_export(three_calls, db_url, tmp_path):
    for option in (["--since", "2026-11-30"], ["--days-back", "7"]):
        code, _, err = changes_nothing(three_calls, db_url, "export", "ics", "-o", str(tmp_path / "x.ics"), *option)
        assert code == 2 and "--from" in err and not (tmp_path / "x.ics").exists()
    code, _, err = changes_nothing(three_calls, db_url, "export", "ics", "--auto", str(tmp_path / "x.ics"), "--days-back", "-1")
    assert code == 2 and "--days-back" in err and not (tmp_path / "x.ics").exists()


def test_the_server_answers_another_process_s_change_at_the_next_request_and_304_through_other_changes(
    three_calls, db_url, counted
):
    env = {**os.environ, "TAMDESK_NOW": NOW, "TAMDESK_TZ": "Europe/Madrid", "TAMDESK_DB": str(db_url)}

    def another_process(*args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "tamdesk", *args], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr

    desk = Desk.open(str(db_url), tz="Europe/Madrid")
    try:
        with serving(desk) as (port, feed):
            status, _, body = get(port, "localhost")
            assert status == 200 and body == _reference(db_url)
            etag = feed.etag
            counted()

            another_process("time", "log", "Acme", "0.25")  # nothing the feed shows
            assert feed.current()[1] == etag and counted() == (0, 0)  # same ETag, no export at all

            another_process("session", "cancel", "3", "--by", "customer")
            status, _, body = get(port, "localhost")
            assert status == 200 and body == _reference(db_url) and feed.etag != etag
            assert counted() == (1, 1)  # the cancelled call's event alone was written again
            assert b"STATUS:CANCELLED" in body
    finally:
        desk.close()


def test_the_server_s_window_replaces_the_auto_feed_s(three_calls, db_url, tmp_path):
    assert three_calls("export", "ics", "--auto", str(tmp_path / "feed.ics"), "--since", "2026-12-05")[0] == 0
    desk = Desk.open(str(db_url), tz="Europe/Madrid")
    try:
        with serving(desk) as (port, _):
            assert len(_uids(get(port, "localhost")[2])) == 1  # the auto feed's window: 8 December
        feed = feed_server.Feed(desk, window=ExportOptions(since=date(2026, 11, 30)))
        try:
            assert len(_uids(feed.current()[0])) == 2
        finally:
            feed.close()
    finally:
        desk.close()


def test_the_stamp_names_what_the_feed_shows(three_calls, db_url, tmp_path):
    feed = tmp_path / "feed.ics"
    assert three_calls("export", "ics", "--auto", str(feed), "--days-back", "3")[0] == 0
    shown, notes, options, first, *_ = json.loads(derived_side_file(feed, "inputs").read_text())
    assert options["days_back"] == 3 and first == "2026-11-20" and notes == 0 and shown > 0
