"""Load the checked-in OpenAPI description and turn its operations into routes.

The description lives at ``<repo>/openapi/connectwise-manage.json``. An editable install finds it
there; a built wheel may carry a build-time copy at ``cw_facade/_openapi/`` (see
:data:`SPEC_CANDIDATES`). The simulator never keeps its own diverging copy.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPEC_FILENAME = "connectwise-manage.json"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
SPEC_CANDIDATES = (
    _PACKAGE_DIR.parent / "openapi" / SPEC_FILENAME,
    _PACKAGE_DIR / "_openapi" / SPEC_FILENAME,
)
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
SCHEMA_PREFIX = "#/components/schemas/"

# Paths whose records come from another collection (a "view" of it).
VIEW_SOURCES = {
    "/service/tickets/info": "/service/tickets",
    "/service/tickets/{id}/info": "/service/tickets",
    "/service/tickets/{parentId}/allNotes": "/service/tickets/{parentId}/notes",
    "/service/tickets/search": "/service/tickets",
}


@dataclass(frozen=True)
class Route:
    """One operation of the description, ready for dispatch."""

    method: str
    template: str
    operation_id: str
    kind: str
    collection: str
    schema: str | None
    request_schema: str | None
    status: int
    pattern: re.Pattern[str]


def spec_path() -> Path:
    """Return the path of the checked-in description, or raise ``FileNotFoundError``."""
    for candidate in SPEC_CANDIDATES:
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(c) for c in SPEC_CANDIDATES)
    raise FileNotFoundError(f"OpenAPI description {SPEC_FILENAME} not found (tried {tried})")


@functools.cache
def load_spec() -> dict[str, Any]:
    """Load (once) and return the description as a dict."""
    with spec_path().open(encoding="utf-8") as handle:
        doc: dict[str, Any] = json.load(handle)
    return doc


def _schema_name(schema: dict[str, Any] | None) -> str | None:
    if not schema:
        return None
    if schema.get("type") == "array":
        return _schema_name(schema.get("items"))
    ref = schema.get("$ref")
    return ref[len(SCHEMA_PREFIX) :] if isinstance(ref, str) else None


def _content_schema(node: dict[str, Any]) -> dict[str, Any] | None:
    for media in node.get("content", {}).values():
        schema: dict[str, Any] = media.get("schema", {})
        return schema
    return None


def _kind(method: str, template: str, is_array: bool) -> str:
    if template.endswith("/count"):
        return "count"
    if method == "post":
        return "search" if template.endswith("/search") else "create"
    if method == "get":
        if template in VIEW_SOURCES and not is_array:
            return "get"
        return "list" if is_array else ("get" if template.endswith("/{id}") else "singleton")
    return {"put": "replace", "patch": "patch", "delete": "delete"}[method]


def _collection(template: str) -> str:
    if template in VIEW_SOURCES:
        return VIEW_SOURCES[template]
    for suffix in ("/count", "/{id}"):
        if template.endswith(suffix):
            template = template[: -len(suffix)]
    return VIEW_SOURCES.get(template, template)


def _pattern(template: str) -> re.Pattern[str]:
    body = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>-?\\d+)", re.escape(template))
    return re.compile(f"^{body}/?$", re.IGNORECASE)


def _route(template: str, method: str, op: dict[str, Any]) -> Route:
    status = min(int(code) for code in op["responses"])
    response = _content_schema(op["responses"][str(status)]) or {}
    request = _content_schema(op.get("requestBody", {}))
    kind = _kind(method, template, response.get("type") == "array")
    return Route(
        method=method.upper(),
        template=template,
        operation_id=op["operationId"],
        kind=kind,
        collection=_collection(template),
        schema=_schema_name(response),
        request_schema=_schema_name(request),
        status=status,
        pattern=_pattern(template),
    )


@functools.cache
def routes() -> tuple[Route, ...]:
    """Every operation of the description as a :class:`Route`, literal paths first."""
    found = [
        _route(template, method, item[method])
        for template, item in load_spec()["paths"].items()
        for method in HTTP_METHODS
        if method in item
    ]
    return tuple(sorted(found, key=lambda r: (r.template.count("{"), r.template)))


def match(method: str, path: str) -> tuple[Route | None, dict[str, int], bool]:
    """Find the route for ``method path``: (route, path params, path known for another method)."""
    known = False
    for route in routes():
        found = route.pattern.match(path)
        if found is None:
            continue
        if route.method != method:
            known = True
            continue
        return route, {k: int(v) for k, v in found.groupdict().items()}, True
    return None, {}, known


def parent_template(template: str) -> str | None:
    """``/service/tickets`` for ``/service/tickets/{parentId}/notes``; ``None`` if not nested."""
    head, found, _ = template.partition("/{parentId}")
    return head if found else None


@functools.cache
def children_of(template: str) -> tuple[str, ...]:
    """The nested collections under ``template`` (``/service/tickets/{parentId}/notes`` ...)."""
    found = {
        r.collection
        for r in routes()
        if r.kind == "list"
        and r.template == r.collection
        and parent_template(r.template) == template
    }
    return tuple(sorted(found))


def schemas() -> dict[str, Any]:
    """The description's component schemas."""
    found: dict[str, Any] = load_spec()["components"]["schemas"]
    return found
