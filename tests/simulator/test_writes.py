"""Writes: PUT, PATCH forms, DELETE, closing tickets, first notes, configuration links."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cw_facade.testing import ManageSimulator


def _ticket(api: httpx.Client, **extra: Any) -> dict[str, Any]:
    response = api.post(
        "service/tickets", json={"summary": "Disk full", "company": {"id": 250}, **extra}
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.mark.parametrize("path", ["summary", "/summary", "Summary"])
def test_patch_replace_path_forms(api: httpx.Client, path: str) -> None:
    ticket = _ticket(api)
    response = api.patch(
        f"service/tickets/{ticket['id']}", json=[{"op": "replace", "path": path, "value": "New"}]
    )
    assert response.status_code == 200
    assert response.json()["summary"] == "New"
    assert response.json()["_info"]["dateEntered"] == ticket["_info"]["dateEntered"]
    assert response.json()["_info"]["lastUpdated"] > ticket["_info"]["lastUpdated"]


def test_patch_nested_reference_re_resolves_name(api: httpx.Client) -> None:
    ticket = _ticket(api, priority={"id": 4})
    patched = api.patch(
        f"service/tickets/{ticket['id']}",
        json=[{"op": "replace", "path": "/priority/id", "value": 8}],
    ).json()
    assert patched["priority"]["id"] == 8
    assert patched["priority"]["name"] == "Priority 1 - Emergency Response"
    assert patched["priority"]["_info"]["priority_href"].endswith("/service/priorities/8")


def test_patch_add_and_remove(api: httpx.Client) -> None:
    ticket = _ticket(api)
    url = f"service/tickets/{ticket['id']}"
    added = api.patch(url, json=[{"op": "add", "path": "poNumber", "value": "PO-1"}]).json()
    assert added["poNumber"] == "PO-1"
    removed = api.patch(url, json=[{"op": "remove", "path": "poNumber"}]).json()
    assert "poNumber" not in removed


@pytest.mark.parametrize(
    "body",
    [
        {"op": "replace"},
        [{"op": "move", "path": "summary", "value": "x"}],
        [{"op": "replace", "path": "", "value": "x"}],
        [],
        ["replace"],
        [{"op": "replace", "path": "customFields/9/value", "value": "x"}],
    ],
)
def test_patch_bad_operations(api: httpx.Client, body: Any) -> None:
    response = api.patch("service/tickets/1", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == "BadRequest"


def test_patch_result_is_validated(api: httpx.Client) -> None:
    response = api.patch(
        "service/tickets/1", json=[{"op": "replace", "path": "summary", "value": "y" * 101}]
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "MaxLengthField"
    custom = api.patch(
        "service/tickets/1",
        json=[{"op": "replace", "path": "customFields/0/value", "value": "US"}],
    )
    assert custom.json()["customFields"][0]["value"] == "US"


def test_put_replaces_whole_record(api: httpx.Client) -> None:
    ticket = _ticket(api, poNumber="PO-7")
    replaced = api.put(
        f"service/tickets/{ticket['id']}", json={"summary": "Other", "company": {"id": 251}}
    )
    assert replaced.status_code == 200
    body = replaced.json()
    assert body["summary"] == "Other" and body["company"]["name"] == "Bluebird Logistics"
    assert "poNumber" not in body
    assert api.put("service/tickets/99999", json={"summary": "x"}).status_code == 404


def test_delete_then_not_found_and_children_gone(sim: ManageSimulator, api: httpx.Client) -> None:
    ticket = _ticket(api, initialDescription="first")
    notes = sim.store.collection("/service/tickets/{parentId}/notes")
    assert notes.size(ticket["id"]) == 1
    response = api.delete(f"service/tickets/{ticket['id']}")
    assert response.status_code == 204 and response.content == b""
    assert api.get(f"service/tickets/{ticket['id']}").status_code == 404
    assert notes.size(ticket["id"]) == 0
    assert api.delete(f"service/tickets/{ticket['id']}").status_code == 404


def test_closing_by_status_and_reopening(api: httpx.Client) -> None:
    ticket = _ticket(api)
    assert ticket["closedFlag"] is False
    url = f"service/tickets/{ticket['id']}"
    closed = api.patch(url, json=[{"op": "replace", "path": "status", "value": {"id": 456}}]).json()
    assert closed["closedFlag"] is True
    assert closed["closedBy"] == "APIMember"
    assert closed["closedDate"].startswith("2025-01-01T")
    reopened = api.patch(url, json=[{"op": "replace", "path": "status/id", "value": 451}]).json()
    assert reopened["closedFlag"] is False
    assert "closedDate" not in reopened


def test_status_by_name_on_the_ticket_board(api: httpx.Client) -> None:
    ticket = _ticket(api)
    resolved = api.patch(
        f"service/tickets/{ticket['id']}",
        json=[{"op": "replace", "path": "status", "value": {"name": "Resolved"}}],
    ).json()
    assert resolved["status"]["id"] == 456
    assert resolved["closedFlag"] is True
    bad = api.patch(
        f"service/tickets/{ticket['id']}",
        json=[{"op": "replace", "path": "status", "value": {"name": "Nope"}}],
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "status/name"


def test_initial_notes(api: httpx.Client) -> None:
    ticket = _ticket(
        api, initialDescription="Users cannot log in", initialInternalAnalysis="DC down"
    )
    assert "initialDescription" not in ticket
    notes = api.get(f"service/tickets/{ticket['id']}/notes").json()
    flags = [(n["text"], n["detailDescriptionFlag"], n["internalAnalysisFlag"]) for n in notes]
    assert flags == [("Users cannot log in", True, False), ("DC down", False, True)]


def test_configuration_association(api: httpx.Client) -> None:
    ticket = _ticket(api)
    base = f"service/tickets/{ticket['id']}/configurations"
    attached = api.post(base, json={"id": 67890})
    assert attached.status_code == 201
    assert attached.json()["id"] == 67890
    assert attached.json()["deviceIdentifier"] == "PROD-WEB-01"
    assert [c["id"] for c in api.get(base).json()] == [67890]
    assert api.get(f"{base}/count").json() == {"count": 1}
    assert api.get(f"{base}/67890").json()["id"] == 67890
    assert api.post(base, json={"id": 1}).status_code == 400
    assert api.delete(f"{base}/67890").status_code == 204
    assert api.get(base).json() == []
    assert api.get(f"{base}/67890").status_code == 404
    other = api.post("service/tickets/2/configurations", json={"id": 67890})
    assert other.status_code == 201


def test_ids_are_sequential(api: httpx.Client) -> None:
    first, second = _ticket(api), _ticket(api)
    assert (first["id"], second["id"]) == (301, 302)


def test_company_reference_and_nested_site(api: httpx.Client) -> None:
    site = api.post("company/companies/250/sites", json={"name": "Warehouse"})
    assert site.status_code == 201
    assert api.get(f"company/companies/250/sites/{site.json()['id']}").json()["name"] == "Warehouse"
    assert api.get(f"company/companies/251/sites/{site.json()['id']}").status_code == 404
    missing = api.post("company/companies", json={"name": "No identifier"})
    assert missing.json()["errors"][0]["field"] == "identifier"


def test_reset_restores_the_seed(sim: ManageSimulator, api: httpx.Client) -> None:
    _ticket(api)
    sim.reset()
    assert api.get("service/tickets/count").json() == {"count": 300}
    assert sim.request_log[-1].path.endswith("/count")
    assert len(sim.request_log) == 1


def test_doubled_slash_and_case_insensitive_paths(sim: ManageSimulator, api: httpx.Client) -> None:
    doubled = api.get(f"{sim.base_url}/v4_6_release/apis/3.0//service/boards/1")
    assert doubled.json()["name"] == "Service Desk"
    assert api.get("SERVICE/Boards/1").status_code == 200
    assert api.get("service/slas/1").json()["name"] == "Standard SLA"


def test_nested_records_point_at_their_parent(api: httpx.Client) -> None:
    site = api.post("company/companies/251/sites", json={"name": "Depot"}).json()
    assert "notes_href" not in site["_info"]
    assert (site["company"]["id"], site["company"]["name"]) == (251, "Bluebird Logistics")
    task = api.post("service/tickets/7/tasks", json={"summary": "Call back"}).json()
    assert task["ticketId"] == 7
    status = api.post("service/boards/2/statuses", json={"name": "Blocked"}).json()
    assert status["board"]["name"] == "Projects"
    assert status["id"] in [s["id"] for s in api.get("service/boards/2/statuses").json()]
