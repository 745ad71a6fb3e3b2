"""The database: location, permissions, SQLite settings, migrations, transactions."""

import stat
import threading

import pytest
from sqlalchemy import text

from tamdesk.domain.errors import BadInput, Refusal
from tamdesk.services.calls import book_call
from tamdesk.services.desk import Desk
from tamdesk.store.engine import SCHEMA_HEAD, database_url, default_database_path


def test_default_database_lives_in_the_user_data_folder(isolated):
    desk = Desk.open()
    path = default_database_path()
    assert str(path).startswith(str(isolated)) and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    desk.close()


@pytest.mark.sqlite_only
def test_sqlite_is_wal_with_foreign_keys(desk):
    with desk.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_schema_head_constant_matches_alembic():
    from pathlib import Path

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import tamdesk.store.engine as engine

    config = Config()
    config.set_main_option("script_location", str(Path(engine.__file__).parent / "migrations"))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_migrated_schema_matches_the_models(desk):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from tamdesk.store.models import FEED_TABLES, KNOWLEDGE_TABLES, Base

    # the knowledge base's FTS5 table (and the tables FTS5 keeps for it) has no model: SQLAlchemy has no virtual tables;
    # nor has the feed's cache (0007), derived data read as plain SQL
    unmodelled = KNOWLEDGE_TABLES | FEED_TABLES
    only_models = {"include_name": lambda name, kind, parent: kind != "table" or name not in unmodelled}
    with desk.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts=only_models), Base.metadata)
    assert diff == []


def test_db_accepts_urls_and_rejects_garbage(tmp_path):
    assert database_url(str(tmp_path / "x.sqlite")).startswith("sqlite:///")
    assert database_url("sqlite:///" + str(tmp_path / "y.sqlite")).endswith("y.sqlite")
    with pytest.raises(BadInput, match="cannot open database"):
        Desk.open("nonsense://")


@pytest.mark.parametrize(
    "db, said",
    [
        ("postgresql+psycopg://tam:secret@host:notaport/desk", "cannot read 'postgresql+psycopg://tam:***@host:notaport/desk'"),
        ("nosuchdriver://tam:secret@host/desk", "cannot open database 'nosuchdriver://tam:***@host/desk'"),
    ],
)
def test_a_bad_database_url_is_bad_input_that_never_shows_its_password(db, said):
    # Every --db goes through these: a port that is no number (SQLAlchemy's ValueError) or an unknown
    # database is exit 2 naming the URL, its password hidden as SQLAlchemy hides it.
    with pytest.raises(BadInput) as refused:
        Desk.open(db)
    assert said in refused.value.message and "secret" not in refused.value.message


def test_db_memory_is_an_in_memory_desk_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    desk = Desk.open(":memory:")  # migrates, creates the TAM in one session and reads it in another
    desk.close()
    assert desk.url == "sqlite://" and desk.tam_id == 1
    assert list(tmp_path.iterdir()) == []


def test_a_refused_write_inside_a_transaction_leaves_nothing(desk, customer):
    customer("Acme", plan="tam-c")
    book_call(desk, "Acme", "2026-11-24T10:00")

    def half_then_refuse(unit):
        from tamdesk.store.models import Setting

        unit.session.add(Setting(key="half", value="written"))
        unit.session.flush()
        raise Refusal("S3", "no")

    with pytest.raises(Refusal):
        desk.write(half_then_refuse)
    with desk.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM settings WHERE key='half'")).scalar() == 0


def test_two_processes_writing_at_once_queue_instead_of_failing(db_url, desk, customer):
    customer("Acme", plan="tam-a")
    other = Desk.open(str(db_url), now=desk.now(), tz="Europe/Madrid")
    errors = []

    def book(d, day):
        try:
            book_call(d, "Acme", f"2026-11-{day}T10:00")
        except Exception as error:  # collected to assert below
            errors.append(error)

    threads = [threading.Thread(target=book, args=(d, day)) for d, day in ((desk, 24), (other, 25), (desk, 27), (other, 30))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a booking still waits for the database after 60 s"
    assert errors == []
    # a fifth booking is refused by the ledger: both writers saw each other's work
    with pytest.raises(Refusal, match="S3"):
        book_call(other, "Acme", "2026-11-23T15:00")
    other.close()
