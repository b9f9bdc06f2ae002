"""The base of every model: a typed, read-only view over one decoded API record.

A model keeps the record's dict as it came from the server and parses nothing up front, so
wrapping a page of a thousand tickets costs a thousand small object allocations and nothing
more. Properties read the dict when asked, through the tolerant helpers of ``_values``.

Beyond its properties, a model answers the API's own key names as attributes, in camelCase
(``ticket.closedFlag``), in snake_case (``ticket.closed_flag``) and in any letter case the
server happens to send (``"Sort"`` for ``sort``). A name the resource's schema knows but the
record lacks (a partial ``fields=`` answer, a ``null``) reads as ``None``; a name that is
neither in the schema nor in the record raises :class:`AttributeError`, so typos surface.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Self

from cw_facade.models._values import _MISSING, as_datetime, as_int, as_str, nested, normalize_key

#: Package the generated attrs models live in.
_GENERATED_PACKAGE = "cw_manage_client.models"
#: Longest text shown for one value in a model's repr.
_REPR_TEXT_LIMIT = 40
#: Generated attribute names that do not spell their API key (``_info`` → ``field_info``).
_GENERATED_ALIASES = {"field_info": "_info"}


class Model:
    """A read-only view over one record of the ConnectWise API.

    ``raw`` is the decoded JSON object exactly as the server sent it. Construction is O(1):
    nothing is parsed until a property is read. Two models are equal when they have the same
    type and the same ``raw``.
    """

    __slots__ = ("_index", "_raw")

    #: Name of the generated model in ``cw_manage_client.models`` describing this resource.
    _generated_name: ClassVar[str] = ""
    #: Attributes shown by ``repr`` besides ``id``, in order.
    _repr_fields: ClassVar[tuple[str, ...]] = ()
    #: Normalized key names of the resource's schema, filled on first need.
    _schema_keys: ClassVar[frozenset[str] | None] = None

    _raw: dict[str, Any]
    _index: dict[str, str]

    def __init__(self, raw: Mapping[str, Any]) -> None:
        """Wrap ``raw`` (kept by reference when it is a dict; not copied, not parsed)."""
        _set_raw(self, raw if type(raw) is dict else dict(raw))

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> Self:
        """Wrap one decoded API record."""
        return cls(raw)

    @property
    def raw(self) -> dict[str, Any]:
        """The record as the server sent it (do not modify; see :meth:`to_dict`)."""
        return self._raw

    @property
    def id(self) -> int:
        """The record id, ``0`` when the record carries none.

        Every record the API returns has an id, except under a ``fields=`` projection that
        leaves ``id`` out. ``0`` is never a ConnectWise id and every method refuses it before
        sending anything; typing the id as ``int`` lets ``cw.add_ticket_note(ticket.id, ...)``
        type-check as it did with ConnectPyse-Manage.
        """
        return as_int(self._get("id")) or 0

    def to_dict(self) -> dict[str, Any]:
        """A deep copy of the record, safe to modify and send back."""
        import copy

        return copy.deepcopy(self._raw)

    def to_generated(self) -> Any:
        """The record as the generated attrs model of ``cw_manage_client`` (parsed in full).

        The generated models are tolerant (see ``openapi/README.md``): nulls, unknown enum
        values, missing and extra keys all parse.
        """
        return _generated_class(self._generated_name).from_dict(self._raw)

    def _get(self, key: str) -> Any:
        """The value under ``key`` in any spelling, else None."""
        value = self._raw.get(key, _MISSING)
        if value is not _MISSING:
            return value
        actual = self._key_index().get(normalize_key(key))
        return None if actual is None else self._raw[actual]

    def _at(self, key: str, *path: str) -> Any:
        """The value at ``key`` then ``path`` (nested objects), any spelling, else None."""
        return nested(self._get(key), *path) if path else self._get(key)

    def _str(self, key: str, *path: str) -> str | None:
        return as_str(self._at(key, *path))

    def _int(self, key: str, *path: str) -> int | None:
        return as_int(self._at(key, *path))

    def _datetime(self, key: str, *path: str) -> datetime | None:
        return as_datetime(self._at(key, *path))

    def _key_index(self) -> dict[str, str]:
        """Actual keys by normalized key, built on the first lookup that needs it."""
        try:
            return self._index
        except AttributeError:
            index = {normalize_key(k): k for k in self._raw if isinstance(k, str)}
            _set_index(self, index)
            return index

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in Model.__slots__:
            raise AttributeError(name)
        if name in self._raw:
            return self._raw[name]
        key = normalize_key(name)
        actual = self._key_index().get(key)
        if actual is not None:
            return self._raw[actual]
        if key in type(self)._known_keys():
            return None
        raise AttributeError(f"{type(self).__name__!r} has no attribute or API field {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only; send changes to the API")

    @classmethod
    def _known_keys(cls) -> frozenset[str]:
        keys = cls.__dict__.get("_schema_keys")
        if keys is None:
            keys = _schema_keys_of(cls._generated_name)
            cls._schema_keys = keys
        return keys

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model) or type(other) is not type(self):
            return NotImplemented
        return self._raw == other._raw

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = [f"id={self.id!r}"]
        for name in self._repr_fields:
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}={_short(value)}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __getstate__(self) -> dict[str, Any]:
        return self._raw

    def __setstate__(self, state: dict[str, Any]) -> None:
        Model.__init__(self, state)


# Slot setters that bypass the read-only ``__setattr__`` (cheaper than object.__setattr__).
_set_raw: Callable[[Model, dict[str, Any]], None] = Model.__dict__["_raw"].__set__
_set_index: Callable[[Model, dict[str, str]], None] = Model.__dict__["_index"].__set__


def _short(value: Any) -> str:
    if isinstance(value, str) and len(value) > _REPR_TEXT_LIMIT:
        value = value[: _REPR_TEXT_LIMIT - 3] + "..."
    return repr(value)


def _generated_class(name: str) -> Any:
    if not name:
        raise TypeError("this model has no generated counterpart")
    import importlib  # the generated package is loaded only when asked for

    return getattr(importlib.import_module(_GENERATED_PACKAGE), name)


def _schema_keys_of(name: str) -> frozenset[str]:
    """Normalized API key names of the generated model ``name`` (empty when there is none)."""
    if not name:
        return frozenset()
    import attrs  # imported on first need: ``import cw_facade`` stays light

    names = (f.name for f in attrs.fields(_generated_class(name)) if f.init)
    return frozenset(normalize_key(_GENERATED_ALIASES.get(n, n)) for n in names)
