"""Property tests: paging yields each record once, in order, for any size; parsers never crash."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._retry import parse_retry_after
from cw_facade._sync._client import ConnectWiseClient
from cw_facade._urls import parse_base_url

from .conftest import API_ROOT, CLIENT, CLIENT_ID, PASSWORD, USERNAME, pages_handler, respond
from .test_paging import forward_handler

MODES = st.sampled_from(["links", "no-links", "forward", "forward-unsupported"])


def _handler(mode: str, records: list[dict[str, Any]]) -> Any:
    if mode.startswith("forward"):
        return forward_handler(records, supported=mode == "forward")
    return pages_handler(records, links=mode == "links")


@settings(max_examples=150, deadline=None)
@given(
    total=st.integers(0, 40),
    pagesize=st.integers(1, 12),
    limit=st.none() | st.integers(0, 50),
    mode=MODES,
)
def test_paging_yields_each_record_once_in_order(
    total: int, pagesize: int, limit: int | None, mode: str
) -> None:
    records = [{"id": i} for i in range(1, total + 1)]
    transport = httpx.MockTransport(_handler(mode, records))
    with ConnectWiseClient(
        API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID, transport=transport
    ) as cw:
        got = cw.get_all(
            "service/tickets", pagesize=pagesize, limit=limit, forward_only="forward" in mode
        )
    wanted = total if limit is None else min(total, limit)
    assert [r["id"] for r in got] == list(range(1, wanted + 1))


@settings(max_examples=100, deadline=None)
@given(
    total=st.integers(0, 60),
    pagesize=st.integers(1, 9),
    limit=st.none() | st.integers(0, 70),
    concurrency=st.integers(1, 6),
    counted=st.integers(-3, 3),
)
def test_concurrent_paging_yields_each_record_once_in_order(
    total: int, pagesize: int, limit: int | None, concurrency: int, counted: int
) -> None:
    """Also when /count is off by a few (records added or removed during the scan)."""
    records = [{"id": i} for i in range(1, total + 1)]
    inner = pages_handler(records)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/count"):
            return respond(200, {"count": max(0, total + counted)})
        return inner(request)

    async def scan() -> list[dict[str, Any]]:
        async with AsyncConnectWiseClient(
            API_ROOT,
            CLIENT,
            USERNAME,
            PASSWORD,
            CLIENT_ID,
            transport=httpx.MockTransport(handler),
            concurrency=concurrency,
        ) as acw:
            return await acw.get_all("service/tickets", pagesize=pagesize, limit=limit)

    wanted = total if limit is None else min(total, limit)
    assert [r["id"] for r in asyncio.run(scan())] == list(range(1, wanted + 1))


@given(st.text(max_size=40))
def test_retry_after_parser_never_raises(text: str) -> None:
    value = parse_retry_after(text, now=0.0)
    assert value is None or value >= 0.0


@given(st.text(max_size=60))
def test_base_url_parser_raises_only_configuration_errors(text: str) -> None:
    from cw_facade._errors import ConnectWiseConfigurationError

    try:
        parse_base_url(text)
    except ConnectWiseConfigurationError:
        pass
