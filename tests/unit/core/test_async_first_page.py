"""Concurrent paging asks ``/count`` and page 1 together: one round trip fewer per scan."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from .conftest import Server, Twin, cw_error, pages_handler, respond

pytestmark = pytest.mark.anyio

#: How long the count waits for page 1 to be asked before declaring the requests sequential.
OVERLAP_TIMEOUT_S = 2.0


def recs(n: int) -> list[dict[str, Any]]:
    return [{"id": i} for i in range(1, n + 1)]


class CountWaitsForPageOne:
    """Answers ``/count`` only once page 1 has been requested (500 if that never happens)."""

    def __init__(self, records: list[dict[str, Any]], count_status: int = 200) -> None:
        self.inner = pages_handler(records)
        self.total = len(records)
        self.count_status = count_status
        self.page_one = asyncio.Event()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/count"):
            try:
                await asyncio.wait_for(self.page_one.wait(), OVERLAP_TIMEOUT_S)
            except TimeoutError:
                return respond(500, text="page 1 was not requested alongside the count")
            if self.count_status != 200:
                return cw_error(self.count_status, "NotFound", "no count here")
            return respond(200, {"count": self.total})
        first_forward = "pageId" not in request.url.params and "orderBy" not in request.url.params
        if request.url.params.get("page") == "1" or (
            request.headers.get("pagination-type") == "forward-only" and first_forward
        ):
            self.page_one.set()
        return self.inner(request)


async def _collect(handler: CountWaitsForPageOne, **query: Any) -> tuple[list[int], Twin]:
    twin = Twin("async", Server(handler), concurrency=3, max_retries=0)
    try:
        records = await twin.collect("service/tickets", **query)
    finally:
        await twin.close()
    return [int(r["id"]) for r in records], twin


@pytest.mark.parametrize("total", [0, 4, 5, 23])
async def test_page_one_is_in_flight_with_the_count(total: int) -> None:
    ids, twin = await _collect(CountWaitsForPageOne(recs(total)), pagesize=5, forward_only=False)
    assert ids == list(range(1, total + 1))
    assert twin.server.paths.count("service/tickets/count") == 1
    assert twin.server.paths.count("service/tickets") == max(1, -(-total // 5))


async def test_without_a_count_page_one_is_not_asked_twice() -> None:
    handler = CountWaitsForPageOne(recs(7), count_status=404)
    ids, twin = await _collect(handler, pagesize=5, forward_only=False)
    assert ids == list(range(1, 8))
    paths = sorted(twin.server.paths)
    assert paths == ["service/tickets", "service/tickets", "service/tickets/count"]


@pytest.mark.parametrize("total", [0, 4, 5, 23])
async def test_exact_scans_ask_page_one_the_count_and_the_highest_id_together(total: int) -> None:
    ids, twin = await _collect(CountWaitsForPageOne(recs(total)), pagesize=5)
    assert ids == list(range(1, total + 1))
    assert twin.server.paths.count("service/tickets/count") == 1
    highest = [r for r in twin.server.requests if r.url.params.get("orderBy") == "id desc"]
    # the highest id is asked only when more than a page remains: slices are worth it then
    assert [r.url.params["pageSize"] for r in highest] == (["1"] if total > 10 else [])


@pytest.mark.parametrize("count_status", [400, 404])
async def test_an_exact_scan_without_a_count_goes_on_sequentially(count_status: int) -> None:
    handler = CountWaitsForPageOne(recs(12), count_status=count_status)
    ids, twin = await _collect(handler, pagesize=5)
    assert ids == list(range(1, 13))
    forward = [
        r.url.params.get("pageId")
        for r in twin.server.requests
        if "pageSize" in r.url.params and r.headers.get("pagination-type")
    ]
    assert forward == [None, "5", "10"]
