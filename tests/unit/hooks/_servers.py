"""Small loopback HTTP servers for the key-fetch tests: a normal one and a trickling one."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

KEY_PATH = "/v4_6_release/system/callbackkey/index.rails?companyName=acme&id=1"
#: How long a trickling server keeps trickling at most: far past any deadline under test, so
#: a deadline that does not fire ends in a different error (the server hanging up).
TRICKLE_FOR_S = 20.0
#: Pause between trickled bytes: well below every per-phase timeout under test.
TRICKLE_EVERY_S = 0.05


@dataclass
class Server:
    """A running loopback server: its site URL, key URL and what it received."""

    port: int
    requests: list[bytes] = field(default_factory=list)

    @property
    def site(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def key_url(self) -> str:
        return self.site + KEY_PATH


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _trickle(conn: socket.socket, data: bytes, stop: threading.Event) -> None:
    ends = time.monotonic() + TRICKLE_FOR_S
    for index in range(len(data)):
        if stop.is_set() or time.monotonic() > ends:
            return
        conn.sendall(data[index : index + 1])
        time.sleep(TRICKLE_EVERY_S)


@contextmanager
def serve(mode: str) -> Iterator[Server]:
    """Serve one key per connection; ``mode`` is ``ok``, ``trickle-headers`` or ``trickle-body``.

    The trickling modes send a byte every :data:`TRICKLE_EVERY_S` seconds for at most
    :data:`TRICKLE_FOR_S` seconds, then hang up; they stop as soon as the client goes away.
    """
    body = b'{"signing_key": "loopback-key"}'
    headers = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n"
    )
    padding = b"X-Pad: " + b"p" * 2000 + b"\r\n"
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    server = Server(port=listener.getsockname()[1])
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            server.requests.append(_read_request(conn))
            try:
                if mode == "ok":
                    conn.sendall(headers + b"\r\n" + body)
                elif mode == "trickle-headers":
                    _trickle(conn, headers + padding * 20 + b"\r\n" + body, stop)
                else:
                    conn.sendall(headers.replace(str(len(body)).encode(), b"5000") + b"\r\n")
                    _trickle(conn, b" " * 5000, stop)
            except OSError:  # the client hung up: that is the point of the test
                return

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(5)
        listener.close()
