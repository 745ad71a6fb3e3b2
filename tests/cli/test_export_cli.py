"""``tamdesk export ics`` and ``tamdesk feed serve`` as scripts and calendar apps see them (X1, X2)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from icalendar import Calendar

from tamdesk.files import write_atomically
from tests.cli.conftest import NOW
from tests.processes import stop, wait_for_output


@pytest.fixture
def booked(run):
    assert run("config", "set", "name", "Alex Rivera")[0] == 0
    assert run("config", "set", "email", "alex@tamdesk.example")[0] == 0
    assert run("customer", "add", "Acme", "--plan", "tam-c", "--tz", "America/New_York", "--country", "US")[0] == 0
    code, out, _ = run("session", "book", "Acme", "2026-11-24T10:00", "--agenda", "Q&A")
    assert code == 0
    return run


def _uids(ical: bytes | str) -> list[str]:
    return sorted(str(e["uid"]) for e in Calendar.from_ical(ical).walk("VEVENT"))


def test_export_to_stdout_and_to_a_file(booked, tmp_path):
    code, out, err = booked("export", "ics")
    assert code == 0 and len(_uids(out)) == 1 and err == ""
    target = tmp_path / "out" / "calls.ics"
    code, out, err = booked("export", "ics", "-o", str(target))
    assert code == 0 and out == "" and "1 calls written" in err
    assert _uids(target.read_bytes()) == _uids(booked("export", "ics")[1])


def test_an_export_without_an_address_says_how_to_set_one(run):
    code, out, err = run("export", "ics")
    assert code == 0 and Calendar.from_ical(out).name == "VCALENDAR"
    assert "tamdesk config set email" in err


def test_bad_input_writes_nothing(booked, tmp_path):
    target = tmp_path / "calls.ics"
    code, _, err = booked("export", "ics", "-o", str(target), "--customer", "Nobody")
    assert code == 2 and "unknown customer" in err and not target.exists()
    code, _, err = booked("export", "ics", "--from", "2026-12-01", "--to", "2026-11-01")
    assert code == 2 and "before" in err
    code, _, err = booked("export", "ics", "--auto", str(target), "--from", "2026-12-01")
    assert code == 2 and "--from" in err and not target.exists()


def test_the_auto_feed_follows_every_change_until_turned_off(booked, tmp_path):
    feed = tmp_path / "feed.ics"
    code, _, err = booked("export", "ics", "--auto", str(feed))
    assert code == 0 and "rewritten after every change" in err and len(_uids(feed.read_bytes())) == 1
    code, out, _ = booked("session", "book", "Acme", "2026-12-01T10:00")
    assert code == 0 and len(_uids(feed.read_bytes())) == 2  # rewritten by the booking itself
    call_id = out.strip()
    assert booked("session", "cancel", call_id, "--by", "customer")[0] == 0
    statuses = [str(e["status"]) for e in Calendar.from_ical(feed.read_bytes()).walk("VEVENT")]
    assert sorted(statuses) == ["CANCELLED", "CONFIRMED"]
    assert booked("export", "ics", "--auto", "off")[0] == 0
    before = feed.read_bytes()
    assert booked("session", "book", "Acme", "2027-01-05T10:00")[0] == 0
    assert feed.read_bytes() == before


def test_an_atomic_write_that_fails_leaves_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "feed.ics"
    write_atomically(target, b"old")

    def broken(*args):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_atomically(target, b"new and longer")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["feed.ics"]


# -- the feed server ---------------------------------------------------------------


@pytest.fixture
def server(booked, db_url, tmp_path):  # type: ignore[no-untyped-def]
    """``tamdesk feed serve --port 0``: the kernel picks a free port and the server says which."""
    env = {**os.environ, "TAMDESK_NOW": NOW, "TAMDESK_TZ": "Europe/Madrid", "TAMDESK_DB": str(db_url)}
    log = tmp_path / "feed.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "tamdesk", "feed", "serve", "--port", "0"],
            stdout=subprocess.DEVNULL, stderr=stderr, text=True, env=env, preexec_fn=_ctrl_c_reaches_it,
        )
    try:
        port = int(wait_for_output(process, log, r"http://127\.0\.0\.1:(\d+)/calendar\.ics").group(1))
        yield process, f"http://127.0.0.1:{port}/calendar.ics", port, log
    finally:
        stop(process)


def _ctrl_c_reaches_it() -> None:
    """The server as a terminal starts it, Ctrl-C (SIGINT) stopping it: a run started in the background
    (``pytest &``, CI's PostgreSQL pass) ignores SIGINT, and its children inherit that and never stop."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_feed_answers_with_validators_and_304_when_unchanged(server, booked):
    _, url, _, _ = server
    status, headers, body = _get(url)
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert len(_uids(body)) == 1 and headers["ETag"] and headers["Last-Modified"]
    status, again, body = _get(url, **{"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b"" and again["ETag"] == headers["ETag"]
    status, _, _ = _get(url, **{"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304
    # Another process changes the desk: the next poll gets the new feed and a new ETag.
    assert booked("session", "book", "Acme", "2026-12-01T10:00")[0] == 0
    status, changed, body = _get(url, **{"If-None-Match": headers["ETag"]})
    assert status == 200 and changed["ETag"] != headers["ETag"] and len(_uids(body)) == 2
    assert _get(url.replace("/calendar.ics", "/elsewhere"))[0] == 404


def _listening_addresses(port: int) -> set[str]:
    """The local addresses listening on ``port``, from the kernel's own table."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":  # LISTEN
                found.add(address)
    return found


def test_the_feed_listens_on_loopback_only_and_stops_cleanly_on_ctrl_c(server):
    process, url, port, log = server
    assert _get(url)[0] == 200
    if Path("/proc/net/tcp").exists():
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing else
    process.send_signal(signal.SIGINT)
    process.wait(timeout=10)
    err = log.read_text("utf-8")
    assert process.returncode == 0 and "feed stopped" in err and "Traceback" not in err
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
