"""T7, T8, S5 and S6 over the command line: one call at a time, the TAM's day, honest suggestions."""

import json

import pytest

from tests.conftest import table_rows


@pytest.fixture
def desk_run(run):
    """The test desk with Initech (tam-a, New York, no country: no holidays) and Globex (tam-c, London)."""
    assert run("customer", "add", "Initech", "--plan", "tam-a", "--tz", "America/New_York")[0] == 0
    assert run("customer", "add", "Globex", "--plan", "tam-c", "--tz", "Europe/London")[0] == 0
    return run


def _ledger(run, customer, month):
    code, out, _ = run("allowance", "--customer", customer, "--month", month, "--json")
    assert code == 0
    (row,) = json.loads(out)
    return row


def test_s6_a_tam_move_back_into_an_earlier_month_leaves_december_carrying_nothing(desk_run):
    # SPEC S6's example: booked 27 Nov, the TAM moves it to 3 Dec, then back to 26 Nov.
    # December freed no unit of its own: its 4 sessions are all still available and
    # (projected) forfeited, none carried out, so January has nothing carried in.
    code, out, _ = desk_run("session", "book", "Initech", "2026-11-27T10:00")
    assert code == 0
    call = out.strip()
    assert desk_run("session", "move", call, "2026-12-03T10:00", "--by", "tam")[0] == 0
    assert desk_run("session", "move", call, "2026-11-26T10:00", "--by", "tam")[0] == 0
    assert _ledger(desk_run, "Initech", "2026-11")["booked"] == 1
    december = _ledger(desk_run, "Initech", "2026-12")
    assert (december["booked"], december["carried_out"], december["forfeited"]) == (0, 0, 4)
    assert _ledger(desk_run, "Initech", "2027-01")["carried_in"] == 0
