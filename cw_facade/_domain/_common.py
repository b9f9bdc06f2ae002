"""Small building blocks of request bodies."""

from __future__ import annotations

from typing import Any


def ref(record_id: int) -> dict[str, int]:
    """A reference to another record as the API writes it: ``{"id": 5}``."""
    return {"id": record_id}


def replace(path: str, value: Any) -> list[dict[str, Any]]:
    """A JSON Patch body replacing one field."""
    return [{"op": "replace", "path": path, "value": value}]
