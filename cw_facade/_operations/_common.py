"""Building blocks shared by the domain operations (see :mod:`cw_facade._request`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from cw_facade._request import APIRequest, Operation, ParamValue
from cw_facade._validation import check_id
from cw_facade.models import Model

M = TypeVar("M", bound=Model)

#: Page size of the lookups an operation pages through itself (statuses, priorities, ...).
LOOKUP_PAGE_SIZE = 1000
#: Most pages an operation reads for one lookup list before giving up on the rest.
MAX_LOOKUP_PAGES = 20


def ref(record_id: int) -> dict[str, int]:
    """A reference to another record as the API writes it: ``{"id": 5}``."""
    return {"id": record_id}


def replace(path: str, value: Any) -> list[dict[str, Any]]:
    """A JSON Patch body replacing one field."""
    return [{"op": "replace", "path": path, "value": value}]


def as_model(model: type[M], body: Any) -> M:
    """Wrap a response body that must be one record (an empty body becomes ``{}``)."""
    return model(body if isinstance(body, Mapping) else {})


def as_models(model: type[M], body: Any) -> list[M]:
    """Wrap a response body that must be a list of records (anything else gives ``[]``)."""
    if not isinstance(body, list):
        return []
    return [model(item) for item in body if isinstance(item, Mapping)]


def get_by_id(
    model: type[M], collection: str, argument: str, record_id: Any
) -> Operation[M | None]:
    """GET ``{collection}/{id}`` as ``model``; a 404 gives ``None``."""
    path = f"{collection}/{check_id(argument, record_id)}"
    body = yield APIRequest("GET", path, none_on_404=True)
    return None if body is None else as_model(model, body)


def get_list(
    model: type[M], path: str, params: Mapping[str, ParamValue] | None = None
) -> Operation[list[M]]:
    """Every record of a short list (lookups), paging with ``page`` until a short page."""
    records: list[M] = []
    for page in range(1, MAX_LOOKUP_PAGES + 1):
        query: dict[str, ParamValue] = {**(params or {}), "page": page}
        query["pageSize"] = LOOKUP_PAGE_SIZE
        batch = as_models(model, (yield APIRequest("GET", path, params=query)))
        records.extend(batch)
        if len(batch) < LOOKUP_PAGE_SIZE:
            break
    return records
