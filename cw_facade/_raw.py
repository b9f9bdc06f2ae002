"""Arguments of the raw methods (``get``, ``post``, ... ``iter_all``), checked, I/O-free.

The raw methods take an endpoint by path (``"service/tickets"``), so unlike every other method
they cannot take their request from a generated operation: the query parameter names
(``conditions``, ``fields``, ``orderBy``, ``page``, ``pageSize``, ``pageId``) are spelled here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cw_facade._errors import ConnectWiseConfigurationError
from cw_facade._paging import (
    CountBuilder,
    KeysetQuery,
    PageBuilder,
    check_page_size,
    keyset_available,
    keyset_conditions,
)
from cw_facade._validation import (
    InvalidArgumentError,
    check_endpoint_ids,
    check_extra_params,
    check_record_id,
    normalize_param_name,
)

#: A conditions string or a builder expression (anything else is refused, never ``str()``-ed).
Conditions = object
#: Query parameter values the API understands.
ParamValue = str | int | float | bool


def endpoint_path(endpoint: str) -> str:
    """``/service/tickets/`` → ``service/tickets``; refuse absolute URLs and dot segments.

    An all-digit segment must be a valid record id (``service/tickets/0/notes`` and a
    5,000-digit id raise :class:`~cw_facade.InvalidArgumentError` naming ``endpoint``).
    """
    if not isinstance(endpoint, str):
        raise ConnectWiseConfigurationError("endpoint must be a string like 'service/tickets'")
    path = endpoint.strip().strip("/")
    segments = path.split("/")
    if not path or "://" in path or "?" in path or any(s in {"", ".", ".."} for s in segments):
        raise ConnectWiseConfigurationError(f"invalid endpoint {endpoint!r}")
    return check_endpoint_ids(path)


def record_path(endpoint: str, record_id: int | str) -> str:
    """``service/tickets`` and ``5`` → ``service/tickets/5``.

    ``record_id`` is an ``int`` or ASCII digits from 1 to 2**31 - 1 (ConnectWise ids are
    32-bit); ``0``, negatives, booleans and huge ids raise
    :class:`~cw_facade.InvalidArgumentError` naming ``record_id``.
    """
    return f"{endpoint_path(endpoint)}/{check_record_id('record_id', record_id)}"


def wire_conditions(
    conditions: Conditions | None, *, validate: bool, argument: str = "conditions"
) -> str | None:
    """The conditions text to send: a ``str`` (parsed first when ``validate`` is on) or a
    builder expression; anything else raises :class:`~cw_facade.InvalidArgumentError`.

    Validation raises :class:`cw_facade.conditions.ConditionsSyntaxError` before any I/O.
    """
    if conditions is None:
        return None
    from cw_facade.conditions._query import check_conditions  # loaded on first use

    return check_conditions(conditions, argument=argument, validate=validate)


def fields_text(fields: object) -> str | None:
    """A ``fields`` selection as the API writes it: ``"id,summary"`` (paths checked)."""
    if fields is None:
        return None
    if not isinstance(fields, str) and not isinstance(fields, Iterable):
        raise ConnectWiseConfigurationError("fields must be a string or a list of strings")
    from cw_facade.conditions._query import check_fields

    checked = check_fields(fields)
    # Text is sent as written once it checks out (recorded cassettes match on the query).
    return fields.strip() if isinstance(fields, str) and checked is not None else checked


def order_by_text(order_by: object) -> str | None:
    """An ``orderBy`` as the API writes it: ``"id desc,summary"`` (items checked)."""
    if order_by is None:
        return None
    from cw_facade.conditions._query import check_order_by

    checked = check_order_by(order_by)
    return order_by.strip() if isinstance(order_by, str) and checked is not None else checked


def query_params(
    *,
    conditions: Conditions | None = None,
    fields: str | Iterable[str] | None = None,
    order_by: str | None = None,
    page: int | None = None,
    pagesize: int | None = None,
    validate: bool = True,
    extra: Mapping[str, ParamValue | None] | None = None,
) -> dict[str, ParamValue]:
    """Query parameters in the API's spelling, dropping those not given."""
    if pagesize is not None:
        check_page_size(pagesize)
    if page is not None and (isinstance(page, bool) or not isinstance(page, int) or page < 1):
        raise ConnectWiseConfigurationError("page must be an integer >= 1 (pages are 1-based)")
    values: dict[str, ParamValue | None] = {
        "conditions": wire_conditions(conditions, validate=validate),
        "fields": fields_text(fields),
        "orderBy": order_by_text(order_by),
        "page": page,
        "pageSize": pagesize,
    }
    values.update(extra_params(extra or {}, validate=validate))
    return {key: value for key, value in values.items() if value is not None}


def extra_params(
    extra: Mapping[str, object], *, validate: bool = True
) -> dict[str, ParamValue | None]:
    """Extra query parameters, checked: names normalised before the duplicate checks.

    A name that has its own argument (``conditions``, ``fields``, ``orderBy``, ``page``,
    ``pageSize``, in any case or spacing) is refused; ``childConditions`` and
    ``customFieldConditions`` (also as ``child_conditions`` / ``custom_field_conditions``)
    are checked like ``conditions``; every value must be text, a number or a bool. Raises
    :class:`~cw_facade.InvalidArgumentError`.
    """
    from cw_facade.conditions._query import CONDITION_ARGUMENTS, CONDITION_WIRE_NAMES

    wire_of = {name.casefold(): name for name in CONDITION_ARGUMENTS.values()}
    wire_of.update(CONDITION_ARGUMENTS)
    clean = check_extra_params(extra, _NAMED_PARAMS)
    out: dict[str, ParamValue | None] = {}
    seen: dict[str, str] = {}
    for name, value in clean.items():
        key = normalize_param_name(name)
        if key in CONDITION_WIRE_NAMES or key in CONDITION_ARGUMENTS:
            wire = wire_of[key]
            if wire in seen:
                raise InvalidArgumentError(
                    "params", f"{name!r} and {seen[wire]!r} are the same parameter; give it once"
                )
            seen[wire] = name
            out[wire] = wire_conditions(value, validate=validate, argument=wire)
            continue
        if value is not None and (
            not isinstance(value, str | int | float | bool) or isinstance(value, bytes)
        ):
            raise InvalidArgumentError(
                name, f"must be text, a number or a bool, not {type(value).__name__}"
            )
        out[name] = value
    return out


#: Query parameters that have their own (checked) argument, by case-folded wire name.
_NAMED_PARAMS = {
    "conditions": "conditions",
    "fields": "fields",
    "orderby": "order_by",
    "page": "page",
    "pagesize": "pagesize",
}


def request_args(
    method: str,
    path: str,
    *,
    params: Mapping[str, ParamValue] | None = None,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Request arguments for an endpoint given by path (the raw methods), like ``request_args``.

    ``path`` is relative to the API root; the transport puts it there.
    """
    args: dict[str, Any] = {"method": method, "url": "/" + path}
    if params:
        args["params"] = {key: param_text(value) for key, value in params.items()}
    if json is not None:
        args["json"] = json
    if headers:
        args["headers"] = dict(headers)
    return args


def param_text(value: ParamValue) -> str:
    """A query value as the API writes it (``true``/``false`` for booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def list_builder(path: str, params: Mapping[str, ParamValue]) -> PageBuilder:
    """The page builder of a raw scan of ``path`` with ``params`` (see :class:`PageCursor`)."""

    def build(page: int | None, page_size: int, page_id: int | None) -> dict[str, Any]:
        query: dict[str, ParamValue] = {**params, "pageSize": page_size}
        if page is not None:
            query["page"] = page
        if page_id is not None:
            query["pageId"] = page_id
        return request_args("GET", path, params=query)

    return build


class RawKeyset:
    """The id-bounded requests of a raw scan of ``path`` (see :class:`KeysetQuery`)."""

    def __init__(self, path: str, params: Mapping[str, ParamValue]) -> None:
        """Scan ``path`` with the checked query ``params`` (wire names)."""
        self._path = path
        self._params = {k: v for k, v in params.items() if k != "conditions"}
        conditions = params.get("conditions")
        self._conditions = None if conditions is None else str(conditions)

    def _get(self, query: dict[str, ParamValue | None]) -> dict[str, Any]:
        given = {k: v for k, v in query.items() if v is not None}
        return request_args("GET", self._path, params=given)

    def forward(self, page_size: int, after: int | None, upto: int | None) -> dict[str, Any]:
        """A forward-only page after ``after`` up to ``id <= upto``."""
        conditions = keyset_conditions(self._conditions, None, upto)
        return self._get(
            {**self._params, "conditions": conditions, "pageSize": page_size, "pageId": after}
        )

    def ordered(self, page_size: int, after: int, upto: int | None) -> dict[str, Any]:
        """An id-ordered page of ``id > after`` (and ``id <= upto``)."""
        conditions = keyset_conditions(self._conditions, after, upto)
        query = {**self._params, "conditions": conditions, "orderBy": "id asc"}
        return self._get({**query, "pageSize": page_size})

    def last(self) -> dict[str, Any]:
        """The record with the highest id."""
        query = {**self._params, "conditions": self._conditions, "orderBy": "id desc"}
        return self._get({**query, "pageSize": 1})


def keyset_query(path: str, params: Mapping[str, ParamValue]) -> KeysetQuery | None:
    """The keyset requests of a raw scan, or ``None`` when its conditions cannot take bounds."""
    conditions = params.get("conditions")
    if not keyset_available(None if conditions is None else str(conditions)):
        return None
    return RawKeyset(path, params)


def count_builder(path: str, params: Mapping[str, ParamValue]) -> CountBuilder:
    """The ``/count`` request of a raw scan (paging-only parameters left out)."""
    counted = {k: v for k, v in params.items() if k not in {"fields", "orderBy"}}
    return lambda: request_args("GET", f"{path}/count", params=counted)


def check_operations(operations: Any) -> list[dict[str, Any]]:
    """A PATCH body: a non-empty list of JSON-patch operations."""
    if not isinstance(operations, list | tuple) or not operations:
        raise ConnectWiseConfigurationError("operations must be a non-empty list of dicts")
    return list(operations)
