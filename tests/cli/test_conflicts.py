"""T7, T8, S5 and S6 over the command line: one call at a time, the TAM's day, honest suggestions."""

import json

import pytest

from tamdesk.cli.main import main
from tamdesk.services.desk import Desk
from tests.conftest import table_rows
from tests.databases import sql


def rows_of(db_url):
    """Every row of the test database, to prove a refused command changed nothing."""
    desk = Desk.open(str(db_url))
    try:
        return table_rows(desk)
    finally:
        desk.close()


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


def _book(run, *args):
    code, out, err = run("session", "book", *args)
    assert code == 0, err
    return out.strip()


def test_t7_an_overlapping_booking_with_another_customer_is_refused_naming_the_call_and_the_next_free_time(desk_run, db_url):
    # Initech 10:00-11:00 New York is 16:00-17:00 in Madrid (the TAM's zone). Globex at 15:30
    # London (16:30 Madrid) overlaps it: T7 refuses, naming call 1. The next free time is when
    # that call ends, 16:00 London: 16:00-17:00 fits Globex's 09:00-17:00 and the TAM's 17:00-18:00.
    first = _book(desk_run, "Initech", "2026-11-24T10:00")
    before = rows_of(db_url)
    code, out, err = desk_run("session", "book", "Globex", "2026-11-24T15:30")
    assert (code, out) == (3, "")
    assert err.startswith(f"tamdesk: T7: you already have call {first} with Initech on Tue 2026-11-24 16:00-17:00 Europe/Madrid")
    assert "calls never overlap. Book Tue 2026-11-24 16:00 Europe/London, the next time that passes every rule." in err
    assert rows_of(db_url) == before
    # The suggestion is bookable as it stands: back to back is not an overlap.
    _book(desk_run, "Globex", "2026-11-24T16:00")


def test_t7_the_same_customer_twice_in_one_slot_is_refused(desk_run, db_url):
    _book(desk_run, "Initech", "2026-11-24T10:00")
    before = rows_of(db_url)
    code, _, err = desk_run("session", "book", "Initech", "2026-11-24T10:30", "--minutes", "30")
    assert code == 3 and "T7: you already have call" in err
    assert rows_of(db_url) == before


def test_t7_moving_onto_another_call_is_refused_and_a_cancelled_call_frees_its_time(desk_run, db_url):
    first = _book(desk_run, "Initech", "2026-11-24T10:00")
    second = _book(desk_run, "Globex", "2026-11-25T10:00")
    before = rows_of(db_url)
    code, _, err = desk_run("session", "move", second, "2026-11-24T15:00", "--by", "tam")  # 16:00 Madrid
    assert code == 3 and f"T7: you already have call {first} with Initech" in err
    assert rows_of(db_url) == before
    assert desk_run("session", "cancel", first, "--by", "customer")[0] == 0
    assert desk_run("session", "move", second, "2026-11-24T15:00", "--by", "tam")[0] == 0


def test_t7_a_call_may_move_within_its_own_time(desk_run):
    # A call never overlaps itself: moving it 30 minutes later is fine.
    call = _book(desk_run, "Initech", "2026-11-24T10:00")
    assert desk_run("session", "move", call, "2026-11-24T10:30", "--by", "customer")[0] == 0


def test_t7_the_week_and_the_list_mark_an_overlap_older_data_holds(desk_run, db_url):
    first = _book(desk_run, "Initech", "2026-11-24T10:00")
    second = _book(desk_run, "Globex", "2026-11-24T16:00")  # back to back: 17:00 Madrid
    third = _book(desk_run, "Initech", "2026-11-26T10:00")
    code, out, _ = desk_run("week")
    assert code == 0 and "T7" not in out
    # Older data, from before T7: the second call put on the first's time behind the desk's back.
    sql(db_url, "UPDATE calls SET starts_at = (SELECT starts_at FROM calls WHERE id = :first) WHERE id = :second", first=first, second=second)
    code, out, _ = desk_run("week")
    assert code == 0
    # The week ends with the warnings' table (RULE, CUSTOMER, WARNING), by customer: Globex before Initech.
    lines = [line.split(None, 1)[1] for line in out.splitlines() if line.startswith("T7 ")]
    assert [" ".join(line.split()) for line in lines] == [
        f"Globex call {second} with Globex, Tue 24 Nov 16:00-17:00, overlaps another call; move or cancel one of them",
        f"Initech call {first} with Initech, Tue 24 Nov 16:00-17:00, overlaps another call; move or cancel one of them",
    ]
    marks = {line.split()[0]: "overlap(T7)" in line for line in desk_run("session", "list")[1].splitlines()[1:]}
    assert marks == {first: True, second: True, third: False}


def test_t8_workday_is_a_setting_and_a_call_outside_it_asks_then_keeps_the_exception(desk_run, db_url):
    # Default Mon-Fri 09:00-18:00 in Madrid: 12:00 New York is 18:00-19:00 Madrid, past the day.
    assert desk_run("config", "get", "workday")[1].strip() == "Mon-Fri 09:00-18:00"
    before = rows_of(db_url)
    code, _, err = desk_run("session", "book", "Initech", "2026-11-24T12:00")
    assert code == 3
    assert "T8: Initech's call at Tue 2026-11-24 12:00 America/New_York is outside your working day Mon-Fri 09:00-18:00 Europe/Madrid" in err
    assert err.rstrip().endswith("Add --force to confirm.")
    assert rows_of(db_url) == before
    code, out, _ = desk_run("session", "book", "Initech", "2026-11-24T12:00", "--force", "--json")
    assert code == 0
    assert json.loads(out)["exception"] == "after hours: outside your working day Mon-Fri 09:00-18:00 Europe/Madrid"
    # A later day: the same time is inside it, so it books with no question.
    assert desk_run("config", "set", "workday", "mon-fri 10:00-20:00")[0] == 0
    assert desk_run("config", "get", "workday")[1].strip() == "Mon-Fri 10:00-20:00"
    assert json.loads(desk_run("session", "book", "Initech", "2026-11-25T12:00", "--json")[1])["exception"] is None


@pytest.mark.parametrize("typed", ["9-18", "Mon-Fri", "Mon-Fry 09:00-18:00", "Mon-Fri 18:00-09:00", ""])
def test_t8_a_workday_that_cannot_be_read_is_bad_input_with_an_example(desk_run, db_url, typed):
    before = rows_of(db_url)
    code, _, err = desk_run("config", "set", "workday", typed)
    assert code == 2 and "working day" in err
    assert rows_of(db_url) == before


def test_a_question_inside_time_off_suggests_a_time_after_it_not_the_slot_it_asked_about(desk_run, db_url):
    # Time off 09:00-17:00 Madrid on Tue 24 Nov. Globex at 10:00 London (11:00 Madrid) is inside it.
    # The first time that passes every rule is when it ends: 17:00 Madrid = 16:00 London, and
    # 16:00-17:00 fits both Globex's hours and the TAM's day. Before, it offered 10:00 again.
    assert desk_run("timeoff", "add", "2026-11-24T09:00", "2026-11-24T17:00")[0] == 0
    before = rows_of(db_url)
    code, _, err = desk_run("session", "book", "Globex", "2026-11-24T10:00")
    assert code == 3 and "during your time off" in err
    assert "or book Tue 2026-11-24 16:00 Europe/London, the next time that passes every rule." in err
    assert "book Tue 2026-11-24 10:00" not in err
    assert rows_of(db_url) == before


def test_s5_after_the_month_has_ended_the_refusal_offers_no_backwards_range(desk_run, db_url, capsys):
    # A customer-cancelled November unit may be booked again only inside November (S5). On
    # 1 December November has ended: nothing is left to offer, and "from 2026-12-01 to
    # 2026-11-30" was nonsense.
    call = _book(desk_run, "Initech", "2026-11-27T10:00")
    assert desk_run("session", "cancel", call, "--by", "customer")[0] == 0
    before = rows_of(db_url)
    code = main(["--db", str(db_url), "--now", "2026-12-01T15:00:00+00:00", "--tz", "Europe/Madrid",
                 "session", "move", call, "2026-12-03T10:00", "--by", "customer"])
    err = capsys.readouterr().err
    assert code == 3 and "S5:" in err
    assert "2026-11 has ended, so the unit can no longer be booked again." in err
    assert "to 2026-11-30" not in err
    assert rows_of(db_url) == before


def test_s5_inside_the_month_the_suggestion_stays_in_the_month(desk_run, db_url):
    # A customer's move out of November is refused (S5); the suggestion is the first time in
    # November that passes every rule: today's opening, 09:00 New York (15:00 Madrid; it is 02:00 in
    # New York now), inside Initech's hours and the TAM's day, with November's units to spare.
    call = _book(desk_run, "Initech", "2026-11-27T10:00")
    code, _, err = desk_run("session", "move", call, "2026-12-03T10:00", "--by", "customer")
    assert code == 3 and "S5:" in err
    assert "or book Mon 2026-11-23 09:00 America/New_York, the next time that passes every rule." in err
