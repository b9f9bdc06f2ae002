"""Paging one scan: the pages a :class:`~cw_facade._paging.PageCursor` describes, in order.

Sequential here; the async client fetches several pages at once when it can
(:mod:`cw_facade._concurrent`, which has no blocking twin). Only one page is held at a time.
An endpoint that refuses the id-ordered query of an exact scan (400 on its first keyset page)
is paged by page numbers instead, with a :class:`~cw_facade.ConnectWisePagingWarning`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import TYPE_CHECKING, Any

from cw_facade._errors import ConnectWiseBadRequestError
from cw_facade._paging import KEYSET, PageCursor

if TYPE_CHECKING:
    from cw_facade._async._base import AsyncClientBase


async def async_pages(
    client: AsyncClientBase, cursor: PageCursor, max_retries: int | None
) -> AsyncIterator[list[dict[str, Any]]]:
    """Each non-empty page of the scan, as a list of records."""
    # unasync: begin-remove
    if client.concurrency > 1 and cursor.count is not None and not cursor.done:
        from contextlib import aclosing

        from cw_facade._concurrent import iterate_pages

        async with aclosing(iterate_pages(client, cursor, max_retries)) as pages:
            async for page in pages:
                yield page
        return
    # unasync: end-remove
    async for page in async_sequential(client, cursor, max_retries):
        yield page


async def async_sequential(
    client: AsyncClientBase, cursor: PageCursor, max_retries: int | None
) -> AsyncGenerator[list[dict[str, Any]], None]:
    """The rest of the scan, one page after the other."""
    while not cursor.done:
        try:
            records, response = await client._page(cursor, cursor.request(), max_retries)
        except ConnectWiseBadRequestError:
            if cursor.mode != KEYSET or cursor.keyset_pages:
                raise
            cursor.fall_back_to_pages("the endpoint refused the id-ordered query")
            continue
        del response  # one page in memory at a time: drop the body before the next request
        if records:
            yield records
        del records
