"""The operation catalog: every operation of the bundled OpenAPI description, for tools.

The command line (``cw api``) and the MCP server list, find and call any operation of the
description through this module. It reads the same checked-in file the simulator serves
(``openapi/connectwise-manage.json`` in a checkout, ``cw_facade/_openapi/`` in a wheel) once,
on first use, and never imports the generated package::

    from cw_facade._catalog import catalog, build_call

    op = catalog().lookup("getServiceTicketsById")        # or "GET /service/tickets/{id}"
    call = build_call(op, {"id": 5, "fields": "id,summary"})
    call.method, call.path, call.query                    # 'GET', 'service/tickets/5', {...}

Every problem with the caller's input raises an :class:`~cw_facade.InvalidArgumentError`
(a ``ValueError`` naming the argument) before any request is made:
:class:`UnknownOperationError` for a name the description does not have (with close matches),
:class:`~cw_facade.MissingArgumentError` for a required parameter or body not given.
"""

from __future__ import annotations

import builtins
import difflib
import functools
import json
import keyword
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cw_facade._validation import InvalidArgumentError, MissingArgumentError

SPEC_FILENAME = "connectwise-manage.json"
_PACKAGE_DIR = Path(__file__).resolve().parent
#: Where the description is looked for, in order: a checkout, then a built wheel.
SPEC_CANDIDATES = (
    _PACKAGE_DIR.parent / "openapi" / SPEC_FILENAME,
    _PACKAGE_DIR / "_openapi" / SPEC_FILENAME,
)
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: The generated client's package.
GENERATED_PACKAGE = "cw_manage_client"
#: Most close matches an :class:`UnknownOperationError` suggests.
MAX_SUGGESTIONS = 5

_SCHEMA_REF = "#/components/schemas/"
_PARAMETER_REF = "#/components/parameters/"
_MISSING: Any = object()


class UnknownOperationError(InvalidArgumentError):
    """No operation of the description has this id or method and path.

    ``name`` is what was asked for and ``suggestions`` the closest operation ids.
    """

    def __init__(self, name: str, suggestions: list[str]) -> None:
        """Build the message from the unknown ``name`` and close ``suggestions``."""
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__("operation", f"no operation {name!r} in the description{hint}")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of an operation.

    ``location`` is ``"path"``, ``"query"`` or ``"header"``; ``type`` the schema type
    (``"integer"``, ``"string"``, ``"boolean"``, ``"number"``, ``"object"``, ``"array"``).
    """

    name: str
    location: str
    required: bool
    type: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class OperationInfo:
    """One operation of the description: what it is called, where it lives, what it takes."""

    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    tag: str
    parameters: tuple[Parameter, ...]
    has_body: bool
    body_required: bool
    module: str
    body_types: tuple[str, ...] = ()

    @property
    def has_json_body(self) -> bool:
        """Whether the body (if any) is JSON (``application/json`` or a ``+json`` type)."""
        return any(t == "application/json" or t.endswith("+json") for t in self.body_types)

    @property
    def is_read(self) -> bool:
        """``True`` for a GET (it changes nothing), ``False`` for a write."""
        return self.method == "GET"

    @property
    def key(self) -> str:
        """``"GET /service/tickets/{id}"``."""
        return f"{self.method} {self.path}"

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        """The parameters filled into the path, in path order."""
        order = {name: i for i, name in enumerate(_placeholders(self.path))}
        found = [p for p in self.parameters if p.location == "path" and p.name in order]
        return tuple(sorted(found, key=lambda p: order[p.name]))

    @property
    def query_parameters(self) -> tuple[Parameter, ...]:
        """The parameters sent in the query string."""
        return tuple(p for p in self.parameters if p.location == "query")

    def parameter(self, name: str) -> Parameter | None:
        """The parameter called ``name`` (case-insensitive), or ``None``."""
        wanted = name.casefold()
        return next((p for p in self.parameters if p.name.casefold() == wanted), None)


@dataclass(frozen=True, slots=True)
class Call:
    """A checked request for an operation: what to send, nothing sent yet.

    ``path`` is relative to the API root (``service/tickets/5``), path parameters filled in and
    percent-quoted; ``query`` maps wire names to text; ``body`` is ``None`` without a body.
    """

    operation: OperationInfo
    method: str
    path: str
    query: dict[str, str]
    body: Any


# -- generated names ----------------------------------------------------------------------

_DELIMITERS = ". _-"
_RESERVED = (set(dir(builtins)) | {"self", "true", "false", "datetime"}) - {"id"}


def _words(value: str) -> list[str]:
    kept = "".join(c for c in value if c.isidentifier() or c.isdecimal() or c in _DELIMITERS)
    if any(c.isupper() for c in kept):
        kept = " ".join(re.split("([A-Z]?[a-z]+)", kept))
    return re.findall(f"[^{re.escape(_DELIMITERS)}]+", kept)


def python_identifier(value: str, prefix: str) -> str:
    """``value`` as the snake_case identifier openapi-python-client makes of it.

    Words split at case changes and delimiters, joined by ``_`` and lower-cased; a Python
    keyword or builtin gets a trailing ``_``; anything still not an identifier, or starting
    with ``_``, gets ``prefix``. ``"getServiceTickets"`` → ``get_service_tickets``,
    ``"SLAs"`` → ``sl_as``.
    """
    name = "_".join(_words(value)).lower()
    if name in _RESERVED or keyword.iskeyword(name):
        name += "_"
    if not name.isidentifier() or value.lstrip().startswith("_"):
        name = prefix + name
    return name


def generated_module(tag: str, operation_id: str) -> str:
    """``cw_manage_client.api.<tag package>.<operation module>`` for an operation."""
    package = python_identifier(tag, "tag")
    return f"{GENERATED_PACKAGE}.api.{package}.{python_identifier(operation_id, 'field_')}"


# -- reading the description --------------------------------------------------------------


def spec_path() -> Path:
    """The bundled description's path; ``FileNotFoundError`` naming the places tried."""
    for candidate in SPEC_CANDIDATES:
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(c) for c in SPEC_CANDIDATES)
    raise FileNotFoundError(f"OpenAPI description {SPEC_FILENAME} not found (tried {tried})")


def _schema_type(schema: Mapping[str, Any], doc: Mapping[str, Any]) -> str:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_SCHEMA_REF):
        target = doc.get("components", {}).get("schemas", {}).get(ref[len(_SCHEMA_REF) :], {})
        return str(target.get("type", "object"))
    return str(schema.get("type", "string"))


def _parameter(node: Mapping[str, Any], doc: Mapping[str, Any]) -> Parameter:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(_PARAMETER_REF):
        node = doc["components"]["parameters"][ref[len(_PARAMETER_REF) :]]
    location = str(node["in"])
    return Parameter(
        name=str(node["name"]),
        location=location,
        required=bool(node.get("required")) or location == "path",
        type=_schema_type(node.get("schema", {}), doc),
        description=str(node.get("description") or ""),
    )


def _placeholders(path: str) -> list[str]:
    return re.findall(r"\{(\w+)\}", path)


def _operation(
    path: str, method: str, node: Mapping[str, Any], doc: Mapping[str, Any]
) -> OperationInfo:
    fallback = method.lower() + "_" + path.replace("{", "").replace("}", "").replace("/", "_")
    operation_id = str(node.get("operationId") or fallback.replace("__", "_").strip("_"))
    tags = node.get("tags") or ["default"]
    in_path = set(_placeholders(path))
    # A parameter declared "in: path" whose path has no placeholder cannot be sent: drop it.
    parameters = tuple(
        p
        for p in (_parameter(n, doc) for n in node.get("parameters", []))
        if p.location != "path" or p.name in in_path
    )
    body = node.get("requestBody")
    return OperationInfo(
        operation_id=operation_id,
        method=method,
        path=path,
        summary=str(node.get("summary") or ""),
        description=str(node.get("description") or ""),
        tag=str(tags[0]),
        parameters=parameters,
        has_body=body is not None,
        body_required=bool(body and body.get("required")),
        module=generated_module(str(tags[0]), operation_id),
        body_types=tuple((body or {}).get("content") or ()),
    )


def _template_pattern(template: str) -> re.Pattern[str]:
    body = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template.rstrip("/")))
    return re.compile(f"^{body}/?$", re.IGNORECASE)


class Catalog:
    """Every operation of one OpenAPI description, looked up by id or by method and path.

    Iterating gives the operations sorted by path, then method.
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        """Index the operations of ``document`` (a parsed OpenAPI 3 description).

        Raises ``KeyError``/``TypeError`` on a document without ``paths``.
        """
        found = [
            _operation(path, method, item[method.lower()], document)
            for path, item in document["paths"].items()
            for method in HTTP_METHODS
            if method.lower() in item
        ]
        found.sort(key=lambda op: (op.path.casefold(), HTTP_METHODS.index(op.method)))
        self._operations = tuple(found)
        self._by_id = {op.operation_id.casefold(): op for op in found}
        # Literal templates first so "/service/tickets/count" wins over "/service/tickets/{id}".
        by_literalness = sorted(found, key=lambda op: (op.path.count("{"), op.path))
        self._patterns = [(op, _template_pattern(op.path)) for op in by_literalness]
        self.version = str(document.get("info", {}).get("version", ""))

    def __iter__(self) -> Iterator[OperationInfo]:
        """The operations, sorted by path then method."""
        return iter(self._operations)

    def __len__(self) -> int:
        """How many operations the description has."""
        return len(self._operations)

    @property
    def operation_ids(self) -> list[str]:
        """Every operationId, sorted case-insensitively (for completion)."""
        return sorted((op.operation_id for op in self._operations), key=str.casefold)

    def find(self, name: str) -> tuple[OperationInfo, dict[str, str]] | None:
        """The operation ``name`` denotes and the path values it carries, or ``None``.

        ``name`` is an operationId (any case), ``"METHOD /template"``
        (``"GET /service/tickets/{id}"``) or ``"METHOD /concrete/path"``
        (``"GET /service/tickets/5"``, which also yields ``{"id": "5"}``).
        """
        text = name.strip()
        by_id = self._by_id.get(text.casefold())
        if by_id is not None:
            return by_id, {}
        method, _, path = text.partition(" ")
        method, path = method.upper(), "/" + path.strip().strip("/")
        if method not in HTTP_METHODS:
            return None
        for op, pattern in self._patterns:
            if op.method != method:
                continue
            if op.path.casefold() == path.casefold():
                return op, {}
            matched = pattern.match(path)
            if matched is not None and "{" not in path:
                return op, dict(matched.groupdict())
        return None

    def lookup(self, name: str) -> OperationInfo:
        """The operation ``name`` denotes (see :meth:`find`).

        Raises :class:`UnknownOperationError` with the closest ids when there is none.
        """
        found = self.find(name)
        if found is None:
            raise UnknownOperationError(name, self.suggest(name))
        return found[0]

    def suggest(self, name: str) -> list[str]:
        """Up to :data:`MAX_SUGGESTIONS` operation ids close to ``name``."""
        ids = {op.operation_id.casefold(): op.operation_id for op in self._operations}
        close = difflib.get_close_matches(name.casefold(), ids, n=MAX_SUGGESTIONS, cutoff=0.6)
        if not close:
            close = [op.operation_id.casefold() for op in self.search(name)[:MAX_SUGGESTIONS]]
        return [ids[c] for c in close]

    def search(self, words: str | list[str]) -> list[OperationInfo]:
        """Operations matching every word (case-insensitive), best first.

        A word matches when it occurs in the operationId, path, summary or tag; a hit in the
        id or path weighs more than one in the summary or tag. Ties go to shorter paths.
        """
        terms = (words.split() if isinstance(words, str) else list(words)) or []
        terms = [t.casefold() for t in terms if t.strip()]
        if not terms:
            return []
        scored = []
        for op in self._operations:
            score = _score(op, terms)
            if score:
                scored.append((-score, len(op.path), op.path, HTTP_METHODS.index(op.method), op))
        scored.sort(key=lambda entry: entry[:4])
        return [entry[4] for entry in scored]


def _score(op: OperationInfo, terms: list[str]) -> int:
    fields = (
        (op.operation_id.casefold(), 3),
        (op.path.casefold(), 3),
        (op.summary.casefold(), 2),
        (op.tag.casefold(), 1),
    )
    total = 0
    for term in terms:
        hit = sum(weight for text, weight in fields if term in text)
        if not hit:
            return 0
        total += hit
    return total


@functools.cache
def catalog() -> Catalog:
    """The catalog of the bundled description, read on first call and kept.

    Raises ``FileNotFoundError`` when the description is not bundled.
    """
    with spec_path().open(encoding="utf-8") as handle:
        return Catalog(json.load(handle))


# -- building a call ----------------------------------------------------------------------


def _coerce(param: Parameter, value: object) -> str:
    """``value`` as the text to send for ``param``; refuse what its type cannot be."""
    if value is None:
        raise InvalidArgumentError(param.name, "a value is required (got None)")
    text = _text(value)
    if param.type == "integer" and not re.fullmatch(r"-?\d+", text):
        raise InvalidArgumentError(param.name, f"must be an integer, got {text!r}")
    if param.type == "number":
        try:
            float(text)
        except ValueError:
            raise InvalidArgumentError(param.name, f"must be a number, got {text!r}") from None
    if param.type == "boolean" and text not in {"true", "false"}:
        raise InvalidArgumentError(param.name, f"must be true or false, got {text!r}")
    return text


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    text = str(value).strip()
    return text.lower() if text.lower() in {"true", "false"} else text


def build_call(op: OperationInfo, values: Mapping[str, object], body: Any = _MISSING) -> Call:
    """Check ``values`` and ``body`` against ``op`` and build the request to send.

    ``values`` maps parameter names (matched case-insensitively: ``pagesize`` finds
    ``pageSize``) to values; path parameters are filled into the path and percent-quoted,
    the rest go to the query. ``body`` is the JSON body (leave it out for none).

    Raises :class:`~cw_facade.InvalidArgumentError` for a parameter the operation does not
    have, a value its type refuses, a header parameter (sent by the client itself), a body it
    does not take or cannot take as JSON (a ``multipart/form-data`` upload), and
    :class:`~cw_facade.MissingArgumentError` for a required parameter or body left out.
    """
    given: dict[str, str] = {}
    for name, value in values.items():
        param = op.parameter(name)
        if param is None:
            known = ", ".join(p.name for p in op.parameters) or "none"
            raise InvalidArgumentError(
                name, f"{op.operation_id} has no parameter {name!r} (its parameters: {known})"
            )
        if param.location not in {"path", "query"}:
            raise InvalidArgumentError(name, f"{param.location} parameters are set by the client")
        if param.name in given:
            raise InvalidArgumentError(name, "given twice")
        given[param.name] = _coerce(param, value)
    for param in op.parameters:
        if param.required and param.name not in given:
            raise MissingArgumentError(
                param.name, f"{op.operation_id} needs the {param.location} parameter {param.name!r}"
            )
    if body is not _MISSING and not op.has_body:
        raise InvalidArgumentError("body", f"{op.operation_id} ({op.key}) takes no body")
    if body is not _MISSING and not op.has_json_body:
        kinds = ", ".join(op.body_types)
        raise InvalidArgumentError("body", f"{op.operation_id} takes a {kinds} body, not JSON")
    if body is _MISSING and op.body_required:
        raise MissingArgumentError("body", f"{op.operation_id} ({op.key}) needs a JSON body")
    path = op.path
    for param in op.path_parameters:
        path = path.replace("{" + param.name + "}", quote(given[param.name], safe=""))
    query = {p.name: given[p.name] for p in op.query_parameters if p.name in given}
    return Call(op, op.method, path.strip("/"), query, None if body is _MISSING else body)
