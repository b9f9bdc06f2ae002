"""Authentication, ConnectWise error bodies, headers and the request log."""

from __future__ import annotations

import httpx
import pytest

from cw_facade.testing import ManageSimulator
from cw_facade.testing._schema import validate


@pytest.mark.parametrize(
    ("auth", "client_id"),
    [
        (None, "ok"),
        (("cwfacade+demo-public", "wrong"), "ok"),
        (("othercompany+demo-public", "demo-private"), "ok"),
        (("cwfacade+wrong-public", "demo-private"), "ok"),
        (("cwfacade+demo-public", "demo-private"), None),
        (("cwfacade+demo-public", "demo-private"), "11111111-0000-4000-8000-000000000000"),
    ],
    ids=["no-auth", "wrong-private", "wrong-company", "wrong-public", "no-client", "bad-client"],
)
def test_unauthorized(
    sim: ManageSimulator, auth: tuple[str, str] | None, client_id: str | None
) -> None:
    headers = (
        {} if client_id is None else {"clientId": sim.client_id if client_id == "ok" else client_id}
    )
    with httpx.Client(base_url=sim.api_root, auth=auth, headers=headers) as client:
        response = client.get("service/tickets")
    assert response.status_code == 401
    assert response.json()["code"] == "Unauthorized"
    assert "demo-private" not in response.text


def test_garbage_authorization_header_is_401(sim: ManageSimulator) -> None:
    headers = {"Authorization": "Basic !!!notbase64", "clientId": sim.client_id}
    with httpx.Client(base_url=sim.api_root, headers=headers) as client:
        assert client.get("service/tickets").status_code == 401


def test_company_is_case_insensitive(sim: ManageSimulator) -> None:
    auth = ("CWFACADE+demo-public", "demo-private")
    with httpx.Client(base_url=sim.api_root, auth=auth, headers={"clientId": sim.client_id}) as c:
        assert c.get("service/boards").status_code == 200


def test_standard_headers(api: httpx.Client) -> None:
    first = api.get("service/boards")
    second = api.get("service/boards/999")
    assert first.headers["api-current-version"] == "2025.8"
    assert first.headers["x-server-name"] == "cw-facade-simulator"
    assert first.headers["content-type"].startswith("application/json")
    assert first.headers["x-cw-request-id"] != second.headers["x-cw-request-id"]


def test_request_log_hides_credentials(sim: ManageSimulator, api: httpx.Client) -> None:
    api.get(
        "service/tickets", params={"pageSize": 3, "conditions": "id=1"}, headers={"Cookie": "a=b"}
    )
    entry = sim.request_log[-1]
    assert entry.method == "GET"
    assert entry.path.endswith("/apis/3.0/service/tickets")
    assert entry.query == {"pageSize": "3", "conditions": "id=1"}
    assert entry.status == 200
    assert "authorization" not in entry.headers
    assert "cookie" not in entry.headers
    assert entry.headers["clientid"] == sim.client_id
    assert "demo-private" not in repr(sim.request_log)
    assert "demo-private" not in repr(sim)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("service/tickets/99999", "Service Ticket 99999 not found"),
        ("service/tickets/99999/notes", "Service Ticket 99999 not found"),
        ("service/tickets/1/notes/99999", "Ticket Note 99999 not found"),
        ("company/companies/7", "Company 7 not found"),
        ("service/boards/1/statuses/99", "Service Status 99 not found"),
        ("company/configurations/1", "Configuration 1 not found"),
    ],
)
def test_not_found_messages(api: httpx.Client, path: str, message: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
    assert response.json() == {"code": "NotFound", "message": message}


def test_unknown_path_and_method(api: httpx.Client) -> None:
    assert api.get("service/nothing").status_code == 404
    assert api.delete("service/tickets").status_code == 405
    assert api.post("service/impacts", json={"name": "x"}).status_code == 405


def _errors(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "InvalidObject"
    return [(e["code"], e["field"]) for e in body["errors"]]


def test_ticket_missing_required_fields(api: httpx.Client) -> None:
    errors = _errors(api.post("service/tickets", json={"board": {"id": 1}}))
    assert errors == [("NullValue", "summary"), ("NullValue", "company")]


def test_summary_max_length(api: httpx.Client) -> None:
    body = {"summary": "x" * 101, "company": {"id": 250}}
    assert _errors(api.post("service/tickets", json=body)) == [("MaxLengthField", "summary")]
    body["summary"] = "x" * 100
    assert api.post("service/tickets", json=body).status_code == 201


def test_dangling_reference(api: httpx.Client) -> None:
    body = {"summary": "s", "company": {"id": 9999}, "priority": {"id": 8}}
    assert _errors(api.post("service/tickets", json=body)) == [("InvalidField", "company/id")]


def test_wrong_type(api: httpx.Client) -> None:
    body = {"summary": 12, "company": {"id": 250}}
    assert _errors(api.post("service/tickets", json=body)) == [("InvalidField", "summary")]


def test_note_needs_a_visibility_flag(api: httpx.Client) -> None:
    errors = _errors(api.post("service/tickets/1/notes", json={"text": "hello"}))
    assert errors == [
        ("InvalidField", "detailDescriptionFlag, internalAnalysisFlag, resolutionFlag")
    ]
    ok = api.post("service/tickets/1/notes", json={"text": "hi", "internalAnalysisFlag": True})
    assert ok.status_code == 201
    assert ok.json()["ticketId"] == 1


@pytest.mark.parametrize("content", [b"", b"{not json", b"[1, 2]"])
def test_bad_bodies(api: httpx.Client, content: bytes) -> None:
    response = api.post(
        "service/tickets", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "BadRequest"


def test_unknown_keys_are_ignored(api: httpx.Client) -> None:
    body = {"summary": "s", "company": {"id": 250}, "notAField": 1}
    created = api.post("service/tickets", json=body)
    assert created.status_code == 201
    assert "notAField" not in created.json()


def test_error_bodies_follow_the_error_schema(sim: ManageSimulator, api: httpx.Client) -> None:
    schema = {"$ref": "#/components/schemas/ErrorResponse"}
    with httpx.Client(base_url=sim.api_root) as anonymous:
        responses = [
            anonymous.get("service/tickets"),
            api.get("service/tickets/99999"),
            api.post("service/tickets", json={}),
            api.get("service/tickets", params={"conditions": "bad=1"}),
            api.delete("service/tickets"),
        ]
    assert [r.status_code for r in responses] == [401, 404, 400, 400, 405]
    for response in responses:
        assert validate(response.json(), schema, strict=True) == []
