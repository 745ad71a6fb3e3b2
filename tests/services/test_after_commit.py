"""The desk's after-commit hooks: run once per committed change, never after a refusal or a read."""

from __future__ import annotations

import pytest

from tamdesk.domain.errors import Refusal
from tamdesk.services.calls import book_call, list_calls
from tamdesk.services.desk import Desk
from tests.conftest import table_rows


@pytest.fixture
def heard(desk: Desk) -> list[Desk]:
    """The desks a hook registered on ``desk`` was called with, in order."""
    calls: list[Desk] = []
    desk.add_after_commit(calls.append)
    return calls


def test_a_committed_change_runs_the_hooks_with_the_desk(desk, customer, heard):
    acme = customer("Acme", tz="Europe/Madrid", country="ES")  # one write
    book_call(desk, acme.name, "2026-11-25T10:00")  # another
    assert heard == [desk, desk]


def test_a_read_runs_no_hook(desk, customer, heard):
    customer("Acme", tz="Europe/Madrid", country="ES")
    heard.clear()
    list_calls(desk)
    assert heard == []


def test_a_refused_change_runs_no_hook(desk, customer, heard):
    acme = customer("Acme", tz="Europe/Madrid", country="ES")
    heard.clear()
    before = table_rows(desk)
    with pytest.raises(Refusal):
        book_call(desk, acme.name, "2026-11-25T10:00", minutes=90)  # S1: a session lasts at most 60 minutes
    assert table_rows(desk) == before and heard == []


def test_a_batch_runs_the_hooks_once_after_it_commits(desk, customer, heard):
    with desk.batch():
        acme = customer("Acme", tz="Europe/Madrid", country="ES")
        book_call(desk, acme.name, "2026-11-25T10:00")
        assert heard == []  # nothing has landed yet
    assert heard == [desk]


def test_a_hook_added_twice_runs_once(desk, customer, heard):
    desk.add_after_commit(heard.append)
    customer("Acme", tz="Europe/Madrid", country="ES")
    assert heard == [desk]
