"""Time entries and agreements: raw ``time/entries`` and ``finance/agreements`` on a mock transport.

The simulator serves only the Service and Company modules, so these tools are tested on an
``httpx.MockTransport`` handed to the async client through its public ``transport=`` option.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from cw_facade import AsyncConnectWiseClient
from cw_facade.mcp import ServerSettings, build_server
from tests.mcp.conftest import audit_lines, call

API_ROOT = "http://127.0.0.1:9/v4_6_release/apis/3.0"
ENTRIES = [
    {"id": i, "chargeToId": 7, "chargeToType": "ServiceTicket", "notes": "x"} for i in (1, 2)
]
AGREEMENTS = [{"id": 31, "name": "Managed Services", "company": {"id": 250}}]


class FakeManage:
    """Answers time entries and agreements, and remembers every request."""

    def __init__(self, entries: list[dict[str, Any]] = ENTRIES) -> None:
        self.requests: list[httpx.Request] = []
        self.tables = {"time/entries": entries, "finance/agreements": AGREEMENTS}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix("/v4_6_release/apis/3.0/")
        tables = self.tables
        if path.endswith("/count"):
            return httpx.Response(200, json={"count": len(tables[path.removesuffix("/count")])})
        if path in tables:
            return httpx.Response(200, json=tables[path])
        collection, _, record_id = path.rpartition("/")
        found = [r for r in tables.get(collection, []) if str(r["id"]) == record_id]
        if found:
            return httpx.Response(200, json=found[0])
        body = {"code": "NotFound", "message": f"{path} not found"}
        return httpx.Response(404, json=body)

    def sent(self, suffix: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith(suffix)]


def server_on(fake: FakeManage, audit: Path) -> Any:
    def factory() -> AsyncConnectWiseClient:
        return AsyncConnectWiseClient(
            API_ROOT, "cwfacade", "pub", "priv", "client-id", transport=httpx.MockTransport(fake)
        )

    return build_server(ServerSettings(audit_log=audit), client_factory=factory, actor="tester")


def test_time_entries_of_a_ticket(tmp_path: Path) -> None:
    fake = FakeManage()
    result = call(server_on(fake, tmp_path / "a.jsonl"), "list_time_entries", {"ticket_id": 7})
    assert [r["id"] for r in result.structured_content["records"]] == [1, 2]
    (listed,) = fake.sent("/time/entries")
    assert listed.url.params["conditions"] == 'chargeToId=7 AND chargeToType="ServiceTicket"'
    hostile = call(
        server_on(fake, tmp_path / "a.jsonl"),
        "list_time_entries",
        {"member_identifier": 'x" OR id>0 OR "'},
    )
    assert hostile.structured_content["conditions"] == 'member/identifier="x\\" OR id>0 OR \\""'


def test_one_time_entry_and_a_missing_one(tmp_path: Path) -> None:
    fake = FakeManage()
    server = server_on(fake, tmp_path / "a.jsonl")
    assert (
        call(server, "get_time_entry", {"time_entry_id": 2}).structured_content["record"]
        == (ENTRIES[1])
    )
    missing = call(server, "get_time_entry", {"time_entry_id": 99})
    assert missing.is_error and "time entry 99 not found" in missing.content[0].text


def test_agreements(tmp_path: Path) -> None:
    fake = FakeManage()
    server = server_on(fake, tmp_path / "a.jsonl")
    listed = call(server, "list_agreements", {"company_id": 250, "name_contains": "Managed"})
    assert listed.structured_content["records"] == AGREEMENTS
    (request,) = fake.sent("/finance/agreements")
    assert request.url.params["conditions"] == 'company/id=250 AND name contains "Managed"'
    one = call(server, "get_agreement", {"agreement_id": 31}).structured_content
    assert one["record"]["name"] == "Managed Services"
    assert call(server, "get_agreement", {"agreement_id": 32}).is_error


def test_a_long_record_is_clipped_with_a_note(tmp_path: Path) -> None:
    fake = FakeManage([{"id": 3, "notes": "y" * 10_000}])
    server = build_server(
        ServerSettings(audit_log=tmp_path / "a.jsonl", max_bytes=1_000),
        client_factory=lambda: AsyncConnectWiseClient(
            API_ROOT, "c", "p", "k", "id", transport=httpx.MockTransport(fake)
        ),
    )
    result = call(server, "get_time_entry", {"time_entry_id": 3}).structured_content
    assert result["truncated"] is True and "cut to 500" in result["note"]
    assert result["record"]["notes"] == "y" * 500 + "…"
    assert len(json.dumps(result["record"])) < 1_000


def test_writes_from_a_factory_client_are_audited_under_the_given_actor(tmp_path: Path) -> None:
    audit = tmp_path / "a.jsonl"
    call(server_on(FakeManage(), audit), "add_ticket_note", {"ticket_id": 1, "text": "x"})
    assert [(line["actor"], line["outcome"]) for line in audit_lines(audit)] == [
        ("tester", "refused")
    ]
