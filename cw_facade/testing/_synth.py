"""Records and bodies made from schemas, for every collection the demo seed does not fill.

The demo seed fills the resources a demo needs by hand (tickets, companies, boards, ...). Every
other collection of the description is filled on first use with :data:`RECORDS_PER_PARENT`
records made from its schema: every scalar property gets a plain value (text from the property
name within its maximum length, numbers from the record's position, the first enum value,
fixed dates), references point at records of hand-seeded collections, and nested objects and
arrays are left out. The same description always gives the same records, whatever order
collections are first used in: synthetic records only reference hand-seeded ones and their
own parents.
"""

from __future__ import annotations

import re
import uuid
import zlib
from typing import Any

from cw_facade.testing._spec import Description, ref_name
from cw_facade.testing._store import Record

RECORDS_PER_PARENT = 2
PARENTS_FILLED = 2
SYNTH_INSTANT = "2024-07-01T09:00:00Z"
SYNTH_DATE = "2024-07-01"
MAX_DEPTH = 3
TRUE_FLAGS = ("success",)  # booleans made true (an action's ``SuccessResponse``)
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def _text(prop: str, index: int, limit: int | None) -> str:
    words = " ".join(w.lower() for w in _WORDS.findall(prop)) or "value"
    text = f"{words[0].upper()}{words[1:]} {index}"
    return text[-limit:] if limit is not None and len(text) > limit else text


class Synthesizer:
    """Makes values that validate against the description's schemas.

    ``reference`` is called with a reference schema name and returns a reference dict to use,
    or ``None`` to leave the property out.
    """

    def __init__(self, spec: Description, reference: Any = None) -> None:
        self.spec = spec
        self.reference = reference

    def record(self, schema: str, index: int) -> Record:
        """The fields (no ``id``, no ``_info``) of synthetic record number ``index``."""
        value = self.value({"$ref": f"#/components/schemas/{schema}"}, "record", index, 0)
        fields = value if isinstance(value, dict) else {}
        fields.pop("id", None)
        fields.pop("_info", None)
        return fields

    def value(self, schema: dict[str, Any], prop: str, index: int, depth: int) -> Any:
        """A value for ``schema`` (``None`` when the property is better left out)."""
        name = ref_name(schema)
        resolved = self.spec.resolve(schema)
        if resolved.get("enum"):
            return resolved["enum"][0]
        kind = resolved.get("type")
        if kind == "string":
            return self._string(resolved, prop, index, None)
        if kind == "integer":
            return index
        if kind == "number":
            return float(index)
        if kind == "boolean":
            return prop in TRUE_FLAGS
        if kind == "array":
            return []
        props = resolved.get("properties")
        if isinstance(props, dict) and props and depth < MAX_DEPTH:
            if name and name.endswith("Reference") and depth > 0:
                return self.reference(name) if self.reference else None
            return self._object(name, props, index, depth)
        if "additionalProperties" in resolved:
            return {}
        return None

    def _object(
        self, name: str | None, props: dict[str, Any], index: int, depth: int
    ) -> dict[str, Any]:
        limits = self.spec.max_lengths(name) if name else {}
        out: dict[str, Any] = {}
        for prop, schema in props.items():
            if prop == "_info" or not isinstance(schema, dict):
                continue
            resolved = self.spec.resolve(schema)
            if resolved.get("type") == "string" and "enum" not in resolved:
                out[prop] = self._string(resolved, prop, index, limits.get(prop))
                continue
            found = self.value(schema, prop, index, depth + 1)
            if found is not None:
                out[prop] = found
        return out

    def _string(self, schema: dict[str, Any], prop: str, index: int, limit: int | None) -> str:
        fmt = schema.get("format")
        if fmt == "date-time":
            return SYNTH_INSTANT
        if fmt == "date":
            return SYNTH_DATE
        if fmt == "uuid":
            return str(uuid.UUID(int=zlib.crc32(f"{prop}{index}".encode()) + (index << 64)))
        if isinstance(schema.get("maxLength"), int):
            limit = min(limit or schema["maxLength"], schema["maxLength"])
        return _text(prop, index, limit)


class Filler:
    """Fills a collection the demo seed left alone, on its first use (see the module docstring).

    ``writer`` gives the description, the store and the API root (for hrefs).
    """

    def __init__(self, writer: Any) -> None:
        self.writer = writer
        self.spec: Description = writer.spec
        self.synth = Synthesizer(self.spec, self._reference)
        self._prop = "record"

    def __call__(self, template: str, collection: Any) -> None:
        """Put synthetic records into the new, still private ``collection``."""
        schema = self.spec.stored_schema(template)
        if schema is None:
            return
        parents = self._parents(template)
        if parents is None:
            return
        has_info = "_info" in self.spec.properties(schema)
        for parent in parents:
            for _ in range(RECORDS_PER_PARENT):
                record_id = collection.next_id
                record: Record = {"id": record_id, **self.synth.record(schema, record_id)}
                if has_info:
                    info = {
                        "lastUpdated": SYNTH_INSTANT,
                        "dateEntered": SYNTH_INSTANT,
                        "enteredBy": "APIMember",
                        "updatedBy": "APIMember",
                    }
                    record["_info"] = info | self.writer.child_hrefs(template, record_id, parent)
                collection.put(record_id, record, parent)

    def _parents(self, template: str) -> list[int | None] | None:
        """The parent ids to fill under (``[None]`` at the top level; ``None``: no parent)."""
        from cw_facade.testing._routing import parent_template  # small module, no cycle

        owner = parent_template(template)
        if owner is None:
            return [None]
        if self.spec.stored_schema(owner) is None:  # parents the description never lists
            return list(range(1, PARENTS_FILLED + 1))
        ids = list(self.writer.store.collection(owner).records)[:PARENTS_FILLED]
        return list(ids) if ids else None

    def _reference(self, name: str) -> Record | None:
        """A reference into a hand-seeded collection, or ``None`` (left out)."""
        target = self.writer.target(name)
        store = self.writer.store
        if target is None or "{" in target or target not in store.seeded:
            return None
        first = next(iter(store.collections[target].records.values()), None)
        if first is None:
            return None
        prop = name[0].lower() + name[1 : -len("Reference")]
        found: Record | None = self.writer.resolve(prop, target, name, {"id": first["id"]}, {})
        return found
