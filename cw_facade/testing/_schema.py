"""A small validator for the OpenAPI subset the description uses, plus schema look-ups.

Supported keywords: ``type``, ``properties``, ``additionalProperties``, ``items``, ``$ref``,
``allOf``, ``nullable`` and ``enum``. The simulator validates request bodies with it (loosely:
unknown keys are dropped before) and the contract tests validate every response (strictly:
a key the schema does not list is an error unless the schema allows additional properties).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from cw_facade.testing._spec import SCHEMA_PREFIX, schemas

_MAX_LENGTH = re.compile(r"Max length:\s*(\d+);")
_TYPE_CHECKS: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` and a single-entry ``allOf`` to the schema they stand for."""
    while True:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            schema = schemas()[ref[len(SCHEMA_PREFIX) :]]
            continue
        parts = schema.get("allOf")
        if isinstance(parts, list) and len(parts) == 1:
            schema = parts[0]
            continue
        return schema


def ref_name(schema: dict[str, Any]) -> str | None:
    """The component name a property schema points at (through ``allOf``), if any."""
    for part in [schema, *schema.get("allOf", [])]:
        ref = part.get("$ref")
        if isinstance(ref, str):
            return ref[len(SCHEMA_PREFIX) :]
    return None


def properties(name: str) -> dict[str, Any]:
    """The ``properties`` of component schema ``name``."""
    found: dict[str, Any] = schemas()[name].get("properties", {})
    return found


@functools.cache
def max_lengths(name: str) -> dict[str, int]:
    """Property → maximum length, parsed from ``Max length: N;`` in descriptions."""
    limits: dict[str, int] = {}
    for prop, schema in properties(name).items():
        found = _MAX_LENGTH.search(schema.get("description") or "")
        if found:
            limits[prop] = int(found.group(1))
    return limits


def validate(instance: Any, schema: dict[str, Any], *, strict: bool = False) -> list[str]:
    """Return the problems of ``instance`` against ``schema`` (empty when it validates)."""
    problems: list[str] = []
    _check(instance, schema, "", strict, problems)
    return problems


def _check(value: Any, schema: dict[str, Any], where: str, strict: bool, out: list[str]) -> None:
    for part in schema.get("allOf", []):
        if value is not None or not schema.get("nullable"):
            _check(value, part, where, strict, out)
    if "$ref" in schema:
        _check(value, resolve(schema), where, strict, out)
        return
    if value is None:
        if not schema.get("nullable") and "type" in schema:
            out.append(f"{where or '/'}: null is not allowed")
        return
    kind = schema.get("type")
    if kind is not None and not _TYPE_CHECKS[kind](value):
        out.append(f"{where or '/'}: expected {kind}, got {type(value).__name__}")
        return
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where or '/'}: {value!r} is not one of the listed values")
    if isinstance(value, dict):
        _check_object(value, schema, where, strict, out)
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            _check(item, schema["items"], f"{where}/{index}", strict, out)


def _check_object(
    value: dict[str, Any], schema: dict[str, Any], where: str, strict: bool, out: list[str]
) -> None:
    props: dict[str, Any] = schema.get("properties", {})
    for key, item in value.items():
        if key in props:
            _check(item, props[key], f"{where}/{key}", strict, out)
        elif strict and "additionalProperties" not in schema and props:
            out.append(f"{where}/{key}: not a listed property")
