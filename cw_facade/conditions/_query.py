"""Checking the query values written in the conditions language before they are sent.

Each check takes what a caller passed for one query argument and returns the text to send
(``None``: send nothing), or raises :class:`~cw_facade.InvalidArgumentError` naming the
argument. Nothing is ever sent as ``str(obj)`` of an object the check does not know:

- conditions, ``child_conditions``, ``custom_field_conditions``: a ``str`` (parsed first when
  ``validate`` is on; a syntax error raises :class:`ConditionsSyntaxError`, which is a
  :class:`~cw_facade.ConnectWiseError` and a ``ValueError``) or a builder :class:`Expr`;
- ``order_by``: ``"path [asc|desc]"`` items separated by commas, or builder items;
- ``fields``: field paths separated by commas, or an iterable of paths / :class:`Field`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cw_facade._validation import InvalidArgumentError
from cw_facade.conditions._ast import Expr, check_path
from cw_facade.conditions._builder import (
    LIST_SEPARATOR,
    Field,
    OrderItem,
    order_by,
    parse_fields,
    parse_order_by,
)
from cw_facade.conditions._parser import parse

#: The query arguments written in the conditions language, by their wire names.
CONDITION_ARGUMENTS = {
    "conditions": "conditions",
    "child_conditions": "childConditions",
    "custom_field_conditions": "customFieldConditions",
}
#: Their wire names as :func:`cw_facade._validation.normalize_param_name` gives them: an extra
#: query parameter with one of these names must go through :func:`check_conditions` too.
CONDITION_WIRE_NAMES = frozenset(name.casefold() for name in CONDITION_ARGUMENTS.values())


def check_conditions(
    value: object, *, argument: str = "conditions", validate: bool = True
) -> str | None:
    """The conditions text to send for ``value``; ``None`` for ``None`` or blank text.

    ``value`` is a ``str`` or an :class:`Expr` built with ``C``; any other type raises
    :class:`InvalidArgumentError` (it is never turned into text with ``str()``). A ``str`` is
    parsed when ``validate`` is on and raises :class:`ConditionsSyntaxError` if it does not
    parse; an :class:`Expr` is valid by construction.
    """
    if value is None:
        return None
    if isinstance(value, Expr):
        return str(value)
    if not isinstance(value, str):
        raise InvalidArgumentError(
            argument,
            f"must be a conditions string or an expression built with C, not "
            f"{type(value).__name__}",
        )
    if not value.strip():
        return None
    if validate:
        parse(value)
    return value


def check_order_by(value: object, *, argument: str = "order_by") -> str | None:
    """The ``orderBy`` text for ``value``: ``"id desc,summary asc"``; ``None`` for nothing.

    ``value`` is a ``str`` of comma-separated ``path``, ``path asc`` or ``path desc`` items,
    or one :class:`OrderItem`/:class:`Field`, or an iterable of those and strings. A path is
    segments of letters, digits and ``_`` joined by ``/``; anything else (functions, quotes,
    ``;``, a third word) raises :class:`InvalidArgumentError`. Blank text gives ``None``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        if isinstance(value, str):
            return LIST_SEPARATOR.join(str(item) for item in parse_order_by(value))
        if isinstance(value, OrderItem | Field):
            return order_by(value)
        if isinstance(value, Iterable) and not isinstance(value, bytes | dict):
            return order_by(*_items(value, argument, (OrderItem, Field, str)))
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(argument, str(exc)) from None
    raise InvalidArgumentError(
        argument, f"must be a string like 'id desc' or builder items, not {type(value).__name__}"
    )


def check_fields(value: object, *, argument: str = "fields") -> str | None:
    """The ``fields`` text for ``value``: ``"id,summary,status/name"``; ``None`` for nothing.

    ``value`` is a ``str`` of comma-separated field paths, a :class:`Field`, or an iterable of
    paths and fields. A path that is not segments of letters, digits and ``_`` joined by
    ``/`` (spaces inside, quotes, an empty item) raises :class:`InvalidArgumentError`.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        if isinstance(value, str):
            return LIST_SEPARATOR.join(parse_fields(value))
        if isinstance(value, Field):
            return value.path
        if isinstance(value, Iterable) and not isinstance(value, bytes | dict):
            paths = [
                item.path if isinstance(item, Field) else check_path(item.strip())
                for item in _items(value, argument, (Field, str))
            ]
            return LIST_SEPARATOR.join(paths) or None
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(argument, str(exc)) from None
    raise InvalidArgumentError(
        argument, f"must be a comma-separated string or an iterable of paths, not "
        f"{type(value).__name__}",
    )  # fmt: skip


def _items(value: Iterable[Any], argument: str, kinds: tuple[type, ...]) -> list[Any]:
    items = list(value)
    for item in items:
        if not isinstance(item, kinds):
            raise InvalidArgumentError(
                argument, f"items must be paths or builder fields, not {type(item).__name__}"
            )
    return items
