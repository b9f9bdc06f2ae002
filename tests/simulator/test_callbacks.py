"""Callbacks registered through /system/callbacks are POSTed, signed, to a local receiver."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from cw_facade.testing import ManageSimulator, sign


class Receiver(ThreadingHTTPServer):
    """Collects (headers, raw body) of every POST."""

    daemon_threads = True

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def _register(api: httpx.Client, url: str, **extra: Any) -> dict[str, Any]:
    body = {"url": url, "objectId": 249, "type": "ticket", "level": "owner", **extra}
    response = api.post("system/callbacks", json=body)
    assert response.status_code == 201, response.text
    registered: dict[str, Any] = response.json()
    return registered


def test_ticket_changes_are_delivered_signed(
    sim: ManageSimulator, api: httpx.Client, receiver: Receiver
) -> None:
    _register(api, receiver.url)
    created = api.post("service/tickets", json={"summary": "Hook", "company": {"id": 250}}).json()
    url = f"service/tickets/{created['id']}"
    api.patch(url, json=[{"op": "replace", "path": "summary", "value": "Hooked"}])
    api.delete(url)
    sim.wait_for_callbacks()
    assert [d.status for d in sim.callback_deliveries] == [200, 200, 200]
    payloads = [json.loads(body) for _, body in receiver.received]
    assert [p["Action"] for p in payloads] == ["added", "updated", "deleted"]
    assert {p["Type"] for p in payloads} == {"ticket"}
    assert {p["ID"] for p in payloads} == {created["id"]}
    assert json.loads(payloads[1]["Entity"])["summary"] == "Hooked"
    assert payloads[0]["CompanyId"] == sim.company
    assert payloads[0]["CallbackObjectRecId"] == 249
    key_url = payloads[0]["Metadata"]["key_url"]
    assert key_url.startswith(sim.api_root)
    with httpx.Client() as plain:
        signing_key = plain.get(key_url).json()["signing_key"]
    for headers, body in receiver.received:
        digest = hmac.new(hashlib.sha256(signing_key.encode()).digest(), body, hashlib.sha256)
        assert headers["x-content-signature"] == base64.b64encode(digest.digest()).decode()
        assert headers["x-content-signature"] == sign(body, signing_key)


def test_level_company_filters(sim: ManageSimulator, api: httpx.Client, receiver: Receiver) -> None:
    _register(api, receiver.url, level="company", objectId=251)
    api.post("service/tickets", json={"summary": "Other company", "company": {"id": 250}})
    api.post("service/tickets", json={"summary": "This company", "company": {"id": 251}})
    sim.wait_for_callbacks()
    assert [json.loads(json.loads(b)["Entity"])["summary"] for _, b in receiver.received] == [
        "This company"
    ]


def test_company_callbacks_and_inactive(
    sim: ManageSimulator, api: httpx.Client, receiver: Receiver
) -> None:
    _register(api, receiver.url, type="company")
    _register(api, receiver.url, inactiveFlag=True)
    api.patch("company/companies/252", json=[{"op": "replace", "path": "city", "value": "Salem"}])
    api.post("service/tickets", json={"summary": "No ticket hook", "company": {"id": 250}})
    sim.wait_for_callbacks()
    payloads = [json.loads(body) for _, body in receiver.received]
    assert [(p["Type"], p["Action"], p["ID"]) for p in payloads] == [("company", "updated", 252)]


@pytest.mark.parametrize(
    "url", ["http://example.com/hook", "ftp://127.0.0.1/x", "https://10.0.0.1/hook", ""]
)
def test_non_loopback_urls_are_refused(api: httpx.Client, url: str) -> None:
    response = api.post(
        "system/callbacks", json={"url": url, "objectId": 1, "type": "ticket", "level": "owner"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "url"


def test_failed_delivery_is_recorded(sim: ManageSimulator, api: httpx.Client) -> None:
    with Receiver() as unused:
        dead_url = unused.url
    _register(api, dead_url)
    api.post("service/tickets", json={"summary": "Nobody listens", "company": {"id": 250}})
    sim.wait_for_callbacks()
    assert len(sim.callback_deliveries) == 1
    assert sim.callback_deliveries[0].status is None
    assert sim.callback_deliveries[0].error
