"""``cw tickets|companies|contacts|configurations|time-entries|agreements`` in-process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx
import pytest

from cw_facade.testing import ManageSimulator
from tests.cli.conftest import Runner, Tty, run_cw


def test_tickets_list_prints_json_when_piped(cw: Runner) -> None:
    ran = cw("tickets", "list", "--limit", "3")
    assert ran.code == 0, ran.err
    tickets = json.loads(ran.out)
    assert [t["id"] for t in tickets] == [1, 2, 3]
    assert ran.err == ""


def test_tickets_list_where_fields_and_order(cw: Runner, sim: ManageSimulator) -> None:
    ran = cw(
        "tickets", "list", "--where", "closedFlag=false", "--fields", "id,summary,closedFlag",
        "--order-by", "id desc", "--limit", "5", "--format", "jsonl",
    )  # fmt: skip
    assert ran.code == 0, ran.err
    rows = [json.loads(line) for line in ran.out.splitlines()]
    assert len(rows) == 5
    assert all(set(r) <= {"id", "summary", "closedFlag"} and r["closedFlag"] is False for r in rows)
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)
    sent = [e for e in sim.request_log if e.path.endswith("/service/tickets")]
    assert sent[-1].query["conditions"] == "closedFlag=false"
    assert sent[-1].query["fields"] == "id,summary,closedFlag"
    assert sent[-1].query["pageSize"] == "5"


def test_tickets_list_all_pages_through_everything(cw: Runner, sim: ManageSimulator) -> None:
    ran = cw("tickets", "list", "--all", "--format", "jsonl", "--fields", "id")
    count = json.loads(cw("api", "getServiceTicketsCount").out)["count"]
    ids = [json.loads(line)["id"] for line in ran.out.splitlines()]
    assert ran.code == 0
    assert ids == sorted(set(ids))
    assert len(ids) == count > 25


def test_tickets_list_as_a_table(cw: Runner, env: dict[str, str]) -> None:
    out = Tty()
    ran = run_cw(["tickets", "list", "--limit", "2"], {**env, "NO_COLOR": "1"}, stdout=out)
    assert ran.code == 0
    head, *rows = ran.out.splitlines()
    assert head.split() == [
        "ID",
        "SUMMARY",
        "STATUS/NAME",
        "PRIORITY/NAME",
        "COMPANY/IDENTIFIER",
        "BOARD/NAME",
    ]
    assert len(rows) == 2 and rows[0].startswith("1 ")
    assert "\033[" not in ran.out


def test_the_table_header_is_bold_on_a_colour_terminal(env: dict[str, str]) -> None:
    ran = run_cw(["companies", "list", "--limit", "1"], env, stdout=Tty())
    assert ran.out.startswith("\033[1mID")


def test_a_bad_where_is_refused_before_sending(cw: Runner, sim: ManageSimulator) -> None:
    before = len(sim.request_log)
    ran = cw("tickets", "list", "--where", "closedFlag=")
    assert ran.code == 2
    assert "cw: error: expected a value after '='" in ran.err
    assert "^" in ran.err
    assert len(sim.request_log) == before


def test_an_unknown_field_in_where_is_the_servers_400(cw: Runner) -> None:
    ran = cw("tickets", "list", "--where", "colour=1")
    assert ran.code == 1
    assert "400" in ran.err and "colour" in ran.err


@pytest.mark.parametrize("limit", ["0", "-3"])
def test_limit_must_be_positive(cw: Runner, limit: str) -> None:
    ran = cw("tickets", "list", "--limit", limit)
    assert ran.code == 2
    assert "--limit must be at least 1" in ran.err


def test_tickets_get(cw: Runner) -> None:
    ran = cw("tickets", "get", "1")
    assert ran.code == 0
    assert json.loads(ran.out)["id"] == 1
    fields = json.loads(cw("tickets", "get", "1", "--fields", "id,summary").out)
    assert set(fields) == {"id", "summary"}


def test_tickets_get_as_key_value_table(cw: Runner, env: dict[str, str]) -> None:
    ran = run_cw(["tickets", "get", "1", "--format", "table"], env)
    lines = dict(line.split(None, 1) for line in ran.out.splitlines())
    assert lines["id"] == "1"
    assert lines["board"] == "Service Desk"
    assert "_info" not in lines


def test_tickets_get_csv_and_jsonl(cw: Runner) -> None:
    rows = list(csv.reader(io.StringIO(cw("tickets", "get", "2", "--format", "csv").out)))
    assert rows[0][0] == "id" and rows[1][0] == "2"
    assert json.loads(cw("tickets", "get", "2", "--format", "jsonl").out)["id"] == 2


def test_a_missing_record_exits_4(cw: Runner) -> None:
    ran = cw("tickets", "get", "99999")
    assert ran.code == 4
    assert ran.err == "cw: error: ticket 99999 not found\n"
    assert ran.out == ""


@pytest.mark.parametrize("bad", ["abc", "0", "-1"])
def test_a_bad_id_is_a_usage_error(cw: Runner, bad: str) -> None:
    ran = cw("tickets", "get", bad)
    assert ran.code == 2
    assert "expected a positive integer id" in ran.err


def test_tickets_create_with_profile_defaults(
    sim: ManageSimulator, tmp_path: Path, env: dict[str, str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        "[profiles.default.defaults]\ncompany_id = 250\nboard_id = 1\npriority_id = 8\n"
    )
    ran = run_cw(
        ["tickets", "create", "--summary", "Disk full", "--body", "C: at 99%",
         "--field", "contactName=Ann Lee", "--field", 'severity="High"'],
        {**env, "CW_CONFIG": str(config)},
    )  # fmt: skip
    assert ran.code == 0, ran.err
    ticket = json.loads(ran.out)
    assert ticket["summary"] == "Disk full"
    assert ticket["company"]["id"] == 250
    assert ticket["board"]["id"] == 1
    assert ticket["priority"]["id"] == 8
    assert ticket["contactName"] == "Ann Lee"
    assert ran.err == f"created ticket {ticket['id']}\n"


def test_tickets_create_by_names(cw: Runner) -> None:
    ran = cw(
        "tickets", "create", "--summary", "VPN down", "--company-id", "250",
        "--board", "Service Desk", "--priority", "Priority 1 - Emergency Response",
    )  # fmt: skip
    assert ran.code == 0, ran.err
    ticket = json.loads(ran.out)
    assert ticket["board"]["name"] == "Service Desk"
    assert ticket["priority"]["name"] == "Priority 1 - Emergency Response"


def test_tickets_create_refuses_before_sending(cw: Runner, sim: ManageSimulator) -> None:
    before = len(sim.request_log)
    no_company = cw("tickets", "create", "--summary", "x")
    assert no_company.code == 2
    assert "company" in no_company.err
    too_long = cw("tickets", "create", "--summary", "x" * 101, "--company-id", "250")
    assert too_long.code == 2
    assert "summary" in too_long.err
    bad_field = cw("tickets", "create", "--summary", "x", "--field", "novalue")
    assert bad_field.code == 2 and "NAME=VALUE" in bad_field.err
    assert len(sim.request_log) == before


def test_an_unknown_board_name_lists_the_valid_ones(cw: Runner) -> None:
    ran = cw("tickets", "create", "--summary", "x", "--company-id", "250", "--board", "Nope")
    assert ran.code == 2
    assert "no board named 'Nope'" in ran.err and "Service Desk" in ran.err


def test_tickets_note_discussion_by_default_and_internal(cw: Runner) -> None:
    public = cw("tickets", "note", "1", "We are on it")
    assert public.code == 0, public.err
    note = json.loads(public.out)
    assert note["detailDescriptionFlag"] is True and not note.get("internalAnalysisFlag")
    assert "added discussion note" in public.err
    internal = json.loads(cw("tickets", "note", "1", "Checked logs", "--internal").out)
    assert internal["internalAnalysisFlag"] is True
    resolution = json.loads(cw("tickets", "note", "1", "Fixed", "--resolution").out)
    assert resolution["resolutionFlag"] is True


def test_tickets_note_on_a_missing_ticket(cw: Runner) -> None:
    ran = cw("tickets", "note", "99999", "hello")
    assert ran.code == 4
    assert "404" in ran.err


def test_tickets_status_by_name_and_by_id(cw: Runner) -> None:
    ran = cw("tickets", "status", "1", "Resolved")
    assert ran.code == 0, ran.err
    assert json.loads(ran.out)["status"]["name"] == "Resolved"
    assert "ticket 1 is now 'Resolved'" in ran.err
    status_id = json.loads(ran.out)["status"]["id"]
    again = cw("tickets", "status", "2", str(status_id))
    assert json.loads(again.out)["status"]["id"] == status_id


def test_tickets_status_unknown_name(cw: Runner) -> None:
    ran = cw("tickets", "status", "1", "Teleported")
    assert ran.code == 2
    assert "no status named 'Teleported'" in ran.err


@pytest.mark.parametrize(
    ("resource", "column"),
    [("companies", "identifier"), ("contacts", "firstName"), ("configurations", "name")],
)
def test_list_and_get_of_the_other_resources(cw: Runner, resource: str, column: str) -> None:
    listed = cw(resource, "list", "--limit", "2", "--format", "csv")
    assert listed.code == 0, listed.err
    rows = list(csv.DictReader(io.StringIO(listed.out)))
    assert len(rows) == 2 and rows[0][column]
    got = cw(resource, "get", rows[0]["id"])
    assert got.code == 0
    assert json.loads(got.out)["id"] == int(rows[0]["id"])
    assert cw(resource, "get", "987654").code == 4


# -- time entries and agreements (not served by the simulator: a MockTransport plays it) ------

ENTRIES = [{"id": i, "chargeToType": "ServiceTicket", "chargeToId": 7, "actualHours": 0.5 * i,
            "member": {"identifier": "alee"}} for i in (1, 2, 3)]  # fmt: skip
AGREEMENTS = [{"id": 11, "name": "Managed Gold", "agreementStatus": "Active",
               "company": {"identifier": "HarborPoint"}}]  # fmt: skip


def fake_server(requests: list[httpx.Request]) -> httpx.MockTransport:
    """Discovery plus ``time/entries`` and ``finance/agreements``, as a real server answers."""
    collections = {"time/entries": ENTRIES, "finance/agreements": AGREEMENTS}

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        path = request.url.path
        if path.startswith("/login/companyinfo/"):
            return httpx.Response(200, json={"Codebase": "v4_6_release/", "VersionCode": "v2025.8"})
        sub = path.removeprefix("/v4_6_release/apis/3.0/")
        for name, records in collections.items():
            if sub == name:
                return httpx.Response(200, json=records)
            if sub.startswith(name + "/"):
                wanted = int(sub.rsplit("/", 1)[1])
                found = [r for r in records if r["id"] == wanted]
                if found:
                    return httpx.Response(200, json=found[0])
                return httpx.Response(404, json={"code": "NotFound", "message": "not found"})
        return httpx.Response(404, json={"code": "NotFound", "message": f"{sub} not found"})

    return httpx.MockTransport(handler)


@pytest.fixture
def fake_env(tmp_path: Path) -> dict[str, str]:
    return {
        "CW_BASE_URL": "https://cw.example.com",
        "CW_COMPANY": "exampleco",
        "CW_PUBLIC_KEY": "pub",
        "CW_PRIVATE_KEY": "priv-key-value",
        "CW_CLIENT_ID": "00000000-0000-4000-8000-000000000000",
        "CW_CONFIG": str(tmp_path / "none.toml"),
    }


@pytest.mark.parametrize("name", ["time-entries", "time"])
def test_time_entries_list_and_get(fake_env: dict[str, str], name: str) -> None:
    requests: list[httpx.Request] = []
    listed = run_cw(
        [name, "list", "--where", "chargeToId=7"], fake_env, transport=fake_server(requests)
    )
    assert listed.code == 0, listed.err
    assert [e["id"] for e in json.loads(listed.out)] == [1, 2, 3]
    api_calls = [r for r in requests if "/apis/3.0/" in r.url.path]
    assert api_calls[0].url.path == "/v4_6_release/apis/3.0/time/entries"
    assert api_calls[0].url.params["conditions"] == "chargeToId=7"
    assert api_calls[0].url.host == "cw.example.com"
    got = run_cw([name, "get", "2"], fake_env, transport=fake_server([]))
    assert json.loads(got.out)["actualHours"] == 1.0
    missing = run_cw([name, "get", "9"], fake_env, transport=fake_server([]))
    assert missing.code == 4 and "time entry 9 not found" in missing.err


def test_agreements_list_and_get(fake_env: dict[str, str]) -> None:
    requests: list[httpx.Request] = []
    listed = run_cw(
        ["agreements", "list", "--format", "csv"], fake_env, transport=fake_server(requests)
    )
    rows = list(csv.DictReader(io.StringIO(listed.out)))
    assert rows == [{"id": "11", "name": "Managed Gold", "type/name": "",
                     "company/identifier": "HarborPoint", "agreementStatus": "Active",
                     "startDate": ""}]  # fmt: skip
    assert any(r.url.path.endswith("/finance/agreements") for r in requests)
    got = run_cw(["agreements", "get", "11"], fake_env, transport=fake_server([]))
    assert json.loads(got.out)["name"] == "Managed Gold"


def test_a_resource_without_an_action_is_a_usage_error(cw: Runner) -> None:
    ran = cw("tickets")
    assert ran.code == 2
    assert "ACTION" in ran.err or "required" in ran.err
