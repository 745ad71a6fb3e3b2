"""Several writers on one desk at once, and writers killed at any moment (issue 14).

* Three processes run the command line over and over for 20 seconds (log
  time, book, move), while the desk itself, under the pilot, logs time through
  its dialog. Every write that was acknowledged (exit 0, with its id) is in
  the database at the end, and the auto feed equals a fresh export.
* A write is killed with SIGKILL at a random moment, again and again (book,
  move, cancel, ``export -o``, and every change rewriting the auto feed). After
  each kill the database is whole, every use-case landed whole or not at all,
  every file is whole, and the next write leaves no temporary file behind.
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import redirect_stderr, redirect_stdout
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from tamdesk.cli.main import main
from tamdesk.services.customers import CustomerFields, add_customer
from tamdesk.services.desk import Desk
from tamdesk.services.export import auto_feed, export_ics, set_auto_feed
from tamdesk.services.timelog import list_time
from tests.conftest import NOW, TAM_TZ, instant
from tests.tui.conftest import desk_app
from tests.tui.scenes import play
from tests.tui.test_calls import typed

pytestmark = pytest.mark.slow

SECONDS = 20
WRITERS = 3

#: One writer: the real command line, in a loop, for SECONDS; every acknowledged write is one JSON line.
WRITER = textwrap.dedent(
    """
    import io, json, sys, time
    from contextlib import redirect_stdout
    from datetime import date, timedelta
    from tamdesk.cli.main import main

    db, number, seconds, log = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    base = ["--db", db, "--now", "{now}", "--tz", "{tz}"]
    booked, n, end = [], 0, time.monotonic() + seconds
    with open(log, "a") as acks:
        while time.monotonic() < end:
            n += 1
            if n % 3 == 1:
                argv = ["time", "log", f"Writer {{number}}", "0.1", "--note", f"w{{number}}-{{n}}", "--force", "--json"]
            elif n % 3 == 2 or not booked:
                day = date(2027, 1, 4) + timedelta(weeks=n)  # one a week: within tam-a's four a month (S3)
                argv = ["session", "book", f"Writer {{number}}", f"{{day}}T10:00", "--force", "--json"]
            else:
                call = booked[-1]
                argv = ["session", "move", str(call), f"{{date(2027, 1, 4) + timedelta(weeks=n)}}T11:00",
                        "--by", "customer", "--force", "--json"]
            out = io.StringIO()
            with redirect_stdout(out):
                code = main(base + argv)
            if code == 0:
                document = json.loads(out.getvalue())
                if argv[0] == "session" and argv[1] == "book":
                    booked.append(document["id"])
                acks.write(json.dumps({{"what": argv[1], "id": document["id"], "start": document.get("start")}}) + "\\n")
                acks.flush()
    """
).format(now=NOW, tz=TAM_TZ)


def run_writer(db: Path, number: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(number), str(SECONDS), str(log)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.fixture
def shared(db_path: Path, tmp_path: Path) -> tuple[Desk, Path]:
    desk = Desk.open(str(db_path), now=instant(NOW), tz=TAM_TZ)
    for number in range(WRITERS):
        add_customer(desk, CustomerFields(name=f"Writer {number}", plan="tam-a", tz="UTC"))
    add_customer(desk, CustomerFields(name="Pilot", plan="tam-a", tz="UTC"))
    feed = tmp_path / "feeds" / "tamdesk.ics"
    set_auto_feed(desk, feed)
    yield desk, feed
    desk.close()


async def test_three_writers_and_the_desk_lose_no_acknowledged_write(shared, tmp_path: Path) -> None:
    desk, feed = shared
    logs = [tmp_path / f"writer-{n}.jsonl" for n in range(WRITERS)]
    writers = [run_writer(Path(desk.url.removeprefix("sqlite:///")), n, log) for n, log in enumerate(logs)]
    typed_in_desk = 0
    try:
        app = desk_app(desk, poll_seconds=0.5)
        async with app.run_test(size=(120, 40)) as pilot:
            started = time.monotonic()
            while time.monotonic() - started < SECONDS:
                typed_in_desk += 1
                note = f"pilot-{typed_in_desk}"
                await play(pilot, ("l", *typed("Pilot"), "tab", "tab", *typed("0.1"), "tab", "tab", "tab", *typed(note), "ctrl+s"))
                await play(pilot, ("y",) if app.screen.__class__.__name__ == "ConfirmScreen" else ())
        for writer in writers:
            _, err = writer.communicate(timeout=120)
            assert writer.returncode == 0, err
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait(timeout=30)

    acknowledged = [json.loads(line) for log in logs for line in log.read_text().splitlines()]
    assert len(acknowledged) >= 3 * WRITERS  # the writers really ran side by side for the whole time
    with sqlite3.connect(feed.parent.parent / "desk.sqlite") as connection:
        entries = {row[0] for row in connection.execute("SELECT id FROM time_entries")}
        calls = dict(connection.execute("SELECT id, starts_at FROM calls"))
    connection.close()
    for ack in acknowledged:
        if ack["what"] == "log":
            assert ack["id"] in entries, ack
        else:
            assert ack["id"] in calls, ack
    moved = {ack["id"]: ack["start"] for ack in acknowledged if ack["what"] == "move"}
    for call, start in moved.items():  # the last acknowledged move of each call is where it is
        assert calls[call].replace(" ", "T").startswith(start[:19]), (call, calls[call], start)
    pilot_notes = {e.note for e in list_time(desk, date(2026, 11, 23), date(2026, 11, 23)) if e.customer == "Pilot"}
    assert len(pilot_notes) >= 1
    # The feed shows the last state: byte for byte what an export made now writes.
    path, options = auto_feed(desk)
    assert path == feed and feed.read_bytes() == export_ics(desk, options).ical


# -- kill -9 at any moment ------------------------------------------------------------------

KILLS = 36
#: What each killed process runs: the same use-cases the command line offers.
OPERATIONS = (
    ("session", "book", "Acme", "{day}T10:00", "--force"),
    ("session", "move", "{call}", "{day}T11:00", "--by", "tam", "--force"),
    ("session", "cancel", "{call}", "--by", "customer"),
    ("export", "ics", "-o", "{export}"),
    ("time", "log", "Acme", "0.25", "--force"),
)


def tamdesk_process(db: Path, argv: list[str]) -> subprocess.Popen:
    env = {**os.environ, "TAMDESK_NOW": NOW, "TAMDESK_TZ": TAM_TZ, "TAMDESK_DB": str(db)}
    return subprocess.Popen(
        [sys.executable, "-m", "tamdesk", *argv], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def finish(db: Path, argv: list[str]) -> None:
    """``tamdesk ARGV`` on ``db``, run here to its end; it must succeed."""
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()) as err:
        code = main(["--db", str(db), "--now", NOW, "--tz", TAM_TZ, *argv])
    assert code == 0, err.getvalue()


def check_whole(db: Path, files: list[Path]) -> None:
    """The database passes SQLite's integrity check, each use-case is whole, each file parses."""
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # A call and its history land together: every call has its booking, and its sequence counts its changes.
        for call, sequence, events, status, last in connection.execute(
            "SELECT c.id, c.sequence, count(e.id), c.status, "
            "(SELECT to_status FROM call_events WHERE call_id = c.id ORDER BY id DESC LIMIT 1) "
            "FROM calls c LEFT JOIN call_events e ON e.call_id = c.id GROUP BY c.id"
        ):
            assert events >= 1 and sequence == events - 1 and status == last, (call, sequence, events, status, last)
    connection.close()
    for file in files:
        if file.exists():
            content = file.read_bytes()
            assert content.rstrip().endswith(b"END:VCALENDAR"), file
            Calendar.from_ical(content)


def test_a_write_killed_at_any_moment_leaves_everything_whole(db_path: Path, tmp_path: Path) -> None:
    desk = Desk.open(str(db_path), now=instant(NOW), tz=TAM_TZ)
    add_customer(desk, CustomerFields(name="Acme", plan="tam-a", tz="UTC"))
    feeds = tmp_path / "feeds"
    feed, export = feeds / "auto.ics", feeds / "once.ics"
    set_auto_feed(desk, feed)
    desk.close()
    chance = random.Random(14)
    day = date(2027, 1, 4)
    # How long a whole write takes on this machine: kills land at random points inside it.
    started = time.monotonic()
    timed = tamdesk_process(db_path, ["time", "log", "Acme", "0.1", "--force"])
    assert timed.wait(timeout=120) == 0
    timed.stderr.close()
    whole = time.monotonic() - started
    killed = 0
    for round_ in range(KILLS * 4):
        if killed >= KILLS:
            break
        day += timedelta(weeks=1)
        with sqlite3.connect(db_path) as connection:
            calls = [row[0] for row in connection.execute("SELECT id FROM calls WHERE status = 'scheduled'")]
        connection.close()
        template = OPERATIONS[round_ % len(OPERATIONS)]
        if "{call}" in template and not calls:
            template = OPERATIONS[0]
        argv = [w.format(day=day, call=chance.choice(calls) if calls else 0, export=export) for w in template]
        process = tamdesk_process(db_path, argv)
        time.sleep(chance.uniform(0.05, whole))  # from the imports to the commit and the feed's rewrite
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait(timeout=60)
        check_whole(db_path, [feed, export])
        # The next write, not killed, finishes what the killed one left: no temporary file remains.
        # It runs in this process (the killed ones cannot): the same command, a new desk opened on the file.
        finish(db_path, ["time", "log", "Acme", "0.1", "--force"])
        if process.stderr:
            process.stderr.close()
        if export.exists():
            finish(db_path, ["export", "ics", "-o", str(export)])
        assert sorted(p.name for p in feeds.glob("*.tmp")) == []
        check_whole(db_path, [feed, export])
    assert killed >= KILLS  # rounds that finished before their kill do not count
    # And the auto feed caught up with everything that landed.
    desk = Desk.open(str(db_path), now=instant(NOW), tz=TAM_TZ)
    path, options = auto_feed(desk)
    assert feed.read_bytes() == export_ics(desk, options).ical
    desk.close()
