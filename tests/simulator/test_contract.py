"""Contract: every operation of the bundled description answers with its status and a valid body.

The cases come from the description itself (one per operation, named by operationId), so the
test grows with the description. Each runs against a freshly reset demo simulator: a concrete
path is built from a stored record of the route's collection (its parents from the store), a
body from that record, and the answer must have the declared status and validate strictly
against the declared schema; lists must not be empty, and a deleted record must be gone.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import httpx
import pytest

from cw_facade.testing import ManageSimulator
from cw_facade.testing._routing import Route, parent_template
from cw_facade.testing._schema import validate
from cw_facade.testing._spec import HTTP_METHODS, load_spec, routes

SPEC = load_spec()
OPERATIONS = [
    (template, method)
    for template, item in SPEC["paths"].items()
    for method in HTTP_METHODS
    if method in item
]
ROUTES = {(r.template, r.method.lower()): r for r in routes()}
LINKS = "/service/tickets/{parentId}/configurations"
READ_ONLY = ("id", "_info")


def test_every_operation_has_a_route() -> None:
    assert len(OPERATIONS) >= 238
    assert sorted(ROUTES) == sorted(OPERATIONS)
    assert {r.kind for r in ROUTES.values()} <= {
        "list",
        "count",
        "get",
        "singleton",
        "search",
        "create",
        "replace",
        "patch",
        "delete",
        "action",
        "bundle",
    }


class _Dirty:
    """Whether the shared simulator was written to since its last reset."""

    flag = True


@pytest.fixture
def contract_sim(manage_simulator_session: ManageSimulator, request: Any) -> ManageSimulator:
    """The session simulator, reset only when the previous case (or this one) writes.

    Reads never change the data (collections filled on first use get the same records in any
    order), so skipping their resets keeps the suite fast as the description grows.
    """
    method = request.node.callspec.params["method"]
    if _Dirty.flag or method != "get":
        manage_simulator_session.reset(seed="demo")
    _Dirty.flag = method != "get"
    return manage_simulator_session


def _ids(sim: ManageSimulator, route: Route) -> dict[str, Any]:
    """Values by role: a stored record of the collection and its parents."""
    stored = sim.store.collection(route.collection)
    key = next(iter(stored.records), None)
    values: dict[str, Any] = {}
    if key is not None:
        values["id"] = stored.records[key]["id"]
    template, child_key = route.collection, key
    for role in ("parentId", "grandparentId", "greatGrandparentId"):
        owner = parent_template(template)
        if owner is None:
            break
        collection = sim.store.collection(template)
        parent = collection.parent_of.get(child_key) if child_key is not None else None
        if parent is None:
            parent = next(iter(sim.store.collection(owner).records), 0)
        values[role] = parent
        template, child_key = owner, parent
    return values


def _path(route: Route, values: dict[str, Any]) -> str:
    roles = dict(route.roles)

    def fill(found: re.Match[str]) -> str:
        return str(values.get(roles.get(found.group(1), found.group(1)), 1))

    return re.sub(r"\{(\w*)\}", fill, route.template)


def _record(sim: ManageSimulator, route: Route, values: dict[str, Any]) -> dict[str, Any]:
    found = sim.store.collection(route.collection).records.get(values.get("id", -1))
    return found or {}


def _body(sim: ManageSimulator, route: Route, values: dict[str, Any]) -> Any:
    record = _record(sim, route, values)
    if route.kind == "search":
        return {"conditions": "id > 0", "orderBy": "id desc"}
    if route.collection == LINKS:
        return {"id": record.get("id", 67890)}
    if route.kind == "patch":
        key = next(k for k, v in record.items() if k not in READ_ONLY and v is not None)
        return [{"op": "replace", "path": key, "value": record[key]}]
    if route.kind == "bundle":
        return {"requests": [{"sequenceNumber": 1, "resourceType": "ticket", "apiRequest": {}}]}
    return {k: copy.deepcopy(v) for k, v in record.items() if k not in READ_ONLY}


def _response_schema(template: str, method: str, status: int) -> dict[str, Any] | None:
    content = SPEC["paths"][template][method]["responses"][str(status)].get("content")
    if not content:
        return None
    schema: dict[str, Any] = next(iter(content.values()))["schema"]
    return schema


def _gone(api: httpx.Client, route: Route, path: str) -> None:
    getter = ROUTES.get((route.template, "get"))
    if getter is None or getter.kind != "get":
        return
    gone = api.get(path.lstrip("/"))
    assert gone.status_code == 404, gone.text
    assert gone.json()["code"] == "NotFound"


@pytest.mark.parametrize(
    ("template", "method"),
    OPERATIONS,
    ids=[SPEC["paths"][t][m]["operationId"] for t, m in OPERATIONS],
)
def test_operation(
    contract_sim: ManageSimulator, session_client: httpx.Client, template: str, method: str
) -> None:
    sim, api = contract_sim, session_client
    route = ROUTES[(template, method)]
    values = _ids(sim, route)
    path = _path(route, values)
    body = _body(sim, route, values) if method in ("post", "put", "patch") else None
    response = api.request(method.upper(), path.lstrip("/"), json=body)
    assert response.status_code == route.status, response.text
    assert response.headers["api-current-version"] == "2025.8"
    schema = _response_schema(template, method, route.status)
    if schema is None:
        assert response.content == b""
        if route.kind == "delete":
            _gone(api, route, path)
        return
    payload = response.json()
    if route.kind == "count":
        assert set(payload) == {"count"}  # whatever the document declares (ConnectWise quirk)
        return
    # Bundled entities are whole records; the description only lists their ``id``.
    assert validate(payload, schema, strict=route.kind != "bundle") == []
    if schema.get("type") == "array":
        assert payload, f"{template} listed nothing: seed it"
