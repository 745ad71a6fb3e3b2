"""``tamdesk feed serve``: the calls as a calendar feed over HTTP, on this machine only by default.

Calendar apps subscribe to ``http://127.0.0.1:PORT/calendar.ics`` and poll it.
The feed is the auto feed's choice of calls (``export ics --auto``) when one is
set, else every call; ``--since`` or ``--days-back`` given here is its window
instead of the auto feed's. After some tamdesk process committed a change
(``PRAGMA data_version``) the server reads the feed's stamp (the 0007 counters
of what a feed shows, ``services.feed_cache``): the same stamp keeps the same
body, and another is exported from the cache, which serializes only the calls
that changed; the server keeps the pieces in memory as well, so it reads from
the database only those. Every answer carries an ETag and Last-Modified, so a
poll with ``If-None-Match`` or ``If-Modified-Since`` costs a ``304 Not
Modified`` and no export.

It is built to face a hostile page in the TAM's own browser: it answers only
requests addressed to this machine by name (``Host: 127.0.0.1``, ``localhost``
or the ``--bind`` address), which is what a DNS-rebinding page cannot fake; it
never serves internal notes unless ``--include-notes`` is given here (X2),
whatever the auto feed was set with; a failure answers a plain 500 with no
internals; what it logs has its control characters escaped; and a connection
that says nothing for ``IDLE_SECONDS`` is closed.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tamdesk.cli.output import note
from tamdesk.domain.errors import BadInput
from tamdesk.services.desk import Desk
from tamdesk.services.export import ExportOptions, auto_feed, export_ics, feed_stamp_of
from tamdesk.services.feed_cache import Memo

PATHS = ("/", "/calendar.ics", "/tamdesk.ics")
CONTENT_TYPE = "text/calendar; charset=utf-8"
log = logging.getLogger("tamdesk")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
IDLE_SECONDS = 10.0


class Feed:
    """The current feed body with its validators, rebuilt only after a change."""

    def __init__(self, desk: Desk, *, include_notes: bool = False, window: ExportOptions | None = None) -> None:
        """``window``: its ``since`` or ``days_back``, when given, replace the auto feed's."""
        self.desk = desk
        self.include_notes = include_notes
        self.window = window
        self._watch = desk.watch()
        self._lock = threading.Lock()
        self._memo = Memo()
        self._stamp = ""
        self.body = b""
        self.etag = ""
        self.modified = datetime.now(UTC)
        self._build()

    def current(self) -> tuple[bytes, str, datetime]:
        """The body, its ETag and when it last changed; made again first if what it shows changed."""
        with self._lock:
            # A window of N days back moves at midnight with no commit: its stamp is read on every request.
            if self._watch.changed() or self._options().days_back is not None:
                self._build()
            return self.body, self.etag, self.modified

    def _options(self) -> ExportOptions:
        feed = auto_feed(self.desk)
        options = replace(feed[1] if feed else ExportOptions(), include_notes=self.include_notes)
        if self.window is not None and (self.window.since is not None or self.window.days_back is not None):
            options = replace(options, since=self.window.since, days_back=self.window.days_back)
        return options

    def _build(self) -> None:
        options = self._options()
        if self._stamp and feed_stamp_of(self.desk, options) == self._stamp:
            return  # a change to nothing the feed shows (a time entry), or the cache's own write
        export = export_ics(self.desk, options, memo=self._memo)
        self._stamp = export.stamp
        etag = f'"{hashlib.sha256(export.ical).hexdigest()[:32]}"'
        if etag != self.etag:
            self.body, self.etag = export.ical, etag
            self.modified = datetime.now(UTC).replace(microsecond=0)

    def close(self) -> None:
        self._watch.close()


def not_modified(headers: Any, etag: str, modified: datetime) -> bool:
    """RFC 9110: If-None-Match decides when present; else If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = headers.get("If-Modified-Since")
    if since:
        try:
            return modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def printable(text: str) -> str:
    """``text`` with control characters escaped, safe to print on the TAM's terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def host_names(bind: str) -> frozenset[str]:
    """The names a request's ``Host`` may give: the loopback names, and ``bind`` when it is another address."""
    names = set(LOOPBACK)
    if bind not in ("", "0.0.0.0", "::"):
        names.add(bind)
    return frozenset(names)


def host_of(header: str) -> str:
    """The name in a ``Host`` header, without its port: ``[::1]:8080`` is ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def handler_for(feed: Feed, hosts: frozenset[str]) -> type[BaseHTTPRequestHandler]:
    class FeedHandler(BaseHTTPRequestHandler):
        server_version = "tamdesk-feed"
        timeout = IDLE_SECONDS  # an idle connection is closed instead of holding a thread forever

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _answer(self, *, with_body: bool) -> None:
            host = self.headers.get("Host")
            if host is not None and host_of(host) not in hosts:  # a DNS-rebinding page names its own host
                self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "this feed answers requests to this machine only")
                return
            if self.path.split("?", 1)[0] not in PATHS:
                self.send_error(HTTPStatus.NOT_FOUND, "the feed is at /calendar.ics")
                return
            try:
                body, etag, modified = feed.current()
            except Exception:  # a broken desk answers 500 and the server goes on; the details stay in the log
                log.exception("the feed could not be built")
                self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR, "the feed could not be built; see the server's log")
                return
            status = HTTPStatus.NOT_MODIFIED if not_modified(self.headers, etag, modified) else HTTPStatus.OK
            self.send_response(status)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", format_datetime(modified, usegmt=True))
            self.send_header("Cache-Control", "no-cache")
            if status == HTTPStatus.OK:
                self.send_header("Content-Type", CONTENT_TYPE)
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body and status == HTTPStatus.OK:
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            note(printable(f"{self.address_string()} {format % args}"))

    return FeedHandler


def serve(
    desk: Desk, bind: str, port: int, *, include_notes: bool = False, window: ExportOptions | None = None
) -> int:
    """Serve the feed until Ctrl-C; the port is released on the way out."""
    feed = Feed(desk, include_notes=include_notes, window=window)
    try:
        server = ThreadingHTTPServer((bind, port), handler_for(feed, host_names(bind)))
    except OSError as error:
        feed.close()
        raise BadInput(f"cannot listen on {bind}:{port}: {error.strerror or error}; choose another --port") from None
    server.daemon_threads = True
    host, bound_port = server.server_address[:2]
    note(f"serving your calls at http://{host}:{bound_port}/calendar.ics; subscribe to it in your calendar app")
    if bind not in LOOPBACK:
        note(f"tamdesk: listening on {bind}: anyone who can reach this machine can read your calls")
        if include_notes:
            note("tamdesk: WARNING: --include-notes on an open address serves your internal notes and open cases")
    note("Ctrl-C stops")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        note("feed stopped")
    finally:
        server.server_close()
        feed.close()
    return 0
