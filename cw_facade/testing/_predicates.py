"""Conditions compiled to fast predicates, with size and time bounds.

``matches`` from :mod:`cw_facade.conditions` defines the semantics; this module only makes the
common large shapes cheap: an ``OR`` of equalities on one field (``id=1 or id=2 or ...``) and
``in (...)`` lists become one set look-up per record, and an ``OR`` of ``contains`` on one field
one field look-up per record. Everything else evaluates through
``matches``, term by term. :func:`bounded` stops a scan that runs past its time budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from cw_facade.conditions import And, Comparison, Expr, Not, Operator, Or, matches
from cw_facade.conditions._evaluate import resolve
from cw_facade.testing._errors import ApiError

Predicate = Callable[[dict[str, Any]], bool]
CHECK_EVERY = 256
_SET_OPERATORS = (Operator.EQ, Operator.IN)


def term_count(expr: Expr) -> int:
    """Comparisons in ``expr``, each value of an ``in`` list counted (iterative: no recursion)."""
    total, stack = 0, [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Comparison):
            total += len(node.value) if isinstance(node.value, tuple) else 1
        elif isinstance(node, And | Or):
            stack.extend(node.operands)
        elif isinstance(node, Not):
            stack.append(node.operand)
    return total


def compile_expr(expr: Expr) -> Predicate:
    """A predicate equivalent to ``lambda record: matches(expr, record)``."""
    if isinstance(expr, Comparison):
        values = _set_values(expr)
        if values is not None:
            return _membership(expr.path, values)
        return lambda record: matches(expr, record)
    if isinstance(expr, And):
        tests = [compile_expr(operand) for operand in expr.operands]
        return lambda record: all(test(record) for test in tests)
    if isinstance(expr, Or):
        return _any_of(expr.operands)
    if isinstance(expr, Not):
        inner = compile_expr(expr.operand)
        return lambda record: not inner(record)
    raise TypeError(f"not an expression: {type(expr).__name__}")


def _set_values(comparison: Comparison) -> list[Any] | None:
    """The values of an ``=``/``in`` comparison when all are strings or integers."""
    if comparison.op not in _SET_OPERATORS:
        return None
    value = comparison.value
    values = list(value) if isinstance(value, tuple) else [value]
    plain = all(
        isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) for v in values
    )
    return values if plain else None


def _any_of(operands: Iterable[Expr]) -> Predicate:
    by_path: dict[str, list[Any]] = {}
    texts: dict[str, list[str]] = {}
    others: list[Predicate] = []
    for operand in operands:
        values = _set_values(operand) if isinstance(operand, Comparison) else None
        if values is not None and isinstance(operand, Comparison):
            by_path.setdefault(operand.path, []).extend(values)
        elif isinstance(operand, Comparison) and operand.op is Operator.CONTAINS:
            texts.setdefault(operand.path, []).append(str(operand.value))
        else:
            others.append(compile_expr(operand))
    tests = [_membership(path, values) for path, values in by_path.items()]
    tests += [_contains_any(path, parts) for path, parts in texts.items()]
    tests += others
    return lambda record: any(test(record) for test in tests)


def _contains_any(path: str, parts: list[str]) -> Predicate:
    """``path contains "a" or path contains "b" ...``, one field look-up per record."""
    wanted = [part.casefold() for part in parts]

    def test(record: dict[str, Any]) -> bool:
        for actual in resolve(record, path):
            if isinstance(actual, str):
                text = actual.casefold()
                if any(part in text for part in wanted):
                    return True
        return False

    return test


def _membership(path: str, values: list[Any]) -> Predicate:
    """Equality with any of ``values`` the way ``matches`` compares (case-insensitive text)."""
    texts = {v.casefold() for v in values if isinstance(v, str)}
    numbers = {v for v in values if not isinstance(v, str)}

    def test(record: dict[str, Any]) -> bool:
        for actual in resolve(record, path):
            if isinstance(actual, str):
                if actual.casefold() in texts:
                    return True
            elif isinstance(actual, bool):
                continue
            elif isinstance(actual, int):
                if actual in numbers:
                    return True
            elif isinstance(actual, float) and actual.is_integer() and int(actual) in numbers:
                return True
        return False

    return test


def bounded(
    records: Iterable[dict[str, Any]], test: Predicate, budget_s: float
) -> Iterator[dict[str, Any]]:
    """The records passing ``test``; 400 ``ApiFindCondition`` once ``budget_s`` has passed."""
    deadline = time.monotonic() + budget_s
    for number, record in enumerate(records, 1):
        if number % CHECK_EVERY == 0 and time.monotonic() > deadline:
            raise ApiError(
                400,
                "ApiFindCondition",
                f"The conditions took longer than {budget_s:g} s to evaluate; "
                "narrow them or split the request.",
            )
        if test(record):
            yield record
