"""Hostile and careless input: the simulator stays bounded, concurrent and JSON-speaking.

Each case of the reliability issue's simulator list is reproduced here: large OR conditions,
a request that evaluates slowly while others are served, deep nesting, absurd paging numbers,
unknown methods, oversized headers, long URLs, bad Content-Length, unauthenticated large
bodies and malformed request lines. No answer may be a 5xx or an HTML page.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from cw_facade.testing import Limits, ManageSimulator
from tests.simulator.helpers import client_for


def _raw(sim: ManageSimulator, data: bytes, *, read_all: bool = True) -> tuple[int, Any]:
    """Send raw bytes; return the status and the JSON body of the answer."""
    with socket.create_connection(("127.0.0.1", sim.port), timeout=10) as raw:
        raw.sendall(data)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = raw.recv(65536)
            if not chunk:
                break
            received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        while read_all and len(body) < length:
            chunk = raw.recv(65536)
            if not chunk:
                break
            body += chunk
    status = int(head.split(b" ", 2)[1])
    assert b"content-type: application/json" in head.lower()
    return status, json.loads(body)


def _auth_header(sim: ManageSimulator) -> bytes:
    import base64

    token = base64.b64encode(f"{sim.company}+{sim.public_key}:{sim.private_key}".encode())
    return b"Authorization: Basic " + token + b"\r\nclientId: " + sim.client_id.encode()


def _tickets_path(sim: ManageSimulator) -> bytes:
    return f"/{sim.codebase}apis/3.0/service/tickets".encode()


def test_500_term_or_of_ids_is_answered(api: httpx.Client) -> None:
    conditions = " or ".join(f"id={i}" for i in range(1, 501))
    found = api.post("service/tickets/search", json={"conditions": conditions, "pageSize": 1000})
    assert found.status_code == 200
    assert [t["id"] for t in found.json()] == list(range(1, 301))


def test_or_of_equalities_matches_like_the_evaluator(api: httpx.Client) -> None:
    conditions = 'summary="VPN DISCONNECTS EVERY HOUR" or id=2.0 or id in (3, 4) or id=-1'
    found = api.get("service/tickets", params={"conditions": conditions, "pageSize": 1000})
    expected = api.get(
        "service/tickets",
        params={"conditions": 'summary like "vpn disconnects every hour"', "pageSize": 1000},
    )
    ids = {t["id"] for t in found.json()}
    assert ids >= {2, 3, 4}
    assert ids - {2, 3, 4} == {t["id"] for t in expected.json()} - {2, 3, 4}


def test_3000_term_or_is_refused_with_connectwise_error(api: httpx.Client) -> None:
    conditions = " or ".join(f'summary contains "x{i}"' for i in range(3000))
    refused = api.post("service/tickets/search", json={"conditions": conditions})
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "ApiFindCondition",
        "message": "The conditions have 3000 terms; at most 1000 are accepted.",
    }
    listed = api.get(
        "service/tickets/count",
        params={"conditions": "id in (" + ",".join(str(i) for i in range(1200)) + ")"},
    )
    assert listed.json()["code"] == "ApiFindCondition"


def test_conditions_text_length_is_bounded(api: httpx.Client) -> None:
    refused = api.post("service/tickets/search", json={"conditions": "id=1 " + " " * 100_000})
    assert refused.status_code == 400
    assert "characters long" in refused.json()["message"]


def test_evaluation_time_is_bounded() -> None:
    limits = Limits(condition_budget_s=1e-9)
    with ManageSimulator(limits=limits) as sim, client_for(sim) as api:
        slow = api.get("service/tickets", params={"conditions": 'summary contains "x"'})
        assert slow.status_code == 400
        assert slow.json()["code"] == "ApiFindCondition"
        assert "longer than" in slow.json()["message"]
        assert api.get("service/tickets/1").status_code == 200


class _Blocking(dict[str, Any]):
    """A record whose fields cannot be read until ``release`` is set (a stalled evaluation)."""

    entered = threading.Event()
    release = threading.Event()

    def __contains__(self, key: object) -> bool:
        _Blocking.entered.set()
        _Blocking.release.wait(10)
        return dict.__contains__(self, key)


@pytest.fixture
def stalled(sim: ManageSimulator) -> Iterator[ManageSimulator]:
    _Blocking.entered.clear()
    _Blocking.release.clear()
    with sim.store.lock:
        tickets = sim.store.collection("/service/tickets")
        tickets.put(5000, _Blocking(id=5000, summary="stalled"))
    yield sim
    _Blocking.release.set()


def test_one_slow_query_never_blocks_other_requests(stalled: ManageSimulator) -> None:
    outcome: list[int] = []

    def slow_query() -> None:
        with client_for(stalled) as own:
            params = {"conditions": 'summary="stalled"', "pageSize": 1000}
            outcome.append(own.get("service/tickets", params=params).status_code)

    worker = threading.Thread(target=slow_query)
    worker.start()
    assert _Blocking.entered.wait(10)
    with client_for(stalled) as other:
        assert other.get("service/boards").status_code == 200
        created = other.post("service/tickets", json={"summary": "x", "company": {"id": 250}})
        assert created.status_code == 201
        assert other.get("service/tickets/count").json() == {"count": 302}
    assert outcome == []  # the slow query is still evaluating
    _Blocking.release.set()
    worker.join(10)
    assert outcome == [200]


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
def test_deeply_nested_bodies_are_400(api: httpx.Client, depth: int) -> None:
    body = "[" * depth + "]" * depth
    response = api.post(
        "service/tickets", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "BadRequest"
    assert "nested" in response.json()["message"]


def test_nesting_within_the_limit_is_a_normal_answer(api: httpx.Client) -> None:
    body = {"summary": "x", "company": {"id": 250}, "customFields": [[[[]]]]}
    assert api.post("service/tickets", json=body).status_code == 400


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_constants_are_400(api: httpx.Client, constant: str) -> None:
    body = f'{{"summary": "x", "company": {{"id": 250}}, "budgetHours": {constant}}}'
    response = api.post(
        "service/tickets", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"page": str(10**20)},
        {"page": str(10**20), "pageSize": str(10**20)},
        {"pageSize": "-5", "page": "-3"},
        {"page": "1" * 5000},
        {"pageId": str(10**20)},
    ],
)
def test_absurd_paging_numbers_never_give_5xx(api: httpx.Client, params: dict[str, str]) -> None:
    headers = {"pagination-type": "forward-only"} if "pageId" in params else {}
    response = api.get("service/tickets", params=params, headers=headers)
    assert response.status_code in (200, 400), response.text
    assert isinstance(response.json(), list | dict)


def test_huge_page_is_empty_with_links_back(api: httpx.Client) -> None:
    response = api.get("service/tickets", params={"page": str(10**20), "pageSize": 100})
    assert response.json() == []
    assert 'rel="first"' in response.headers["link"]


@pytest.mark.parametrize("record_id", ["9" * 30, "1" * 5000, "-1"])
def test_absurd_ids_are_404(api: httpx.Client, record_id: str) -> None:
    response = api.get(f"service/tickets/{record_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "NotFound"


def test_unknown_methods_get_json_405_or_404(sim: ManageSimulator) -> None:
    path = _tickets_path(sim)
    known = _raw(
        sim, b"BREW " + path + b" HTTP/1.1\r\nHost: a\r\n" + _auth_header(sim) + b"\r\n\r\n"
    )
    assert known == (
        405,
        {"code": "MethodNotAllowed", "message": "BREW is not allowed on /service/tickets"},
    )
    status, body = _raw(
        sim, b"BREW /nothing HTTP/1.1\r\nHost: a\r\n" + _auth_header(sim) + b"\r\n\r\n"
    )
    assert (status, body["code"]) == (404, "NotFound")


@pytest.mark.parametrize(
    ("request_bytes", "status", "code"),
    [
        (b"GARBAGE\r\n\r\n", 400, "BadRequest"),
        (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 400, "BadRequest"),
        (
            b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
            431,
            "RequestHeaderFieldsTooLarge",
        ),
        (b"GET / HTTP/1.1\r\n" + b"X-H: 1\r\n" * 150 + b"\r\n", 431, "RequestHeaderFieldsTooLarge"),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414, "UriTooLong"),
        (b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", 400, "BadRequest"),
        (b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n", 400, "BadRequest"),
        (
            b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            400,
            "BadRequest",
        ),
        (
            b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            411,
            "LengthRequired",
        ),
    ],
    ids=[
        "request-line",
        "http-version",
        "header-line",
        "header-count",
        "url-65k",
        "length-text",
        "length-negative",
        "length-conflict",
        "chunked",
    ],
)
def test_http_layer_errors_are_json(
    sim: ManageSimulator, request_bytes: bytes, status: int, code: str
) -> None:
    got_status, body = _raw(sim, request_bytes)
    assert (got_status, body["code"]) == (status, code)
    assert body["message"]


def test_configured_url_limit() -> None:
    with ManageSimulator(seed="empty", limits=Limits(max_url_chars=100)) as sim:
        with client_for(sim) as api:
            response = api.get("service/tickets", params={"conditions": "id=1 " * 30})
    assert response.status_code == 414
    assert response.json()["code"] == "UriTooLong"


def test_unauthenticated_body_is_never_read(sim: ManageSimulator) -> None:
    """A 200 MB announcement: the 401 comes back although not a byte of the body was sent."""
    head = b"POST " + _tickets_path(sim) + b" HTTP/1.1\r\nHost: a\r\n"
    head += b"Content-Type: application/json\r\nContent-Length: 200000000\r\n\r\n"
    status, body = _raw(sim, head)
    assert (status, body["code"]) == (401, "Unauthorized")


def test_expect_continue_is_refused_before_the_body(sim: ManageSimulator) -> None:
    head = b"POST " + _tickets_path(sim) + b" HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
    head += b"Content-Length: 50\r\n\r\n"
    status, body = _raw(sim, head)
    assert (status, body["code"]) == (401, "Unauthorized")


def test_body_size_cap() -> None:
    with ManageSimulator(seed="empty", limits=Limits(max_body_bytes=1000)) as sim:
        head = b"POST " + _tickets_path(sim) + b" HTTP/1.1\r\nHost: a\r\n" + _auth_header(sim)
        status, body = _raw(sim, head + b"\r\nContent-Length: 2000\r\n\r\n")
        assert (status, body["code"]) == (413, "RequestTooLarge")
        with client_for(sim) as api:
            small = api.post("service/boards", json={"name": "x" * 10})
            assert small.status_code == 400  # read and validated: location/department missing


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_body_bytes"):
        Limits(max_body_bytes=0)


def test_connection_survives_refusals_without_bodies(sim: ManageSimulator) -> None:
    with httpx.Client(base_url=sim.api_root) as anonymous:
        statuses = [anonymous.get("service/tickets").status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    assert sim.connections_accepted >= 1


def test_or_of_contains_matches_each_term(api: httpx.Client) -> None:
    words = ["vpn", "PRINTER", "nothing-like-this"]
    params = {"pageSize": 1000}
    joined = " or ".join(f'summary contains "{w}"' for w in words)
    found = {
        t["id"] for t in api.get("service/tickets", params=params | {"conditions": joined}).json()
    }
    each: set[int] = set()
    for word in words:
        single = api.get(
            "service/tickets", params=params | {"conditions": f'summary contains "{word}"'}
        )
        each |= {t["id"] for t in single.json()}
    assert found == each
    assert found
