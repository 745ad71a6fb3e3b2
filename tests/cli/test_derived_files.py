"""Exports and the auto feed never touch the database, devices or another program's files (issue 14)."""

from __future__ import annotations

import fcntl
import os
import stat
from pathlib import Path

import pytest

from tamdesk.files import write_atomically


@pytest.fixture
def booked(run):
    assert run("customer", "add", "Acme", "--plan", "tam-c", "--tz", "America/New_York", "--country", "US")[0] == 0
    assert run("session", "book", "Acme", "2026-11-24T10:00")[0] == 0
    return run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.sqlite_only  # the database's own file and SQLite's side files
@pytest.mark.parametrize("option", ["-o", "--auto"])
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_an_export_onto_the_database_or_its_side_files_is_refused(booked, db_url, option, suffix) -> None:
    target = Path(f"{db_url}{suffix}")

    code, _, err = booked("export", "ics", option, str(target))

    assert code == 2 and "database" in err
    # SQLite may checkpoint its own files when the desk closes, and its pages hold the feed's cached pieces
    # (0007), a calendar's header among them; what matters is that no calendar replaced one.
    assert not (target.read_bytes() if target.exists() else b"").startswith(b"BEGIN:VCALENDAR")
    code, out, _ = booked("session", "list")  # the desk still opens and still has its call
    assert code == 0 and "Acme" in out


@pytest.mark.sqlite_only  # a link to the SQLite file
def test_a_link_to_the_database_is_refused_too(booked, db_url, tmp_path) -> None:
    link = tmp_path / "innocent.ics"
    link.symlink_to(db_url)

    assert booked("export", "ics", "-o", str(link))[0] == 2
    assert booked("session", "list")[0] == 0


def test_something_that_is_not_a_regular_file_is_refused(booked, tmp_path) -> None:
    pipe = tmp_path / "pipe.ics"
    os.mkfifo(pipe)
    folder = tmp_path / "folder.ics"
    folder.mkdir()

    for target in (pipe, folder, Path("/dev/null")):
        code, _, err = booked("export", "ics", "-o", str(target))
        assert code == 2 and "Traceback" not in err, target
    assert stat.S_ISFIFO(pipe.stat().st_mode) and folder.is_dir() and Path("/dev/null").is_char_device()


def test_a_link_is_followed_and_stays_a_link(booked, tmp_path) -> None:
    real = tmp_path / "calendars" / "tamdesk.ics"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "feed.ics"
    link.symlink_to(real)

    assert booked("export", "ics", "-o", str(link))[0] == 0

    assert link.is_symlink() and real.read_bytes().startswith(b"BEGIN:VCALENDAR")


@pytest.fixture
def umask_022():
    """The common umask, so that 0644 is what a plain new file gets; the process's own is put back."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_notes_make_a_new_file_private_and_an_existing_mode_is_kept(booked, tmp_path, umask_022) -> None:
    with_notes, without = tmp_path / "notes.ics", tmp_path / "plain.ics"
    assert booked("export", "ics", "-o", str(with_notes), "--include-notes")[0] == 0
    assert booked("export", "ics", "-o", str(without))[0] == 0
    assert (mode(with_notes), mode(without)) == (0o600, 0o644)

    private = tmp_path / "private.ics"
    private.write_bytes(b"")
    private.chmod(0o600)
    assert booked("export", "ics", "-o", str(private))[0] == 0
    assert mode(private) == 0o600  # never loosened by an export without notes

    auto = tmp_path / "auto.ics"
    assert booked("export", "ics", "--auto", str(auto), "--include-notes")[0] == 0
    assert booked("session", "book", "Acme", "2026-12-01T10:00")[0] == 0  # rewrites the feed
    assert mode(auto) == 0o600


def test_a_dead_writers_temporary_file_is_removed_by_the_next_write(tmp_path) -> None:
    target = tmp_path / "feed.ics"
    dead = tmp_path / ".feed.ics.tamdesk-dead1234.tmp"  # what a kill -9 in the middle of a write leaves
    dead.write_bytes(b"half")
    alive = tmp_path / ".feed.ics.tamdesk-live5678.tmp"
    alive.write_bytes(b"being written")
    stranger = tmp_path / ".other-program.tmp"
    stranger.write_bytes(b"not ours")

    with open(alive, "rb") as writer:
        fcntl.flock(writer.fileno(), fcntl.LOCK_EX)  # a live writer holds its lock
        write_atomically(target, b"new")

    assert target.read_bytes() == b"new"
    assert not dead.exists() and alive.exists() and stranger.exists()
