"""Property-based run over the description: random list queries and random bodies on every
collection. The simulator must never answer 5xx, and every 2xx body must match its schema."""

from __future__ import annotations

import re
from typing import Any

import httpx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cw_facade.testing._schema import properties, resolve, validate
from cw_facade.testing._spec import routes

LISTS = [r for r in routes() if r.kind == "list" and "{" not in r.template]
CREATES = [r for r in routes() if r.kind == "create" and "{" not in r.template]
SCALARS = ("string", "integer", "number", "boolean")
DIRECTIONS = st.sampled_from(["asc", "desc", "DESC"])
SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _value(schema: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    schema = resolve(schema)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    simple: dict[str, st.SearchStrategy[Any]] = {
        "string": st.text(max_size=12),
        "integer": st.integers(-2, 300),
        "number": st.floats(-1e6, 1e6, allow_nan=False),
        "boolean": st.booleans(),
    }
    if kind in simple:
        return simple[str(kind)]
    if kind == "array" and depth < 2:
        return st.lists(_value(schema.get("items", {}), depth + 1), max_size=2)
    if schema.get("properties") and depth < 2:
        if "id" in schema["properties"]:
            return st.fixed_dictionaries({"id": st.integers(0, 300)})
        return _object(schema["properties"], depth + 1)
    return st.none()


def _object(props: dict[str, Any], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    chosen = {k: _value(v, depth) for k, v in props.items() if k not in ("_info", "id")}
    return st.fixed_dictionaries({}, optional=chosen)


def _scalar_fields(schema: str) -> list[str]:
    return [k for k, v in properties(schema).items() if resolve(v).get("type") in SCALARS]


def _item_schema(route: Any) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{route.schema}"}


@SETTINGS
@given(data=st.data())
def test_random_list_queries(api: httpx.Client, data: st.DataObject) -> None:
    route = data.draw(st.sampled_from(LISTS))
    fields = [*_scalar_fields(str(route.schema)), "nosuchfield", "company/name"]
    field = data.draw(st.sampled_from(fields))
    value = data.draw(st.one_of(st.integers(-1, 300), st.booleans(), st.text(max_size=6)))
    rendered = str(value).lower() if isinstance(value, bool) else value
    if isinstance(value, str):
        rendered = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    op = data.draw(st.sampled_from(["=", "!=", "<", ">=", " contains ", " like "]))
    params = {
        "conditions": f"{field}{op}{rendered}",
        "orderBy": f"{data.draw(st.sampled_from(fields))} {data.draw(DIRECTIONS)}",
        "fields": ",".join(data.draw(st.lists(st.sampled_from(fields), max_size=3))),
        "page": data.draw(st.integers(-1, 5)),
        "pageSize": data.draw(st.integers(-1, 1200)),
    }
    response = api.get(route.template.lstrip("/"), params=params)
    event(f"status {response.status_code}")
    assert response.status_code in (200, 400), response.text
    if response.status_code == 200 and not params["fields"]:
        for item in response.json():
            assert validate(item, _item_schema(route), strict=True) == []


@SETTINGS
@given(data=st.data())
def test_random_bodies(api: httpx.Client, data: st.DataObject) -> None:
    route = data.draw(st.sampled_from(CREATES))
    body = data.draw(_object(properties(str(route.request_schema)), 0))
    response = api.post(route.template.lstrip("/"), json=body)
    event(f"status {response.status_code}")
    assert response.status_code in (200, 201, 400), response.text
    if response.status_code == 201:
        assert validate(response.json(), _item_schema(route), strict=True) == []
    else:
        assert response.json()["code"] in ("InvalidObject", "BadRequest", "ApiFindCondition")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)
PATH_VALUES = st.one_of(
    st.integers(-5, 400).map(str),
    st.just(str(10**30)),
    st.text("abc%-._~", min_size=1, max_size=6),
)
QUERY_NAMES = ("conditions", "childConditions", "customFieldConditions", "orderBy", "fields")
QUERY_NAMES += ("page", "pageSize", "pageId")
ALL_ROUTES = routes()


@SETTINGS
@given(data=st.data())
def test_random_requests_on_every_route_never_5xx(api: httpx.Client, data: st.DataObject) -> None:
    route = data.draw(st.sampled_from(ALL_ROUTES))
    path = route.template
    for name in re.findall(r"\{(\w*)\}", path):
        path = path.replace("{" + name + "}", data.draw(PATH_VALUES), 1)
    params = data.draw(
        st.dictionaries(st.sampled_from(QUERY_NAMES), st.text(max_size=12), max_size=3)
    )
    method = data.draw(st.sampled_from([route.method, "GET", "POST", "PATCH", "DELETE"]))
    body = data.draw(JSON_VALUES) if method in ("POST", "PUT", "PATCH") else None
    headers = {"pagination-type": "forward-only"} if data.draw(st.booleans()) else {}
    response = api.request(method, path.lstrip("/"), params=params, json=body, headers=headers)
    event(f"{route.kind} {response.status_code}")
    assert response.status_code < 500, response.text
    if response.content:
        assert isinstance(response.json(), dict | list)
