"""Concurrent paging of the async client (no blocking twin): several pages at once, in order.

Concurrent mode asks ``/count`` and page 1 at once, then fetches up to ``concurrency`` pages at
once in navigable mode and yields them strictly in page order; without a total, the page 1
already fetched starts sequential paging. Records whose ``id`` was yielded on one of the last
two pages are skipped, so a record moving across a page boundary during the scan is not
produced twice (memory stays bounded by pages, not by the scan). When the last
planned page is full (records were added meanwhile), paging continues sequentially until a
short page. Forward-only scans are always sequential.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

import httpx

from cw_facade._errors import ConnectWiseBadRequestError, ConnectWiseNotFoundError
from cw_facade._paging import PageCursor, PageShapeError, planned_pages, records_of
from cw_facade._responses import decode, response_error

if TYPE_CHECKING:
    from cw_facade._async._base import AsyncClientBase as AsyncClientCore

Result = httpx.Response
#: Pages whose record ids are remembered to skip records that shifted across a page boundary.
DEDUPE_WINDOW_PAGES = 2


async def iterate_pages(
    client: AsyncClientCore, cursor: PageCursor, max_retries: int | None
) -> AsyncGenerator[list[dict[str, Any]], None]:
    """Like :func:`iterate`, one non-empty list of records per page (cheaper per record)."""
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
    if client.concurrency < 2 or cursor.forward_only or cursor.done:
        return None
    return asyncio.ensure_future(client._call(cursor.page_request(1), max_retries))


def _advance(cursor: PageCursor, result: Result) -> list[dict[str, Any]]:
    """Let the cursor take a page fetched ahead (as ``client._page`` does for one it fetches)."""
    from cw_facade._async._base import cursor_advance

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


async def _cancel(tasks: dict[int, asyncio.Future[Result]]) -> None:
    for task in tasks.values():
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks.values(), return_exceptions=True)
