"""The desk's first read: one snapshot of the TAM and this week, read in a forked child or a thread."""

from __future__ import annotations

import os
import time
from datetime import date, timedelta

import pytest

from tamdesk.domain.errors import BadInput
from tamdesk.services import opening as opening_module
from tamdesk.services.agenda import week_agenda
from tamdesk.services.calls import book_call
from tamdesk.services.cases import open_case
from tamdesk.services.desk import Desk
from tamdesk.services.opening import NoAnswer, Opening, can_fork, read_start
from tamdesk.services.reports import warnings, week_summary
from tamdesk.services.week_page import WeekPage, week_page
from tamdesk.store.models import Setting
from tests.conftest import NOW, TAM_TZ, instant


@pytest.fixture
def busy_desk(desk, customer):
    """A desk with a customer, a call this week and a forfeit warning to read."""
    acme = customer("Acme", tz="Europe/Madrid", country="ES")
    book_call(desk, acme.name, instant("2026-11-26T10:00:00+01:00"))
    return desk


def test_the_week_page_is_the_three_reads_in_one_snapshot(busy_desk):
    page = week_page(busy_desk)
    # ``minutes`` is what the summary was worked out from, kept for the next turn (see below).
    assert page._replace(minutes=None) == WeekPage(week_agenda(busy_desk), week_summary(busy_desk), warnings(busy_desk))
    assert [call.customer for call in page.agenda.calls] == ["Acme"]
    assert page.warnings  # Acme has sessions left to use this month: there is something to say


def test_warnings_and_caseload_already_known_are_kept_not_read_again(busy_desk):
    page = week_page(busy_desk)
    open_case(busy_desk, "Acme", "Login fails", "high")  # the caseload a fresh read would see is one case more
    turned = week_page(busy_desk, date(2026, 12, 1), known=page)
    assert turned.warnings is page.warnings
    assert turned.summary.caseload == page.summary.caseload
    assert turned.summary.week == "2026-W49"  # the week itself is read anew
    assert week_page(busy_desk).summary.caseload.open == page.summary.caseload.open + 1


def test_pages_turned_from_the_last_one_read_only_their_new_week_and_say_what_a_fresh_read_says(demo):
    # B1/B3: a week's hours and the four weeks before it. Turning a page keeps the weeks the last
    # page read (``minutes``); every page, reached by any walk, must equal the week read from nothing.
    page = week_page(demo)
    this_monday = page.summary.first
    walk = [-1, -1, -1, -1, -1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -9, 12]
    monday = this_monday
    for step in walk:
        monday += timedelta(weeks=step)
        page = week_page(demo, monday, known=page)
        assert page.summary == week_summary(demo, monday), monday
        # The weeks from B3's four before its reference (this week at most) to the week shown, and only they, are kept.
        reference = min(monday, this_monday)
        first, last = reference - timedelta(weeks=4), max(monday, reference)
        needed = {first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)}
        assert page.minutes.weeks == needed
        assert {week for _, week in page.minutes.logged} <= needed


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is a POSIX call")
def test_the_forked_read_brings_what_a_read_here_brings(busy_desk):
    opening = Opening(busy_desk, fork=True)
    try:
        assert opening.via == "fork"
        assert opening.start(timeout=30) == busy_desk.read(read_start)
        assert opening.ready() == opening.start(timeout=30)
    finally:
        opening.watch.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is a POSIX call")
def test_a_refusal_in_the_child_comes_back_as_itself(busy_desk, monkeypatch):
    def refuse(unit):
        raise BadInput("no week for you")

    monkeypatch.setattr(opening_module, "read_start", refuse)
    opening = Opening(busy_desk, fork=True)
    try:
        with pytest.raises(BadInput, match="no week for you"):
            opening.start(timeout=30)
        assert opening.ready() is None
    finally:
        opening.watch.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is a POSIX call")
def test_a_child_that_dies_without_answering_leaves_the_read_to_the_parent(busy_desk, monkeypatch):
    parent = os.getpid()

    def die_in_the_child(unit):
        if os.getpid() != parent:
            os._exit(9)
        return read_start(unit)

    monkeypatch.setattr(opening_module, "read_start", die_in_the_child)
    opening = Opening(busy_desk, fork=True)
    try:
        assert opening.via == "fork"
        assert opening.start(timeout=30).week.agenda.calls[0].customer == "Acme"
    finally:
        opening.watch.close()


def test_a_database_in_memory_is_read_in_a_thread():
    memory = Desk.open("sqlite://", now=instant("2026-11-23T08:00:00+01:00"), tz="Europe/Madrid")
    try:
        assert not can_fork(memory)
        opening = Opening(memory, fork=True)
        assert opening.via == "thread"
        assert opening.start(timeout=30).week.agenda.week == "2026-W48"
    finally:
        memory.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is a POSIX call")
def test_a_start_the_child_cannot_pickle_is_read_again_by_the_parent(busy_desk, monkeypatch):
    parent = os.getpid()

    def unpicklable_in_the_child(unit):
        start = read_start(unit)
        return (start, lambda: None) if os.getpid() != parent else start

    monkeypatch.setattr(opening_module, "read_start", unpicklable_in_the_child)
    opening = Opening(busy_desk, fork=True)
    try:
        assert opening.start(timeout=30) == busy_desk.read(read_start)
    finally:
        opening.watch.close()


# -- fork first: the child opens the desk too (``tamdesk`` on a terminal) --------------------------

fork_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is a POSIX call")


def opened_in_the_child(desk: Desk):
    """What ``tamdesk.startup.fork_first`` hands the child: a way to open the desk's file (here at the tests' clock)."""
    return lambda: Desk.open(desk.url.removeprefix("sqlite:///"), now=instant(NOW), tz=TAM_TZ)


@fork_only
def test_a_child_that_opens_the_desk_itself_brings_what_a_read_here_brings(busy_desk):
    opening = Opening.before_the_desk(opened_in_the_child(busy_desk))
    try:
        assert opening.via == "fork first"
        assert opening.start(timeout=30) == busy_desk.read(read_start)
        assert opening.watch is not None and not opening.watch.changed()  # nobody committed since
    finally:
        opening.close()


@fork_only
def test_a_desk_the_child_cannot_open_comes_back_as_its_error(busy_desk):
    def refuse():
        raise BadInput("the database x.sqlite is locked by nobody in particular")

    opening = Opening.before_the_desk(refuse)
    with pytest.raises(BadInput, match="locked by nobody in particular"):
        opening.opened(timeout=30)  # what the CLI waits for before it starts the app
    with pytest.raises(BadInput, match="locked by nobody in particular"):
        opening.start(timeout=30)
    assert opening.ready() is None
    assert opening.watch is None  # the desk never opened: nothing to watch


@fork_only
def test_a_child_that_dies_before_it_answers_is_no_answer(busy_desk):
    def die():
        os._exit(9)

    opening = Opening.before_the_desk(die)
    with pytest.raises(NoAnswer):
        opening.opened(timeout=30)
    with pytest.raises(NoAnswer):
        opening.start(timeout=30)


@fork_only
def test_the_watch_starts_before_the_child_reads_so_a_commit_after_its_read_is_noticed(busy_desk, monkeypatch):
    # Another process commits just after the child's read: the page shown does not have it, so the
    # watch must say so at its first look, which it can only if it started before that read.
    def read_then_someone_commits(unit):
        start = read_start(unit)
        other = Desk.open(busy_desk.url)  # another connection: on PostgreSQL, its commit notifies the watch
        try:
            other.write(lambda its: its.session.add(Setting(key="committed-by-another", value="1")))
        finally:
            other.close()
        return start

    monkeypatch.setattr(opening_module, "read_start", read_then_someone_commits)
    opening = Opening.before_the_desk(opened_in_the_child(busy_desk))
    try:
        opening.start(timeout=30)
        assert opening.watch is not None and opening.watch.changed()
    finally:
        opening.close()


@fork_only
def test_the_desk_is_open_before_the_week_is_read_so_the_app_starts_while_the_child_reads(busy_desk, tmp_path, monkeypatch):
    go_on = tmp_path / "go-on"  # the child's read waits for this file: the test decides when it ends

    def read_when_told(unit):
        while not go_on.exists():
            time.sleep(0.01)
        return read_start(unit)

    monkeypatch.setattr(opening_module, "read_start", read_when_told)
    opening = Opening.before_the_desk(opened_in_the_child(busy_desk))
    try:
        opening.opened(timeout=30)
        assert opening.ready() is None  # open, and still reading
        go_on.touch()
        assert opening.start(timeout=30) == busy_desk.read(read_start)
    finally:
        go_on.touch()
        opening.close()
