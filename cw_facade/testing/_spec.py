"""Load an OpenAPI description and turn its operations into routes, generically.

By default the simulator serves the checked-in description,
``<repo>/openapi/connectwise-manage.json`` (an editable install finds it there; a built wheel
carries a build-time copy at
``cw_facade/_openapi/``, see :data:`SPEC_CANDIDATES`). ``ManageSimulator(description=PATH)``
serves any other document in ConnectWise's conventions, the all-modules download included.

Every operation gets a :class:`Route` whose ``kind`` says how the generic CRUD answers it
(:mod:`._routing` derives it from the path shape, the method and the response schema), and
whose ``collection`` names the store collection it reads or writes. Indexes (routes, the
router, schema look-ups) are built on first use, so starting a simulator on a big document
stays cheap.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from cw_facade.testing._routing import Route, Router, build_route, parent_template

SPEC_FILENAME = "connectwise-manage.json"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
SPEC_CANDIDATES = (
    _PACKAGE_DIR.parent / "openapi" / SPEC_FILENAME,
    _PACKAGE_DIR / "_openapi" / SPEC_FILENAME,
)
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
SCHEMA_PREFIX = "#/components/schemas/"
REFERENCE_SUFFIX = "Reference"
_MAX_LENGTH = re.compile(r"Max length:\s*(\d+);")

__all__ = [
    "HTTP_METHODS",
    "SCHEMA_PREFIX",
    "Description",
    "Route",
    "children_of",
    "default_description",
    "load_description",
    "load_spec",
    "match",
    "parent_template",
    "routes",
    "schemas",
    "spec_path",
]


def spec_path() -> Path:
    """Return the path of the checked-in description, or raise ``FileNotFoundError``."""
    for candidate in SPEC_CANDIDATES:
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(c) for c in SPEC_CANDIDATES)
    raise FileNotFoundError(f"OpenAPI description {SPEC_FILENAME} not found (tried {tried})")


class Description:
    """One OpenAPI document, with lazily built routes and schema look-ups.

    ``doc`` is the parsed document; ``source`` says where it came from (for messages).
    Raises ``ValueError`` when the document has no ``paths`` object.
    """

    def __init__(self, doc: dict[str, Any], source: str = "<document>") -> None:
        if not isinstance(doc.get("paths"), dict):
            raise ValueError(f"{source}: not an OpenAPI description (no 'paths' object)")
        self.doc = doc
        self.source = source
        self.schemas: dict[str, Any] = doc.get("components", {}).get("schemas", {})
        self._lock = threading.Lock()
        self._properties: dict[str, dict[str, Any]] = {}
        self._lengths: dict[str, dict[str, int]] = {}

    def __repr__(self) -> str:
        return f"<Description {self.source}>"

    # -- routes ----------------------------------------------------------------------------

    @functools.cached_property
    def routes(self) -> tuple[Route, ...]:
        """Every operation as a :class:`Route`, literal paths first (built once)."""
        found = [
            build_route(template, method, item[method], item)
            for template, item in self.doc["paths"].items()
            if isinstance(item, dict)
            for method in HTTP_METHODS
            if isinstance(item.get(method), dict)
        ]
        return tuple(sorted(_canonical(found), key=lambda r: (r.template.count("{"), r.template)))

    @functools.cached_property
    def router(self) -> Router:
        """The path index (built on the first request)."""
        return Router(self.routes)

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, Any], bool]:
        """(route, path parameters, whether the path is known for another method)."""
        return self.router.match(method, path)

    @functools.cached_property
    def _collections(self) -> dict[str, tuple[str | None, tuple[str, ...]]]:
        """Collection template → (stored schema, nested collections)."""
        schema: dict[str, str] = {}
        rank: dict[str, int] = {}
        children: dict[str, set[str]] = {}
        for route in self.routes:
            for name, level in _schema_candidates(route):
                if name and level < rank.get(route.collection, 99):
                    schema[route.collection], rank[route.collection] = name, level
            owner = parent_template(route.collection)
            if owner is not None and route.kind in ("list", "create"):
                children.setdefault(owner, set()).add(route.collection)
        names = set(schema) | set(children) | {r.collection for r in self.routes}
        return {name: (schema.get(name), tuple(sorted(children.get(name, ())))) for name in names}

    def collections(self) -> tuple[str, ...]:
        """Every collection template the description reads or writes, sorted."""
        return tuple(sorted(self._collections))

    def stored_schema(self, collection: str) -> str | None:
        """The schema a collection's records follow (its get/list/create schema, not a view's)."""
        found = self._collections.get(collection)
        return None if found is None else found[0]

    def children_of(self, template: str) -> tuple[str, ...]:
        """The nested collections under ``template`` (``/service/tickets/{parentId}/notes`` ...)."""
        found = self._collections.get(template)
        return () if found is None else found[1]

    @functools.cached_property
    def _targets(self) -> dict[str, str]:
        """Record schema → the top-level (else shortest) collection storing it."""
        best: dict[str, str] = {}
        for collection, (schema, _) in sorted(
            self._collections.items(), key=lambda kv: (kv[0].count("{"), len(kv[0]), kv[0])
        ):
            if schema and schema not in best:
                best[schema] = collection
        return best

    def reference_target(self, reference: str) -> str | None:
        """The collection a reference schema (``CompanyReference``) points into, if derivable."""
        if not reference.endswith(REFERENCE_SUFFIX):
            return None
        return self._targets.get(reference[: -len(REFERENCE_SUFFIX)])

    # -- schemas ---------------------------------------------------------------------------

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Follow ``$ref`` and a single-entry ``allOf`` to the schema they stand for."""
        for _ in range(64):
            ref = schema.get("$ref")
            if isinstance(ref, str):
                schema = self.schemas.get(ref[len(SCHEMA_PREFIX) :], {})
                continue
            parts = schema.get("allOf")
            if isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], dict):
                schema = parts[0]
                continue
            return schema
        return {}

    def properties(self, name: str) -> dict[str, Any]:
        """The ``properties`` of component schema ``name`` (empty when unknown)."""
        found = self._properties.get(name)
        if found is None:
            schema = self.resolve(self.schemas.get(name, {}))
            found = dict(schema.get("properties") or {})
            for part in schema.get("allOf") or []:
                found.update(self.resolve(part).get("properties") or {})
            with self._lock:
                self._properties[name] = found
        return found

    def max_lengths(self, name: str) -> dict[str, int]:
        """Property → maximum length, from ``maxLength`` or ``Max length: N;`` descriptions."""
        found = self._lengths.get(name)
        if found is None:
            found = {}
            for prop, schema in self.properties(name).items():
                limit = schema.get("maxLength")
                text = _MAX_LENGTH.search(schema.get("description") or "")
                if isinstance(limit, int):
                    found[prop] = limit
                elif text:
                    found[prop] = int(text.group(1))
            with self._lock:
                self._lengths[name] = found
        return found


def ref_name(schema: dict[str, Any]) -> str | None:
    """The component name a property schema points at (through ``allOf``), if any."""
    for part in [schema, *schema.get("allOf", [])]:
        ref = part.get("$ref") if isinstance(part, dict) else None
        if isinstance(ref, str):
            return ref[len(SCHEMA_PREFIX) :]
    return None


def _canonical(found: list[Route]) -> list[Route]:
    """One spelling per collection: ConnectWise ships case variants (``/system/AllowedFileTypes``
    and ``/system/allowedfiletypes``); the spelling most routes use wins (ties: sorted first)."""
    uses: dict[str, Counter[str]] = {}
    for route in found:
        uses.setdefault(route.collection.lower(), Counter())[route.collection] += 1
    chosen = {
        key: min(counts, key=lambda name: (-counts[name], name)) for key, counts in uses.items()
    }
    return [
        r
        if chosen[r.collection.lower()] == r.collection
        else dataclasses.replace(r, collection=chosen[r.collection.lower()])
        for r in found
    ]


def _schema_candidates(route: Route) -> list[tuple[str | None, int]]:
    """Schemas a route tells about its collection's records, best (lowest level) first."""
    if route.view:
        # A collection only seen through a projection still gets that schema (filled from it).
        return [(route.schema, 5)] if route.kind in ("get", "list") else []
    if route.kind == "get":
        return [(route.schema, 0)]
    if route.kind == "list":
        return [(route.schema, 1)]
    if route.kind in ("create", "replace"):
        return [(route.request_schema or route.schema, 2)]
    return []


@functools.cache
def _load(path: str, mtime_ns: int) -> Description:
    with open(path, encoding="utf-8") as handle:
        doc = json.load(handle)
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: not an OpenAPI description (not a JSON object)")
    return Description(doc, path)


def load_description(path: str | Path | None = None) -> Description:
    """Load (once per file version) the description at ``path`` (default: the bundled one).

    Raises ``FileNotFoundError`` if the file is missing, ``ValueError`` if it is not JSON or
    not an OpenAPI description.
    """
    chosen = Path(path) if path is not None else spec_path()
    resolved = chosen.resolve()
    return _load(str(resolved), resolved.stat().st_mtime_ns)


def default_description() -> Description:
    """The bundled description."""
    return load_description(None)


# -- the bundled description, as module functions (kept for existing callers) ------------------


def load_spec() -> dict[str, Any]:
    """The bundled description as a dict."""
    return default_description().doc


def routes() -> tuple[Route, ...]:
    """Every operation of the bundled description as a :class:`Route`."""
    return default_description().routes


def match(method: str, path: str) -> tuple[Route | None, dict[str, Any], bool]:
    """Find the bundled description's route for ``method path``."""
    return default_description().match(method, path)


def children_of(template: str) -> tuple[str, ...]:
    """The nested collections under ``template`` in the bundled description."""
    return default_description().children_of(template)


def schemas() -> dict[str, Any]:
    """The bundled description's component schemas."""
    return default_description().schemas
