"""Replayed paging over several pages: navigable (``Link`` headers) and forward-only."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from vcr.cassette import Cassette

from cw_facade import AsyncConnectWiseClient, ConnectWiseClient
from tests.replay._cassettes import requests_sent

QUERY = {"conditions": "id<=5", "fields": "id", "pagesize": 2}
ORDERED = {**QUERY, "order_by": "id"}
FIRST_FIVE = [1, 2, 3, 4, 5]


def _pages(cassette: Cassette) -> list[dict[str, str]]:
    """The paging parameters and header of every recorded request, in order."""
    pages = []
    for request in cassette.requests:
        query = dict(parse_qsl(urlsplit(request.uri).query))
        wanted = {k: v for k, v in query.items() if k in ("page", "pageId", "pageSize")}
        mode = request.headers.get("pagination-type")
        pages.append({**wanted, **({"mode": mode} if mode else {})})
    return pages


NAVIGABLE_PAGES = [{"page": str(n), "pageSize": "2"} for n in (1, 2, 3)]
FORWARD_PAGES = [
    {"pageSize": "2", "mode": "forward-only"},
    {"pageSize": "2", "pageId": "2", "mode": "forward-only"},
    {"pageSize": "2", "pageId": "4", "mode": "forward-only"},
]


def test_get_all_navigable(client: ConnectWiseClient, cassette: Cassette) -> None:
    rows = client.get_all("service/tickets", **ORDERED)
    assert [row["id"] for row in rows] == FIRST_FIVE
    assert _pages(cassette) == NAVIGABLE_PAGES
    assert requests_sent(cassette) == 3


@pytest.mark.anyio
async def test_get_all_navigable_async(aclient: AsyncConnectWiseClient, cassette: Cassette) -> None:
    rows = await aclient.get_all("service/tickets", **ORDERED)
    assert [row["id"] for row in rows] == FIRST_FIVE
    assert _pages(cassette) == NAVIGABLE_PAGES


def test_iter_all_forward_only_is_lazy(client: ConnectWiseClient, cassette: Cassette) -> None:
    records = client.iter_all("service/tickets", forward_only=True, **QUERY)
    assert requests_sent(cassette) == 0
    assert next(records)["id"] == 1
    assert requests_sent(cassette) == 1
    assert [row["id"] for row in records] == FIRST_FIVE[1:]
    assert _pages(cassette) == FORWARD_PAGES


@pytest.mark.anyio
async def test_iter_all_forward_only_is_lazy_async(
    aclient: AsyncConnectWiseClient, cassette: Cassette
) -> None:
    records = aclient.iter_all("service/tickets", forward_only=True, **QUERY)
    assert requests_sent(cassette) == 0
    first = await anext(records)
    assert (first["id"], requests_sent(cassette)) == (1, 1)
    assert [row["id"] async for row in records] == FIRST_FIVE[1:]
    assert _pages(cassette) == FORWARD_PAGES


def test_limit_stops_early(client: ConnectWiseClient, cassette: Cassette) -> None:
    rows = client.get_all("service/tickets", limit=3, **ORDERED)
    assert [row["id"] for row in rows] == FIRST_FIVE[:3]
    assert requests_sent(cassette) == 2
