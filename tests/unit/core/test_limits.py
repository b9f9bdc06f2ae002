"""Hostile loopback servers: huge bodies, gzip bombs, trickled headers, endless ``100 Continue``.

Each server runs in threads on 127.0.0.1, stops on its own after :data:`SERVER_LIFETIME`
seconds at most (so a client that is not cut off still ends the test) and at teardown. The
assertions are on the error raised and on memory (tracemalloc peak), never on timing.
"""

from __future__ import annotations

import socketserver
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._errors import (
    ConnectWiseDeadlineError,
    ConnectWiseLimitError,
    ConnectWiseResponseTooLargeError,
    ConnectWiseTimeoutError,
)
from cw_facade._sync._client import ConnectWiseClient

from .conftest import CLIENT, CLIENT_ID, PASSWORD, USERNAME

pytestmark = pytest.mark.anyio

#: The longest any server here keeps a connection busy (seconds).
SERVER_LIFETIME = 60.0
#: The client's whole-call deadline in the trickle tests: far below the server's lifetime.
DEADLINE = 2.0
#: The response cap of the size tests, and the most memory a capped read may add on top.
CAP = 2 * 1024 * 1024
SLACK = 1024 * 1024
#: What the size tests' servers would send: far past the cap.
HUGE = 64 * 1024 * 1024
CHUNK = b"x" * (64 * 1024)


def _gzip_bomb(size: int) -> bytes:
    """A gzip stream of ``size`` zero bytes (about 1/1000 of that compressed)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    parts = [packer.compress(zeros) for _ in range(size // len(zeros))]
    parts.append(packer.flush())
    return b"".join(parts)


BOMB = _gzip_bomb(HUGE)

#: Sends one answer on a socket; returns True when it ran out its lifetime (nobody cut it off).
Behaviour = Callable[[Any, threading.Event], bool | None]


def _send(sock: Any, data: bytes) -> bool:
    try:
        sock.sendall(data)
    except OSError:
        return False  # the client gave up: that is the point
    return True


def huge_body(sock: Any, stop: threading.Event) -> None:
    """A 200 with a 64 MiB JSON-ish body, sent as fast as the client reads."""
    head = (
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
        f"content-length: {HUGE}\r\nconnection: close\r\n\r\n"
    )
    if not _send(sock, head.encode()):
        return
    for _ in range(HUGE // len(CHUNK)):
        if stop.is_set() or not _send(sock, CHUNK):
            return


def gzip_bomb(sock: Any, stop: threading.Event) -> None:
    """A 200 whose ~64 KiB gzip body inflates to 64 MiB."""
    head = (
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\n"
        f"content-length: {len(BOMB)}\r\nconnection: close\r\n\r\n"
    )
    _send(sock, head.encode() + BOMB)


def trickled_headers(sock: Any, stop: threading.Event) -> bool:
    """A status line, then one byte of an endless header every 0.1 s (for up to a minute)."""
    if not _send(sock, b"HTTP/1.1 200 OK\r\nx-slow: "):
        return False
    ends = time.monotonic() + SERVER_LIFETIME
    while time.monotonic() < ends and not stop.wait(0.1):
        if not _send(sock, b"a"):
            return False
    return not stop.is_set()


def endless_continue(sock: Any, stop: threading.Event) -> bool:
    """``100 Continue`` every 0.1 s, never a final response (for up to a minute)."""
    ends = time.monotonic() + SERVER_LIFETIME
    while time.monotonic() < ends and not stop.wait(0.1):
        if not _send(sock, b"HTTP/1.1 100 Continue\r\n\r\n"):
            return False
    return not stop.is_set()


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        server: _HostileServer = self.server  # type: ignore[assignment]
        self.request.settimeout(SERVER_LIFETIME)
        try:
            self.request.recv(65536)
        except OSError:
            return
        server.hits += 1
        if server.behaviour(self.request, server.stop):
            server.outlived = True


class _HostileServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = behaviour
        self.stop = threading.Event()
        self.hits = 0
        #: Set when an answer ran out its lifetime: the client never cut it off.
        self.outlived = False


@pytest.fixture
def hostile() -> Iterator[Callable[[Behaviour], tuple[str, _HostileServer]]]:
    """``hostile(behaviour)`` starts a loopback server; every one is stopped at teardown."""
    started: list[tuple[_HostileServer, threading.Thread]] = []

    def start(behaviour: Behaviour) -> tuple[str, _HostileServer]:
        server = _HostileServer(behaviour)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}", server

    yield start
    for server, thread in started:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join()


def _client(kind: str, base_url: str, **options: Any) -> Any:
    cls = ConnectWiseClient if kind == "sync" else AsyncConnectWiseClient
    return cls(base_url, CLIENT, USERNAME, PASSWORD, CLIENT_ID, **options)


async def _get(kind: str, client: Any, endpoint: str = "service/tickets") -> Any:
    try:
        if kind == "sync":
            return client.get(endpoint)
        return await client.get(endpoint)
    finally:
        if kind == "sync":
            client.close()
        else:
            await client.aclose()


ROOT = "/v4_6_release/apis/3.0"


# -- response size ---------------------------------------------------------------------------


@pytest.mark.parametrize("behaviour", [huge_body, gzip_bomb], ids=["huge-body", "gzip-bomb"])
async def test_an_oversized_body_ends_in_a_clear_error_with_bounded_memory(
    kind: str, hostile: Any, behaviour: Behaviour
) -> None:
    base, server = hostile(behaviour)
    client = _client(kind, base + ROOT, max_response_bytes=CAP, max_retries=2)
    tracemalloc.start()
    try:
        with pytest.raises(ConnectWiseResponseTooLargeError) as info:
            await _get(kind, client)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"peak {peak:,} bytes for a cap of {CAP:,}")
    assert peak < CAP + SLACK, f"peak {peak:,} bytes for a cap of {CAP:,}"
    error = info.value
    assert isinstance(error, ConnectWiseLimitError)
    assert error.limit == CAP and error.found is not None and error.found > CAP
    assert error.option == "max_response_bytes"
    assert "max_response_bytes=" in str(error)
    assert error.method == "GET" and error.path == "service/tickets"
    assert server.hits == 1  # a limit is never retried


async def test_a_gzip_body_under_the_cap_is_decoded(kind: str, hostile: Any) -> None:
    body = b'[{"id": 1}, {"id": 2}]'
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    packed = packer.compress(body) + packer.flush()

    def small(sock: Any, stop: threading.Event) -> None:
        head = (
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\n"
            f"content-length: {len(packed)}\r\nconnection: close\r\n\r\n"
        )
        _send(sock, head.encode() + packed)

    base, _ = hostile(small)
    client = _client(kind, base + ROOT, max_response_bytes=max(len(body), len(packed)))
    assert await _get(kind, client) == [{"id": 1}, {"id": 2}]


async def test_the_compressed_size_is_capped_too(kind: str, hostile: Any) -> None:
    base, _ = hostile(gzip_bomb)
    client = _client(kind, base + ROOT, max_response_bytes=len(BOMB) // 2)
    with pytest.raises(ConnectWiseResponseTooLargeError) as info:
        await _get(kind, client)
    assert info.value.found is not None and info.value.found <= len(BOMB)


# -- whole-call deadline ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "behaviour", [trickled_headers, endless_continue], ids=["trickled-headers", "100-continue"]
)
async def test_a_server_that_never_finishes_its_headers_meets_the_deadline(
    kind: str, hostile: Any, behaviour: Behaviour
) -> None:
    base, server = hostile(behaviour)
    client = _client(kind, base + ROOT, deadline=DEADLINE, max_retries=3)
    with pytest.raises(ConnectWiseDeadlineError) as info:
        await _get(kind, client)
    error = info.value
    assert isinstance(error, ConnectWiseTimeoutError)  # code catching timeouts catches it
    assert error.option == "deadline" and error.limit == DEADLINE
    assert "deadline=" in str(error)
    assert not server.outlived  # the client cut the server off, not the other way round


async def test_a_trickling_discovery_meets_the_deadline(kind: str, hostile: Any) -> None:
    base, server = hostile(trickled_headers)
    client = _client(kind, base, deadline=DEADLINE)  # a site URL: companyinfo first
    with pytest.raises(ConnectWiseDeadlineError):
        await _get(kind, client)
    assert server.hits == 1  # discovery used the whole budget; no attempt was begun
    assert not server.outlived
    assert client.codebase == "v4_6_release/"  # it fell back
