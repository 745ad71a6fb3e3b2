"""B5 through the real command: durations read one way, a day's 24 h, dates, and entries corrected or deleted.

The clock is Monday 23 Nov 2026 08:00 in Madrid (``tests.cli.conftest.NOW``):
this week is 2026-W48 (23-29 Nov); 20 Nov is in the week that has ended.
"""

import json

import pytest

from tamdesk.cli.main import main
from tamdesk.services.desk import Desk
from tests.conftest import table_rows
from tests.databases import sql


@pytest.fixture
def acme(run):
    """Acme with a cap high enough that B2 stays out of the way unless a test lowers it."""
    assert run("customer", "add", "Acme", "--plan", "tam-a", "--tz", "Europe/Madrid", "--hours-cap", "100")[0] == 0
    assert run("customer", "add", "Hooli", "--plan", "tam-a", "--tz", "Europe/Madrid", "--hours-cap", "10")[0] == 0
    return run


def minutes_stored(db_url) -> list[int]:
    return [m for (m,) in sql(db_url, "SELECT minutes FROM time_entries ORDER BY id")]


def unchanged(db_url, call, *args):
    """Run ``args`` and return (code, stderr), checking the database did not change."""
    desk = Desk.open(str(db_url))
    before = table_rows(desk)
    code, _, err = call(*args)
    assert table_rows(desk) == before
    desk.close()
    return code, err


# The observation: the desk read 0,5 as 5 h, 1:30 as 130 and 90m as 90. Each is worked out by hand.
@pytest.mark.parametrize(
    "typed, minutes",
    [("0,5", 30), ("1,5", 90), ("1:30", 90), ("90m", 90), ("1h30m", 90), ("1h", 60), ("45min", 45), ("1.5", 90)],
)
def test_b5_time_log_reads_every_form_as_it_says(acme, db_url, typed, minutes):
    code, out, err = acme("time", "log", "Acme", typed, "--json")
    assert code == 0, err
    assert json.loads(out)["hours"] == round(minutes / 60, 2)
    assert minutes_stored(db_url) == [minutes]


def test_b5_a_fraction_of_a_minute_is_bad_input_and_nothing_is_stored(acme, db_url):
    # 0.004 h was stored as 0 minutes; it is 0.24 min, so it is bad input naming B5.
    code, err = unchanged(db_url, acme, "time", "log", "Acme", "0.004")
    assert code == 2 and "B5" in err and "0.24 min" in err


def test_b5_a_day_holds_at_most_24_hours(acme, db_url):
    # 72 h were once logged on one day. 20 h + 3 h = 23 h leaves 1 h that day, over any customer.
    assert acme("time", "log", "Acme", "20")[0] == 0
    assert acme("time", "log", "Hooli", "3", "--force")[0] == 0
    code, err = unchanged(db_url, acme, "time", "log", "Acme", "2")
    assert code == 3 and "B5" in err and "1 h is left that day" in err
    assert acme("time", "log", "Acme", "60m")[0] == 0
    code, err = unchanged(db_url, acme, "time", "log", "Acme", "1m", "--force")  # --force does not lift it
    assert code == 3 and "Nothing is left that day" in err
    assert sum(minutes_stored(db_url)) == 24 * 60


def test_b5_a_future_day_is_refused_and_a_closed_week_asks(acme, db_url):
    code, err = unchanged(db_url, acme, "time", "log", "Acme", "1", "--on", "2026-11-24")
    assert code == 3 and "B5" in err and "future" in err
    code, err = unchanged(db_url, acme, "time", "log", "Acme", "1", "--on", "2026-11-20")
    assert code == 3 and "B5" in err and "2026-W47" in err and "--force" in err
    assert acme("time", "log", "Acme", "1", "--on", "2026-11-20", "--force")[0] == 0
    assert minutes_stored(db_url) == [60]


def entry_events(db_url) -> list[tuple]:
    rows = sql(db_url, "SELECT time_entry_id, action, before, after FROM time_entry_events ORDER BY id")
    return [(i, a, json.loads(b), json.loads(c) if c else None) for i, a, b, c in rows]


def test_time_edit_corrects_an_entry_and_keeps_the_change(acme, db_url):
    assert acme("time", "log", "Acme", "1", "--note", "prep")[0] == 0
    code, out, err = acme("time", "edit", "1", "--hours", "1:30", "--customer", "Hooli", "--note", "review",
                          "--activity", "service-review", "--json")
    assert code == 0, err
    assert json.loads(out) == {"id": 1, "customer": "Hooli", "date": "2026-11-23", "hours": 1.5, "note": "review",
                               "case": None, "call": None, "activity": "service-review", "over_budget": False}
    [(entry, action, before, after)] = entry_events(db_url)
    assert (entry, action, before["minutes"], before["note"], after["minutes"], after["note"]) == (1, "edited", 60, "prep", 90, "review")
    assert after["customer_id"] != before["customer_id"]


def test_time_edit_judges_the_cap_and_the_day_without_its_own_old_minutes(acme, db_url):
    # Hooli's cap is 10 h: an 8 h entry edited to 10 h is 10 h in the week (not 18), within the cap.
    assert acme("time", "log", "Hooli", "8")[0] == 0
    assert acme("time", "edit", "1", "--hours", "10")[0] == 0
    code, err = unchanged(db_url, acme, "time", "edit", "1", "--hours", "11")  # 11 h > 10 h asks (B2)
    assert code == 3 and "B2" in err
    # The day now holds 10 h + 12 h = 22 h; the 12 h entry may grow to 14 h and no further (B5).
    assert acme("time", "log", "Acme", "12")[0] == 0
    code, err = unchanged(db_url, acme, "time", "edit", "2", "--hours", "15")
    assert code == 3 and "B5" in err and "14 h is left that day" in err
    code, err = unchanged(db_url, acme, "time", "edit", "2", "--on", "2026-11-24")
    assert code == 3 and "future" in err
    code, err = unchanged(db_url, acme, "time", "edit", "2", "--hours", "0.004")
    assert code == 2 and "B5" in err
    assert minutes_stored(db_url) == [600, 720]


def test_time_edit_into_or_out_of_a_closed_week_asks(acme, db_url):
    assert acme("time", "log", "Acme", "1")[0] == 0
    code, err = unchanged(db_url, acme, "time", "edit", "1", "--on", "2026-11-20")
    assert code == 3 and "2026-W47" in err
    assert acme("time", "edit", "1", "--on", "2026-11-20", "--force")[0] == 0
    code, err = unchanged(db_url, acme, "time", "edit", "1", "--on", "2026-11-23")  # moving it out changes W47 too
    assert code == 3 and "2026-W47" in err


def test_time_delete_removes_the_entry_and_its_history_keeps_it(acme, db_url):
    assert acme("time", "log", "Acme", "45min", "--note", "prep")[0] == 0
    code, out, err = acme("time", "delete", "1", "--json")
    assert code == 0, err
    assert json.loads(out)["hours"] == 0.75 and json.loads(out)["note"] == "prep"
    assert minutes_stored(db_url) == []
    [(entry, action, before, after)] = entry_events(db_url)
    assert (entry, action, before["minutes"], after) == (1, "deleted", 45, None)
    code, err = unchanged(db_url, acme, "time", "delete", "1")
    assert code == 2 and "unknown time entry 1" in err


def test_time_delete_in_a_closed_week_asks(acme, db_url):
    assert acme("time", "log", "Acme", "1", "--on", "2026-11-20", "--force")[0] == 0
    code, err = unchanged(db_url, acme, "time", "delete", "1")
    assert code == 3 and "B5" in err and "--force" in err
    assert acme("time", "delete", "1", "--force")[0] == 0
    assert minutes_stored(db_url) == []


def test_session_book_reads_its_length_with_the_same_reader(acme):
    # --minutes counts minutes when bare ("45"); "1h" and "0:45" mean what they say (B5's one reading).
    for typed, start, minutes in (("1h", "2026-11-24T10:00", 60), ("0:45", "2026-11-25T10:00", 45)):
        code, out, err = acme("session", "book", "Acme", start, "--minutes", typed, "--json")
        assert code == 0, err
        assert json.loads(out)["minutes"] == minutes


def test_time_edit_needs_something_to_change_and_a_same_value_leaves_no_history(acme, db_url):
    assert acme("time", "log", "Acme", "1")[0] == 0
    code, err = unchanged(db_url, acme, "time", "edit", "1")
    assert code == 2 and "say what to change" in err
    assert acme("time", "edit", "1", "--hours", "60m")[0] == 0  # 60m is the 1 h it holds
    assert entry_events(db_url) == []


def test_a_held_call_logs_its_time_only_where_the_day_has_room(acme, db_url, capsys):
    # A call marked held becomes a time entry of its minutes on its day (B1), so B5's 24 h holds for it too.
    assert acme("session", "book", "Acme", "2026-11-23T10:00", "--json")[0] == 0
    assert acme("time", "log", "Acme", "23:30")[0] == 0  # 30 min left that day; the call is 60
    later = ["--db", str(db_url), "--now", "2026-11-23T12:00:00+01:00", "--tz", "Europe/Madrid"]
    desk = Desk.open(str(db_url))
    before = table_rows(desk)
    assert main([*later, "session", "held", "1"]) == 3
    assert "B5" in capsys.readouterr().err and table_rows(desk) == before
    desk.close()
    assert acme("time", "edit", "1", "--hours", "23")[0] == 0
    assert main([*later, "session", "held", "1"]) == 0
    assert minutes_stored(db_url) == [23 * 60, 60]
