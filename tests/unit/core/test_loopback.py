"""Real sockets on 127.0.0.1: a server that never answers, and a port that refuses."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._errors import ConnectWiseConnectionError, ConnectWiseTimeoutError
from cw_facade._sync._client import ConnectWiseClient

from .conftest import CLIENT, CLIENT_ID, PASSWORD, USERNAME, Clock

pytestmark = pytest.mark.anyio

#: Seconds the test client waits; the server holds every request far longer.
TIMEOUT = 0.3
SERVER_HOLD = 10.0


class _Silent(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.recv(65536)
        self.server.hits += 1  # type: ignore[attr-defined]
        self.server.release.wait(SERVER_HOLD)  # type: ignore[attr-defined]


class _SilentServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Silent)
        self.release = threading.Event()
        self.hits = 0


@pytest.fixture
def silent_root() -> Iterator[tuple[str, _SilentServer]]:
    """An HTTP 'server' that reads the request and never answers."""
    server = _SilentServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v4_6_release/apis/3.0", server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def refused_root() -> str:
    """A loopback port with nothing listening."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v4_6_release/apis/3.0"


def _client(kind: str, root: str, **options: Any) -> Any:
    cls = ConnectWiseClient if kind == "sync" else AsyncConnectWiseClient
    client = cls(root, CLIENT, USERNAME, PASSWORD, CLIENT_ID, **options)
    clock = Clock()
    client._http._sleep = clock.sleep if kind == "sync" else clock.asleep
    client._test_clock = clock
    return client


async def _run(kind: str, client: Any, name: str, *args: Any) -> Any:
    try:
        if kind == "sync":
            return getattr(client, name)(*args)
        return await getattr(client, name)(*args)
    finally:
        if kind == "sync":
            client.close()
        else:
            await client.aclose()


async def test_a_silent_server_times_out(kind: str, silent_root: Any) -> None:
    root, server = silent_root
    client = _client(kind, root, timeout=TIMEOUT, max_retries=1)
    with pytest.raises(ConnectWiseTimeoutError) as info:
        await _run(kind, client, "get", "service/tickets")
    assert info.value.retries_taken == 1
    assert server.hits == 2
    assert info.value.url == f"{root}/service/tickets"


async def test_a_silent_server_is_not_retried_for_post(kind: str, silent_root: Any) -> None:
    root, server = silent_root
    client = _client(kind, root, timeout=TIMEOUT, max_retries=3)
    with pytest.raises(ConnectWiseTimeoutError) as info:
        await _run(kind, client, "post", "service/tickets", {"summary": "x"})
    assert info.value.retries_taken == 0
    assert server.hits == 1


async def test_a_refused_connection_is_retried_even_for_post(kind: str, refused_root: str) -> None:
    client = _client(kind, refused_root, max_retries=2)
    with pytest.raises(ConnectWiseConnectionError) as info:
        await _run(kind, client, "post", "service/tickets", {"summary": "x"})
    assert not isinstance(info.value, ConnectWiseTimeoutError)
    assert info.value.retries_taken == 2
    assert len(client._test_clock.sleeps) == 2


#: The trickling server sends one byte of its body per interval, well within each read timeout.
TRICKLE_INTERVAL = 0.1
TRICKLE_BYTES = 40  # 4 s in all: far past TIMEOUT, yet no single read ever waits TIMEOUT


class _Trickle(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.recv(65536)
        body = b"[" + b" " * (TRICKLE_BYTES - 2) + b"]"
        head = (
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        )
        self.request.sendall(head.encode())
        for byte in body:
            if self.server.stop.wait(TRICKLE_INTERVAL):  # type: ignore[attr-defined]
                return
            try:
                self.request.sendall(bytes([byte]))
            except OSError:
                return  # the client gave up: that is the point


class _TrickleServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Trickle)
        self.stop = threading.Event()


@pytest.fixture
def trickle_root() -> Iterator[str]:
    """An HTTP server that answers one byte at a time, each within the read timeout."""
    server = _TrickleServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v4_6_release/apis/3.0"
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join()


async def test_a_trickling_server_times_out_as_a_whole(kind: str, trickle_root: str) -> None:
    client = _client(kind, trickle_root, timeout=TIMEOUT * 2, max_retries=0)
    with pytest.raises(ConnectWiseTimeoutError) as info:
        await _run(kind, client, "get", "service/tickets")
    assert info.value.retries_taken == 0
