"""Routes from path shapes: what an operation does, which collection it uses, and a fast router.

The kind of an operation follows from its path, method and response, the way ConnectWise
shapes its API (no per-resource table):

=============================  ===========================================================
``GET …/count``                ``count`` (``{"count": n}``; POST too)
``POST …/search``              ``search`` (a list whose conditions come in the body)
``GET …/{id}``                 ``get``
``GET …`` (array response)     ``list``
``GET …`` (object response)    ``singleton`` (``/system/info``, ``…/default``, ``…/image``)
``POST …`` → 201               ``create``
``PUT``/``PATCH``/``DELETE …/{id}``  ``replace``/``patch``/``delete``
``POST /system/bundles[/count]``  ``bundle``
anything else                  ``action`` (``…/{id}/merge``, ``…/copy``, bulk writes)
=============================  ===========================================================

An ``info`` segment marks a projection (``/service/tickets/info``, ``…/{id}/info``,
``/company/companies/info/types``): same records, another schema. Placeholders of parents are
normalised in collection names (the nearest parent is ``{parentId}``, the one above it
``{grandparentId}``), so ``/company/companies/{id}/notes`` and
``/company/companies/{parentId}/notes`` are one collection.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

SCHEMA_PREFIX = "#/components/schemas/"
PARENT_ROLES = ("parentId", "grandparentId", "greatGrandparentId")
INT_NAMES = ("id", "parentid", "grandparentid", "greatgrandparentid")
MAX_ID_DIGITS = 18
BUNDLES = "/system/bundles"
SCALAR_TYPES = ("integer", "number", "string", "boolean")
# Projections with a name of their own: path (normalised) → the collection they show.
ALIASES = {"/service/tickets/{parentId}/allNotes": "/service/tickets/{parentId}/notes"}
_PIECES = re.compile(r"\{[^{}/]*\}|[^{}]+")
_NAMES = re.compile(r"\{(\w*)\}")


@dataclass(frozen=True)
class Route:
    """One operation of the description, ready for dispatch.

    ``kind`` is the generic handler (see the module docstring), ``collection`` the store
    collection (normalised template), ``schema`` the response schema name (item schema for
    arrays), ``view`` whether the route shows its records through another schema, and
    ``roles`` maps each path placeholder to ``id``, ``parentId``, ``grandparentId``... (or to
    itself when it is not a record id).
    """

    method: str
    template: str
    operation_id: str
    kind: str
    collection: str
    schema: str | None
    request_schema: str | None
    status: int
    view: bool = False
    is_array: bool = False
    response: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    roles: tuple[tuple[str, str], ...] = ()
    int_params: frozenset[str] = frozenset()

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """A regular expression for the template (placeholders as named groups)."""
        seen: set[str] = set()

        def group(found: re.Match[str]) -> str:
            name = re.sub(r"\W", "_", found.group(1)) or "p"
            if name in seen:
                return r"[^/]+"
            seen.add(name)
            return f"(?P<{name}>[^/]+)"

        body = re.sub(r"\\\{(\w*)\\\}", group, re.escape(self.template.rstrip("/")))
        return re.compile(f"^{body}/?$", re.IGNORECASE)


def parent_template(template: str) -> str | None:
    """``/service/tickets`` for ``/service/tickets/{parentId}/notes``; ``None`` if not nested.

    The parent's own name has its placeholders shifted one level (``{grandparentId}`` becomes
    ``{parentId}``), as the parent collection names them itself.
    """
    head, found, _ = template.rpartition("/{parentId}")
    if not found:
        return None
    for older, newer in zip(PARENT_ROLES[1:], PARENT_ROLES, strict=False):
        head = head.replace("{" + older + "}", "{" + newer + "}")
    return head


def _pieces(template: str) -> list[str]:
    """Path pieces with placeholders split out of mixed segments (``types{id}``)."""
    pieces: list[str] = []
    for segment in (s for s in template.split("/") if s):
        if "{" not in segment:
            pieces.append(segment)
            continue
        for piece in _PIECES.findall(segment):
            if not (piece.startswith("{") and pieces and pieces[-1] == piece):
                pieces.append(piece)
    return pieces


def _is_placeholder(piece: str) -> bool:
    return piece[:1] == "{" and piece[-1:] == "}"


def _content_schema(node: Any) -> dict[str, Any] | None:
    if not isinstance(node, dict):
        return None
    for media in (node.get("content") or {}).values():
        schema = media.get("schema") if isinstance(media, dict) else None
        return schema if isinstance(schema, dict) else None
    return None


def _schema_name(schema: dict[str, Any] | None) -> str | None:
    if not schema:
        return None
    if schema.get("type") == "array":
        return _schema_name(schema.get("items"))
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return ref[len(SCHEMA_PREFIX) :]
    for part in schema.get("allOf") or []:
        found = _schema_name(part) if isinstance(part, dict) else None
        if found:
            return found
    return None


def _status(op: dict[str, Any]) -> int:
    codes = [int(c) for c in (op.get("responses") or {}) if str(c).isdigit()]
    return min(codes) if codes else 200


def _int_params(template: str, op: dict[str, Any], item: dict[str, Any]) -> frozenset[str]:
    if "{" not in template:
        return frozenset()
    declared: dict[str, bool] = {}
    for param in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        if isinstance(param, dict) and param.get("in") == "path":
            kind = (param.get("schema") or {}).get("type")
            declared[str(param.get("name"))] = kind in ("integer", "number")
    names = _NAMES.findall(template)
    return frozenset(n for n in names if declared.get(n, n.lower() in INT_NAMES))


def _kind(method: str, pieces: list[str], status: int, is_array: bool) -> tuple[str, int]:
    """(kind, how many trailing pieces to strip to get the collection)."""
    last = pieces[-1] if pieces else ""
    if last.lower() == "count":
        return "count", 1
    if method == "post" and last.lower() == "search":
        return "search", 1
    ends_with_id = _is_placeholder(last)
    if method == "get":
        if ends_with_id:
            return "get", 1
        return ("list", 0) if is_array else ("singleton", 0)
    if method == "post":
        return ("create", 0) if status == 201 and not ends_with_id else ("action", 0)
    if ends_with_id:
        return {"put": "replace", "patch": "patch", "delete": "delete"}[method], 1
    return "action", 0


def _takes_one_record(op: dict[str, Any], kind: str) -> bool:
    """Whether the operation's body is what ``kind`` expects: a record, or a JSON Patch list."""
    body = _content_schema(op.get("requestBody"))
    if body is None:
        return False
    return (body.get("type") == "array") == (kind == "patch")


def _normalise(pieces: list[str]) -> tuple[str, dict[str, str]]:
    """The collection template with parent placeholders renamed, and original → role."""
    roles: dict[str, str] = {}
    out: list[str] = []
    level = 0
    for piece in reversed(pieces):
        if _is_placeholder(piece):
            role = PARENT_ROLES[min(level, len(PARENT_ROLES) - 1)]
            roles.setdefault(piece[1:-1], role)
            out.append("{" + role + "}")
            level += 1
        else:
            out.append(piece)
    return "/" + "/".join(reversed(out)), roles


def build_route(template: str, method: str, op: dict[str, Any], item: dict[str, Any]) -> Route:
    """The :class:`Route` of one operation (``item`` is its path item, for shared parameters)."""
    status = _status(op)
    response = _content_schema((op.get("responses") or {}).get(str(status))) or None
    is_array = bool(response and response.get("type") == "array")
    int_params = _int_params(template, op, item)
    pieces = _pieces(template)
    view = len(pieces) > 2 and any(p.lower() == "info" for p in pieces)
    core = [p for p in pieces if not (view and p.lower() == "info")]
    while len(core) > 1 and _is_placeholder(core[-1]) and _is_placeholder(core[-2]):
        if core[-1][1:-1] in int_params:
            break
        core = core[:-1]  # ``/schedule/entries/{id}/{notifyResource}``: a flag, not an id
    if template.rstrip("/").lower().startswith(BUNDLES) and method == "post":
        kind, strip = "bundle", 0
    else:
        kind, strip = _kind(method, core, status, is_array)
    if kind == "create" and (response or {}).get("type") in SCALAR_TYPES:
        kind = "action"  # answers a number or a text, not a created record
    if kind in ("create", "replace", "patch") and not _takes_one_record(op, kind):
        kind = "action"  # ``…/{id}/copy`` with no body, bulk writes of an array
    kept = core[: len(core) - strip] if strip else core
    record_id: str | None = core[-1][1:-1] if strip and _is_placeholder(core[-1]) else None
    if kind in ("action", "singleton"):
        # Acts on the record named by the last placeholder (``/companies/{id}/merge``).
        places = [i for i, p in enumerate(kept) if _is_placeholder(p)]
        if places:
            record_id, kept = kept[places[-1]][1:-1], kept[: places[-1]]
    collection, roles = _normalise(kept)
    collection = ALIASES.get(collection, collection)
    view = view or collection != _normalise(kept)[0]
    if record_id is not None:
        roles[record_id] = "id"
    return Route(
        method=method.upper(),
        template=template,
        operation_id=str(op.get("operationId") or f"{method} {template}"),
        kind=kind,
        collection=collection,
        schema=_schema_name(response),
        request_schema=_schema_name(_content_schema(op.get("requestBody"))),
        status=status,
        view=view,
        is_array=is_array,
        response=response,
        roles=tuple(sorted(roles.items())),
        int_params=int_params,
    )


# -- the router ------------------------------------------------------------------------------

_Segment = str | re.Pattern[str] | None  # literal (lower case), mixed pattern, placeholder


def _segments(template: str) -> tuple[list[_Segment], list[str]]:
    """Matchers per path segment, and the placeholder names in order."""
    matchers: list[_Segment] = []
    names: list[str] = []
    for segment in (s for s in template.split("/") if s):
        inner = re.findall(r"\{(\w*)\}", segment)
        if not inner:
            matchers.append(segment.lower())
        elif segment == "{" + inner[0] + "}":
            matchers.append(None)
            names.append(inner[0])
        else:
            body = re.sub(r"\\\{\w*\\\}", "([^/]+?)", re.escape(segment))
            matchers.append(re.compile(f"^{body}$", re.IGNORECASE))
            names.extend(inner)
    return matchers, names


class Router:
    """Finds the route of a request by segment count and first segment, then segment by segment."""

    def __init__(self, routes: tuple[Route, ...]) -> None:
        self._index: dict[tuple[int, str], list[tuple[Route, list[_Segment], list[str]]]] = {}
        for route in routes:
            matchers, names = _segments(route.template)
            first = matchers[0] if matchers and isinstance(matchers[0], str) else "*"
            self._index.setdefault((len(matchers), first), []).append((route, matchers, names))

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, Any], bool]:
        """(route, path parameters by role, path known for another method)."""
        parts = [p for p in path.split("/") if p]
        if not parts:
            return None, {}, False
        known = False
        candidates = [
            *self._index.get((len(parts), parts[0].lower()), []),
            *self._index.get((len(parts), "*"), []),
        ]
        for route, matchers, names in candidates:
            values = _match_segments(matchers, parts)
            if values is None:
                continue
            params = _typed(route, names, values)
            if params is None:
                continue
            if route.method != method:
                known = True
                continue
            return route, params, True
        return None, {}, known


def _match_segments(matchers: list[_Segment], parts: list[str]) -> list[str] | None:
    values: list[str] = []
    for matcher, part in zip(matchers, parts, strict=True):
        if matcher is None:
            values.append(part)
        elif isinstance(matcher, str):
            if matcher != part.lower():
                return None
        else:
            found = matcher.match(part)
            if found is None:
                return None
            values.extend(found.groups())
    return values


def _typed(route: Route, names: list[str], values: list[str]) -> dict[str, Any] | None:
    """Path values by role; ``None`` when an integer placeholder is not an integer."""
    roles = dict(route.roles)
    params: dict[str, Any] = {}
    for name, value in zip(names, values, strict=False):
        typed: Any = value
        if name in route.int_params:
            if not re.fullmatch(r"-?\d+", value):
                return None
            digits = value.lstrip("-")
            typed = int(value) if len(digits) <= MAX_ID_DIGITS else 0
        params[roles.get(name, name)] = typed
    return params
