"""Shared fixtures: every test runs on its own desk, far from the user's real one.

A test names its database by ``db_url`` (or ``demo_url``): a SQLite file in the
test's folder by default, or, when ``TAMDESK_TEST_DB`` names a PostgreSQL
server (``postgresql+psycopg://user:password@host/postgres``), a database of
its own on it: one of its worker's pool, put back to a template's rows
(``databases.lease``). The templates are built once per run, by the first
worker that needs one, and dropped when the run ends. That pass leaves out
the tests marked ``sqlite_only`` (their subject is SQLite's file), those
that open no database and a screen's test at its terminal sizes but the
first (``FIRST_SIZE``), and says how many.
"""

from __future__ import annotations

import fcntl
import gc
import json
import os
import shutil
import tempfile
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from hypothesis import settings

from tamdesk.domain.timezones import parse_datetime, zone
from tamdesk.services.customers import CustomerFields, add_customer
from tamdesk.services.demo import load_demo
from tamdesk.services.desk import Desk
from tamdesk.services.views import CustomerView
from tamdesk.store import holiday_cache
from tests import databases

#: A Monday morning in Madrid: the clock most tests start from.
NOW = "2026-11-23T08:00:00+01:00"
TAM_TZ = "Europe/Madrid"

# The tests make and drop millions of objects (Textual's widgets, messages and styles, SQLAlchemy's rows):
# with Python's default thresholds the cyclic collector ran every 700 allocations and walked them again,
# a twentieth of the suite's CPU. Here it runs every 50,000, and what was imported before the tests
# ran is left out of its walks (``pytest_collection_finish``). The desk sets its own (tamdesk.startup).
gc.set_threshold(50_000, 20, 100)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Every module is imported: the collector need not walk them again."""
    gc.freeze()


# Property tests: a short run in the fast loop, the full run in CI (.ci/run sets HYPOTHESIS_PROFILE=ci;
# `--hypothesis-profile ci` does the same by hand). Only the number of examples differs.
settings.register_profile("ci", max_examples=60)
settings.register_profile("dev", max_examples=12)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Point data, config, cache (holiday files too) and HOME at ``home``; forget the desk's variables."""
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    for var in ("TAMDESK_DB", "TAMDESK_NOW", "TAMDESK_TZ", "TAMDESK_AS"):
        monkeypatch.delenv(var, raising=False)
    holiday_cache.forget()  # the holiday files are the temporary folder's, so is what was read from them


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point data, config and the database at a temporary folder (no real desk is touched)."""
    home = tmp_path / "home"
    isolate(monkeypatch, home)
    return home


def instant(text: str) -> datetime:
    """An ISO text with an offset as a UTC instant."""
    return parse_datetime(text, zone("UTC"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite"


@pytest.fixture
def db_url(db_path: Path, new_desk_template: str) -> str:
    """What ``--db`` names for this test: the SQLite file ``db_path``, or a PostgreSQL database holding a new desk."""
    if not databases.SERVER:
        yield str(db_path)
        return
    yield from _pooled(new_desk_template)


def _pooled(template: str) -> Iterator[str]:
    """A database of this test's own, holding what ``template`` holds; back to the pool after the test."""
    url = databases.lease(template)
    yield url
    databases.release(url)


@pytest.fixture
def desk(db_url: str, new_desk_template: str) -> Desk:
    """A fresh desk, clock at ``NOW``, the TAM in Madrid."""
    if not databases.SERVER:
        shutil.copyfile(new_desk_template, db_url)
    opened = Desk.open(db_url, now=instant(NOW), tz=TAM_TZ)
    yield opened
    opened.close()


#: Each template's own home (its holiday files), by what names the template.
_TEMPLATE_HOMES: dict[str, Path] = {}


def _run_folder(factory: pytest.TempPathFactory) -> Path:
    """The folder this run's templates are recorded in, the same for every xdist worker (and new each run)."""
    base = factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "tamdesk-templates"
    folder.mkdir(exist_ok=True)
    return folder


def shared_template(factory: pytest.TempPathFactory, name: str, build: Callable[[str], object]) -> str:
    """A template for the whole run: the first worker to ask builds it (``build(target)``), the others wait and reuse it.

    ``build`` fills a new SQLite file or database with its own home (the holiday files it writes never
    reach the user's real cache, nor a test's). A built database is recorded in the run's folder
    before it is filled, so the run's end drops it (``pytest_sessionfinish``) even if the build fails;
    no worker drops it, as another may still be copying from it.
    """
    folder = _run_folder(factory)
    record = folder / f"{name}.json"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # held until built: the others wait here, then read the record
        if not record.exists():
            home = folder / name / "home"
            home.parent.mkdir(exist_ok=True)
            if databases.SERVER:
                target = databases.create(shared=True)
                (folder / f"{name}.database").write_text(target)
            else:
                target = str(home.parent / "desk.sqlite")
                Path(target).unlink(missing_ok=True)  # what a worker's failed build left
            with pytest.MonkeyPatch.context() as monkeypatch:
                isolate(monkeypatch, home)
                build(target)
            holiday_cache.forget()  # what was read belongs to the template's home, not to the next test's
            if databases.SERVER:
                databases.settle(target)  # commands run in-process leave sessions, which a clone cannot start beside
            record.write_text(json.dumps({"target": target, "home": str(home)}))
        built = json.loads(record.read_text())
    _TEMPLATE_HOMES[built["target"]] = Path(built["home"])
    return built["target"]


def _built_once(factory: pytest.TempPathFactory, name: str, fill: Callable[[Desk], object]) -> str:
    """A desk opened at ``NOW`` in Madrid and filled by ``fill``, for a run's tests to copy: a file, or a database."""

    def build(target: str) -> None:
        built = Desk.open(target, now=instant(NOW), tz=TAM_TZ)
        try:
            fill(built)
        finally:
            built.close()

    return shared_template(factory, name, build)


@pytest.fixture(scope="session")
def new_desk_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A new desk, migrated once per run: the migrations (and importing Alembic) cost a tenth of a second a desk."""
    return _built_once(tmp_path_factory, "new-desk", lambda desk: None)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo desk at ``NOW``, built once per run (seconds of bookings); tests get a copy of it."""

    def load(desk: Desk) -> None:
        assert load_demo(desk).loaded

    return _built_once(tmp_path_factory, "demo", load)


@pytest.fixture
def demo_url(demo_template: str, tmp_path: Path) -> str:
    """This test's own copy of the demo database: a file copy or a pooled database reset to the demo, so no test sees another's changes."""
    if not databases.SERVER:
        path = tmp_path / "demo.sqlite"
        shutil.copyfile(demo_template, path)
        yield str(path)
        return
    yield from _pooled(demo_template)


@pytest.fixture
def demo_file(demo_url: str) -> Path:
    """This test's copy of the demo as a SQLite file (tests about the file itself, marked ``sqlite_only``).

    On the PostgreSQL pass the demo is a URL, which as a ``Path`` would name a new SQLite file
    ("postgresql+psycopg:/...") and quietly test that instead: a test that asks for it there fails.
    """
    if databases.SERVER:
        pytest.fail("demo_file is the demo's SQLite file: use demo_url, or mark the test sqlite_only")
    return Path(demo_url)


@pytest.fixture
def demo_holidays(demo_template: str, isolated: Path) -> Path:
    """The holiday files loading the demo wrote, copied into this test's cache, as ``tamdesk demo`` leaves them."""
    return Path(shutil.copytree(_TEMPLATE_HOMES[demo_template] / "cache", isolated / "cache", dirs_exist_ok=True))


@pytest.fixture
def open_desk(demo_url: str) -> Callable[..., Desk]:
    """Open this test's demo database, by default at ``NOW``; every desk opened is closed afterwards."""
    opened: list[Desk] = []

    def make(now: str | None = None) -> Desk:
        desk = Desk.open(demo_url, now=instant(now or NOW), tz=TAM_TZ)
        opened.append(desk)
        return desk

    yield make
    for desk in opened:
        desk.close()


@pytest.fixture
def demo(open_desk: Callable[..., Desk]) -> Desk:
    """The demo desk at ``NOW`` (Monday 23 November 2026, 08:00 in Madrid), in this test's own file."""
    return open_desk()


@pytest.fixture
def at(desk: Desk) -> Callable[[str], Desk]:
    """The test desk with its clock moved: ``at("2026-11-25T12:00:00+00:00")``."""
    return lambda text: desk.at(instant(text))


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the machine's own zone for one test: ``machine_zone("Asia/Tokyo")``; undone after it.

    A value read in the machine's zone instead of the contract's (or UTC's) shows then.
    """
    import time

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def customer(desk: Desk) -> Callable[..., CustomerView]:
    """Factory: add a customer with sensible defaults (tam-a in New York, US holidays).

    Its contract started long before ``NOW`` (S3 grants nothing before the start), so
    tests may move the clock back and book months earlier; pass ``active_from`` to test the start.
    """
    counter = iter(range(1, 1000))

    def make(name: str | None = None, **fields: Any) -> CustomerView:
        values: dict[str, Any] = {"plan": "tam-a", "tz": "America/New_York", "country": "US", "active_from": date(2020, 1, 1)}
        values.update(fields)
        return add_customer(desk, CustomerFields(name=name or f"Customer {next(counter)}", **values))

    return make


def table_rows(desk: Desk) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a refused command changed nothing."""
    from sqlalchemy import text

    from tamdesk.store.models import KNOWLEDGE, Base

    # the knowledge base (L12) has no model; its rows, with their rowids, count as much as any table's
    names = [table.name for table in Base.metadata.sorted_tables]
    with desk.engine.connect() as connection:
        return {
            name: sorted(map(tuple, connection.execute(text(f"SELECT {'rowid, ' * (name == KNOWLEDGE)}* FROM {name}"))), key=repr)
            for name in (*names, KNOWLEDGE)
        }


_FRESH_TEMPLATES: dict[str, str] = {}


def fresh_desk(now: datetime, tz: str) -> Desk:
    """A new desk for one property-test example, copied from a migrated template per TAM zone.

    Migrations run once per zone, not per example; a function, not a fixture,
    because hypothesis runs many examples inside one test. On PostgreSQL an
    example's database comes from the pool (``databases.discard`` gives it back).
    """
    if tz not in _FRESH_TEMPLATES:
        if databases.SERVER:
            _FRESH_TEMPLATES[tz] = databases.create()
        else:
            _FRESH_TEMPLATES[tz] = str(Path(tempfile.mkdtemp(prefix="tamdesk-property-")) / "template.sqlite")
        Desk.open(_FRESH_TEMPLATES[tz], now=now, tz=tz).close()
    if databases.SERVER:
        return Desk.open(databases.lease(_FRESH_TEMPLATES[tz]), now=now, tz=tz)
    target = Path(_FRESH_TEMPLATES[tz]).with_name(f"{uuid.uuid4().hex}.sqlite")
    shutil.copyfile(_FRESH_TEMPLATES[tz], target)
    return Desk.open(str(target), now=now, tz=tz)


@pytest.fixture(scope="session")
def fresh_desks() -> Callable[[datetime, str], Desk]:
    """``fresh_desk``, named by a property test that uses it (``usefixtures``): it opens databases."""
    return fresh_desk


#: Fixtures that give a test a database: a test on none of them opens no database.
DATABASE_FIXTURES = frozenset({"db_url", "demo_url", "fresh_desks"})
#: The terminal size a screen's test runs at on the PostgreSQL pass (the SQLite pass runs every size it names):
#: the size changes what is laid out, never what is read or written, and the TUI tests were half the pass.
FIRST_SIZE = (80, 24)
DESELECTED = "tamdesk/postgresql_deselected"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass, leave out what is SQLite's alone, what opens no database and a screen's test at
    its other terminal sizes (counted for the summary)."""
    if not databases.SERVER:
        return
    sqlite_only = [item for item in items if item.get_closest_marker("sqlite_only")]
    no_database = [
        item
        for item in items
        if not item.get_closest_marker("sqlite_only")
        and not item.get_closest_marker("postgresql")
        and not DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    ]
    engine_free = {id(item) for item in sqlite_only + no_database}
    other_sizes = [
        item
        for item in items
        if id(item) not in engine_free
        and (size := getattr(getattr(item, "callspec", None), "params", {}).get("size")) is not None
        and tuple(size) != FIRST_SIZE
    ]
    left_out = sqlite_only + no_database + other_sizes
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        gone = {id(item) for item in left_out}
        items[:] = [item for item in items if id(item) not in gone]
    if getattr(config, "cache", None) is not None:  # each xdist worker collects the same tests; the summary reads one count
        config.cache.set(
            DESELECTED, {"sqlite_only": len(sqlite_only), "no_database": len(no_database), "other_sizes": len(other_sizes)}
        )


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Say what the PostgreSQL pass left out, and why."""
    if not databases.SERVER or getattr(config, "cache", None) is None or hasattr(config, "workerinput"):
        return
    counts = config.cache.get(DESELECTED, None)
    if counts:
        terminalreporter.write_line(
            f"PostgreSQL pass ({databases.shown()}): deselected {counts['sqlite_only']} tests marked sqlite_only "
            f"(their subject is SQLite's file), {counts['no_database']} that open no database and "
            f"{counts.get('other_sizes', 0)} runs of a screen's test at a terminal size other than "
            f"{FIRST_SIZE[0]}x{FIRST_SIZE[1]} (the SQLite pass runs those)"
        )


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Drop this process's databases (its pool, the property tests'); the run's controller drops the run's templates."""
    if not databases.SERVER:
        return
    databases.drop_all_created()
    if not hasattr(session.config, "workerinput"):  # the controller, or a run without xdist: every worker is done
        folder = session.config._tmp_path_factory.getbasetemp() / "tamdesk-templates"
        if folder.is_dir():
            databases.drop_now([databases.name_of(path.read_text()) for path in sorted(folder.glob("*.database"))])
