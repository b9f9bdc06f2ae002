"""Import rules for ConnectWise's paths and names, and the path selection.

Part of ``scripts/import_spec.py`` (which re-exports these names and lists every rule in
order); tested in ``tests/scripts/test_import_rules_paths.py``.
"""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from _import_common import (
    COUNT_SCHEMA,
    HTTP_METHODS,
    SCHEMA_PREFIX,
    Document,
    ImportError_,
    _operations,
    _schemas,
)


def generator_snake_case(value: str) -> str:
    """The module/function name openapi-python-client derives from a tag or operationId.

    The same algorithm as the generator's ``strings.snake_case`` (pinned version), kept here so
    the import can predict generated names without importing the generator.
    """
    value = "".join(c for c in value if c.isidentifier() or c.isdecimal() or c in ". _-")
    if any(c.isupper() for c in value):
        value = " ".join(re.split("([A-Z]?[a-z]+)", value))
    return "_".join(re.findall(r"[^. _\-]+", value)).lower()


def _move_path(paths: dict[str, Any], old: str, new: str) -> None:
    """Move ``paths[old]`` to ``paths[new]``, merging into an existing item without overlap."""
    item = paths.pop(old)
    target = paths.setdefault(new, {})
    for key, value in item.items():
        if key in target and target[key] != value:
            what = key.upper() if key in HTTP_METHODS else repr(key)
            raise ImportError_(f"{old!r} and {new!r} are one path but both define {what}")
        target[key] = value


# -- selection -------------------------------------------------------------------------------


def parse_selection(text: str) -> list[str]:
    """The patterns of a selection file: one a line, ``#`` comments and blank lines dropped."""
    patterns = []
    for line in text.splitlines():
        pattern = line.split("#", 1)[0].strip()
        if pattern:
            patterns.append(pattern)
    return patterns


def _matcher(pattern: str) -> Callable[[str], bool]:
    if pattern.startswith("re:"):
        try:
            regex = re.compile(pattern[3:])
        except re.error as exc:
            raise ImportError_(
                f"selection pattern {pattern!r} is not a valid regex: {exc}"
            ) from exc
        return lambda path: regex.fullmatch(path) is not None
    return lambda path: fnmatch.fnmatchcase(path, pattern)


def selected(paths: Iterable[str], patterns: Sequence[str]) -> set[str]:
    """The paths that some keeping pattern matches and no ``!`` pattern drops.

    Raises ``ImportError_`` when there is no keeping pattern or a pattern matches no path (a
    typo would otherwise silently select nothing).
    """
    paths = list(paths)
    keep = [p for p in patterns if not p.startswith("!")]
    drop = [p[1:] for p in patterns if p.startswith("!")]
    if not keep:
        raise ImportError_("the selection keeps nothing (no pattern without '!')")

    def hits(pattern: str) -> set[str]:
        match = _matcher(pattern)
        found = {path for path in paths if match(path)}
        if not found:
            raise ImportError_(f"selection pattern {pattern!r} matches no path of the document")
        return found

    chosen = set().union(*(hits(pattern) for pattern in keep))
    for pattern in drop:
        chosen -= hits(pattern)
    return chosen


# -- path shapes -----------------------------------------------------------------------------


def _unglued(path: str) -> str:
    path = re.sub(r"(\{[^}]+\})\1", r"\1", path)
    return re.sub(r"(?<=[^/])\{", "/{", path)


def unglue_placeholders(doc: Document) -> Document:
    """Give a placeholder glued to the segment before it its own segment.

    ConnectWise lists ``/finance/agreements/types{id}/copy`` (the route is
    ``types/{id}/copy``) and ``/procurement/catalog/{parentId}/vendors/{id}{id}`` (a doubled
    placeholder, the route is ``vendors/{id}``). Left alone, the client would send
    ``types5/copy``, and the generator refuses the doubled placeholder.
    """
    paths = doc.get("paths", {})
    for path in [p for p in paths if _unglued(p) != p]:
        _move_path(paths, path, _unglued(path))
    return doc


def path_renames(paths: Iterable[str]) -> dict[str, str]:
    """How ``merge_path_variants`` respells paths: ``{old: canonical}`` for each changed one.

    Paths that differ only in a trailing slash or in letter case are one route for ConnectWise
    (its routing ignores both). The canonical spelling has no trailing slash and is the one most
    paths of the document share as a prefix (``/system/allowedfiletypes/count`` makes
    ``/system/allowedfiletypes`` win over ``/system/AllowedFileTypes/``); ties go to the
    spelling that sorts first.
    """
    paths = list(paths)
    groups: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        groups[path.rstrip("/").lower() or "/"].add(path)

    def score(spelling: str) -> int:
        return sum(1 for p in paths if p.rstrip("/") == spelling or p.startswith(spelling + "/"))

    renames: dict[str, str] = {}
    for members in groups.values():
        spellings = {p.rstrip("/") or "/" for p in members}
        if len({tuple(re.findall(r"{[^}]*}", s)) for s in spellings}) > 1:
            raise ImportError_(f"paths {sorted(members)} differ in placeholder names")
        canonical = sorted(spellings, key=lambda s: (-score(s), s))[0]
        renames.update({p: canonical for p in members if p != canonical})
    return renames


def merge_path_variants(doc: Document) -> Document:
    """Merge trailing-slash and case variants of a path into one spelling (``path_renames``).

    Two spellings defining the same method fail the import.
    """
    paths = doc.get("paths", {})
    for old, new in sorted(path_renames(paths).items()):
        _move_path(paths, old, new)
    return doc


# -- counts and names -------------------------------------------------------------------------


def _is_record_schema(schema: dict[str, Any]) -> bool:
    if schema.get("type") == "array":
        return True
    return "$ref" in schema and schema["$ref"] != SCHEMA_PREFIX + COUNT_SCHEMA


def fix_count_responses(doc: Document) -> Document:
    """A ``GET …/count`` that the document says returns a record (or a list) returns ``Count``.

    ConnectWise's count endpoints answer ``{"count": n}``; a few are declared with the record
    schema of their collection (``/sales/opportunities/{parentId}/notes/count``), so the client
    would parse a count as a note. Free-form ``{"type": "object"}`` answers are left alone.
    """
    count_ref = {"$ref": SCHEMA_PREFIX + COUNT_SCHEMA}
    fixed = 0
    for path, method, op in _operations(doc):
        if method != "get" or not path.endswith("/count"):
            continue
        for status, response in op.get("responses", {}).items():
            for media in response.get("content", {}).values() if status.startswith("2") else ():
                if _is_record_schema(media.get("schema", {})):
                    media["schema"] = dict(count_ref)
                    fixed += 1
    if fixed and COUNT_SCHEMA not in _schemas(doc):
        _schemas(doc)[COUNT_SCHEMA] = {
            "type": "object",
            "properties": {"count": {"type": "integer", "format": "int32"}},
        }
    return doc


ACRONYM_PLURAL = re.compile(r"([A-Z]{2,})s(?![a-z])")


def guessable_name(name: str) -> str:
    """``SLAs`` → ``Slas``, ``getServiceSLAsById`` → ``getServiceSlasById``.

    The generator splits ``SLAs`` into ``SL`` + ``As`` (``sl_as``); as ``Slas`` it becomes
    ``slas``, the name a user types. Other names are returned unchanged.
    """
    return ACRONYM_PLURAL.sub(lambda m: m[1][0] + m[1][1:].lower() + "s", name)


def _check_renames(kind: str, names: Iterable[str]) -> dict[str, str]:
    """``{old: new}`` for names ``guessable_name`` changes; fails if two generated names merge."""
    names = set(names)
    renames = {n: guessable_name(n) for n in names if guessable_name(n) != n}
    owners: dict[str, set[str]] = defaultdict(set)
    for name in names:
        owners[generator_snake_case(renames.get(name, name))].add(name)
    for snake, group in owners.items():
        before = {generator_snake_case(n) for n in group}
        if len(group) > 1 and (len(before) > 1 or group & set(renames)):
            raise ImportError_(
                f"renaming {kind}s {sorted(group)} would give them one generated name {snake!r}"
            )
    return renames


def guessable_names(doc: Document) -> Document:
    """Rewrite tags and operationIds so the generated package and function names are guessable.

    Acronym plurals (``SLAs``, ``KPIs``, ``CIs``, ``URLs``) become words (``guessable_name``):
    ``api/slas/get_service_slas.py`` instead of ``api/sl_as/get_service_sl_as.py``. Fails if a
    rename would give two tags (or two operations) the same generated name.
    """
    ops = [op for _path, _method, op in _operations(doc)]
    tags = {t for op in ops for t in op.get("tags", [])} | {
        t["name"] for t in doc.get("tags", []) if "name" in t
    }
    tag_renames = _check_renames("tag", tags)
    id_renames = _check_renames(
        "operationId", [op["operationId"] for op in ops if "operationId" in op]
    )
    for op in ops:
        if "tags" in op:
            op["tags"] = [tag_renames.get(t, t) for t in op["tags"]]
        if op.get("operationId") in id_renames:
            op["operationId"] = id_renames[op["operationId"]]
    for tag in doc.get("tags", []):
        tag["name"] = tag_renames.get(tag.get("name"), tag.get("name"))
    return doc
