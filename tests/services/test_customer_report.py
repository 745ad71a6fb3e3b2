"""The customer report on a small fixed desk: every figure against what the rules say, worked out by hand.

The desk is built through the use-cases, each at the moment it happened
(``Desk.at``). The TAM is in Madrid; Acme (tam-a: 4 sessions a month, a 10 h
weekly cap) is in New York on US holidays, business hours 09:00-17:00 there;
the report is October 2026 in New York (EDT, UTC-4 all month). The clock reads
Monday 23 November 2026, 08:00 in Madrid (02:00 in New York).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tamdesk.render import render
from tamdesk.services import calls, case_events, cases, problems, timelog
from tamdesk.services.customer_report import NOTES_HEADING, SECTIONS, customer_report
from tests.conftest import instant

NY = ZoneInfo("America/New_York")
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))
CUSTOMER_NOTE = "Customer note: prefers calls before their stand-up"


def ny(text: str) -> datetime:
    """A New York wall-clock time as an aware datetime (EDT in October, EST from 1 November)."""
    return datetime.fromisoformat(text).replace(tzinfo=NY)


@pytest.fixture
def acme_desk(desk, customer):
    """Acme's October, and a second customer whose case shares Acme's problem."""
    customer("Acme")
    customer("Other Co")
    at = lambda text: desk.at(instant(text))  # noqa: E731

    # September: two sessions booked on 1 Sep, both cancelled by the TAM on 15 Sep (S6: two credits for October).
    september = [calls.book_call(at("2026-09-01T14:00:00+00:00"), "Acme", ny(f"2026-09-{d}T10:00")).call.id for d in (22, 29)]
    for call in september:
        calls.cancel_call(at("2026-09-15T12:00:00+00:00"), call, by="tam")
    # October's sessions, booked on 1 October (S3): 6 Oct 10:00 held; 13 Oct 08:00, before New York's
    # business hours, booked with force (T5: kept as an exception) and then a no-show (counts as held,
    # S2); 20 Oct 10:00 cancelled by the TAM on 15 Oct (S6); 27 Oct 10:00 never marked (still booked).
    booking = at("2026-10-01T14:00:00+00:00")
    held = calls.book_call(booking, "Acme", ny("2026-10-06T10:00"), agenda="Release plan").call.id
    early = calls.book_call(booking, "Acme", ny("2026-10-13T08:00"), force=True)
    cancelled = calls.book_call(booking, "Acme", ny("2026-10-20T10:00")).call.id
    calls.book_call(booking, "Acme", ny("2026-10-27T10:00"))
    calls.mark_call(at("2026-10-06T15:10:00+00:00"), held, "held")  # logs its 60 min on 6 Oct (B1)
    calls.mark_call(at("2026-10-13T13:10:00+00:00"), early.call.id, "no-show")  # logs 60 min on 13 Oct
    calls.cancel_call(at("2026-10-15T12:00:00+00:00"), cancelled, by="tam")

    # Time logged in the TAM's days: 1.5 h on 7 Oct; 6 h and 4 h on 14 and 15 Oct (over the cap,
    # confirmed: B2); 1 h on 27 Oct with an internal note.
    timelog.log_time(at("2026-10-07T17:00:00+00:00"), "Acme", "1.5", on=date(2026, 10, 7))
    timelog.log_time(at("2026-10-14T17:00:00+00:00"), "Acme", "6", on=date(2026, 10, 14))
    timelog.log_time(at("2026-10-15T17:00:00+00:00"), "Acme", "4", on=date(2026, 10, 15), force=True)
    timelog.log_time(at("2026-10-27T17:00:00+00:00"), "Acme", "1", on=date(2026, 10, 27), note="Prepared the upgrade plan")

    # Case A (high): filed Mon 5 Oct 10:00, answered 11:00, updated 14:00, resolved Tue 6 Oct 09:30.
    a = cases.open_case(at("2026-10-05T14:00:00+00:00"), "Acme", "Exports time out", "high").id
    case_events.respond(at("2026-10-05T15:00:00+00:00"), a)
    case_events.update(at("2026-10-05T18:00:00+00:00"), a)
    cases.resolve_case(at("2026-10-06T13:30:00+00:00"), a, "Raised the export timeout")
    # Case B (normal): filed Tue 20 Oct 10:00, answered 15:00, then nothing more: still open.
    b = cases.open_case(at("2026-10-20T14:00:00+00:00"), "Acme", "Search misses new records", "normal").id
    case_events.respond(at("2026-10-20T19:00:00+00:00"), b)
    other = cases.open_case(at("2026-10-20T15:00:00+00:00"), "Other Co", "Other's private case", "normal").id
    # Case D (normal): filed Sat 31 Oct 20:00 in New York, already 1 Nov 01:00 in Madrid: October's for Acme.
    d = cases.open_case(at("2026-11-01T00:00:00+00:00"), "Acme", "Login fails on the weekend", "normal").id
    problems.open_problem(at("2026-10-21T12:00:00+00:00"), "Index lag after bulk loads", [b, other])

    # Coming up, booked now: the quarter's review on Tue 24 Nov and a session on Tue 1 Dec, 10:00 New York.
    calls.book_call(desk, "Acme", ny("2026-11-24T10:00"), review=True, agenda="Quarterly review")
    calls.book_call(desk, "Acme", ny("2026-12-01T10:00"))
    # The customer's own notes have no use-case yet (the column is there for them): written as a migration would.
    desk.write(lambda unit: setattr(unit.customer("Acme"), "notes", CUSTOMER_NOTE))
    return desk, {"a": a, "b": b, "d": d, "other": other, "exception": early.call.exception}


def test_every_figure_of_acme_october(acme_desk):
    desk, ids = acme_desk
    report = customer_report(desk, "acme", *OCTOBER)

    assert (report.customer, report.tz, report.span) == ("Acme", "America/New_York", OCTOBER)
    assert report.prepared == ny("2026-11-23T02:00")  # now (08:00 in Madrid), in the customer's zone (EST)

    # S3/S6, October's ledger, final (the month is over): granted 4 (tam-a); carried in 2 (September:
    # 4 left, min(4, 2 the TAM cancelled) = 2); booked 3 (6 Oct held, 13 Oct no-show, 27 Oct still
    # booked; the cancelled one frees its unit); held 2 (a no-show counts as held, S2); available
    # 4 + 2 - 3 = 3; carried out min(3 left, 1 the TAM cancelled in October) = 1; forfeited 3 - 1 = 2
    # (September's credits never carry twice).
    [october] = report.sessions
    assert (october.name, october.granted, october.carried_in, october.booked, october.held) == ("October 2026", 4, 2, 3, 2)
    assert (october.available, october.carried_out, october.forfeited, october.final) == (3, 1, 2, True)
    # The four October calls in New York time, in the customer's words.
    assert [(c.start, c.status) for c in report.calls] == [
        (ny("2026-10-06T10:00"), "held"),
        (ny("2026-10-13T08:00"), "held (nobody attended)"),
        (ny("2026-10-20T10:00"), "cancelled by us"),
        (ny("2026-10-27T10:00"), "booked"),
    ]

    # B1, the TAM's ISO weeks touching 1-31 October (Thu 1 Oct is in the week of 28 Sep, Sat 31 Oct in
    # that of 26 Oct): 28 Sep nothing; 5 Oct 60 (held call) + 90 = 150 min; 12 Oct 60 (no-show) + 360
    # + 240 = 660 min, over the 10 h cap (B2); 19 Oct nothing (the call was cancelled); 26 Oct 60 min
    # logged and the 27 Oct call, booked and not held, 60 min more.
    assert [(w.monday, w.logged_minutes, w.booked_minutes, w.over) for w in report.weeks] == [
        (date(2026, 9, 28), 0, 0, False),
        (date(2026, 10, 5), 150, 0, False),
        (date(2026, 10, 12), 660, 0, True),
        (date(2026, 10, 19), 0, 0, False),
        (date(2026, 10, 26), 60, 60, False),
    ]
    assert report.cap_hours == 10

    # Cases filed in October in New York: A, B and D (not Other Co's); resolved in October: A.
    assert [c.id for c in report.opened] == [ids["a"], ids["b"], ids["d"]]
    assert [c.id for c in report.resolved] == [ids["a"]]
    assert [(c.severity, c.filed, c.resolved) for c in report.opened] == [
        ("high", ny("2026-10-05T10:00"), ny("2026-10-06T09:30")),
        ("normal", ny("2026-10-20T10:00"), None),
        ("normal", ny("2026-10-31T20:00"), None),
    ]
    # L4 over October in New York (L1 targets on 09:00-17:00 business clocks, L7, L8):
    # A: response due 12:00 (2 h), done 11:00: met. Update due 15:00 (4 h after 11:00), done 14:00: met.
    #    Its next update (Tue 10:00) and escalations (8 h / 16 h after 11:00) fell due after the
    #    resolution at 09:30 Tue: dropped, never counted (L10).
    # B: response due 14:00 (4 h), done 15:00: missed. Update due 1 business day after 15:00 (Wed 21
    #    Oct 15:00), escalation to level 2 two business days after (Thu 22 Oct 15:00), level 3 four
    #    (Mon 26 Oct 15:00: the weekend skipped): none done, all breached and all due in October.
    # D: response due Mon 2 Nov 13:00 (4 business hours from Monday's opening): November's, not counted.
    # First responses 1 of 2 (50%, target 95%: not met); updates and escalations 1 of 4 (25%, 90%: not met).
    first, rest = report.shares
    assert (first.on_time, first.counted, first.share, first.target, first.met) == (1, 2, 0.5, 0.95, False)
    assert (rest.on_time, rest.counted, rest.share, rest.target, rest.met) == (1, 4, 0.25, 0.9, False)
    assert [(m.case, m.what, m.due, m.done) for m in report.misses] == [
        (ids["b"], "first response", ny("2026-10-20T14:00"), ny("2026-10-20T15:00")),
        (ids["b"], "update", ny("2026-10-21T15:00"), None),
        (ids["b"], "escalation to level 2", ny("2026-10-22T15:00"), None),
        (ids["b"], "escalation to level 3", ny("2026-10-26T15:00"), None),
    ]

    # L3: B and D are open; each one's next deadline is its earliest not done: B's update of 21 Oct,
    # D's response of 2 Nov 13:00 (EST by then), both late.
    assert [(c.id, c.status, c.next_what, c.next_due, c.late) for c in report.open_cases] == [
        (ids["b"], "open", "update", ny("2026-10-21T15:00"), True),
        (ids["d"], "open", "first response", ny("2026-11-02T13:00"), True),
    ]

    # L6: the problem over B and Other Co's case lists Acme's case only (another customer's case is not theirs to read).
    [problem] = report.problems
    assert (problem.title, problem.resolved, problem.cases) == ("Index lag after bulk loads", None, ((ids["b"], "Search misses new records"),))

    # P3: tam-a has no recurring deliverables.
    assert report.obligations == ()

    # Coming up from now: 24 Nov (the quarter's review, S8) and 1 Dec, both 10:00 in New York (EST).
    assert [(c.start, c.title) for c in report.upcoming] == [
        (ny("2026-11-24T10:00"), "Quarterly review"), (ny("2026-12-01T10:00"), "Working session"),
    ]
    assert (report.review.title, report.review.booked, report.review.every) == ("Quarterly review", ny("2026-11-24T10:00"), "quarter")
    assert report.notes is None


def test_notes_only_when_asked(acme_desk):
    desk, ids = acme_desk
    plain = customer_report(desk, "acme", *OCTOBER)
    noted = customer_report(desk, "acme", *OCTOBER, include_notes=True)
    assert ids["exception"]  # the 08:00 call was kept as an exception (T5)
    for fmt in ("md", "html"):
        without = render(f"report_customer.{fmt}.j2", r=plain, sections=SECTIONS, notes_heading=NOTES_HEADING)
        with_notes = render(f"report_customer.{fmt}.j2", r=noted, sections=SECTIONS, notes_heading=NOTES_HEADING)
        for secret in ("Prepared the upgrade plan", CUSTOMER_NOTE, ids["exception"], NOTES_HEADING):
            assert secret not in without, (fmt, secret)
            assert secret in with_notes, (fmt, secret)
    # The notes themselves: the customer's, October's entries with a note (the TAM's days), the exception.
    assert noted.notes.customer == CUSTOMER_NOTE
    assert [(e.day, e.minutes, e.note) for e in noted.notes.entries] == [
        (date(2026, 10, 6), 60, "Working session held"),
        (date(2026, 10, 13), 60, "Working session (customer absent)"),
        (date(2026, 10, 27), 60, "Prepared the upgrade plan"),
    ]
    assert noted.notes.exceptions == ((ny("2026-10-13T08:00"), ids["exception"]),)


def test_markdown_rows_of_acme_october(acme_desk):
    desk, ids = acme_desk
    text = render("report_customer.md.j2", r=customer_report(desk, "acme", *OCTOBER), sections=SECTIONS, notes_heading=NOTES_HEADING)
    for heading in SECTIONS.values():
        assert f"\n## {heading}\n" in text
    assert "All times are in America/New_York" in text
    # The figures above, as the rows a customer reads.
    expected_rows = [
        "| October 2026 | 4 | 2 | 3 | 2 | 3 | 1 | 2 |",
        "| Tue 13 Oct 2026 08:00 | Working session (60 min) | held (nobody attended) |  |",
        "| 05 Oct 2026 | 2.50 | 0.00 | 2.50 | 10 |",
        "| 12 Oct 2026 | 11.00 | 0.00 | 11.00 (over the cap) | 10 |",
        "| 26 Oct 2026 | 1.00 | 1.00 | 2.00 | 10 |",
        "| First responses | 1 of 2 on time (50.0%) | 95% | no |",
        "| Updates and escalations | 1 of 4 on time (25.0%) | 90% | no |",
        f"- #{ids['b']} Search misses new records: escalation to level 3 due Mon 26 Oct 2026 15:00, not done",
        f"| #{ids['b']} | Search misses new records | normal | open | update was due Wed 21 Oct 2026 15:00 |",
        "Next quarterly review: Tue 24 Nov 2026 10:00.",
        "Your plan has no regular deliverables besides its calls.",
    ]
    lines = text.splitlines()
    for row in expected_rows:
        assert row in lines, row
    assert "Other's private case" not in text  # another customer's case never reaches this report


def test_obligations_met_due_and_missed_per_period(desk, customer):
    # P3 on standard: service review, customer intelligence and roadmap each quarter, met by a held
    # review call or time logged with that activity. Report 1 Sep - 31 Oct touches Q3 and Q4.
    customer("Stark", plan="standard")
    timelog.log_time(desk.at(instant("2026-09-15T17:00:00+00:00")), "Stark", "1", on=date(2026, 9, 15), activity="roadmap")
    timelog.log_time(desk.at(instant("2026-10-14T17:00:00+00:00")), "Stark", "1", on=date(2026, 10, 14), activity="customer-intelligence")
    report = customer_report(desk, "stark", date(2026, 9, 1), date(2026, 10, 31))
    # Q3 is over: the roadmap was met, the others missed. Q4 ends 31 Dec, after today (23 Nov):
    # intelligence met, the review and the roadmap still due.
    assert [(o.title, o.period, o.due, o.state) for o in report.obligations] == [
        ("Service review", "2026-Q3", date(2026, 9, 30), "missed"),
        ("Service review", "2026-Q4", date(2026, 12, 31), "due"),
        ("Customer intelligence", "2026-Q3", date(2026, 9, 30), "missed"),
        ("Customer intelligence", "2026-Q4", date(2026, 12, 31), "met"),
        ("Product roadmap", "2026-Q3", date(2026, 9, 30), "met"),
        ("Product roadmap", "2026-Q4", date(2026, 12, 31), "due"),
    ]
    assert report.sessions == ()  # standard grants no working sessions (P1)
    assert (report.review.booked, report.review.every) == (None, "quarter")


def test_default_period_is_the_month_so_far_in_the_customers_zone(desk, customer):
    # 23 Nov 08:00 in Madrid is still 22 Nov 21:00 in Honolulu: the month so far ends on the
    # customer's own today (T2). One end alone keeps to its month.
    customer("Aloha", tz="Pacific/Honolulu")
    assert customer_report(desk, "aloha").span == (date(2026, 11, 1), date(2026, 11, 22))
    assert customer_report(desk, "aloha", date(2026, 10, 5)).span == (date(2026, 10, 5), date(2026, 10, 31))
    assert customer_report(desk, "aloha", None, date(2026, 9, 20)).span == (date(2026, 9, 1), date(2026, 9, 20))


def test_titles_are_escaped_in_html_and_kept_in_one_markdown_cell(desk, customer):
    customer("Tricky")
    cases.open_case(desk, "Tricky", "Export <all> rows | fails & stops", "normal")
    report = customer_report(desk, "tricky")
    html = render("report_customer.html.j2", r=report, sections=SECTIONS, notes_heading=NOTES_HEADING)
    markdown = render("report_customer.md.j2", r=report, sections=SECTIONS, notes_heading=NOTES_HEADING)
    assert "Export &lt;all&gt; rows | fails &amp; stops" in html and "<all>" not in html
    assert "| Export <all> rows \\| fails & stops |" in markdown  # the pipe escaped, the row's cells intact


def test_the_chart_draws_the_cap_between_a_week_under_it_and_one_over_it():
    from tamdesk.services.customer_report import WeekHours, hours_chart

    # 150 min under a 10 h cap, 660 min over it: SVG y grows downwards, so the bar over the cap
    # rises above the cap's line (a smaller y) and the other stops below it.
    under, over = WeekHours(150, 0, 10, monday=date(2026, 10, 5)), WeekHours(600, 60, 10, monday=date(2026, 10, 12))
    chart = hours_chart((under, over), 10)
    low, high = chart.bars
    assert high.y < chart.cap_y < low.y
    assert (low.over, high.over, low.value, high.value) == (False, True, "2.5 h", "11 h")
    # Both bars stand on the baseline, their heights in proportion to their hours (11 / 2.5).
    assert low.y + low.height == pytest.approx(chart.baseline, abs=0.1) == high.y + high.height
    assert high.height / low.height == pytest.approx(11 / 2.5, rel=0.01)


def test_before_the_contract_starts_no_session_is_due(desk, customer):
    # S3: nothing is granted in a month before the contract's start, so October shows no ledger at all,
    # and the page says why instead of saying the plan has no sessions.
    customer("Newco", plan="tam-b", active_from=date(2026, 11, 1))
    report = customer_report(desk, "newco", *OCTOBER)
    assert (report.sessions, report.period_word) == ((), "month")
    text = render("report_customer.md.j2", r=report, sections=SECTIONS, notes_heading=NOTES_HEADING)
    assert "No month of your contract falls in these days" in text and "includes no working sessions" not in text
