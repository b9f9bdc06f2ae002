"""Parsing conditions as users write them, and the syntax errors they get."""

# ruff: noqa: E712  (comparing fields with True/False builds conditions)

from __future__ import annotations

import pickle
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from cw_facade.conditions import C, ConditionsSyntaxError, Expr, Not, parse
from cw_facade.conditions._parser import MAX_DEPTH

JAN31 = datetime(2024, 1, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'summary contains "urgent" AND priority/id>=8',
            C.summary.contains("urgent") & (C.priority.id >= 8),
        ),
        (
            "(closedFlag=false AND priority/id>=8) OR summary contains 'urgent'",
            (C.closedFlag == False) & (C.priority.id >= 8) | C.summary.contains("urgent"),
        ),
        ('name like "PROD-%"', C.name.like("PROD-%")),
        ("communicationItems/value like 'j*'", C.communicationItems.value.like("j*")),
        (
            "company/id=250 AND status/name='Open'",
            (C.company.id == 250) & (C.status.name == "Open"),
        ),
        (
            'name contains "PROD" AND company/id=250',
            C.name.contains("PROD") & (C.company.id == 250),
        ),
        (
            'name="PROD-WEB-01" AND company/id=250',
            (C.name == "PROD-WEB-01") & (C.company.id == 250),
        ),
        ('caption="Region" AND value="EU"', (C.caption == "Region") & (C.value == "EU")),
        (
            'status/name="New" and priority/name="High"',
            (C.status.name == "New") & (C.priority.name == "High"),
        ),
        ("_info/lastUpdated > [2024-01-31T00:00:00Z]", C["_info"].lastUpdated > JAN31),
        ("id in (1, 2, 3)", C.id.in_([1, 2, 3])),
        ("id IN(1,2,3)", C.id.in_([1, 2, 3])),
        ("id not in (1,2)", C.id.not_in([1, 2])),
        ('summary not contains "x"', C.summary.not_contains("x")),
        ('summary NOT LIKE "x%"', C.summary.not_like("x%")),
        ("x = null", C.x.is_null()),
        ("x != NULL", C.x.is_not_null()),
        ("x=True", C.x == True),
        ("x=FALSE", C.x == False),
        ("a=1 And b=2 aNd c=3", (C.a == 1) & (C.b == 2) & (C.c == 3)),
        ("a=1 or b=2 OR c=3", (C.a == 1) | (C.b == 2) | (C.c == 3)),
        ("((a=1))", C.a == 1),
        ("(a=1 AND (b=2 OR (c=3 AND d=4)))", (C.a == 1) & ((C.b == 2) | ((C.c == 3) & (C.d == 4)))),
        ("not (a=1)", ~(C.a == 1)),
        ("NOT(NOT(a=1))", Not(Not(C.a == 1))),
        ("  a\t=\n1  ", C.a == 1),
        ("x=-5", C.x == -5),
        ("x>=-0.5", C.x >= Decimal("-0.5")),
        ("x=1.50", C.x == Decimal("1.50")),
        ("x=2e3", C.x == 2000),
        ("x=0007", C.x == 7),
        ('x="a\\"b"', C.x == 'a"b'),
        ("x='it\\'s'", C.x == "it's"),
        ("x='say \"hi\"'", C.x == 'say "hi"'),
        ('x="C:\\temp"', C.x == "C:\\temp"),
        ('x="back\\\\slash"', C.x == "back\\slash"),
        ('x="a or 1=1"', C.x == "a or 1=1"),
        ("x=[2024-01-31]", C.x == JAN31),
        ("x=[2024-01-31T01:00:00+01:00]", C.x == JAN31),
        ("x=[2024-01-31T00:00:00.1234567Z]", C.x == JAN31),
        ("x=[2024-01-31T00:00]", C.x == JAN31),
        ("x=[ 2024-01-31T00:00:00 ]", C.x == JAN31),
        ("dateEntered<[2024-01-31T00:00:00Z]", C.dateEntered < JAN31),
    ],
)
def test_user_written_conditions_parse(text: str, expected: Expr) -> None:
    assert parse(text) == expected


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match="must be a str, not bytes"):
        parse(b"a=1")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "position", "expected"),
    [
        ("", 0, "a condition such as id=1"),
        ("   ", 3, "a condition such as id=1"),
        ("company/id= AND x=1", 12, "a value after '='"),
        ("a=", 2, "a value after '='"),
        ("(a=1", 4, "AND, OR or ')' (to close the '(' opened at position 0)"),
        ("((a=1) AND b=2", 14, "AND, OR or ')' (to close the '(' opened at position 0)"),
        ("a=1)", 3, "end of input (this ')' has no matching '(')"),
        ("()", 1, "a condition (a field, '(' or NOT)"),
        ('a="abc', 2, 'a closing " for the string starting'),
        ("a='abc\\'", 2, "a closing ' for the string starting"),
        ("a=[2024-01-31", 2, "a closing ] for the date starting"),
        ("a=[yesterday]", 2, "a date like [2024-01-31T00:00:00Z]"),
        ("a=[2024-02-30]", 2, "a date like [2024-01-31T00:00:00Z]"),
        ("a=[0001-01-01T00:00:00+01:00]", 2, "a date within years 1-9999 in UTC"),
        ("a==1", 1, "a comparison operator (=, !=, <, <=, >, >=, contains, like, in, not ...)"),
        ("a<>1", 1, "a comparison operator (=, !=, <, <=, >, >=, contains, like, in, not ...)"),
        (
            "a 1",
            2,
            "a comparison operator (=, !=, <, <=, >, >=, contains, like, in, not ...) after 'a'",
        ),
        (
            "a equals 1",
            2,
            "a comparison operator (=, !=, <, <=, >, >=, contains, like, in, not ...) after 'a'",
        ),
        ("a not = 1", 6, "contains, like or in after 'not'"),
        ("a contains 5", 11, "a quoted string after 'contains'"),
        ("a not like null", 11, "a quoted string after 'not like'"),
        ("a in 1", 5, "'(' and a list of values after 'in'"),
        ("a in ()", 6, "a value after '('"),
        ("a in (1,)", 8, "a value after ','"),
        ("a in (1 2)", 8, "',' or ')' in the list of values"),
        ("a in (1", 7, "',' or ')' in the list of values"),
        ("a=1 b=2", 4, "AND, OR or end of input"),
        ("a=1 AND", 7, "a condition (a field, '(' or NOT)"),
        ("AND a=1", 0, "a condition (a field, '(' or NOT)"),
        ("a=1 AND b=2 OR c=3", 12, "AND (mixing AND and OR needs parentheses)"),
        ("a=1 or b=2 and c=3", 11, "OR (mixing AND and OR needs parentheses)"),
        ("NOT a=1", 4, "'(' after NOT"),
        ("a=abc", 2, "a value after '=' (strings need quotes)"),
        ("a in (1, b)", 9, "a value after ',' (strings need quotes)"),
        ("a=1abc", 2, "a number"),
        ("a=1.2.3", 2, "a number"),
        ("a=-", 2, "a number"),
        ("a=\u0663", 2, "a number"),
        ("a=[\u0662\u0660\u0662\u0664-01-31]", 2, "a date like [2024-01-31T00:00:00Z]"),
        ("a=1e999999999", 2, "a number of at most 400 digits either side of the point"),
        ("a/=1", 0, "a field path like company/id (segments joined by '/')"),
        ("1a=1", 0, "a number"),
        ("a=1; DROP", 3, "a field, value, operator or parenthesis"),
        ("a=#", 2, "a field, value, operator or parenthesis"),
        ("in=1", 0, "a condition (a field, '(' or NOT)"),
    ],
)
def test_syntax_errors_name_position_and_expectation(
    text: str, position: int, expected: str
) -> None:
    with pytest.raises(ConditionsSyntaxError) as caught:
        parse(text)
    error = caught.value
    assert (error.text, error.position, error.expected) == (text, position, expected)
    assert isinstance(error, ValueError)
    assert str(error).startswith(f"expected {expected} at position {position}, found ")


def test_message_shows_the_text_and_a_caret() -> None:
    with pytest.raises(ConditionsSyntaxError) as caught:
        parse("company/id= AND x=1")
    assert str(caught.value) == (
        "expected a value after '=' at position 12, found 'AND': 'company/id= AND x=1'\n"
        "  company/id= AND x=1\n"
        "              ^"
    )


def test_message_of_a_long_input_shows_an_excerpt() -> None:
    text = "a=1 AND " * 30 + "b=="
    with pytest.raises(ConditionsSyntaxError) as caught:
        parse(text)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("expected a comparison operator")
    assert lines[1].startswith("  ...") and lines[1].endswith("b==")
    assert lines[2].index("^") == lines[1].index("b==") + 1
    assert len(lines[1]) < 80


def test_caret_stays_aligned_across_tabs_and_newlines() -> None:
    with pytest.raises(ConditionsSyntaxError) as caught:
        parse("a=1\nAND\tb")
    lines = str(caught.value).splitlines()
    assert lines[1] == "  a=1 AND b"
    assert lines[2] == "           ^"


def test_found_is_truncated() -> None:
    with pytest.raises(ConditionsSyntaxError) as caught:
        parse("a=[" + "x" * 100 + "]")
    assert caught.value.found.endswith("...")
    assert len(caught.value.found) == 43


def test_syntax_error_pickles() -> None:
    with pytest.raises(ConditionsSyntaxError) as caught:
        parse("a=")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.text, copy.position, copy.expected, str(copy)) == (
        "a=",
        2,
        "a value after '='",
        str(caught.value),
    )


def test_nesting_is_bounded() -> None:
    deep = "(" * MAX_DEPTH + "a=1" + ")" * MAX_DEPTH
    assert parse(deep) == (C.a == 1)
    with pytest.raises(ConditionsSyntaxError, match=f"at most {MAX_DEPTH} nested"):
        parse("(" + deep + ")")
    with pytest.raises(ConditionsSyntaxError, match=f"at most {MAX_DEPTH} nested"):
        parse("NOT (" * (MAX_DEPTH + 1) + "a=1" + ")" * (MAX_DEPTH + 1))


def test_long_flat_chains_parse() -> None:
    text = " OR ".join(f"id={n}" for n in range(5000))
    assert len(str(parse(text)).split(" OR ")) == 5000
