"""One reader per kind of value: inside its domain or bad input, never anything else (issue 14)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tamdesk.domain.errors import BadInput, NeedsConfirmation, combine_confirmations
from tamdesk.domain.timezones import zone
from tamdesk.domain.values import (
    MAX_ID,
    check_year,
    read_decimal,
    read_id,
    read_number,
    read_text,
    read_whole,
    shown,
)


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


# --- what each reader says, and its edges (issue 14: bad input names the field and shows what was typed) ---


def test_an_id_names_the_noun_and_refuses_a_bool() -> None:
    assert read_id(5, "call") == 5
    with pytest.raises(BadInput, match=r"^'12a' is not a case id: an id is a whole number such as 12$"):
        read_id("12a", "case")
    with pytest.raises(BadInput, match=r"^there is no call 0: ids start at 1 and stay below 2\^63$"):
        read_id(0, "call")
    with pytest.raises(BadInput):
        read_id(True, "call")  # a bool is not an id, though Python counts it as an int


def test_a_decimal_takes_numbers_as_they_are_and_names_the_field() -> None:
    assert (read_decimal(2.5, "hours"), read_decimal(3, "hours"), read_decimal("1,5", "hours")) == (2.5, 3.0, 1.5)
    with pytest.raises(BadInput):
        read_decimal(True, "hours")
    with pytest.raises(BadInput, match=r"^the weekly cap must be a number such as 1\.5, not 'abc'$"):
        read_number("abc", "the weekly cap", low=0, high=168)


def test_a_number_out_of_range_says_the_range_with_its_unit_only_when_it_has_one() -> None:
    with pytest.raises(BadInput, match=r"^the weekly cap must be between 0 and 168 hours, not 169$"):
        read_number("169", "the weekly cap", low=0, high=168, unit="hours")
    with pytest.raises(BadInput, match=r"^the share must be between 0 and 1, not 2$"):
        read_number("2", "the share", low=0, high=1)


def test_a_whole_number_includes_both_ends_and_reads_negatives() -> None:
    assert [read_whole(t, "the port", low=-5, high=5) for t in ("-5", "-3", "5", " 0 ")] == [-5, -3, 5, 0]
    with pytest.raises(BadInput, match=r"^the port must be between 1 and 5 minutes, not 6$"):
        read_whole("6", "the port", low=1, high=5, unit="minutes")
    with pytest.raises(BadInput, match=r"^the port must be between 1 and 5, not 0$"):
        read_whole("0", "the port", low=1, high=5)
    # The example in the message is 1 when the range holds it, else its nearest end.
    with pytest.raises(BadInput, match=r"^the port must be a whole number such as 1, not 'X3'$"):
        read_whole("X3", "the port", low=0, high=10)
    with pytest.raises(BadInput, match=r"^the port must be a whole number such as 1024, not 'abc'$"):
        read_whole("abc", "the port", low=1024, high=65535)


def test_text_at_its_limit_fits_and_an_empty_required_field_is_named() -> None:
    assert read_text("a" * 10, "a title", limit=10) == "a" * 10
    with pytest.raises(BadInput, match=r"^a title cannot be empty$"):
        read_text("   ", "a title", required=True)


def test_shown_quotes_cuts_after_the_limit_and_escapes_what_cannot_be_printed() -> None:
    assert shown("x" * 40) == repr("x" * 40)
    assert shown("x" * 41) == repr("x" * 40 + "...")
    assert shown("a\udc80b") == repr("a\\udc80b")  # a lone surrogate (from a bad file name) escaped


def test_a_year_outside_the_desk_s_range_is_named() -> None:
    with pytest.raises(BadInput, match=r"^'1899-12-31' is outside the years 1900-2200 the desk keeps$"):
        check_year(1899, "1899-12-31")


def test_two_confirmations_ask_once_for_both() -> None:
    # T5 and B2 at once: one question naming both rules, both reasons and both marks to keep.
    both = combine_confirmations(
        [
            NeedsConfirmation("T5", "Saturday is not a business day.", exception="out of hours"),
            NeedsConfirmation("B2", "Acme would have 11.0 h.", exception="over budget"),
        ]
    )
    assert (both.rule, both.exception) == ("T5, B2", "out of hours; over budget")
    assert str(both) == (
        "T5, B2: Saturday is not a business day. Acme would have 11.0 h. "
        "Confirm to book it as an exception with both marks kept."
    )
