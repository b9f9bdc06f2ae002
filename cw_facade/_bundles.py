"""Bundles (``POST /system/bundles``), I/O-free: typed requests, the wire body, typed results.

A :class:`BundleRequest` is one request of a bundle, checked when it is built (before anything
is sent). :func:`bundle_body` writes a chunk of them as ConnectWise's body
(``{"requests": [{"sequenceNumber", "resourceType", "version", "apiRequest": {...}}]}``) and
:func:`bundle_results` maps the answer back, by ``sequenceNumber``, to one
:class:`BundleResult` per request, each with its own success or typed error.

What a bundled request does follows from what it carries (ConnectWise's rule): an ``entity``
without ``id`` creates, an ``entity`` with ``id`` replaces, an ``id`` alone reads, neither
lists. ConnectWise's description has no way to say PATCH or DELETE; :meth:`BundleRequest.patch`
and :meth:`BundleRequest.delete` add ``"method"`` to the ``apiRequest`` (the simulator honours
it; a real server is not confirmed to).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from cw_facade._constants import MAX_PAGE_SIZE
from cw_facade._errors import ConnectWiseAPIError, ConnectWiseConfigurationError
from cw_facade._paging import check_page_size
from cw_facade._responses import (
    REDACTOR_EXTENSION,
    RETRIES_EXTENSION,
    api_error,
    response_error,
)
from cw_facade._validation import InvalidArgumentError, check_id

#: What a bundled request does.
Kind = Literal["get", "list", "create", "update", "patch", "delete"]
#: Kinds that change nothing: a bundle of these alone may be repeated like a GET.
READ_KINDS = frozenset({"get", "list"})

#: resourceType names the facade sends, each with the collection it acts on. Keys are the name
#: folded to lower-case letters (``ticketNote``, ``ticket_note`` and ``TicketNote`` are one);
#: the simulator (``cw_facade.testing._bundles``) serves every one of them.
RESOURCE_TYPES: dict[str, tuple[str, str]] = {
    "ticket": ("ticket", "/service/tickets"),
    "ticketnote": ("ticketNote", "/service/tickets/{parentId}/notes"),
    "tickettask": ("ticketTask", "/service/tickets/{parentId}/tasks"),
    "ticketconfiguration": ("ticketConfiguration", "/service/tickets/{parentId}/configurations"),
    "company": ("company", "/company/companies"),
    "companynote": ("companyNote", "/company/companies/{parentId}/notes"),
    "companysite": ("companySite", "/company/companies/{parentId}/sites"),
    "contact": ("contact", "/company/contacts"),
    "contactnote": ("contactNote", "/company/contacts/{parentId}/notes"),
    "contactcommunication": (
        "contactCommunication",
        "/company/contacts/{parentId}/communications",
    ),
    "configuration": ("configuration", "/company/configurations"),
    "board": ("board", "/service/boards"),
    "boardstatus": ("boardStatus", "/service/boards/{parentId}/statuses"),
    "priority": ("priority", "/service/priorities"),
    "source": ("source", "/service/sources"),
    "timeentry": ("timeEntry", "/time/entries"),
    "agreement": ("agreement", "/finance/agreements"),
    "agreementaddition": ("agreementAddition", "/finance/agreements/{parentId}/additions"),
    "invoice": ("invoice", "/finance/invoices"),
    "member": ("member", "/system/members"),
    "project": ("project", "/project/projects"),
    "projectticket": ("projectTicket", "/project/tickets"),
    "scheduleentry": ("scheduleEntry", "/schedule/entries"),
    "opportunity": ("opportunity", "/sales/opportunities"),
    "callback": ("callback", "/system/callbacks"),
}
#: Top-level collection path (``service/tickets``) → resourceType, for get-many by endpoint.
COLLECTION_TYPES = {
    path.strip("/").lower(): name for name, path in RESOURCE_TYPES.values() if "{" not in path
}


def resource_key(name: str) -> str:
    """``name`` folded the way resourceType names compare: lower-case letters only."""
    return re.sub(r"[^a-z]", "", name.lower())


def check_resource_type(value: object) -> tuple[str, str]:
    """The canonical resourceType and collection template of ``value``.

    Raises :class:`~cw_facade.InvalidArgumentError` naming ``resource_type`` for a value that
    is not text or not a known resourceType (the message lists the known ones).
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError("resource_type", "must be a resourceType name like 'ticket'")
    found = RESOURCE_TYPES.get(resource_key(value))
    if found is None:
        known = ", ".join(sorted(name for name, _ in RESOURCE_TYPES.values()))
        raise InvalidArgumentError("resource_type", f"{value!r} is not one of: {known}")
    return found


def _positive(argument: str, value: object) -> int | None:
    return None if value is None else check_id(argument, value)


def _page(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError("page", "must be an integer >= 1 (pages are 1-based)")
    return value


def _entity(value: object) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidArgumentError("entity", "must be a dict (the record's JSON)")
    return copy.deepcopy(dict(value))


def _operations(value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list | tuple) or not value:
        raise InvalidArgumentError("operations", "must be a non-empty list of patch operations")
    if not all(isinstance(op, Mapping) for op in value):
        raise InvalidArgumentError("operations", "each operation must be a dict")
    return [copy.deepcopy(dict(op)) for op in value]


def _text(value: str | None, wire: str) -> dict[str, str]:
    return {} if value is None else {wire: value}


@dataclass(frozen=True, slots=True, eq=False)
class BundleRequest:
    """One request of a bundle; build it with a class method (each checks its arguments).

    Attributes: ``kind`` (``"get"``, ``"list"``, ``"create"``, ``"update"``, ``"patch"``,
    ``"delete"``), ``resource_type`` (the canonical resourceType, e.g. ``"ticketNote"``),
    ``id``, ``parent_id``, ``entity`` (a private copy of the record, or the patch operations),
    ``conditions``, ``child_conditions``, ``order_by``, ``fields`` (wire text), ``page``,
    ``page_size`` and ``page_id``. Every constructor raises
    :class:`~cw_facade.InvalidArgumentError` (a :class:`~cw_facade.ConnectWiseConfigurationError`)
    for a bad argument, and conditions that do not parse raise
    :class:`~cw_facade.ConditionsSyntaxError`; nothing is sent by building one.
    """

    kind: Kind
    resource_type: str
    collection: str = field(repr=False)
    id: int | None = None
    parent_id: int | None = None
    entity: dict[str, Any] | list[dict[str, Any]] | None = field(default=None, repr=False)
    conditions: str | None = None
    child_conditions: str | None = None
    order_by: str | None = None
    fields: str | None = None
    page: int | None = None
    page_size: int | None = None
    page_id: int | None = None

    @classmethod
    def _make(
        cls, kind: Kind, resource_type: object, parent_id: object, **values: Any
    ) -> BundleRequest:
        name, collection = check_resource_type(resource_type)
        parent = _positive("parent_id", parent_id)
        if "{parentId}" in collection and parent is None:
            raise InvalidArgumentError("parent_id", f"is required for resourceType {name!r}")
        if "{parentId}" not in collection and parent is not None:
            raise InvalidArgumentError("parent_id", f"is not used by resourceType {name!r}")
        return cls(kind, name, collection, parent_id=parent, **values)

    @classmethod
    def get(
        cls,
        resource_type: str,
        id: int,
        *,
        parent_id: int | None = None,
        fields: str | Sequence[str] | None = None,
    ) -> BundleRequest:
        """Read record ``id`` of ``resource_type`` (``parent_id`` for a child, e.g. a note).

        ``fields`` projects the record (``"id,summary"`` or a list of paths).
        """
        from cw_facade._raw import fields_text

        return cls._make(
            "get", resource_type, parent_id, id=check_id("id", id), fields=fields_text(fields)
        )

    @classmethod
    def list(
        cls,
        resource_type: str,
        *,
        parent_id: int | None = None,
        conditions: object = None,
        child_conditions: object = None,
        order_by: object = None,
        page: int = 1,
        page_size: int | None = None,
        page_id: int | None = None,
        fields: str | Sequence[str] | None = None,
    ) -> BundleRequest:
        """One page of a list of ``resource_type`` (the children of ``parent_id`` for a child).

        ``conditions`` and ``child_conditions`` are strings (parsed first) or expressions of
        :class:`cw_facade.conditions.C`; ``order_by`` and ``fields`` as for the list methods;
        ``page`` counts from 1; ``page_size`` is 1..1000 (the server's default, 25, when not
        given); ``page_id`` asks the forward-only page after that id (``page`` is then not
        sent).
        """
        from cw_facade._raw import fields_text, order_by_text, wire_conditions

        size = None if page_size is None else check_page_size(page_size)
        after = _positive("page_id", page_id)
        return cls._make(
            "list",
            resource_type,
            parent_id,
            conditions=wire_conditions(conditions, validate=True),
            child_conditions=wire_conditions(
                child_conditions, validate=True, argument="child_conditions"
            ),
            order_by=order_by_text(order_by),
            fields=fields_text(fields),
            page=None if after is not None else _page(page),
            page_size=size,
            page_id=after,
        )

    @classmethod
    def create(
        cls, resource_type: str, entity: Mapping[str, Any], *, parent_id: int | None = None
    ) -> BundleRequest:
        """Create ``entity`` (a dict, copied now) as a ``resource_type`` (under ``parent_id``)."""
        body = _entity(entity)
        if body.get("id") is not None:
            raise InvalidArgumentError("entity", "of a create must not carry an 'id'")
        return cls._make("create", resource_type, parent_id, entity=body)

    @classmethod
    def update(
        cls,
        resource_type: str,
        id: int,
        entity: Mapping[str, Any],
        *,
        parent_id: int | None = None,
    ) -> BundleRequest:
        """Replace record ``id`` with ``entity`` (a whole record, copied now; a PUT)."""
        record_id = check_id("id", id)
        return cls._make("update", resource_type, parent_id, id=record_id, entity=_entity(entity))

    @classmethod
    def patch(
        cls,
        resource_type: str,
        id: int,
        operations: Sequence[Mapping[str, Any]],
        *,
        parent_id: int | None = None,
    ) -> BundleRequest:
        """Patch record ``id`` with JSON-patch ``operations`` (``[{"op", "path", "value"}]``).

        Sent with ``"method": "PATCH"`` in the ``apiRequest``: see the module docstring.
        """
        record_id = check_id("id", id)
        body = _operations(operations)
        return cls._make("patch", resource_type, parent_id, id=record_id, entity=body)

    @classmethod
    def delete(
        cls,
        resource_type: str,
        id: int,
        *,
        parent_id: int | None = None,
    ) -> BundleRequest:
        """Delete record ``id``; sent with ``"method": "DELETE"`` (see the module docstring)."""
        return cls._make("delete", resource_type, parent_id, id=check_id("id", id))

    @property
    def read_only(self) -> bool:
        """Whether this request changes nothing (a get or a list)."""
        return self.kind in READ_KINDS

    def api_request(self) -> dict[str, Any]:
        """The ``apiRequest`` object of this request."""
        api: dict[str, Any] = {}
        if self.id is not None:
            api["id"] = self.id
        if self.parent_id is not None:
            api["parentId"] = self.parent_id
        if self.entity is not None:
            api["entity"] = copy.deepcopy(self.entity)
        if self.kind in ("patch", "delete"):
            api["method"] = self.kind.upper()
        filters = {
            **_text(self.conditions, "conditions"),
            **_text(self.child_conditions, "childconditions"),
            **_text(self.order_by, "orderBy"),
        }
        if filters:
            api["filters"] = filters
        page = {"page": self.page, "pageSize": self.page_size, "pageId": self.page_id}
        if self.kind == "list":
            api["page"] = {key: value for key, value in page.items() if value is not None}
        if self.fields is not None:
            api["fields"] = self.fields
        return api


@dataclass(frozen=True, slots=True, eq=False)
class BundleResult:
    """The outcome of one :class:`BundleRequest`.

    Attributes: ``request`` (the request it answers), ``ok`` (success), ``status_code`` (the
    status the request would have had alone), ``entities`` (the records: the one read,
    created or changed, or a list's page; empty for a delete and on failure), ``count`` (as
    the server reports it) and ``error`` (``None`` on success, else the facade's
    :class:`~cw_facade.ConnectWiseAPIError` subclass for the status, e.g.
    :class:`~cw_facade.ConnectWiseNotFoundError`, redacted like every other error).
    """

    request: BundleRequest
    ok: bool
    status_code: int
    entities: list[dict[str, Any]] = field(repr=False)
    count: int
    error: ConnectWiseAPIError | None = None

    def raise_for_error(self) -> BundleResult:
        """Raise :attr:`error` when the request failed; return this result otherwise."""
        if self.error is not None:
            raise self.error
        return self


def check_requests(requests: object) -> list[BundleRequest]:
    """``requests`` as a list of :class:`BundleRequest`; else an :class:`InvalidArgumentError`."""
    if isinstance(requests, str | bytes | Mapping) or not isinstance(requests, Sequence):
        raise InvalidArgumentError("requests", "must be a list of BundleRequest")
    checked = list(requests)
    for item in checked:
        if not isinstance(item, BundleRequest):
            raise InvalidArgumentError(
                "requests", f"must hold only BundleRequest objects, not {type(item).__name__}"
            )
    return checked


def check_chunk_size(value: object, default: int) -> int:
    """A bundle chunk size: ``default`` for ``None``, else an int from 1 to 1000."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
        raise ConnectWiseConfigurationError(
            f"chunk_size must be an integer from 1 to {MAX_PAGE_SIZE}, not {value!r}"
        )
    return value


def bundle_body(requests: Sequence[BundleRequest], version: str) -> dict[str, Any]:
    """The body of one bundle: ``requests`` numbered from 1 in order."""
    return {
        "requests": [
            {
                "sequenceNumber": number,
                "resourceType": request.resource_type,
                "version": version,
                "apiRequest": request.api_request(),
            }
            for number, request in enumerate(requests, 1)
        ]
    }


def bundle_results(
    requests: Sequence[BundleRequest], response: httpx.Response, body: Any
) -> list[BundleResult]:
    """One result per request of a bundle, matched by ``sequenceNumber`` (see the module).

    Raises :class:`~cw_facade.ConnectWiseResponseError` when the body is not a results object
    or leaves a request unanswered.
    """
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list):
        raise response_error(response, "a bundle answer without a 'results' list")
    numbered: dict[int, dict[str, Any]] = {}
    for item in results:
        number = item.get("sequenceNumber") if isinstance(item, dict) else None
        if isinstance(number, int) and not isinstance(number, bool) and isinstance(item, dict):
            numbered.setdefault(number, item)
    out: list[BundleResult] = []
    for number, request in enumerate(requests, 1):
        item = numbered.get(number)
        if item is None:
            raise response_error(response, f"the bundle answer has no result {number}")
        out.append(_result(request, item, response))
    return out


def _result(request: BundleRequest, item: dict[str, Any], response: httpx.Response) -> BundleResult:
    status = item.get("statusCode")
    success = item.get("success")
    if isinstance(status, bool) or not isinstance(status, int):
        status = 200 if success is True else 0
    ok = success is not False and 200 <= status <= 299
    raw = item.get("entities")
    entities = [e for e in raw if isinstance(e, dict)] if isinstance(raw, list) else []
    count = item.get("count")
    if isinstance(count, bool) or not isinstance(count, int):
        count = len(entities)
    if ok:
        return BundleResult(request, True, status, entities, count)
    error = _error(status, item.get("error"), response)
    return BundleResult(request, False, status, [], count, error)


def _error(status: int, body: object, response: httpx.Response) -> ConnectWiseAPIError:
    """The facade's error for one failed result, built as for a response of its own."""
    content = body if isinstance(body, dict) else {"message": "the bundled request failed"}
    headers = {k: v for k, v in response.headers.items() if k.lower() == "x-cw-request-id"}
    extensions = {
        key: response.extensions[key]
        for key in (REDACTOR_EXTENSION, RETRIES_EXTENSION)
        if key in response.extensions
    }
    alone = httpx.Response(
        status, json=content, headers=headers, request=response.request, extensions=extensions
    )
    return api_error(alone)
