"""A small validator for the OpenAPI subset ConnectWise's descriptions use.

Supported keywords: ``type``, ``properties``, ``additionalProperties``, ``items``, ``$ref``,
``allOf``, ``nullable`` and ``enum``; a bare ``{"type": "object"}`` accepts any JSON value, as
ConnectWise's servers do for custom field values. The simulator validates request bodies with
it (loosely: unknown keys are dropped before) and the contract tests validate every response
(strictly: a key the schema does not list is an error unless the schema allows additional
properties).

Schema look-ups (``resolve``, ``properties``, ``max_lengths``) live on
:class:`~._spec.Description`; the module functions here use the bundled description unless a
``spec`` is given.
"""

from __future__ import annotations

from typing import Any

from cw_facade.testing._spec import Description, default_description, ref_name

__all__ = ["max_lengths", "properties", "ref_name", "resolve", "validate"]

MAX_DEPTH = 64
_TYPE_CHECKS: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def resolve(schema: dict[str, Any], spec: Description | None = None) -> dict[str, Any]:
    """Follow ``$ref`` and a single-entry ``allOf`` to the schema they stand for."""
    return (spec or default_description()).resolve(schema)


def properties(name: str, spec: Description | None = None) -> dict[str, Any]:
    """The ``properties`` of component schema ``name``."""
    return (spec or default_description()).properties(name)


def max_lengths(name: str, spec: Description | None = None) -> dict[str, int]:
    """Property → maximum length (``maxLength`` or ``Max length: N;`` in descriptions)."""
    return (spec or default_description()).max_lengths(name)


def validate(
    instance: Any, schema: dict[str, Any], *, strict: bool = False, spec: Description | None = None
) -> list[str]:
    """Return the problems of ``instance`` against ``schema`` (empty when it validates)."""
    problems: list[str] = []
    _Checker(spec or default_description(), strict, problems).check(instance, schema, "", 0)
    return problems


class _Checker:
    def __init__(self, spec: Description, strict: bool, out: list[str]) -> None:
        self.spec, self.strict, self.out = spec, strict, out

    def check(self, value: Any, schema: dict[str, Any], where: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            self.out.append(f"{where or '/'}: nested too deeply")
            return
        for part in schema.get("allOf", []):
            if value is not None or not schema.get("nullable"):
                self.check(value, part, where, depth + 1)
        if "$ref" in schema:
            self.check(value, self.spec.resolve(schema), where, depth + 1)
            return
        if value is None:
            if not schema.get("nullable") and "type" in schema:
                self.out.append(f"{where or '/'}: null is not allowed")
            return
        kind = schema.get("type")
        if (
            kind == "object"
            and not schema.get("properties")
            and "additionalProperties" not in schema
        ):
            return  # free-form (ConnectWise's custom field ``value``): any JSON value
        if kind in _TYPE_CHECKS and not _TYPE_CHECKS[kind](value):
            self.out.append(f"{where or '/'}: expected {kind}, got {type(value).__name__}")
            return
        if "enum" in schema and value not in schema["enum"]:
            self.out.append(f"{where or '/'}: {value!r} is not one of the listed values")
        if isinstance(value, dict):
            self._object(value, schema, where, depth)
        elif isinstance(value, list) and isinstance(schema.get("items"), dict):
            for index, item in enumerate(value):
                self.check(item, schema["items"], f"{where}/{index}", depth + 1)

    def _object(
        self, value: dict[str, Any], schema: dict[str, Any], where: str, depth: int
    ) -> None:
        props: dict[str, Any] = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in props:
                self.check(item, props[key], f"{where}/{key}", depth + 1)
            elif isinstance(extra, dict):
                self.check(item, extra, f"{where}/{key}", depth + 1)
            elif self.strict and extra is None and props:
                self.out.append(f"{where}/{key}: not a listed property")
