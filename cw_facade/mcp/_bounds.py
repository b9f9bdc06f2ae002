"""Bounded tool results: at most so many records and so many characters of JSON.

An agent's context is small and ConnectWise lists are large. Every result is cut to the
caller's ``limit`` (itself capped by the server's ``max_records``) and to ``max_bytes``
characters of compact JSON; a cut result says so in ``truncated`` and ``note``, with what to
do about it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

#: Longest string value kept whole when one record alone is over the byte bound.
CLIP_CHARS = 500


def json_size(value: Any) -> int:
    """Characters of ``value`` as compact JSON."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))


def bound_records(
    records: Iterable[dict[str, Any]], *, limit: int, max_bytes: int, more: bool
) -> dict[str, Any]:
    """``{"records", "count", "truncated", "note"}`` for at most ``limit`` records.

    ``more`` says the server had further records past the ones given. Records are kept in
    order until the next one would pass ``max_bytes``; a single record over the bound on its
    own is kept with its long strings clipped.
    """
    kept: list[dict[str, Any]] = []
    size = 0
    cut_by_size = False
    for record in records:
        if len(kept) == limit:
            more = True
            break
        record_size = json_size(record)
        if size + record_size > max_bytes:
            if not kept:
                kept.append(clip_record(record))
            cut_by_size = True
            break
        kept.append(record)
        size += record_size + 1
    result: dict[str, Any] = {"records": kept, "count": len(kept), "truncated": False}
    if cut_by_size:
        result["truncated"] = True
        result["note"] = (
            f"cut to {len(kept)} record(s) to stay under {max_bytes} characters: ask for fewer "
            "fields (fields=...) or narrow the filters"
        )
    elif more:
        result["truncated"] = True
        result["note"] = (
            f"more records match than the {len(kept)} returned: narrow the filters, or raise "
            "limit up to the server's maximum"
        )
    return result


def clip_record(record: dict[str, Any], clip: int = CLIP_CHARS) -> dict[str, Any]:
    """A copy of ``record`` whose strings longer than ``clip`` characters end in ``…``."""
    return {key: _clip(value, clip) for key, value in record.items()}


def _clip(value: Any, clip: int) -> Any:
    if isinstance(value, str) and len(value) > clip:
        return value[:clip] + "…"
    if isinstance(value, dict):
        return {key: _clip(item, clip) for key, item in value.items()}
    if isinstance(value, list):
        return [_clip(item, clip) for item in value]
    return value


def bound_record(record: dict[str, Any], *, max_bytes: int) -> dict[str, Any]:
    """``{"record", "truncated"[, "note"]}``: ``record`` whole, or clipped when over the bound."""
    if json_size(record) <= max_bytes:
        return {"record": record, "truncated": False}
    clipped = clip_record(record)
    note = f"long text cut to {CLIP_CHARS} characters to stay under {max_bytes} characters"
    if json_size(clipped) > max_bytes:
        clipped = {key: clipped[key] for key in list(clipped)[:20]}
        note += "; only the first 20 fields are shown: ask for fewer fields"
    return {"record": clipped, "truncated": True, "note": note}
