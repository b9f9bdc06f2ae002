"""Table tests of rendered conditions: every operator, every value type, combinations."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from cw_facade.conditions import And, C, Comparison, Expr, Not, Operator, Or, parse

CET = timezone(timedelta(hours=1))


class Status(enum.Enum):
    OPEN = "Open"
    FIVE = 5


class Flag(enum.Enum):
    BAD = object()


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        (C.id == 5, "id=5"),
        (C.id != 5, "id!=5"),
        (C.id < 5, "id<5"),
        (C.id <= 5, "id<=5"),
        (C.id > 5, "id>5"),
        (C.id >= 5, "id>=5"),
        (5 < C.id, "id>5"),
        (C.summary.contains("urgent"), 'summary contains "urgent"'),
        (C.summary.not_contains("urgent"), 'summary not contains "urgent"'),
        (C.name.like("PROD-%"), 'name like "PROD-%"'),
        (C.name.not_like("j*"), 'name not like "j*"'),
        (C.id.in_([1, 2, 3]), "id in (1, 2, 3)"),
        (C.id.not_in((1, 2)), "id not in (1, 2)"),
        (C.status.name.in_(["New", "Open"]), 'status/name in ("New", "Open")'),
        (C.owner.is_null(), "owner=null"),
        (C.owner.is_not_null(), "owner!=null"),
        (C.company.id == 250, "company/id=250"),
        (C["_info"]["lastUpdated"] > date(2024, 1, 31), "_info/lastUpdated>[2024-01-31T00:00:00Z]"),
        (C("company/id") == 1, "company/id=1"),
        (C.x["like"] == 1, "x/like=1"),
    ],
)
def test_operators_render(expr: Expr, text: str) -> None:
    assert str(expr) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("Open", '"Open"'),
        ("", '""'),
        ('say "hi"', r'"say \"hi\""'),
        ("C:\\temp\\", r'"C:\\temp\\"'),
        ('\\"', r'"\\\""'),
        ("it's", '"it\'s"'),
        ('x") or (y="1', r'"x\") or (y=\"1"'),
        ("line\nbreak", '"line\nbreak"'),
        ("ünï©ødé ✓", '"ünï©ødé ✓"'),
        (True, "true"),
        (False, "false"),
        (None, "null"),
        (0, "0"),
        (-42, "-42"),
        (10**30, "1" + "0" * 30),
        (1.5, "1.5"),
        (-0.25, "-0.25"),
        (1.0, "1.0"),
        (1e-7, "0.0000001"),
        (1e20, "100000000000000000000"),
        (Decimal("3.140"), "3.140"),
        (Decimal("1E+3"), "1000"),
        (Decimal("-0.001"), "-0.001"),
        (datetime(2024, 1, 31, 12, 30, 5, tzinfo=UTC), "[2024-01-31T12:30:05Z]"),
        (datetime(2024, 1, 31, 0, 30, 0, tzinfo=CET), "[2024-01-30T23:30:00Z]"),
        (datetime(2024, 1, 31, 12, 0, 0, 999999), "[2024-01-31T12:00:00Z]"),
        (date(2024, 2, 29), "[2024-02-29T00:00:00Z]"),
        (date(5, 1, 1), "[0005-01-01T00:00:00Z]"),
        (Status.OPEN, '"Open"'),
        (Status.FIVE, "5"),
    ],
)
def test_values_render(value: object, text: str) -> None:
    assert str(C.x == value) == f"x={text}"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), Decimal("NaN")])
def test_non_finite_numbers_are_rejected(value: object) -> None:
    with pytest.raises(ValueError, match="non-finite"):
        C.x == value  # noqa: B015


@pytest.mark.parametrize("value", [10**400, Decimal("1E+400"), Decimal("1E-401")])
def test_numbers_out_of_range_are_rejected(value: object) -> None:
    with pytest.raises(ValueError, match="out of range"):
        C.x == value  # noqa: B015


@pytest.mark.parametrize(
    ("value", "name"),
    [(b"bytes", "bytes"), (object(), "object"), ({"id": 1}, "dict"), (Flag.BAD, "object")],
)
def test_unsupported_types_are_named(value: object, name: str) -> None:
    with pytest.raises(TypeError, match=f"unsupported value type in conditions: {name}$"):
        C.x == value  # noqa: B015


def test_comparing_two_fields_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="Field"):
        C.x == C.y  # noqa: B015


def test_datetime_out_of_range_in_utc_is_rejected() -> None:
    with pytest.raises(ValueError, match="out of range"):
        C.x == datetime(1, 1, 1, tzinfo=CET)  # noqa: B015


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (
            lambda: C.x.contains(5),  # type: ignore[arg-type]
            TypeError,
            "'contains' needs a str value, not int",
        ),
        (
            lambda: C.x.like(None),  # type: ignore[arg-type]
            TypeError,
            "'like' needs a str value, not NoneType",
        ),
        (lambda: C.x.in_("abc"), TypeError, "'in' needs a list of values, not str"),
        (
            lambda: C.x.in_(5),  # type: ignore[arg-type]
            TypeError,
            "'in' needs a list of values, not int",
        ),
        (lambda: C.x.not_in([]), ValueError, "'not in' needs at least one value"),
        (lambda: C.x == [1, 2], TypeError, "'=' takes a single value"),
        (lambda: C.x.in_([1, object()]), TypeError, "unsupported value type"),
    ],
)
def test_operator_values_are_checked(build: object, error: type[Exception], message: str) -> None:
    assert callable(build)
    with pytest.raises(error, match=message):
        build()


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        ((C.a == 1) & (C.b == 2), "a=1 AND b=2"),
        ((C.a == 1) & (C.b == 2) & (C.c == 3), "a=1 AND b=2 AND c=3"),
        ((C.a == 1) & ((C.b == 2) & (C.c == 3)), "a=1 AND b=2 AND c=3"),
        ((C.a == 1) | (C.b == 2) | (C.c == 3), "a=1 OR b=2 OR c=3"),
        ((C.a == 1) & (C.b == 2) | (C.c == 3), "(a=1 AND b=2) OR c=3"),
        ((C.a == 1) & ((C.b == 2) | (C.c == 3)), "a=1 AND (b=2 OR c=3)"),
        (((C.a == 1) | (C.b == 2)) & ((C.c == 3) | (C.d == 4)), "(a=1 OR b=2) AND (c=3 OR d=4)"),
        (~(C.a == 1), "NOT (a=1)"),
        (~~(C.a == 1), "NOT (NOT (a=1))"),
        (~((C.a == 1) | (C.b == 2)) & (C.c == 3), "NOT (a=1 OR b=2) AND c=3"),
        (Or((And((C.a == 1, C.b == 2)), Not(C.c == 3))), "(a=1 AND b=2) OR NOT (c=3)"),
    ],
)
def test_combinations_render(expr: Expr, text: str) -> None:
    assert str(expr) == text


def test_chains_flatten_into_one_node() -> None:
    expr = (C.a == 1) & ((C.b == 2) & (C.c == 3))
    assert isinstance(expr, And)
    assert expr.operands == (C.a == 1, C.b == 2, C.c == 3)


def test_nodes_are_immutable_and_hashable() -> None:
    expr = (C.a == 1) & (C.b.contains("x"))
    with pytest.raises(AttributeError):
        expr.operands = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        (C.a == 1).value = 2  # type: ignore[misc]
    assert len({expr, (C.a == 1) & (C.b.contains("x")), C.a == 1}) == 2


def test_equality_tells_value_types_apart() -> None:
    assert (C.a == 1) != (C.a == True)  # noqa: E712
    assert (C.a == 1) != (C.a == Decimal("1.0"))
    assert (C.a == 1) != (C.a == "1")
    assert (C.a == Decimal("1.50")) == (C.a == 1.5)
    assert (C.a == date(2024, 1, 1)) == (C.a == datetime(2024, 1, 1, 1, 0, tzinfo=CET))


class Name(str):
    pass


class Count(int):
    pass


class Moment(datetime):
    pass


def test_subclasses_are_stored_as_their_base_type() -> None:
    expr = (C.a == Name("x")) & (C.b == Count(3)) & (C.c == Moment(2024, 1, 1, 12, 0, 0, 5))
    assert [type(operand.value) for operand in expr.operands] == [str, int, datetime]  # type: ignore[attr-defined]
    assert parse(str(expr)) == expr


def test_comparison_can_be_built_directly() -> None:
    assert Comparison("company/id", "=", 250) == (C.company.id == 250)
    assert Comparison("x", Operator.IN, [1.5]).value == (Decimal("1.5"),)


def test_expressions_have_no_truth_value() -> None:
    with pytest.raises(TypeError, match=r"combine with &, \| and ~"):
        bool(C.a == 1)
    with pytest.raises(TypeError, match=r"combine with &, \| and ~"):
        assert 1 < C.a < 5
    with pytest.raises(TypeError, match="no truth value"):
        bool(C.a)


def test_combining_with_a_non_expression_fails() -> None:
    with pytest.raises(TypeError):
        (C.a == 1) & True  # type: ignore[operator]
    with pytest.raises(ValueError, match="at least two operands"):
        And((C.a == 1,))
    with pytest.raises(TypeError, match="Not needs an Expr"):
        Not("a=1")  # type: ignore[arg-type]
