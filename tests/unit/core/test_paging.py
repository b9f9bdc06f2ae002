"""Paging in navigable and forward-only modes, limits and failures, on both clients.

The async client runs with ``concurrency=1`` here (sequential, like the sync one); concurrent
paging has its own tests.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cw_facade._errors import ConnectWiseConfigurationError, ConnectWiseResponseError

from .conftest import ROOT_PREFIX, Server, pages_handler, respond

pytestmark = pytest.mark.anyio


def recs(n: int) -> list[dict[str, Any]]:
    return [{"id": i, "summary": f"t{i}"} for i in range(1, n + 1)]


def ids(records: list[dict[str, Any]]) -> list[int]:
    return [r["id"] for r in records]


@pytest.fixture
def seq(make: Any, kind: str) -> Any:
    """``seq(handler, **options)``: a twin that pages sequentially."""

    def build(handler: Any, **options: Any) -> Any:
        if kind == "async":
            options.setdefault("concurrency", 1)
        return make(Server(handler), **options)

    return build


def page_numbers(server: Server) -> list[int]:
    return [int(r.url.params["page"]) for r in server.requests]


@pytest.mark.parametrize(
    ("total", "pages"), [(0, [1]), (1, [1]), (5, [1]), (6, [1, 2]), (23, [1, 2, 3, 4, 5])]
)
async def test_navigable_follows_next_links(seq: Any, total: int, pages: list[int]) -> None:
    twin = seq(pages_handler(recs(total)))
    records = await twin.collect("service/tickets", pagesize=5)
    assert ids(records) == list(range(1, total + 1))
    assert page_numbers(twin.server) == pages
    assert {r.url.params["pageSize"] for r in twin.server.requests} == {"5"}


@pytest.mark.parametrize(
    ("total", "pages"), [(0, [1]), (3, [1]), (5, [1, 2]), (10, [1, 2, 3]), (12, [1, 2, 3])]
)
async def test_navigable_without_link_headers_pages_until_short(
    seq: Any, total: int, pages: list[int]
) -> None:
    twin = seq(pages_handler(recs(total), links=False))
    assert ids(await twin.collect("service/tickets", pagesize=5)) == list(range(1, total + 1))
    assert page_numbers(twin.server) == pages


async def test_get_all_uses_client_page_size_and_passes_query(seq: Any) -> None:
    twin = seq(pages_handler(recs(3)), page_size=2, validate_conditions=False)
    records = await twin.call(
        "get_all", "service/tickets", conditions="id>0", fields="id", order_by="id asc"
    )
    assert ids(records) == [1, 2, 3]
    for request in twin.server.requests:
        assert request.url.params["conditions"] == "id>0"
        assert request.url.params["fields"] == "id"
        assert request.url.params["orderBy"] == "id asc"
        assert request.url.params["pageSize"] == "2"


@pytest.mark.parametrize(
    ("limit", "expected", "sizes"),
    [(0, 0, []), (3, 3, ["3"]), (5, 5, ["5"]), (7, 7, ["5", "5"]), (50, 12, ["5", "5", "5"])],
)
async def test_limit(seq: Any, limit: int, expected: int, sizes: list[str]) -> None:
    twin = seq(pages_handler(recs(12)))
    records = await twin.collect("service/tickets", pagesize=5, limit=limit)
    assert ids(records) == list(range(1, expected + 1))
    assert [r.url.params["pageSize"] for r in twin.server.requests] == sizes


def forward_handler(records: list[dict[str, Any]], *, supported: bool = True) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        size = int(request.url.params["pageSize"])
        if supported and request.headers.get("pagination-type") == "forward-only":
            after = int(request.url.params.get("pageId", "0"))
            rest = [r for r in records if r["id"] > after]
            chunk, headers = rest[:size], {}
            if len(rest) > size:
                url = request.url.copy_set_param("pageId", chunk[-1]["id"])
                headers["Link"] = f'<{url}>; rel="next"'
            return respond(200, chunk, headers=headers)
        page = int(request.url.params.get("page", "1"))
        return respond(200, records[(page - 1) * size : page * size])

    return handler


def describe(request: httpx.Request) -> tuple[str, str | None]:
    if request.headers.get("pagination-type") == "forward-only":
        assert "page" not in request.url.params
        return ("forward", request.url.params.get("pageId"))
    return ("page", request.url.params["page"])


@pytest.mark.parametrize(
    ("total", "sent"),
    [
        (0, [("forward", None)]),
        (1, [("forward", None)]),
        # a full first page without a Link is ambiguous: the navigable page 2 settles it
        (5, [("forward", None), ("page", "2")]),
        (12, [("forward", None), ("forward", "5"), ("forward", "10")]),
    ],
)
async def test_forward_only_follows_page_ids(
    seq: Any, total: int, sent: list[tuple[str, str | None]]
) -> None:
    twin = seq(forward_handler(recs(total)))
    records = await twin.collect("service/tickets", pagesize=5, forward_only=True)
    assert ids(records) == list(range(1, total + 1))
    assert [describe(r) for r in twin.server.requests] == sent


async def test_forward_only_falls_back_when_unsupported(seq: Any) -> None:
    twin = seq(forward_handler(recs(12), supported=False))
    records = await twin.collect("service/tickets", pagesize=5, forward_only=True)
    assert ids(records) == list(range(1, 13))
    sent = twin.server.requests
    assert sent[0].headers["pagination-type"] == "forward-only"
    assert [r.url.params.get("page") for r in sent] == [None, "2", "3"]
    assert all("pagination-type" not in r.headers for r in sent[1:])


async def test_forward_only_with_order_by_is_refused(seq: Any) -> None:
    twin = seq(forward_handler([]))
    with pytest.raises(ConnectWiseConfigurationError):
        await twin.collect("service/tickets", forward_only=True, order_by="id desc")
    assert twin.server.requests == []


@pytest.mark.parametrize(
    "options",
    [
        {"pagesize": 0},
        {"pagesize": 1001},
        {"limit": -1},
        {"page": 2},
        {"pageSize": 3},
        {"max_retries": -1},
    ],
)
async def test_bad_paging_arguments_fail_before_sending(seq: Any, options: Any) -> None:
    twin = seq(pages_handler([]))
    with pytest.raises(ConnectWiseConfigurationError):
        twin.client.iter_all("service/tickets", **options)
    assert twin.server.requests == []


async def test_iteration_is_lazy(seq: Any, kind: str) -> None:
    twin = seq(pages_handler(recs(12)))
    records = twin.client.iter_all("service/tickets", pagesize=5)
    assert twin.server.requests == []
    if kind == "sync":
        first = next(records)
    else:
        first = await records.__anext__()
        await records.aclose()
    assert first["id"] == 1
    assert len(twin.server.requests) == 1


@pytest.mark.parametrize(
    "body", [{"id": 1}, [1, 2], "text", [{"id": 1}, None]], ids=["obj", "ints", "str", "none"]
)
async def test_page_that_is_not_a_list_of_objects(seq: Any, body: Any) -> None:
    twin = seq(lambda r: respond(200, body))
    with pytest.raises(ConnectWiseResponseError, match="JSON array"):
        await twin.collect("service/tickets")


async def test_next_link_that_does_not_advance(seq: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        link = f'<https://cw.example.com{ROOT_PREFIX}service/tickets?page=1>; rel="next"'
        return respond(200, recs(5), headers={"Link": link})

    twin = seq(handler)
    with pytest.raises(ConnectWiseResponseError, match="forward"):
        await twin.collect("service/tickets", pagesize=5)


async def test_forward_only_next_link_without_page_id(seq: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        link = f'<https://cw.example.com{ROOT_PREFIX}service/tickets?pageSize=5>; rel="next"'
        return respond(200, recs(5), headers={"Link": link})

    twin = seq(handler)
    with pytest.raises(ConnectWiseResponseError, match="pageId"):
        await twin.collect("service/tickets", pagesize=5, forward_only=True)


@pytest.mark.parametrize("forward_only", [False, True])
async def test_a_server_ignoring_the_page_parameter_is_detected(
    seq: Any, forward_only: bool
) -> None:
    twin = seq(lambda r: respond(200, recs(5)))
    with pytest.raises(ConnectWiseResponseError, match="same page twice"):
        await twin.collect("service/tickets", pagesize=5, forward_only=forward_only)
    assert len(twin.server.requests) == 2


async def test_next_link_to_another_host_only_lends_its_page_number(seq: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        link = f'<https://evil.example.net/steal?page={page + 1}>; rel="next"' if page < 2 else ""
        return respond(200, recs(5) if page == 1 else [], headers={"Link": link} if link else {})

    twin = seq(handler)
    assert len(await twin.collect("service/tickets", pagesize=5)) == 5
    assert [r.url.host for r in twin.server.requests] == ["cw.example.com"] * 2
    assert page_numbers(twin.server) == [1, 2]
