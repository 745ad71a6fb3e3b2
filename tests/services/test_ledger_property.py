"""S3-S6 invariants for any sequence of bookings, moves, cancellations and marks.

Hypothesis drives the real use-cases on a fresh database. After every step the
ledger is checked against what the rules say of the whole history, never by
re-doing the ledger's own sums: ``granted`` is the plan's count (S3), ``booked``
is what the database holds (S3), no unit appears or vanishes over the months
(S3: a unit is booked, carried out or forfeited), a credit never exceeds what
the TAM really freed in its month and never reaches a second month (S6).
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tamdesk.domain.errors import TamdeskError
from tamdesk.domain.periods import month_of, periods_between
from tamdesk.services.allowances import ledger, ledgers
from tamdesk.services.calls import book_call, cancel_call, list_calls, mark_call, move_call
from tamdesk.services.customers import CustomerFields, add_customer
from tamdesk.services.desk import Desk
from tests import databases
from tests.conftest import fresh_desk as new_desk

#: Every example opens a desk of its own (tests.conftest.fresh_desk): it runs on PostgreSQL too.
pytestmark = pytest.mark.usefixtures("fresh_desks")

START = datetime(2026, 10, 26, 12, tzinfo=UTC)


def fresh_desk() -> Desk:
    """A new desk at the start, the TAM in UTC."""
    return new_desk(START, "UTC")


day = st.integers(min_value=0, max_value=80)  # business-day slots from the start
hour = st.sampled_from([9, 11, 14])
step = st.one_of(
    st.tuples(st.just("book"), day, hour),
    st.tuples(st.just("move"), st.integers(0, 20), day, hour, st.sampled_from(["customer", "tam"])),
    st.tuples(st.just("cancel"), st.integers(0, 20), st.sampled_from(["customer", "tam"])),
    st.tuples(st.just("held"), st.integers(0, 20)),
    st.tuples(st.just("wait"), st.integers(1, 20)),
)


def slot(n: int, at_hour: int) -> str:
    date = (START + timedelta(days=n)).date()
    return f"{date}T{at_hour:02d}:00"


NY = ZoneInfo("America/New_York")
SESSIONS = {"tam-a": 4, "tam-b": 2, "tam-c": 1}  # P1's monthly sessions per plan


def month_key(instant: datetime) -> str:
    """The contract month of an instant (T2), worked out with the standard library alone."""
    return f"{instant.astimezone(NY):%Y-%m}"


def check_invariants(desk: Desk, plan: str, tam_freed: dict[str, set[int]]) -> None:
    """``tam_freed`` is the test's own journal: per month, the calls the TAM cancelled or moved out of it."""
    booked_in_db: dict[str, int] = defaultdict(int)
    held_in_db: dict[str, int] = defaultdict(int)
    for call in list_calls(desk):
        if call.status in ("scheduled", "held", "no-show"):
            booked_in_db[month_key(call.start)] += 1
        if call.status in ("held", "no-show"):
            held_in_db[month_key(call.start)] += 1

    def work(unit):
        from tamdesk.store.models import Customer
        from sqlalchemy import select

        customer = unit.session.scalars(select(Customer)).one()
        months = periods_between(month_of(START.date()), month_of((START + timedelta(days=120)).date()))
        rows = ledger(unit, customer, months[0], months[-1])
        for first in months:  # read with others, from any month, a ledger is the same
            assert ledgers(unit, [(customer, first, months[-1])]) == {customer.id: ledger(unit, customer, first, months[-1])}
        return rows

    rows = desk.read(work)
    for row in rows:
        month = row.period.key
        assert min(row.granted, row.carried_in, row.booked, row.held, row.available, row.carried_out, row.forfeited) >= 0, row
        assert row.granted == SESSIONS[plan], row  # S3: the contract is active in every month
        assert (row.booked, row.held) == (booked_in_db[month], held_in_db[month]), row  # S3, from the database
        # S6: a credit is at most what the TAM freed in its own month...
        assert row.carried_out <= len(tam_freed[month]), (row, tam_freed)
    for before, after in zip(rows, rows[1:]):
        # ...and only that month's: a credit of the month before never carries on (never twice).
        assert after.carried_in <= len(tam_freed[before.period.key]), (after, tam_freed)
    assert rows[0].carried_in == 0  # nothing was booked before the first month
    # S3 over the whole history: every unit granted is booked in its month, forfeited at
    # its end, or still carried out of the last month; none appears, none is lost.
    assert sum(r.granted for r in rows) == sum(booked_in_db[r.period.key] for r in rows) + sum(
        r.forfeited for r in rows
    ) + rows[-1].carried_out, rows


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # examples: the profile (tests/conftest.py)
@given(st.sampled_from(["tam-a", "tam-b", "tam-c"]), st.lists(step, min_size=1, max_size=25))
def test_ledger_invariants_hold_for_any_history(plan, steps):
    desk = fresh_desk()
    add_customer(desk, CustomerFields("Acme", plan, "America/New_York", country="US"))
    now = START
    tam_freed: dict[str, set[int]] = defaultdict(set)
    for action in steps:
        at = desk.at(now)
        starts = {c.id: c.start for c in list_calls(at)}
        ids = list(starts)
        try:
            if action[0] == "book":
                book_call(at, "Acme", slot(action[1], action[2]), force=True)
            elif action[0] == "move" and ids:
                moved = ids[action[1] % len(ids)]
                move_call(at, moved, slot(action[2], action[3]), by=action[4], force=True)
                went = {c.id: c.start for c in list_calls(at)}[moved]
                if action[4] == "tam" and month_key(went) != month_key(starts[moved]):
                    tam_freed[month_key(starts[moved])].add(moved)
            elif action[0] == "cancel" and ids:
                cancelled = ids[action[1] % len(ids)]
                cancel_call(at, cancelled, by=action[2])
                if action[2] == "tam":
                    tam_freed[month_key(starts[cancelled])].add(cancelled)
            elif action[0] == "held" and ids:
                mark_call(at, ids[action[1] % len(ids)], "held")
            elif action[0] == "wait":
                now += timedelta(days=action[1])
        except TamdeskError:
            pass  # a refusal is a valid outcome; the invariants must hold either way
        check_invariants(desk.at(now), plan, tam_freed)
    desk.close()
    databases.discard(desk.url)
