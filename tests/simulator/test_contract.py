"""Contract: every operation of the description answers with its status and a valid body."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from cw_facade.testing import ManageSimulator
from cw_facade.testing._schema import validate
from cw_facade.testing._spec import HTTP_METHODS, load_spec

SPEC = load_spec()
OPERATIONS = [
    (template, method, item[method])
    for template, item in SPEC["paths"].items()
    for method in HTTP_METHODS
    if method in item
]
LINKS = "/service/tickets/{parentId}/configurations"


def test_description_has_all_operations() -> None:
    assert len(OPERATIONS) == 238


def _collection_of(template: str) -> str:
    for suffix in ("/count", "/{id}", "/info", "/search", "/allNotes"):
        if template.endswith(suffix):
            template = template[: -len(suffix)]
    if template.endswith("/{id}"):
        template = template[: -len("/{id}")]
    return {"/service/tickets/{parentId}": "/service/tickets/{parentId}/notes"}.get(
        template, template
    )


def _sample(sim: ManageSimulator, collection: str) -> tuple[int, int]:
    """(parent id, record id) of some stored record of ``collection``."""
    stored = sim.store.collection(collection)
    key = next(iter(stored.records))
    record = stored.records[key]
    return stored.parent_of.get(key, 0), record["id"]


def _concrete(sim: ManageSimulator, template: str) -> tuple[str, int, int]:
    if template == "/system/info":
        return template, 0, 0
    collection = _collection_of(template)
    parent, record_id = _sample(sim, collection)
    if "{parentId}" not in collection and "{id}/" in template:
        parent = record_id
    path = template.replace("{parentId}", str(parent)).replace("{id}", str(record_id))
    return path, parent, record_id


def _body_from(record: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in record.items() if k not in ("id", "_info")}


def _request_body(sim: ManageSimulator, template: str, method: str, record_id: int) -> Any:
    collection = _collection_of(template)
    if template.endswith("/search"):
        return {"conditions": "id > 3", "orderBy": "id desc"}
    if collection == LINKS:
        return {"id": record_id}
    record = sim.store.collection(collection).get(record_id)
    if method == "patch":
        key = next(k for k, v in record.items() if k not in ("id", "_info") and v is not None)
        return [{"op": "replace", "path": key, "value": record[key]}]
    return _body_from(record)


def _response_schema(op: dict[str, Any], status: int) -> dict[str, Any] | None:
    content = op["responses"][str(status)].get("content")
    if not content:
        return None
    schema: dict[str, Any] = next(iter(content.values()))["schema"]
    return schema


@pytest.mark.parametrize(
    ("template", "method", "op"), OPERATIONS, ids=[op["operationId"] for _, _, op in OPERATIONS]
)
def test_operation(
    api: httpx.Client, sim: ManageSimulator, template: str, method: str, op: dict[str, Any]
) -> None:
    status = min(int(code) for code in op["responses"])
    path, _, record_id = _concrete(sim, template)
    body = None
    if method in ("post", "put", "patch"):
        body = _request_body(sim, template, method, record_id)
    response = api.request(method.upper(), path.lstrip("/"), json=body)
    assert response.status_code == status, response.text
    assert response.headers["api-current-version"] == "2025.8"
    schema = _response_schema(op, status)
    if schema is None:
        assert response.content == b""
        gone = api.get(path.lstrip("/"))
        assert gone.status_code == 404
        assert gone.json()["code"] == "NotFound"
        return
    payload = response.json()
    assert validate(payload, schema, strict=True) == []
    if schema.get("type") == "array":
        assert payload, f"{template} listed nothing: seed it"
