"""Public holidays kept on disk (T4): the same answers as the ``holidays`` package, without asking it twice."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tamdesk.domain import business_hours
from tamdesk.domain.business_hours import BusinessCalendar, holiday_year
from tamdesk.domain.timezones import zone
from tamdesk.store import holiday_cache
from tamdesk.store.holiday_cache import cached_holiday_year


def _files(home: Path) -> list[Path]:
    return sorted((home / "cache").rglob("*.json"))


def test_first_answer_is_the_package_s_and_is_written_down(isolated: Path) -> None:
    found = cached_holiday_year("es-md", 2026)
    assert found == holiday_year("ES-MD", 2026)
    assert date(2026, 12, 8) in found and date(2026, 5, 2) in found  # a national and a Madrid holiday
    [written] = _files(isolated)
    assert written.name == "ES-MD-2026.json"
    assert json.loads(written.read_text("utf-8"))["2026-05-02"] == found[date(2026, 5, 2)]


def test_second_answer_comes_from_the_file_without_the_package(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cached_holiday_year("US", 2027)

    def refuse(code: str, year: int) -> dict[date, str]:
        raise AssertionError("the holidays package was asked again")

    monkeypatch.setattr(holiday_cache, "holiday_year", refuse)
    assert cached_holiday_year("US", 2027) == first


def test_a_process_reads_each_file_once(isolated: Path) -> None:
    first = cached_holiday_year("DE", 2026)
    [written] = _files(isolated)
    written.unlink()
    assert cached_holiday_year("de", 2026) == first  # remembered, not read again (nor worked out)
    assert not _files(isolated)
    holiday_cache.forget()
    assert cached_holiday_year("DE", 2026) == first and _files(isolated)


def test_a_broken_file_is_worked_out_again(isolated: Path) -> None:
    cached_holiday_year("IN", 2026)
    [written] = _files(isolated)
    written.write_text("{not json", "utf-8")
    holiday_cache.forget()  # as a new process finds it
    assert cached_holiday_year("IN", 2026) == holiday_year("IN", 2026)
    assert json.loads(written.read_text("utf-8"))  # rewritten whole


def test_an_unwritable_cache_only_costs_time(isolated: Path) -> None:
    (isolated / "cache").parent.mkdir(parents=True, exist_ok=True)
    (isolated / "cache").write_text("a file where the cache folder would go", "utf-8")
    assert cached_holiday_year("BR", 2026) == holiday_year("BR", 2026)


def test_a_new_holidays_release_starts_a_new_folder(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached_holiday_year("GB", 2026)
    holiday_cache.forget()
    holiday_cache._package_stamp.cache_clear()
    monkeypatch.setattr(holiday_cache, "_package_stamp", lambda: "another-release")
    cached_holiday_year("GB", 2026)
    folders = {p.parent.name for p in _files(isolated)}
    assert len(folders) == 2 and "another-release" in folders


def test_a_calendar_reads_each_year_once_across_new_year(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, int]] = []

    def years(code: str, year: int) -> dict[date, str]:
        asked.append((code, year))
        return holiday_year(code, year)

    calendar = BusinessCalendar(zone("Europe/Madrid"), country="ES", holiday_years=years)
    days = calendar.business_days(date(2026, 12, 20), date(2027, 1, 10))
    assert date(2026, 12, 25) not in days and date(2027, 1, 1) not in days and date(2027, 1, 6) not in days
    assert date(2026, 12, 28) in days
    assert asked == [("ES", 2026), ("ES", 2027)]


def test_the_desk_s_calendars_use_the_cache(desk, customer, isolated: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tamdesk.services.contracts import calendar_of

    customer(name="Acme", country="US-NY")
    name = desk.read(lambda unit: calendar_of(unit, unit.customer("Acme")).holiday(date(2026, 11, 26)))
    assert name == "Thanksgiving Day"
    assert [p.name for p in _files(isolated)] == ["US-NY-2026.json"]
    # The desk's calendars read the file, not the package: with the memory cleared and the
    # package unusable, another 2026 day still has its holiday.
    holiday_cache.forget()

    def no_package(*args):  # type: ignore[no-untyped-def]
        raise AssertionError("the holidays package was asked again")

    monkeypatch.setattr(business_hours, "country_holidays", no_package)
    name = desk.read(lambda unit: calendar_of(unit, unit.customer("Acme")).holiday(date(2026, 12, 25)))
    assert name == "Christmas Day"
