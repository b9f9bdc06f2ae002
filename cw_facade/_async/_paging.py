"""Paging one scan: the pages a :class:`~cw_facade._paging.PageCursor` describes, in order.

Sequential here; the async client fetches several pages at once when it can
(:mod:`cw_facade._concurrent`, which has no blocking twin). Only one page is held at a time.
An endpoint that refuses the id-ordered query of an exact scan (400 on its first keyset page)
is paged by page numbers instead, with a :class:`~cw_facade.ConnectWisePagingWarning`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from typing import Any, Protocol

import httpx

from cw_facade._errors import ConnectWiseBadRequestError
from cw_facade._paging import KEYSET, PageCursor


class AsyncPager(Protocol):
    """What paging needs of a client: one page fetched and taken by the cursor."""

    async def _page(
        self, cursor: PageCursor, args: Mapping[str, Any], max_retries: int | None
    ) -> tuple[list[dict[str, Any]], httpx.Response]: ...


async def async_sequential(
    client: AsyncPager, cursor: PageCursor, max_retries: int | None
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
