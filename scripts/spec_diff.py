#!/usr/bin/env python3
"""What an API version bump changes: ``scripts/spec_diff.py OLD.json NEW.json``.

Compares two OpenAPI documents (ConnectWise's raw ones or our imported ones) and prints the
operations added and removed, the parameters each kept operation gained or lost, then per schema
the properties added, removed or retyped, and the enum values added or removed — both on inline
enums (``Ticket.severity``, as ConnectWise publishes them) and on named enum schemas
(``TicketSeverity``, as ``scripts/import_spec.py`` writes them). This is what a maintainer
reads before merging a bump (``openapi/README.md``). Exit status: 0 when nothing changed,
1 when something did, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
SCHEMA_PREFIX = "#/components/schemas/"


@dataclass
class SpecDiff:
    """The differences between two documents, each list sorted."""

    operations_added: list[str] = field(default_factory=list)
    operations_removed: list[str] = field(default_factory=list)
    parameters_added: dict[str, list[str]] = field(default_factory=dict)
    parameters_removed: dict[str, list[str]] = field(default_factory=dict)
    schemas_added: list[str] = field(default_factory=list)
    schemas_removed: list[str] = field(default_factory=list)
    properties_added: dict[str, list[str]] = field(default_factory=dict)
    properties_removed: dict[str, list[str]] = field(default_factory=dict)
    properties_retyped: dict[str, list[str]] = field(default_factory=dict)
    enum_values_added: dict[str, list[str]] = field(default_factory=dict)
    enum_values_removed: dict[str, list[str]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """True when the documents agree on everything compared."""
        return not any(vars(self).values())


def operations(doc: dict[str, Any]) -> set[str]:
    """``"GET /service/tickets"``-style names of every operation."""
    return {
        f"{method.upper()} {path}"
        for path, item in doc.get("paths", {}).items()
        for method in HTTP_METHODS
        if method in item
    }


def type_name(prop: dict[str, Any]) -> str:
    """A short, comparable description of a property's type (nullability ignored)."""
    if "$ref" in prop:
        return str(prop["$ref"]).removeprefix(SCHEMA_PREFIX)
    if "allOf" in prop and len(prop["allOf"]) == 1:
        return type_name(prop["allOf"][0])
    kind = str(prop.get("type", "any"))
    if kind == "array":
        return f"array[{type_name(prop.get('items', {}))}]"
    fmt = prop.get("format")
    return f"{kind}({fmt})" if fmt else kind


def parameters(op: dict[str, Any]) -> set[str]:
    """``"query conditions"``-style names of an operation's parameters."""
    return {f"{p.get('in')} {p.get('name')}" for p in op.get("parameters", []) if "name" in p}


def _enum_values(node: dict[str, Any]) -> set[str]:
    """The enum values of a schema or property: its own, its array items', inline ``allOf``'s."""
    values = {str(v) for v in node.get("enum", []) if v is not None}
    if isinstance(node.get("items"), dict):
        values |= _enum_values(node["items"])
    for part in node.get("allOf", []):
        if isinstance(part, dict) and "$ref" not in part:
            values |= _enum_values(part)
    return values


def _compare_enum(key: str, old: dict[str, Any], new: dict[str, Any], out: SpecDiff) -> None:
    old_enum, new_enum = _enum_values(old), _enum_values(new)
    if more := sorted(new_enum - old_enum):
        out.enum_values_added[key] = more
    if fewer := sorted(old_enum - new_enum):
        out.enum_values_removed[key] = fewer


def _compare_schema(name: str, old: dict[str, Any], new: dict[str, Any], out: SpecDiff) -> None:
    _compare_enum(name, old, new, out)
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    if added := sorted(set(new_props) - set(old_props)):
        out.properties_added[name] = added
    if removed := sorted(set(old_props) - set(new_props)):
        out.properties_removed[name] = removed
    for prop in sorted(set(old_props) & set(new_props)):
        before, after = type_name(old_props[prop]), type_name(new_props[prop])
        if before != after:
            out.properties_retyped.setdefault(name, []).append(f"{prop}: {before} -> {after}")
        _compare_enum(f"{name}.{prop}", old_props[prop], new_props[prop], out)


def diff(old: dict[str, Any], new: dict[str, Any]) -> SpecDiff:
    """Compare two documents."""
    out = SpecDiff()
    old_ops, new_ops = operations(old), operations(new)
    out.operations_added = sorted(new_ops - old_ops)
    out.operations_removed = sorted(old_ops - new_ops)
    for name in sorted(old_ops & new_ops):
        method, path = name.split(" ", 1)
        before = parameters(old["paths"][path][method.lower()])
        after = parameters(new["paths"][path][method.lower()])
        if added := sorted(after - before):
            out.parameters_added[name] = added
        if removed := sorted(before - after):
            out.parameters_removed[name] = removed
    old_s = old.get("components", {}).get("schemas", {})
    new_s = new.get("components", {}).get("schemas", {})
    out.schemas_added = sorted(set(new_s) - set(old_s))
    out.schemas_removed = sorted(set(old_s) - set(new_s))
    for name in sorted(set(old_s) & set(new_s)):
        _compare_schema(name, old_s[name], new_s[name], out)
    return out


def render(result: SpecDiff) -> str:
    """The report as plain text, one section per kind of change."""
    if result.is_empty():
        return "no differences in operations, schemas, properties or enum values\n"
    lines: list[str] = []
    for title, value in vars(result).items():
        if not value:
            continue
        lines.append(f"{title.replace('_', ' ')}:")
        if isinstance(value, dict):
            for key, items in value.items():
                lines.append(f"  {key}: {', '.join(items)}")
        else:
            lines.extend(f"  {item}" for item in value)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="Show what an API version bump changes.")
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args(argv)
    try:
        old, new = (json.loads(p.read_text()) for p in (args.old, args.new))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"spec_diff: {exc}", file=sys.stderr)
        return 2
    result = diff(old, new)
    sys.stdout.write(render(result))
    return 0 if result.is_empty() else 1


if __name__ == "__main__":
    sys.exit(main())
