"""The HTTP layer: a threading stdlib server with keep-alive and TCP_NODELAY.

It only moves bytes: parse the request, apply latency and faults, ask the backend's
:class:`~._app.App` for the response, write it, and log the exchange.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl

from cw_facade.testing._app import App, Request, Response
from cw_facade.testing._faults import BEFORE_STORE, HTML_PAGE, Fault, FaultSet

IDLE_TIMEOUT_S = 30.0
SLOW_BODY_CHUNKS = 8
HIDDEN_HEADERS = ("authorization", "cookie", "proxy-authorization")
FAULT_BODIES: dict[str, tuple[int, dict[str, str]]] = {
    "429": (429, {"code": "TooManyRequests", "message": "Too many requests, try again later."}),
    "503": (503, {"code": "ServiceUnavailable", "message": "Service Unavailable"}),
    "500-timeout": (500, {"code": "ConnectWiseApi", "message": "timeout"}),
}


@dataclass(frozen=True)
class RequestRecord:
    """One logged request: never carries credentials (Authorization and cookies are dropped).

    ``status`` is ``None`` when the connection was reset instead of answered.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int | None


class Backend(Protocol):
    """What the server needs from the simulator."""

    @property
    def app(self) -> App:
        """The core answering requests."""

    @property
    def faults(self) -> FaultSet:
        """The registered faults."""

    @property
    def latency_s(self) -> float:
        """Added latency per request, in seconds."""

    def record(self, entry: RequestRecord) -> None:
        """Append to the request log."""


class SimulatorServer(ThreadingHTTPServer):
    """A threading HTTP server that tracks its connections so that stop() can end them."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], backend: Backend) -> None:
        self.backend = backend
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        self.accepted = 0
        super().__init__(address, SimulatorHandler)

    def get_request(self) -> tuple[socket.socket, Any]:
        """Accept a connection and remember it."""
        connection, address = super().get_request()
        with self.connections_lock:
            self.connections.add(connection)
            self.accepted += 1
        return connection, address

    def shutdown_request(self, request: Any) -> None:
        """Forget and close a finished connection."""
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Shut down every open keep-alive connection (their threads then end)."""
        with self.connections_lock:
            open_connections = list(self.connections)
        for connection in open_connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up mid-response are normal here: stay quiet."""


class SimulatorHandler(BaseHTTPRequestHandler):
    """Reads one request at a time on a keep-alive connection."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT_S
    server: SimulatorServer

    def do_GET(self) -> None:
        """GET."""
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr log; the request log records every exchange."""

    def _handle(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.send_error(400, "Bad Content-Length")
            return
        body = self.rfile.read(length) if length > 0 else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = Request(self.command, self.path, headers, body)
        backend = self.server.backend
        if backend.latency_s:
            time.sleep(backend.latency_s)
        fault = backend.faults.pick(request.method, request.path)
        response = self._answer(backend.app, request, fault)
        shown = {k: v for k, v in headers.items() if k not in HIDDEN_HEADERS}
        query = dict(parse_qsl(request.target.partition("?")[2], keep_blank_values=True))
        status = None if response is None else response.status
        backend.record(RequestRecord(request.method, request.path, query, shown, status))
        if response is None:
            self._reset()
        else:
            self._write(response, fault.delay if fault and fault.kind == "slow-body" else 0.0)

    def _answer(self, app: App, request: Request, fault: Fault | None) -> Response | None:
        """The response to send (``None``: reset the connection instead)."""
        if fault is not None and fault.kind in BEFORE_STORE:
            return self._fault(app, fault)
        if fault is not None and fault.kind == "latency":
            time.sleep(fault.delay)
        response = app.handle(request)
        if fault is not None and fault.kind == "malformed-json" and response.body:
            response.body = response.body[: max(len(response.body) // 2, 1)]
        return response

    def _fault(self, app: App, fault: Fault) -> Response | None:
        if fault.kind == "reset":
            return None
        if fault.kind == "html":
            return Response(502, HTML_PAGE, [("Content-Type", "text/html; charset=utf-8")])
        status, payload = FAULT_BODIES[fault.kind]
        extra = [("Retry-After", str(fault.retry_after))] if status == 429 else []
        return app.answer(status, payload, extra)

    def _write(self, response: Response, chunk_delay: float) -> None:
        self.send_response_only(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command == "HEAD" or not response.body:
            return
        if chunk_delay <= 0:
            self.wfile.write(response.body)
            return
        step = max(len(response.body) // SLOW_BODY_CHUNKS, 1)
        for start in range(0, len(response.body), step):
            self.wfile.write(response.body[start : start + step])
            time.sleep(chunk_delay)

    def _reset(self) -> None:
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.wfile.close()
        self.rfile.close()
        self.connection.close()
