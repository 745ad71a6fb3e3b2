"""Every "or book ..." is a time that books as it stands (T4-T8, S1-S8, B2): one search runs every rule.

Hypothesis builds a desk (calls with two customers, some booked on purpose as
exceptions, time off), then asks for a slot. Whenever the answer is a refusal
or a question that suggests a time, booking that time without ``force`` must
pass with no exception and no mark: the search ran the same admission.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tamdesk.domain.errors import Refusal, TamdeskError
from tamdesk.services.calls import book_call
from tamdesk.services.customers import CustomerFields, add_customer, add_time_off
from tests import databases
from tests.conftest import fresh_desk

#: Every example opens a desk of its own (tests.conftest.fresh_desk): it runs on PostgreSQL too.
pytestmark = pytest.mark.usefixtures("fresh_desks")

NOW = datetime(2026, 11, 23, 7, tzinfo=UTC)  # Monday 08:00 in Madrid
SUGGESTED = re.compile(r"[Bb]ook \w{3} (\d{4}-\d\d-\d\d) (\d\d:\d\d) \S+, the next time that passes every rule\.")

CUSTOMERS = {
    "Acme": CustomerFields(name="Acme", plan="tam-c", tz="America/New_York", country="US"),
    "Globex": CustomerFields(name="Globex", plan="premium", tz="Europe/London", country="GB"),
}
slot = st.tuples(st.sampled_from(list(CUSTOMERS)), st.integers(0, 9), st.integers(7 * 2, 20 * 2))  # day, half hour


def local(day: int, half_hours: int) -> str:
    date = (NOW + timedelta(days=day)).date()
    return f"{date}T{half_hours // 2:02d}:{30 * (half_hours % 2):02d}"


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    booked=st.lists(slot, max_size=6),
    off=st.lists(st.tuples(st.integers(0, 9), st.integers(8 * 2, 17 * 2), st.integers(1, 8)), max_size=2),
    asked=slot,
)
def test_every_suggestion_books_as_it_stands(booked, off, asked):
    desk = fresh_desk(NOW, "Europe/Madrid")
    try:
        for fields in CUSTOMERS.values():
            add_customer(desk, fields)
        for name, day, half in booked:
            try:
                book_call(desk, name, local(day, half), force=True)  # exceptions and marks on purpose
            except TamdeskError:
                pass  # refused (overlap, allowance): the desk stays as it was
        for day, half, hours in off:
            start = local(day, half)
            end = (datetime.fromisoformat(start) + timedelta(hours=hours)).isoformat(timespec="minutes")
            add_time_off(desk, start, end, "time off", None)
        name, day, half = asked
        try:
            book_call(desk, name, local(day, half))
            return
        except Refusal as answer:
            found = SUGGESTED.search(answer.message)
        if found is None:
            return
        change = book_call(desk, name, f"{found.group(1)}T{found.group(2)}")
        assert change.note is None, change.note  # no exception, no over-budget mark
        assert change.call.exception is None and not change.call.over_budget
    finally:
        desk.close()
        databases.discard(desk.url)
