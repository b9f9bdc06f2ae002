"""How the facade uses generated operations: their shapes, and page builders over them.

Every method of the clients builds its request with a generated operation's
``request_args`` (``cw_manage_client.operations.get_service_tickets.request_args(...)``). The
protocols here name the shapes the facade relies on; mypy checks each generated module passed
where one is expected, so a regenerated client that renames an operation or a parameter fails
``mypy --strict cw_facade``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from cw_facade._paging import (
    CountBuilder,
    KeysetQuery,
    PageBuilder,
    keyset_available,
    keyset_conditions,
)

if TYPE_CHECKING:
    from cw_manage_client.types import Unset


class ListOperation(Protocol):
    """A generated list operation (``GET /service/tickets``)."""

    def request_args(
        self,
        *,
        conditions: str | Unset = ...,
        child_conditions: str | Unset = ...,
        custom_field_conditions: str | Unset = ...,
        order_by: str | Unset = ...,
        fields: str | Unset = ...,
        page: int | Unset | None = ...,
        page_size: int | Unset | None = ...,
        page_id: int | Unset | None = ...,
    ) -> dict[str, Any]:
        """The request of one page."""


class ChildListOperation(Protocol):
    """A generated list of children (``GET /service/tickets/{parentId}/notes``)."""

    def request_args(
        self,
        parent_id: int,
        *,
        conditions: str | Unset = ...,
        child_conditions: str | Unset = ...,
        custom_field_conditions: str | Unset = ...,
        order_by: str | Unset = ...,
        fields: str | Unset = ...,
        page: int | Unset | None = ...,
        page_size: int | Unset | None = ...,
        page_id: int | Unset | None = ...,
    ) -> dict[str, Any]:
        """The request of one page of the children of ``parent_id``."""


class CountOperation(Protocol):
    """A generated count operation (``GET /service/tickets/count``)."""

    def request_args(
        self,
        *,
        conditions: str | Unset = ...,
        child_conditions: str | Unset = ...,
        custom_field_conditions: str | Unset = ...,
    ) -> dict[str, Any]:
        """The request of the count."""


@dataclass(frozen=True, slots=True)
class Filters:
    """The checked query of a list method, as the generated operations' arguments."""

    conditions: str | None = None
    fields: str | None = None
    order_by: str | None = None

    def kwargs(self) -> dict[str, str]:
        """The filters given, by the generated operations' argument names."""
        given = {"conditions": self.conditions, "fields": self.fields, "order_by": self.order_by}
        return {k: v for k, v in given.items() if v is not None}


def page_builder(op: ListOperation, filters: Filters) -> PageBuilder:
    """Pages of ``op`` with ``filters`` (see :class:`~cw_facade._paging.PageCursor`)."""
    conditions, fields, order_by = _wire(filters)

    def build(page: int | None, page_size: int, page_id: int | None) -> dict[str, Any]:
        return op.request_args(
            conditions=conditions,
            fields=fields,
            order_by=order_by,
            page=page,
            page_size=page_size,
            page_id=page_id,
        )

    return build


def child_page_builder(op: ChildListOperation, parent_id: int, filters: Filters) -> PageBuilder:
    """Pages of the children of ``parent_id`` listed by ``op``."""
    conditions, fields, order_by = _wire(filters)

    def build(page: int | None, page_size: int, page_id: int | None) -> dict[str, Any]:
        return op.request_args(
            parent_id,
            conditions=conditions,
            fields=fields,
            order_by=order_by,
            page=page,
            page_size=page_size,
            page_id=page_id,
        )

    return build


class OperationKeyset:
    """The id-bounded requests of a scan of a generated list operation (:class:`KeysetQuery`).

    ``parent_id`` is given for a list of children (a :class:`ChildListOperation`).
    """

    def __init__(
        self,
        op: ListOperation | ChildListOperation,
        filters: Filters,
        parent_id: int | None = None,
    ) -> None:
        """Scan ``op`` with ``filters`` (their ``order_by`` is replaced by id order)."""
        self._op = op
        self._filters = filters
        self._parent_id = parent_id

    def _args(self, conditions: str | None, order_by: str | None, **paging: Any) -> dict[str, Any]:
        from cw_manage_client.types import UNSET

        query: dict[str, Any] = {
            "conditions": UNSET if conditions is None else conditions,
            "fields": UNSET if self._filters.fields is None else self._filters.fields,
            "order_by": UNSET if order_by is None else order_by,
            **paging,
        }
        op: Any = self._op  # a ListOperation, or a ChildListOperation with a parent id
        if self._parent_id is None:
            result: dict[str, Any] = op.request_args(**query)
        else:
            result = op.request_args(self._parent_id, **query)
        return result

    def forward(self, page_size: int, after: int | None, upto: int | None) -> dict[str, Any]:
        """A forward-only page after ``after`` up to ``id <= upto``."""
        conditions = keyset_conditions(self._filters.conditions, None, upto)
        return self._args(conditions, None, page_size=page_size, page_id=after)

    def ordered(self, page_size: int, after: int, upto: int | None) -> dict[str, Any]:
        """An id-ordered page of ``id > after`` (and ``id <= upto``)."""
        conditions = keyset_conditions(self._filters.conditions, after, upto)
        return self._args(conditions, "id asc", page_size=page_size)

    def last(self) -> dict[str, Any]:
        """The record with the highest id."""
        return self._args(self._filters.conditions, "id desc", page_size=1)


def keyset_query(
    op: ListOperation | ChildListOperation, filters: Filters, parent_id: int | None = None
) -> KeysetQuery | None:
    """The keyset requests of a scan, or ``None`` when its conditions cannot take bounds."""
    if not keyset_available(filters.conditions):
        return None
    return OperationKeyset(op, filters, parent_id)


def count_builder(op: CountOperation, filters: Filters) -> CountBuilder:
    """The ``/count`` of a scan with ``filters`` (only its conditions count)."""
    conditions, _, _ = _wire(filters)
    return lambda: op.request_args(conditions=conditions)


def _wire(filters: Filters) -> tuple[Any, Any, Any]:
    from cw_manage_client.types import UNSET

    def given(value: str | None) -> Any:
        return UNSET if value is None else value

    return given(filters.conditions), given(filters.fields), given(filters.order_by)


def filters(conditions: object, fields: object, order_by: object, *, validate: bool) -> Filters:
    """The checked :class:`Filters` of a list method (conditions parsed when ``validate``).

    ``conditions`` is a string or a builder expression, ``fields`` field paths, ``order_by``
    ``"path [asc|desc]"`` items; anything else raises :class:`~cw_facade.InvalidArgumentError`
    (see :mod:`cw_facade.conditions._query`).
    """
    from cw_facade._raw import fields_text, order_by_text, wire_conditions

    return Filters(
        wire_conditions(conditions, validate=validate), fields_text(fields), order_by_text(order_by)
    )


class LazyModule:
    """A module imported on first attribute access (the generated operations index).

    ``import cw_facade`` then loads nothing of ``cw_manage_client``; the first call does.
    """

    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        """Stand in for module ``name``."""
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        """The attribute of the real module (imported now if needed)."""
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)
