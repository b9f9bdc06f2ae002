"""Property tests: rendering and parsing are inverse, and a value is always one token."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cw_facade.conditions import (
    And,
    C,
    Comparison,
    ConditionsSyntaxError,
    Expr,
    Field,
    Not,
    Operator,
    Or,
    field_paths,
    matches,
    parse,
)
from cw_facade.conditions._values import MAX_NUMBER_DIGITS

_SEGMENT = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
_KEYWORDS = {"and", "or", "not", "contains", "like", "in", "true", "false", "null"}
PATHS = (
    st.lists(_SEGMENT, min_size=1, max_size=3)
    .map("/".join)
    .filter(lambda path: path.lower() not in _KEYWORDS)
)
# Texts biased towards the characters that could break out of a string token.
NASTY = st.sampled_from(['"', "'", "\\", "(", ")", " or 1=1", " AND ", ",", "[", "]", "\n", '\\"'])
TEXTS = st.one_of(st.text(), st.lists(st.one_of(NASTY, st.text(max_size=3))).map("".join))
OFFSETS = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
)
DATETIMES = st.datetimes(
    min_value=datetime(1900, 1, 1),
    max_value=datetime(2200, 1, 1),
    timezones=st.one_of(st.none(), OFFSETS),
)
LIMIT = 10**MAX_NUMBER_DIGITS


def _in_range(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return value.adjusted() < MAX_NUMBER_DIGITS and -exponent <= MAX_NUMBER_DIGITS


SCALARS = st.one_of(
    TEXTS,
    st.integers(min_value=-LIMIT + 1, max_value=LIMIT - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False).filter(_in_range),
    st.booleans(),
    st.none(),
    DATETIMES,
    st.dates(min_value=date(1, 1, 2), max_value=date(9999, 12, 30)),
)
SYMBOLS = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])


class Colour(enum.Enum):
    RED = "red"
    BLUE = 2


@st.composite
def comparisons(draw: st.DrawFn) -> Comparison:
    field = Field(draw(PATHS))
    kind = draw(st.sampled_from(["symbol", "string", "list", "null"]))
    if kind == "symbol":
        return _symbol(field, draw(SYMBOLS), draw(SCALARS | st.sampled_from(Colour)))
    if kind == "string":
        method = draw(st.sampled_from(["contains", "not_contains", "like", "not_like"]))
        result: Comparison = getattr(field, method)(draw(TEXTS))
        return result
    if kind == "list":
        values = draw(st.lists(SCALARS, min_size=1, max_size=4))
        return field.in_(values) if draw(st.booleans()) else field.not_in(values)
    return field.is_null() if draw(st.booleans()) else field.is_not_null()


def _symbol(field: Field, symbol: str, value: object) -> Comparison:
    operations = {
        "==": field.__eq__,
        "!=": field.__ne__,
        "<": field.__lt__,
        "<=": field.__le__,
        ">": field.__gt__,
        ">=": field.__ge__,
    }
    return operations[symbol](value)


EXPRESSIONS = st.recursive(
    comparisons(),
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=4).map(lambda xs: And(tuple(xs))),
        st.lists(children, min_size=2, max_size=4).map(lambda xs: Or(tuple(xs))),
        children.map(Not),
        st.tuples(children, children).map(lambda pair: pair[0] & pair[1]),
        st.tuples(children, children).map(lambda pair: pair[0] | pair[1]),
        children.map(lambda child: ~child),
    ),
    max_leaves=12,
)


@settings(max_examples=400)
@given(EXPRESSIONS)
def test_parse_inverts_render(expr: Expr) -> None:
    text = str(expr)
    parsed = parse(text)
    assert parsed == expr
    assert hash(parsed) == hash(expr)
    assert str(parsed) == text


@settings(max_examples=400)
@given(PATHS, TEXTS)
def test_a_string_value_is_one_token(path: str, value: str) -> None:
    for expr in (C(path) == value, C(path).contains(value), C(path).not_like(value)):
        parsed = parse(str(expr))
        assert isinstance(parsed, Comparison)
        assert parsed.value == value
        assert field_paths(parsed) == {path}


@given(PATHS, TEXTS, TEXTS)
def test_an_injected_value_stays_inside_its_comparison(path: str, left: str, right: str) -> None:
    value = f'{left}") or (x="1{right}'
    expr = (C(path) == value) & (C.other != "y")
    parsed = parse(str(expr))
    assert isinstance(parsed, And)
    assert len(parsed.operands) == 2
    assert parsed.operands[0] == Comparison(path, Operator.EQ, value)


@given(PATHS, st.lists(SCALARS, min_size=1, max_size=6))
def test_a_list_keeps_its_length(path: str, values: list[object]) -> None:
    parsed = parse(str(C(path).in_(values)))
    assert isinstance(parsed, Comparison)
    assert isinstance(parsed.value, tuple)
    assert len(parsed.value) == len(values)


GRAMMAR_PIECES = st.sampled_from(
    ["a", "b/c", "=", "!=", "<", ">=", "==", " and ", " OR ", " not ", " in ", " like ",
     " contains ", "(", ")", ",", '"x"', "'y'", '"', "\\", "1", "-2.5", "1e3", "[2024-01-31]",
     "[", "]", "null", "true", " ", "NOT (", "é", "\n"]
)  # fmt: skip
FUZZ = st.one_of(st.text(), st.lists(GRAMMAR_PIECES, max_size=12).map("".join))


@settings(max_examples=600)
@given(FUZZ)
def test_parse_either_succeeds_stably_or_raises_a_syntax_error(text: str) -> None:
    try:
        expr = parse(text)
    except ConditionsSyntaxError as error:
        assert 0 <= error.position <= len(text)
        assert error.text == text
        return
    assert parse(str(expr)) == expr


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5)
    | st.sampled_from(["2024-01-31T00:00:00Z", "2022-09-15T09:39:42.1234567Z"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "A", "c", "_info"]), children, max_size=3)
    ),
    max_leaves=8,
)
RECORDS = st.dictionaries(st.sampled_from(["a", "b", "A", "c", "_info"]), JSON, max_size=4)
SMALL_PATHS = st.sampled_from(["a", "b", "A", "c", "a/b", "a/c", "_info/a", "b/a/c"])


@st.composite
def small_expressions(draw: st.DrawFn) -> Expr:
    path = draw(SMALL_PATHS)
    return draw(EXPRESSIONS.map(lambda expr: _repath(expr, path)))


def _repath(expr: Expr, path: str) -> Expr:
    if isinstance(expr, Comparison):
        return Comparison(path, expr.op, expr.value)
    if isinstance(expr, And | Or):
        return type(expr)(tuple(_repath(operand, path) for operand in expr.operands))
    assert isinstance(expr, Not)
    return Not(_repath(expr.operand, path))


@settings(max_examples=400)
@given(small_expressions(), RECORDS)
def test_matches_never_raises_and_not_negates(expr: Expr, record: dict[str, object]) -> None:
    result = matches(expr, record)
    assert isinstance(result, bool)
    assert matches(~expr, record) is (not result)
    assert matches(parse(str(expr)), record) is result


@given(TEXTS)
def test_a_string_matches_itself(value: str) -> None:
    record = {"x": value}
    assert matches(C.x == value, record)
    assert matches(C.x.contains(value), record)
    assert matches(C.x.in_([value]), record)
    assert not matches(C.x != value, record)
    assert matches(C.x.like(value), record)  # a wildcard also matches itself
    assert not matches(C.x.like(value + "?"), record)
