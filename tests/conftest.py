"""Shared fixtures: every test runs on its own desk, far from the user's real one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Callable

import pytest

from tamdesk.domain.timezones import parse_datetime, zone
from tamdesk.services.customers import CustomerFields, add_customer
from tamdesk.services.desk import Desk
from tamdesk.services.views import CustomerView
from tamdesk.store import holiday_cache

#: A Monday morning in Madrid: the clock most tests start from.
NOW = "2026-11-23T08:00:00+01:00"
TAM_TZ = "Europe/Madrid"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point data, config and the database at a temporary folder (no real desk is touched)."""
    home = tmp_path / "home"
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    for var in ("TAMDESK_DB", "TAMDESK_NOW", "TAMDESK_TZ"):
        monkeypatch.delenv(var, raising=False)
    holiday_cache.forget()  # the holiday files are the temporary folder's, so is what was read from them
    return home


def instant(text: str) -> datetime:
    """An ISO text with an offset as a UTC instant."""
    return parse_datetime(text, zone("UTC"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite"


@pytest.fixture
def desk(db_path: Path) -> Desk:
    """A fresh desk on a SQLite file, clock at ``NOW``, the TAM in Madrid."""
    opened = Desk.open(str(db_path), now=instant(NOW), tz=TAM_TZ)
    yield opened
    opened.close()


@pytest.fixture
def at(desk: Desk) -> Callable[[str], Desk]:
    """The test desk with its clock moved: ``at("2026-11-25T12:00:00+00:00")``."""
    return lambda text: desk.at(instant(text))


@pytest.fixture
def customer(desk: Desk) -> Callable[..., CustomerView]:
    """Factory: add a customer with sensible defaults (tam-a in New York, US holidays)."""
    counter = iter(range(1, 1000))

    def make(name: str | None = None, **fields: Any) -> CustomerView:
        values: dict[str, Any] = {"plan": "tam-a", "tz": "America/New_York", "country": "US"}
        values.update(fields)
        return add_customer(desk, CustomerFields(name=name or f"Customer {next(counter)}", **values))

    return make


def table_rows(desk: Desk) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a refused command changed nothing."""
    from sqlalchemy import text

    from tamdesk.store.models import Base

    with desk.engine.connect() as connection:
        return {
            table.name: sorted(map(tuple, connection.execute(text(f"SELECT * FROM {table.name}"))), key=repr)
            for table in Base.metadata.sorted_tables
        }
