"""The HTTP layer: a threading stdlib server with keep-alive and TCP_NODELAY.

It only moves bytes: parse the request, refuse what must be refused before a body is read
(limits, credentials, the rate limit), apply latency and faults, ask the backend's
:class:`~._app.App` for the response, write it, and log the exchange. Each connection has its
own thread, and nothing here holds a lock while sleeping, so one slow request never blocks
another.
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
from cw_facade.testing._crud import dump
from cw_facade.testing._faults import BEFORE_STORE, HTML_PAGE, Fault, FaultSet
from cw_facade.testing._limits import Limits
from cw_facade.testing._ratelimit import too_many

IDLE_TIMEOUT_S = 30.0
SLOW_BODY_CHUNKS = 8
HIDDEN_HEADERS = ("authorization", "cookie", "proxy-authorization")
MAX_LENGTH_DIGITS = 18
# HTTP-layer status → (ConnectWise-style code, default message).
ERROR_CODES = {
    400: ("BadRequest", "Bad request"),
    408: ("RequestTimeout", "The request was not received in time"),
    411: ("LengthRequired", "A Content-Length is required"),
    413: ("RequestTooLarge", "The request body is too large"),
    414: ("UriTooLong", "The request URL is too long"),
    431: ("RequestHeaderFieldsTooLarge", "The request headers are too large"),
}
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

    @property
    def limits(self) -> Limits:
        """What one request may ask."""

    def throttle(self, credential: str) -> int | None:
        """Seconds to wait when the credential is over its rate limit (``None``: go on)."""

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
    """Reads one request at a time on a keep-alive connection.

    Every answer is JSON, errors of the HTTP layer included (malformed request lines, unknown
    methods, oversized headers, long URLs, bad ``Content-Length``): :meth:`send_error` replaces
    the standard library's HTML pages. Credentials and the rate limit are checked before a body
    is read, and bodies over ``Limits.max_body_bytes`` are refused unread.
    """

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT_S
    server: SimulatorServer

    def do_GET(self) -> None:
        """GET."""
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def __getattr__(self, name: str) -> Any:
        """Any other method reaches the app too (it answers 405 or 404 in JSON)."""
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr log; the request log records every exchange."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer an HTTP-layer error with a JSON body (never HTML, never 5xx) and close."""
        status = 400 if code >= 500 else code
        name, default = ERROR_CODES.get(status, ("BadRequest", "Bad request"))
        if self.request_version in ("", "HTTP/0.9"):
            self.request_version = "HTTP/1.1"
        self.close_connection = True
        body = dump({"code": name, "message": message or default})
        try:
            self._send_raw(status, body, [("Connection", "close")])
        except OSError:
            pass

    def handle_expect_100(self) -> bool:
        """Send ``100 Continue`` only to requests that will be read (credentials, size)."""
        refusal = self._refusal()
        if refusal is not None:
            self._refuse(refusal)
            return False
        return super().handle_expect_100()

    def _handle(self) -> None:
        refusal = self._refusal()
        if refusal is not None:
            self._refuse(refusal)
            return
        body = self.rfile.read(self._length) if self._length > 0 else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = Request(self.command, self.path, headers, body)
        backend = self.server.backend
        if backend.latency_s:
            time.sleep(backend.latency_s)
        fault = backend.faults.pick(request.method, request.path)
        response = self._answer(backend.app, request, fault)
        self._log(request, None if response is None else response.status)
        if response is None:
            self._reset()
        else:
            self._write(response, fault.delay if fault and fault.kind == "slow-body" else 0.0)

    def _refusal(self) -> Response | None:
        """The answer to send without reading the body, if any (and the body length)."""
        backend = self.server.backend
        app, limits = backend.app, backend.limits
        self._length = 0
        if len(self.path) > limits.max_url_chars:
            message = f"The request URL is longer than {limits.max_url_chars} characters."
            return app.answer(414, {"code": "UriTooLong", "message": message}, [])
        length = _content_length(self.headers.get_all("Content-Length") or [])
        if length is None:
            return app.answer(400, {"code": "BadRequest", "message": "Bad Content-Length."}, [])
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            message = "Chunked request bodies are not supported; send a Content-Length."
            return app.answer(411, {"code": "LengthRequired", "message": message}, [])
        headers = {k.lower(): v for k, v in self.headers.items()}
        refused = app.refusal(self.command, self.path.partition("?")[0], headers)
        if refused is not None:
            return refused
        if length > limits.max_body_bytes:
            message = f"The request body is larger than {limits.max_body_bytes} bytes."
            return app.answer(413, {"code": "RequestTooLarge", "message": message}, [])
        if app.is_api(self.path):
            wait = backend.throttle(headers.get("authorization", ""))
            if wait is not None:
                return app.answer(429, too_many(wait), [("Retry-After", str(wait))])
        self._length = length
        return None

    def _refuse(self, response: Response) -> None:
        """Answer without reading the body; the connection closes when a body was announced."""
        announced = self.headers.get("Content-Length", "0").strip() not in ("", "0")
        if announced or "Transfer-Encoding" in self.headers:
            self.close_connection = True
            response.headers.append(("Connection", "close"))
        request = Request(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, b""
        )
        self._log(request, response.status)
        self._write(response, 0.0)

    def _log(self, request: Request, status: int | None) -> None:
        shown = {k: v for k, v in request.headers.items() if k not in HIDDEN_HEADERS}
        query = dict(parse_qsl(request.target.partition("?")[2], keep_blank_values=True))
        self.server.backend.record(
            RequestRecord(request.method, request.path, query, shown, status)
        )

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

    def _send_raw(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response_only(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

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


def _content_length(values: list[str]) -> int | None:
    """The announced body length (0 when absent); ``None`` when malformed or conflicting."""
    found = {v.strip() for v in values}
    if not found:
        return 0
    if len(found) != 1:
        return None
    text = found.pop()
    if not text.isdigit() or len(text) > MAX_LENGTH_DIGITS:
        return None
    return int(text)
