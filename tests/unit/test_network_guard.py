"""The session-wide guard: tests reach loopback only."""

from __future__ import annotations

import socket
import threading

import pytest


def test_a_non_loopback_connection_is_refused_before_any_packet() -> None:
    with socket.socket() as sock, pytest.raises(OSError, match="only connect to loopback"):
        sock.connect(("192.0.2.1", 443))  # TEST-NET-1: never routed


def test_connect_ex_is_guarded_too() -> None:
    with socket.socket() as sock, pytest.raises(OSError, match="only connect to loopback"):
        sock.connect_ex(("192.0.2.1", 80))


def test_loopback_connections_still_work() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        accepted: list[bytes] = []

        def serve() -> None:
            conn, _ = server.accept()
            with conn:
                accepted.append(conn.recv(5))

        thread = threading.Thread(target=serve)
        thread.start()
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"hello")
        thread.join(5)
    assert accepted == [b"hello"]
