"""What a case's history says about it now (SPEC L5, L9; L1's levels), on plain events with fixed instants."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tamdesk.domain.case_history import (
    CHECKLIST_ITEMS, Event, check_escalation, check_items, check_resume, check_wait, checklist, level, paused, waiting,
)
from tamdesk.domain.errors import BadInput

T = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def events(*kinds: str, **fields) -> list[Event]:
    return [Event(T, kind, **fields) for kind in kinds]  # type: ignore[arg-type]


def test_a_case_waits_from_its_last_wait_until_a_resume():
    assert not waiting(events("filed", "opened"))
    assert waiting(events("filed", "waiting"))
    assert not waiting(events("filed", "waiting", "resumed"))
    assert waiting(events("filed", "waiting", "resumed", "responded", "waiting", "updated"))


def test_the_level_is_the_highest_reached_and_starts_at_1():
    assert level(events("filed")) == 1
    assert level([*events("filed"), Event(T, "escalated", level=3)]) == 3  # straight to 3 (L8)
    with pytest.raises(BadInput, match="already at level 3"):
        check_escalation([Event(T, "escalated", level=3)], 2)
    with pytest.raises(BadInput, match="already at level 2"):
        check_escalation([Event(T, "escalated", level=2)], 2)
    assert check_escalation([Event(T, "escalated", level=2)], 3) == 3
    with pytest.raises(BadInput, match="level 2 or 3"):
        check_escalation([], 4)


def test_a_checklist_pauses_the_case_until_its_four_items_are_done():
    # L5: no checklist asked for, no checklist and no pause
    assert checklist(events("filed"), False) is None and not paused(events("filed"), False)
    three = [Event(T, "checklist", item=item) for item in CHECKLIST_ITEMS[:3]]
    assert checklist(three, True) == {"description": True, "steps": True, "screenshots": True, "access": False}
    assert paused(three, True)
    assert not paused([*three, Event(T, "checklist", item="access")], True)
    # L9: waiting pauses a complete case too
    assert paused([*three, Event(T, "checklist", item="access"), Event(T, "waiting")], True)


def test_resume_and_wait_are_checked_against_the_history():
    with pytest.raises(BadInput, match="not waiting"):
        check_resume(events("filed", "waiting", "resumed"))
    with pytest.raises(BadInput, match="already waiting"):
        check_wait(events("filed", "waiting"))
    check_resume(events("waiting"))
    check_wait(events("waiting", "resumed"))


def test_checklist_items_are_the_four_named_once_each():
    assert check_items(["steps", "access", "steps"]) == ("steps", "access")
    with pytest.raises(BadInput, match="unknown checklist item 'logs'"):
        check_items(["steps", "logs"])
