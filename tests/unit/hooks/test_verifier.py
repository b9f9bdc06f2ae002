"""CallbackVerifier end to end: the simulator POSTs signed callbacks to a local receiver.

A real callback passes; a replay, a forgery with its own key URL, a callback for another
company and junk bodies are refused — forgeries before any request to the forger's server.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from cw_facade import ConnectWiseClient
from cw_facade._webhooks import (
    CallbackEvent,
    CallbackVerifier,
    InvalidCallbackError,
    InvalidSignatureError,
    ReplayedCallbackError,
    ReplayGuard,
    compute_signature,
)
from cw_facade.testing import ManageSimulator

from ._servers import serve


class Receiver(ThreadingHTTPServer):
    """Hands each POST to ``handle`` and answers what it returns; keeps what it saw."""

    daemon_threads = True

    def __init__(self, handle: Callable[[bytes, dict[str, str]], int]) -> None:
        self.handle = handle
        self.received: list[tuple[bytes, dict[str, str], int]] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        headers = dict(self.headers.items())
        status = self.server.handle(body, headers)
        self.server.received.append((body, headers, status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def sim() -> Iterator[ManageSimulator]:
    with ManageSimulator() as simulator:
        yield simulator


def client(sim: ManageSimulator) -> ConnectWiseClient:
    return ConnectWiseClient(
        sim.base_url, sim.company, sim.public_key, sim.private_key, sim.client_id
    )


def running(receiver: Receiver) -> threading.Thread:
    thread = threading.Thread(target=receiver.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    return thread


def deliver_one(sim: ManageSimulator) -> tuple[bytes, dict[str, str]]:
    """Register a callback, create a ticket, and return the callback the simulator sent."""
    seen: list[tuple[bytes, dict[str, str]]] = []

    def keep(body: bytes, headers: dict[str, str]) -> int:
        seen.append((body, headers))
        return 200

    receiver = Receiver(keep)
    thread = running(receiver)
    try:
        with client(sim) as cw:
            cw.register_callback(receiver.url, type="ticket")
            cw.create_ticket("Printer on fire", company_id=250, board_id=1)
        sim.wait_for_callbacks()
    finally:
        receiver.shutdown()
        receiver.server_close()
        thread.join()
    assert len(seen) == 1
    return seen[0]


def verifier_for(sim: ManageSimulator, **options: Any) -> CallbackVerifier:
    return CallbackVerifier(sites=sim.base_url, company=sim.company, **options)


def forge(body: bytes, **changes: Any) -> tuple[bytes, dict[str, str]]:
    payload = json.loads(body)
    payload.update(changes)
    forged = json.dumps(payload).encode()
    return forged, {"x-content-signature": compute_signature(forged, "forger-key")}


class TestWithTheSimulator:
    def test_the_receiver_recipe_accepts_a_real_callback_and_refuses_its_replay(
        self, sim: ManageSimulator
    ) -> None:
        verifier = verifier_for(sim)
        events: list[CallbackEvent] = []

        def handle(body: bytes, headers: dict[str, str]) -> int:
            try:
                events.append(verifier.verify(body, headers))
            except InvalidCallbackError:
                return 401
            return 200

        receiver = Receiver(handle)
        thread = running(receiver)
        try:
            with client(sim) as cw:
                cw.register_callback(receiver.url, type="ticket")
                ticket = cw.create_ticket("Printer on fire", company_id=250, board_id=1)
            sim.wait_for_callbacks()
            body, headers, status = receiver.received[0]
            replay = httpx.post(receiver.url, content=body, headers=headers)
        finally:
            receiver.shutdown()
            receiver.server_close()
            thread.join()
        assert status == 200
        assert [(e.action, e.type, e.id) for e in events] == [("added", "ticket", ticket.id)]
        assert events[0].entity is not None and events[0].entity.summary == "Printer on fire"
        assert replay.status_code == 401
        assert [d.status for d in sim.callback_deliveries] == [200]

    def test_a_replay_is_a_replayed_callback_error(self, sim: ManageSimulator) -> None:
        body, headers = deliver_one(sim)
        verifier = verifier_for(sim)
        assert verifier.verify(body, headers).type == "ticket"
        with pytest.raises(ReplayedCallbackError):
            verifier.verify(body, headers)

    def test_without_a_guard_a_replay_passes(self, sim: ManageSimulator) -> None:
        body, headers = deliver_one(sim)
        verifier = verifier_for(sim, replay_guard=None)
        assert verifier.verify(body, headers).id == verifier.verify(body, headers).id

    def test_a_forgery_with_its_own_key_url_is_refused_before_any_request(
        self, sim: ManageSimulator
    ) -> None:
        body, _ = deliver_one(sim)
        with serve("ok") as forger:
            forged, headers = forge(body, Metadata={"key_url": forger.key_url}, ID=99)
            with pytest.raises(InvalidCallbackError, match="not the receiver's own"):
                verifier_for(sim).verify(forged, headers)
            assert forger.requests == []

    def test_a_forgery_with_the_real_key_url_fails_the_signature(
        self, sim: ManageSimulator
    ) -> None:
        body, _ = deliver_one(sim)
        forged, headers = forge(body, ID=99)
        with pytest.raises(InvalidSignatureError):
            verifier_for(sim).verify(forged, headers)

    def test_a_callback_claiming_another_company_is_refused(self, sim: ManageSimulator) -> None:
        body, headers = deliver_one(sim)
        with pytest.raises(InvalidCallbackError, match="not the expected"):
            CallbackVerifier(sites=sim.base_url, company="someone-else").verify(body, headers)

    def test_the_key_is_fetched_once_and_cached(self, sim: ManageSimulator) -> None:
        body, headers = deliver_one(sim)
        verifier = verifier_for(sim, replay_guard=None)
        before = len(sim.request_log)
        verifier.verify(body, headers)
        verifier.verify(body, headers)
        key_paths = ("callbacksigningkey", "callbackkey/index.rails")  # simulator's, ConnectWise's
        fetched = [
            r for r in sim.request_log[before:] if any(k in r.path.lower() for k in key_paths)
        ]
        assert len(fetched) == 1

    @pytest.mark.anyio
    async def test_async_twin(self, sim: ManageSimulator) -> None:
        body, headers = deliver_one(sim)
        verifier = verifier_for(sim)
        event = await verifier.verify_async(body, headers)
        assert (event.action, event.type) == ("added", "ticket")
        with pytest.raises(ReplayedCallbackError):
            await verifier.verify_async(body, headers)
        with serve("ok") as forger:
            forged, forged_headers = forge(body, Metadata={"key_url": forger.key_url})
            with pytest.raises(InvalidCallbackError, match="not the receiver's own"):
                await verifier.verify_async(forged, forged_headers)
            assert forger.requests == []


KEY = "mock-key"
SITE = "https://na.myconnectwise.net"
KEY_URL = (
    "https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails"
    "?companyName=acme&id=1"
)


def signed(key: str = KEY, message_id: str = "m-1") -> tuple[bytes, dict[str, str]]:
    body = json.dumps(
        {"MessageId": message_id, "CompanyId": "acme", "Type": "ticket", "ID": 5,
         "Metadata": {"key_url": KEY_URL}}
    ).encode()  # fmt: skip
    return body, {"x-content-signature": compute_signature(body, key)}


class KeyServer:
    """A mock key endpoint that counts fetches and can change its key."""

    def __init__(self) -> None:
        self.key = KEY
        self.fetches = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.fetches += 1
        return httpx.Response(200, json={"signing_key": self.key})


class TestKeyCache:
    def test_a_rotated_key_is_fetched_again_when_the_cached_one_is_old(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        server = KeyServer()
        verifier = CallbackVerifier(
            sites=SITE, company="acme", transport=httpx.MockTransport(server.handler)
        )
        verifier.verify(*signed(message_id="m-1"))
        server.key = "rotated"
        # a fresh cache entry is not refetched for a bad signature: no request storm
        with pytest.raises(InvalidSignatureError):
            verifier.verify(*signed("rotated", "m-2"))
        assert server.fetches == 1
        clock = [0.0]
        monkeypatch.setattr("cw_facade._webhooks.time.monotonic", lambda: clock[0])
        verifier._store(KEY_URL, KEY)  # cached at t=0 with the old key
        clock[0] = 61.0
        assert verifier.verify(*signed("rotated", "m-3")).id == 5
        assert server.fetches == 2

    def test_construction_refuses_bad_sites_and_companies(self) -> None:
        with pytest.raises(InvalidCallbackError, match="sites"):
            CallbackVerifier(sites=[], company="acme")
        with pytest.raises(InvalidCallbackError, match="company"):
            CallbackVerifier(sites=SITE, company=" ")

    def test_a_guard_of_your_own_is_used(self) -> None:
        guard = ReplayGuard()
        server = KeyServer()
        verifier = CallbackVerifier(
            sites=SITE, company="acme", replay_guard=guard,
            transport=httpx.MockTransport(server.handler),
        )  # fmt: skip
        verifier.verify(*signed())
        assert verifier.replay_guard is guard
        with pytest.raises(ReplayedCallbackError):
            guard.check("m-1")

    @pytest.mark.parametrize(
        "body",
        [b"", b"[]", b"null", b"{" * 100_000, b'{"Metadata": {"key_url": 5}}', b"x" * 6_000_000],
    )
    def test_junk_bodies_are_refused_without_a_request(self, body: bytes) -> None:
        server = KeyServer()
        verifier = CallbackVerifier(
            sites=SITE, company="acme", transport=httpx.MockTransport(server.handler)
        )
        with pytest.raises(InvalidCallbackError):
            verifier.verify(body, {"x-content-signature": "x"})
        assert server.fetches == 0
