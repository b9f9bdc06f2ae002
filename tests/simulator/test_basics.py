"""First-slice behaviour: auth, discovery, CRUD, listing and paging."""

from __future__ import annotations

import httpx

from cw_facade.testing import ManageSimulator


def test_company_info_needs_no_auth_and_unknown_company_is_null(sim: ManageSimulator) -> None:
    with httpx.Client() as client:
        known = client.get(f"{sim.base_url}/login/companyinfo/{sim.company}")
        unknown = client.get(f"{sim.base_url}/login/companyinfo/nobody")
    assert known.status_code == 200
    assert known.json()["Codebase"] == "v4_6_release/"
    assert known.json()["CompanyID"] == sim.company
    assert known.json()["VersionCode"] == "v2025.8"
    assert unknown.status_code == 200
    assert unknown.text == "null"


def test_get_ticket_and_not_found(api: httpx.Client) -> None:
    found = api.get("service/tickets/123")
    missing = api.get("service/tickets/99999")
    assert found.status_code == 200
    assert found.json()["id"] == 123
    assert missing.status_code == 404
    assert missing.json() == {"code": "NotFound", "message": "Service Ticket 99999 not found"}


def test_create_ticket_fills_reference_names_and_info(api: httpx.Client) -> None:
    created = api.post("service/tickets", json={"summary": "Printer", "company": {"id": 250}})
    assert created.status_code == 201
    body = created.json()
    assert body["company"]["name"] == "Harbor Point Dental"
    assert body["company"]["identifier"] == "HarborPoint"
    assert body["company"]["_info"]["company_href"].endswith("/company/companies/250")
    assert body["_info"]["dateEntered"] == "2025-01-01T00:00:01Z"
    assert body["_info"]["notes_href"].endswith(f"/service/tickets/{body['id']}/notes")
    assert body["board"]["name"] == "Service Desk"
    assert body["status"]["name"] == "New"
    assert api.get(f"service/tickets/{body['id']}").json() == body
