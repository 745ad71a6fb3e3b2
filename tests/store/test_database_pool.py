"""The PostgreSQL pass's pool of test databases: a database a test is done with comes back as a fresh clone would.

``tests/databases.py`` hands each test a database of its worker's pool, put back to a
template's rows instead of cloned anew. No test may see another's rows, sequences or
schema: the state a later test meets is compared here with a fresh ``CREATE DATABASE ...
TEMPLATE`` of the same template, table by table, row by row, sequence by sequence.
"""

from __future__ import annotations

from typing import Any

import pytest

from tamdesk.services.cases import open_case
from tamdesk.services.customers import CustomerFields, add_customer
from tamdesk.services.desk import Desk
from tests import databases
from tests.conftest import NOW, TAM_TZ, instant, shared_template
from tests.store.test_races import server  # noqa: F401  (the fixture: skips, or fails under CI, without a server)


def state(url: str) -> dict[str, Any]:
    """What a test could see of a database: each table's rows, each sequence's next value, the schema's fingerprint.

    Taking a sequence's next value moves it: both databases compared are thrown away (or reset) afterwards.
    """
    with databases.connect(databases.name_of(url)) as connection:
        tables = [row[0] for row in connection.execute(databases.TABLES)]
        sequences = [row[0] for row in connection.execute(databases.SEQUENCES)]
        return {
            "rows": {table: sorted(row[0] for row in connection.execute(f"SELECT t::text FROM {table} AS t")) for table in tables},
            "next": {sequence: connection.execute(f"SELECT nextval('{sequence}')").fetchone()[0] for sequence in sequences},
            "schema": databases.fingerprint(connection),
        }


def dirty(url: str) -> list[Any]:
    """Change what a test could change: rows, the knowledge base (by its triggers), every sequence; leave sessions open.

    Returns what must stay open until the reset: a desk, a LISTEN connection and a transaction holding a row lock
    (an in-process command's pool, a desk's watch, a test that stopped half-way).
    """
    desk = Desk.open(url, now=instant(NOW), tz=TAM_TZ)
    customer = add_customer(desk, CustomerFields(name="Pool Test Co", plan="tam-a", tz="America/New_York", country="US"))
    open_case(desk, customer.name, "The pool forgets this case", severity="high")  # a case is a knowledge-base row (L12)
    with databases.connect(databases.name_of(url)) as connection:
        connection.execute("DELETE FROM knowledge WHERE rowid = (SELECT min(rowid) FROM knowledge)")
        connection.execute("UPDATE customers SET name = 'Renamed' WHERE id = (SELECT min(id) FROM customers)")
        for (sequence,) in connection.execute(databases.SEQUENCES).fetchall():
            connection.execute(f"SELECT setval('{sequence}', nextval('{sequence}') + 100)")
    listening = databases.connect(databases.name_of(url))
    listening.autocommit = True
    listening.execute("LISTEN tamdesk_changed")
    holding = databases.connect(databases.name_of(url))
    holding.execute("UPDATE customers SET plan = plan WHERE id = (SELECT max(id) FROM customers)")  # never committed
    return [desk, listening, holding]


@pytest.mark.postgresql
def test_a_pooled_database_comes_back_exactly_as_a_fresh_clone_of_its_template(server, demo_template):
    url = databases.lease(demo_template)
    left_open = dirty(url)
    before = state(url)
    databases.release(url)
    again = databases.lease(demo_template)
    fresh = databases.clone(demo_template)
    try:
        assert databases.name_of(again) == databases.name_of(url)  # the same database, reset: not a new clone
        expected, got = state(fresh), state(again)
        assert before != expected  # the test did change what a reset must undo
        assert got["schema"] == expected["schema"]
        assert got["next"] == expected["next"]
        assert got["rows"] == expected["rows"]
    finally:
        databases.release(again)
        databases.drop(fresh)
        for connection in left_open:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - the reset ended their sessions: closing may find them gone
                pass


@pytest.mark.postgresql
def test_a_database_whose_schema_a_test_changed_comes_back_with_the_templates_schema(server, new_desk_template):
    url = databases.lease(new_desk_template)
    databases.sql(url, "ALTER TABLE customers ADD COLUMN leftover integer DEFAULT 7")
    databases.sql(url, "DROP TABLE knowledge")
    databases.release(url)
    again = databases.lease(new_desk_template)
    fresh = databases.clone(new_desk_template)
    try:
        assert state(again) == state(fresh)
    finally:
        databases.release(again)
        databases.drop(fresh)


def test_a_run_builds_each_shared_template_once_and_every_worker_gets_the_same(tmp_path_factory):
    builds: list[str] = []

    def build(target: str) -> None:
        builds.append(target)
        Desk.open(target, now=instant(NOW), tz=TAM_TZ).close()

    first = shared_template(tmp_path_factory, "pool-probe", build)
    second = shared_template(tmp_path_factory, "pool-probe", build)  # as another worker asks: the record answers
    assert builds == [first] and second == first
