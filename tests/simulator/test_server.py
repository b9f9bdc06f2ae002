"""Server-level behaviour: determinism, concurrency, keep-alive, CLI, seeds, the validator."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from cw_facade.testing import ManageSimulator, _spec
from cw_facade.testing.__main__ import build_parser, describe
from cw_facade.testing._schema import validate
from tests.simulator.helpers import client_for

SCRIPT: list[tuple[str, str, Any]] = [
    ("GET", "service/tickets?pageSize=3&orderBy=id desc", None),
    (
        "POST",
        "service/tickets",
        {"summary": "Same", "company": {"id": 250}, "initialDescription": "x"},
    ),
    ("PATCH", "service/tickets/301", [{"op": "replace", "path": "status/id", "value": 456}]),
    ("GET", "service/tickets/301/notes", None),
    ("POST", "service/tickets/301/configurations", {"id": 67890}),
    ("DELETE", "service/tickets/301", None),
    ("GET", "service/tickets/301", None),
]


def _record(sim: ManageSimulator) -> list[tuple[int, str, str, str]]:
    with client_for(sim) as client:
        out = []
        for method, path, body in SCRIPT:
            response = client.request(method, path, json=body)
            text = response.text.replace(sim.base_url, "SITE")
            link = response.headers.get("link", "").replace(sim.base_url, "SITE")
            out.append((response.status_code, response.headers["x-cw-request-id"], link, text))
        return out


def test_two_fresh_simulators_answer_identically() -> None:
    with ManageSimulator() as one, ManageSimulator() as two:
        first, second = _record(one), _record(two)
    assert first == second
    assert [status for status, *_ in first] == [200, 201, 200, 200, 201, 204, 404]


def test_concurrent_requests_on_keep_alive_connections(sim: ManageSimulator) -> None:
    failures: list[str] = []

    def worker() -> None:
        with client_for(sim) as client:
            for _ in range(15):
                response = client.get("service/tickets", params={"pageSize": 50})
                if response.status_code != 200 or len(response.json()) != 50:
                    failures.append(response.text)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(sim.request_log) == 90


def test_keep_alive_reuses_one_connection() -> None:
    with ManageSimulator(seed="empty") as sim, client_for(sim) as client:
        statuses = {client.get("service/boards").status_code for _ in range(20)}
        assert statuses == {200}
        assert sim.connections_accepted == 1


def test_generated_tickets_and_empty_seed() -> None:
    with ManageSimulator(tickets=2000) as big, client_for(big) as client:
        assert client.get("service/tickets/count").json() == {"count": 2000}
        last_page = client.get("service/tickets", params={"pageSize": 1000, "page": 2}).json()
        assert last_page[-1]["id"] == 2000
    with ManageSimulator(seed="empty") as empty, client_for(empty) as client:
        assert client.get("service/tickets/count").json() == {"count": 0}
        assert client.get("service/boards").json() == []
    with pytest.raises(ValueError, match="unknown seed"):
        ManageSimulator(seed="nope").start()


def test_readme_ids_exist_in_demo_seed(api: httpx.Client) -> None:
    assert api.get("company/companies/250").json()["name"] == "Harbor Point Dental"
    assert api.get("service/boards/1").json()["name"] == "Service Desk"
    assert api.get("service/priorities/8").json()["name"] == "Priority 1 - Emergency Response"
    assert api.get("service/sources/42").json()["name"] == "RMM Integration"
    resolved = api.get("service/boards/1/statuses/456").json()
    assert (resolved["name"], resolved["closedStatus"]) == ("Resolved", True)
    assert api.get("company/configurations/67890").json()["name"] == "PROD-WEB-01"


def test_start_twice_and_stop_twice() -> None:
    sim = ManageSimulator(seed="empty")
    with pytest.raises(RuntimeError):
        _ = sim.base_url
    sim.start()
    try:
        with pytest.raises(RuntimeError, match="already running"):
            sim.start()
    finally:
        sim.stop()
    sim.stop()
    assert "stopped" in repr(sim)


def test_cli_describe_never_prints_private_key() -> None:
    args = build_parser().parse_args(["serve", "--port", "0", "--private-key", "s3cret-value"])
    assert args.private_key == "s3cret-value"
    with ManageSimulator(seed="empty", private_key=args.private_key) as sim:
        text = describe(sim, private_key_given=True)
        assert sim.base_url in text
    assert "s3cret-value" not in text
    assert "public key:  demo-public" in text
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--seed", "other"])


@pytest.mark.parametrize(
    ("instance", "schema", "problem"),
    [
        ("x", {"type": "integer"}, "expected integer"),
        (True, {"type": "integer"}, "expected integer"),
        (None, {"type": "string"}, "null is not allowed"),
        ("Maybe", {"type": "string", "enum": ["Yes"]}, "not one of the listed values"),
        ({"id": "1"}, {"$ref": "#/components/schemas/BoardReference"}, "/id: expected integer"),
        ({"extra": 1}, {"$ref": "#/components/schemas/BoardReference"}, "not a listed property"),
        ([{"id": 1.5}], {"type": "array", "items": {"$ref": "#/components/schemas/Count"}}, ""),
    ],
)
def test_validator_reports_problems(instance: Any, schema: dict[str, Any], problem: str) -> None:
    problems = validate(instance, schema, strict=True)
    assert problems
    assert problem in problems[0]


def test_validator_accepts_valid_and_nullable() -> None:
    schema = {"allOf": [{"$ref": "#/components/schemas/BoardReference"}], "nullable": True}
    assert validate(None, schema, strict=True) == []
    assert validate({"id": 1, "name": "x", "_info": {"a_href": "u"}}, schema, strict=True) == []


def test_bad_content_length_is_400(sim: ManageSimulator) -> None:
    with socket.create_connection(("127.0.0.1", sim.port)) as raw:
        raw.sendall(b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 400")


def test_cli_serves_until_interrupted() -> None:
    command = [sys.executable, "-m", "cw_facade.testing", "serve", "--seed", "empty"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,  # as a shell starts it, whatever this process inherited
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        site = first.rsplit(" ", 1)[-1].strip()
        assert site.startswith("http://127.0.0.1:")
        with httpx.Client() as client:
            assert (
                client.get(f"{site}/login/companyinfo/cwfacade").json()["CompanyID"] == "cwfacade"
            )
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "demo-private" not in first + out + err
    assert "stopped" in err


def test_spec_path_reports_where_it_looked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_spec, "SPEC_CANDIDATES", (Path("/nonexistent/a.json"),))
    with pytest.raises(FileNotFoundError, match=re.escape("/nonexistent/a.json")):
        _spec.spec_path()


def _default_sigint() -> None:
    """Give the child Ctrl+C's default action (an ignored SIGINT would be inherited)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
