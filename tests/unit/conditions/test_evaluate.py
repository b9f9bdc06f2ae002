"""The evaluator on realistic ticket and company records."""

# ruff: noqa: E711, E712  (comparing fields with None/True/False builds conditions)

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cw_facade.conditions import C, Expr, field_paths, matches, parse
from cw_facade.conditions._evaluate import like

TICKET: dict[str, Any] = {
    "id": 1042,
    "summary": "URGENT: Server offline at HQ",
    "recordType": "ServiceTicket",
    "board": {"id": 30, "name": "Help Desk", "_info": {"board_href": "https://x//boards/30"}},
    "status": {"id": 5, "name": "Open", "Sort": 2},
    "company": {"id": 250, "identifier": "ACME", "name": "Acme Corp"},
    "priority": {"id": 8, "name": "Priority 1 - Critical"},
    "closedFlag": False,
    "actualHours": 1.5,
    "budgetHours": None,
    "owner": None,
    "customFields": [{"id": 3, "caption": "Region", "value": "EU"}],
    "_info": {
        "lastUpdated": "2024-02-01T09:39:42.1234567Z",
        "dateEntered": "2024-01-15T08:00:00Z",
    },
}

COMPANY: dict[str, Any] = {
    "id": 250,
    "identifier": "ACME",
    "name": 'Acme "Rockets" & Co\\Ltd',
    "status": {"id": 1, "name": "Active"},
    "deletedFlag": False,
    "annualRevenue": 1250000.75,
    "numberOfEmployees": 42,
    "dateAcquired": "2019-06-01T00:00:00Z",
    "types": [{"id": 1, "name": "Client"}],
}


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (C.id == 1042, True),
        (C.id == 1042.0, True),
        (C.id == Decimal("1042.000"), True),
        (C.id != 1042, False),
        (C.id > 1000, True),
        (C.id < 1000, False),
        (C.id <= 1042, True),
        (C.id >= 1043, False),
        (C.id == "1042", False),
        (C.company.id == 250, True),
        (C.company.name == "acme corp", True),
        (C.status.name == "OPEN", True),
        (C.status.name != "closed", True),
        (C.status.sort == 2, True),
        (C.board.name < "i", True),
        (C.board.name > "HELP DESK", False),
        (C.closedFlag == False, True),
        (C.closedFlag == True, False),
        (C.closedFlag != True, True),
        (C.closedFlag == 0, False),
        (C.closedFlag < True, False),
        (C.actualHours == 1.5, True),
        (C.actualHours > Decimal("1.49"), True),
        (C.summary.contains("server"), True),
        (C.summary.contains("SERVER OFFLINE"), True),
        (C.summary.contains("printer"), False),
        (C.summary.not_contains("printer"), True),
        (C.summary.like("urgent*"), True),
        (C.summary.like("%hq"), True),
        (C.summary.like("urgent"), False),
        (C.summary.like("*server*offline*"), True),
        (C.summary.not_like("urgent*"), False),
        (C.priority.name.like("Priority 1 - *"), True),
        (C.priority.name.like("Priority _ - *"), False),
        (C.status.name.in_(["New", "open"]), True),
        (C.status.name.not_in(["New", "open"]), False),
        (C.id.in_([1, 2, 1042]), True),
        (C.id.in_(["1042"]), False),
        (C.owner.is_null(), True),
        (C.owner.is_not_null(), False),
        (C.budgetHours == None, True),
        (C.budgetHours > 0, False),
        (C.budgetHours <= 0, False),
        (C.budgetHours != 5, True),
        (C.budgetHours.contains("x"), False),
        (C.nonexistent.is_null(), True),
        (C.nonexistent == 5, False),
        (C.owner.id.is_null(), True),
        (C.summary.id.is_null(), True),
        (C.company.id > None, False),
        (C.customFields == "EU", False),
        (C.customFields.is_null(), False),
        (C.customFields.contains("EU"), False),
        (C.customFields.value == "EU", True),
        (C.customFields.caption == "eu", False),
        (C.customFields.value != "EU", False),
        (C.customFields.value.in_(["US", "eu"]), True),
        (C.company == 250, False),
        (C.company.is_not_null(), True),
        (C["_info"].lastUpdated > datetime(2024, 2, 1, 9, 39, 42, tzinfo=UTC), True),
        (C["_info"].lastUpdated == datetime(2024, 2, 1, 9, 39, 42, tzinfo=UTC), False),
        (C["_info"].lastUpdated < date(2024, 2, 2), True),
        (C["_info"].dateEntered == datetime(2024, 1, 15, 8, tzinfo=UTC), True),
        (
            C["_info"].dateEntered == datetime(2024, 1, 15, 9, tzinfo=timezone(timedelta(hours=1))),
            True,
        ),
        (C["_info"].dateEntered >= date(2024, 1, 16), False),
        (C.summary > date(2024, 1, 1), False),
        (C.id > date(2024, 1, 1), False),
    ],
)
def test_ticket(expr: Expr, expected: bool) -> None:
    assert matches(expr, TICKET) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('name contains "\\"rockets\\""', True),
        ('name like "*co\\\\ltd"', True),
        ("name = 'ACME \"ROCKETS\" & CO\\\\LTD'", True),
        ("status/name='Active' AND deletedFlag=false", True),
        ("(deletedFlag=true AND id=250) OR identifier='acme'", True),
        ("NOT (identifier='acme')", False),
        ("annualRevenue > 1250000.5 AND annualRevenue < 1250001", True),
        ("numberOfEmployees in (10, 42.0)", True),
        ("dateAcquired < [2020-01-01T00:00:00Z]", True),
        ("dateAcquired = [2019-06-01]", True),
        ("types/name = 'Client'", True),
        ("types/name = 'Vendor'", False),
        ("types/id > 0", True),
        ("types != null", True),
    ],
)
def test_company_with_parsed_conditions(text: str, expected: bool) -> None:
    assert matches(parse(text), COMPANY) is expected


def test_combinations() -> None:
    cond = (C.closedFlag == False) & (C.priority.id >= 8) | C.summary.contains("zzz")
    assert matches(cond, TICKET) is True
    assert matches(~cond, TICKET) is False
    assert matches((C.id == 1) | (C.id == 2), TICKET) is False
    assert matches((C.id == 1042) & (C.closedFlag == True), TICKET) is False


def test_paths_through_lists_hold_for_any_element() -> None:
    contact = {
        "communicationItems": [
            {"type": {"name": "Email"}, "value": "jane@example.com"},
            {"type": {"name": "Phone"}, "value": "555-0100"},
            "not an object",
        ],
        "empty": [],
    }
    assert matches(parse('communicationItems/value like "j*"'), contact) is True
    assert matches(parse("communicationItems/type/name = 'phone'"), contact) is True
    assert matches(parse("communicationItems/value = null"), contact) is True
    assert matches(parse('communicationItems/value not like "x*"'), contact) is True
    assert matches(parse("empty/value = null"), contact) is True
    assert matches(parse("empty/value != null"), contact) is False
    assert matches(parse("empty = null"), contact) is False


def test_not_of_a_null_ordering_is_true() -> None:
    assert matches(~(C.budgetHours > 0), TICKET) is True


def test_keys_match_exactly_before_ignoring_case() -> None:
    record = {"Name": "upper", "name": "lower", "Other": 1}
    assert matches(C.name == "lower", record) is True
    assert matches(C.NAME == "lower", record) is False
    assert matches(C.other == 1, record) is True


@pytest.mark.parametrize(
    "record",
    [
        {},
        {"x": float("nan")},
        {"x": float("inf")},
        {"x": [1, 2]},
        {"x": {"y": None}},
        {"x": "no date here"},
        {"x": "2024-13-45T00:00:00Z"},
        {"x": "\u0662\u0660\u0662\u0664-01-31"},
        {"x": object()},
        {"x": b"bytes"},
        {"x": True},
    ],
)
def test_odd_records_never_raise(record: dict[str, Any]) -> None:
    for cond in (
        C.x == 1,
        C.x < 1.5,
        C.x == "zzz",
        C.x > datetime(2024, 1, 1, tzinfo=UTC),
        C.x.contains("q"),
        C.x.like("q*"),
        C.x.in_([1, "a"]),
    ):
        assert matches(cond, record) is False


def test_datetime_objects_in_records_compare_as_instants() -> None:
    naive = {"when": datetime(2024, 1, 31, 12)}
    aware = {"when": datetime(2024, 1, 31, 13, tzinfo=timezone(timedelta(hours=1)))}
    cond = C.when == datetime(2024, 1, 31, 12, tzinfo=UTC)
    assert matches(cond, naive) is True
    assert matches(cond, aware) is True


def test_like_treats_regex_characters_literally() -> None:
    assert matches(C.x.like("a.c"), {"x": "abc"}) is False
    assert matches(C.x.like("a.c"), {"x": "A.C"}) is True
    assert matches(C.x.like("(x)[y]+"), {"x": "(x)[y]+"}) is True
    assert matches(C.x.like("line*end"), {"x": "line\nend"}) is True
    assert matches(C.x.like(""), {"x": ""}) is True


def test_matches_rejects_non_expressions() -> None:
    with pytest.raises(TypeError, match="matches needs an Expr, not str"):
        matches("id=1", TICKET)  # type: ignore[arg-type]


def test_field_paths() -> None:
    cond = parse("(a/b=1 OR c contains 'x') AND NOT (d in (1, 2) AND a/b!=null)")
    assert field_paths(cond) == frozenset({"a/b", "c", "d"})
    assert field_paths(C["_info"].lastUpdated > date(2024, 1, 1)) == {"_info/lastUpdated"}
    with pytest.raises(TypeError, match="field_paths needs an Expr"):
        field_paths("a=1")  # type: ignore[arg-type]


def _reference_like(pattern: str, text: str) -> bool:
    regex = "".join(".*" if char in "*%" else re.escape(char) for char in pattern.casefold())
    return re.fullmatch(regex, text.casefold(), re.DOTALL) is not None


@given(st.text("ab*%_", max_size=8), st.text("abAB*%_", max_size=10))
def test_like_agrees_with_a_regular_expression(pattern: str, text: str) -> None:
    assert like(pattern, text) is _reference_like(pattern, text)


def test_like_stays_fast_with_many_wildcards() -> None:
    assert like("a*" * 30 + "b", "a" * 20000) is False
    assert like("%a%" * 30 + "b", "a" * 20000 + "b") is True
