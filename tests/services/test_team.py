"""The team's use-cases (issue 19): a customer moves whole, in one transaction, and TAM names stay distinct."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from tamdesk.domain.errors import BadInput, Forbidden
from tamdesk.services import cases, emergencies, timelog
from tamdesk.services.calls import book_call
from tamdesk.services.desk import Desk
from tamdesk.services.settings import set_setting
from tamdesk.services.team import add_tam, assign_customer
from tamdesk.services.undo import undo
from tests.conftest import NOW, TAM_TZ, instant, table_rows

#: Every table whose rows carry the TAM who holds them, and follow a customer to its new TAM.
HELD = ("customers", "calls", "cases", "time_entries", "emergencies", "emergency_entries", "emergency_invoices",
        "emergency_invoice_lines")


def _holders(desk: Desk) -> dict[str, set[int]]:
    with desk.engine.connect() as connection:
        return {table: {row[0] for row in connection.execute(text(f"SELECT DISTINCT tam_id FROM {table}"))} for table in HELD}


@pytest.fixture
def acme_with_everything(desk, customer):
    """Alex's Acme with a call, a case, time, and an emergency with approved, invoiced time; then Mia and Bo."""
    set_setting(desk, "name", "Alex")
    set_setting(desk, "tz", TAM_TZ)
    customer("Acme", tz=TAM_TZ, country=None)
    book_call(desk, "acme", "2026-11-24T10:00")
    cases.open_case(desk, "acme", "Login fails", "high")
    timelog.log_time(desk, "acme", "1")
    emergencies.open_emergency(desk, "acme", "Database down")
    emergencies.answer_feasibility(desk, 1, feasible=True, normalize_hours="4", mitigate_hours="8")
    later = desk.at(instant("2026-11-23T10:00:00+01:00"))  # the work is logged once done, after the request (E4)
    emergencies.log_work(later, 1, "2026-11-23T08:00", "2026-11-23T08:30")
    emergencies.approve_day(later, 1, date(2026, 11, 23), "Dana")
    emergencies.mark_normalized(later, 1)
    add_tam(desk, "Mia", "mia@example.com", "UTC", manager=True)
    manager = Desk.open(str(desk.url.removeprefix("sqlite:///")), now=instant(NOW), tz=TAM_TZ, as_tam="mia")
    add_tam(manager, "Bo", "bo@example.com", "UTC")
    yield manager
    manager.close()


def test_a_customer_moves_with_every_row_of_theirs_and_undo_brings_all_back(desk, acme_with_everything):
    alex = desk.tam_id
    before = _holders(desk)
    # worked out from the fixture: Alex holds a row in every table, invoice lines included
    assert before == dict.fromkeys(HELD, {alex})
    moved = assign_customer(acme_with_everything, "acme", "bo")
    bo = 3  # Alex 1, Mia 2, Bo 3: the order they were added in
    assert (moved.from_tam, moved.to_tam, moved.by) == ("Alex", "Bo", "Mia")
    assert _holders(desk) == dict.fromkeys(HELD, {bo})
    undo(acme_with_everything)
    assert _holders(desk) == before


def test_a_refused_assignment_changes_nothing(desk, acme_with_everything):
    rows = table_rows(desk)
    with pytest.raises(Forbidden):
        assign_customer(desk, "acme", "bo")  # Alex is no manager
    with pytest.raises(BadInput):
        assign_customer(acme_with_everything, "acme", "nobody")
    assert table_rows(desk) == rows


def test_a_tam_cannot_take_another_tams_name_any_case_or_accents(desk, acme_with_everything):
    rows = table_rows(desk)
    with pytest.raises(BadInput, match="another TAM"):
        set_setting(desk, "name", "MÍA")
    assert table_rows(desk) == rows


def test_the_team_overview_shows_each_tam_as_their_own_desk_does(desk, acme_with_everything):
    from tamdesk.services.team import team_overview

    rows = {row.tam.name: row for row in team_overview(acme_with_everything)}
    assert set(rows) == {"Alex", "Mia", "Bo"}
    # worked out from the fixture: Alex carries Acme's one open case and logged 1 h today (Monday) plus a
    # booked hour tomorrow; Bo and Mia have nothing
    alex = rows["Alex"]
    assert (alex.week.caseload.open, alex.week.tam_minutes) == (1, 120)
    assert (rows["Bo"].week.caseload.open, rows["Bo"].week.tam_minutes) == (0, 0)
    # Bo's week is read in his zone (UTC), Alex's in Madrid: each as their own desk would
    assert (alex.week.tz, rows["Bo"].week.tz) == (TAM_TZ, "UTC")
    assert alex.as_json()["caseload"] == {"open": 1, "queued": 0, "cap": 30, "warning": False}


def test_only_a_manager_sees_the_team(desk, acme_with_everything):
    from tamdesk.services.team import team_overview

    with pytest.raises(Forbidden):
        team_overview(desk)
