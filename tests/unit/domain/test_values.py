"""The tolerant value readers behind every model property."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cw_facade.models import parse_datetime
from cw_facade.models._values import as_bool, as_int, lookup, nested, normalize_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-09-15T09:39:42Z", datetime(2022, 9, 15, 9, 39, 42, tzinfo=UTC)),
        ("2022-09-15T09:39:42.1Z", datetime(2022, 9, 15, 9, 39, 42, 100000, tzinfo=UTC)),
        ("2022-09-15T09:39:42.123Z", datetime(2022, 9, 15, 9, 39, 42, 123000, tzinfo=UTC)),
        ("2022-09-15T09:39:42.123456Z", datetime(2022, 9, 15, 9, 39, 42, 123456, tzinfo=UTC)),
        ("2022-09-15T09:39:42.1234567Z", datetime(2022, 9, 15, 9, 39, 42, 123456, tzinfo=UTC)),
        ("2022-09-15T09:39:42", datetime(2022, 9, 15, 9, 39, 42, tzinfo=UTC)),
        ("2022-09-15T09:39", datetime(2022, 9, 15, 9, 39, tzinfo=UTC)),
        ("2022-09-15", datetime(2022, 9, 15, tzinfo=UTC)),
        (
            "2022-09-15T09:39:42-05:00",
            datetime(2022, 9, 15, 9, 39, 42, tzinfo=timezone(timedelta(hours=-5))),
        ),
        (
            "2022-09-15T09:39:42.5+0130",
            datetime(2022, 9, 15, 9, 39, 42, 500000, tzinfo=timezone(timedelta(minutes=90))),
        ),
        (" 2022-09-15T09:39:42z ", datetime(2022, 9, 15, 9, 39, 42, tzinfo=UTC)),
    ],
)
def test_timestamps_parse_to_aware_datetimes(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "value",
    [
        "",
        "yesterday",
        "2022-13-01T00:00:00Z",
        "2022-02-30",
        "2022-09-15T25:00:00Z",
        "2022-09-15T09:39:42+99:00",
        "[2022-09-15T09:39:42Z]",
        None,
        12345,
        True,
        {"date": "2022-09-15"},
        date(2022, 9, 15),
    ],
)
def test_malformed_timestamps_give_none(value: Any) -> None:
    assert parse_datetime(value) is None


def test_datetimes_pass_through_and_naive_ones_become_utc() -> None:
    aware = datetime(2022, 1, 1, tzinfo=timezone(timedelta(hours=3)))
    assert parse_datetime(aware) is aware
    assert parse_datetime(datetime(2022, 1, 1)) == datetime(2022, 1, 1, tzinfo=UTC)


@given(st.text(max_size=40))
def test_parse_datetime_never_raises(text: str) -> None:
    result = parse_datetime(text)
    assert result is None or result.tzinfo is not None


@given(st.datetimes(timezones=st.just(UTC)))
def test_round_trip_of_iso_timestamps(moment: datetime) -> None:
    text = moment.isoformat(timespec="microseconds").replace("+00:00", "Z")
    assert parse_datetime(text) == moment


@pytest.mark.parametrize("text", ["²", "--5", "-", "5-", "1_000", "٣", "0x10", " "])
def test_as_int_refuses_odd_digit_strings(text: str) -> None:
    assert as_int(text) is None


@given(st.text(max_size=12))
@example("0\x1f")  # \s matches the unit separator; int() does not accept it
@example("5\n")
def test_as_int_never_raises(text: str) -> None:
    result = as_int(text)
    assert result is None or (type(result) is int and text.strip().lstrip("-").isascii())


def test_as_int_and_as_bool() -> None:
    assert [as_int(v) for v in (5, "7", "-2", True, 1.5, "x", None)] == [
        5,
        7,
        -2,
        None,
        None,
        None,
        None,
    ]
    assert [as_bool(v) for v in (True, False, "true", "FALSE", 1, None, "yes")] == [
        True,
        False,
        True,
        False,
        None,
        None,
        None,
    ]


def test_key_lookup_is_exact_first_then_any_spelling() -> None:
    data = {"Sort": 1, "sort": 2, "ClosedFlag": True}
    assert lookup(data, "sort") == 2
    assert lookup(data, "closed_flag") is True
    assert lookup(data, "missing", "default") == "default"
    assert normalize_key("closed_flag") == normalize_key("closedFlag") == "closedflag"
    assert nested({"a": {"B": {"c": 3}}}, "a", "b", "c") == 3
    assert nested({"a": None}, "a", "b") is None
    assert nested({"a": [1]}, "a", "b") is None
