"""The write path: turn a request body into a stored record, or explain why not.

Unknown keys are dropped (ConnectWise ignores them), types are checked against the schema,
then required fields, maximum lengths and references. A reference ``{"id": n}`` (or
``{"name": ...}``) is resolved against the referenced record: its name and href are filled in.
"""

from __future__ import annotations

import copy
from typing import Any

from cw_facade.testing._errors import bad_request, detail, invalid_object
from cw_facade.testing._resources import (
    MEMBER_IDENTIFIER,
    REFERENCE_ALIASES,
    REFERENCE_TARGETS,
    REQUIRED,
    href_key,
    record_name,
)
from cw_facade.testing._schema import validate
from cw_facade.testing._spec import Description, default_description, ref_name
from cw_facade.testing._store import Record, Store

READ_ONLY = ("id", "_info")
PATCH_OPS = ("add", "replace", "remove")


class Writer:
    """Validates bodies and builds records for one store and API root."""

    def __init__(self, store: Store, api_root: str, spec: Description | None = None) -> None:
        self.store = store
        self.api_root = api_root
        self.spec = spec or default_description()
        self._targets: dict[str, str | None] = {}

    def target(self, reference: str) -> str | None:
        """The collection a reference schema points into (hand table, else derived)."""
        if reference not in self._targets:
            found = REFERENCE_TARGETS.get(reference) or self.spec.reference_target(reference)
            known = found is not None and self.spec.stored_schema(found) is not None
            self._targets[reference] = found if known else None
        return self._targets[reference]

    def href(self, template: str, record_id: int) -> str:
        """Absolute URL of a record of collection ``template``."""
        path = template
        if "{parentId}" in template:
            parent = self.store.collection(template).parent_of.get(record_id, 0)
            path = template.replace("{parentId}", str(parent))
        return f"{self.api_root}{path.lstrip('/')}/{record_id}"

    def child_hrefs(self, template: str, record_id: int, parent: int | None) -> dict[str, str]:
        """``notes_href``-style links from a record to its nested collections."""
        own = template.replace("{parentId}", str(parent))
        return {
            f"{child.rsplit('/', 1)[-1]}_href": f"{self.api_root}{own.lstrip('/')}/{record_id}/"
            + child.rsplit("/", 1)[-1]
            for child in self.spec.children_of(template)
        }

    def build(self, schema: str | None, body: Any) -> Record:
        """Validate ``body`` for ``schema`` and return the record fields (no id, no _info).

        Without a schema (a collection the description gives none), any JSON object is kept.
        """
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object.")
        if schema is None:
            return {k: v for k, v in body.items() if k not in READ_ONLY}
        props = self.spec.properties(schema)
        clean = {k: v for k, v in body.items() if k in props and k not in READ_ONLY}
        resource = schema[0].lower() + schema[1:]
        errors = [
            detail("InvalidField", message, resource, field)
            for field, message in _split(validate(clean, {"properties": props}, spec=self.spec))
        ]
        if not errors:
            errors = self._required(schema, clean, resource) + self._lengths(
                schema, clean, resource
            )
        if not errors:
            errors = self._resolve_all(props, clean, resource)
        if errors:
            raise invalid_object(resource, errors)
        return clean

    def info(self, old: Record | None) -> dict[str, Any]:
        """A fresh ``_info`` for a write (keeps the entry date of ``old``)."""
        now = self.store.clock.tick()
        before = (old or {}).get("_info") or {}
        return {
            "lastUpdated": now,
            "dateEntered": before.get("dateEntered", now),
            "enteredBy": before.get("enteredBy", MEMBER_IDENTIFIER),
            "updatedBy": MEMBER_IDENTIFIER,
        }

    def _required(self, schema: str, clean: Record, resource: str) -> list[dict[str, Any]]:
        return [
            detail("NullValue", f"{field} is required.", resource, field)
            for field in REQUIRED.get(schema, ())
            if clean.get(field) in (None, "")
        ]

    def _lengths(self, schema: str, clean: Record, resource: str) -> list[dict[str, Any]]:
        return [
            detail("MaxLengthField", f"{field} cannot exceed {limit} characters.", resource, field)
            for field, limit in self.spec.max_lengths(schema).items()
            if isinstance(clean.get(field), str) and len(clean[field]) > limit
        ]

    def _resolve_all(
        self, props: dict[str, Any], clean: Record, resource: str
    ) -> list[dict[str, Any]]:
        errors: list[dict[str, Any]] = []
        for prop, value in list(clean.items()):
            target = self.target(ref_name(props[prop]) or "")
            if target is None or not isinstance(value, dict):
                continue
            resolved = self.resolve(prop, target, ref_name(props[prop]) or "", value, clean)
            if resolved is None:
                field = f"{prop}/id" if "id" in value else f"{prop}/name"
                errors.append(detail("InvalidField", f"{field} is not valid.", resource, field))
            else:
                clean[prop] = resolved
        return errors

    def resolve(
        self, prop: str, target: str, schema: str, value: dict[str, Any], owner: Record
    ) -> Record | None:
        """The full reference for ``value``, or ``None`` when it points at nothing."""
        record = self._find(target, value, owner)
        if record is None:
            return None
        reference: Record = {"id": record["id"]}
        for key, key_schema in self.spec.properties(schema).items():
            if key in ("id", "_info"):
                continue
            source = REFERENCE_ALIASES.get(key, key)
            found = record.get(source, record_name(record) if key == "name" else None)
            if isinstance(found, dict) and not isinstance(
                self.spec.resolve(key_schema).get("properties"), dict
            ):
                found = record_name(found)  # ``type`` as a name where the record has a reference
            if found is not None and not validate(found, key_schema, spec=self.spec):
                reference[key] = found
        if "_info" in self.spec.properties(schema):
            reference["_info"] = {href_key(prop): self.href(target, record["id"])}
        return reference

    def _find(self, target: str, value: dict[str, Any], owner: Record) -> Record | None:
        record_id = value.get("id")
        if isinstance(record_id, int) and not isinstance(record_id, bool):
            return self.store.get(target, record_id)
        name = value.get("name", value.get("identifier"))
        if not isinstance(name, str):
            return None
        board = (owner.get("board") or {}).get("id") if "{parentId}" in target else None
        collection = self.store.collection(target)
        for candidate in collection.iterate(board if isinstance(board, int) else None):
            if name.lower() in (str(record_name(candidate)).lower(), candidate.get("identifier")):
                return candidate
        return None


def _split(problems: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for problem in problems:
        where, _, message = problem.partition(": ")
        pairs.append((where.strip("/"), message))
    return pairs


def apply_patch(record: Record, operations: Any, props: dict[str, Any]) -> Record:
    """Apply a JSON Patch array (add/replace/remove) to a copy of ``record``'s fields."""
    if not isinstance(operations, list) or not operations:
        raise bad_request("The request body must be a non-empty JSON array of operations.")
    doc = {k: copy.deepcopy(v) for k, v in record.items() if k not in READ_ONLY}
    lowered = {name.lower(): name for name in props}
    for operation in operations:
        op, segments = _operation(operation)
        segments[0] = lowered.get(segments[0].lower(), segments[0])
        _apply(doc, op, segments, operation.get("value"))
    return doc


def _operation(operation: Any) -> tuple[str, list[str]]:
    if not isinstance(operation, dict):
        raise bad_request("Each patch operation must be an object.")
    op, path = operation.get("op"), operation.get("path")
    if not isinstance(op, str) or op.lower() not in PATCH_OPS:
        raise bad_request(f"Unsupported patch operation {op!r}.")
    if not isinstance(path, str) or not path.strip("/"):
        raise bad_request("A patch operation needs a path.")
    return op.lower(), path.strip("/").split("/")


def _apply(doc: Record, op: str, segments: list[str], value: Any) -> None:
    container: Any = doc
    for segment in segments[:-1]:
        container = _step(container, segment)
    last = segments[-1]
    if isinstance(container, list):
        index = _index(container, last)
        if op == "remove":
            container.pop(index)
        else:
            container[index] = value
    elif op == "remove":
        container.pop(last, None)
    else:
        container[last] = value


def _step(container: Any, segment: str) -> Any:
    if isinstance(container, list):
        return container[_index(container, segment)]
    if not isinstance(container.get(segment), dict | list):
        container[segment] = {}
    return container[segment]


def _index(container: list[Any], segment: str) -> int:
    if not segment.isdigit() or int(segment) >= len(container):
        raise bad_request(f"Patch path segment {segment!r} is not a valid index.")
    return int(segment)
