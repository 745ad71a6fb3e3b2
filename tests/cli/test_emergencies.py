"""``tamdesk emergency`` through the real ``main`` (SPEC E1-E5): the flow, the money, the refusals, undo.

The TAM is in Madrid (``--tz Europe/Madrid``); Acme is on ``express`` in New York. Rates are the shipped
ones (express 35.00 USD/h, on demand the same) unless a test writes the user's own catalogue. Every
amount below is worked out by hand in a comment: minutes / 60 x rate, rounded half-up once per line (E5).
"""

from __future__ import annotations

import json
import re

import pytest

from tamdesk.resources import data_file, user_config_dir
from tests.cli.conftest import changes_nothing


def at(local: str) -> tuple[str, str]:
    """The desk's clock at a Madrid wall-clock time (ISO with its offset)."""
    return ("--now", local)


@pytest.fixture
def ok(run):
    """Run a command that must succeed; its stdout."""

    def invoke(*args: str) -> str:
        code, out, err = run(*args)
        assert code == 0, err
        return out

    return invoke


@pytest.fixture
def shown(ok):
    """``emergency show ID --json`` as a dict."""
    return lambda number="1", *clock: json.loads(ok("emergency", "show", number, "--json", *clock))


@pytest.fixture
def acme(ok):
    ok("customer", "add", "Acme", "--plan", "express", "--tz", "America/New_York", *at("2026-10-01T09:00+02:00"))


@pytest.fixture
def own_rates():
    """The user's catalogue: on demand 30.00/h, and Premium's extra work 25.00/h (P1)."""
    text = data_file("plans.toml").read_text(encoding="utf-8")
    text = text.replace('# on_demand = "35.00"', 'on_demand = "30.00"')
    text = text.replace("[plans.premium]\n", '[plans.premium]\nextra_work_rate = "25.00"\n')
    path = user_config_dir() / "plans.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def amounts(invoice: dict) -> list[tuple[str, int, str, str]]:
    return [(line["description"], line["minutes"], line["rate"], line["amount"]) for line in invoice["lines"]]


def test_the_flow_bills_each_approved_day_on_its_own_line_and_leaves_unapproved_time_out(acme, ok, shown):
    # Requested Mon 23 Nov 08:00 Madrid (07:00Z), answered 09:00: the 60th minute, on time (E3).
    assert ok("emergency", "open", "acme", "Database down", *at("2026-11-23T08:00+01:00")).strip() == "1"
    ok("emergency", "feasibility", "1", "--feasible", "--normalize-hours", "4", "--mitigate-hours", "1:30",
       "--risk", "data loss", *at("2026-11-23T09:00+01:00"))
    # Normalization: 20 min on the 23rd and 20 min on the 24th, both approved.
    ok("emergency", "log", "1", "2026-11-23 22:00", "2026-11-23 22:20", "--note", "failover", *at("2026-11-25T09:00+01:00"))
    ok("emergency", "log", "1", "2026-11-24 10:00", "2026-11-24 10:20", "--note", "replica", *at("2026-11-25T09:00+01:00"))
    ok("emergency", "approve", "1", "2026-11-23", "--by", "Dana Ross", *at("2026-11-25T09:00+01:00"))
    ok("emergency", "approve", "1", "2026-11-24", "--by", "Dana Ross", *at("2026-11-25T09:00+01:00"))
    out = ok("emergency", "normalized", "1", *at("2026-11-25T10:00+01:00"))
    # 20/60 x 35.00 = 11.666... -> 11.67 on each day: 23.34 (and not 40/60 x 35.00 = 23.33)
    assert "invoice 2 (normalization) issued: $23.34" in out
    # Mitigation: 40 min on the 25th approved (23.333... -> 23.33), 30 min on the 26th never approved (not billed).
    ok("emergency", "log", "1", "2026-11-25 11:00", "2026-11-25 11:40", *at("2026-11-26T12:00+01:00"))
    ok("emergency", "log", "1", "2026-11-26 10:00", "2026-11-26 10:30", *at("2026-11-26T12:00+01:00"))
    ok("emergency", "approve", "1", "2026-11-25", "--by", "Dana Ross", *at("2026-11-26T12:00+01:00"))
    ok("emergency", "close", "1", *at("2026-11-26T13:00+01:00"))

    view = shown("1")
    assert {"id", "customer", "status", "requested_at", "feasibility_due", "feasibility_at", "guarantee_hours",
            "guarantee", "entries", "invoices"} <= set(view)
    assert (view["id"], view["customer"], view["status"], view["guarantee_hours"], view["guarantee"]) == (
        1, "Acme", "closed", 1, "paid")
    # instants in UTC: Madrid is UTC+1 in November
    assert (view["requested_at"], view["feasibility_due"], view["feasibility_at"]) == (
        "2026-11-23T07:00:00+00:00", "2026-11-23T08:00:00+00:00", "2026-11-23T08:00:00+00:00")
    assert view["feasibility"] == "on time"
    entry = view["entries"][0]
    assert set(entry) >= {"id", "phase", "start", "end", "minutes", "day", "approved_by", "approved_at"}
    assert [(e["phase"], e["day"], e["minutes"], e["approved_by"]) for e in view["entries"]] == [
        ("normalization", "2026-11-23", 20, "Dana Ross"),
        ("normalization", "2026-11-24", 20, "Dana Ross"),
        ("mitigation", "2026-11-25", 40, "Dana Ross"),
        ("mitigation", "2026-11-26", 30, None),
    ]
    assert (entry["start"], entry["end"], entry["approved_at"]) == (
        "2026-11-23T21:00:00+00:00", "2026-11-23T21:20:00+00:00", "2026-11-25T08:00:00+00:00")
    invoices = {i["number"]: i for i in view["invoices"]}
    assert set(invoices[1]) >= {"number", "lines", "total", "currency"}
    # 1: the guarantee, 1 h at 35.00, billed when the feasible answer is given
    assert (amounts(invoices[1]), invoices[1]["total"], invoices[1]["currency"]) == (
        [("Guarantee: 1 h at the express rate", 60, "35.00", "35.00")], "35.00", "USD")
    assert amounts(invoices[2]) == [
        ("Normalization on 2026-11-23", 20, "35.00", "11.67"), ("Normalization on 2026-11-24", 20, "35.00", "11.67")]
    assert invoices[2]["total"] == "23.34"
    assert (amounts(invoices[3]), invoices[3]["total"]) == ([("Mitigation on 2026-11-25", 40, "35.00", "23.33")], "23.33")


def test_e4_an_entry_over_madrids_25_hour_day_becomes_two_that_add_up_to_the_real_minutes(acme, ok, shown):
    # 24 Oct 22:00 CEST (20:00Z) to 25 Oct 23:30 CET (22:30Z) is 26 h 30 min = 1590 real minutes; cut at the 25th's
    # midnight (22:00Z on the 24th): 120 minutes on the 24th, and 1470 on the 25th, a day of 25 hours.
    ok("emergency", "open", "acme", "Outage", *at("2026-10-24T21:00+02:00"))
    ok("emergency", "feasibility", "1", "--feasible", *at("2026-10-24T21:30+02:00"))
    out = ok("emergency", "log", "1", "2026-10-24 22:00", "2026-10-25 23:30", *at("2026-10-26T09:00+01:00"))
    assert "24 h 30 min" in out
    entries = shown("1")["entries"]
    assert [(e["day"], e["start"], e["end"], e["minutes"]) for e in entries] == [
        ("2026-10-24", "2026-10-24T20:00:00+00:00", "2026-10-24T22:00:00+00:00", 120),
        ("2026-10-25", "2026-10-24T22:00:00+00:00", "2026-10-25T22:30:00+00:00", 1470),
    ]
    assert sum(e["minutes"] for e in entries) == 1590


def test_e3_an_answer_at_61_minutes_shows_late_and_at_60_on_time(acme, ok, run, shown):
    ok("emergency", "open", "acme", "Late one", *at("2026-11-23T08:00+01:00"))
    ok("emergency", "open", "acme", "Timely one", *at("2026-11-23T08:00+01:00"))
    # due 09:00: the first is answered at 09:01 (61 minutes), the second at 09:00 (60 minutes)
    out = ok("emergency", "feasibility", "1", "--declined", *at("2026-11-23T09:01+01:00"))
    assert "answered late" in out
    ok("emergency", "feasibility", "2", "--feasible", *at("2026-11-23T09:00+01:00"))
    assert (shown("1")["feasibility"], shown("2")["feasibility"]) == ("late", "on time")
    assert re.search(r"feasibility due Mon 2026-11-23 09:00: late", ok("emergency", "show", "1"))
    # before the answer the clock runs, and past 09:00 it is overdue
    ok("emergency", "open", "acme", "Unanswered", *at("2026-11-23T08:30+01:00"))
    assert shown("3", *at("2026-11-23T09:30+01:00"))["feasibility"] == "running"
    assert shown("3", *at("2026-11-23T09:31+01:00"))["feasibility"] == "overdue"
    # said as people say it: due 09:30, so at 09:12 it is 18 minutes away
    assert "feasibility due Mon 2026-11-23 09:30: running (in 18 minutes)" in ok("emergency", "show", "3", *at("2026-11-23T09:12+01:00"))
    # a declined request bills nothing: the answer is free (E3)
    assert (shown("1")["status"], shown("1")["guarantee"], shown("1")["invoices"]) == ("declined", "none", [])


def test_e5_the_guarantee_paid_waived_and_credited(acme, ok, shown):
    now = at("2026-11-23T12:00+01:00")
    # paid: 2 h at 35.00 = 70.00 on invoice 1
    ok("emergency", "open", "acme", "Paid", "--guarantee-hours", "2", *at("2026-11-23T08:00+01:00"))
    ok("emergency", "feasibility", "1", "--feasible", *at("2026-11-23T08:30+01:00"))
    assert [(i["number"], i["total"]) for i in shown("1")["invoices"]] == [(1, "70.00")]
    # waived before the answer bills it: no invoice 1
    ok("emergency", "open", "acme", "Waived", *at("2026-11-23T08:00+01:00"))
    ok("emergency", "guarantee", "2", "--waive", *at("2026-11-23T08:10+01:00"))
    ok("emergency", "feasibility", "2", "--feasible", *at("2026-11-23T08:30+01:00"))
    assert (shown("2")["guarantee"], shown("2")["invoices"]) == ("waived", [])
    # credited: invoice 1 bills 35.00, invoice 2 gives it back as a negative line after 60 min at 35.00 (35.00)
    ok("emergency", "open", "acme", "Credited", *at("2026-11-23T08:00+01:00"))
    ok("emergency", "feasibility", "3", "--feasible", "--guarantee-hours", "1", *at("2026-11-23T08:30+01:00"))
    ok("emergency", "log", "3", "2026-11-23 09:00", "2026-11-23 10:00", *now)
    ok("emergency", "approve", "3", "2026-11-23", "--by", "Dana", *now)
    ok("emergency", "guarantee", "3", "--credit", *now)
    ok("emergency", "normalized", "3", *now)
    view = shown("3")
    invoices = {i["number"]: i for i in view["invoices"]}
    assert view["guarantee"] == "credited" and invoices[1]["total"] == "35.00"
    assert amounts(invoices[2]) == [
        ("Normalization on 2026-11-23", 60, "35.00", "35.00"), ("Guarantee credited", 60, "35.00", "-35.00")]
    assert invoices[2]["total"] == "0.00"


def test_a_monthly_plan_pays_no_guarantee_and_its_rate_for_mitigation(own_rates, acme, ok, shown):
    ok("customer", "add", "Umbrella", "--plan", "premium", "--tz", "Europe/Berlin", *at("2026-10-01T09:00+02:00"))
    for name, number in (("umbrella", "1"), ("acme", "2")):
        ok("emergency", "open", name, "Batch update lost data", *at("2026-11-23T08:00+01:00"))
        ok("emergency", "feasibility", number, "--feasible", *at("2026-11-23T08:20+01:00"))
        ok("emergency", "log", number, "2026-11-23 09:00", "2026-11-23 09:40", *at("2026-11-23T12:00+01:00"))
        ok("emergency", "approve", number, "today", "--by", "Klaus", *at("2026-11-23T12:00+01:00"))
        ok("emergency", "normalized", number, *at("2026-11-23T12:00+01:00"))
        ok("emergency", "log", number, "2026-11-23 12:00", "2026-11-23 12:40", *at("2026-11-23T13:00+01:00"))
        ok("emergency", "approve", number, "today", "--by", "Klaus", *at("2026-11-23T13:00+01:00"))
        ok("emergency", "close", number, *at("2026-11-23T14:00+01:00"))
    umbrella, acme_view = shown("1"), shown("2")
    # Umbrella (Premium, active): no guarantee and no invoice 1; normalization at express 40/60 x 35.00 = 23.33;
    # mitigation at Premium's own 25.00: 40/60 x 25.00 = 16.666... -> 16.67.
    assert (umbrella["guarantee_hours"], umbrella["guarantee"]) == (0, "none")
    assert [(i["number"], i["total"]) for i in umbrella["invoices"]] == [(2, "23.33"), (3, "16.67")]
    assert amounts(umbrella["invoices"][1]) == [("Mitigation on 2026-11-23", 40, "25.00", "16.67")]
    # Acme (express): the guarantee, and mitigation on demand at 30.00: 40/60 x 30.00 = 20.00
    assert [(i["number"], i["total"]) for i in acme_view["invoices"]] == [(1, "35.00"), (2, "23.33"), (3, "20.00")]


def test_a_customer_on_a_monthly_plan_is_refused_guarantee_hours(ok, run, db_url):
    ok("customer", "add", "Umbrella", "--plan", "premium", "--tz", "Europe/Berlin", *at("2026-10-01T09:00+02:00"))
    code, out, err = changes_nothing(run, db_url, "emergency", "open", "umbrella", "X", "--guarantee-hours", "2")
    assert code == 3 and out == ""
    assert "E3: a customer with an active monthly plan pays no guarantee" in err and "Leave --guarantee-hours out" in err


@pytest.fixture
def running(acme, ok):
    """Emergency 1, normalizing: requested 08:00, feasible at 08:30, 09:00-10:00 logged, not approved."""
    ok("emergency", "open", "acme", "Database down", *at("2026-11-23T08:00+01:00"))
    ok("emergency", "open", "acme", "Second request", *at("2026-11-23T08:00+01:00"))
    ok("emergency", "feasibility", "1", "--feasible", *at("2026-11-23T08:30+01:00"))
    ok("emergency", "log", "1", "2026-11-23 09:00", "2026-11-23 10:00", *at("2026-11-23T11:00+01:00"))


@pytest.mark.parametrize(
    ("args", "code", "rule", "said"),
    [
        (("open", "acme", "X", "--guarantee-hours", "9"), 3, "E1", "outside 1 to 8 hours"),
        (("open", "acme", "X", "--guarantee-hours", "0"), 3, "E1", "Give 1 to 8"),
        (("feasibility", "2", "--feasible", "--guarantee-hours", "12"), 3, "E1", "outside 1 to 8"),
        (("feasibility", "1", "--declined"), 3, "E3", "cannot answer its feasibility: the engagement is normalizing"),
        (("log", "2", "2026-11-23 09:00", "2026-11-23 10:00"), 3, "E4", "Answer its feasibility first"),
        (("log", "1", "2026-11-23 11:00", "2026-11-23 10:30"), 3, "E4", "an entry ends after it starts"),
        (("log", "1", "2026-11-23 09:30", "2026-11-23 10:30"), 3, "E4", "already holds"),
        (("log", "1", "2026-11-23 07:00", "2026-11-23 07:30"), 3, "E4", "before the request"),
        (("log", "1", "2026-11-23 12:00", "2026-11-23 13:00"), 3, "E4", "after now"),
        (("approve", "1", "2026-11-22", "--by", "Dana"), 3, "E4", "Days with time: 2026-11-23"),
        (("normalized", "2"), 3, "E2", "cannot mark it normalized: the engagement is requested"),
        (("close", "1"), 3, "E2", "tamdesk emergency normalized ID"),
        (("guarantee", "1", "--waive"), 3, "E5", "credit it against normalization"),
        (("invoice", "1", "2"), 2, None, "no invoice 2 (normalization); issued: 1"),
        (("show", "9"), 2, None, "unknown emergency 9"),
        (("open", "nobody", "X"), 2, None, "unknown customer"),
        (("log", "1", "yesterday", "2026-11-23 10:30"), 2, None, "no time of day"),
    ],
    ids=lambda value: value[0] if isinstance(value, tuple) else None,
)
def test_refusals_name_the_rule_and_what_is_allowed_and_change_nothing(running, run, db_url, args, code, rule, said):
    got, out, err = changes_nothing(run, db_url, "emergency", *args, "--now", "2026-11-23T11:00+01:00")
    assert got == code, err
    assert said in err
    if rule:
        assert f"tamdesk: {rule}: " in err


def test_refusals_after_close_change_nothing(running, ok, run, db_url):
    later = at("2026-11-23T12:00+01:00")
    ok("emergency", "normalized", "1", *later)
    ok("emergency", "close", "1", *later)
    for args, said in (
        (("log", "1", "2026-11-23 11:00", "2026-11-23 11:30"), "E4: cannot log time: the engagement is closed"),
        (("approve", "1", "2026-11-23", "--by", "Dana"), "E5: the time of 2026-11-23 was invoiced already"),
        (("guarantee", "1", "--credit"), "E5: cannot credit the guarantee: the engagement is closed"),
    ):
        code, out, err = changes_nothing(run, db_url, "emergency", *args, "--now", "2026-11-23T12:00+01:00")
        assert code == 3 and said in err


def test_the_json_error_names_the_rule(running, run, db_url):
    code, out, _ = changes_nothing(run, db_url, "emergency", "show", "7", "--json")
    assert code == 2 and json.loads(out)["error"]["code"] == 2


def test_list_shows_running_engagements_first(running, ok):
    ok("emergency", "feasibility", "2", "--declined", *at("2026-11-23T08:40+01:00"))
    listed = json.loads(ok("emergency", "list", "--json"))
    assert [(e["id"], e["status"]) for e in listed] == [(1, "normalizing"), (2, "declined")]
    human = ok("emergency", "list").splitlines()
    assert human[0].split()[:3] == ["ID", "STATUS", "CUSTOMER"]
    assert human[1].split()[:3] == ["1", "normalizing", "Acme"] and "1 h" in human[1]


def test_show_says_times_in_your_zone_and_money_for_people(running, ok):
    out = ok("emergency", "show", "1")
    # 09:00-10:00 Madrid as logged; the guarantee of 1 h at $35.00 (Babel's US dollars)
    assert re.search(r"Mon 2026-11-23 09:00\s+10:00\s+1 h\s+normalization\s+-", out)
    assert "invoice 1 (guarantee): $35.00" in out and "express $35.00/h" in out


def test_invoices_as_markdown_or_json_to_stdout_or_a_file(running, ok, tmp_path):
    md = ok("emergency", "invoice", "1")
    assert "# Invoice 1: guarantee" in md and "| Guarantee: 1 h at the express rate | 1 h | $35.00/h | $35.00 |" in md
    document = json.loads(ok("emergency", "invoice", "1", "1", "--format", "json"))
    assert (document["number"], document["total"], document["currency"]) == (1, "35.00", "USD")
    assert [i["number"] for i in json.loads(ok("emergency", "invoice", "1", "--format", "json"))] == [1]
    target = tmp_path / "out" / "invoice-1.md"
    assert ok("emergency", "invoice", "1", "1", "-o", str(target)) == ""
    assert target.read_text(encoding="utf-8").startswith("# Invoice 1: guarantee")


@pytest.mark.parametrize("name", ["report.md", "report.html"])
def test_close_writes_the_technical_report_for_the_customer(running, ok, tmp_path, name):
    later = at("2026-11-23T12:00+01:00")
    ok("emergency", "feasibility", "2", "--declined", *later)  # another engagement stays out of this report
    ok("emergency", "log", "1", "2026-11-23 10:00", "2026-11-23 10:30", "--note", "restored <the> replica", *later)
    ok("emergency", "normalized", "1", *later)
    ok("emergency", "log", "1", "2026-11-23 12:00", "2026-11-23 12:15", "--note", "patched the cause", *at("2026-11-23T13:00+01:00"))
    report = tmp_path / name
    ok("emergency", "close", "1", "--report", str(report), *at("2026-11-23T13:00+01:00"))
    text = report.read_text(encoding="utf-8")
    for section in ("What happened", "Actions", "Evidence", "Hours per phase"):
        assert section in text
    # the 10:00 Madrid entry is 04:00 in New York; both zones are named
    assert "Mon 2026-11-23 10:00-10:30" in text and "Mon 2026-11-23 04:00-04:30" in text
    assert "Europe/Madrid" in text and "America/New_York" in text
    # hours per phase: normalization 1 h + 30 min, mitigation 15 min
    assert re.search(r"Normalization(?: \| |</td><td class=\"number\">)1 h 30 min", text)
    assert re.search(r"Mitigation(?: \| |</td><td class=\"number\">)15 min", text)
    assert "patched the cause" in text
    # no rule ids in what the customer reads
    assert not re.search(r"\b[A-Z]\d{1,2}\b", text)
    if name.endswith(".html"):
        assert text.startswith("<!DOCTYPE html>") and "restored &lt;the&gt; replica" in text and "<script" not in text
    # closed already: --report writes it again and changes nothing else
    again = tmp_path / ("again-" + name)
    ok("emergency", "close", "1", "--report", str(again))
    assert again.read_text(encoding="utf-8") == text


WRITES = [
    ("open", "acme", "Third"),
    ("feasibility", "2", "--feasible", "--normalize-hours", "2", "--risk", "low"),
    ("log", "1", "2026-11-23 10:00", "2026-11-23 10:45"),
    ("approve", "1", "2026-11-23", "--by", "Dana"),
    ("normalized", "1"),
    ("guarantee", "1", "--credit"),
    ("guarantee", "2", "--waive"),
]


def _without_journal(rows: dict) -> dict:
    # undo marks its journal row undone and every commit raises the revision setting: the rest must be as before
    return {name: rows[name] for name in rows if name not in ("journal", "settings")}


@pytest.mark.parametrize("args", WRITES, ids=lambda args: " ".join(args[:2]))
def test_undo_reverts_each_write(running, ok, db_url, args):
    from tamdesk.services.desk import Desk
    from tests.conftest import table_rows

    desk = Desk.open(str(db_url))
    try:
        before = _without_journal(table_rows(desk))
        ok("emergency", *args, *at("2026-11-23T11:00+01:00"))
        assert _without_journal(table_rows(desk)) != before
        ok("undo", *at("2026-11-23T11:05+01:00"))
        assert _without_journal(table_rows(desk)) == before
    finally:
        desk.close()


def test_undo_reverts_a_close_and_its_invoice(running, ok, db_url):
    from tamdesk.services.desk import Desk
    from tests.conftest import table_rows

    later = at("2026-11-23T12:00+01:00")
    ok("emergency", "normalized", "1", *at("2026-11-23T11:00+01:00"))
    ok("emergency", "log", "1", "2026-11-23 11:00", "2026-11-23 11:30", *later)
    ok("emergency", "approve", "1", "2026-11-23", "--by", "Dana", *later)
    desk = Desk.open(str(db_url))
    try:
        before = _without_journal(table_rows(desk))
        ok("emergency", "close", "1", *later)
        assert len(table_rows(desk)["emergency_invoices"]) == 2  # invoice 1, invoice 3 (nothing was approved before 2)
        ok("undo", *later)
        assert _without_journal(table_rows(desk)) == before
    finally:
        desk.close()
