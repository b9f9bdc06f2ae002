"""``cw api``: any operation of the description, through the client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cw_facade.cli._api import operation_name, parse_pairs
from cw_facade.cli._exit import UsageError
from cw_facade.testing import ManageSimulator
from tests.cli.conftest import Runner

BOARD = json.dumps({"name": "CLI Board", "location": {"id": 1}, "department": {"id": 1}})


@pytest.mark.parametrize(
    "words",
    [
        ["getServiceTicketsById", "id=1"],
        ["getserviceticketsbyid", "id=1"],
        ["GET /service/tickets/{id}", "id=1"],
        ["GET", "/service/tickets/{id}", "id=1"],
        ["GET", "/service/tickets/1"],
        ["get /service/tickets/1"],
    ],
)
def test_an_operation_by_id_or_method_and_path(cw: Runner, words: list[str]) -> None:
    ran = cw("api", *words)
    assert ran.code == 0, ran.err
    assert json.loads(ran.out)["id"] == 1


def test_query_parameters_go_through_the_client(cw: Runner, sim: ManageSimulator) -> None:
    ran = cw(
        "api", "getServiceTickets", "conditions=closedFlag=false", "fields=id,closedFlag",
        "orderBy=id desc", "pageSize=3", "page=2",
    )  # fmt: skip
    assert ran.code == 0, ran.err
    tickets = json.loads(ran.out)
    assert len(tickets) == 3
    assert all(t["closedFlag"] is False for t in tickets)
    sent = [e for e in sim.request_log if e.path.endswith("/service/tickets")][-1]
    assert sent.query == {
        "conditions": "closedFlag=false",
        "fields": "id,closedFlag",
        "orderBy": "id desc",
        "pageSize": "3",
        "page": "2",
    }
    assert sent.headers["clientid"] == sim.client_id


def test_a_list_as_json_lines(cw: Runner) -> None:
    ran = cw("api", "getServiceBoards", "--format", "jsonl")
    assert ran.code == 0
    boards = [json.loads(line) for line in ran.out.splitlines()]
    assert boards and all("name" in b for b in boards)


def test_a_count(cw: Runner) -> None:
    ran = cw("api", "GET /service/tickets/count", "conditions=closedFlag=true")
    assert ran.code == 0
    assert isinstance(json.loads(ran.out)["count"], int)


def test_post_with_a_body(cw: Runner) -> None:
    body = json.dumps({"text": "From cw api", "internalAnalysisFlag": True})
    ran = cw("api", "postServiceTicketsByParentIdNotes", "parentId=1", "--body", body)
    assert ran.code == 0, ran.err
    note = json.loads(ran.out)
    assert note["text"] == "From cw api"
    notes = json.loads(cw("api", "GET", "/service/tickets/1/notes").out)
    assert note["id"] in [n["id"] for n in notes]


def test_patch_with_a_body_file(cw: Runner, tmp_path: Path) -> None:
    patch = tmp_path / "patch.json"
    patch.write_text(json.dumps([{"op": "replace", "path": "summary", "value": "Patched"}]))
    ran = cw("api", "patchServiceTicketsById", "id=2", "--body", f"@{patch}")
    assert ran.code == 0, ran.err
    assert json.loads(ran.out)["summary"] == "Patched"


def test_put_and_delete(cw: Runner) -> None:
    created = json.loads(cw("api", "postServiceBoards", "--body", BOARD).out)
    board = json.loads(cw("api", "getServiceBoardsById", f"id={created['id']}").out)
    board["name"] = "CLI Board 2"
    put = cw("api", "putServiceBoardsById", f"id={created['id']}", "--body", json.dumps(board))
    assert put.code == 0, put.err
    assert json.loads(put.out)["name"] == "CLI Board 2"
    deleted = cw("api", "DELETE", f"/service/boards/{created['id']}")
    assert deleted.code == 0, deleted.err
    assert json.loads(deleted.out) == {"deleted": True}
    assert cw("api", "getServiceBoardsById", f"id={created['id']}").code == 4


def test_a_missing_record_exits_4(cw: Runner) -> None:
    ran = cw("api", "getServiceTicketsById", "id=99999")
    assert ran.code == 4
    assert "not found (404): GET /service/tickets/99999" in ran.err


def test_an_unknown_operation_exits_2_with_suggestions(cw: Runner) -> None:
    ran = cw("api", "getServiceTicketz")
    assert ran.code == 2
    assert "no operation 'getServiceTicketz'" in ran.err
    assert "did you mean getServiceTickets" in ran.err
    assert ran.out == ""


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["getServiceTicketsById"], "needs the path parameter 'id'"),
        (["getServiceTicketsById", "id=x"], "must be an integer"),
        (["getServiceTickets", "colour=red"], "has no parameter 'colour'"),
        (["getServiceTickets", "noequals"], "parameters are NAME=VALUE"),
        (["getServiceTicketsById", "id=1", "id=2"], "given twice"),
        (["GET", "/service/tickets/1", "id=2"], "given in the path"),
        (["postServiceTickets"], "needs a JSON body"),
        (["getServiceTickets", "conditions=closedFlag="], "expected a value"),
    ],
)
def test_bad_parameters_exit_2_before_sending(
    cw: Runner, sim: ManageSimulator, words: list[str], message: str
) -> None:
    before = len(sim.request_log)
    ran = cw("api", *words)
    assert ran.code == 2, ran.err
    assert message in ran.err
    assert len([e for e in sim.request_log[before:] if "/apis/3.0/" in e.path]) == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [("{not json", "--body is not valid JSON"), ("@/no/such/file.json", "cannot read --body")],
)
def test_bad_bodies(cw: Runner, body: str, message: str) -> None:
    ran = cw("api", "postServiceBoards", "--body", body)
    assert ran.code == 2
    assert message in ran.err


def test_a_body_where_none_is_taken(cw: Runner) -> None:
    ran = cw("api", "getServiceTickets", "--body", "{}")
    assert ran.code == 2
    assert "takes no body" in ran.err


def test_a_server_error_exits_1(cw: Runner) -> None:
    ran = cw("api", "postServiceTickets", "--body", json.dumps({"summary": "no company"}))
    assert ran.code == 1
    assert "400" in ran.err and "[POST /service/tickets]" in ran.err


def test_dry_run_sends_nothing_and_needs_no_credentials(cw: Runner, tmp_path: Path) -> None:
    ran = cw(
        "api", "postServiceTicketsByParentIdNotes", "parentId=7", "--body", '{"text": "x"}',
        "--dry-run", CW_PRIVATE_KEY="", CW_BASE_URL="",
    )  # fmt: skip
    assert ran.code == 0, ran.err
    assert json.loads(ran.out) == {
        "method": "POST",
        "path": "/service/tickets/7/notes",
        "query": {},
        "body": {"text": "x"},
    }


def test_describe(cw: Runner) -> None:
    ran = cw("api", "getServiceTicketsById", "--describe")
    described = json.loads(ran.out)
    assert described["path"] == "/service/tickets/{id}"
    assert described["module"] == "cw_manage_client.api.tickets.get_service_tickets_by_id"
    assert {"name": "id", "in": "path", "type": "integer", "required": True} in described[
        "parameters"
    ]
    assert described["body"] == "none"


def test_search(cw: Runner) -> None:
    ran = cw("api", "--search", "service", "ticket", "notes")
    assert ran.code == 0
    found = json.loads(ran.out)
    top = [row["operationId"] for row in found[:3]]
    assert "getServiceTicketsByParentIdNotes" in top, top
    assert all(set(row) == {"method", "path", "operationId", "summary"} for row in found)
    table = cw("api", "--search", "callbacks", "--format", "table")
    assert table.out.splitlines()[0].split() == ["METHOD", "PATH", "OPERATIONID", "SUMMARY"]
    nothing = cw("api", "--search", "xyzzy")
    assert nothing.code == 4
    assert "no operation matches 'xyzzy'" in nothing.err


def test_no_operation_is_a_usage_error(cw: Runner) -> None:
    ran = cw("api")
    assert ran.code == 2
    assert "name an operation" in ran.err


def test_operation_name_and_pairs() -> None:
    assert operation_name(["GET", "/a/b", "x=1"]) == ("GET /a/b", ["x=1"])
    assert operation_name(["getX", "x=1"]) == ("getX", ["x=1"])
    assert operation_name(["GET", "x=1"]) == ("GET", ["x=1"])
    assert parse_pairs(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    with pytest.raises(UsageError):
        parse_pairs(["=1"])
