"""Structured filters from an agent, rendered into ``conditions`` by the conditions builder.

An agent never writes condition text that is sent as is. It gives filters —
``{"field": "summary", "op": "contains", "value": "disk"}`` — which become
:class:`~cw_facade.conditions.Comparison` nodes, so a value is always one quoted token:
``x" OR id>0 OR summary="`` stays a string to compare with. A raw ``conditions`` string is
accepted only after :func:`cw_facade.conditions.parse` has read it; what is sent is the parsed
tree rendered again, never the agent's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from cw_facade.conditions import (
    And,
    Comparison,
    ConditionsSyntaxError,
    Expr,
    Operator,
    Or,
    parse,
)

#: Operators an agent may use, by their wire spelling.
OPERATORS = tuple(op.value for op in Operator)

Match = Literal["all", "any"]


class FilterError(ValueError):
    """A filter or a raw conditions string the server will not send; the message says why."""


@dataclass(frozen=True, slots=True)
class FilterSpec:
    """One comparison: ``field op value``; ``date=True`` reads string values as ISO dates."""

    field: str
    op: str
    value: Any
    date: bool = False


def _as_date(value: Any) -> Any:
    if not isinstance(value, str):
        raise FilterError(f"date=true needs ISO-8601 strings, not {value!r}")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise FilterError(f"not an ISO-8601 date or date-time: {value!r}") from None


def comparison(spec: FilterSpec) -> Comparison:
    """The comparison node of one filter; raises :class:`FilterError` for a bad filter."""
    try:
        operator = Operator(spec.op)
    except ValueError:
        raise FilterError(f"unknown op {spec.op!r}: use one of {', '.join(OPERATORS)}") from None
    value = spec.value
    if spec.date:
        value = [_as_date(v) for v in value] if isinstance(value, list) else _as_date(value)
    try:
        return Comparison(spec.field, operator, value)
    except (TypeError, ValueError) as exc:
        raise FilterError(f"filter on {spec.field!r}: {exc}") from None


def combine(parts: Sequence[Expr], match: Match = "all") -> Expr | None:
    """All (``AND``) or any (``OR``) of ``parts``; ``None`` when there are none."""
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return Or(tuple(parts)) if match == "any" else And(tuple(parts))


def validated_conditions(text: str) -> Expr:
    """Parse a raw ``conditions`` string; raises :class:`FilterError` with the parser's message."""
    try:
        return parse(text)
    except ConditionsSyntaxError as exc:
        raise FilterError(f"conditions rejected: {exc}") from None


def build_conditions(
    shortcuts: Iterable[Expr | None],
    filters: Iterable[FilterSpec] = (),
    match: Match = "all",
    raw: str | None = None,
) -> str | None:
    """The ``conditions`` text for one call, or ``None`` when nothing filters.

    ``shortcuts`` (typed tool arguments already turned into nodes) and the validated ``raw``
    string are always ANDed; the ``filters`` are combined by ``match`` first.
    """
    filtered = combine([comparison(spec) for spec in filters], match)
    parts = [part for part in shortcuts if part is not None]
    if filtered is not None:
        parts.append(filtered)
    if raw is not None and raw.strip():
        parts.append(validated_conditions(raw))
    combined = combine(parts, "all")
    return None if combined is None else combined.render()
