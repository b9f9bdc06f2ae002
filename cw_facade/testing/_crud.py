"""Generic CRUD over the store, one method per route kind, plus the ticket/callback hooks.

Reads take the store lock only to snapshot the records they look at; filtering, ordering and
presenting run outside it, so one expensive query never blocks other requests. Writes hold
the lock for the whole change.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cw_facade.testing import _tickets as tickets
from cw_facade.testing._callbacks import CALLBACKS, CallbackDispatcher, is_loopback
from cw_facade.testing._errors import bad_request, detail, invalid_object, not_found
from cw_facade.testing._limits import Limits
from cw_facade.testing._listing import (
    FORWARD_ONLY,
    Query,
    build_filter,
    fields_tree,
    forward_only,
    int_param,
    navigable,
    order,
    page_size,
    project,
)
from cw_facade.testing._predicates import bounded
from cw_facade.testing._records import Writer, apply_patch
from cw_facade.testing._resources import label
from cw_facade.testing._routing import Route, parent_template
from cw_facade.testing._spec import ref_name
from cw_facade.testing._store import Collection, Record
from cw_facade.testing._synth import Synthesizer

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
IDENTIFIER_FIELDS = ("identifier", "name")


class NoBody:
    """The payload of an answer without a body (a declared status with no schema)."""


NO_BODY = NoBody()


@dataclass
class Call:
    """What a handler needs from the request."""

    route: Route
    ids: dict[str, Any]
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


class Crud:
    """Route-kind handlers over one writer (store + API root) and callback dispatcher."""

    def __init__(
        self, writer: Writer, callbacks: CallbackDispatcher, limits: Limits | None = None
    ) -> None:
        self.writer = writer
        self.store = writer.store
        self.spec = writer.spec
        self.callbacks = callbacks
        self.limits = limits or Limits()
        self.query = Query(self.spec, self.limits)
        self.synth = Synthesizer(self.spec)

    def stored(self, collection: str) -> str | None:
        """The schema records of ``collection`` follow (``None``: free-form records)."""
        return self.spec.stored_schema(collection)

    # -- reads -----------------------------------------------------------------------------

    def list(self, call: Call) -> Result:
        """A page of a collection, filtered and ordered, with ``Link`` header."""
        forward = call.headers.get("pagination-type", "").lower() == FORWARD_ONLY
        test = build_filter(self.query, call.params, self.stored(call.route.collection))
        unfiltered_forward = forward and test is None
        with self.store.lock:
            parent = self._parent(call)
            collection = self._collection(call)
            if forward:
                after = int_param(call.params, "pageId") or 0
                following = collection.after(after, parent)
                # Unfiltered: one page (and one record to know a next page exists) is enough.
                wanted = page_size(call.params) + 1 if unfiltered_forward else None
                snapshot = list(itertools.islice(following, wanted))
            else:
                snapshot = list(collection.iterate(parent))
        if forward:
            page = forward_only(self._filtered(call, snapshot), call.params, call.url, call.query)
        else:
            records, total = self._ordered(call, snapshot)
            page = navigable(records, total, call.params, call.url, call.query)
        shown = [self._present(call, record) for record in page.records]
        return Result(200, shown, [("Link", page.link)] if page.link else [])

    def count(self, call: Call) -> Result:
        """``{"count": n}`` for the records matching the conditions."""
        with self.store.lock:
            snapshot = list(self._collection(call).iterate(self._parent(call)))
        return Result(200, {"count": sum(1 for _ in self._filtered(call, snapshot))})

    def search(self, call: Call) -> Result:
        """``POST …/search``: a list whose conditions come in the body."""
        if not isinstance(call.body, dict):
            raise bad_request("The request body must be a JSON object.")
        for key, value in call.body.items():
            if isinstance(value, str | int) and not isinstance(value, bool):
                call.params[key.lower()] = str(value)
        return self.list(call)

    def get(self, call: Call) -> Result:
        """One record (through a view when the route's schema is one)."""
        with self.store.lock:
            record = self._existing(call)
        shown = self._present(call, record)
        return Result(200, [shown] if call.route.is_array else shown)

    def singleton(self, call: Call) -> Result:
        """A GET that names no collection (``/system/info``, ``…/default``, ``…/{id}/image``)."""
        with self.store.lock:
            record = self._acted_on(call)
        if call.route.template.rstrip("/").lower() == "/system/info":
            return Result(200, dict(SYSTEM_INFO))
        return Result(call.route.status, self._made(call, record))

    def action(self, call: Call) -> Result:
        """Operations that are not plain CRUD (``…/{id}/merge``, ``…/copy``, bulk writes).

        The record acted on (and its parents) must exist; the answer is that record when the
        response schema is the record's, else a value made from the response schema.
        """
        with self.store.lock:
            record = self._acted_on(call)
        if call.route.status == 204:
            return Result(204, None)
        return Result(call.route.status, self._made(call, record))

    def _made(self, call: Call, record: Record | None) -> Any:
        """The answer of an action or singleton: the record, or a value of the response schema."""
        route = call.route
        if route.response is None:
            return NO_BODY
        if record is not None and route.schema == self.stored(route.collection):
            value: Any = self._present(call, record)
        else:
            item = route.response.get("items", {}) if route.is_array else route.response
            value = self.synth.value(item, "value", 1, 0)
            if value is None:
                value = {}
        if route.is_array and not isinstance(value, list):
            return [value]
        return value

    def _acted_on(self, call: Call) -> Record | None:
        """The record an action or singleton names (404 if it or a parent is missing)."""
        self._parent(call)
        if "id" not in call.ids or self.stored(call.route.collection) is None:
            return None
        return self._existing(call)

    def _filtered(self, call: Call, records: Iterable[Record]) -> Iterable[Record]:
        test = build_filter(self.query, call.params, self.stored(call.route.collection))
        if test is None:
            return records
        return bounded(records, test, self.limits.condition_budget_s)

    def _ordered(self, call: Call, snapshot: Sequence[Record]) -> tuple[Iterable[Record], int]:
        order_by = call.params.get("orderby", "").strip()
        test = build_filter(self.query, call.params, self.stored(call.route.collection))
        if test is None and not order_by:
            return snapshot, len(snapshot)
        chosen = list(self._filtered(call, snapshot)) if test is not None else snapshot
        if order_by:
            chosen = order(self.spec, list(chosen), order_by, self.stored(call.route.collection))
        return chosen, len(chosen)

    def _present(self, call: Call, record: Record) -> Any:
        """A record as the route declares it: through its schema when that is another one."""
        schema = call.route.schema
        stored = self.stored(call.route.collection)
        if schema and (call.route.view or schema != stored):
            record = tickets.view(schema, record, self.writer)
        props = self.spec.properties(schema or stored or "")
        if props and "id" not in props:
            record = {k: v for k, v in record.items() if k != "id"}
        wanted = call.params.get("fields", "").strip()
        return project(record, fields_tree(wanted)) if wanted else record

    # -- lookups ---------------------------------------------------------------------------

    def _collection(self, call: Call) -> Collection:
        return self.store.collection(call.route.collection)

    def _parent(self, call: Call) -> int | None:
        """The parent id of a nested collection (404 when it, or its parent, is missing)."""
        template = parent_template(call.route.collection)
        if template is None:
            return None
        parent = call.ids.get("parentId")
        owner = self.store.collection(template)
        if isinstance(parent, str):
            named = _by_identifier(owner, parent, None)
            parent = None if named is None else named["id"]
        if self.stored(template) is None and isinstance(parent, int):
            return parent  # the description has no records there to check against
        if not isinstance(parent, int) or owner.records.get(parent) is None:
            raise not_found(label(template, self.stored(template)), _shown(parent))
        grandparent = call.ids.get("grandparentId")
        if grandparent is not None and owner.parent_of.get(parent) != grandparent:
            raise not_found(label(template, self.stored(template)), _shown(parent))
        return parent

    def _existing(self, call: Call) -> Record:
        parent = self._parent(call)
        record_id = call.ids.get("id")
        collection = self._collection(call)
        if isinstance(record_id, str):
            found = _by_identifier(collection, record_id, parent)
        else:
            found = collection.get(record_id, parent) if isinstance(record_id, int) else None
        if found is None:
            template = call.route.collection
            raise not_found(label(template, self.stored(template)), _shown(record_id))
        return found

    # -- writes ----------------------------------------------------------------------------

    def create(self, call: Call) -> Result:
        """POST: validate, assign the next id, store, notify → 201."""
        with self.store.lock:
            if call.route.is_array and isinstance(call.body, list):
                created = [self._present(call, self._create_one(call, b)) for b in call.body]
                return Result(201, created)
            record = self._present(call, self._create_one(call, call.body))
            return Result(201, [record] if call.route.is_array else record)

    def _create_one(self, call: Call, body: Any) -> Record:
        parent = self._parent(call)
        if call.route.collection == tickets.LINKS:
            return self._attach(call, body, parent or 0)
        schema = self.stored(call.route.collection)
        is_ticket = schema == "Ticket" and isinstance(body, dict)
        notes = tickets.take_initial_notes(body) if is_ticket else {}
        fields = self._fields(call, schema, None, body, parent)
        record = self.insert(call.route.collection, fields, parent)
        for key, text in notes.items():
            note = tickets.initial_note(record["id"], text, tickets.INITIAL_NOTES[key])
            self.insert(tickets.NOTES, note, record["id"])
        self._notify(call.route.collection, "added", record)
        return record

    def insert(self, template: str, fields: Record, parent: int | None = None) -> Record:
        """Store validated fields under the collection's next id, with a fresh ``_info``."""
        collection = self.store.collection(template)
        record_id = collection.next_id
        record: Record = {"id": record_id, **fields}
        if self._has_info(template):
            info = self.writer.info(None) | self.writer.child_hrefs(template, record_id, parent)
            record["_info"] = info
        collection.put(record_id, record, parent)
        return record

    def _has_info(self, template: str) -> bool:
        schema = self.stored(template)
        return schema is None or "_info" in self.spec.properties(schema)

    def replace(self, call: Call) -> Result:
        """PUT: the body replaces the record → 200."""
        with self.store.lock:
            return self._update(call, call.body)

    def patch(self, call: Call) -> Result:
        """PATCH: apply a JSON Patch array, validate the result → 200."""
        with self.store.lock:
            old = self._existing(call)
            schema = self.stored(call.route.collection)
            props = self.spec.properties(schema) if schema else {}
            return self._update(call, apply_patch(old, call.body, props))

    def _update(self, call: Call, body: Any) -> Result:
        old = self._existing(call)
        parent = self._parent(call)
        schema = self.stored(call.route.collection)
        if isinstance(body, dict):
            body = {k: v for k, v in body.items() if k not in tickets.INITIAL_NOTES}
        fields = self._fields(call, schema, old, body, parent)
        record: Record = {"id": old["id"], **fields}
        if "_info" in old or self._has_info(call.route.collection):
            record["_info"] = self.writer.info(old) | self.writer.child_hrefs(
                call.route.collection, old["id"], parent
            )
        self._collection(call).put(record["id"], record, parent)
        self._notify(call.route.collection, "updated", record)
        shown = self._present(call, record)
        return Result(200, [shown] if call.route.is_array else shown)

    def delete(self, call: Call) -> Result:
        """DELETE: remove the record and its children → 204."""
        with self.store.lock:
            if call.route.collection == tickets.LINKS:
                self._existing(call)
                link: Any = self._collection(call)
                link.remove_link(self._parent(call), call.ids["id"])
                return Result(204, None)
            record = self._existing(call)
            self._collection(call).remove(record["id"])
            self._cascade(call.route.collection, record["id"])
            self._notify(call.route.collection, "deleted", record)
        if call.route.status == 200:
            return Result(200, self._made(call, None))
        return Result(204, None)

    def _fields(
        self, call: Call, schema: str | None, old: Record | None, body: Any, parent: int | None
    ) -> Record:
        fields = self.writer.build(schema, body)
        if parent is not None and schema is not None:
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
        props = self.spec.properties(schema)
        if id_field in props:
            fields[str(id_field)] = parent
        refs = [ref_field] if ref_field in props else []
        refs += [
            prop
            for prop, prop_schema in props.items()
            if prop not in refs and self.writer.target(ref_name(prop_schema) or "") == owner
        ]
        for prop in refs:
            ref_schema = ref_name(props[str(prop)]) or ""
            found = self.writer.resolve(str(prop), owner, ref_schema, {"id": parent}, fields)
            if found is not None:
                fields[str(prop)] = found

    def _attach(self, call: Call, body: Any, ticket_id: int) -> Record:
        config_id = body.get("id") if isinstance(body, dict) else None
        config = (
            self.store.get("/company/configurations", config_id)
            if isinstance(config_id, int)
            else None
        )
        if config is None:
            raise tickets.attach_error(config_id)
        record = tickets.link_record(self.writer, config)
        link: Any = self._collection(call)
        link.put_link(ticket_id, record)
        return record

    def _cascade(self, template: str, record_id: int) -> None:
        for name, collection in list(self.store.collections.items()):
            if parent_template(name) == template:
                for child in list(collection.children.get(record_id, {})):
                    collection.remove(child)
                    self._cascade(name, child)
                collection.children.pop(record_id, None)

    def _notify(self, collection: str, action: str, record: Record) -> None:
        if collection in ("/service/tickets", "/company/companies"):
            registrations = list(self.store.collection(CALLBACKS).iterate())
            self.callbacks.notify(registrations, collection, action, record)


def _by_identifier(collection: Collection, value: str, parent: int | None) -> Record | None:
    """A record named by a string path parameter (``/system/members/{memberIdentifier}``)."""
    wanted = value.lower()
    for record in collection.iterate(parent):
        for key in IDENTIFIER_FIELDS:
            if str(record.get(key, "")).lower() == wanted:
                return record
    if wanted.isdigit() and len(wanted) < 19:
        return collection.get(int(wanted), parent)
    return None


def _shown(value: Any) -> Any:
    """A path value for a not-found message (long values shortened)."""
    text = str(value if value is not None else 0)
    return text if len(text) <= 40 else f"{text[:37]}..."


def dump(payload: Any) -> bytes:
    """Compact JSON bytes."""
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")
