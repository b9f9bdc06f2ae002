"""Evaluate an expression against a JSON record, as ConnectWise is understood to."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from cw_facade.conditions import _values
from cw_facade.conditions._ast import And, Comparison, Expr, Not, Operator, Or
from cw_facade.conditions._values import Scalar

#: Characters of a ``like`` pattern that match any run of characters (``_`` is literal).
LIKE_WILDCARDS = "*%"

_WILDCARD_RE = re.compile(f"[{re.escape(LIKE_WILDCARDS)}]")

_NEGATIONS = {
    Operator.NE: Operator.EQ,
    Operator.NOT_CONTAINS: Operator.CONTAINS,
    Operator.NOT_LIKE: Operator.LIKE,
    Operator.NOT_IN: Operator.IN,
}
_ORDERINGS: dict[Operator, Callable[[int], bool]] = {
    Operator.LT: lambda sign: sign < 0,
    Operator.LE: lambda sign: sign <= 0,
    Operator.GT: lambda sign: sign > 0,
    Operator.GE: lambda sign: sign >= 0,
}


def matches(expr: Expr, record: Mapping[str, Any]) -> bool:
    """Whether ``record`` (a JSON object as the API returns it) satisfies ``expr``.

    Never raises for odd record contents: a comparison of incompatible types is ``False``.
    See the package docstring for the rules.
    """
    if isinstance(expr, Comparison):
        return _compare(expr, resolve(record, expr.path))
    if isinstance(expr, And):
        return all(matches(operand, record) for operand in expr.operands)
    if isinstance(expr, Or):
        return any(matches(operand, record) for operand in expr.operands)
    if isinstance(expr, Not):
        return not matches(expr.operand, record)
    raise TypeError(f"matches needs an Expr, not {type(expr).__name__}")


def resolve(record: Mapping[str, Any], path: str) -> list[Any]:
    """The values at ``path`` (``company/id``) in ``record``, at least one (``None`` if missing).

    Walking through a list (``communicationItems/value``) gives one value per element; an
    empty list gives ``None``. Keys are looked up exactly first, then ignoring case.
    """
    current: list[Any] = [record]
    for segment in path.split("/"):
        found: list[Any] = []
        for value in current:
            found.extend(_step(value, segment))
        current = found
    return current or [None]


def _step(value: Any, segment: str) -> list[Any]:
    if isinstance(value, Mapping):
        return [_lookup(value, segment)]
    if isinstance(value, list | tuple):
        return [_lookup(item, segment) if isinstance(item, Mapping) else None for item in value]
    return [None]


def _lookup(mapping: Mapping[Any, Any], key: str) -> Any:
    if key in mapping:
        return mapping[key]
    lowered = key.lower()
    for name, value in mapping.items():
        if isinstance(name, str) and name.lower() == lowered:
            return value
    return None


def _compare(comparison: Comparison, candidates: list[Any]) -> bool:
    op = comparison.op
    positive = _NEGATIONS.get(op, op)
    holds = any(_holds(positive, comparison.value, actual) for actual in candidates)
    return holds if positive is op else not holds


def _holds(op: Operator, expected: Scalar | tuple[Scalar, ...], actual: Any) -> bool:
    if isinstance(expected, tuple):
        return any(_equal(item, actual) for item in expected)
    if op is Operator.EQ:
        return _equal(expected, actual)
    if op is Operator.CONTAINS:
        return isinstance(actual, str) and str(expected).casefold() in actual.casefold()
    if op is Operator.LIKE:
        return isinstance(actual, str) and like(str(expected), actual)
    sign = _order(expected, actual)
    return sign is not None and _ORDERINGS[op](sign)


def _equal(expected: Scalar, actual: Any) -> bool:
    if expected is None:
        return actual is None
    if isinstance(expected, bool):
        return isinstance(actual, bool) and actual == expected
    return _order(expected, actual) == 0


def _order(expected: Scalar, actual: Any) -> int | None:
    """Sign of ``actual`` compared with ``expected``, or ``None`` if they do not compare."""
    if isinstance(expected, str):
        return _sign(actual.casefold(), expected.casefold()) if isinstance(actual, str) else None
    if isinstance(expected, datetime):
        instant = _instant(actual)
        return None if instant is None else _sign(instant, expected)
    if isinstance(expected, int | Decimal) and not isinstance(expected, bool):
        number = _number(actual)
        return None if number is None else _sign(number, Decimal(expected))
    return None


def _sign(left: Any, right: Any) -> int:
    return int(left > right) - int(left < right)


def _number(actual: Any) -> Decimal | None:
    if not _values.is_finite_number(actual):
        return None
    if isinstance(actual, float):
        return Decimal(repr(actual))
    return Decimal(actual)


def _instant(actual: Any) -> datetime | None:
    if isinstance(actual, datetime):
        aware = actual.tzinfo is not None and actual.utcoffset() is not None
        return actual if aware else actual.replace(tzinfo=UTC)
    if isinstance(actual, str):
        return _values.parse_instant(actual)
    return None


def like(pattern: str, text: str) -> bool:
    """Whether ``text`` matches ``pattern`` whole, ignoring case; ``*`` and ``%`` match any run.

    Works segment by segment with ``str.find`` (no regular expressions), so a pattern with many
    wildcards cannot make matching slow.
    """
    first, *rest = _WILDCARD_RE.split(pattern.casefold())
    text = text.casefold()
    if not rest:
        return text == first
    *middle, last = rest
    end = len(text) - len(last)
    if end < len(first) or not text.startswith(first) or not text.endswith(last):
        return False
    position = len(first)
    for part in middle:
        found = text.find(part, position, end)
        if found < 0:
            return False
        position = found + len(part)
    return True
