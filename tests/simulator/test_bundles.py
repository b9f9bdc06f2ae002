"""``POST /system/bundles``: each bundled request runs as its single call would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from cw_facade.testing import Limits, ManageSimulator
from tests.simulator import minidoc
from tests.simulator.helpers import client_for


def _bundle(api: httpx.Client, *requests: dict[str, Any]) -> list[dict[str, Any]]:
    response = api.post("system/bundles", json={"requests": list(requests)})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def _req(number: int, resource: str, **api_request: Any) -> dict[str, Any]:
    return {
        "sequenceNumber": number,
        "resourceType": resource,
        "version": "2025.8",
        "apiRequest": api_request,
    }


def test_get_list_and_count_like_single_calls(api: httpx.Client) -> None:
    single = api.get("service/tickets/5").json()
    listed = api.get(
        "service/tickets",
        params={"conditions": "company/id=250", "orderBy": "id desc", "pageSize": 3},
    ).json()
    results = _bundle(
        api,
        _req(1, "ticket", id=5),
        _req(
            2,
            "ticket",
            filters={"conditions": "company/id=250", "orderBy": "id desc"},
            page={"page": 1, "pageSize": 3},
        ),
        _req(3, "company", id=250, fields="id,name"),
    )
    assert [r["sequenceNumber"] for r in results] == [1, 2, 3]
    assert results[0] == {
        "sequenceNumber": 1,
        "resourceType": "ticket",
        "version": "2025.8",
        "success": True,
        "statusCode": 200,
        "entities": [single],
        "count": 1,
    }
    assert results[1]["entities"] == listed
    assert results[1]["count"] == 3
    assert results[2]["entities"] == [{"id": 250, "name": "Harbor Point Dental"}]


def test_notes_of_many_tickets_through_parent_id(api: httpx.Client) -> None:
    requests = [_req(n, "ticketNote", parentId=n) for n in range(1, 11)]
    results = _bundle(api, *requests)
    for number, result in enumerate(results, 1):
        assert result["success"] is True
        expected = api.get(f"service/tickets/{number}/notes").json()
        assert result["entities"] == expected
    company = _bundle(api, _req(1, "companyNote", parentId=250))[0]
    assert company["entities"] == api.get("company/companies/250/notes").json()
    contact = _bundle(api, _req(1, "contactNote", parentId=3))[0]
    assert contact["entities"] == api.get("company/contacts/3/notes").json()


def test_create_update_and_delete(sim: ManageSimulator, api: httpx.Client) -> None:
    created, note = _bundle(
        api,
        _req(1, "ticket", entity={"summary": "From a bundle", "company": {"id": 250}}),
        _req(2, "ticketNote", parentId=1, entity={"text": "hi", "internalAnalysisFlag": True}),
    )
    assert (created["statusCode"], created["success"]) == (201, True)
    ticket = created["entities"][0]
    assert sim.store.get("/service/tickets", ticket["id"])["summary"] == "From a bundle"
    assert note["entities"][0]["ticketId"] == 1
    body = {k: v for k, v in ticket.items() if k not in ("id", "_info")} | {"summary": "Renamed"}
    updated = _bundle(api, _req(1, "ticket", id=ticket["id"], entity=body))[0]
    assert updated["entities"][0]["summary"] == "Renamed"
    patch = [{"op": "replace", "path": "summary", "value": "Patched"}]
    patched = _bundle(api, {**_req(1, "ticket", id=ticket["id"], entity=patch), "method": "PATCH"})
    assert patched[0]["entities"][0]["summary"] == "Patched"
    deleted = _bundle(api, _req(1, "ticket", id=ticket["id"], method="delete"))[0]
    assert (deleted["statusCode"], deleted["entities"]) == (204, [])
    assert sim.store.get("/service/tickets", ticket["id"]) is None


def test_each_result_carries_its_own_error(api: httpx.Client) -> None:
    results = _bundle(
        api,
        _req(1, "ticket", id=99999),
        _req(2, "ticket", entity={"board": {"id": 1}}),
        _req(3, "spaceship", id=1),
        _req(4, "ticketNote"),
        _req(5, "ticket", filters={"conditions": "nosuch=1"}),
        _req(6, "configuration", id=67890),
    )
    assert [r["statusCode"] for r in results] == [404, 400, 400, 400, 400, 200]
    assert [r["success"] for r in results] == [False] * 5 + [True]
    assert results[0]["error"] == {
        "code": "NotFound",
        "message": "Service Ticket 99999 not found",
        "errors": [],
    }
    assert [e["field"] for e in results[1]["error"]["errors"]] == ["summary", "company"]
    assert results[2]["error"]["code"] == "InvalidResourceType"
    assert "parentid" in results[3]["error"]["message"]
    assert results[4]["error"]["message"] == "nosuch is not a recognized name."
    assert "error" not in results[5]
    assert results[5]["entities"][0]["name"] == "PROD-WEB-01"


def test_filter_keys_in_any_case(api: httpx.Client) -> None:
    expected = api.get(
        "company/contacts",
        params={"childConditions": 'communicationItems/value like "alex*"'},
    ).json()
    assert expected
    spellings = ["childconditions", "childConditions", "ChildConditions"]
    for key in spellings:
        result = _bundle(
            api, _req(1, "contact", filters={key: 'communicationItems/value like "alex*"'})
        )
        assert result[0]["entities"] == expected
    custom = {"customfieldconditions": 'caption="Region" and value="EU"'}
    eu = _bundle(api, _req(1, "company", filters=custom))[0]["entities"]
    assert {c["id"] for c in eu} == {249, 251, 254, 256}
    pascal = {
        "Requests": [
            {
                "SequenceNumber": 7,
                "ResourceType": "Company",
                "ApiRequest": {"Id": 250, "Fields": "id,identifier"},
            }
        ]
    }
    answered = api.post("system/bundles", json=pascal).json()["results"][0]
    assert (answered["sequenceNumber"], answered["entities"]) == (
        7,
        [{"id": 250, "identifier": "HarborPoint"}],
    )


def test_forward_only_page_id(api: httpx.Client) -> None:
    result = _bundle(api, _req(1, "ticket", page={"pageId": 290, "pageSize": 5}))[0]
    assert [t["id"] for t in result["entities"]] == [291, 292, 293, 294, 295]


@pytest.mark.parametrize(
    "body", [[], {"requests": "x"}, {"nothing": []}, {"requests": [{"sequenceNumber": 1}] * 101}]
)
def test_malformed_bundles_are_400(api: httpx.Client, body: Any) -> None:
    response = api.post("system/bundles", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == "BadRequest"


def test_non_object_requests_fail_alone(api: httpx.Client) -> None:
    results = _bundle(api, "nonsense", _req(2, "ticket", id=1))  # type: ignore[arg-type]
    assert [r["statusCode"] for r in results] == [400, 200]


def test_bundles_need_credentials(sim: ManageSimulator) -> None:
    with httpx.Client(base_url=sim.api_root) as anonymous:
        response = anonymous.post("system/bundles", json={"requests": []})
    assert response.status_code == 401


def test_bundle_size_is_a_limit() -> None:
    with ManageSimulator(limits=Limits(max_bundle_requests=2)) as sim, client_for(sim) as api:
        too_many = [_req(n, "ticket", id=n) for n in range(1, 4)]
        assert api.post("system/bundles", json={"requests": too_many}).status_code == 400
        assert len(_bundle(api, *too_many[:2])) == 2


def test_time_entries_where_the_description_serves_them(tmp_path: Path) -> None:
    with ManageSimulator(description=minidoc.write(tmp_path)) as sim, client_for(sim) as client:
        result, missing = _bundle(
            client,
            _req(1, "timeentry", filters={"conditions": "chargeToId=4"}),
            _req(2, "contact", id=1),
        )
    assert [(e["chargeToType"], e["chargeToId"]) for e in result["entities"]] == [
        ("ServiceTicket", 4)
    ]
    assert (missing["statusCode"], missing["error"]["code"]) == (404, "NotFound")
    assert missing["error"]["message"] == "GET /company/contacts/1 is not served."


def test_bundle_count_counts(api: httpx.Client) -> None:
    response = api.post(
        "system/bundles/count",
        json={"requests": [_req(1, "ticket", filters={"conditions": "company/id=250"})]},
    )
    result = response.json()["results"][0]
    expected = api.get("service/tickets/count", params={"conditions": "company/id=250"}).json()
    assert (result["count"], result["entities"]) == (expected["count"], [])
