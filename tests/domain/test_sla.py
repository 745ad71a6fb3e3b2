"""L1-L4, L7-L10: a case's deadlines, verdicts, warnings and compliance, from its events.

Every expectation is worked out by hand from the rule in the comment beside it:
business hours are 09:00-17:00 Monday-Friday in the contract zone (T4), and the
targets are L1's (critical 30 min / 2 h / 4 h / 8 h; high 2 h / 4 h / 8 h / 16 h;
normal 4 h / 1 day / 2 days / 4 days).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tamdesk.domain.business_hours import BusinessCalendar
from tamdesk.domain.clocks import Clock
from tamdesk.domain.errors import BadInput
from tamdesk.domain.plans import catalogue_from_dict
from tamdesk.domain.sla import (
    EVENTS,
    CaseRef,
    ChecklistDone,
    Escalated,
    Event,
    Filed,
    Opened,
    Reopened,
    Resolved,
    Responded,
    Resumed,
    SeverityChanged,
    Updated,
    Waiting,
    case_clock,
    case_sla,
    compliance,
    event,
    read_targets,
)
from tamdesk.resources import data_file, read_toml

UTC = ZoneInfo("UTC")
NY = ZoneInfo("America/New_York")
MADRID = ZoneInfo("Europe/Madrid")
L1 = read_targets({}, "sla_targets")
US = BusinessCalendar(NY, country="US")
BUSINESS = case_clock("business", US)
ROUND = case_clock("24x7", US)


def at(text: str, tz: ZoneInfo = UTC) -> datetime:
    """``YYYY-MM-DD HH:MM`` on the wall clock of ``tz``, as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=tz).astimezone(UTC)


def deadlines(events: list[Event], clock: Clock, now: datetime) -> list[tuple[str, datetime, datetime | None, str]]:
    """(kind, due, done_at, state) of every deadline listed, in the order they fall due."""
    return [(d.kind, d.due, d.done_at, d.state) for d in case_sla(events, clock, L1, now).deadlines]


def due(events: list[Event], clock: Clock, now: datetime) -> dict[str, datetime]:
    """The due time of each deadline kind still open (the last one of a kind wins)."""
    return {d.kind: d.due for d in case_sla(events, clock, L1, now).deadlines}


# ---------------------------------------------------------------- first response (L7, L8)


def test_critical_filed_friday_1650_on_a_business_clock_answers_monday_0920():
    # Fri 20 Nov 2026 16:50 New York: 10 business minutes are left on Friday (to 17:00); the other
    # 20 of the 30-minute target run from Monday's opening: due Mon 23 Nov 09:20 EST = 14:20 UTC.
    filed = [Filed(at("2026-11-20 16:50", NY), "critical")]
    sla = case_sla(filed, BUSINESS, L1, at("2026-11-23 09:00", NY))
    assert [(d.kind, d.due, d.state) for d in sla.deadlines] == [("response", at("2026-11-23T14:20"), "pending")]
    # At Monday's opening 20 clock minutes are left of 30 (a third: no L10 warning yet).
    assert (sla.next_deadline.kind, sla.next_deadline.clock_minutes_left) == ("response", 20)
    assert sla.warnings == ()
    # The whole weekend passed with no clock minute counted: Saturday noon is still 20 minutes before due.
    assert case_sla(filed, BUSINESS, L1, at("2026-11-21 12:00", NY)).next_deadline.clock_minutes_left == 20


def test_critical_filed_friday_1650_on_express_answers_the_same_evening():
    # Express runs 24x7 (L7, 004): 30 real minutes after 16:50 is Fri 17:20 EST = 22:20 UTC; by
    # Monday 09:00 EST (14:00 UTC) it is breached by 2 days 15 h 40 min = 3820 minutes.
    express = catalogue_from_dict(read_toml(data_file("plans.toml"))).plan("express")
    clock = case_clock(express.sla_clock, US)
    filed = [Filed(at("2026-11-20 16:50", NY), "critical")]
    sla = case_sla(filed, clock, express.sla_targets, at("2026-11-23 09:00", NY))
    assert [(d.kind, d.due, d.state) for d in sla.deadlines] == [("response", at("2026-11-20T22:20"), "breached")]
    assert sla.next_deadline.clock_minutes_left == -3820
    assert [(w.what, w.deadline.kind) for w in sla.warnings] == [("breached", "response")]


def test_a_response_on_the_dot_is_met_and_one_minute_later_missed():
    # L8: "at or before it (on the dot is on time)". Critical 24x7 filed 10:00: due 10:30.
    filed = Filed(at("2026-11-23 10:00"), "critical")
    on_dot = deadlines([filed, Responded(at("2026-11-23 10:30"))], ROUND, at("2026-11-23 10:40"))[0]
    late = deadlines([filed, Updated(at("2026-11-23 10:31"))], ROUND, at("2026-11-23 10:40"))[0]
    assert on_dot == ("response", at("2026-11-23 10:30"), at("2026-11-23 10:30"), "met")
    # An update counts as the first response too (L8), here one minute after due.
    assert late == ("response", at("2026-11-23 10:30"), at("2026-11-23 10:31"), "missed")


def test_a_case_straddling_thanksgiving_skips_the_holiday():
    # A US customer, high severity (2 h), filed Wed 25 Nov 2026 16:00 New York: 60 minutes on Wednesday;
    # Thu 26 Nov is Thanksgiving (no business day); the other 60 run Fri 27 Nov 09:00-10:00 EST = 15:00 UTC.
    filed = [Filed(at("2026-11-25 16:00", NY), "high")]
    assert due(filed, BUSINESS, at("2026-11-25 16:00", NY)) == {"response": at("2026-11-27 15:00")}
    # Thanksgiving noon: still 60 clock minutes left, nothing counted on the holiday.
    assert case_sla(filed, BUSINESS, L1, at("2026-11-26 12:00", NY)).next_deadline.clock_minutes_left == 60


def test_a_normal_case_crossing_the_end_of_daylight_time():
    # Filed Fri 30 Oct 2026 16:30 New York (EDT, UTC-4), normal: 4 h response. 30 minutes count on
    # Friday; DST ends Sun 1 Nov; the other 210 run Mon 2 Nov 09:00-12:30 EST (UTC-5) = 17:30 UTC.
    # A fixed-offset walk would say 16:30 UTC (11:30 EST).
    filed = Filed(at("2026-10-30 16:30", NY), "normal")
    assert due([filed], BUSINESS, at("2026-10-30 16:30", NY)) == {"response": at("2026-11-02 17:30")}
    # Responded Mon 2 Nov 10:00 EST: the next update is a day target (1 day): the same local time one
    # business day later, Tue 3 Nov 10:00 EST = 15:00 UTC; escalation 2 (2 days) Wed 4 Nov 10:00 EST.
    responded = [filed, Responded(at("2026-11-02 10:00", NY))]
    assert due(responded, BUSINESS, at("2026-11-02 10:00", NY)) == {
        "response": at("2026-11-02 17:30"),
        "update": at("2026-11-03 15:00"),
        "escalation-2": at("2026-11-04 15:00"),
        "escalation-3": at("2026-11-06 15:00"),  # 4 business days: Tue, Wed, Thu, Fri
    }


def test_a_24x7_day_is_1440_real_minutes_across_the_dst_night():
    # L7: a 24x7 clock counts elapsed minutes; the DST night has 25 hours. A normal express case
    # responded Sat 31 Oct 2026 12:00 EDT (16:00 UTC) owes its update 1440 minutes later:
    # Sun 1 Nov 16:00 UTC, which the wall clock in New York reads as 11:00 EST.
    events = [Filed(at("2026-10-31 11:00", NY), "normal"), Responded(at("2026-10-31 12:00", NY))]
    assert due(events, ROUND, at("2026-10-31 12:00", NY))["update"] == at("2026-11-01 16:00")


def test_day_targets_on_a_business_clock_skip_a_holiday():
    # Madrid, with Tue 8 Dec 2026 a holiday. A normal case responded Mon 7 Dec 11:30: its update
    # (1 day) falls Wed 9 Dec 11:30 (Tuesday is no business day); escalation 2 (2 days) Thu 10 Dec;
    # escalation 3 (4 days) Mon 14 Dec (Wed, Thu, Fri, Mon) at 11:30 CET (10:30 UTC).
    calendar = BusinessCalendar(MADRID, country="ES", holiday_years=lambda code, year: {date(2026, 12, 8): "Inmaculada"})
    clock = case_clock("business", calendar)
    events = [Filed(at("2026-12-07 11:00", MADRID), "normal"), Responded(at("2026-12-07 11:30", MADRID))]
    assert due(events, clock, at("2026-12-07 11:30", MADRID)) == {
        "response": at("2026-12-07 15:00", MADRID),  # 4 h from 11:00 on Monday
        "update": at("2026-12-09 11:30", MADRID),
        "escalation-2": at("2026-12-10 11:30", MADRID),
        "escalation-3": at("2026-12-14 11:30", MADRID),
    }


def test_a_critical_period_turns_a_business_clock_into_24x7():
    # A migration weekend, Sat 21 Nov 2026 00:00 to Mon 23 Nov 00:00 New York (T5). A critical case
    # filed Sat 10:00 is due Sat 10:30 (every minute counts inside the period, L7); without the
    # period it would wait for Monday: Mon 09:30.
    period = (at("2026-11-21 00:00", NY), at("2026-11-23 00:00", NY))
    filed = [Filed(at("2026-11-21 10:00", NY), "critical")]
    assert due(filed, case_clock("business", US, [period]), filed[0].at) == {"response": at("2026-11-21 10:30", NY)}
    assert due(filed, BUSINESS, filed[0].at) == {"response": at("2026-11-23 09:30", NY)}


# ---------------------------------------------------------------- updates, escalations (L8)


def test_updates_run_from_the_last_response_or_update():
    # Critical 24x7: responded 10:00 -> update due 12:00; updated 11:00 (met) -> next due 13:00;
    # updated 13:05 (missed by 5 minutes) -> next due 15:05, pending at 14:00.
    events = [
        Filed(at("2026-11-23 09:50"), "critical"),
        Responded(at("2026-11-23 10:00")),
        Updated(at("2026-11-23 11:00")),
        Updated(at("2026-11-23 13:05")),
    ]
    updates = [d for d in deadlines(events, ROUND, at("2026-11-23 14:00")) if d[0] == "update"]
    assert updates == [
        ("update", at("2026-11-23 12:00"), at("2026-11-23 11:00"), "met"),
        ("update", at("2026-11-23 13:00"), at("2026-11-23 13:05"), "missed"),
        ("update", at("2026-11-23 15:05"), None, "pending"),
    ]


def test_an_escalation_missed_by_one_minute_and_one_met_on_the_dot():
    # Critical 24x7, first response 10:00: level 2 due 14:00 (4 h), level 3 due 18:00 (8 h).
    base = [Filed(at("2026-11-23 09:55"), "critical"), Responded(at("2026-11-23 10:00"))]
    on_dot = {d[0]: d for d in deadlines([*base, Escalated(at("2026-11-23 14:00"), level=2)], ROUND, at("2026-11-23 15:00"))}
    late = {d[0]: d for d in deadlines([*base, Escalated(at("2026-11-23 14:01"), level=2)], ROUND, at("2026-11-23 15:00"))}
    assert on_dot["escalation-2"] == ("escalation-2", at("2026-11-23 14:00"), at("2026-11-23 14:00"), "met")
    assert late["escalation-2"] == ("escalation-2", at("2026-11-23 14:00"), at("2026-11-23 14:01"), "missed")
    assert on_dot["escalation-3"] == ("escalation-3", at("2026-11-23 18:00"), None, "pending")


def test_escalating_straight_to_level_3_meets_level_2_too():
    events = [
        Filed(at("2026-11-23 09:55"), "critical"),
        Responded(at("2026-11-23 10:00")),
        Escalated(at("2026-11-23 13:00"), level=3),
    ]
    sla = case_sla(events, ROUND, L1, at("2026-11-23 13:30"))
    escalations = [(d.kind, d.done_at, d.state) for d in sla.deadlines if d.kind.startswith("escalation")]
    assert escalations == [("escalation-2", at("2026-11-23 13:00"), "met"), ("escalation-3", at("2026-11-23 13:00"), "met")]
    assert sla.level == 3
    # What is left is the update, due 12:00 (2 h from 10:00) and not done: breached, 90 minutes late.
    assert (sla.next_deadline.kind, sla.next_deadline.clock_minutes_left) == ("update", -90)


def test_a_case_resolved_before_its_escalation_drops_it():
    # Critical 24x7, responded 10:00, resolved 11:00: the update (12:00) and the escalations (14:00,
    # 18:00) had not fallen due, so they drop out (L8, L10); only the response is listed.
    events = [Filed(at("2026-11-23 09:50"), "critical"), Responded(at("2026-11-23 10:00")), Resolved(at("2026-11-23 11:00"))]
    sla = case_sla(events, ROUND, L1, at("2026-11-23 20:00"))
    assert [(d.kind, d.state) for d in sla.deadlines] == [("response", "met")]
    assert (sla.next_deadline, sla.warnings, sla.resolved) == (None, (), True)


def test_resolution_makes_a_breach_final_and_drops_what_was_not_due():
    # Critical 24x7 filed 09:50 (response due 10:20), responded 10:00; update due 12:00 not done;
    # resolved 13:00. The update fell due before the resolution: breached, final (no longer next, no
    # warning). Escalation 2 (14:00) and 3 (18:00) drop.
    events = [Filed(at("2026-11-23 09:50"), "critical"), Responded(at("2026-11-23 10:00")), Resolved(at("2026-11-23 13:00"))]
    sla = case_sla(events, ROUND, L1, at("2026-11-23 20:00"))
    assert [(d.kind, d.due, d.state, d.final) for d in sla.deadlines] == [
        ("response", at("2026-11-23 10:20"), "met", False),
        ("update", at("2026-11-23 12:00"), "breached", True),
    ]
    assert (sla.next_deadline, sla.warnings) == (None, ())
    # Resolved at 12:00 on the dot: the update was due, not yet past due (breached is "now after
    # due", L10), so it drops out like the escalations.
    on_dot = [*events[:2], Resolved(at("2026-11-23 12:00"))]
    assert [d[0] for d in deadlines(on_dot, ROUND, at("2026-11-23 20:00"))] == ["response"]


def test_a_queued_case_breaches_while_queued():
    # L8: a queued case's customer is already waiting: its clock runs from the filing. Critical 24x7
    # filed (queued) 10:00: due 10:30; at 10:45, still queued, it is breached by 15 minutes.
    filed = [Filed(at("2026-11-23 10:00"), "critical")]
    sla = case_sla(filed, ROUND, L1, at("2026-11-23 10:45"))
    assert [(d.kind, d.state) for d in sla.deadlines] == [("response", "breached")]
    assert sla.next_deadline.clock_minutes_left == -15
    # Leaving the queue at 11:00 changes no clock: still due 10:30.
    opened = [*filed, Opened(at("2026-11-23 11:00"))]
    assert due(opened, ROUND, at("2026-11-23 11:05")) == {"response": at("2026-11-23 10:30")}


def test_a_reopened_case_owes_an_update_one_interval_later_and_does_not_escalate_at_once():
    # Critical 24x7 responded 10:10, resolved 11:00 (update 12:10 and escalations 14:10, 18:10 drop),
    # reopened 15:00 (after escalation 2 would have fallen due): it owes its update at 17:00 (2 h,
    # L9), and nothing is breached or due at once.
    events = [
        Filed(at("2026-11-23 10:00"), "critical"),
        Responded(at("2026-11-23 10:10")),
        Resolved(at("2026-11-23 11:00")),
        Reopened(at("2026-11-23 15:00")),
    ]
    sla = case_sla(events, ROUND, L1, at("2026-11-23 15:00"))
    assert [(d.kind, d.due, d.state) for d in sla.deadlines] == [
        ("response", at("2026-11-23 10:30"), "met"),
        ("update", at("2026-11-23 17:00"), "pending"),
    ]
    assert (sla.next_deadline.kind, sla.next_deadline.clock_minutes_left, sla.resolved) == ("update", 120, False)
    assert sla.warnings == ()
    # The update at 16:00 meets it and owes the next at 18:00.
    later = [*events, Updated(at("2026-11-23 16:00"))]
    assert [d[1:] for d in deadlines(later, ROUND, at("2026-11-23 16:00")) if d[0] == "update"] == [
        (at("2026-11-23 17:00"), at("2026-11-23 16:00"), "met"),
        (at("2026-11-23 18:00"), None, "pending"),
    ]


# ---------------------------------------------------------------- pauses and the checklist (L5, L9)


def test_a_one_hour_pause_moves_every_open_deadline_by_one_clock_hour():
    # Business clock, Mon 23 Nov 2026 New York. Critical, filed 09:50, responded 10:00: update due
    # 12:00, escalation 2 at 14:00, escalation 3 at 10:00 + 8 business hours = Tue 10:00.
    # Waiting 10:30-11:30 (one clock hour): each moves an hour later; the response, done before the
    # pause, stays due 10:20.
    base = [Filed(at("2026-11-23 09:50", NY), "critical"), Responded(at("2026-11-23 10:00", NY))]
    paused = [*base, Waiting(at("2026-11-23 10:30", NY)), Resumed(at("2026-11-23 11:30", NY))]
    assert due(base, BUSINESS, at("2026-11-23 11:45", NY)) == {
        "response": at("2026-11-23 10:20", NY),
        "update": at("2026-11-23 12:00", NY),
        "escalation-2": at("2026-11-23 14:00", NY),
        "escalation-3": at("2026-11-24 10:00", NY),
    }
    assert due(paused, BUSINESS, at("2026-11-23 11:45", NY)) == {
        "response": at("2026-11-23 10:20", NY),
        "update": at("2026-11-23 13:00", NY),
        "escalation-2": at("2026-11-23 15:00", NY),
        "escalation-3": at("2026-11-24 11:00", NY),
    }


def test_a_pause_after_a_deadline_was_met_leaves_its_due_time_alone():
    # L9 moves only the deadlines still open. Critical, business clock, Mon 23 Nov 2026 New York: filed
    # 09:50, response due 10:20, answered at 09:55 (met). Waiting from 10:00 to 11:00, before 10:20 on
    # the wall clock but after the answer: the response stays due 10:20. The update, open through the
    # pause, runs from 09:55: 2 h to 11:55, plus the paused hour, 12:55.
    events = [
        Filed(at("2026-11-23 09:50", NY), "critical"),
        Responded(at("2026-11-23 09:55", NY)),
        Waiting(at("2026-11-23 10:00", NY)),
        Resumed(at("2026-11-23 11:00", NY)),
    ]
    assert deadlines(events, BUSINESS, at("2026-11-23 11:30", NY))[:2] == [
        ("response", at("2026-11-23 10:20", NY), at("2026-11-23 09:55", NY), "met"),
        ("update", at("2026-11-23 12:55", NY), None, "pending"),
    ]
    # Still waiting, a week on: the answered response keeps its time, whatever the pause does to the rest.
    waiting = events[:3]
    assert deadlines(waiting, BUSINESS, at("2026-11-30 11:30", NY))[0][1] == at("2026-11-23 10:20", NY)


def test_while_waiting_the_case_is_paused_with_no_next_deadline():
    # Critical 24x7 responded 10:00 (update due 12:00), waiting since 11:00. At 11:50 the clock has
    # stood still 50 minutes: the update is shown as due 12:50 if the customer answered now, and
    # there is no next deadline while paused (L3 with L9).
    events = [Filed(at("2026-11-23 09:50"), "critical"), Responded(at("2026-11-23 10:00")), Waiting(at("2026-11-23 11:00"))]
    sla = case_sla(events, ROUND, L1, at("2026-11-23 11:50"))
    assert (sla.paused, sla.next_deadline) == (True, None)
    assert {d.kind: d.due for d in sla.deadlines}["update"] == at("2026-11-23 12:50")
    # No "due soon" warning while the clock stands still; it is 60 minutes from due, not 10.
    assert sla.warnings == ()


def test_a_checklist_that_completes_an_hour_after_filing_starts_the_clock_then():
    # L5, L8: critical 24x7, filed 10:00 with a checklist; three items at 10:20, the last at 11:00.
    # The response is due 11:30, not 10:30.
    events: list[Event] = [
        Filed(at("2026-11-23 10:00"), "critical", checklist=True),
        ChecklistDone(at("2026-11-23 10:20"), "description"),
        ChecklistDone(at("2026-11-23 10:20"), "steps"),
        ChecklistDone(at("2026-11-23 10:20"), "screenshots"),
    ]
    waiting = case_sla(events, ROUND, L1, at("2026-11-23 10:40"))
    assert waiting.paused and waiting.next_deadline is None
    assert waiting.checklist == {"description": True, "steps": True, "screenshots": True, "access": False}
    complete = [*events, ChecklistDone(at("2026-11-23 11:00"), "access")]
    sla = case_sla(complete, ROUND, L1, at("2026-11-23 11:10"))
    assert [(d.kind, d.due) for d in sla.deadlines] == [("response", at("2026-11-23 11:30"))]
    assert (sla.paused, sla.next_deadline.clock_minutes_left) == (False, 20)
    # A response while the request was still incomplete is before the clock started: on time.
    early = [*events, Responded(at("2026-11-23 10:30")), ChecklistDone(at("2026-11-23 11:00"), "access")]
    assert deadlines(early, ROUND, at("2026-11-23 11:10"))[0] == ("response", at("2026-11-23 11:30"), at("2026-11-23 10:30"), "met")


def test_waiting_while_the_checklist_is_incomplete_pauses_once():
    # Critical 24x7 filed 10:00 with a checklist complete at 11:00, and waiting 10:30-11:30: the two
    # pauses overlap into one, 10:00-11:30, so the response is due 12:00 (not 12:30, as two pauses
    # counted apart would say, nor 11:30, as the checklist alone would).
    events: list[Event] = [
        Filed(at("2026-11-23 10:00"), "critical", checklist=True),
        *(ChecklistDone(at("2026-11-23 10:10"), item) for item in ("description", "steps", "screenshots")),
        Waiting(at("2026-11-23 10:30")),
        ChecklistDone(at("2026-11-23 11:00"), "access"),
        Resumed(at("2026-11-23 11:30")),
    ]
    assert due(events, ROUND, at("2026-11-23 11:40")) == {"response": at("2026-11-23 12:00")}
    assert case_sla(events, ROUND, L1, at("2026-11-23 11:40")).next_deadline.clock_minutes_left == 20


def test_a_case_without_a_checklist_has_none():
    assert case_sla([Filed(at("2026-11-23 10:00"), "high")], ROUND, L1, at("2026-11-23 10:00")).checklist is None


# ---------------------------------------------------------------- severity changes (L9)


def test_a_severity_change_applies_new_targets_from_each_deadline_s_own_start_without_losing_pause_time():
    # Normal 24x7 filed 10:00, waiting 10:15-10:45 (30 minutes paused), raised to high at 11:00:
    # the response now runs to 2 h from 10:00 plus the pause: 12:30. Responded 12:20: met.
    # (Losing the pause would put it at 12:00 and call it missed.)
    events: list[Event] = [
        Filed(at("2026-11-23 10:00"), "normal"),
        Waiting(at("2026-11-23 10:15")),
        Resumed(at("2026-11-23 10:45")),
        SeverityChanged(at("2026-11-23 11:00"), "high"),
        Responded(at("2026-11-23 12:20")),
    ]
    assert deadlines(events, ROUND, at("2026-11-23 12:30")) == [
        ("response", at("2026-11-23 12:30"), at("2026-11-23 12:20"), "met"),
        ("update", at("2026-11-23 16:20"), None, "pending"),  # high: 4 h from 12:20
        ("escalation-2", at("2026-11-23 20:20"), None, "pending"),  # 8 h
        ("escalation-3", at("2026-11-24 04:20"), None, "pending"),  # 16 h
    ]
    # Raised to critical at 13:00: the deadlines not yet done take critical's targets from their own
    # start (12:20): update 14:20, escalation 2 16:20, escalation 3 20:20. The response, met under
    # high, keeps its due time.
    raised = [*events, SeverityChanged(at("2026-11-23 13:00"), "critical")]
    sla = case_sla(raised, ROUND, L1, at("2026-11-23 13:00"))
    assert [(d.kind, d.due) for d in sla.deadlines] == [
        ("response", at("2026-11-23 12:30")),
        ("update", at("2026-11-23 14:20")),
        ("escalation-2", at("2026-11-23 16:20")),
        ("escalation-3", at("2026-11-23 20:20")),
    ]
    assert sla.severity == "critical"


def test_a_severity_raised_past_a_deadline_breaches_it_at_once():
    # Normal 24x7 filed 10:00 (due 14:00), raised to critical at 11:00: due 10:30, already passed.
    events = [Filed(at("2026-11-23 10:00"), "normal"), SeverityChanged(at("2026-11-23 11:00"), "critical")]
    assert deadlines(events, ROUND, at("2026-11-23 11:00")) == [("response", at("2026-11-23 10:30"), None, "breached")]


# ---------------------------------------------------------------- warnings (L10)


@pytest.mark.parametrize(
    "minutes_after, warned",
    [
        # Critical response, interval 30 minutes: 25% is 7.5 minutes. At +22 min, 8 are left (no
        # warning); at +23, 7 (warned); at +30 it is due (0 left, warned, still pending).
        (22, False),
        (23, True),
        (30, True),
    ],
)
def test_warned_from_a_quarter_of_the_interval_left(minutes_after, warned):
    filed = Filed(at("2026-11-23 10:00"), "critical")
    sla = case_sla([filed], ROUND, L1, filed.at + timedelta(minutes=minutes_after))
    assert [(w.what, w.clock_minutes_left) for w in sla.warnings] == ([("due-soon", 30 - minutes_after)] if warned else [])


def test_an_update_is_warned_with_exactly_a_quarter_left():
    # Critical update every 2 h from 10:00: due 12:00; a quarter of 120 is 30: warned at 11:30, not 11:29.
    events = [Filed(at("2026-11-23 09:55"), "critical"), Responded(at("2026-11-23 10:00"))]
    assert [w.deadline.kind for w in case_sla(events, ROUND, L1, at("2026-11-23 11:30")).warnings] == ["update"]
    assert case_sla(events, ROUND, L1, at("2026-11-23 11:29")).warnings == ()


def test_next_deadline_reads_as_people_say_it():
    filed = [Filed(at("2026-11-23 10:00"), "critical")]
    assert case_sla(filed, ROUND, L1, at("2026-11-23 10:12")).next_deadline.said() == "response in 18 min"
    assert case_sla(filed, ROUND, L1, at("2026-11-23 12:30")).next_deadline.said() == "response 2 h late"


# ---------------------------------------------------------------- compliance (L4, L10)


def _case(id: int, customer: str, events: list[Event], now: datetime) -> tuple[CaseRef, tuple]:
    return CaseRef(id, customer), case_sla(events, ROUND, L1, now).deadlines


def test_compliance_over_a_fixed_data_set():
    # Period: Mon 23 Nov 2026 00:00 to Tue 24 Nov 00:00 UTC, judged at Mon 18:00. All 24x7, critical.
    # Case 1 (Acme), filed 09:00: responded 09:20 (response due 09:30: met); updated 11:00 (update due
    #   11:20: met); update due 13:00 breached (not done by 18:00); escalated 2 at 13:30 (due 13:20:
    #   missed); escalation 3 due 17:20 breached.
    # Case 2 (Beta), filed 10:00: responded 10:45 (due 10:30: missed); update due 12:45, done 12:00
    #   (met); next due 14:00, done 14:00 (met); next due 16:00 breached; escalation 2 due 14:45, done
    #   14:00 (met); escalation 3 due 18:45: pending (not counted).
    # Case 3 (Acme), filed 17:50: response due 18:20 pending (not counted).
    # Case 4 (Beta), filed Sun 22 Nov 23:00, responded 23:10: its response (due Sun 23:30) is outside
    #   the period; what it owes from 23:10 falls due inside it and is not done: update Mon 01:10,
    #   escalation 2 Mon 03:10, escalation 3 Mon 07:10, all breached.
    now = at("2026-11-23 18:00")
    cases = [
        _case(1, "Acme", [
            Filed(at("2026-11-23 09:00"), "critical"), Responded(at("2026-11-23 09:20")), Updated(at("2026-11-23 11:00")),
            Escalated(at("2026-11-23 13:30"), level=2),
        ], now),
        _case(2, "Beta", [
            Filed(at("2026-11-23 10:00"), "critical"), Responded(at("2026-11-23 10:45")), Updated(at("2026-11-23 12:00")),
            Updated(at("2026-11-23 14:00")), Escalated(at("2026-11-23 14:00"), level=2),
        ], now),
        _case(3, "Acme", [Filed(at("2026-11-23 17:50"), "critical")], now),
        _case(4, "Beta", [Filed(at("2026-11-22 23:00"), "critical"), Responded(at("2026-11-22 23:10"))], now),
    ]
    # (Case 1's escalation at 13:30 is no update to the customer: its update due 13:00 stays breached.)
    report = compliance(cases, at("2026-11-23 00:00"), at("2026-11-24 00:00"))
    # First responses counted: case 1 met, case 2 missed -> 1 on time, 1 late, share 0.5 < 0.95.
    assert report.first_response.as_json() == {"on_time": 1, "late": 1, "share": 0.5, "target": 0.95, "met": False}
    # Updates counted: case 1 met (11:20) and breached (13:00); case 2 met (12:45), met (14:00),
    # breached (16:00); case 4 breached (01:10) -> 3 on time, 3 late.
    assert report.updates.as_json() == {"on_time": 3, "late": 3, "share": 0.5, "target": 0.9, "met": False}
    # Escalations counted: case 1 level 2 missed (13:20), level 3 breached (17:20); case 2 level 2
    # met (14:45); case 4 levels 2 and 3 breached -> 1 on time, 4 late; pooled with the updates:
    # 4 on time, 7 late, 4/11 against 0.9.
    assert report.escalations.as_json() == {"on_time": 1, "late": 4, "share": 0.2, "target": 0.9, "met": False}
    assert (report.updates_and_escalations.on_time, report.updates_and_escalations.late) == (4, 7)
    assert report.updates_and_escalations.share == pytest.approx(4 / 11)
    assert [(m.case.id, m.case.customer, m.kind, m.due, m.done_at) for m in report.misses] == [
        (4, "Beta", "update", at("2026-11-23 01:10"), None),
        (4, "Beta", "escalation-2", at("2026-11-23 03:10"), None),
        (4, "Beta", "escalation-3", at("2026-11-23 07:10"), None),
        (2, "Beta", "response", at("2026-11-23 10:30"), at("2026-11-23 10:45")),
        (1, "Acme", "update", at("2026-11-23 13:00"), None),
        (1, "Acme", "escalation-2", at("2026-11-23 13:20"), at("2026-11-23 13:30")),
        (2, "Beta", "update", at("2026-11-23 16:00"), None),
        (1, "Acme", "escalation-3", at("2026-11-23 17:20"), None),
    ]


def test_a_period_with_nothing_due_has_no_share():
    # The week before any case: nothing due, so no share and no verdict on the target (not 100%).
    cases = [_case(1, "Acme", [Filed(at("2026-11-23 09:00"), "critical")], at("2026-11-23 12:00"))]
    report = compliance(cases, at("2026-11-16 00:00"), at("2026-11-23 00:00"))
    for share in (report.first_response, report.updates, report.escalations, report.updates_and_escalations):
        assert (share.on_time, share.late, share.share, share.met) == (0, 0, None, None)
    assert report.misses == ()


def test_pending_and_dropped_deadlines_do_not_count():
    # Critical 24x7 responded 10:00, resolved 11:00: update and escalations dropped; the response met.
    # Another filed 11:50, judged 12:00: its response (12:20) is pending. Only one deadline counts.
    cases = [
        _case(1, "Acme", [Filed(at("2026-11-23 09:50"), "critical"), Responded(at("2026-11-23 10:00")), Resolved(at("2026-11-23 11:00"))], at("2026-11-23 12:00")),
        _case(2, "Acme", [Filed(at("2026-11-23 11:50"), "critical")], at("2026-11-23 12:00")),
    ]
    report = compliance(cases, at("2026-11-23 00:00"), at("2026-11-24 00:00"))
    assert (report.first_response.on_time, report.first_response.late, report.first_response.met) == (1, 0, True)
    assert (report.updates_and_escalations.on_time, report.updates_and_escalations.late) == (0, 0)


# ---------------------------------------------------------------- events and inputs


def test_every_event_kind_maps_to_its_class():
    assert sorted(EVENTS) == sorted(
        ["filed", "opened", "responded", "updated", "escalated", "waiting", "resumed", "checklist", "severity", "resolved", "reopened", "linked"]
    )
    assert EVENTS["escalated"](at("2026-11-23 10:00"), level=3) == Escalated(at("2026-11-23 10:00"), 3)
    # A stored row's fields, the note and the fields of other kinds left out.
    row = {"level": 3, "severity": None, "item": None, "problem": None, "note": "to the vendor"}
    assert event("escalated", at("2026-11-23 10:00"), **row) == Escalated(at("2026-11-23 10:00"), 3)
    assert event("filed", at("2026-11-23 09:00"), severity="high", checklist=True, note=None) == Filed(
        at("2026-11-23 09:00"), "high", checklist=True
    )
    with pytest.raises(BadInput, match="unknown case event 'closed'"):
        event("closed", at("2026-11-23 10:00"))


def test_a_history_starts_with_its_filing():
    with pytest.raises(BadInput, match="starts with its filing"):
        case_sla([Responded(at("2026-11-23 10:00"))], ROUND, L1, at("2026-11-23 10:00"))



# ---------------------------------------------------------------- property: pauses (L9)

CONTACTS = {"responded": Responded, "updated": Updated}


@given(
    severity=st.sampled_from(["critical", "high", "normal"]),
    steps=st.lists(
        st.tuples(st.integers(0, 600), st.sampled_from(["responded", "updated", "escalated-2", "escalated-3", "severity"])),
        max_size=6,
    ),
    before_pause=st.integers(0, 3000),
    pause=st.integers(1, 3000),
    after=st.integers(0, 3000),
    raised=st.sampled_from(["critical", "high", "normal"]),
)
def test_a_pause_moves_every_deadline_after_it_by_its_length_on_24x7(severity, steps, before_pause, pause, after, raised):
    # L9 on a 24x7 clock: a pause of `pause` minutes starting at p, after the whole history, moves
    # every deadline still open and due after p exactly `pause` minutes later, leaves those due by p
    # and those already done where they were (a done deadline is not open), and changes no done time
    # or verdict.
    t = at("2026-11-23 10:00")
    events: list[Event] = [Filed(t, severity)]
    for gap, what in steps:
        t += timedelta(minutes=gap)
        if what in CONTACTS:
            events.append(CONTACTS[what](t))
        elif what == "severity":
            events.append(SeverityChanged(t, raised))
        else:
            events.append(Escalated(t, level=int(what[-1])))
    p = t + timedelta(minutes=before_pause)
    length = timedelta(minutes=pause)
    now = p + length + timedelta(minutes=after)
    plain = case_sla(events, ROUND, L1, now).deadlines
    paused = case_sla([*events, Waiting(p), Resumed(p + length)], ROUND, L1, now).deadlines
    # The same deadlines (the order may change: a done one stays, an open one after it moves past it).
    before = {(d.kind, d.start): d for d in plain}
    after_pause = {(d.kind, d.start): d for d in paused}
    assert {k: d.done_at for k, d in after_pause.items()} == {k: d.done_at for k, d in before.items()}
    assert {k: d.due for k, d in after_pause.items()} == {
        k: d.due + length if d.due > p and d.done_at is None else d.due for k, d in before.items()
    }
    assert {k: d.state for k, d in after_pause.items() if d.done_at} == {k: d.state for k, d in before.items() if d.done_at}


KINDS = ["responded", "updated", "escalated-2", "escalated-3", "waiting", "resumed", "resolved", "reopened", "severity", "checklist"]


@settings(deadline=None)  # the first example pays for loading the US holidays; examples: the profile (tests/conftest.py)
@given(
    severity=st.sampled_from(["critical", "high", "normal"]),
    checklist=st.booleans(),
    steps=st.lists(st.tuples(st.integers(0, 900), st.sampled_from(KINDS), st.integers(0, 3)), max_size=10),
    later=st.integers(0, 6000),
    business=st.booleans(),
)
def test_verdicts_agree_with_the_rule_for_any_history(severity, checklist, steps, later, business):
    # L3, L10 for any order of events on either clock: met iff done at or before due, missed iff
    # done after; breached iff not done and now after due; pending iff not done and not yet due;
    # the list runs in due order; the next deadline is the earliest pending or breached one not
    # made final, none while paused; its clock minutes left are never above 0 once breached and
    # never below 0 while pending.
    t = at("2026-11-20 14:00", NY)  # a Friday afternoon: the business clock crosses a weekend
    events: list[Event] = [Filed(t, severity, checklist=checklist)]
    for gap, what, n in steps:
        t += timedelta(minutes=gap)
        if what in CONTACTS:
            events.append(CONTACTS[what](t))
        elif what.startswith("escalated"):
            events.append(Escalated(t, level=int(what[-1])))
        elif what == "severity":
            events.append(SeverityChanged(t, ("critical", "high", "normal")[n % 3]))
        elif what == "checklist":
            events.append(ChecklistDone(t, ("description", "steps", "screenshots", "access")[n]))
        else:
            events.append(EVENTS[what](t))
    now = t + timedelta(minutes=later)
    sla = case_sla(events, BUSINESS if business else ROUND, L1, now)
    for d in sla.deadlines:
        if d.done_at is not None:
            assert d.state == ("met" if d.done_at <= d.due else "missed")
        elif not d.final:
            assert d.state == ("breached" if now > d.due else "pending")
        else:
            assert d.state == "breached"
    assert [d.due for d in sla.deadlines] == sorted(d.due for d in sla.deadlines)
    live = [d for d in sla.deadlines if not d.final and d.state in ("pending", "breached")]
    if sla.paused or not live:
        assert sla.next_deadline is None
    else:
        assert (sla.next_deadline.kind, sla.next_deadline.due) == (live[0].kind, live[0].due)
        left = sla.next_deadline.clock_minutes_left
        assert left <= 0 if live[0].state == "breached" else left >= 0
    if sla.resolved:
        assert not live and sla.warnings == ()


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)),
    severity=st.sampled_from(["critical", "high", "normal"]),
    kind=st.sampled_from(["response", "update", "escalation-2", "escalation-3"]),
    clock=st.sampled_from([BUSINESS, ROUND]),
)
def test_a_deadlines_interval_is_the_clock_minutes_from_its_start_to_its_due(start, severity, kind, clock):
    # L10 measures a warning against the interval; a minute target's is its own minutes (no second
    # walk of the clock), which must be what the clock counts from the start to the due time.
    target = L1[severity].of(kind)
    due_at = target.due(clock, start)
    assert target.interval(clock, start, due_at) == clock.minutes_between(start, due_at)
