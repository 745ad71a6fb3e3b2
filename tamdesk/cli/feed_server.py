"""``tamdesk feed serve``: the calls as a calendar feed over HTTP, on this machine only by default.

Calendar apps subscribe to ``http://127.0.0.1:PORT/calendar.ics`` and poll it.
The feed is the auto feed's choice of calls (``export ics --auto``) when one is
set, else every call. It is built again only when some tamdesk process has
committed a change (``PRAGMA data_version``), and every answer carries an ETag
and Last-Modified, so a poll with ``If-None-Match`` or ``If-Modified-Since``
costs a ``304 Not Modified`` and no export.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tamdesk.cli.output import note
from tamdesk.domain.errors import BadInput
from tamdesk.services.desk import Desk
from tamdesk.services.export import ExportOptions, auto_feed, export_ics

PATHS = ("/", "/calendar.ics", "/tamdesk.ics")
CONTENT_TYPE = "text/calendar; charset=utf-8"


class Feed:
    """The current feed body with its validators, rebuilt only after a change."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._watch = desk.watch()
        self._lock = threading.Lock()
        self.body = b""
        self.etag = ""
        self.modified = datetime.now(UTC)
        self._build()

    def current(self) -> tuple[bytes, str, datetime]:
        """The body, its ETag and when it last changed; rebuilt first if the desk changed."""
        with self._lock:
            if self._watch.changed():
                self._build()
            return self.body, self.etag, self.modified

    def _build(self) -> None:
        feed = auto_feed(self.desk)
        body = export_ics(self.desk, feed[1] if feed else ExportOptions()).ical
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        if etag != self.etag:
            self.body, self.etag = body, etag
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


def handler_for(feed: Feed) -> type[BaseHTTPRequestHandler]:
    class FeedHandler(BaseHTTPRequestHandler):
        server_version = "tamdesk-feed"

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _answer(self, *, with_body: bool) -> None:
            if self.path.split("?", 1)[0] not in PATHS:
                self.send_error(HTTPStatus.NOT_FOUND, "the feed is at /calendar.ics")
                return
            try:
                body, etag, modified = feed.current()
            except Exception as error:  # a broken desk answers 500 and the server goes on
                self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR, f"{type(error).__name__}: {error}")
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
            note(f"{self.address_string()} {format % args}")

    return FeedHandler


def serve(desk: Desk, bind: str, port: int) -> int:
    """Serve the feed until Ctrl-C; the port is released on the way out."""
    feed = Feed(desk)
    try:
        server = ThreadingHTTPServer((bind, port), handler_for(feed))
    except OSError as error:
        feed.close()
        raise BadInput(f"cannot listen on {bind}:{port}: {error.strerror or error}; choose another --port") from None
    server.daemon_threads = True
    host, bound_port = server.server_address[:2]
    note(f"serving your calls at http://{host}:{bound_port}/calendar.ics; subscribe to it in your calendar app")
    if bind not in ("127.0.0.1", "localhost", "::1"):
        note(f"tamdesk: listening on {bind}: anyone who can reach this machine can read your calls")
    note("Ctrl-C stops")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        note("feed stopped")
    finally:
        server.server_close()
        feed.close()
    return 0
