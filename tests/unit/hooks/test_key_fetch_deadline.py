"""The key fetch has a whole-call deadline: a trickling key server cannot hold the call.

Each trickling server sends a byte every 50 ms, far inside any per-read timeout, for up to
20 s; only a deadline on the whole call stops it with the "within timeout" error (a missing
deadline ends differently: the server hangs up after 20 s). No test asserts a duration.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from cw_facade._callback_keys import (
    InvalidCallbackError,
    fetch_signing_key,
    fetch_signing_key_async,
)

from ._servers import serve

TIMEOUT = 0.5


@pytest.mark.parametrize("mode", ["trickle-headers", "trickle-body"])
def test_sync_fetch_gives_up_at_the_deadline(mode: str) -> None:
    with serve(mode) as server:
        with pytest.raises(InvalidCallbackError, match=r"within timeout=0\.5 s"):
            fetch_signing_key(server.key_url, sites=server.site, company="acme", timeout=TIMEOUT)
        assert len(server.requests) == 1


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["trickle-headers", "trickle-body"])
async def test_async_fetch_gives_up_at_the_deadline(mode: str) -> None:
    with serve(mode) as server:
        with pytest.raises(InvalidCallbackError, match=r"within timeout=0\.5 s"):
            await fetch_signing_key_async(
                server.key_url, sites=server.site, company="acme", timeout=TIMEOUT
            )
        assert len(server.requests) == 1


def test_sync_fetch_from_a_well_behaved_server() -> None:
    with serve("ok") as server:
        key = fetch_signing_key(server.key_url, sites=server.site, company="acme")
        assert key == "loopback-key"
        request = server.requests[0]
        assert request.startswith(b"GET /v4_6_release/system/callbackkey/index.rails?")
        assert b"authorization" not in request.lower()
        assert b"accept-encoding: identity" in request.lower()


@pytest.mark.anyio
async def test_async_fetch_from_a_well_behaved_server() -> None:
    with serve("ok") as server:
        key = await fetch_signing_key_async(server.key_url, sites=server.site, company="acme")
        assert key == "loopback-key"


@pytest.mark.anyio
async def test_the_sync_fetch_also_works_inside_a_running_event_loop() -> None:
    """A sync call from async code runs its private loop in a helper thread."""
    with serve("ok") as server:
        assert fetch_signing_key(server.key_url, sites=server.site, company="acme") == (
            "loopback-key"
        )
    with serve("trickle-body") as server, pytest.raises(InvalidCallbackError, match="timeout"):
        fetch_signing_key(server.key_url, sites=server.site, company="acme", timeout=TIMEOUT)


def test_a_refused_connection_is_a_callback_error() -> None:
    with serve("ok") as server:
        site, url = server.site, server.key_url
    with pytest.raises(InvalidCallbackError, match="ConnectError"):
        fetch_signing_key(url, sites=site, company="acme", timeout=TIMEOUT)


@pytest.mark.parametrize("timeout", [0, -1, True, "5", float("nan")])
def test_a_bad_timeout_is_refused(timeout: object) -> None:
    with pytest.raises(InvalidCallbackError, match="timeout must be"):
        fetch_signing_key(
            "http://127.0.0.1:1/v4_6_release/system/callbackkey/index.rails?companyName=acme",
            sites="http://127.0.0.1:1",
            company="acme",
            timeout=timeout,  # type: ignore[arg-type]
        )


def test_with_your_own_transport_the_deadline_is_checked_as_the_body_arrives() -> None:
    def slow_body() -> Iterator[bytes]:
        ends = time.monotonic() + 20
        while time.monotonic() < ends:
            time.sleep(0.05)
            yield b" "

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=slow_body())

    url = "https://cw.example.com/v4_6_release/system/callbackkey/index.rails?companyName=acme"
    with pytest.raises(InvalidCallbackError, match=r"within timeout=0\.3 s"):
        fetch_signing_key(
            url,
            sites="cw.example.com",
            company="acme",
            transport=httpx.MockTransport(handler),
            timeout=0.3,
        )
