"""Undo: each kind of change reverted, step by step, and refused (changing nothing) where the rules refuse."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select

from tamdesk.domain.errors import Refusal
from tamdesk.domain.periods import parse_month
from tamdesk.services.calls import book_call, call_history, cancel_call, list_calls, mark_call, move_call
from tamdesk.services.cases import list_cases, open_case, resolve_case
from tamdesk.services.customer_edit import edit_customer
from tamdesk.services.customers import (
    CustomerFields,
    add_critical_period,
    add_time_off,
    get_customer,
    list_customers,
)
from tamdesk.services.reports import allowance_report
from tamdesk.services.settings import get_settings, set_setting
from tamdesk.services.timelog import delete_time, edit_time, list_time, log_time
from tamdesk.services.undo import NothingToUndo, undo
from tamdesk.store.models import JournalEntry, TimeEntryEvent
from tests.conftest import instant, table_rows


def ledger(desk, month, name):
    return [v.row for v in allowance_report(desk, parse_month(month), name)][0]


def week_time(desk):
    return [(e.id, e.customer, e.work_date, e.minutes, e.note) for e in list_time(desk, date(2026, 11, 16), date(2026, 11, 29))]


def test_undo_goes_back_step_by_step_then_says_nothing_is_left(desk, customer):
    customer("Acme")
    call = book_call(desk, "Acme", "2026-11-24T10:00").call
    first = undo(desk)
    # The newest change first: the booking goes, as if never made.
    assert first.kind == "call.booked" and first.subject_id == call.id
    assert "Acme's call on Tue 24 Nov 16:00" in first.said  # 10:00 New York is 16:00 in Madrid, the TAM's zone
    assert list_calls(desk) == [] and [c.name for c in list_customers(desk)] == ["Acme"]
    # Run again: the change before (adding the customer).
    assert undo(desk).kind == "customer.added"
    assert list_customers(desk) == []
    rows = table_rows(desk)
    with pytest.raises(NothingToUndo, match="nothing to undo"):
        undo(desk)
    assert table_rows(desk) == rows


def test_undoing_a_tam_move_into_next_month_puts_it_back_and_december_carries_nothing(desk, customer):
    customer("Acme", plan="tam-c")
    call = book_call(desk, "Acme", "2026-11-27T10:00").call
    move_call(desk, call.id, "2026-12-03T10:00", by="tam")
    done = undo(desk)
    assert done.said == "moved Acme's call back to Fri 27 Nov 16:00"
    [back] = list_calls(desk)
    assert (back.start, back.status) == (instant("2026-11-27T10:00:00-05:00"), "scheduled")
    assert back.sequence == 2  # the move and its undo each raise it (X1)
    # S6: November holds its booking, the move no longer counts as a TAM departure: no credit from nothing.
    nov, dec = ledger(desk, "2026-11", "Acme"), ledger(desk, "2026-12", "Acme")
    assert (nov.booked, nov.tam_freed, nov.carried_out) == (1, 0, 0)
    assert (dec.carried_in, dec.booked) == (0, 0)
    assert [e.action for e in call_history(desk, call.id)] == ["booked", "moved-undone", "undone"]


def test_undoing_a_tam_cancellation_books_it_again_without_inventing_a_credit(desk, customer):
    customer("Acme", plan="tam-b")  # 2 sessions a month: one stays free, so a kept departure would carry it (S6)
    call = book_call(desk, "Acme", "2026-11-24T10:00").call
    cancel_call(desk, call.id, by="tam")
    assert ledger(desk, "2026-11", "Acme").carried_out == 1  # what the cancellation earned (S6)
    done = undo(desk)
    assert done.said == "booked Acme's call on Tue 24 Nov 16:00 again"
    assert [c.status for c in list_calls(desk)] == ["scheduled"]
    nov = ledger(desk, "2026-11", "Acme")
    assert (nov.booked, nov.available, nov.tam_freed, nov.carried_out) == (1, 1, 0, 0)
    # The customer now cancels it: that frees its unit inside November only (S5). Had the undone TAM
    # cancellation still counted, S6 would carry min(left 2, TAM-freed 1) = 1 into December.
    cancel_call(desk, call.id, by="customer")
    nov = ledger(desk, "2026-11", "Acme")
    assert (nov.available, nov.tam_freed, nov.carried_out) == (2, 0, 0)
    assert ledger(desk, "2026-12", "Acme").carried_in == 0


def test_undoing_a_cancellation_once_the_call_has_passed_is_refused_and_changes_nothing(desk, at, customer):
    customer("Acme")
    call = book_call(desk, "Acme", "2026-11-24T10:00").call
    cancel_call(desk, call.id, by="customer")
    later = at("2026-11-24T16:00:00+00:00")  # 11:00 in New York: the call's hour has begun
    rows = table_rows(desk)
    with pytest.raises(Refusal) as refused:
        undo(later)
    assert refused.value.rule == "S2"
    assert table_rows(desk) == rows


def test_undoing_a_cancellation_onto_a_time_taken_since_is_refused_by_t7(desk, customer):
    customer("Acme")
    customer("Tyrell")
    call = book_call(desk, "Acme", "2026-11-24T10:00").call
    cancel_call(desk, call.id, by="customer")
    book_call(desk, "Tyrell", "2026-11-24T10:30")
    # That booking is older than the journal (a desk migrated from 0002, or the demo's): undo cannot take it back.
    with desk.engine.begin() as connection:
        connection.execute(delete(JournalEntry).where(JournalEntry.kind == "call.booked", JournalEntry.subject_id != call.id))
    rows = table_rows(desk)
    with pytest.raises(Refusal) as refused:
        undo(desk)
    assert refused.value.rule == "T7" and "Tyrell" in refused.value.message
    assert table_rows(desk) == rows
    # still the newest change not undone: nothing was marked undone
    with desk.engine.connect() as connection:
        assert connection.scalar(select(JournalEntry.undone_at).order_by(JournalEntry.id.desc()).limit(1)) is None


def test_undoing_a_mark_makes_the_call_scheduled_again_and_removes_its_logged_time(desk, at, customer):
    customer("Acme")
    call = book_call(desk, "Acme", "2026-11-24T10:00").call
    after = at("2026-11-24T17:00:00+00:00")
    mark_call(after, call.id, "held")
    assert len(week_time(desk)) == 1
    done = undo(after)
    assert done.kind == "call.marked"
    assert [c.status for c in list_calls(desk)] == ["scheduled"]
    assert week_time(desk) == []


def test_undoing_a_no_show_is_the_same(desk, at, customer):
    customer("Acme")
    call = book_call(desk, "Acme", "2026-11-24T10:00").call
    after = at("2026-11-24T17:00:00+00:00")
    mark_call(after, call.id, "no-show")
    undo(after)
    assert [c.status for c in list_calls(desk)] == ["scheduled"] and week_time(desk) == []


def test_undoing_time_log_edit_and_delete(desk, customer):
    customer("Acme")
    entry = log_time(desk, "Acme", "1:30", note="prep")
    edit_time(desk, entry.id, hours="2", note="prep and notes")
    delete_time(desk, entry.id)
    assert week_time(desk) == []
    undo(desk)  # the deletion: the entry comes back under its own id, as edited
    assert week_time(desk) == [(entry.id, "Acme", date(2026, 11, 23), 120, "prep and notes")]
    undo(desk)  # the correction
    assert week_time(desk) == [(entry.id, "Acme", date(2026, 11, 23), 90, "prep")]
    undo(desk)  # the logging
    assert week_time(desk) == []
    with desk.engine.connect() as connection:
        actions = connection.scalars(select(TimeEntryEvent.action).order_by(TimeEntryEvent.id)).all()
    assert actions == ["edited", "deleted", "undone", "undone", "undone"]  # B5: the history keeps every step


def test_undoing_a_resolution_reopens_the_case_and_queues_the_promoted_one_again(desk, customer):
    customer("Acme")
    desk.catalogue = desk.catalogue._replace(caseload_cap=1)
    first = open_case(desk, "Acme", "Login fails", "high")
    second = open_case(desk, "Acme", "Slow reports", "normal", queue=True)
    change = resolve_case(desk, first.id, "patched SSO")
    assert change.promoted.id == second.id and change.case.resolution_note == "patched SSO"
    done = undo(desk)
    assert done.said == f"case {first.id} (Login fails) is open again; case {second.id} waits in the queue again"
    assert [(c.id, c.status, c.resolution_note) for c in list_cases(desk)] == [
        (first.id, "open", None), (second.id, "queued", None)
    ]
    undo(desk)  # the queued case's filing
    undo(desk)  # the first case's opening
    assert list_cases(desk) == []


def test_undoing_a_customer_edit_puts_its_fields_back(desk, customer):
    customer("Acme", contacts=("a@acme.test",))
    edit_customer(desk, "Acme", CustomerFields(name="Acme Corp", plan="tam-b", tz="Europe/Madrid"))
    assert undo(desk).said == "put customer Acme's fields back"
    view = get_customer(desk, "Acme")
    assert (view.name, view.plan, view.tz, view.country, view.contacts) == (
        "Acme", "tam-a", "America/New_York", "US", ("a@acme.test",)
    )


def test_undoing_time_off_a_critical_period_and_a_setting(desk, customer):
    customer("Acme")
    add_time_off(desk, "2026-12-24T00:00", "2026-12-26T00:00")
    add_critical_period(desk, "Acme", "2026-12-01T00:00", "2026-12-02T00:00", "migration")
    set_setting(desk, "workday", "Mon-Sun 08:00-20:00")
    set_setting(desk, "theme", "textual-light")  # the desk's look: not a change undo reverts
    assert undo(desk).kind == "setting.set"
    assert get_settings(desk)["workday"] == "Mon-Fri 09:00-18:00"  # unset again: the default (T8)
    undo(desk)
    assert get_customer(desk, "Acme").critical_periods == ()
    before = table_rows(desk)["time_off"]
    undo(desk)
    assert len(before) == 1 and table_rows(desk)["time_off"] == []


def test_undoing_the_rebooking_of_a_cancelled_call_cancels_it_again_where_it_was(desk, customer):
    customer("Acme")
    call = book_call(desk, "Acme", "2026-11-24T10:00").call
    cancel_call(desk, call.id, by="customer")
    move_call(desk, call.id, "2026-11-25T10:00", by="customer")  # booked again (S5: inside its month)
    done = undo(desk)
    assert done.said == "Acme's call on Tue 24 Nov 16:00 is cancelled-by-customer again"
    [back] = list_calls(desk)
    assert (back.start, back.status) == (instant("2026-11-24T10:00:00-05:00"), "cancelled-by-customer")
    assert ledger(desk, "2026-11", "Acme").booked == 0
