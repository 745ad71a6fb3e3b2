"""A customer's contract over the command line: its start (``--since``), ``customer edit``, the current period (S3, T2)."""

import json
from datetime import UTC, datetime

import pytest

from tamdesk.cli.main import main
from tamdesk.services.desk import Desk
from tests.conftest import table_rows


@pytest.fixture
def cli(db_url, capsys):
    """Run ``tamdesk ARGS`` in-process on the test database at the clock ``now``; return (code, stdout, stderr)."""

    def invoke(now: str, *args: str):
        code = main(["--db", str(db_url), "--now", now, "--tz", "Europe/Madrid", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


#: Monday 23 November 2026, 08:00 in Madrid, as every CLI test.
NOW = "2026-11-23T08:00:00+01:00"


def ledger(cli, now, *args):
    """``allowance --json`` as {(customer, period): row}."""
    code, out, err = cli(now, "allowance", "--json", *args)
    assert code == 0, err
    return {(row["customer"], row["period"]): row for row in json.loads(out)}


def unchanged(db_url, cli, args, code, words):
    """Run a refused command and prove it changed nothing."""
    desk = Desk.open(str(db_url))
    before = table_rows(desk)
    got, _, err = cli(NOW, *args)
    assert got == code, err
    for word in words:
        assert word in err
    assert table_rows(desk) == before
    desk.close()


# --- the contract's start (S3) ------------------------------------------------------


def test_nothing_is_granted_or_forfeited_before_the_customer_was_added(cli):
    assert cli(NOW, "customer", "add", "Acme", "--plan", "tam-b", "--tz", "Europe/Madrid")[0] == 0
    # Added on 23 November: October is before the contract, November is in it (S3: active on any day).
    assert ledger(cli, NOW, "--month", "2026-10") == {}
    november = ledger(cli, NOW, "--month", "2026-11")[("Acme", "2026-11")]
    assert (november["granted"], november["forfeited"]) == (2, 2)  # tam-b: 2 sessions, none booked
    shown = json.loads(cli(NOW, "customer", "show", "acme", "--json")[1])
    assert (shown["since"], shown["until"]) == ("2026-11-23", None)


def test_a_contract_starting_on_the_31st_grants_that_month_and_not_the_one_before(cli):
    code, _, err = cli(NOW, "customer", "add", "Acme", "--plan", "tam-c", "--tz", "America/Los_Angeles", "--since", "2026-10-31")
    assert code == 0, err
    assert ledger(cli, NOW, "--month", "2026-09") == {}
    october = ledger(cli, NOW, "--month", "2026-10")[("Acme", "2026-10")]
    # Its last day is in the contract: October grants tam-c's one session and, unused, forfeits it.
    assert (october["granted"], october["booked"], october["forfeited"]) == (1, 0, 1)


def test_the_default_start_is_today_in_the_customers_zone_still_the_last_day_of_last_month(cli):
    # 08:00 on 1 November in Madrid is 07:00 UTC: 21:00 on Saturday 31 October in Honolulu (UTC-10).
    first_of_november = "2026-11-01T08:00:00+01:00"
    assert cli(first_of_november, "customer", "add", "Aloha", "--plan", "tam-c", "--tz", "Pacific/Honolulu")[0] == 0
    assert json.loads(cli(first_of_november, "customer", "show", "aloha", "--json")[1])["since"] == "2026-10-31"
    assert ledger(cli, first_of_november, "--month", "2026-10")[("Aloha", "2026-10")]["granted"] == 1


def test_since_is_read_as_people_type_dates_and_bad_input_changes_nothing(cli, db_url):
    assert cli(NOW, "customer", "add", "Acme", "--plan", "tam-c", "--tz", "Europe/Madrid", "--since", "tomorrow")[0] == 0
    assert json.loads(cli(NOW, "customer", "show", "acme", "--json")[1])["since"] == "2026-11-24"
    unchanged(db_url, cli, ["customer", "add", "Zeta", "--plan", "tam-c", "--tz", "UTC", "--since", "soon"], 2, ["YYYY-MM-DD"])


# --- allowance without --month: each customer's own current period (T2) -------------


def test_allowance_shows_each_customers_own_current_period(cli):
    # 07:00 on 1 November in Madrid is 06:00 UTC: 23:00 on 31 October in Los Angeles (UTC-7), 20:00 in Honolulu.
    late = "2026-11-01T07:00:00+01:00"
    for name, tz in (("Madrid Co", "Europe/Madrid"), ("Angels Inc", "America/Los_Angeles"), ("Aloha", "Pacific/Honolulu")):
        assert cli(late, "customer", "add", name, "--plan", "tam-c", "--tz", tz, "--since", "2026-10-01")[0] == 0
    shown = sorted(ledger(cli, late))
    assert shown == [("Aloha", "2026-10"), ("Angels Inc", "2026-10"), ("Madrid Co", "2026-11")]


def test_allowance_of_a_weekly_plan_is_its_current_week(cli):
    assert cli(NOW, "customer", "add", "Umbrella", "--plan", "premium", "--tz", "Europe/Berlin", "--since", "2026-11-01")[0] == 0
    # Monday 23 November is in ISO week 48 (S7: premium's period is the ISO week).
    assert sorted(ledger(cli, NOW)) == [("Umbrella", "2026-W48")]


# --- customer edit ---------------------------------------------------------------------


@pytest.fixture
def acme(cli):
    """Acme on tam-b in Madrid since 1 November, two contacts, calls on 24 and 25 November at 10:00."""
    code, _, err = cli(
        NOW, "customer", "add", "Acme", "--plan", "tam-b", "--tz", "Europe/Madrid", "--country", "ES",
        "--contact", "ops@acme.example", "--contact", "cto@acme.example", "--business-hours", "09:00-18:00",
        "--since", "2026-11-01",
    )
    assert code == 0, err
    for start in ("2026-11-24T10:00", "2026-11-25T10:00"):
        assert cli(NOW, "session", "book", "acme", start)[0] == 0
    return json.loads(cli(NOW, "customer", "show", "acme", "--json")[1])


def test_edit_changes_only_the_options_given(cli, acme):
    code, out, err = cli(NOW, "customer", "edit", "acme", "--hours-cap", "6", "--json")
    assert code == 0, err
    assert json.loads(out) == {**acme, "hours_cap": 6.0}
    code, _, err = cli(NOW, "customer", "edit", "acme", "--country", "PT", "--business-hours", "08:00-16:00")
    assert code == 0, err
    shown = json.loads(cli(NOW, "customer", "show", "acme", "--json")[1])
    assert shown == {**acme, "hours_cap": 6.0, "country": "PT", "business_hours": "08:00-16:00"}


def test_edit_contact_given_replaces_the_whole_list(cli, acme):
    assert cli(NOW, "customer", "edit", "acme", "--contact", "new@acme.example")[0] == 0
    assert json.loads(cli(NOW, "customer", "show", "acme", "--json")[1])["contacts"] == ["new@acme.example"]


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["--plan", "tam-z"], 2, ["tam-z"]),
        (["--tz", "Nowhere/Town"], 2, ["unknown time zone"]),
        (["--country", "ZZ"], 2, ["unknown country"]),
        (["--hours-cap", "-3"], 2, ["more than 0"]),
        (["--business-hours", "9 to 5"], 2, ["business hours"]),
        (["--contact", "not-an-address"], 2, ["not an email address"]),
        (["--contact", "a@x.io", "--contact", "b@x.io", "--contact", "c@x.io", "--contact", "d@x.io"], 3, ["P2"]),
        (["--until", "someday"], 2, ["YYYY-MM-DD"]),
        (["--since", "2026-12-10", "--until", "2026-12-01"], 2, ["ends before it starts"]),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_edit_is_validated_as_add_and_a_refusal_changes_nothing(cli, db_url, acme, args, code, words):
    unchanged(db_url, cli, ["customer", "edit", "acme", *args], code, words)


def test_edit_of_an_unknown_customer_is_bad_input(cli, db_url, acme):
    unchanged(db_url, cli, ["customer", "edit", "nobody", "--plan", "tam-a"], 2, ["unknown customer"])


def test_a_plan_that_grants_fewer_sessions_than_are_booked_this_month_is_refused_naming_the_calls(cli, db_url, acme):
    # tam-c grants 1 session a month; November holds the 2 calls booked on tam-b (S3).
    unchanged(db_url, cli, ["customer", "edit", "acme", "--plan", "tam-c"], 3,
              ["S3", "call 1 on Tue 24 Nov 2026 10:00", "call 2 on Wed 25 Nov 2026 10:00"])
    # A plan with no sessions at all cannot keep the calls booked ahead either.
    unchanged(db_url, cli, ["customer", "edit", "acme", "--plan", "standard"], 3, ["S3", "call 1", "call 2"])


def test_a_new_plan_grants_its_sessions_from_the_current_month_on(cli, acme):
    assert cli(NOW, "customer", "edit", "acme", "--plan", "tam-a")[0] == 0
    november = ledger(cli, NOW)[("Acme", "2026-11")]
    # tam-a grants 4 a month (P1), the 2 calls booked stay booked: 2 left this very month.
    assert (november["granted"], november["booked"], november["available"]) == (4, 2, 2)
    assert [c["status"] for c in json.loads(cli(NOW, "session", "list", "--json")[1])] == ["scheduled", "scheduled"]


def test_until_before_a_booked_call_is_refused_naming_it(cli, db_url, acme):
    unchanged(db_url, cli, ["customer", "edit", "acme", "--until", "2026-11-24"], 3, ["S3", "call 2 on Wed 25 Nov 2026"])
    assert "call 1" not in cli(NOW, "customer", "edit", "acme", "--until", "2026-11-24")[2]  # call 1 is on the last day


def test_since_after_a_booked_call_is_refused_naming_it(cli, db_url, acme):
    unchanged(db_url, cli, ["customer", "edit", "acme", "--since", "2026-11-25"], 3, ["S3", "call 1 on Tue 24 Nov 2026"])


def test_until_after_the_calls_ends_the_grants(cli, acme):
    code, out, err = cli(NOW, "customer", "edit", "acme", "--until", "2026-12-31")
    assert code == 0, err
    assert "until 2026-12-31" in out
    assert ledger(cli, NOW, "--month", "2026-12")[("Acme", "2026-12")]["granted"] == 2
    assert ledger(cli, NOW, "--month", "2027-01")[("Acme", "2027-01")]["granted"] == 0  # S3: not active on any day


def test_a_new_zone_keeps_every_call_at_its_instant_and_reads_the_month_there(cli, acme):
    def starts():
        return [datetime.fromisoformat(c["start"]) for c in json.loads(cli(NOW, "session", "list", "--json")[1])]

    assert cli(NOW, "customer", "edit", "acme", "--tz", "America/Los_Angeles")[0] == 0
    # Booked at 10:00 in Madrid (UTC+1): the same instants, shown at 01:00 in Los Angeles (UTC-8).
    assert starts() == [datetime(2026, 11, day, 9, tzinfo=UTC) for day in (24, 25)]
    assert [start.hour for start in starts()] == [1, 1]
    # 1 December 08:00 in Madrid is still 30 November in Los Angeles: the current period is November there.
    assert sorted(ledger(cli, "2026-12-01T08:00:00+01:00")) == [("Acme", "2026-11")]


# --- S2: a call that ended and was never marked ---------------------------------------


def test_warnings_lists_a_call_that_ended_unmarked_in_your_zone_until_it_is_marked(cli):
    assert cli(NOW, "customer", "add", "Acme", "--plan", "tam-c", "--tz", "America/New_York", "--since", "2026-11-01")[0] == 0
    code, out, _ = cli(NOW, "session", "book", "acme", "2026-11-24T10:00")  # 16:00-17:00 in Madrid
    call = out.strip()
    later = "2026-11-24T17:00:00+01:00"  # its end, in the TAM's Madrid
    code, out, err = cli(later, "warnings", "--json")
    assert code == 0, err
    assert [w for w in json.loads(out) if w["rule"] == "S2"] == [{
        "customer": "Acme", "rule": "S2",
        "text": f"call {call} on Tue 2026-11-24 16:00 Europe/Madrid has ended and is still scheduled: mark it held or "
                f"no-show ('tamdesk session held {call}' or 'tamdesk session no-show {call}'; h or n on the Week).",
    }]
    assert cli(later, "session", "held", call)[0] == 0
    assert [w for w in json.loads(cli(later, "warnings", "--json")[1]) if w["rule"] == "S2"] == []
