#!/usr/bin/env python3
"""Import ConnectWise's published OpenAPI document into ``openapi/connectwise-manage.json``.

ConnectWise publishes one huge document (often "All.json", every module) whose quirks make
openapi-python-client drop models with only a warning. This script selects the modules we
support and applies a fixed list of normalisation rules, each a small named function that takes
and returns the document (tested one by one in ``tests/unit/test_import_spec.py``):

``select_paths``                keep ``/service/*``, ``/company/*``, ``/system/callbacks*``,
                                ``/system/info``; drop every other path.
``fix_path_parameters``         a ``path`` parameter with no placeholder in its path becomes an
                                optional query parameter (ConnectWise ships such errors).
``drop_client_id_header``       the ``clientId`` header parameter goes: the client sends it once.
``drop_parameter_defaults``     no default on ``page``/``pageSize``/...: nothing sent implicitly.
``share_info_schema``           every inline ``_info`` object becomes ``#/.../RecordInfo``.
``rename_dotted_schemas``       ``Company.Configuration`` → ``CompanyConfiguration``; refs follow.
``loosen_free_form_objects``    ``{"type": "object"}`` with no properties is any JSON value
                                (custom field ``value`` is a string, number, boolean or null).
``name_inline_enums``           inline enums become named schemas (``TicketSeverity``) so a
                                nullable reference to them accepts a real ``null``.
``add_error_schema``            ConnectWise's error body as ``ErrorResponse``/``ErrorDetail``.
``prune_schemas``               drop every schema that no kept path reaches.
``tolerate_responses``          schemas reached from responses: no ``required`` list, every
                                property nullable (partial ``fields=`` responses, real nulls).

Enums stay open through the generator templates in ``openapi/templates`` (an unknown value
parses and round-trips), not here. Errors: the ``ErrorResponse`` schema is added as a component
but not attached to operations; mapping statuses to exceptions is the facade's job.

A document that cannot be imported (no kept path, a dangling ``$ref``, a schema-name collision)
fails loudly with exit status 1; the generator runs with ``--fail-on-warning`` so any quirk the
rules do not know stops ``scripts/regenerate.py`` as well.

Usage: ``scripts/import_spec.py INPUT [--output openapi/connectwise-manage.json]``
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "openapi" / "connectwise-manage.json"
LOCK_FILE = ROOT / "openapi" / "SOURCE.lock"

SCHEMA_PREFIX = "#/components/schemas/"
INFO_SCHEMA = "RecordInfo"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
KEPT_PREFIXES = ("/service/", "/company/", "/system/callbacks")
KEPT_EXACT = ("/system/info",)

Document = dict[str, Any]
Rule = Callable[[Document], Document]


class ImportError_(Exception):
    """The input document cannot be imported; the message says why."""


# -- helpers ---------------------------------------------------------------------------------


def _schemas(doc: Document) -> dict[str, Any]:
    schemas: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
    return schemas


def _operations(doc: Document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict below ``node``, depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield current
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _refs(node: Any) -> set[str]:
    return {
        d["$ref"][len(SCHEMA_PREFIX) :]
        for d in _walk(node)
        if isinstance(d.get("$ref"), str) and d["$ref"].startswith(SCHEMA_PREFIX)
    }


def _reachable(doc: Document, roots: set[str]) -> set[str]:
    schemas = _schemas(doc)
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in schemas:
            raise ImportError_(f"dangling reference to schema {name!r}")
        seen.add(name)
        todo.extend(_refs(schemas[name]) - seen)
    return seen


def _valid_class_name(name: str) -> str:
    parts = re.split(r"[^0-9A-Za-z]+", name)
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


# -- rules -----------------------------------------------------------------------------------


def select_paths(doc: Document) -> Document:
    """Keep the Service and Company modules, callbacks and system info; drop every other path."""
    kept = {
        path: item
        for path, item in doc.get("paths", {}).items()
        if path.startswith(KEPT_PREFIXES) or path in KEPT_EXACT
    }
    if not kept:
        raise ImportError_("no Service, Company or /system/callbacks path in the document")
    doc["paths"] = kept
    return doc


def fix_path_parameters(doc: Document) -> Document:
    """Turn ``in: path`` parameters whose name is not a placeholder into optional query ones."""
    for path, item in doc.get("paths", {}).items():
        placeholders = set(re.findall(r"{([^}]+)}", path))
        for holder in [item, *(item[m] for m in HTTP_METHODS if m in item)]:
            for param in holder.get("parameters", []):
                if param.get("in") == "path" and param.get("name") not in placeholders:
                    param["in"] = "query"
                    param["required"] = False
    return doc


def drop_client_id_header(doc: Document) -> Document:
    """Remove the ``clientId`` header parameter: the client sets it once for every call."""
    for _path, item in doc.get("paths", {}).items():
        for holder in [item, *(item[m] for m in HTTP_METHODS if m in item)]:
            if "parameters" in holder:
                holder["parameters"] = [
                    p
                    for p in holder["parameters"]
                    if not (
                        p.get("in") == "header" and str(p.get("name", "")).lower() == "clientid"
                    )
                ]
    return doc


def drop_parameter_defaults(doc: Document) -> Document:
    """Remove ``default`` from parameters so nothing (e.g. ``pageSize``) is sent implicitly."""
    for _path, _method, op in _operations(doc):
        for param in op.get("parameters", []):
            param.get("schema", {}).pop("default", None)
    return doc


def _is_inline_info(node: Any) -> bool:
    return isinstance(node, dict) and "$ref" not in node and node.get("type") == "object"


def share_info_schema(doc: Document) -> Document:
    """Replace every inline ``_info`` object by one shared ``RecordInfo`` schema.

    Left inline, the generator names each one ``<Model>Info``; ``Ticket._info`` then collides
    with ConnectWise's real ``TicketInfo`` schema and the generator silently drops ``Ticket``.
    """
    schemas = _schemas(doc)
    if INFO_SCHEMA in schemas:
        raise ImportError_(f"the document already has a schema named {INFO_SCHEMA!r}")
    replaced = 0
    for node in _walk(doc):
        props = node.get("properties")
        if isinstance(props, dict) and _is_inline_info(props.get("_info")):
            props["_info"] = {"$ref": SCHEMA_PREFIX + INFO_SCHEMA}
            replaced += 1
    if replaced:
        text = {"type": "string", "nullable": True}
        schemas[INFO_SCHEMA] = {
            "type": "object",
            "description": "Record metadata ConnectWise adds to every object (_info): "
            "timestamps, who changed it, hrefs to related records.",
            "properties": {
                "lastUpdated": text,
                "dateEntered": text,
                "updatedBy": text,
                "enteredBy": text,
            },
            "additionalProperties": {},
        }
    return doc


def rename_dotted_schemas(doc: Document) -> Document:
    """Give schemas such as ``Company.Configuration`` valid class names and rewrite refs."""
    schemas = _schemas(doc)
    renames = {n: _valid_class_name(n) for n in schemas if not n.isidentifier()}
    for old, new in renames.items():
        if new in schemas or list(renames.values()).count(new) > 1:
            raise ImportError_(f"renaming schema {old!r} to {new!r} collides with another schema")
    if not renames:
        return doc
    doc["components"]["schemas"] = {renames.get(n, n): s for n, s in schemas.items()}
    for node in _walk(doc):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
            name = ref[len(SCHEMA_PREFIX) :]
            if name in renames:
                node["$ref"] = SCHEMA_PREFIX + renames[name]
    return doc


def loosen_free_form_objects(doc: Document) -> Document:
    """``{"type": "object"}`` with no declared shape accepts any JSON value."""
    for node in _walk(_schemas(doc)):
        props = node.get("properties")
        if not isinstance(props, dict):
            continue
        for name, prop in props.items():
            if (
                isinstance(prop, dict)
                and prop.get("type") == "object"
                and not prop.get("properties")
                and "additionalProperties" not in prop
                and "$ref" not in prop
            ):
                props[name] = {k: v for k, v in prop.items() if k == "description"}
    return doc


def name_inline_enums(doc: Document) -> Document:
    """Give each inline property enum a named schema: ``Ticket.severity`` → ``TicketSeverity``.

    The generator ignores ``nullable`` on an inline enum (a real ``null`` then fails to parse);
    as a named schema it can be referenced through a nullable ``allOf`` like any model.
    """
    schemas = _schemas(doc)
    for owner in list(schemas):
        for prop_name, prop in schemas[owner].get("properties", {}).items():
            if not (isinstance(prop, dict) and "enum" in prop and "$ref" not in prop):
                continue
            name = _valid_class_name(f"{owner}_{prop_name[:1].upper()}{prop_name[1:]}")
            if name in schemas:
                raise ImportError_(f"enum schema name {name!r} collides with another schema")
            values = [v for v in prop["enum"] if v is not None]
            enum = {k: v for k, v in prop.items() if k not in ("nullable", "description")}
            schemas[name] = enum | {"enum": values}
            schemas[owner]["properties"][prop_name] = {"$ref": SCHEMA_PREFIX + name} | (
                {"description": prop["description"]} if "description" in prop else {}
            )
    return doc


def add_error_schema(doc: Document) -> Document:
    """Add ConnectWise's error body (``code``, ``message``, ``errors[]``) as components."""
    schemas = _schemas(doc)
    for name in ("ErrorResponse", "ErrorDetail"):
        if name in schemas:
            raise ImportError_(f"the document already has a schema named {name!r}")
    text = {"type": "string", "nullable": True}
    schemas["ErrorDetail"] = {
        "type": "object",
        "description": "One problem in a ConnectWise error response.",
        "properties": {"code": text, "message": text, "resource": text, "field": text},
    }
    schemas["ErrorResponse"] = {
        "type": "object",
        "description": "The body ConnectWise sends with 4XX/5XX statuses.",
        "properties": {
            "code": text,
            "message": text,
            "errors": {
                "type": "array",
                "nullable": True,
                "items": {"$ref": SCHEMA_PREFIX + "ErrorDetail"},
            },
        },
    }
    return doc


def prune_schemas(doc: Document) -> Document:
    """Drop every schema that no kept path reaches (the error schemas stay)."""
    roots = _refs(doc.get("paths", {})) | {"ErrorResponse"} & set(_schemas(doc))
    keep = _reachable(doc, roots)
    doc["components"]["schemas"] = {n: s for n, s in _schemas(doc).items() if n in keep}
    return doc


def _response_roots(doc: Document) -> set[str]:
    roots: set[str] = set()
    for _path, _method, op in _operations(doc):
        roots |= _refs(op.get("responses", {}))
    return roots


def _nullable(prop: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        described = {"description": prop["description"]} if "description" in prop else {}
        return {"allOf": [{"$ref": prop["$ref"]}], "nullable": True} | described
    if prop and "nullable" not in prop:
        return {**prop, "nullable": True}
    return prop


def tolerate_responses(doc: Document) -> Document:
    """Schemas reached from responses require nothing and accept ``null`` everywhere.

    Real servers omit "required" keys under ``fields=`` and send ``null`` where the document
    does not say nullable. Request-side validation of required fields is the facade's job.
    """
    schemas = _schemas(doc)
    for name in _reachable(doc, _response_roots(doc)):
        schema = schemas[name]
        schema.pop("required", None)
        props = schema.get("properties", {})
        for key, prop in list(props.items()):
            props[key] = _nullable(prop)
    return doc


RULES: tuple[Rule, ...] = (
    select_paths,
    fix_path_parameters,
    drop_client_id_header,
    drop_parameter_defaults,
    share_info_schema,
    rename_dotted_schemas,
    loosen_free_form_objects,
    name_inline_enums,
    add_error_schema,
    prune_schemas,
    tolerate_responses,
)


def normalise(source: Document) -> Document:
    """Apply every rule, in order, to a copy of ``source``."""
    doc = copy.deepcopy(source)
    for rule in RULES:
        doc = rule(doc)
    return doc


def dump(doc: Document) -> str:
    """The canonical text of a document: sorted keys, two-space indent, final newline."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tool_versions() -> dict[str, str]:
    """Versions of the pinned generator and ruff, as installed."""
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str] = {}
    for dist in ("openapi-python-client", "ruff"):
        try:
            found[dist] = version(dist)
        except PackageNotFoundError:
            found[dist] = "not installed"
    return found


def write_lock(input_path: Path, raw: bytes, doc: Document, output_text: str) -> None:
    """Record provenance: input name, API version, both hashes, tool versions."""
    lock = {
        "input": input_path.name,
        "input_sha256": _sha256(raw),
        "api_version": doc.get("info", {}).get("version", "unknown"),
        "output": "connectwise-manage.json",
        "output_sha256": _sha256(output_text.encode()),
        "tools": tool_versions(),
        "paths": len(doc.get("paths", {})),
        "operations": sum(1 for _ in _operations(doc)),
        "schemas": len(_schemas(doc)),
    }
    LOCK_FILE.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("input", type=Path, help="ConnectWise's OpenAPI document (JSON)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    raw = args.input.read_bytes()
    try:
        doc = normalise(json.loads(raw))
    except (ImportError_, json.JSONDecodeError) as exc:
        print(f"import_spec: {args.input}: {exc}", file=sys.stderr)
        return 1
    text = dump(doc)
    args.output.write_text(text)
    if args.output.resolve() == DEFAULT_OUTPUT:
        write_lock(args.input, raw, doc, text)
    ops = sum(1 for _ in _operations(doc))
    print(f"wrote {args.output}: {len(doc['paths'])} paths, {ops} operations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
