#!/usr/bin/env python3
"""Import ConnectWise's published OpenAPI document into ``openapi/connectwise-manage.json``.

ConnectWise publishes one huge document (often "All.json", every module) whose quirks make
openapi-python-client drop models or produce wrong or unguessable code. The document the
description comes from is kept in the repository (``openapi/upstream/``, recorded in
``openapi/SOURCE.lock``). This script selects the paths ``openapi/selection.txt`` names and
applies a fixed list of normalisation rules, each a small named function that takes and returns
the document (tested one by one in ``tests/scripts/test_import_spec.py``):

``unglue_placeholders``         ``types{id}/copy`` → ``types/{id}/copy``; ``{id}{id}`` → ``{id}``.
``merge_path_variants``         ``/forecast/`` and ``/forecast``, ``/AllowedFileTypes`` and
                                ``/allowedfiletypes``: one path each (most used spelling wins).
``select_paths``                keep the paths the selection names; drop every other path.
``fix_path_parameters``         a ``path`` parameter with no placeholder in its path becomes an
                                optional query parameter (ConnectWise ships such errors).
``drop_client_id_header``       the ``clientId`` header parameter goes: the client sends it once.
``drop_parameter_defaults``     no default on ``page``/``pageSize``/...: nothing sent implicitly.
``fix_count_responses``         a ``GET …/count`` declared to return a record answers ``Count``.
``guessable_names``             acronym plurals in tags and operationIds (``SLAs``, ``KPIs``)
                                become words (``Slas``): ``api/slas/``, ``get_service_slas``.
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

A document that cannot be imported (a selection pattern matching nothing, a dangling ``$ref``,
a schema-name or generated-name collision, two spellings of a path both defining one method)
fails loudly with exit status 1; the generator runs with ``--fail-on-warning`` so any quirk the
rules do not know stops ``scripts/regenerate.py`` as well.

Usage::

    scripts/import_spec.py [INPUT] [--select PATTERN ...] [--output PATH]
    scripts/import_spec.py --check

Without ``INPUT`` the upstream document recorded in ``SOURCE.lock`` is imported again. An
``INPUT`` outside ``openapi/upstream/`` is copied there byte for byte first (and a previous
upstream document removed), so the repository always holds the document it was imported from.
``--check`` re-runs the recorded import in memory and exits 1, listing the differences, when
``openapi/connectwise-manage.json`` or ``SOURCE.lock`` do not match it.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import hashlib
import json
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _import_common import (
    COUNT_SCHEMA,
    HTTP_METHODS,
    INFO_SCHEMA,
    SCHEMA_PREFIX,
    Document,
    ImportError_,
    Rule,
    _operations,
    _reachable,
    _refs,
    _schemas,
    _valid_class_name,
    _walk,
)
from _import_paths import (
    ACRONYM_PLURAL,
    fix_count_responses,
    generator_snake_case,
    guessable_name,
    guessable_names,
    merge_path_variants,
    parse_selection,
    path_renames,
    selected,
    unglue_placeholders,
)

ROOT = Path(__file__).resolve().parent.parent
OPENAPI = ROOT / "openapi"
DEFAULT_OUTPUT = OPENAPI / "connectwise-manage.json"
LOCK_FILE = OPENAPI / "SOURCE.lock"
SELECTION_FILE = OPENAPI / "selection.txt"
UPSTREAM_DIR = OPENAPI / "upstream"

# Names the rules share or that live in the helper modules, re-exported so one import reaches
# every rule (the tests and the docstring above use this module only).
__all__ = [
    "ACRONYM_PLURAL",
    "COUNT_SCHEMA",
    "HTTP_METHODS",
    "INFO_SCHEMA",
    "SCHEMA_PREFIX",
    "Document",
    "ImportError_",
    "Rule",
    "fix_count_responses",
    "generator_snake_case",
    "guessable_name",
    "guessable_names",
    "merge_path_variants",
    "parse_selection",
    "path_renames",
    "selected",
    "unglue_placeholders",
]


def default_selection() -> list[str]:
    """The patterns of the checked-in ``openapi/selection.txt``."""
    return parse_selection(SELECTION_FILE.read_text())


# -- rules -----------------------------------------------------------------------------------


def select_paths(doc: Document, patterns: Sequence[str] | None = None) -> Document:
    """Keep the paths the selection names (``openapi/selection.txt`` unless ``patterns``)."""
    patterns = default_selection() if patterns is None else patterns
    paths = doc.get("paths", {})
    keep = selected(paths, patterns)
    doc["paths"] = {path: item for path, item in paths.items() if path in keep}
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
    unglue_placeholders,
    merge_path_variants,
    select_paths,
    fix_path_parameters,
    drop_client_id_header,
    drop_parameter_defaults,
    fix_count_responses,
    guessable_names,
    share_info_schema,
    rename_dotted_schemas,
    loosen_free_form_objects,
    name_inline_enums,
    add_error_schema,
    prune_schemas,
    tolerate_responses,
)


def normalise(source: Document, patterns: Sequence[str] | None = None) -> Document:
    """Apply every rule, in order, to a copy of ``source``.

    ``patterns`` is the selection (``openapi/selection.txt`` when ``None``).
    """
    doc = copy.deepcopy(source)
    for rule in RULES:
        doc = select_paths(doc, patterns) if rule is select_paths else rule(doc)
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


def _counts(doc: Document) -> dict[str, int]:
    return {
        "paths": len(doc.get("paths", {})),
        "operations": sum(1 for _ in _operations(doc)),
        "schemas": len(doc.get("components", {}).get("schemas", {})),
    }


def _rel(path: Path) -> str:
    """``path`` relative to the repository root (as given when it lies outside)."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def lock_text(
    input_path: Path, raw: bytes, source: Document, extra: Sequence[str], output_text: str
) -> str:
    """The ``SOURCE.lock`` for an import: input, selection, output, tool versions, counts."""
    doc = json.loads(output_text)
    lock = {
        "input": _rel(input_path),
        "input_sha256": _sha256(raw),
        "input_bytes": len(raw),
        "input_counts": _counts(source),
        "api_version": source.get("info", {}).get("version", "unknown"),
        "selection": _rel(SELECTION_FILE),
        "selection_sha256": _sha256(SELECTION_FILE.read_bytes()),
        "select": list(extra),
        "output": _rel(DEFAULT_OUTPUT),
        "output_sha256": _sha256(output_text.encode()),
        "tools": tool_versions(),
        **_counts(doc),
    }
    return json.dumps(lock, indent=2, sort_keys=True) + "\n"


def run_import(
    input_path: Path, extra: Sequence[str], record_as: Path | None = None
) -> tuple[str, str]:
    """Import ``input_path`` with the selection file plus ``extra``: (description, lock) text.

    The lock names ``record_as`` (where the input will be kept) when given.
    """
    raw = input_path.read_bytes()
    source = json.loads(raw)
    text = dump(normalise(source, [*default_selection(), *extra]))
    return text, lock_text(record_as or input_path, raw, source, extra, text)


def read_lock() -> dict[str, Any]:
    """The recorded ``SOURCE.lock``; raises ``ImportError_`` when it is missing or unreadable."""
    try:
        lock: dict[str, Any] = json.loads(LOCK_FILE.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ImportError_(f"cannot read {LOCK_FILE}: {exc}") from exc
    return lock


def _kept_path(input_path: Path) -> Path:
    """Where the repository keeps ``input_path``: ``openapi/upstream/<its name>``."""
    return UPSTREAM_DIR.resolve() / input_path.name


def _keep_in_repo(input_path: Path) -> None:
    """Copy an input from outside ``openapi/upstream/`` there; remove superseded documents."""
    kept = _kept_path(input_path)
    if input_path.resolve() == kept:
        return
    UPSTREAM_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(input_path, kept)
    for old in sorted(UPSTREAM_DIR.glob("*.json")):
        if old != kept:
            old.unlink()
            print(f"removed superseded {_rel(old)} (git history keeps it)")
    print(f"copied {input_path} to {_rel(kept)}")


def check() -> list[str]:
    """Differences between the checked-in files and a fresh import of the recorded input."""
    lock = read_lock()
    input_path = ROOT / str(lock.get("input", ""))
    if not input_path.is_file():
        return [f"the upstream document {lock.get('input')!r} named in SOURCE.lock is missing"]
    text, new_lock = run_import(input_path, list(lock.get("select", [])))
    report: list[str] = []
    have = DEFAULT_OUTPUT.read_text() if DEFAULT_OUTPUT.is_file() else ""
    if have != text:
        diff = list(
            difflib.unified_diff(
                have.splitlines(), text.splitlines(), _rel(DEFAULT_OUTPUT), "re-imported", n=1
            )
        )
        report.append(f"{_rel(DEFAULT_OUTPUT)} differs from the import ({len(diff)} diff lines):")
        report += ["    " + line.rstrip("\n") for line in diff[:40]]
    old, new = lock, json.loads(new_lock)
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            report.append(
                f"SOURCE.lock {key}: recorded {old.get(key)!r}, import gives {new.get(key)!r}"
            )
    return report


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "input", type=Path, nargs="?", help="ConnectWise's document (default: SOURCE.lock's input)"
    )
    parser.add_argument(
        "--select",
        action="append",
        default=None,
        metavar="PATTERN",
        help="keep these paths as well (repeatable; same syntax as openapi/selection.txt)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--check", action="store_true", help="fail if the description or SOURCE.lock is stale"
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            report = check()
            if report:
                print("import_spec: openapi/ is stale; run `make import-spec`:", file=sys.stderr)
                print("\n".join(report), file=sys.stderr)
                return 1
            print(f"{_rel(DEFAULT_OUTPUT)} and SOURCE.lock match the recorded import")
            return 0
        lock = read_lock() if args.input is None or LOCK_FILE.is_file() else {}
        input_path = args.input or ROOT / str(lock.get("input", ""))
        extra = args.select if args.select is not None else list(lock.get("select", []))
        default_output = args.output.resolve() == DEFAULT_OUTPUT
        record_as = _kept_path(input_path) if default_output else None
        text, lock_out = run_import(input_path, extra, record_as)
        if default_output:
            _keep_in_repo(input_path)
    except (ImportError_, json.JSONDecodeError, OSError) as exc:
        print(f"import_spec: {exc}", file=sys.stderr)
        return 1
    args.output.write_text(text)
    if default_output:
        LOCK_FILE.write_text(lock_out)
    counts = _counts(json.loads(text))
    print(f"wrote {args.output}: {counts['paths']} paths, {counts['operations']} operations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
