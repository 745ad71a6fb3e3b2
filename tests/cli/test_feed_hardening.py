"""The feed server facing hostile requests: DNS rebinding, notes, failures, terminals, idle sockets (issue 14)."""

from __future__ import annotations

import http.client
import socket
import threading
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from typing import Iterator

import pytest
from icalendar import Calendar

from tamdesk.cli import feed_server
from tamdesk.cli.feed_server import Feed, handler_for, host_names
from tamdesk.services.desk import Desk
from tamdesk.services.export import ExportOptions, set_auto_feed


@pytest.fixture
def noted(run, tmp_path):
    """A desk with a customer note and an open case: what X2 keeps out of any export not asking for it."""
    assert run("customer", "add", "Acme", "--plan", "tam-c", "--tz", "America/New_York", "--country", "US")[0] == 0
    assert run("session", "book", "Acme", "2026-11-24T10:00")[0] == 0
    assert run("case", "open", "Acme", "Secret outage at the plant", "--severity", "high")[0] == 0
    return run


@contextmanager
def serving(desk: Desk, *, bind: str = "127.0.0.1", include_notes: bool = False) -> Iterator[tuple[int, Feed]]:
    """The real handler on a port the kernel picks (no bind-then-reuse race); stopped on the way out."""
    feed = Feed(desk, include_notes=include_notes)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(feed, host_names(bind)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], feed
    finally:
        server.shutdown()
        server.server_close()
        feed.close()


def get(port: int, host: str | None = None, path: str = "/calendar.ics") -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, answer.reason, answer.read()
    finally:
        connection.close()


@pytest.fixture
def desk_of(db_url):
    desks: list[Desk] = []

    def open_() -> Desk:
        desks.append(Desk.open(str(db_url), tz="Europe/Madrid"))
        return desks[-1]

    yield open_
    for desk in desks:
        desk.close()


def test_only_requests_addressed_to_this_machine_are_answered(noted, desk_of) -> None:
    with serving(desk_of()) as (port, _):
        for host in ("127.0.0.1", f"127.0.0.1:{port}", "localhost", f"LOCALHOST:{port}", f"[::1]:{port}"):
            assert get(port, host)[0] == 200, host
        for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", "0.0.0.0"):
            status, _, body = get(port, host)
            assert status == 421 and b"BEGIN:VCALENDAR" not in body, host


def test_a_named_bind_address_is_answered_too(noted, desk_of) -> None:
    with serving(desk_of(), bind="192.0.2.7") as (port, _):
        assert get(port, "192.0.2.7:8080")[0] == 200
        assert get(port, "localhost")[0] == 200
        assert get(port, "evil.example")[0] == 421


def test_notes_stay_out_unless_the_server_is_asked_even_when_the_auto_feed_has_them(noted, desk_of, tmp_path) -> None:
    desk = desk_of()
    set_auto_feed(desk, tmp_path / "feed.ics", ExportOptions(include_notes=True))
    assert b"Secret outage" in (tmp_path / "feed.ics").read_bytes()  # the file asked for notes (X2)

    with serving(desk) as (port, _):
        status, _, body = get(port, "localhost")
    assert status == 200 and b"Secret outage" not in body and b"Internal notes" not in body
    assert len(list(Calendar.from_ical(body).walk("VEVENT"))) == 1

    with serving(desk, include_notes=True) as (port, _):
        assert b"Secret outage" in get(port, "localhost")[2]


def test_a_failure_answers_a_plain_500_without_internals(noted, desk_of, monkeypatch) -> None:
    with serving(desk_of()) as (port, feed):
        def broken() -> None:
            raise RuntimeError("SELECT secret FROM calls\r\nX-Injected: yes")

        monkeypatch.setattr(feed._watch, "changed", lambda: True)
        monkeypatch.setattr(feed, "_build", broken)
        status, reason, body = get(port, "localhost")
    assert status == 500 and "\n" not in reason and "SELECT" not in reason
    assert b"SELECT" not in body and b"X-Injected" not in body


def test_the_log_escapes_terminal_control_characters(noted, desk_of, capsys) -> None:
    with serving(desk_of()) as (port, _):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.sendall(b"GET /\x1b[2J\x1b]0;pwned\x07 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            raw.recv(1024)
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b[2J" in err


def test_an_idle_connection_is_closed(noted, desk_of, monkeypatch) -> None:
    monkeypatch.setattr(feed_server, "IDLE_SECONDS", 0.3)
    with serving(desk_of()) as (port, _):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as idle:
            idle.sendall(b"GET /calendar.ics HTTP/1.1\r\n")  # and then nothing more
            assert idle.recv(1024) == b""  # the server hung up on its own, well before our 10 s
