"""List queries: ``conditions`` and friends, ``orderBy``, ``fields`` and paging with ``Link``."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from cw_facade.conditions import (
    ConditionsSyntaxError,
    Expr,
    field_paths,
    parse,
    parse_order_by,
)
from cw_facade.testing._errors import ApiError, bad_request
from cw_facade.testing._limits import Limits
from cw_facade.testing._predicates import Predicate, compile_expr, term_count
from cw_facade.testing._spec import Description
from cw_facade.testing._store import Record

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 1000
FORWARD_ONLY = "forward-only"
CUSTOM_FIELD_SCHEMA = "CustomFieldValue"


@dataclass(frozen=True)
class Page:
    """One page of a list: the records and the ``Link`` header value (or ``None``)."""

    records: list[Record]
    link: str | None


def lookup(value: Any, path: str) -> Any:
    """The value at ``a/b/c`` in nested dicts (keys exact, else ignoring case), or ``None``."""
    for segment in path.split("/"):
        if not isinstance(value, dict):
            return None
        value = value.get(segment, _fold(value, segment))
    return value


def _fold(mapping: dict[str, Any], key: str) -> Any:
    lowered = key.lower()
    for name, item in mapping.items():
        if name.lower() == lowered:
            return item
    return None


def known_path(spec: Description, schema: dict[str, Any], path: str) -> bool:
    """Whether ``path`` names a field of ``schema`` (``_info/...`` and free-form values pass)."""
    for segment in path.split("/"):
        schema = spec.resolve(schema)
        while schema.get("type") == "array":
            schema = spec.resolve(schema.get("items", {}))
        if "additionalProperties" in schema:
            return True
        props = {k.lower(): v for k, v in schema.get("properties", {}).items()}
        if not props and schema.get("type") != "object":
            return not schema
        if segment.lower() not in props:
            return False
        schema = props[segment.lower()]
    return True


def _parse(query: Query, text: str, schema: str | None) -> Expr:
    limits = query.limits
    if len(text) > limits.max_condition_chars:
        raise ApiError(
            400,
            "ApiFindCondition",
            f"The conditions are {len(text)} characters long; at most "
            f"{limits.max_condition_chars} are accepted.",
        )
    try:
        expr = parse(text)
    except ConditionsSyntaxError as exc:
        raise ApiError(400, "ApiFindCondition", f"Invalid condition: {exc}") from exc
    terms = term_count(expr)
    if terms > limits.max_condition_terms:
        raise ApiError(
            400,
            "ApiFindCondition",
            f"The conditions have {terms} terms; at most {limits.max_condition_terms} "
            "are accepted.",
        )
    if schema is not None:
        root = {"properties": query.spec.properties(schema)}
        for path in sorted(field_paths(expr)):
            if not known_path(query.spec, root, path):
                raise ApiError(400, "ApiFindCondition", f"{path} is not a recognized name.")
    return expr


def _variants(record: Record, keys: Iterable[str]) -> Iterator[Record]:
    """Copies of ``record`` with each list-valued key replaced by one of its items."""
    choices = []
    for key in keys:
        items = record.get(key)
        choices.append([(key, item) for item in items] if isinstance(items, list) else [])
    for combo in itertools.product(*[c for c in choices if c]):
        yield {**record, **dict(combo)}


@dataclass(frozen=True)
class Query:
    """What list evaluation needs besides the parameters: the description and the limits."""

    spec: Description
    limits: Limits


def build_filter(query: Query, params: dict[str, str], schema: str | None) -> Predicate | None:
    """A predicate for ``conditions``, ``childConditions`` and ``customFieldConditions``."""
    tests: list[Predicate] = []
    if params.get("conditions", "").strip():
        tests.append(compile_expr(_parse(query, params["conditions"], schema)))
    if params.get("childconditions", "").strip():
        child = _parse(query, params["childconditions"], schema)
        keys = sorted({p.split("/")[0] for p in field_paths(child)})
        each = compile_expr(child)
        tests.append(lambda r: any(each(v) for v in _variants(r, keys)))
    if params.get("customfieldconditions", "").strip():
        custom_schema = CUSTOM_FIELD_SCHEMA if CUSTOM_FIELD_SCHEMA in query.spec.schemas else None
        custom = compile_expr(_parse(query, params["customfieldconditions"], custom_schema))
        tests.append(lambda r: any(custom(f) for f in _custom_fields(r)))
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda record: all(test(record) for test in tests)


def _custom_fields(record: Record) -> list[Any]:
    found = record.get("customFields")
    return [f for f in found if isinstance(f, dict)] if isinstance(found, list) else []


def _sort_key(value: Any) -> tuple[int, int, Any]:
    if value is None:
        return (0, 0, 0)
    if isinstance(value, bool):
        return (1, 0, value)
    if isinstance(value, int | float):
        return (1, 1, value)
    if isinstance(value, str):
        return (1, 2, value.lower())
    return (1, 3, str(value))


def order(
    spec: Description, records: list[Record], order_by: str, schema: str | None
) -> list[Record]:
    """Sort by an ``orderBy`` value: ``"field asc, other desc"`` (400 for unknown fields)."""
    try:
        items = parse_order_by(order_by)
    except ValueError as exc:
        raise ApiError(400, "ApiFindCondition", f"Invalid orderBy: {exc}") from exc
    root = {"properties": spec.properties(schema)} if schema else {}
    for item in items:
        if schema and not known_path(spec, root, item.path):
            raise ApiError(400, "ApiFindCondition", f"{item.path} is not a recognized name.")
    for item in reversed(items):
        records.sort(key=_key_for(item.path), reverse=item.direction == "desc")
    return records


def _key_for(name: str) -> Callable[[Record], tuple[int, int, Any]]:
    return lambda record: _sort_key(lookup(record, name))


def project(value: Any, tree: dict[str, Any]) -> Any:
    """Keep only the ``fields`` paths (a tree of segments) of a record or list of records."""
    if isinstance(value, list):
        return [project(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    lowered = {k.lower(): k for k in value}
    for segment, sub in tree.items():
        key = lowered.get(segment.lower())
        if key is not None:
            out[key] = project(value[key], sub) if sub else value[key]
    return out


def fields_tree(fields: str) -> dict[str, Any]:
    """Parse ``id,summary,status/name`` into a tree of path segments."""
    tree: dict[str, Any] = {}
    for path in (p.strip() for p in fields.split(",")):
        node = tree
        for segment in (s for s in path.split("/") if s):
            node = node.setdefault(segment, {})
    return tree


def int_param(params: dict[str, str], name: str) -> int | None:
    """An integer query parameter, ``None`` when absent; 400 when not an integer."""
    text = params.get(name.lower())
    if text is None or text == "":
        return None
    try:
        return int(text)
    except ValueError:
        raise bad_request(f"The {name} parameter must be an integer.") from None


def page_size(params: dict[str, str]) -> int:
    """``pageSize`` clamped to 1..:data:`MAX_PAGE_SIZE` (default :data:`DEFAULT_PAGE_SIZE`)."""
    size = int_param(params, "pageSize")
    return DEFAULT_PAGE_SIZE if size is None else min(max(size, 1), MAX_PAGE_SIZE)


def _link(url: str, query: list[tuple[str, str]], changes: dict[str, int], rel: str) -> str:
    dropped = {k.lower() for k in changes} | {"page", "pageid"}
    kept = [(k, v) for k, v in query if k.lower() not in dropped]
    kept += [(k, str(v)) for k, v in changes.items()]
    return f'<{url}?{urlencode(kept)}>; rel="{rel}"'


def navigable(
    records: Iterable[Record], total: int, params: dict[str, str], url: str, query: list[Any]
) -> Page:
    """Page ``page`` of ``records`` (``total`` of them), with first/prev/next/last links."""
    size = page_size(params)
    last = max((total + size - 1) // size, 1)
    page = min(max(int_param(params, "page") or 1, 1), last + 1)
    chosen = list(itertools.islice(records, (page - 1) * size, page * size))
    links = []
    if page > 1:
        links.append(_link(url, query, {"pageSize": size, "page": 1}, "first"))
        links.append(_link(url, query, {"pageSize": size, "page": min(page - 1, last)}, "prev"))
    if page < last:
        links.append(_link(url, query, {"pageSize": size, "page": page + 1}, "next"))
        links.append(_link(url, query, {"pageSize": size, "page": last}, "last"))
    return Page(chosen, ", ".join(links) or None)


def forward_only(
    records: Iterable[Record], params: dict[str, str], url: str, query: list[Any]
) -> Page:
    """The records after ``pageId`` (in id order); a ``next`` link only when more remain."""
    size = page_size(params)
    after = int_param(params, "pageId") or 0
    following = (r for r in records if r["id"] > after)
    chosen = list(itertools.islice(following, size + 1))
    if len(chosen) <= size:
        return Page(chosen, None)
    chosen = chosen[:size]
    return Page(chosen, _link(url, query, {"pageSize": size, "pageId": chosen[-1]["id"]}, "next"))
