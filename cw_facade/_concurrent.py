"""Concurrent paging of the async client (no blocking twin): several requests at once, in order.

Exact scans (the default) are split into disjoint id ranges: page 1 (forward-only) and
``/count`` are asked at once; when more than a page remains, the highest id
(``orderBy=id desc&pageSize=1``) follows, and the ids after page 1 up to the highest are cut
into slices ``id > a AND id <= b`` expected to hold about four fifths of a page each
(:data:`SLICE_FILL_PERCENT`), plus an open slice ``id > highest`` for records added meanwhile.
Up to ``concurrency`` requests are out at once: the slices' first pages and, as soon as a
slice's page comes back full, that slice's next page (forward-only, so a slice denser than the
average costs a request more, not a wait of its own); a page that ends at its slice's upper id
finishes the slice without another request. The slices are produced strictly in id order. So
every record that exists for the whole scan comes exactly once, and memory stays bounded by
``concurrency`` pages (requests out plus pages fetched ahead). An endpoint without
forward-only, or one without ``/count`` or a highest id, is scanned sequentially.

Page-number scans (``order_by`` or ``forward_only=False``) ask ``/count`` and page 1 at once,
then fetch up to ``concurrency`` pages at once and yield them strictly in page order; records
whose ``id`` was yielded on one of the last two pages are skipped. They are not exact while
data changes (see the README's "Paging").
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from contextlib import aclosing
from typing import Any, Protocol, TypeVar

import httpx

from cw_facade._async._paging import AsyncPager, async_sequential
from cw_facade._errors import ConnectWiseBadRequestError, ConnectWiseNotFoundError
from cw_facade._paging import (
    FORWARD,
    PAGES,
    PageCursor,
    PageShapeError,
    cursor_advance,
    planned_pages,
    record_id,
    records_of,
)
from cw_facade._responses import decode, response_error


class AsyncClientCore(AsyncPager, Protocol):
    """What concurrent paging needs of the async client."""

    concurrency: int

    async def _call(
        self, args: Mapping[str, Any], max_retries: int | None = None
    ) -> httpx.Response: ...

    async def _count(self, args: Mapping[str, Any], max_retries: int | None = None) -> int: ...


Result = httpx.Response
#: How full an exact scan's id slices are cut to be, in percent of a page, if ids were spread
#: evenly: a slice up to a quarter denser than the average still comes in one request, where
#: slices of exactly one page would each cost a second request whenever they hold more.
SLICE_FILL_PERCENT = 80
#: Pages whose record ids are remembered to skip records that shifted across a page boundary.
DEDUPE_WINDOW_PAGES = 2


async def iterate_pages(
    client: AsyncClientCore, cursor: PageCursor, max_retries: int | None
) -> AsyncGenerator[list[dict[str, Any]], None]:
    """The scan's non-empty pages, in order, fetching several at once (see the module)."""
    if cursor.mode == PAGES:
        scan = _numbered_pages(client, cursor, max_retries)
    else:
        scan = _id_slices(client, cursor, max_retries)
    async with aclosing(scan) as pages:
        async for page in pages:
            yield page


async def _numbered_pages(
    client: AsyncClientCore, cursor: PageCursor, max_retries: int | None
) -> AsyncGenerator[list[dict[str, Any]], None]:
    """A page-number scan, pages fetched ahead (not exact under changes)."""
    seen: RecentIds | None = None
    first = _first_page(client, cursor, max_retries)
    try:
        pages = 0 if first is None else await _planned(client, cursor, max_retries)
        if pages > 1 and first is not None:
            seen = RecentIds()
            scan = _concurrently(client, cursor, pages, max_retries, seen, first)
            async with aclosing(scan) as ordered:
                async for page in ordered:
                    yield page
        elif first is not None:  # one page, or no total: page 1 is what sequential paging asks
            records = _advance(cursor, await first)
            if records:
                yield records
    finally:
        if first is not None:
            await _cancel({1: first})
    while not cursor.done:
        records, _ = await client._page(cursor, cursor.request(), max_retries)
        if seen is not None:
            records = [record for record in records if _fresh(record, seen)]
            seen.next_page()
        if records:
            yield records


def _first_page(
    client: AsyncClientCore, cursor: PageCursor, max_retries: int | None
) -> asyncio.Future[Result] | None:
    """Request page 1 alongside ``/count`` (it is needed either way); None when sequential."""
    if client.concurrency < 2 or cursor.mode != PAGES or cursor.done:
        return None
    return asyncio.ensure_future(client._call(cursor.page_request(1), max_retries))


def _advance(cursor: PageCursor, result: Result) -> list[dict[str, Any]]:
    """Let the cursor take a page fetched ahead (as ``client._page`` does for one it fetches)."""
    return cursor_advance(cursor, result)


async def _planned(client: AsyncClientCore, cursor: PageCursor, max_retries: int | None) -> int:
    """Pages to fetch concurrently; 0 when the scan should run sequentially."""
    if cursor.count is None:
        return 0
    try:
        total = await client._count(cursor.count(), max_retries)
    except (ConnectWiseNotFoundError, ConnectWiseBadRequestError):
        return 0
    return planned_pages(total, cursor.pagesize, cursor.limit)


class RecentIds:
    """Ids of the records of the last few pages.

    When records are inserted or deleted during a scan, pages shift and a record reappears at
    the edge of a neighbouring page. Remembering a window of pages catches that while memory
    stays bounded by pages, not by the length of the scan.
    """

    def __init__(self, pages: int = DEDUPE_WINDOW_PAGES) -> None:
        """Remember the ids of the last ``pages`` pages."""
        self._pages: deque[set[object]] = deque([set()], maxlen=pages)

    def __contains__(self, key: object) -> bool:
        return any(key in page for page in self._pages)

    def add(self, key: object) -> None:
        """Remember ``key`` as seen on the current page."""
        self._pages[-1].add(key)

    def next_page(self) -> None:
        """Start a new page, forgetting the oldest one beyond the window."""
        self._pages.append(set())


def _fresh(record: dict[str, Any], seen: RecentIds) -> bool:
    key = record.get("id")
    if key is None or isinstance(key, dict | list):
        return True
    if key in seen:
        return False
    seen.add(key)
    return True


async def _concurrently(
    client: AsyncClientCore,
    cursor: PageCursor,
    pages: int,
    max_retries: int | None,
    seen: RecentIds,
    first: asyncio.Future[Result],
) -> AsyncGenerator[list[dict[str, Any]], None]:
    """Yield the fresh records of each planned page, in page order (one list per page)."""
    tasks: dict[int, asyncio.Future[Result]] = {1: first}
    following, full = 2, False
    try:
        for page in range(1, pages + 1):
            while following <= pages and len(tasks) < client.concurrency:
                request = cursor.page_request(following)
                tasks[following] = asyncio.ensure_future(client._call(request, max_retries))
                following += 1
            result = await tasks.pop(page)
            records = _records(result)
            full = len(records) >= cursor.pagesize and _may_continue(result)
            del result  # the page's response body is no longer needed
            fresh = _take(cursor, records, seen)
            if fresh:
                yield fresh
            if not records or (cursor.limit is not None and cursor.produced >= cursor.limit):
                full = False
                break
    finally:
        await _cancel(tasks)
    cursor.page, cursor.done = pages + 1, not full


def _take(
    cursor: PageCursor, records: list[dict[str, Any]], seen: RecentIds
) -> list[dict[str, Any]]:
    """The records of one page not produced before, cut at the cursor's ``limit``."""
    fresh: list[dict[str, Any]] = []
    for record in records:
        if cursor.limit is not None and cursor.produced >= cursor.limit:
            break
        if _fresh(record, seen):
            cursor.produced += 1
            fresh.append(record)
    seen.next_page()
    return fresh


def _may_continue(response: httpx.Response) -> bool:
    """False when a ``Link`` header is present without ``rel="next"`` (the last page)."""
    return "next" in response.links or "link" not in response.headers


def _records(result: Result) -> list[dict[str, Any]]:
    try:
        return records_of(decode(result))
    except PageShapeError as exc:
        raise response_error(result, str(exc)) from None


async def _cancel(tasks: Mapping[int, asyncio.Future[Any]]) -> None:
    for task in tasks.values():
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks.values(), return_exceptions=True)


async def _id_slices(
    client: AsyncClientCore, cursor: PageCursor, max_retries: int | None
) -> AsyncGenerator[list[dict[str, Any]], None]:
    """An exact scan cut into disjoint id slices fetched at once, yielded in id order."""
    planned = (
        cursor.mode == FORWARD
        and cursor.keyset is not None
        and cursor.count is not None
        and cursor.after == 0
        and cursor.upto is None
    )
    if not planned or cursor.keyset is None or cursor.count is None:
        async with aclosing(async_sequential(client, cursor, max_retries)) as rest:
            async for page in rest:
                yield page
        return
    first = asyncio.ensure_future(client._call(cursor.request(), max_retries))
    total = asyncio.ensure_future(client._count(cursor.count(), max_retries))
    try:
        records = _advance(cursor, await first)
        if records:
            yield records
        bounds = await _bounds(client, cursor, total, max_retries)
    finally:
        await _cancel({1: first, 2: total})
    if bounds is not None and not cursor.done:
        async with aclosing(_slices(client, cursor, bounds, max_retries)) as pages:
            async for page in pages:
                yield page
    else:
        async with aclosing(async_sequential(client, cursor, max_retries)) as rest:
            async for page in rest:
                yield page


async def _bounds(
    client: AsyncClientCore,
    cursor: PageCursor,
    total: asyncio.Future[int],
    max_retries: int | None,
) -> list[int] | None:
    """The upper ids of the slices after page 1, or ``None`` to go on sequentially.

    The highest id is asked only when ``/count`` says more than a page remains.
    """
    if cursor.done or cursor.mode != FORWARD or cursor.keyset is None:
        return None
    try:
        remaining = await total - cursor.produced
        if remaining <= cursor.pagesize:
            return None
        if cursor.limit is not None and cursor.limit - cursor.produced <= cursor.pagesize:
            return None
        highest = await client._call(cursor.keyset.last(), max_retries)
    except (ConnectWiseNotFoundError, ConnectWiseBadRequestError):
        return None
    try:
        records = records_of(decode(highest))
    except PageShapeError:
        return None
    last = record_id(records[0]) if records else None
    start = cursor.after
    if last is None or last <= start:
        return None
    width = max(1, (last - start) * cursor.pagesize * SLICE_FILL_PERCENT // (remaining * 100))
    return [*range(start + width, last, width), last]


def _slice(cursor: PageCursor, after: int, upto: int | None) -> PageCursor:
    """A forward-only cursor over ``id > after AND id <= upto`` (forward-only known to work)."""
    return PageCursor(
        cursor.build,
        cursor.pagesize,
        None,
        FORWARD,
        None,
        cursor.keyset,
        after=after,
        upto=upto,
        probing=False,
    )


async def _slices(
    client: AsyncClientCore, cursor: PageCursor, bounds: list[int], max_retries: int | None
) -> AsyncGenerator[list[dict[str, Any]], None]:
    """Yield the records of each slice in id order, with up to ``concurrency`` requests out.

    Requests go out for the first pages of the slices ahead and, as soon as a full page of a
    slice comes back, for that slice's next page (pages of one slice follow each other, forward
    only), so a slice denser than the average does not hold the scan to one request at a
    time. Pages fetched ahead wait for their turn; requests out plus pages waiting stay within
    ``concurrency`` (one more for the slice being produced), so memory stays bounded by pages.
    """
    lows = [cursor.after, *bounds]
    uppers: list[int | None] = [*bounds, None]  # the open slice takes records added meanwhile
    slices = [_slice(cursor, low, up) for low, up in zip(lows, uppers, strict=True)]
    waiting: list[deque[list[dict[str, Any]]]] = [deque() for _ in slices]
    out: dict[int, asyncio.Future[Result]] = {}  # slice index → the request of its next page
    current = 0
    try:
        while current < len(slices) and not cursor.done:
            _send_ahead(client, slices, waiting, out, current, max_retries)
            if waiting[current]:
                records = _counted(cursor, waiting[current].popleft())
                if records:
                    yield records
            elif slices[current].done:
                current += 1
            else:
                landed, _ = await asyncio.wait(out.values(), return_when=asyncio.FIRST_COMPLETED)
                for index, task in list(out.items()):
                    if task in landed:
                        del out[index]
                        waiting[index].append(_advance(slices[index], task.result()))
    finally:
        await _cancel(out)
    cursor.done = True


def _send_ahead(
    client: AsyncClientCore,
    slices: list[PageCursor],
    waiting: list[deque[list[dict[str, Any]]]],
    out: dict[int, asyncio.Future[Result]],
    current: int,
    max_retries: int | None,
) -> None:
    """Send the next page requests the budget allows, the slice being produced first."""
    budget = client.concurrency - len(out) - sum(len(pages) for pages in waiting)
    for index in range(current, len(slices)):
        piece = slices[index]
        if piece.done or index in out:
            continue
        starving = index == current and not waiting[index]
        if budget <= 0 and not starving:
            break
        out[index] = asyncio.ensure_future(client._call(piece.request(), max_retries))
        budget -= 1


def _counted(cursor: PageCursor, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``records`` cut at the scan's ``limit``, counted as produced by the scan's cursor."""
    if cursor.limit is not None:
        records = records[: cursor.limit - cursor.produced]
    cursor.produced += len(records)
    if records:
        key = record_id(records[-1])
        cursor.after = key if key is not None else cursor.after
    if cursor.limit is not None and cursor.produced >= cursor.limit:
        cursor.done = True
    return records


T = TypeVar("T")


async def bounded(limit: int, jobs: Sequence[Callable[[], Awaitable[T]]]) -> list[T]:
    """Run ``jobs`` with at most ``limit`` at once; their results in job order.

    The first failure cancels the jobs still running and is raised.
    """
    semaphore = asyncio.Semaphore(limit)

    async def run(job: Callable[[], Awaitable[T]]) -> T:
        async with semaphore:
            return await job()

    tasks = [asyncio.ensure_future(run(job)) for job in jobs]
    try:
        return list(await asyncio.gather(*tasks))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
