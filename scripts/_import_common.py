"""What every import rule shares: the document type, the error, walking a document.

Part of ``scripts/import_spec.py`` (which re-exports these names); not a script of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

SCHEMA_PREFIX = "#/components/schemas/"
INFO_SCHEMA = "RecordInfo"
COUNT_SCHEMA = "Count"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

Document = dict[str, Any]
Rule = Callable[[Document], Document]


class ImportError_(Exception):
    """The input document cannot be imported; the message says why."""


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
