"""Tolerant readers for values found in API records: they return ``None``, never raise.

Real ConnectWise servers send case variants of documented keys, ``null`` where the document
says otherwise, numbers as strings and timestamps with 0-7 fractional digits. Every model
property reads through these helpers, so a surprising value becomes ``None`` instead of an
exception in the caller's loop.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

_MISSING: Any = object()

#: Timestamps as ConnectWise writes them; fractional digits beyond microseconds are dropped.
_TIMESTAMP_RE = re.compile(
    r"^(?P<base>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?)"
    r"(?:\.(?P<fraction>\d{1,9}))?"
    r"(?P<zone>Z|z|[+-]\d{2}:?\d{2})?$"
)
_MICROSECOND_DIGITS = 6
#: An integer as text: ASCII digits only (``"²"`` passes ``str.isdigit`` but not ``int``).
_INTEGER_RE = re.compile(r"[ \t\r\n]*-?[0-9]+[ \t\r\n]*")


def normalize_key(name: str) -> str:
    """The form two spellings of one key share: ``closedFlag``, ``closed_flag``, ``ClosedFlag``.

    Lower case without underscores, so camelCase, snake_case and case variants meet.
    """
    return name.replace("_", "").lower()


def lookup(data: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """``data[key]``, else the value of a key spelled differently (``Sort`` for ``sort``)."""
    value = data.get(key, _MISSING)
    if value is not _MISSING:
        return value
    wanted = normalize_key(key)
    for other, value in data.items():
        if isinstance(other, str) and normalize_key(other) == wanted:
            return value
    return default


def nested(data: Any, *path: str) -> Any:
    """The value at ``path`` in nested dicts (``nested(raw, "company", "name")``), else None."""
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = lookup(data, key)
    return data


def as_str(value: Any) -> str | None:
    """``value`` if it is a string, else None."""
    return value if isinstance(value, str) else None


def as_int(value: Any) -> int | None:
    """``value`` as an int (``5`` or ``"5"``), else None; booleans are not ints."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INTEGER_RE.fullmatch(value):
        return int(value)
    return None


def as_bool(value: Any) -> bool | None:
    """``value`` as a bool (``True`` or ``"true"``), else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    return None


def as_datetime(value: Any) -> datetime | None:
    """A timezone-aware datetime from an API timestamp, else None.

    Accepts ``2022-09-15T09:39:42Z``, 0-7 (up to 9) fractional digits, ``+02:00`` offsets and
    plain dates. A timestamp without a zone is taken as UTC, the API's own zone.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if not isinstance(value, str):
        return None
    match = _TIMESTAMP_RE.match(value.strip())
    if match is None:
        return None
    text = match["base"] if len(match["base"]) > len("YYYY-MM-DD") else match["base"] + "T00:00"
    if match["fraction"]:
        text += "." + match["fraction"][:_MICROSECOND_DIGITS].ljust(_MICROSECOND_DIGITS, "0")
    zone = match["zone"]
    text += "+00:00" if zone in (None, "Z", "z") else zone
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
