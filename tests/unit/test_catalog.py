"""The operation catalog: every operation of the bundled description, found and checked."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from cw_facade import InvalidArgumentError, MissingArgumentError
from cw_facade._catalog import (
    Catalog,
    UnknownOperationError,
    build_call,
    catalog,
    python_identifier,
    spec_path,
)

REPO = Path(__file__).resolve().parents[2]


def test_it_reads_the_same_description_as_the_simulator() -> None:
    from cw_facade.testing._spec import spec_path as simulator_spec_path

    assert spec_path() == simulator_spec_path()
    assert spec_path() == REPO / "openapi" / "connectwise-manage.json"


def test_every_operation_of_the_description_is_listed() -> None:
    doc = json.loads(spec_path().read_text())
    expected = {
        op["operationId"]
        for item in doc["paths"].values()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert {op.operation_id for op in catalog()} == expected
    assert len(catalog()) == len(expected)
    assert catalog().version == doc["info"]["version"]


def test_each_generated_module_name_exists_in_the_generated_package() -> None:
    missing = [op.module for op in catalog() if importlib.util.find_spec(op.module) is None]
    assert missing == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("getServiceTickets", "get_service_tickets"),
        ("SLAs", "sl_as"),
        ("CommunicationTypes", "communication_types"),
        ("getServiceTicketsByParentIdNotes", "get_service_tickets_by_parent_id_notes"),
        ("list", "list_"),
        ("class", "class_"),
        ("id", "id"),
        ("2fa", "tag2fa"),
    ],
)
def test_python_identifier_follows_the_generator(value: str, expected: str) -> None:
    assert python_identifier(value, "tag") == expected


def test_an_operation_describes_itself() -> None:
    op = catalog().lookup("getServiceTicketsById")
    assert op.method == "GET"
    assert op.path == "/service/tickets/{id}"
    assert op.key == "GET /service/tickets/{id}"
    assert op.is_read
    assert op.tag == "Tickets"
    assert op.summary
    assert op.module == "cw_manage_client.api.tickets.get_service_tickets_by_id"
    assert [p.name for p in op.path_parameters] == ["id"]
    (id_param,) = op.path_parameters
    assert id_param.required and id_param.type == "integer" and id_param.location == "path"
    assert "conditions" in [p.name for p in op.query_parameters]
    assert not op.has_body
    post = catalog().lookup("postServiceTickets")
    assert post.has_body and post.body_required and not post.is_read


@pytest.mark.parametrize(
    "name",
    [
        "getServiceTicketsById",
        "GETSERVICETICKETSBYID",
        "get /service/tickets/{id}",
        "GET /service/tickets/{id}/",
        "GET service/tickets/{id}",
    ],
)
def test_lookup_by_id_or_method_and_path(name: str) -> None:
    assert catalog().lookup(name).operation_id == "getServiceTicketsById"


def test_a_concrete_path_yields_its_path_values() -> None:
    found = catalog().find("GET /service/tickets/42/notes")
    assert found is not None
    op, values = found
    assert op.operation_id == "getServiceTicketsByParentIdNotes"
    assert values == {"parentId": "42"}


def test_literal_paths_win_over_placeholders() -> None:
    found = catalog().find("GET /service/tickets/count")
    assert found is not None
    assert found[0].operation_id == "getServiceTicketsCount"
    assert found[1] == {}


@pytest.mark.parametrize("name", ["getServiceTicket", "FETCH /service/tickets", "GET /nowhere"])
def test_an_unknown_operation_raises_with_suggestions(name: str) -> None:
    assert catalog().find(name) is None
    with pytest.raises(UnknownOperationError) as caught:
        catalog().lookup(name)
    assert isinstance(caught.value, InvalidArgumentError)
    assert caught.value.argument == "operation"
    assert name in str(caught.value)


def test_a_near_miss_suggests_the_operation() -> None:
    with pytest.raises(UnknownOperationError) as caught:
        catalog().lookup("getServiceTicket")
    assert "getServiceTickets" in caught.value.suggestions
    assert "did you mean" in str(caught.value)


def test_search_ranks_by_words_in_id_path_summary_and_tag() -> None:
    found = catalog().search("service ticket notes")
    assert found
    top = [op.path for op in found[:3]]
    assert "/service/tickets/{parentId}/notes" in top, top
    assert all("note" in (op.operation_id + op.summary).lower() for op in found)
    assert catalog().search(["callbacks"])[0].path.startswith("/system/callbacks")
    assert catalog().search("") == []
    assert catalog().search("xyzzy") == []


def test_search_needs_every_word() -> None:
    both = catalog().search("company notes")
    assert both and all("note" in (op.path + op.summary).lower() for op in both)
    assert all("compan" in (op.path + op.summary + op.tag).lower() for op in both)


def test_operation_ids_are_sorted_for_completion() -> None:
    ids = catalog().operation_ids
    assert ids == sorted(ids, key=str.casefold)
    assert "getServiceTickets" in ids


def test_build_call_fills_and_quotes_the_path() -> None:
    op = catalog().lookup("getServiceTicketsByParentIdNotesById")
    call = build_call(op, {"parentId": 5, "id": "7", "fields": "id,text"})
    assert (call.method, call.path) == ("GET", "service/tickets/5/notes/7")
    assert call.query == {"fields": "id,text"}
    assert call.body is None
    assert call.operation is op


def test_build_call_quotes_path_values() -> None:
    doc = {
        "paths": {
            "/system/members/{memberIdentifier}": {
                "get": {
                    "operationId": "getMember",
                    "tags": ["Members"],
                    "parameters": [
                        {"name": "memberIdentifier", "in": "path", "schema": {"type": "string"}}
                    ],
                }
            }
        }
    }
    op = Catalog(doc).lookup("getMember")
    assert build_call(op, {"memberIdentifier": "a b/../c"}).path == "system/members/a%20b%2F..%2Fc"


def test_build_call_matches_names_case_insensitively() -> None:
    op = catalog().lookup("getServiceTickets")
    call = build_call(op, {"pagesize": "5", "ORDERBY": "id desc", "conditions": "id>1"})
    assert call.query == {"pageSize": "5", "orderBy": "id desc", "conditions": "id>1"}


def test_build_call_carries_the_body() -> None:
    op = catalog().lookup("postServiceTicketsByParentIdNotes")
    call = build_call(op, {"parentId": 3}, body={"text": "hi", "internalAnalysisFlag": True})
    assert (call.method, call.path, call.body) == (
        "POST",
        "service/tickets/3/notes",
        {"text": "hi", "internalAnalysisFlag": True},
    )


def test_build_call_refuses_an_unknown_parameter() -> None:
    op = catalog().lookup("getServiceTickets")
    with pytest.raises(InvalidArgumentError) as caught:
        build_call(op, {"colour": "red"})
    assert caught.value.argument == "colour"
    assert "getServiceTickets has no parameter 'colour'" in str(caught.value)
    assert "pageSize" in str(caught.value)


def test_build_call_refuses_a_missing_path_parameter() -> None:
    op = catalog().lookup("getServiceTicketsById")
    with pytest.raises(MissingArgumentError) as caught:
        build_call(op, {})
    assert caught.value.argument == "id"


@pytest.mark.parametrize(("name", "value"), [("id", "abc"), ("id", "1.5"), ("id", None)])
def test_build_call_refuses_a_value_of_the_wrong_type(name: str, value: object) -> None:
    op = catalog().lookup("getServiceTicketsById")
    with pytest.raises(InvalidArgumentError) as caught:
        build_call(op, {name: value})
    assert caught.value.argument == name


def test_build_call_checks_booleans_and_numbers() -> None:
    doc = {
        "paths": {
            "/x": {
                "get": {
                    "operationId": "getX",
                    "parameters": [
                        {"name": "flag", "in": "query", "schema": {"type": "boolean"}},
                        {"name": "ratio", "in": "query", "schema": {"type": "number"}},
                        {"name": "clientId", "in": "header", "schema": {"type": "string"}},
                    ],
                }
            }
        }
    }
    op = Catalog(doc).lookup("getX")
    assert op.tag == "default"
    assert op.module == "cw_manage_client.api.default.get_x"
    assert build_call(op, {"flag": True, "ratio": "0.5"}).query == {"flag": "true", "ratio": "0.5"}
    assert build_call(op, {"flag": "TRUE"}).query == {"flag": "true"}
    for bad in ({"flag": "yes"}, {"ratio": "half"}, {"clientId": "x"}):
        with pytest.raises(InvalidArgumentError):
            build_call(op, bad)


def test_build_call_refuses_a_parameter_given_twice() -> None:
    op = catalog().lookup("getServiceTickets")
    with pytest.raises(InvalidArgumentError, match="given twice"):
        build_call(op, {"pageSize": 1, "pagesize": 2})


def test_build_call_needs_a_required_body_and_refuses_an_unwanted_one() -> None:
    post = catalog().lookup("postServiceTickets")
    with pytest.raises(MissingArgumentError) as missing:
        build_call(post, {})
    assert missing.value.argument == "body"
    get = catalog().lookup("getServiceTickets")
    with pytest.raises(InvalidArgumentError) as unwanted:
        build_call(get, {}, body={"x": 1})
    assert unwanted.value.argument == "body"


def test_a_path_parameter_without_a_placeholder_is_dropped() -> None:
    doc = {
        "paths": {
            "/company/contacts/{id}": {
                "delete": {
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                        {"name": "transferContactId", "in": "path", "schema": {"type": "integer"}},
                    ],
                }
            }
        }
    }
    op = Catalog(doc).lookup("DELETE /company/contacts/{id}")
    assert op.operation_id == "delete_company_contacts_id"
    assert [p.name for p in op.parameters] == ["id"]
    assert build_call(op, {"id": 9}).path == "company/contacts/9"


def test_referenced_parameters_and_schemas_are_resolved() -> None:
    doc = {
        "components": {
            "parameters": {
                "Fields": {"name": "fields", "in": "query", "schema": {"type": "string"}}
            },
            "schemas": {"Info": {"type": "object"}},
        },
        "paths": {
            "/y": {
                "get": {
                    "operationId": "getY",
                    "parameters": [
                        {"$ref": "#/components/parameters/Fields"},
                        {
                            "name": "info",
                            "in": "query",
                            "schema": {"$ref": "#/components/schemas/Info"},
                        },
                    ],
                }
            }
        },
    }
    op = Catalog(doc).lookup("getY")
    assert [(p.name, p.type) for p in op.parameters] == [("fields", "string"), ("info", "object")]
    assert build_call(op, {"info": {"a": 1}}).query == {"info": '{"a":1}'}


def test_the_body_media_types_are_kept() -> None:
    post = catalog().lookup("postServiceTickets")
    assert post.body_types == ("application/json",)
    assert post.has_json_body
    assert not catalog().lookup("getServiceTickets").has_json_body


def test_a_multipart_body_is_refused_as_json() -> None:
    doc = {
        "paths": {
            "/system/documents": {
                "post": {
                    "operationId": "postSystemDocuments",
                    "requestBody": {"content": {"multipart/form-data": {"schema": {}}}},
                }
            }
        }
    }
    op = Catalog(doc).lookup("postSystemDocuments")
    assert op.has_body and not op.has_json_body and not op.body_required
    with pytest.raises(InvalidArgumentError, match="multipart/form-data body, not JSON"):
        build_call(op, {}, body={"file": "x"})
    assert build_call(op, {}).body is None
