"""Each import rule on small documents in ConnectWise's conventions."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import import_spec as imp
import pytest

ROOT = Path(__file__).resolve().parents[2]
KEPT = ["/service/*", "/company/*", "/system/callbacks*", "/system/info"]
VND = "application/vnd.connectwise.com+json; version=2025.8"
INFO = {"type": "object", "additionalProperties": {"type": "string"}}
CLIENT_ID = {"name": "clientId", "in": "header", "required": True, "schema": {"type": "string"}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def op(schema: dict[str, Any] | None = None, params: list[Any] | None = None) -> dict[str, Any]:
    content = {VND: {"schema": schema}} if schema else {}
    return {
        "operationId": "x",
        "parameters": params if params is not None else [copy.deepcopy(CLIENT_ID)],
        "responses": {"200": {"description": "ok", "content": content}},
    }


def all_json() -> dict[str, Any]:
    """An All.json-like document: Service, Company, System and other modules."""
    return {
        "openapi": "3.0.1",
        "info": {"title": "t", "version": "2099.1"},
        "paths": {
            "/service/tickets": {"get": op({"type": "array", "items": ref("Ticket")})},
            "/company/companies/{id}": {"get": op(ref("Company.Company"))},
            "/system/callbacks": {"get": op({"type": "array", "items": ref("CallbackEntry")})},
            "/system/info": {"get": op(ref("Info"))},
            "/system/members": {"get": op({"type": "array", "items": ref("Member")})},
            "/finance/agreements": {"get": op(ref("Agreement"))},
            "/procurement/catalog": {"get": op(ref("CatalogItem"))},
        },
        "components": {
            "schemas": {
                "Ticket": {
                    "type": "object",
                    "required": ["summary", "company"],
                    "properties": {
                        "id": {"type": "integer"},
                        "summary": {"type": "string"},
                        "company": ref("CompanyReference"),
                        "severity": {"type": "string", "enum": ["Low", "High"]},
                        "_info": copy.deepcopy(INFO),
                    },
                },
                "TicketInfo": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "_info": copy.deepcopy(INFO)},
                },
                "CompanyReference": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "_info": copy.deepcopy(INFO)},
                },
                "Company.Company": {"type": "object", "properties": {"name": {"type": "string"}}},
                "CallbackEntry": {"type": "object", "properties": {"url": {"type": "string"}}},
                "Info": {"type": "object", "properties": {"version": {"type": "string"}}},
                "Member": {"type": "object", "properties": {"id": {"type": "integer"}}},
                "Agreement": {"type": "object", "properties": {"id": {"type": "integer"}}},
                "CatalogItem": {"type": "object", "properties": {"id": {"type": "integer"}}},
            }
        },
    }


def test_select_paths_keeps_what_the_patterns_name() -> None:
    doc = imp.select_paths(all_json(), KEPT)
    assert sorted(doc["paths"]) == [
        "/company/companies/{id}",
        "/service/tickets",
        "/system/callbacks",
        "/system/info",
    ]


def test_select_paths_refuses_a_pattern_that_matches_nothing() -> None:
    with pytest.raises(imp.ImportError_, match=r"'/service/\*' matches no path"):
        imp.select_paths({"paths": {"/finance/agreements": {}}}, KEPT)


def test_prune_schemas_drops_what_no_kept_path_reaches() -> None:
    doc = imp.prune_schemas(imp.add_error_schema(imp.select_paths(all_json(), KEPT)))
    assert sorted(doc["components"]["schemas"]) == [
        "CallbackEntry",
        "Company.Company",
        "CompanyReference",
        "ErrorDetail",
        "ErrorResponse",
        "Info",
        "Ticket",
    ]


def test_prune_schemas_fails_loudly_on_a_dangling_ref() -> None:
    doc = all_json()
    doc["paths"]["/service/tickets"]["get"] = op(ref("Missing"))
    with pytest.raises(imp.ImportError_, match="Missing"):
        imp.prune_schemas(imp.select_paths(doc, KEPT))


def test_fix_path_parameters_moves_a_stray_path_parameter_to_the_query() -> None:
    param = {"name": "transferContactId", "in": "path", "required": True, "schema": {}}
    doc = {"paths": {"/company/contacts/{id}": {"delete": op(params=[param])}}}
    fixed = imp.fix_path_parameters(doc)["paths"]["/company/contacts/{id}"]["delete"]
    assert fixed["parameters"] == [
        {"name": "transferContactId", "in": "query", "required": False, "schema": {}}
    ]


def test_fix_path_parameters_keeps_real_placeholders() -> None:
    param = {"name": "id", "in": "path", "required": True, "schema": {}}
    doc = {"paths": {"/company/contacts/{id}": {"get": op(params=[param])}}}
    assert imp.fix_path_parameters(copy.deepcopy(doc)) == doc


def test_drop_client_id_header_removes_only_that_header() -> None:
    other = {"name": "conditions", "in": "query", "schema": {"type": "string"}}
    doc = {"paths": {"/service/tickets": {"get": op(params=[copy.deepcopy(CLIENT_ID), other])}}}
    params = imp.drop_client_id_header(doc)["paths"]["/service/tickets"]["get"]["parameters"]
    assert params == [other]


def test_drop_parameter_defaults() -> None:
    page = {"name": "pageSize", "in": "query", "schema": {"type": "integer", "default": 25}}
    doc = {"paths": {"/service/tickets": {"get": op(params=[page])}}}
    params = imp.drop_parameter_defaults(doc)["paths"]["/service/tickets"]["get"]["parameters"]
    assert params == [{"name": "pageSize", "in": "query", "schema": {"type": "integer"}}]


def test_share_info_schema_replaces_every_inline_info() -> None:
    doc = imp.share_info_schema(all_json())
    schemas = doc["components"]["schemas"]
    for name in ("Ticket", "TicketInfo", "CompanyReference"):
        assert schemas[name]["properties"]["_info"] == ref("RecordInfo")
    assert schemas["RecordInfo"]["additionalProperties"] == {}
    assert "TicketInfo" in schemas  # the real schema keeps its name


def test_share_info_schema_refuses_an_existing_record_info() -> None:
    doc = all_json()
    doc["components"]["schemas"]["RecordInfo"] = {"type": "object"}
    with pytest.raises(imp.ImportError_, match="RecordInfo"):
        imp.share_info_schema(doc)


def test_rename_dotted_schemas_renames_and_rewrites_refs() -> None:
    doc = imp.rename_dotted_schemas(all_json())
    assert "CompanyCompany" in doc["components"]["schemas"]
    assert "Company.Company" not in doc["components"]["schemas"]
    get = doc["paths"]["/company/companies/{id}"]["get"]
    assert get["responses"]["200"]["content"][VND]["schema"] == ref("CompanyCompany")


def test_rename_dotted_schemas_fails_on_a_collision() -> None:
    doc = all_json()
    doc["components"]["schemas"]["CompanyCompany"] = {"type": "object"}
    with pytest.raises(imp.ImportError_, match="collides"):
        imp.rename_dotted_schemas(doc)


def test_loosen_free_form_objects_accepts_any_value() -> None:
    doc = {
        "components": {
            "schemas": {
                "CustomFieldValue": {
                    "type": "object",
                    "properties": {
                        "value": {"type": "object", "description": "d"},
                        "shaped": {"type": "object", "properties": {"a": {"type": "string"}}},
                    },
                }
            }
        }
    }
    props = imp.loosen_free_form_objects(doc)["components"]["schemas"]["CustomFieldValue"]
    assert props["properties"]["value"] == {"description": "d"}
    assert props["properties"]["shaped"]["type"] == "object"


def test_name_inline_enums_moves_enums_into_named_schemas() -> None:
    doc = imp.name_inline_enums(all_json())
    schemas = doc["components"]["schemas"]
    assert schemas["TicketSeverity"] == {"type": "string", "enum": ["Low", "High"]}
    assert schemas["Ticket"]["properties"]["severity"] == ref("TicketSeverity")


def test_name_inline_enums_fails_on_a_collision() -> None:
    doc = all_json()
    doc["components"]["schemas"]["TicketSeverity"] = {"type": "string"}
    with pytest.raises(imp.ImportError_, match="TicketSeverity"):
        imp.name_inline_enums(doc)


def test_add_error_schema_shapes_connectwise_errors() -> None:
    schemas = imp.add_error_schema({})["components"]["schemas"]
    assert set(schemas["ErrorResponse"]["properties"]) == {"code", "message", "errors"}
    assert set(schemas["ErrorDetail"]["properties"]) == {"code", "message", "resource", "field"}


def test_tolerate_responses_drops_required_and_makes_properties_nullable() -> None:
    doc = imp.tolerate_responses(imp.select_paths(all_json(), KEPT))
    ticket = doc["components"]["schemas"]["Ticket"]
    assert "required" not in ticket
    assert ticket["properties"]["company"] == {"allOf": [ref("CompanyReference")], "nullable": True}
    assert ticket["properties"]["summary"] == {"type": "string", "nullable": True}
    assert ticket["properties"]["severity"]["nullable"] is True
    enum_ticket = imp.tolerate_responses(imp.name_inline_enums(all_json()))
    severity = enum_ticket["components"]["schemas"]["Ticket"]["properties"]["severity"]
    assert severity == {"allOf": [ref("TicketSeverity")], "nullable": True}


def test_tolerate_responses_leaves_request_only_schemas_alone() -> None:
    doc = all_json()
    body = {"content": {"application/json": {"schema": ref("Member")}}}
    doc["paths"] = {"/service/x": {"post": {**op(), "requestBody": body}}}
    doc["components"]["schemas"]["Member"]["required"] = ["id"]
    out = imp.tolerate_responses(doc)
    assert out["components"]["schemas"]["Member"]["required"] == ["id"]


def test_normalise_an_all_json_like_document_end_to_end() -> None:
    doc = imp.normalise(all_json(), KEPT)
    assert set(doc["paths"]) == {
        "/service/tickets",
        "/company/companies/{id}",
        "/system/callbacks",
        "/system/info",
    }
    schemas = doc["components"]["schemas"]
    assert {"Member", "Agreement", "CatalogItem", "Company.Company"}.isdisjoint(schemas)
    params = doc["paths"]["/service/tickets"]["get"]["parameters"]
    assert params == []


def test_normalise_does_not_modify_its_input() -> None:
    source = all_json()
    before = json.dumps(source, sort_keys=True)
    imp.normalise(source, KEPT)
    assert json.dumps(source, sort_keys=True) == before
