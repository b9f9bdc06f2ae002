"""The field builder ``C`` and the ``orderBy``/``fields`` helpers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NoReturn

from cw_facade.conditions._ast import Comparison, Operator, check_path

#: Direction of one ``orderBy`` key.
Direction = Literal["asc", "desc"]

#: A raw ``orderBy`` item: a path, optionally followed by ``asc`` or ``desc``.
_ORDER_RE = re.compile(r"\s*(?P<path>\S+?)(?:\s+(?P<dir>asc|desc))?\s*", re.IGNORECASE)

#: Separator between items of ``orderBy`` and ``fields``.
LIST_SEPARATOR = ","


class Field:
    """A field path such as ``company/id``, from which comparisons are built.

    Reach children with attributes or items: ``C.company.id``, ``C["_info"]["lastUpdated"]``.
    Item access also reaches fields whose names clash with a method (``C.x["like"]``).
    Comparing a field builds a :class:`Comparison` rather than a bool, so fields are unhashable.
    """

    __slots__ = ("path",)

    path: str

    def __init__(self, path: str) -> None:
        object.__setattr__(self, "path", check_path(path))

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Field is immutable")

    def __getattr__(self, name: str) -> Field:
        if name.startswith("__"):
            raise AttributeError(name)
        return Field(f"{self.path}/{name}")

    def __getitem__(self, name: str) -> Field:
        return Field(f"{self.path}/{_segment(name)}")

    def __repr__(self) -> str:
        return f"Field({self.path!r})"

    def __bool__(self) -> NoReturn:
        raise TypeError("a Field has no truth value; compare it to build a condition")

    def __eq__(self, value: object) -> Comparison:  # type: ignore[override]
        return Comparison(self.path, Operator.EQ, value)

    def __ne__(self, value: object) -> Comparison:  # type: ignore[override]
        return Comparison(self.path, Operator.NE, value)

    __hash__ = None  # type: ignore[assignment]

    def __lt__(self, value: object) -> Comparison:
        return Comparison(self.path, Operator.LT, value)

    def __le__(self, value: object) -> Comparison:
        return Comparison(self.path, Operator.LE, value)

    def __gt__(self, value: object) -> Comparison:
        return Comparison(self.path, Operator.GT, value)

    def __ge__(self, value: object) -> Comparison:
        return Comparison(self.path, Operator.GE, value)

    def contains(self, text: str) -> Comparison:
        """``path contains "text"``: substring, case-insensitive."""
        return Comparison(self.path, Operator.CONTAINS, text)

    def not_contains(self, text: str) -> Comparison:
        """``path not contains "text"``."""
        return Comparison(self.path, Operator.NOT_CONTAINS, text)

    def like(self, pattern: str) -> Comparison:
        """``path like "pattern"``: ``*`` or ``%`` match any run of characters."""
        return Comparison(self.path, Operator.LIKE, pattern)

    def not_like(self, pattern: str) -> Comparison:
        """``path not like "pattern"``."""
        return Comparison(self.path, Operator.NOT_LIKE, pattern)

    def in_(self, values: Iterable[object]) -> Comparison:
        """``path in (a, b, c)``: equal to one of ``values`` (at least one)."""
        return Comparison(self.path, Operator.IN, values)

    def not_in(self, values: Iterable[object]) -> Comparison:
        """``path not in (a, b, c)``."""
        return Comparison(self.path, Operator.NOT_IN, values)

    def is_null(self) -> Comparison:
        """``path=null``: missing or null."""
        return Comparison(self.path, Operator.EQ, None)

    def is_not_null(self) -> Comparison:
        """``path!=null``: present and not null."""
        return Comparison(self.path, Operator.NE, None)

    def asc(self) -> OrderItem:
        """Sort ascending by this field (for :func:`order_by`)."""
        return OrderItem(self.path, "asc")

    def desc(self) -> OrderItem:
        """Sort descending by this field (for :func:`order_by`)."""
        return OrderItem(self.path, "desc")


def _segment(name: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"a field path must be a str, not {type(name).__name__}")
    return name


class _Root:
    """The root of all field paths: ``C.company.id``, ``C["company"]``, ``C("company/id")``."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Field:
        if name.startswith("__"):
            raise AttributeError(name)
        return Field(name)

    def __getitem__(self, name: str) -> Field:
        return Field(_segment(name))

    def __call__(self, path: str) -> Field:
        return Field(path)

    def __repr__(self) -> str:
        return "C"


#: The field builder: ``C.company.id == 250`` is the condition ``company/id=250``.
C = _Root()


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One ``orderBy`` key: a field path and a direction."""

    path: str
    direction: Direction = "asc"

    def __post_init__(self) -> None:
        check_path(self.path)
        if self.direction not in ("asc", "desc"):
            raise ValueError(f"order direction must be 'asc' or 'desc', not {self.direction!r}")

    def __str__(self) -> str:
        return f"{self.path} {self.direction}"


def order_by(*items: Field | OrderItem | str) -> str:
    """Render an ``orderBy`` value: ``order_by(C.id.desc(), "name")`` is ``"id desc,name asc"``.

    A ``Field`` or a bare path sorts ascending; strings may say ``"path asc"``/``"path desc"``.
    Raises ``ValueError`` for an invalid path or direction, or when no item is given.
    """
    if not items:
        raise ValueError("order_by needs at least one field")
    return LIST_SEPARATOR.join(str(_order_item(item)) for item in items)


def _order_item(item: Field | OrderItem | str) -> OrderItem:
    if isinstance(item, OrderItem):
        return item
    if isinstance(item, Field):
        return OrderItem(item.path)
    if not isinstance(item, str):
        raise TypeError(f"order_by takes Field, OrderItem or str, not {type(item).__name__}")
    match = _ORDER_RE.fullmatch(item)
    if match is None:
        raise ValueError(
            f"invalid orderBy item {item!r}: expected 'path', 'path asc' or 'path desc'"
        )
    direction: Direction = "desc" if (match["dir"] or "asc").lower() == "desc" else "asc"
    return OrderItem(match["path"], direction)


def fields(*paths: Field | str) -> str:
    """Render a ``fields`` value: ``fields(C.id, "status/name")`` → ``"id,status/name"``.

    Raises ``ValueError`` for an invalid path or when no path is given.
    """
    if not paths:
        raise ValueError("fields needs at least one field")
    return LIST_SEPARATOR.join(_field_path(path) for path in paths)


def _field_path(path: Field | str) -> str:
    if isinstance(path, Field):
        return path.path
    if not isinstance(path, str):
        raise TypeError(f"fields takes Field or str, not {type(path).__name__}")
    return check_path(path)


def parse_order_by(text: str) -> tuple[OrderItem, ...]:
    """Read an ``orderBy`` value (``"id desc, summary"``) back into its items.

    Items are separated by commas; a missing direction means ascending. Raises ``ValueError``
    for an empty value, an invalid path or an unknown direction.
    """
    return tuple(_order_item(item) for item in _split(text, "orderBy"))


def parse_fields(text: str) -> tuple[str, ...]:
    """Read a ``fields`` value (``"id,summary,status/name"``) back into its paths.

    Raises ``ValueError`` for an empty value or an invalid path.
    """
    return tuple(check_path(item.strip()) for item in _split(text, "fields"))


def _split(text: str, name: str) -> list[str]:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, not {type(text).__name__}")
    if not text.strip():
        raise ValueError(f"{name} is empty")
    return text.split(LIST_SEPARATOR)
