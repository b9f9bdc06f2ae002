"""Generic CRUD over the store, one method per route kind, plus the ticket/callback hooks."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cw_facade.testing import _tickets as tickets
from cw_facade.testing._callbacks import CALLBACKS, CallbackDispatcher, is_loopback
from cw_facade.testing._errors import bad_request, detail, invalid_object, not_found
from cw_facade.testing._listing import (
    FORWARD_ONLY,
    build_filter,
    fields_tree,
    forward_only,
    int_param,
    navigable,
    order,
    project,
)
from cw_facade.testing._records import Writer, apply_patch
from cw_facade.testing._resources import label
from cw_facade.testing._schema import properties, ref_name
from cw_facade.testing._spec import VIEW_SOURCES, Route, parent_template, routes
from cw_facade.testing._store import Record

# Parent collection → (id field, reference field) that nested records carry.
PARENT_FIELDS: dict[str, tuple[str | None, str | None]] = {
    "/service/tickets": ("ticketId", "ticket"),
    "/company/contacts": ("contactId", None),
    "/service/boards": ("boardId", "board"),
    "/company/companies": (None, "company"),
    "/company/configurations/types": (None, "configurationType"),
}
SYSTEM_INFO = {
    "version": "v2025.8.0.0",
    "isCloud": False,
    "serverTimeZone": "UTC",
    "cloudRegion": "NA",
    "maxWorkFlowRecordsAllowed": 1000,
    "licenseBits": [{"name": "Service", "activeFlag": True}],
}


@dataclass
class Call:
    """What a handler needs from the request."""

    route: Route
    ids: dict[str, int]
    params: dict[str, str]
    body: Any
    url: str
    query: list[tuple[str, str]]
    headers: dict[str, str]


@dataclass
class Result:
    """What a handler answers: status, JSON payload (``None`` for no body), extra headers."""

    status: int
    payload: Any
    headers: list[tuple[str, str]] = field(default_factory=list)


@functools.cache
def stored_schema(collection: str) -> str:
    """The schema a collection's records follow (its create/get schema, not a view's)."""
    for route in routes():
        if route.collection == collection and route.template not in VIEW_SOURCES:
            name = route.request_schema if route.kind == "create" else route.schema
            if route.kind in ("create", "get") and name:
                return name
    raise KeyError(collection)


class Crud:
    """Route-kind handlers over one writer (store + API root) and callback dispatcher."""

    def __init__(self, writer: Writer, callbacks: CallbackDispatcher) -> None:
        self.writer = writer
        self.store = writer.store
        self.callbacks = callbacks

    # -- reads -----------------------------------------------------------------------------

    def list(self, call: Call) -> Result:
        """A page of a collection, filtered and ordered, with ``Link`` header."""
        if call.headers.get("pagination-type", "").lower() == FORWARD_ONLY:
            page = forward_only(self._following(call), call.params, call.url, call.query)
        else:
            records, total = self._matching(call)
            page = navigable(records, total, call.params, call.url, call.query)
        shown = [self._present(call, record) for record in page.records]
        return Result(200, shown, [("Link", page.link)] if page.link else [])

    def count(self, call: Call) -> Result:
        """``{"count": n}`` for the records matching the conditions."""
        _, total = self._matching(call)
        return Result(200, {"count": total})

    def search(self, call: Call) -> Result:
        """``POST …/search``: a list whose conditions come in the body."""
        if not isinstance(call.body, dict):
            raise bad_request("The request body must be a JSON object.")
        for key, value in call.body.items():
            if isinstance(value, str):
                call.params[key.lower()] = value
        return self.list(call)

    def get(self, call: Call) -> Result:
        """One record (through a view when the route's schema is one)."""
        return Result(200, self._present(call, self._existing(call)))

    def singleton(self, call: Call) -> Result:
        """``/system/info``."""
        return Result(200, dict(SYSTEM_INFO))

    def _following(self, call: Call) -> Iterator[Record]:
        """Forward-only: matching records after ``pageId`` in id order, lazily."""
        parent = self._parent(call)
        test = build_filter(call.params, stored_schema(call.route.collection))
        after = int_param(call.params, "pageId") or 0
        source = self._collection(call).after(after, parent)
        return source if test is None else (r for r in source if test(r))

    def _matching(self, call: Call) -> tuple[Iterable[Record], int]:
        parent = self._parent(call)
        collection = self._collection(call)
        schema = stored_schema(call.route.collection)
        test = build_filter(call.params, schema)
        order_by = call.params.get("orderby", "").strip()
        if test is None and not order_by:
            return collection.iterate(parent), collection.size(parent)
        chosen = [r for r in collection.iterate(parent) if test is None or test(r)]
        if order_by:
            chosen = order(chosen, order_by, schema)
        return chosen, len(chosen)

    def _present(self, call: Call, record: Record) -> Any:
        schema = call.route.schema
        if schema and schema != stored_schema(call.route.collection):
            record = tickets.view(schema, record, self.writer)
        wanted = call.params.get("fields", "").strip()
        return project(record, fields_tree(wanted)) if wanted else record

    # -- lookups ---------------------------------------------------------------------------

    def _collection(self, call: Call) -> Any:
        return self.store.collection(call.route.collection)

    def _parent(self, call: Call) -> int | None:
        template = parent_template(call.route.collection)
        if template is None:
            return None
        parent = call.ids.get("parentId", call.ids.get("id"))
        if parent is None or self.store.get(template, parent) is None:
            raise not_found(label(template, stored_schema(template)), parent or 0)
        return parent

    def _existing(self, call: Call) -> Record:
        parent = self._parent(call)
        record_id = call.ids["id"]
        found = self._collection(call).get(record_id, parent)
        if found is None:
            template = call.route.collection
            raise not_found(label(template, stored_schema(template)), record_id)
        found_record: Record = found
        return found_record

    # -- writes ----------------------------------------------------------------------------

    def create(self, call: Call) -> Result:
        """POST: validate, assign the next id, store, notify → 201."""
        parent = self._parent(call)
        if call.route.collection == tickets.LINKS:
            return self._attach(call, parent or 0)
        schema = stored_schema(call.route.collection)
        is_ticket = schema == "Ticket" and isinstance(call.body, dict)
        notes = tickets.take_initial_notes(call.body) if is_ticket else {}
        fields = self._fields(call, schema, None, call.body, parent)
        record = self.insert(call.route.collection, fields, parent)
        for key, text in notes.items():
            note = tickets.initial_note(record["id"], text, tickets.INITIAL_NOTES[key])
            self.insert(tickets.NOTES, note, record["id"])
        self._notify(call.route.collection, "added", record)
        return Result(201, record)

    def insert(self, template: str, fields: Record, parent: int | None = None) -> Record:
        """Store validated fields under the collection's next id, with a fresh ``_info``."""
        collection = self.store.collection(template)
        record_id = collection.next_id
        info = self.writer.info(None) | self.writer.child_hrefs(template, record_id, parent)
        record = {"id": record_id, **fields, "_info": info}
        collection.put(record_id, record, parent)
        return record

    def replace(self, call: Call) -> Result:
        """PUT: the body replaces the record → 200."""
        return self._update(call, call.body)

    def patch(self, call: Call) -> Result:
        """PATCH: apply a JSON Patch array, validate the result → 200."""
        old = self._existing(call)
        schema = stored_schema(call.route.collection)
        return self._update(call, apply_patch(old, call.body, properties(schema)))

    def _update(self, call: Call, body: Any) -> Result:
        old = self._existing(call)
        parent = self._parent(call)
        schema = stored_schema(call.route.collection)
        if isinstance(body, dict):
            body = {k: v for k, v in body.items() if k not in tickets.INITIAL_NOTES}
        fields = self._fields(call, schema, old, body, parent)
        info = self.writer.info(old) | self.writer.child_hrefs(
            call.route.collection, old["id"], parent
        )
        record = {"id": old["id"], **fields, "_info": info}
        self._collection(call).put(record["id"], record, parent)
        self._notify(call.route.collection, "updated", record)
        return Result(200, record)

    def delete(self, call: Call) -> Result:
        """DELETE: remove the record and its children → 204."""
        if call.route.collection == tickets.LINKS:
            self._existing(call)
            self._collection(call).remove_link(self._parent(call), call.ids["id"])
            return Result(204, None)
        record = self._existing(call)
        self._collection(call).remove(record["id"])
        self._cascade(call.route.collection, record["id"])
        self._notify(call.route.collection, "deleted", record)
        return Result(204, None)

    def _fields(
        self, call: Call, schema: str, old: Record | None, body: Any, parent: int | None
    ) -> Record:
        fields = self.writer.build(schema, body)
        if parent is not None:
            self._link_parent(call.route.collection, schema, fields, parent)
        if schema == "Ticket":
            tickets.prepare_ticket(self.writer, fields, old)
        elif call.route.collection == tickets.NOTES:
            tickets.prepare_note(self.writer, fields, parent or 0)
        elif schema == "CallbackEntry" and not is_loopback(fields.get("url")):
            error = detail(
                "InvalidField", "Only loopback callback URLs are allowed.", "callbackEntry", "url"
            )
            raise invalid_object("callbackEntry", [error])
        return fields

    def _link_parent(self, template: str, schema: str, fields: Record, parent: int) -> None:
        """Point a nested record at its parent (``ticketId``, ``company`` reference, ...)."""
        owner = parent_template(template) or ""
        id_field, ref_field = PARENT_FIELDS.get(owner, (None, None))
        props = properties(schema)
        if id_field in props:
            fields[str(id_field)] = parent
        if ref_field in props:
            ref_schema = ref_name(props[str(ref_field)]) or ""
            found = self.writer.resolve(str(ref_field), owner, ref_schema, {"id": parent}, fields)
            fields[str(ref_field)] = found

    def _attach(self, call: Call, ticket_id: int) -> Result:
        body = call.body
        config_id = body.get("id") if isinstance(body, dict) else None
        config = (
            self.store.get("/company/configurations", config_id)
            if isinstance(config_id, int)
            else None
        )
        if config is None:
            raise tickets.attach_error(config_id)
        record = tickets.link_record(self.writer, config)
        self._collection(call).put_link(ticket_id, record)
        return Result(201, record)

    def _cascade(self, template: str, record_id: int) -> None:
        for name, collection in self.store.collections.items():
            if parent_template(name) == template:
                for child in list(collection.children.get(record_id, {})):
                    collection.remove(child)
                collection.children.pop(record_id, None)

    def _notify(self, collection: str, action: str, record: Record) -> None:
        if collection in ("/service/tickets", "/company/companies"):
            registrations = list(self.store.collection(CALLBACKS).iterate())
            self.callbacks.notify(registrations, collection, action, record)


def dump(payload: Any) -> bytes:
    """Compact JSON bytes."""
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")
