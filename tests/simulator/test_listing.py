"""List queries: conditions, orderBy, fields, paging (both modes) and counts."""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cw_facade.conditions import C
from cw_facade.testing import ManageSimulator


def _all(api: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(path, params={"pageSize": 1000, **params})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def test_conditions_filter(api: httpx.Client) -> None:
    found = _all(api, "service/tickets", conditions="company/id=250 AND closedFlag=false")
    assert found
    assert all(t["company"]["id"] == 250 and t["closedFlag"] is False for t in found)
    everything = _all(api, "service/tickets")
    expected = [t for t in everything if t["company"]["id"] == 250 and not t["closedFlag"]]
    assert found == expected


def test_conditions_on_names_and_strings(api: httpx.Client) -> None:
    configs = _all(
        api, "company/configurations", conditions='name="PROD-WEB-01" AND company/id=250'
    )
    assert [(c["id"], c["ipAddress"]) for c in configs] == [(67890, "10.1.25.11")]
    like = _all(api, "company/configurations", conditions='name like "PROD-%"')
    assert like and all(c["name"].startswith("PROD-") for c in like)


def test_unknown_field_is_api_find_condition(api: httpx.Client) -> None:
    response = api.get("service/tickets", params={"conditions": "nosuchfield=1"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "ApiFindCondition",
        "message": "nosuchfield is not a recognized name.",
    }
    nested = api.get("service/tickets", params={"conditions": "company/nope=1"})
    assert nested.json()["message"] == "company/nope is not a recognized name."


def test_syntax_error_is_400(api: httpx.Client) -> None:
    response = api.get("service/tickets", params={"conditions": "summary = = 1"})
    assert response.status_code == 400
    assert response.json()["code"] == "ApiFindCondition"


def test_child_conditions(api: httpx.Client) -> None:
    found = _all(api, "company/contacts", childConditions='communicationItems/value like "alex*"')
    assert found
    for contact in found:
        assert any(i["value"].startswith("alex") for i in contact["communicationItems"])
    assert len(found) < len(_all(api, "company/contacts"))


def test_custom_field_conditions(api: httpx.Client) -> None:
    found = _all(api, "service/tickets", customFieldConditions='caption="Region" AND value="EU"')
    assert found
    assert all(t["customFields"][0]["value"] == "EU" for t in found)
    assert len(found) < len(_all(api, "service/tickets"))
    bad = api.get("service/tickets", params={"customFieldConditions": "nope=1"})
    assert bad.status_code == 400


def test_order_by(api: httpx.Client) -> None:
    desc = _all(api, "service/tickets", orderBy="id desc")
    assert [t["id"] for t in desc] == sorted((t["id"] for t in desc), reverse=True)
    two = _all(api, "service/tickets", orderBy="company/id asc, id desc")
    keys = [(t["company"]["id"], -t["id"]) for t in two]
    assert keys == sorted(keys)
    names = _all(api, "service/priorities", orderBy="name")
    assert [p["name"] for p in names] == sorted(p["name"] for p in names)
    assert api.get("service/tickets", params={"orderBy": "nope desc"}).status_code == 400
    assert api.get("service/tickets", params={"orderBy": "id sideways"}).status_code == 400


def test_fields_projection(api: httpx.Client) -> None:
    found = _all(api, "service/tickets", fields="id,summary,status/name", pageSize=5)
    assert len(found) == 5
    for ticket in found:
        assert set(ticket) == {"id", "summary", "status"}
        assert set(ticket["status"]) == {"name"}
    one = api.get("service/tickets/5", params={"fields": "id,company/name"}).json()
    assert one == {"id": 5, "company": {"name": one["company"]["name"]}}


def _links(response: httpx.Response) -> dict[str, str]:
    return {rel: link["url"] for rel, link in response.links.items()}


def test_navigable_paging_links(sim: ManageSimulator, api: httpx.Client) -> None:
    first = api.get("service/tickets", params={"pageSize": 100})
    assert len(first.json()) == 100
    links = _links(first)
    assert set(links) == {"next", "last"}
    assert links["next"].startswith(sim.api_root + "service/tickets?")
    assert "page=2" in links["next"] and "page=3" in links["last"]
    middle = api.get(links["next"])
    assert set(_links(middle)) == {"first", "prev", "next", "last"}
    last = api.get(links["last"])
    assert set(_links(last)) == {"first", "prev"}
    ids = [t["id"] for r in (first, middle, last) for t in r.json()]
    assert ids == sorted(set(ids)) and len(ids) == 300


def test_following_next_keeps_conditions(api: httpx.Client) -> None:
    url: str | None = "service/tickets"
    params: dict[str, Any] | None = {"conditions": "company/id=251", "pageSize": 7}
    seen: list[int] = []
    while url:
        response = api.get(url, params=params)
        seen += [t["id"] for t in response.json()]
        url, params = _links(response).get("next"), None
    expected = [t["id"] for t in _all(api, "service/tickets", conditions="company/id=251")]
    assert seen == expected


def test_page_size_defaults_and_limits(api: httpx.Client) -> None:
    assert len(api.get("service/tickets").json()) == 25
    assert len(api.get("service/tickets", params={"pageSize": 5000}).json()) == 300
    assert api.get("service/tickets", params={"page": 99}).json() == []
    assert api.get("service/tickets", params={"pageSize": "x"}).status_code == 400
    assert not api.get("company/companies").links


def test_forward_only_paging(api: httpx.Client) -> None:
    headers = {"pagination-type": "forward-only"}
    url: str | None = "service/tickets"
    params: dict[str, Any] | None = {"pageSize": 128, "conditions": "closedFlag=false"}
    seen: list[int] = []
    pages = 0
    while url:
        response = api.get(url, params=params, headers=headers)
        assert response.status_code == 200
        seen += [t["id"] for t in response.json()]
        links = _links(response)
        assert set(links) <= {"next"}
        if "next" in links:
            assert f"pageId={seen[-1]}" in links["next"]
        url, params, pages = links.get("next"), None, pages + 1
    expected = [t["id"] for t in _all(api, "service/tickets", conditions="closedFlag=false")]
    assert seen == expected
    assert pages == max(1, -(-len(expected) // 128))
    after = api.get("service/tickets", params={"pageId": 290}, headers=headers).json()
    assert [t["id"] for t in after] == list(range(291, 301))


def test_count(api: httpx.Client) -> None:
    assert api.get("service/tickets/count").json() == {"count": 300}
    open_250 = api.get("service/tickets/count", params={"conditions": "company/id=250"})
    assert open_250.json() == {
        "count": len(_all(api, "service/tickets", conditions="company/id=250"))
    }
    assert api.get("service/tickets/1/notes/count").json() == {"count": 1}
    assert api.get("service/tickets/count", params={"conditions": "x=1"}).status_code == 400


def test_search_takes_conditions_from_body(api: httpx.Client) -> None:
    found = api.post("service/tickets/search", json={"conditions": "id<=3", "orderBy": "id desc"})
    assert [t["id"] for t in found.json()] == [3, 2, 1]


def test_views(api: httpx.Client) -> None:
    info = api.get("service/tickets/3/info").json()
    assert set(info) <= {"id", "summary", "company", "_info"}
    notes = api.get("service/tickets/3/allNotes").json()
    assert notes[0]["ticket"]["id"] == 3 and notes[0]["noteType"] == "TicketNote"


FIELDS = st.sampled_from(
    ["id", "summary", "closedFlag", "company/id", "priority/id", "status/name"]
)
VALUES = st.one_of(st.integers(-5, 400), st.booleans(), st.text(max_size=8), st.none())


@st.composite
def conditions(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        first, *rest = draw(FIELDS).split("/")
        field = getattr(C, first)
        for segment in rest:
            field = getattr(field, segment)
        op = draw(st.sampled_from(["eq", "ne", "lt", "contains"]))
        value = draw(VALUES)
        if op == "eq":
            parts.append(field == value)
        elif op == "ne":
            parts.append(field != value)
        elif op == "lt" and isinstance(value, int) and not isinstance(value, bool):
            parts.append(field < value)
        else:
            parts.append(field.contains(str(value)))
    expr = parts[0]
    for part in parts[1:]:
        expr = expr & part if draw(st.booleans()) else expr | part
    return str(expr)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cond=st.one_of(st.none(), conditions(), st.text(max_size=20)),
    page=st.one_of(st.none(), st.integers(-3, 50)),
    size=st.one_of(st.none(), st.integers(-3, 2000)),
    forward=st.booleans(),
)
def test_fuzz_list_never_fails_on_server_side(
    api: httpx.Client, cond: str | None, page: int | None, size: int | None, forward: bool
) -> None:
    params = {
        k: v
        for k, v in {"conditions": cond, "page": page, "pageSize": size}.items()
        if v is not None
    }
    headers = {"pagination-type": "forward-only"} if forward else {}
    response = api.get("service/tickets", params=params, headers=headers)
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        assert response.json()["code"] in ("ApiFindCondition", "BadRequest")
    else:
        assert isinstance(response.json(), list)


def test_conditions_on_info_dates(api: httpx.Client) -> None:
    created = api.post("service/tickets", json={"summary": "Fresh", "company": {"id": 250}}).json()
    changed = _all(api, "service/tickets", conditions="_info/lastUpdated > [2024-12-31T00:00:00Z]")
    assert [t["id"] for t in changed] == [created["id"]]
    older = api.get(
        "service/tickets/count", params={"conditions": "_info/dateEntered < [2025-01-01T00:00:00Z]"}
    )
    assert older.json() == {"count": 300}
