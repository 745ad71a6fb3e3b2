"""S3-S6 invariants for any sequence of bookings, moves, cancellations and marks.

Hypothesis drives the real use-cases on an in-memory database; after every
step the ledger must hold: nothing negative, ``granted + carried_in = booked +
available``, and ``carried_out + forfeited`` = what was left.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tamdesk.domain.errors import TamdeskError
from tamdesk.domain.periods import month_of, periods_between
from tamdesk.services.allowances import ledger, ledgers
from tamdesk.services.calls import book_call, cancel_call, list_calls, mark_call, move_call
from tamdesk.services.customers import CustomerFields, add_customer
from tamdesk.services.desk import Desk
from tests.conftest import fresh_desk as new_desk

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


def check_invariants(desk: Desk) -> None:
    def work(unit):
        from tamdesk.store.models import Customer
        from sqlalchemy import select

        customer = unit.session.scalars(select(Customer)).one()
        months = periods_between(month_of(START.date()), month_of((START + timedelta(days=120)).date()))
        rows = ledger(unit, customer, months[0], months[-1])
        for row in rows:
            assert row.available >= 0, row
            assert min(row.granted, row.carried_in, row.booked, row.held, row.carried_out, row.forfeited) >= 0, row
            assert row.granted + row.carried_in == row.booked + row.available, row
            assert row.carried_out + row.forfeited == row.left == row.available, row
        for before, after in zip(rows, rows[1:]):
            assert after.carried_in == before.carried_out
            assert before.carried_out <= before.tam_freed
        for first in months:  # read with others, from any month, a ledger is the same
            assert ledgers(unit, [(customer, first, months[-1])]) == {customer.id: ledger(unit, customer, first, months[-1])}

    desk.read(work)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # examples: the profile (tests/conftest.py)
@given(st.sampled_from(["tam-a", "tam-b", "tam-c"]), st.lists(step, min_size=1, max_size=25))
def test_ledger_invariants_hold_for_any_history(plan, steps):
    desk = fresh_desk()
    add_customer(desk, CustomerFields("Acme", plan, "America/New_York", country="US"))
    now = START
    for action in steps:
        at = desk.at(now)
        ids = [c.id for c in list_calls(at)]
        try:
            if action[0] == "book":
                book_call(at, "Acme", slot(action[1], action[2]), force=True)
            elif action[0] == "move" and ids:
                move_call(at, ids[action[1] % len(ids)], slot(action[2], action[3]), by=action[4], force=True)
            elif action[0] == "cancel" and ids:
                cancel_call(at, ids[action[1] % len(ids)], by=action[2])
            elif action[0] == "held" and ids:
                mark_call(at, ids[action[1] % len(ids)], "held")
            elif action[0] == "wait":
                now += timedelta(days=action[1])
        except TamdeskError:
            pass  # a refusal is a valid outcome; the invariants must hold either way
        check_invariants(desk.at(now))
    desk.close()
    Path(desk.url.removeprefix("sqlite:///")).unlink()
