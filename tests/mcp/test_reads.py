"""Read tools, in-process against the simulator through the SDK's own client."""

from __future__ import annotations

import json
from typing import Any

from mcp import Client

from cw_facade.mcp._bounds import json_size
from cw_facade.testing import ManageSimulator
from tests.mcp.conftest import call, run

READ_TOOLS = {
    "search_tickets", "get_ticket", "list_companies", "get_company", "list_contacts",
    "get_contact", "list_configurations", "get_configuration", "list_time_entries",
    "get_time_entry", "list_agreements", "get_agreement", "find_operation", "call_operation",
}  # fmt: skip
WRITE_TOOLS = {"create_ticket", "add_ticket_note", "update_ticket_status", "delete_ticket"}


def test_list_tools_gives_every_tool_with_a_schema_and_hints(make_server: Any) -> None:
    async def script(client: Client) -> Any:
        return (await client.list_tools()).tools

    tools = {tool.name: tool for tool in run(make_server(), script)}
    assert set(tools) == READ_TOOLS | WRITE_TOOLS
    for name, tool in tools.items():
        assert tool.description, name
        assert tool.input_schema["type"] == "object", name
        assert tool.annotations is not None
        assert tool.annotations.read_only_hint is (name in READ_TOOLS), name
        for argument, schema in tool.input_schema["properties"].items():
            assert schema.get("description"), f"{name}.{argument} has no description"
    assert tools["delete_ticket"].annotations.destructive_hint is True  # type: ignore[union-attr]
    create = tools["create_ticket"].input_schema
    assert set(create["required"]) == {"summary", "company_id"}
    assert create["properties"]["summary"]["maxLength"] == 100
    assert "dry_run" in create["properties"]
    search = tools["search_tickets"].input_schema
    assert search["$defs"]["Filter"]["additionalProperties"] is False
    assert "not in" in search["$defs"]["Filter"]["properties"]["op"]["enum"]


def test_search_tickets_returns_the_records_the_simulator_holds(
    make_server: Any, sim: ManageSimulator
) -> None:
    result = call(make_server(), "search_tickets", {"company_id": 250, "closed": False, "limit": 5})
    assert not result.is_error
    data = result.structured_content
    expected = [
        t["id"]
        for t in sim.store.all("/service/tickets")
        if t["company"]["id"] == 250 and not t["closedFlag"]
    ]
    assert [r["id"] for r in data["records"]] == sorted(expected)[:5]
    assert data["conditions"] == "company/id=250 AND closedFlag=false"
    assert data["truncated"] is (len(expected) > 5)


def test_an_injected_looking_value_stays_one_value(make_server: Any, sim: ManageSimulator) -> None:
    hostile = 'x" OR id>0 OR summary="'
    result = call(
        make_server(),
        "search_tickets",
        {"filters": [{"field": "summary", "op": "=", "value": hostile}], "fields": ["id"]},
    )
    assert result.structured_content["records"] == []
    sent = [r.query["conditions"] for r in sim.request_log if r.path.endswith("/service/tickets")]
    assert sent == ['summary="x\\" OR id>0 OR summary=\\""']


def test_summary_contains_is_escaped_too(make_server: Any, sim: ManageSimulator) -> None:
    result = call(make_server(), "search_tickets", {"summary_contains": 'VPN" OR id>0 OR "'})
    assert result.structured_content["count"] == 0
    assert result.structured_content["conditions"] == 'summary contains "VPN\\" OR id>0 OR \\""'


def test_raw_conditions_are_parsed_before_anything_is_sent(
    make_server: Any, sim: ManageSimulator
) -> None:
    server = make_server()
    bad = call(server, "search_tickets", {"conditions": 'summary="a" OR id>0 AND closedFlag=true'})
    assert bad.is_error
    assert "conditions rejected" in bad.content[0].text
    assert not [r for r in sim.request_log if r.path.endswith("/service/tickets")]
    good = call(server, "search_tickets", {"conditions": "id in (1,2, 3)", "fields": ["id"]})
    assert [r["id"] for r in good.structured_content["records"]] == [1, 2, 3]
    assert good.structured_content["conditions"] == "id in (1, 2, 3)"


def test_filters_combine_with_any_and_dates(make_server: Any) -> None:
    result = call(
        make_server(),
        "search_tickets",
        {
            "filters": [
                {"field": "id", "op": "=", "value": 1},
                {"field": "id", "op": "in", "value": [2, 3]},
            ],
            "match": "any",
            "fields": ["id"],
        },
    )
    assert [r["id"] for r in result.structured_content["records"]] == [1, 2, 3]
    after = {"field": "_info/dateEntered", "op": ">", "value": "2999-01-01", "date": True}
    dated = call(make_server(), "search_tickets", {"filters": [after]})
    assert dated.structured_content["conditions"] == "_info/dateEntered>[2999-01-01T00:00:00Z]"
    assert dated.structured_content["records"] == []


def test_bad_filter_arguments_are_tool_errors(make_server: Any, sim: ManageSimulator) -> None:
    server = make_server()
    for arguments in (
        {"filters": [{"field": "summary) OR (id", "value": 1}]},
        {"filters": [{"field": "id", "op": "in", "value": 1}]},
        {"filters": [{"field": "id", "op": "==", "value": 1}]},
        {"filters": [{"field": "id", "value": 1, "extra": 2}]},
        {"filters": [{"field": "dateEntered", "op": ">", "value": "soon", "date": True}]},
        {"order_by": "id sideways"},
        {"limit": 0},
    ):
        assert call(server, "search_tickets", arguments).is_error, arguments
    assert not [r for r in sim.request_log if r.path.endswith("/service/tickets")]


def test_results_are_bounded_in_records_and_bytes(make_server: Any) -> None:
    small = call(make_server(max_records=3), "search_tickets", {"limit": 50})
    assert small.structured_content["count"] == 3
    assert small.structured_content["truncated"] is True
    assert "more records match" in small.structured_content["note"]
    tiny = call(make_server(max_bytes=5_000), "search_tickets", {"limit": 50})
    data = tiny.structured_content
    assert data["truncated"] is True and "characters" in data["note"]
    assert 1 < data["count"] < 50
    assert sum(json_size(record) for record in data["records"]) <= 5_000


def test_get_ticket_has_its_notes(make_server: Any, sim: ManageSimulator) -> None:
    result = call(make_server(), "get_ticket", {"ticket_id": 1})
    data = result.structured_content
    assert data["record"]["id"] == 1
    notes = sim.store.collection("/service/tickets/{parentId}/notes").iterate(parent=1)
    assert [n["id"] for n in data["notes"]["records"]] == [n["id"] for n in notes]
    missing = call(make_server(), "get_ticket", {"ticket_id": 999_999})
    assert missing.is_error and "ticket 999999 not found" in missing.content[0].text


def test_companies_contacts_configurations(make_server: Any, sim: ManageSimulator) -> None:
    server = make_server()
    companies = call(server, "list_companies", {"fields": ["id", "name"], "limit": 100})
    assert {c["id"] for c in companies.structured_content["records"]} == {
        c["id"] for c in sim.store.all("/company/companies")
    }
    company = call(server, "get_company", {"company_id": 250}).structured_content
    assert company["record"]["id"] == 250
    contacts = call(server, "list_contacts", {"company_id": 250, "limit": 100})
    expected = {c["id"] for c in sim.store.all("/company/contacts") if c["company"]["id"] == 250}
    assert {c["id"] for c in contacts.structured_content["records"]} == expected
    first = min(expected)
    contact = call(server, "get_contact", {"contact_id": first}).structured_content
    assert contact["record"]["id"] == first
    configs = call(server, "list_configurations", {"name_contains": "PROD-WEB"})
    assert 67890 in [c["id"] for c in configs.structured_content["records"]]
    config = call(server, "get_configuration", {"configuration_id": 67890}).structured_content
    assert config["record"]["name"] == "PROD-WEB-01"
    for tool, key in (("get_company", "company_id"), ("get_contact", "contact_id")):
        assert call(server, tool, {key: 987_654}).is_error


def test_find_and_call_operation(make_server: Any, sim: ManageSimulator) -> None:
    server = make_server()
    found = call(server, "find_operation", {"words": "board statuses"}).structured_content
    ops = found["operations"]
    assert ops and all(op["method"] == "GET" for op in ops)
    assert any(op["path"] == "/service/boards/{parentId}/statuses" for op in ops)
    with_writes = call(server, "find_operation", {"words": "tickets", "include_writes": True})
    assert any(not op["callable"] for op in with_writes.structured_content["operations"])
    listed = call(
        server,
        "call_operation",
        {"operation": "GET /service/boards/1/statuses", "parameters": {"fields": "id,name"}},
    ).structured_content
    assert [s["id"] for s in listed["records"]] == [
        s["id"] for s in sim.store.collection("/service/boards/{parentId}/statuses").iterate(1)
    ]
    assert listed["truncated"] is False
    paged = call(
        server,
        "call_operation",
        {"operation": "GET /service/boards/1/statuses", "parameters": {"pageSize": 2}},
    ).structured_content
    assert paged["count"] == 2 and paged["truncated"] is True
    one = call(
        server, "call_operation", {"operation": "getServiceTicketsById", "parameters": {"id": 2}}
    )
    assert one.structured_content["record"]["id"] == 2


def test_call_operation_validates_conditions_and_refuses_writes(
    make_server: Any, sim: ManageSimulator
) -> None:
    server = make_server(max_records=4)
    capped = call(
        server,
        "call_operation",
        {
            "operation": "GET /service/tickets",
            "parameters": {"conditions": "company/id = 250", "pageSize": 500},
        },
    ).structured_content
    assert capped["request"]["query"] == {"conditions": "company/id=250", "pageSize": "4"}
    assert capped["count"] == 4 and capped["truncated"] is True
    before = len(sim.request_log)
    refusals = {
        "POST /service/tickets": "reads only",
        "deleteServiceTicketsById": "reads only",
        "getServiceTicketz": "did you mean",
    }
    for operation, text in refusals.items():
        result = call(server, "call_operation", {"operation": operation, "parameters": {"id": 1}})
        assert result.is_error and text in result.content[0].text
    injected = call(
        server,
        "call_operation",
        {"operation": "GET /service/tickets", "parameters": {"conditions": "id=1 OR x=2 AND y=1"}},
    )
    assert injected.is_error and "conditions rejected" in injected.content[0].text
    bogus = {"operation": "GET /service/tickets/5", "parameters": {"bogus": 1}}
    assert call(server, "call_operation", bogus).is_error
    assert len(sim.request_log) == before


def test_resources_and_prompt(make_server: Any) -> None:
    async def script(client: Client) -> Any:
        listed = {str(r.uri) for r in (await client.list_resources()).resources}
        syntax = await client.read_resource("cw://conditions-syntax")
        lookups = await client.read_resource("cw://lookups")
        prompt = await client.get_prompt("triage_ticket", {"ticket_id": "7"})
        return listed, syntax, lookups, prompt

    listed, syntax, lookups, prompt = run(make_server(), script)
    assert listed == {"cw://conditions-syntax", "cw://lookups"}
    assert "AND and OR never mix" in syntax.contents[0].text
    table = json.loads(lookups.contents[0].text)
    board = next(b for b in table["boards"] if b["id"] == 1)
    assert board["name"] == "Service Desk"
    assert {"id": 456, "name": "Resolved", "closes_ticket": True} in board["statuses"]
    assert any(p["id"] == 8 for p in table["priorities"])
    assert "ticket_id=7" in prompt.messages[0].content.text


def test_bad_keys_give_a_401_tool_error_without_the_key(
    sim: ManageSimulator, audit_path: Any
) -> None:
    from cw_facade import SecretString
    from cw_facade.mcp import Credentials, ServerSettings, build_server

    wrong = Credentials(
        sim.base_url, sim.company, sim.public_key, SecretString("wrong-secret-123"), sim.client_id
    )
    server = build_server(ServerSettings(audit_log=audit_path), credentials=wrong)
    result = call(server, "get_ticket", {"ticket_id": 1})
    assert result.is_error and "401" in result.content[0].text
    assert "wrong-secret-123" not in result.content[0].text
