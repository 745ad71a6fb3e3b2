"""PostgreSQL as the desk's store: the driver asked for, the migrations, the instants, the watch (issue 19).

The tests that need a server run when ``TAMDESK_TEST_DB`` names one (as
``tests/store/test_races.py`` explains) and fail under CI without it.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import make_url, text

from tamdesk.cli.main import main
from tamdesk.domain.errors import Refusal
from tamdesk.services.cases import open_case
from tamdesk.services.customers import CustomerFields, add_customer
from tamdesk.services.desk import Desk
from tamdesk.store.engine import SCHEMA_HEAD, listen_target, schema_version, upgrade
from tamdesk.store.models import Base, Customer
from tamdesk.store.watch import ChangeWatch
from tests import databases
from tests.conftest import NOW, TAM_TZ, instant
from tests.store.test_races import server  # noqa: F401  (the fixture: skips, or fails under CI, without a server)


def test_a_postgresql_url_without_psycopg_is_bad_input_naming_the_extra(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as on a machine where tamdesk[team] was not installed
    code = main(["--db", "postgresql+psycopg://tamdesk@127.0.0.1:1/nowhere", "week"])
    _, err = capsys.readouterr()
    assert code == 2, err
    assert "pip install 'tamdesk[team]'" in err and "Traceback" not in err


def test_a_server_that_cannot_be_reached_is_bad_input_and_the_password_is_never_printed(capsys):
    # Port 1 has no server: the connection is refused before any question of rules.
    code = main(["--db", "postgresql+psycopg://tamdesk:s3cret@127.0.0.1:1/desk", "week"])
    _, err = capsys.readouterr()
    assert code == 2, err
    assert "cannot open the database 'postgresql+psycopg://tamdesk:***@127.0.0.1:1/desk'" in err
    assert "s3cret" not in err and "Traceback" not in err


@pytest.mark.postgresql
def test_a_new_postgresql_database_migrates_to_head_with_the_schema_the_models_describe(server):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    url = databases.create()
    try:
        desk = Desk.open(url)
        try:
            assert schema_version(desk.engine) == SCHEMA_HEAD
            with desk.engine.connect() as connection:
                differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            # tables no model describes (the knowledge base, the feed cache) are the migrations' alone
            def modelled(difference: tuple) -> bool:
                item = difference[1]
                return getattr(item, "name", None) in Base.metadata.tables or getattr(getattr(item, "table", None), "name", None) in Base.metadata.tables

            assert [d for d in differences if modelled(d)] == []
            # down to nothing and up again: each downgrade undoes its upgrade on PostgreSQL too
            upgrade_down(desk)
            upgrade(desk.engine)
            assert schema_version(desk.engine) == SCHEMA_HEAD
        finally:
            desk.close()
    finally:
        databases.drop(url)


def upgrade_down(desk: Desk) -> None:
    from alembic import command
    from alembic.config import Config

    from tamdesk.store import engine as store

    config = Config()
    config.set_main_option("script_location", str(store.Path(store.__file__).parent / "migrations"))
    with desk.engine.connect().execution_options(**{store.WRITE: True}) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
        connection.commit()
    with desk.engine.connect() as connection:
        left = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
    assert set(left) <= {"alembic_version"}


@pytest.mark.postgresql
def test_instants_come_back_as_the_same_utc_instants(server, desk):
    # T1: an instant is stored in UTC, read back aware; 23:30 in New York on 1 March is 04:30 UTC on 2 March.
    typed = datetime.fromisoformat("2026-03-01T23:30:00-05:00")
    add_customer(desk, CustomerFields(name="Acme", plan="tam-a", tz="America/New_York"))
    desk.write(lambda unit: setattr(unit.customer("Acme"), "created_at", typed))
    stored = desk.read(lambda unit: unit.customer("Acme").created_at)
    assert stored == datetime(2026, 3, 2, 4, 30, tzinfo=UTC) and stored.tzinfo is UTC
    with desk.engine.connect() as connection:
        assert connection.execute(text("SELECT created_at FROM customers")).scalar() == datetime(2026, 3, 2, 4, 30)


@pytest.fixture
def other(desk):
    """Acme on ``desk``, and another desk open on the same database: the one whose commits a watch should hear."""
    add_customer(desk, CustomerFields(name="Acme", plan="tam-a", tz="America/New_York"))
    opened = Desk.open(desk.url, now=instant(NOW), tz=TAM_TZ)
    yield opened
    opened.close()


@pytest.mark.postgresql
def test_the_watch_hears_another_desks_commit_once_and_not_a_refusal(server, desk, other):
    watch = desk.watch()
    try:
        assert not watch.changed()
        for number in range(30):  # C1: the cap is 30 open cases
            open_case(other, "Acme", f"Case {number}", "normal")
        assert watch.changed() and not watch.changed()  # every commit heard, and said once
        with pytest.raises(Refusal):
            open_case(other, "Acme", "The 31st", "normal")  # refused (C1): rolled back, nothing committed
        assert not watch.changed()
    finally:
        watch.close()


class SlowNetwork:
    """A TCP relay that holds what the server says for ``delay`` seconds: a team's server across a network."""

    def __init__(self, port: int, delay: float) -> None:
        self.delay = delay
        self._server_port = port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self._server_port))
            threading.Thread(target=self._pump, args=(client, server, 0.0), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, self.delay), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket, delay: float) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                time.sleep(delay)
                target.sendall(chunk)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self._listener.close()


@pytest.mark.postgresql
def test_the_watch_hears_each_commit_on_its_very_next_look_across_a_slow_network(server, desk, other):
    # A NOTIFY travels on its own: a look that only read what had already come in
    # missed a commit another desk had just finished, and said so one look later.
    target = make_url(listen_target(desk.url))
    network = SlowNetwork(target.port or 5432, delay=0.05)
    watch = ChangeWatch(target.set(host="127.0.0.1", port=network.port).render_as_string(hide_password=False))
    try:
        looks = []
        for number in range(5):
            open_case(other, "Acme", f"Case {number}", "normal")
            looks.append((watch.changed(), watch.changed()))
        assert looks == [(True, False)] * 5
    finally:
        watch.close()
        network.close()


@pytest.mark.postgresql
def test_the_watch_listens_again_after_its_connection_is_lost_and_says_the_desk_changed(server, desk, other):
    # The server restarted, or ended an idle connection: the desk's live refresh stopped for good, unsaid.
    watch = desk.watch()
    try:
        assert not watch.changed()
        databases.sql(desk.url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND (query LIKE 'LISTEN%' OR query = 'SELECT 1')")
        open_case(other, "Acme", "While nobody listened", "normal")  # its NOTIFY reaches nobody
        assert [watch.changed(), watch.changed(), watch.changed()] == [False, True, False]  # lost, listening again
        open_case(other, "Acme", "Heard again", "normal")
        assert watch.changed() and not watch.changed()
    finally:
        watch.close()


@pytest.mark.postgresql
def test_ids_the_database_gives_never_collide_with_one_it_was_given(server, desk):
    # A deleted time entry comes back under its own id (undo): the sequence goes on past it.
    add_customer(desk, CustomerFields(name="Acme", plan="tam-a", tz="America/New_York"))
    code = main(["--db", desk.url, "--now", NOW, "--tz", TAM_TZ, "time", "log", "Acme", "1"])
    assert code == 0
    assert main(["--db", desk.url, "--now", NOW, "--tz", TAM_TZ, "time", "delete", "1"]) == 0
    assert main(["--db", desk.url, "--now", NOW, "--tz", TAM_TZ, "undo"]) == 0
    assert main(["--db", desk.url, "--now", NOW, "--tz", TAM_TZ, "time", "log", "Acme", "2"]) == 0
    ids = desk.read(lambda unit: unit.session.execute(text("SELECT id FROM time_entries ORDER BY id")).scalars().all())
    assert ids == [1, 2]
    assert desk.read(lambda unit: unit.session.get(Customer, 1)) is not None


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
def test_a_unit_of_work_that_keeps_losing_is_run_again_whole_then_busy(desk, sqlstate):
    # A serialization failure (40001) or a deadlock (40P01) runs the whole unit again after a pause,
    # CONFLICT_ATTEMPTS times in all; then it is Busy (exit 4), never the driver's error.
    import psycopg
    from sqlalchemy.exc import OperationalError

    from tamdesk.domain.errors import Busy
    from tamdesk.services.desk import CONFLICT_ATTEMPTS

    lost = psycopg.errors.lookup(sqlstate)
    runs = []

    def losing(unit):
        runs.append(unit)
        raise OperationalError("COMMIT", {}, lost("could not serialize access"))

    with pytest.raises(Busy, match="nothing was changed"):
        desk.write(losing)
    assert len(runs) == CONFLICT_ATTEMPTS
    assert len({id(unit) for unit in runs}) == CONFLICT_ATTEMPTS  # a new unit of work (and session) each time

    runs.clear()

    def loses_once(unit):
        runs.append(unit)
        if len(runs) == 1:
            raise OperationalError("COMMIT", {}, lost("could not serialize access"))
        return "done"

    assert desk.write(loses_once) == "done" and len(runs) == 2
