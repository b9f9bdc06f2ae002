"""The raw methods (``get``, ``post``, ``patch``, ``put``, ``delete``, ``count``) as operations.

Each function returns an :data:`~cw_facade._request.Operation`, so the sync and async clients
share argument checking, query building and result shaping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cw_facade._errors import ConnectWiseConfigurationError
from cw_facade._paging import check_page_size
from cw_facade._request import APIRequest, Operation, ParamValue

#: Anything whose ``str()`` is a conditions string: a ``str`` or a builder expression.
Conditions = object


def endpoint_path(endpoint: str) -> str:
    """``/service/tickets/`` → ``service/tickets``; refuse absolute URLs and dot segments."""
    if not isinstance(endpoint, str):
        raise ConnectWiseConfigurationError("endpoint must be a string like 'service/tickets'")
    path = endpoint.strip().strip("/")
    segments = path.split("/")
    if not path or "://" in path or "?" in path or any(s in {"", ".", ".."} for s in segments):
        raise ConnectWiseConfigurationError(f"invalid endpoint {endpoint!r}")
    return path


def record_path(endpoint: str, record_id: int | str) -> str:
    """``service/tickets`` and ``5`` → ``service/tickets/5``."""
    text = str(record_id).strip() if not isinstance(record_id, bool) else ""
    if not isinstance(record_id, int | str) or not (text.isascii() and text.isdigit()):
        raise ConnectWiseConfigurationError(f"record_id must be a positive integer: {record_id!r}")
    return f"{endpoint_path(endpoint)}/{int(text)}"


def wire_conditions(conditions: Conditions | None, *, validate: bool) -> str | None:
    """The conditions text to send; a plain ``str`` is checked first when ``validate`` is on.

    Validation raises :class:`cw_facade.conditions.ConditionsSyntaxError` before any I/O.
    """
    if conditions is None:
        return None
    if isinstance(conditions, str):
        if not conditions.strip():
            return None
        if validate:
            from cw_facade.conditions import parse  # loaded on first use

            parse(conditions)
        return conditions
    return str(conditions)


def _fields_text(fields: str | Iterable[str] | None) -> str | None:
    if fields is None or isinstance(fields, str):
        return fields or None
    return ",".join(fields) or None


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
        "fields": _fields_text(fields),
        "orderBy": order_by,
        "page": page,
        "pageSize": pagesize,
    }
    for key, value in (extra or {}).items():
        if key.casefold() in _NAMED_PARAMS:
            raise ConnectWiseConfigurationError(
                f"pass {key!r} as the {_NAMED_PARAMS[key.casefold()]}= argument, not as an extra "
                "parameter (it would skip its checks or be sent twice)"
            )
        values[key] = value
    return {key: value for key, value in values.items() if value is not None}


#: Query parameters that have their own (checked) argument, by case-folded wire name.
_NAMED_PARAMS = {
    "conditions": "conditions",
    "fields": "fields",
    "orderby": "order_by",
    "page": "page",
    "pagesize": "pagesize",
}


def get_op(path: str, params: Mapping[str, ParamValue]) -> Operation[Any]:
    """GET ``path``; a 404 answers ``None``."""
    return (yield APIRequest("GET", path, params=dict(params), none_on_404=True))


def post_op(endpoint: str, data: Any) -> Operation[Any]:
    """POST ``data`` to ``endpoint``; the created object comes back."""
    return (yield APIRequest("POST", endpoint_path(endpoint), json=data))


def patch_op(endpoint: str, record_id: int | str, operations: Any) -> Operation[Any]:
    """PATCH record ``record_id`` with a list of JSON-patch ``operations``."""
    if not isinstance(operations, list | tuple) or not operations:
        raise ConnectWiseConfigurationError("operations must be a non-empty list of dicts")
    request = APIRequest("PATCH", record_path(endpoint, record_id), json=list(operations))
    return (yield request)


def put_op(endpoint: str, record_id: int | str, data: Any) -> Operation[Any]:
    """PUT (replace) record ``record_id`` with ``data``."""
    return (yield APIRequest("PUT", record_path(endpoint, record_id), json=data))


def delete_op(endpoint: str, record_id: int | str) -> Operation[bool]:
    """DELETE record ``record_id``; ``True`` once done (a 404 raises)."""
    yield APIRequest("DELETE", record_path(endpoint, record_id))
    return True
