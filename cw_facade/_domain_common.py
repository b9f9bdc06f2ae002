"""State and argument types shared by the sync and async domain mixins."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeAlias

from cw_facade._defaults import TicketDefaults
from cw_facade._operations.lookups import LookupCache
from cw_facade._validation import InvalidArgumentError

if TYPE_CHECKING:  # the conditions package loads on first use, not with ``import cw_facade``
    from cw_facade.conditions import Expr

#: A conditions string, or an expression built with :class:`cw_facade.conditions.C`.
Conditions: TypeAlias = "str | Expr"
#: A ``fields`` selection: ``"id,summary"`` or ``["id", "summary"]``.
Fields = str | Iterable[str]

_CACHE_ATTRIBUTE = "_domain_lookup_cache"


class DomainState:
    """The per-client state of the domain methods: the name lookup cache."""

    @property
    def _lookup_cache(self) -> LookupCache:
        cache = self.__dict__.get(_CACHE_ATTRIBUTE)
        if cache is None:
            cache = self.__dict__.setdefault(_CACHE_ATTRIBUTE, LookupCache())
        return cache  # type: ignore[no-any-return]

    def clear_lookup_cache(self) -> None:
        """Forget the cached statuses, priorities and boards used to resolve names."""
        self._lookup_cache.clear()


def checked_defaults(value: Any) -> TicketDefaults | None:
    """The client's ``ticket_defaults``, which must be a :class:`TicketDefaults` or None."""
    if value is None or isinstance(value, TicketDefaults):
        return value
    raise InvalidArgumentError("ticket_defaults", "must be a TicketDefaults instance")


def list_query(
    conditions: Conditions | None,
    pagesize: int | None,
    fields: Fields | None,
    order_by: str | None,
    limit: int | None = None,
) -> dict[str, Any]:
    """The keyword arguments of the transport's ``iter_all`` for a list method."""
    return {
        "conditions": conditions,
        "pagesize": pagesize,
        "fields": fields,
        "order_by": order_by,
        "limit": limit,
    }
