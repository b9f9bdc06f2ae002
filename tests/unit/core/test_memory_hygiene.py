"""Lazy paging frees each page by reference counting alone; large bodies and setup stay cheap."""

from __future__ import annotations

import gc
import json
import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._config import tls_setting
from cw_facade._constants import GC_PAUSE_MIN_BYTES
from cw_facade._responses import loads, release
from cw_facade._sync._client import ConnectWiseClient

from .conftest import API_ROOT, CLIENT, CLIENT_ID, PASSWORD, USERNAME, pages_handler

RECORDS = [{"id": i, "summary": f"ticket {i}"} for i in range(1, 26)]


@pytest.fixture
def cycle_garbage() -> Iterator[None]:
    """What the cycle collector alone would have to free while the test runs, kept for a look."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield
    finally:
        gc.collect()
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()


def _responses_in_garbage() -> list[httpx.Response]:
    gc.collect()
    return [o for o in gc.garbage if isinstance(o, httpx.Response)]


def _options() -> dict[str, Any]:
    return {
        "base_url": API_ROOT,
        "client": CLIENT,
        "username": USERNAME,
        "password": PASSWORD,
        "client_id": CLIENT_ID,
    }


@pytest.mark.usefixtures("cycle_garbage")
def test_sync_paging_leaves_no_response_to_the_cycle_collector() -> None:
    pages: list[int] = []
    http = httpx.Client(
        transport=httpx.MockTransport(pages_handler(RECORDS)),
        event_hooks={"response": [lambda response: pages.append(response.status_code)]},
    )
    with http, ConnectWiseClient(**_options(), http_client=http) as client:
        ids = [record["id"] for record in client.iter_all("service/tickets", pagesize=10)]
    assert ids == list(range(1, 26))
    assert pages == [200, 200, 200]
    assert _responses_in_garbage() == []


@pytest.mark.anyio
@pytest.mark.usefixtures("cycle_garbage")
async def test_async_paging_leaves_no_response_to_the_cycle_collector() -> None:
    pages: list[int] = []

    async def hook(response: httpx.Response) -> None:
        pages.append(response.status_code)

    http = httpx.AsyncClient(
        transport=httpx.MockTransport(pages_handler(RECORDS)), event_hooks={"response": [hook]}
    )
    async with http, AsyncConnectWiseClient(**_options(), http_client=http) as client:
        tickets = await client.get_tickets(pagesize=10)
    assert [t.id for t in tickets] == list(range(1, 26))
    # page 1 and the count at once, the highest id, then the id slices (20], (25] and (25, ...)
    assert pages == [200] * 6
    assert _responses_in_garbage() == []


def test_release_unlinks_only_a_finished_response() -> None:
    done = httpx.Response(200, content=b"[]")
    done.read()
    assert release(done) is done
    assert done.is_closed and done.content == b"[]"
    assert done.stream is not None
    streaming = httpx.Response(200, stream=httpx.ByteStream(b"[1]"))
    original = streaming.stream
    release(streaming)
    assert streaming.stream is original


@pytest.mark.parametrize("size", [10, GC_PAUSE_MIN_BYTES * 2])
@pytest.mark.parametrize("enabled", [True, False])
def test_loads_decodes_and_keeps_the_collector_state(size: int, enabled: bool) -> None:
    body = json.dumps([{"id": 1, "pad": "x" * size}]).encode()
    was_enabled = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert loads(body) == [{"id": 1, "pad": "x" * size}]
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError):
            loads(body[:-1] + b"x" * GC_PAUSE_MIN_BYTES)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was_enabled else gc.disable)()


def test_https_sites_load_the_ca_bundle_as_httpx_does() -> None:
    assert tls_setting("https") is True


def test_plain_http_sites_get_a_context_that_trusts_nothing() -> None:
    context = tls_setting("http")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
