"""B5: one reading of durations, whole minutes, nothing typed silently changed."""

import pytest

from tamdesk.domain.durations import describe, read_duration, reading
from tamdesk.domain.errors import BadInput


# Each expectation is worked out from what the text says: 1.5 h = 90 min, 1:30 = 60 + 30, ...
@pytest.mark.parametrize(
    "typed, minutes",
    [
        ("1.5", 90), ("1,5", 90), ("0,5", 30), ("2", 120), (".25", 15), ("1:30", 90), ("0:45", 45),
        ("90m", 90), ("1h30m", 90), ("1h", 60), ("45min", 45), ("1 h 30 min", 90), ("1.5h", 90),
        ("2 hours", 120), ("90 minutes", 90), ("1H30M", 90), ("1.1", 66), (1.25, 75), (2, 120),
    ],
)
def test_b5_every_form_means_what_it_says(typed, minutes):
    assert read_duration(typed) == minutes


@pytest.mark.parametrize("typed", ["abc", "1h30", "1:3", "1:60", "1.5.2", "1,5,0", "h", "m", "", "1 30", "١", "1e2", "nan"])
def test_b5_anything_else_is_bad_input_with_an_example(typed):
    with pytest.raises(BadInput, match="1:30"):
        read_duration(typed)


def test_b5_a_fraction_of_a_minute_is_bad_input_never_rounded():
    # 0.004 h = 0.24 min: not 0 (the old reading stored it as 0 minutes) and not 1.
    with pytest.raises(BadInput, match=r"B5: '0.004' reads as 0.24 min.*type 1 min"):
        read_duration("0.004")
    # 1.01 h = 60.6 min, between 1 h and 1 h 1 min.
    with pytest.raises(BadInput, match=r"60.6 min.*type 1 h or 1 h 1 min"):
        read_duration("1.01")


@pytest.mark.parametrize("typed", ["0", "0:00", "0m", "-2", "-1:30"])
def test_b5_at_least_one_minute(typed):
    with pytest.raises(BadInput, match="B5"):
        read_duration(typed)


def test_describe_and_the_label_under_a_field():
    assert [describe(m) for m in (45, 60, 90, 1440)] == ["45 min", "1 h", "1 h 30 min", "24 h"]
    assert reading("1,5") == "1,5 → 1 h 30 min"
    assert reading("90m") == "90m → 1 h 30 min"
    assert "B5" in reading("0.004")
    assert "1:30" in reading("  ")


def test_where_a_field_counts_minutes_a_bare_number_is_minutes():
    # A call's length: 45 is 45 min, and the units still mean what they say.
    assert [read_duration(t, bare="minutes") for t in ("45", "1h", "0:45", "45min", "1.5h")] == [45, 60, 45, 45, 90]
    with pytest.raises(BadInput, match="minutes such as 45"):
        read_duration("x", bare="minutes")
    with pytest.raises(BadInput, match="0.5 min"):
        read_duration("0.5", bare="minutes")


def test_the_label_under_a_minutes_field_speaks_of_minutes():
    # A call's length counts minutes (bare="minutes"): its hint and reading say so.
    assert reading("", bare="minutes") == "type minutes such as 45, or 45min, 1h, 0:45"
    assert reading("45", bare="minutes") == "45 → 45 min"
    assert reading("45") == "45 → 45 h"


def test_a_duration_of_32_characters_is_read_and_33_are_refused_naming_the_length():
    assert read_duration("0" * 30 + "1h") == 60  # 32 characters: MAX_TYPED
    with pytest.raises(BadInput, match=r"^a duration of 33 characters cannot be read: type hours such as"):
        read_duration("0" * 31 + "1h")


def test_a_yes_or_no_is_not_a_duration():
    with pytest.raises(BadInput, match=r"^cannot read True as a duration: type hours such as 1.5"):
        read_duration(True)
