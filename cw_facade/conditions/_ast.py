"""Expression trees: immutable, hashable nodes that render themselves as wire text."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NoReturn

from cw_facade.conditions import _values
from cw_facade.conditions._values import Scalar

#: One path segment: a letter or underscore, then letters, digits or underscores.
SEGMENT = r"[A-Za-z_][A-Za-z0-9_]*"

#: A whole field path such as ``company/id`` or ``_info/lastUpdated``.
PATH_RE = re.compile(rf"{SEGMENT}(?:/{SEGMENT})*")

#: Words the parser reads as keywords; a one-segment path may not be one of them.
KEYWORDS = frozenset({"and", "or", "not", "contains", "like", "in", "true", "false", "null"})


class Operator(enum.Enum):
    """A comparison operator, valued by its wire spelling."""

    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    CONTAINS = "contains"
    NOT_CONTAINS = "not contains"
    LIKE = "like"
    NOT_LIKE = "not like"
    IN = "in"
    NOT_IN = "not in"


#: Operators whose value is a quoted string pattern.
STRING_OPERATORS = frozenset(
    {Operator.CONTAINS, Operator.NOT_CONTAINS, Operator.LIKE, Operator.NOT_LIKE}
)
#: Operators whose value is a parenthesised list.
LIST_OPERATORS = frozenset({Operator.IN, Operator.NOT_IN})
#: Operators written as symbols, with no spaces around them.
SYMBOL_OPERATORS = frozenset(
    {Operator.EQ, Operator.NE, Operator.LT, Operator.LE, Operator.GT, Operator.GE}
)


def check_path(path: str) -> str:
    """Return ``path`` if it is a valid field path, else raise ``ValueError``."""
    if not isinstance(path, str):
        raise TypeError(f"a field path must be a str, not {type(path).__name__}")
    if PATH_RE.fullmatch(path) is None:
        raise ValueError(
            f"invalid field path {path!r}: use segments of letters, digits and '_' "
            "(not starting with a digit) joined by '/'"
        )
    return path


def check_condition_path(path: str) -> str:
    """Like :func:`check_path`, also refusing a one-segment path that is a keyword."""
    if check_path(path).lower() in KEYWORDS:
        raise ValueError(f"field path {path!r} is a conditions keyword and cannot be compared")
    return path


class Expr:
    """Base class of every condition expression.

    Combine with ``&`` (and), ``|`` (or) and ``~`` (not); ``str(expr)`` is the wire text.
    Python's ``and``/``or``/``not`` cannot be overloaded, so using an expression as a truth
    value raises ``TypeError`` instead of silently dropping half of a condition.
    """

    __slots__ = ()

    def __and__(self, other: Expr) -> And:
        if not isinstance(other, Expr):
            return NotImplemented
        return And((self, other))

    def __or__(self, other: Expr) -> Or:
        if not isinstance(other, Expr):
            return NotImplemented
        return Or((self, other))

    def __invert__(self) -> Not:
        return Not(self)

    def __bool__(self) -> NoReturn:
        raise TypeError("conditions combine with &, | and ~, not with and, or and not")

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        """Return the wire text of this expression."""
        raise NotImplementedError


def _typed(value: Scalar | tuple[Scalar, ...]) -> object:
    """A comparison key that tells ``True`` from ``1`` and ``1`` from ``Decimal("1.0")``."""
    if isinstance(value, tuple):
        return tuple(_typed(item) for item in value)
    return (type(value).__name__, value)


@dataclass(frozen=True, slots=True, eq=False, init=False)
class Comparison(Expr):
    """``path op value``: one field compared with one value (or a tuple for ``in``).

    The value is stored in canonical form (see the package docstring), so ``value`` is a
    ``str``, ``bool``, ``int``, ``Decimal``, UTC ``datetime`` or ``None`` (a tuple of them for
    ``in``/``not in``). Raises ``TypeError``/``ValueError`` for a value the operator cannot take.
    """

    path: str
    op: Operator
    value: Scalar | tuple[Scalar, ...]

    def __init__(self, path: str, op: Operator | str, value: object) -> None:
        operator = Operator(op)
        object.__setattr__(self, "path", check_condition_path(path))
        object.__setattr__(self, "op", operator)
        object.__setattr__(self, "value", _check_value(operator, value))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Comparison):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[object, ...]:
        return (self.path, self.op, _typed(self.value))

    def render(self) -> str:
        """Return the wire text of this comparison."""
        if isinstance(self.value, tuple):
            items = ", ".join(_values.render(item) for item in self.value)
            return f"{self.path} {self.op.value} ({items})"
        value = _values.render(self.value)
        if self.op in SYMBOL_OPERATORS:
            return f"{self.path}{self.op.value}{value}"
        return f"{self.path} {self.op.value} {value}"


def _check_value(op: Operator, value: object) -> Scalar | tuple[Scalar, ...]:
    if op in LIST_OPERATORS:
        return _check_list(op, value)
    if isinstance(value, tuple | list | set | frozenset):
        raise TypeError(f"operator {op.value!r} takes a single value, not a collection")
    result = _values.canonical(value)
    if op in STRING_OPERATORS and not isinstance(result, str):
        raise TypeError(f"operator {op.value!r} needs a str value, not {type(value).__name__}")
    return result


def _check_list(op: Operator, value: object) -> tuple[Scalar, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise TypeError(f"operator {op.value!r} needs a list of values, not {type(value).__name__}")
    items = tuple(_values.canonical(item) for item in value)
    if not items:
        raise ValueError(f"operator {op.value!r} needs at least one value")
    return items


def _flatten(kind: type[And | Or], operands: Iterable[Expr]) -> tuple[Expr, ...]:
    flat: list[Expr] = []
    for operand in operands:
        if not isinstance(operand, Expr):
            raise TypeError(f"{kind.__name__} operands must be Expr, not {type(operand).__name__}")
        flat.extend(operand.operands if isinstance(operand, kind) else (operand,))
    if len(flat) < 2:
        raise ValueError(f"{kind.__name__} needs at least two operands")
    return tuple(flat)


@dataclass(frozen=True, slots=True)
class And(Expr):
    """All operands hold. Nested ``And`` operands are flattened into one."""

    operands: tuple[Expr, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "operands", _flatten(And, self.operands))

    def render(self) -> str:
        """Return the operands joined by ``AND``, any ``Or`` operand in parentheses."""
        return " AND ".join(_group(operand, Or) for operand in self.operands)


@dataclass(frozen=True, slots=True)
class Or(Expr):
    """At least one operand holds. Nested ``Or`` operands are flattened into one."""

    operands: tuple[Expr, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "operands", _flatten(Or, self.operands))

    def render(self) -> str:
        """Return the operands joined by ``OR``, any ``And`` operand in parentheses."""
        return " OR ".join(_group(operand, And) for operand in self.operands)


@dataclass(frozen=True, slots=True)
class Not(Expr):
    """The operand does not hold. Rendered as ``NOT (operand)``."""

    operand: Expr

    def __post_init__(self) -> None:
        if not isinstance(self.operand, Expr):
            raise TypeError(f"Not needs an Expr, not {type(self.operand).__name__}")

    def render(self) -> str:
        """Return ``NOT (operand)``."""
        return f"NOT ({self.operand.render()})"


def _group(operand: Expr, other: type[And | Or]) -> str:
    text = operand.render()
    return f"({text})" if isinstance(operand, other) else text


def field_paths(expr: Expr) -> frozenset[str]:
    """Every field path (``company/id``) that ``expr`` compares."""
    if isinstance(expr, Comparison):
        return frozenset((expr.path,))
    if isinstance(expr, And | Or):
        return frozenset().union(*(field_paths(operand) for operand in expr.operands))
    if isinstance(expr, Not):
        return field_paths(expr.operand)
    raise TypeError(f"field_paths needs an Expr, not {type(expr).__name__}")
