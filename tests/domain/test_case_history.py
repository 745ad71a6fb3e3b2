"""What a TAM may record next on a case, from its history (SPEC L1's levels, L5, L9), on plain events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tamdesk.domain.case_history import (
    check_escalation, check_items, check_resume, check_wait, items_done, level, waiting,
)
from tamdesk.domain.errors import BadInput
from tamdesk.domain.sla import ChecklistDone, Escalated, Filed, Responded, Resumed, Updated, Waiting

T = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
FILED = Filed(T, "high")


def test_a_case_waits_from_its_last_wait_until_a_resume():
    assert not waiting([FILED])
    assert waiting([FILED, Waiting(T)])
    assert not waiting([FILED, Waiting(T), Resumed(T)])
    assert waiting([FILED, Waiting(T), Resumed(T), Responded(T), Waiting(T), Updated(T)])


def test_the_level_is_the_highest_reached_and_a_case_escalates_only_upwards():
    assert level([FILED]) == 1
    assert level([FILED, Escalated(T, 3)]) == 3  # straight to 3 (L8)
    with pytest.raises(BadInput, match=r"already at level 3 \(the highest\)"):
        check_escalation([Escalated(T, 3)], 2)
    with pytest.raises(BadInput, match="already at level 2"):
        check_escalation([Escalated(T, 2)], 2)  # the same level again is no escalation
    assert check_escalation([Escalated(T, 2)], 3) == 3
    assert check_escalation([FILED], 2) == 2
    with pytest.raises(BadInput, match="2 or 3"):
        check_escalation([], 4)


def test_resume_and_wait_are_checked_against_the_history():
    with pytest.raises(BadInput, match="not waiting"):
        check_resume([FILED, Waiting(T), Resumed(T)])
    with pytest.raises(BadInput, match="already waiting"):
        check_wait([FILED, Waiting(T)])
    check_resume([FILED, Waiting(T)])
    check_wait([FILED, Waiting(T), Resumed(T)])


def test_checklist_items_are_the_four_named_once_each():
    assert check_items(["steps", "access", "steps"]) == ("steps", "access")
    with pytest.raises(BadInput, match="unknown checklist item 'logs'"):
        check_items(["steps", "logs"])
    assert items_done([FILED, ChecklistDone(T, "steps"), ChecklistDone(T, "access")]) == {"steps", "access"}
