"""The connection pool is reused across calls (one TCP connection for many requests)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._sync._client import ConnectWiseClient

from .conftest import CLIENT, CLIENT_ID, PASSWORD, USERNAME

pytestmark = pytest.mark.anyio


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        body = json.dumps({"path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join()


async def test_one_connection_serves_many_calls(kind: str, server: _Server) -> None:
    root = f"http://127.0.0.1:{server.server_address[1]}/v4_6_release/apis/3.0"
    args = (root, CLIENT, USERNAME, PASSWORD, CLIENT_ID)
    if kind == "sync":
        with ConnectWiseClient(*args) as cw:
            answers = [cw.get(f"service/tickets/{i}") for i in range(1, 4)]
    else:
        async with AsyncConnectWiseClient(*args) as acw:
            answers = [await acw.get(f"service/tickets/{i}") for i in range(1, 4)]
    assert [a["path"] for a in answers] == [
        f"/v4_6_release/apis/3.0/service/tickets/{i}" for i in range(1, 4)
    ]
    assert server.connections == 1
