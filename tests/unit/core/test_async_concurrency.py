"""Concurrent paging and the shared 429 gate of the async client.

The page-number tests pass ``forward_only=False`` (page numbers fetched ahead); the exact
default (disjoint id slices) has its own tests at the end and in ``test_exact_scans.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from cw_facade._errors import ConnectWiseServerError

from .conftest import ROOT_PREFIX, Twin, cw_error, pages_handler, respond

pytestmark = pytest.mark.anyio


def recs(n: int) -> list[dict[str, Any]]:
    return [{"id": i} for i in range(1, n + 1)]


class SlowPages:
    """An async handler: pages answer after page-dependent yields; tracks concurrency."""

    def __init__(self, records: list[dict[str, Any]], count: int | None = None) -> None:
        self.inner = pages_handler(records)
        self.count = len(records) if count is None else count
        self.inflight = 0
        self.peak = 0
        self.pages: list[int] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/count"):
            return respond(200, {"count": self.count})
        page = int(request.url.params["page"])
        self.pages.append(page)
        self.inflight += 1
        self.peak = max(self.peak, self.inflight)
        for _ in range(20 if page % 3 == 1 else 2):  # early pages finish last
            await asyncio.sleep(0)
        self.inflight -= 1
        return self.inner(request)


def make_async(handler: Callable[..., Any], **options: Any) -> Twin:
    from .conftest import Server

    server = Server(handler)
    return Twin("async", server, **options)


async def test_pages_are_fetched_concurrently_and_yielded_in_order() -> None:
    handler = SlowPages(recs(23))
    twin = make_async(handler, concurrency=3)
    try:
        records = await twin.collect("service/tickets", pagesize=5, forward_only=False)
    finally:
        await twin.close()
    assert [r["id"] for r in records] == list(range(1, 24))
    assert sorted(handler.pages) == [1, 2, 3, 4, 5]
    assert handler.peak == 3
    assert twin.server.paths[0] == "service/tickets/count"


@pytest.mark.parametrize("concurrency", [2, 4, 8])
async def test_concurrency_bound_is_respected(concurrency: int) -> None:
    handler = SlowPages(recs(40))
    twin = make_async(handler, concurrency=concurrency)
    try:
        assert (
            len(await twin.call("get_all", "service/tickets", pagesize=3, forward_only=False)) == 40
        )
    finally:
        await twin.close()
    assert handler.peak == concurrency
    assert sorted(handler.pages) == list(range(1, 15))


async def test_limit_plans_only_the_pages_needed() -> None:
    handler = SlowPages(recs(23))
    twin = make_async(handler, concurrency=4)
    try:
        records = await twin.collect("service/tickets", pagesize=5, limit=12, forward_only=False)
    finally:
        await twin.close()
    assert [r["id"] for r in records] == list(range(1, 13))
    assert sorted(handler.pages) == [1, 2, 3]


async def test_records_added_during_the_scan_are_still_read() -> None:
    handler = SlowPages(recs(12), count=10)
    twin = make_async(handler, concurrency=4)
    try:
        records = await twin.collect("service/tickets", pagesize=5, forward_only=False)
    finally:
        await twin.close()
    assert [r["id"] for r in records] == list(range(1, 13))
    assert sorted(handler.pages) == [1, 2, 3]


async def test_records_shifting_across_a_page_boundary_are_not_duplicated() -> None:
    pages = {1: recs(5), 2: [{"id": i} for i in range(5, 10)], 3: [{"id": 10}]}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/count"):
            return respond(200, {"count": 10})
        return respond(200, pages[int(request.url.params["page"])])

    twin = make_async(handler, concurrency=2)
    try:
        records = await twin.collect("service/tickets", pagesize=5, forward_only=False)
    finally:
        await twin.close()
    assert [r["id"] for r in records] == list(range(1, 11))


@pytest.mark.parametrize("status", [404, 400])
async def test_count_failure_falls_back_to_sequential(status: int) -> None:
    inner = pages_handler(recs(7))

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/count"):
            return cw_error(status, "NotFound", "no count here")
        return inner(request)

    twin = make_async(handler, concurrency=4)
    try:
        records = await twin.collect("service/tickets", pagesize=5, forward_only=False)
    finally:
        await twin.close()
    assert [r["id"] for r in records] == list(range(1, 8))
    assert twin.server.paths == ["service/tickets/count", "service/tickets", "service/tickets"]


async def test_a_short_first_page_ends_an_exact_scan_without_slices() -> None:
    twin = make_async(pages_handler(recs(2)), concurrency=4)
    try:
        records = await twin.collect("service/tickets", pagesize=5, forward_only=True)
    finally:
        await twin.close()
    assert len(records) == 2
    assert twin.server.paths.count("service/tickets/count") == 1
    assert sum(1 for r in twin.server.requests if "pageId" in r.url.params) == 0


async def test_a_failed_page_raises_and_cancels_the_rest() -> None:
    inner = SlowPages(recs(40))

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page") == "3":
            return respond(500, text="boom")
        return await inner(request)

    twin = make_async(handler, concurrency=4)
    seen: list[int] = []
    try:
        with pytest.raises(ConnectWiseServerError):
            async for record in twin.client.iter_all(
                "service/tickets", pagesize=5, forward_only=False
            ):
                seen.append(record["id"])
    finally:
        await twin.close()
    assert seen == list(range(1, 11))
    assert max(inner.pages) <= 6


class StallAfterFirstPage:
    """Page 1 answers; every later page waits forever unless its request is cancelled."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.inner = pages_handler(records)
        self.count = len(records)
        self.started: list[int] = []
        self.cancelled: list[int] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/count"):
            return respond(200, {"count": self.count})
        page = int(request.url.params["page"])
        self.started.append(page)
        if page == 1:
            return self.inner(request)
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled.append(page)
            raise
        raise AssertionError("unreachable")


async def test_stopping_early_cancels_outstanding_pages() -> None:
    handler = StallAfterFirstPage(recs(40))
    twin = make_async(handler, concurrency=4)
    try:
        records = twin.client.iter_all("service/tickets", pagesize=5, forward_only=False)
        first = await records.__anext__()
        await records.aclose()
        for _ in range(10):
            await asyncio.sleep(0)
    finally:
        await twin.close()
    assert first == {"id": 1}
    outstanding = sorted(p for p in handler.started if p != 1)
    assert outstanding, "the client should have fetched ahead"
    assert sorted(handler.cancelled) == outstanding


async def test_a_429_holds_back_every_other_request() -> None:
    release = asyncio.Event()
    arrivals: dict[str, int] = {}
    answers = {"a": [respond(429, headers={"Retry-After": "5"}), respond(200, "a")]}

    def handler(request: httpx.Request) -> httpx.Response:
        name = request.url.path.removeprefix(ROOT_PREFIX)
        arrivals.setdefault(name, len(twin.clock.sleeps))
        if name == "b":
            release.set()
            return respond(200, "b")
        return answers["a"].pop(0)

    twin = make_async(handler)

    async def held_sleep(seconds: float) -> None:
        twin.clock.sleeps.append(seconds)
        if len(twin.clock.sleeps) == 1:
            await release.wait()
        else:
            release.set()
        twin.clock.now += seconds

    twin.client._http._sleep = held_sleep
    try:
        first = asyncio.ensure_future(twin.call("get", "a"))
        while not twin.clock.sleeps:
            await asyncio.sleep(0)
        assert await twin.call("get", "b") == "b"
        assert await first == "a"
    finally:
        await twin.close()
    assert twin.clock.sleeps == [5.0, 5.0]
    assert arrivals["b"] == 2


async def test_concurrent_paging_survives_429s() -> None:
    inner = SlowPages(recs(30))
    failed: set[str] = set()

    async def handler(request: httpx.Request) -> httpx.Response:
        page = request.url.params.get("page")
        if page in {"2", "4"} and page not in failed:
            failed.add(page)
            return respond(429, headers={"Retry-After": "1"})
        return await inner(request)

    twin = make_async(handler, concurrency=3)
    try:
        records = await twin.collect("service/tickets", pagesize=5, forward_only=False)
    finally:
        await twin.close()
    assert [r["id"] for r in records] == list(range(1, 31))
    assert sorted(inner.pages) == [1, 2, 3, 4, 5, 6]
    assert twin.clock.sleeps.count(1.0) >= 2


def test_recent_ids_remember_a_window_of_pages_only() -> None:
    from cw_facade._concurrent import RecentIds

    seen = RecentIds(pages=2)
    seen.add(1)
    seen.next_page()
    seen.add(2)
    assert 1 in seen and 2 in seen  # a neighbouring page's ids are still known
    seen.next_page()
    assert 1 not in seen and 2 in seen  # older pages are forgotten: memory is bounded
    seen.next_page()
    assert 2 not in seen


class SlowSlices:
    """An async exact-scan server: forward-only and id bounds; tracks concurrent page requests."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.inner = pages_handler(records)
        self.inflight = 0
        self.peak = 0
        self.slices: list[str | None] = []
        self.ranges: list[tuple[str | None, str | None]] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if "pagination-type" not in request.headers:
            return self.inner(request)  # /count, the highest id
        params = request.url.params
        self.slices.append(params.get("conditions"))
        self.ranges.append((params.get("pageId"), params.get("conditions")))
        self.inflight += 1
        self.peak = max(self.peak, self.inflight)
        try:
            for _ in range(20 if len(self.slices) % 3 == 1 else 2):  # some finish late
                await asyncio.sleep(0)
        finally:
            self.inflight -= 1
        return self.inner(request)


@pytest.mark.parametrize("concurrency", [2, 3, 8])
async def test_exact_slices_run_concurrently_within_the_bound_in_id_order(
    concurrency: int,
) -> None:
    handler = SlowSlices(recs(40))
    twin = make_async(handler, concurrency=concurrency)
    try:
        records = await twin.collect("service/tickets", pagesize=5)
    finally:
        await twin.close()
    assert [r["id"] for r in records] == list(range(1, 41))
    assert 1 < handler.peak <= concurrency
    # page 1, then disjoint slices of four fifths of a page each (4 of 5 ids here), then the
    # open slice above the highest id
    assert handler.slices[0] is None
    # pageId=a with id<=b: the slice id > a AND id <= b, forward-only
    assert ("5", "id<=9") in handler.ranges and ("37", "id<=40") in handler.ranges
    assert len(handler.ranges) == 1 + 9 + 1  # no slice needed a second request
    assert handler.slices.count(None) == 2  # page 1 and the open slice (id > 40)


async def test_sparse_ids_make_a_slice_continue_forward_only() -> None:
    rows = [{"id": i} for i in [*range(1, 6), *range(100, 120), 500]]
    twin = make_async(pages_handler(rows), concurrency=4)
    try:
        records = await twin.collect("service/tickets", pagesize=5)
    finally:
        await twin.close()
    assert [r["id"] for r in records] == [r["id"] for r in rows]
    assert any(
        "pageId" in r.url.params and "conditions" in r.url.params for r in twin.server.requests
    )


async def test_exact_slices_stop_at_the_limit_and_cancel_the_rest() -> None:
    handler = SlowSlices(recs(100))
    twin = make_async(handler, concurrency=4)
    try:
        records = await twin.collect("service/tickets", pagesize=5, limit=23)
    finally:
        await twin.close()
    assert [r["id"] for r in records] == list(range(1, 24))
    assert handler.inflight == 0


async def test_stopping_an_exact_scan_early_cancels_outstanding_slices() -> None:
    handler = SlowSlices(recs(100))
    twin = make_async(handler, concurrency=4)
    try:
        records = twin.client.iter_all("service/tickets", pagesize=5)
        first = [await records.__anext__() for _ in range(7)]
        await records.aclose()
        for _ in range(30):
            await asyncio.sleep(0)
    finally:
        await twin.close()
    assert [r["id"] for r in first] == list(range(1, 8))
    assert handler.inflight == 0
    assert len(handler.slices) < 20


class SlowFirstSliceContinuation:
    """Exact-scan server whose first slice's follow-up pages answer late; logs the order."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.inner = pages_handler(records)
        self.events: list[tuple[str, str | None, str | None]] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if "pagination-type" not in request.headers:
            return self.inner(request)  # /count, the highest id
        params = request.url.params
        key = (params.get("conditions"), params.get("pageId"))
        self.events.append(("sent", *key))
        first_slice = key[0] == "id<=12"
        follow_up = key[1] not in (None, "5", "12", "19", "26", "33", "40", "47", "54")
        for _ in range(50 if first_slice and follow_up else 1):
            await asyncio.sleep(0)
        self.events.append(("answered", *key))
        return self.inner(request)


async def test_a_dense_slice_does_not_hold_back_the_follow_up_pages_of_the_next() -> None:
    # ids 1..35 dense, then 60: slices of 7 ids hold 7 records, two pages of 5 each
    rows = [{"id": i} for i in [*range(1, 36), 60]]
    handler = SlowFirstSliceContinuation(rows)
    twin = make_async(handler, concurrency=16)
    try:
        records = await twin.collect("service/tickets", pagesize=5)
    finally:
        await twin.close()
    assert [r["id"] for r in records] == [r["id"] for r in rows]
    events = handler.events
    first_follow_up = next(
        i for i, e in enumerate(events) if e[0] == "answered" and e[1] == "id<=12" and e[2] == "10"
    )
    second_follow_up = next(
        i for i, e in enumerate(events) if e[0] == "sent" and e[1] == "id<=19" and e[2] == "17"
    )
    # the next slice's second page went out while the first slice's second page was still out
    assert second_follow_up < first_follow_up


def next_on_every_full_page(records: list[dict[str, Any]]) -> Callable[..., Any]:
    """A forward-only server that links a next page after every full one, as a server that
    does not look ahead may: the client must see for itself that a slice is finished."""
    inner = pages_handler(records)

    def handler(request: httpx.Request) -> httpx.Response:
        response = inner(request)
        if request.headers.get("pagination-type") != "forward-only":
            return response
        chunk = response.json()
        if len(chunk) == int(request.url.params["pageSize"]) and "link" not in response.headers:
            url = request.url.copy_set_param("pageId", chunk[-1]["id"])
            return respond(200, chunk, headers={"Link": f'<{url}>; rel="next"'})
        return response

    return handler


async def forward_only_asked(
    handler: Callable[..., Any], rows: list[dict[str, Any]]
) -> list[tuple[str | None, str | None]]:
    """Scan ``rows`` exactly (pages of 5, concurrency 4) through ``handler``; check that every
    record came once, in id order, and return the ``(pageId, conditions)`` of each
    forward-only request the client sent."""
    twin = make_async(handler, concurrency=4)
    try:
        records = await twin.collect("service/tickets", pagesize=5)
    finally:
        await twin.close()
    assert [r["id"] for r in records] == [r["id"] for r in rows]
    return [
        (r.url.params.get("pageId"), r.url.params.get("conditions"))
        for r in twin.server.requests
        if r.headers.get("pagination-type") == "forward-only"
    ]


async def test_a_slice_whose_page_ends_at_its_upper_id_asks_no_more() -> None:
    # page 1 is 1..5; slices of 10 ids: (5, 15] .. (35, 45] hold two full pages each, the
    # second ending at the slice's upper id; then empty slices up to the highest id, 110
    rows = [{"id": i} for i in [*range(1, 46), 110]]
    asked = await forward_only_asked(next_on_every_full_page(rows), rows)
    assert ("5", "id<=15") in asked and ("10", "id<=15") in asked
    wasted = [(after, cond) for after, cond in asked if cond and cond == f"id<={after}"]
    assert wasted == []


async def test_slices_denser_than_the_average_still_come_in_one_request_each() -> None:
    # 40 dense ids after page 1, then one record far above (a record just added, say): the
    # average spread is a fifth thinner than the dense ids, which must not cost every slice a
    # second request
    rows = [{"id": i} for i in [*range(1, 46), 55]]
    asked = await forward_only_asked(pages_handler(rows), rows)
    slices = [conditions for page_id, conditions in asked if page_id is not None]
    assert len(slices) == len(set(slices))  # one request per slice
