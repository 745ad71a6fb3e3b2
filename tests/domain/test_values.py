"""One reader per kind of value: inside its domain or bad input, never anything else (issue 14)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tamdesk.domain.errors import BadInput
from tamdesk.domain.timezones import zone
from tamdesk.domain.values import MAX_ID, read_id, read_number, read_text, read_whole


@pytest.mark.parametrize("text", ["²", "١٢", "１２", "-1", "0", "1.0", "", " ", str(2**63), "12a", "0x1F"])
def test_ids_are_ascii_digits_within_sqlites_range(text: str) -> None:
    with pytest.raises(BadInput):
        read_id(text, "call")


def test_the_edges_of_an_id() -> None:
    assert read_id(" 1 ", "call") == 1
    assert read_id(str(MAX_ID), "call") == 2**63 - 1  # SQLite's largest INTEGER


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "1e20", "-0.5", "169", "1e400", "½", "٣"])
def test_hours_are_finite_and_bounded(text: str) -> None:
    with pytest.raises(BadInput):
        read_number(text, "the weekly cap", low=0, high=168, unit="hours")


def test_numbers_at_their_bounds_and_with_a_comma() -> None:
    assert read_number("0", "h", low=0, high=168) == 0
    assert read_number("168", "h", low=0, high=168) == 168
    assert read_number("1,5", "h", low=0, high=168) == 1.5


@pytest.mark.parametrize("text", ["1e20", "15.5", "nan", "-1", "10081"])
def test_whole_numbers_refuse_everything_else(text: str) -> None:
    with pytest.raises(BadInput):
        read_whole(text, "alarm_minutes", low=0, high=10080)


def test_text_must_be_valid_unicode_and_bounded() -> None:
    broken = b"Caf\xe9".decode("utf-8", "surrogateescape")  # what Python makes of a Latin-1 argument
    with pytest.raises(BadInput, match="UTF-8"):
        read_text(broken, "the title")
    with pytest.raises(BadInput, match="at most 5"):
        read_text("abcdef", "the title", limit=5)
    with pytest.raises(BadInput):
        read_text("   ", "the title", required=True)
    with pytest.raises(BadInput, match="control"):
        read_text("red\x1b[31m", "the title")
    assert read_text("  Café ☕ ", "the title") == "Café ☕"


@pytest.mark.parametrize("name", ["A" * 300, "Europe/" + "x" * 260, "Europe/Madrid\x00", "../etc/passwd", "Mars/Base"])
def test_zone_names_that_cannot_exist_are_bad_input(name: str) -> None:
    with pytest.raises(BadInput):
        zone(name)


@given(st.text())
def test_any_text_is_an_id_or_bad_input(text: str) -> None:
    try:
        assert 1 <= read_id(text, "call") <= MAX_ID
    except BadInput:
        pass


@given(st.text())
def test_any_text_is_a_bounded_number_or_bad_input(text: str) -> None:
    try:
        number = read_number(text, "h", low=0, high=168)
    except BadInput:
        return
    assert math.isfinite(number) and 0 <= number <= 168


@given(st.text())
def test_any_text_is_a_zone_or_bad_input(text: str) -> None:
    try:
        zone(text)
    except BadInput:
        pass


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01", "in 300 years", "in 99999999 years"])
def test_dates_outside_the_years_the_desk_keeps_are_bad_input(text: str) -> None:
    from datetime import date

    from tamdesk.domain.humanize import read_date

    with pytest.raises(BadInput):
        read_date(text, date(2026, 11, 23))


@pytest.mark.parametrize("text", ["0001-01-01T00:00", "9999-12-31T23:59", "9999-12-31T23:59+14:00", "0001-01-01T00:00Z"])
def test_instants_outside_the_years_the_desk_keeps_are_bad_input(text: str) -> None:
    from tamdesk.domain.timezones import parse_datetime

    with pytest.raises(BadInput):
        parse_datetime(text, zone("Pacific/Kiritimati"))


def test_the_first_and_last_years_are_inside() -> None:
    from datetime import date

    from tamdesk.domain.humanize import read_date
    from tamdesk.domain.timezones import parse_datetime

    assert read_date("1900-01-01", date(2026, 11, 23)) == date(1900, 1, 1)
    assert read_date("2200-12-31", date(2026, 11, 23)) == date(2200, 12, 31)
    assert parse_datetime("2200-12-31T10:00", zone("Europe/Madrid")).year == 2200
