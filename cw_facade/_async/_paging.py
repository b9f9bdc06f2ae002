"""Paging one scan: the pages a :class:`~cw_facade._paging.PageCursor` describes, in order.

Sequential here; the async client fetches several pages at once when it can
(:mod:`cw_facade._concurrent`, which has no blocking twin). Only one page is held at a time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from cw_facade._paging import PageCursor

if TYPE_CHECKING:
    from cw_facade._async._base import AsyncClientBase


async def async_pages(
    client: AsyncClientBase, cursor: PageCursor, max_retries: int | None
) -> AsyncIterator[list[dict[str, Any]]]:
    """Each non-empty page of the scan, as a list of records."""
    # unasync: begin-remove
    if client.concurrency > 1 and not cursor.forward_only and cursor.count is not None:
        from contextlib import aclosing

        from cw_facade._concurrent import iterate_pages

        async with aclosing(iterate_pages(client, cursor, max_retries)) as pages:
            async for page in pages:
                yield page
        return
    # unasync: end-remove
    while not cursor.done:
        records, response = await client._page(cursor, cursor.request(), max_retries)
        del response  # one page in memory at a time: drop the body before the next request
        if records:
            yield records
        del records
