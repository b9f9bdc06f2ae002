"""Paging in page-number, forward-only and keyset modes, limits and failures, on both clients.

The async client runs with ``concurrency=1`` here (sequential, like the sync one); concurrent
paging has its own tests.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cw_facade._errors import (
    ConnectWiseConfigurationError,
    ConnectWisePageLoopError,
    ConnectWiseResponseError,
)
from cw_facade._paging import ConnectWisePagingWarning
from cw_facade.conditions import matches, parse

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
    records = await twin.collect("service/tickets", pagesize=5, forward_only=False)
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
    records = await twin.collect("service/tickets", pagesize=5, forward_only=False)
    assert ids(records) == list(range(1, total + 1))
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
        text = request.url.params.get("conditions")
        chosen = (
            records
            if text in {None, "id ~~ 1"}
            else [r for r in records if matches(parse(text), r)]
        )
        if request.url.path.endswith("/count"):
            return respond(200, {"count": len(chosen)})
        size = int(request.url.params["pageSize"])
        if request.url.params.get("orderBy") == "id desc":
            return respond(200, sorted(chosen, key=lambda r: -r["id"])[:size])
        if supported and request.headers.get("pagination-type") == "forward-only":
            after = int(request.url.params.get("pageId", "0"))
            rest = [r for r in chosen if r["id"] > after]
            chunk, headers = rest[:size], {}
            if len(rest) > size:
                url = request.url.copy_set_param("pageId", chunk[-1]["id"])
                headers["Link"] = f'<{url}>; rel="next"'
            return respond(200, chunk, headers=headers)
        if request.url.params.get("orderBy") == "id asc":
            return respond(200, sorted(chosen, key=lambda r: r["id"])[:size])
        page = int(request.url.params.get("page", "1"))
        return respond(200, records[(page - 1) * size : page * size])

    return handler


def describe(request: httpx.Request) -> tuple[str, str | None]:
    if request.headers.get("pagination-type") == "forward-only":
        assert "page" not in request.url.params
        return ("forward", request.url.params.get("pageId"))
    if request.url.params.get("orderBy") == "id asc":
        assert "page" not in request.url.params
        return ("keyset", request.url.params.get("conditions"))
    return ("page", request.url.params["page"])


@pytest.mark.parametrize(
    ("total", "sent"),
    [
        (0, [("forward", None)]),
        (1, [("forward", None)]),
        # a full first page without a Link is ambiguous: an id-ordered scan settles it
        (5, [("forward", None), ("keyset", None), ("keyset", "id>5")]),
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


@pytest.mark.parametrize("forward_only", [None, True])
async def test_unsupported_forward_only_becomes_an_id_ordered_scan(
    seq: Any, forward_only: bool | None
) -> None:
    unordered = list(reversed(recs(12)))  # the server's own order is not id order
    twin = seq(forward_handler(unordered, supported=False), validate_conditions=False)
    records = await twin.collect(
        "service/tickets", pagesize=5, forward_only=forward_only, conditions="id < 100"
    )
    assert sorted(ids(records)) == list(range(1, 13))
    assert len(ids(records)) == 12  # page 1 (ids 12..8) is not produced again
    assert [describe(r) for r in twin.server.requests] == [
        ("forward", None),
        ("keyset", "id<100"),
        ("keyset", "id<100 AND id>5"),
        ("keyset", "id<100 AND id>10"),
    ]
    assert all("pagination-type" not in r.headers for r in twin.server.requests[1:])


async def test_conditions_that_cannot_take_bounds_fall_back_to_pages_with_a_warning(
    seq: Any,
) -> None:
    twin = seq(forward_handler(recs(12), supported=False), validate_conditions=False)
    with pytest.warns(ConnectWisePagingWarning, match="not be combined|cannot be combined"):
        records = await twin.collect("service/tickets", pagesize=5, conditions="id ~~ 1")
    assert ids(records) == list(range(1, 13))
    sent = twin.server.requests
    assert sent[0].headers["pagination-type"] == "forward-only"
    assert [r.url.params.get("page") for r in sent] == [None, "2", "3"]


async def test_records_without_ids_fall_back_to_pages_with_a_warning(seq: Any) -> None:
    rows = [{"name": f"n{i}"} for i in range(12)]
    twin = seq(forward_handler(rows, supported=False))
    with pytest.warns(ConnectWisePagingWarning, match="no integer id"):
        records = await twin.collect("service/tickets", pagesize=5)
    assert records == rows


async def test_an_endpoint_refusing_the_keyset_query_falls_back_to_pages(seq: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("orderBy") == "id asc":
            return respond(400, {"code": "InvalidObject", "message": "orderBy id not allowed"})
        return forward_handler(recs(12), supported=False)(request)

    twin = seq(handler)
    with pytest.warns(ConnectWisePagingWarning, match="refused"):
        records = await twin.collect("service/tickets", pagesize=5)
    assert ids(records) == list(range(1, 13))


async def test_exact_scans_warn_nothing_when_forward_only_works(seq: Any) -> None:
    import warnings

    twin = seq(forward_handler(recs(12)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ids(await twin.collect("service/tickets", pagesize=5)) == list(range(1, 13))


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
    records = twin.client.iter_all("service/tickets", pagesize=5, forward_only=False)
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
    with pytest.raises(ConnectWisePageLoopError, match="points to page 1"):
        await twin.collect("service/tickets", pagesize=5, forward_only=False)


async def test_next_link_that_skips_pages(seq: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        link = f'<https://cw.example.com{ROOT_PREFIX}service/tickets?page=5>; rel="next"'
        return respond(200, recs(5), headers={"Link": link})

    twin = seq(handler)
    with pytest.raises(ConnectWisePageLoopError, match="skips to page 5") as caught:
        await twin.collect("service/tickets", pagesize=5, forward_only=False)
    assert caught.value.method == "GET" and caught.value.path == "service/tickets"
    assert len(twin.server.requests) == 1


async def test_forward_only_next_link_that_skips_records(seq: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        link = f'<https://cw.example.com{ROOT_PREFIX}service/tickets?pageId=50>; rel="next"'
        return respond(200, recs(5), headers={"Link": link})

    twin = seq(handler)
    with pytest.raises(ConnectWisePageLoopError, match="skips records"):
        await twin.collect("service/tickets", pagesize=5)


async def test_forward_only_next_link_without_page_id(seq: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        link = f'<https://cw.example.com{ROOT_PREFIX}service/tickets?pageSize=5>; rel="next"'
        return respond(200, recs(5), headers={"Link": link})

    twin = seq(handler)
    with pytest.raises(ConnectWisePageLoopError, match="pageId"):
        await twin.collect("service/tickets", pagesize=5, forward_only=True)


async def test_a_server_ignoring_the_page_parameter_is_detected(seq: Any) -> None:
    twin = seq(lambda r: respond(200, recs(5)))
    with pytest.raises(ConnectWisePageLoopError, match="repeats an earlier page"):
        await twin.collect("service/tickets", pagesize=5, forward_only=False)
    assert len(twin.server.requests) == 2


async def test_a_server_ignoring_the_keyset_bound_is_detected(seq: Any) -> None:
    twin = seq(lambda r: respond(200, recs(5)))
    with pytest.raises(ConnectWisePageLoopError, match="came after id 5"):
        await twin.collect("service/tickets", pagesize=5)
    # forward-only (no Link: unsupported), keyset from the start, keyset after id 5
    assert len(twin.server.requests) == 3


@pytest.mark.parametrize(("pattern", "sent"), [("ABAB", 3), ("ABCB", 4), ("ABCA", 4)])
async def test_any_repeated_page_is_detected_not_only_the_previous_one(
    seq: Any, pattern: str, sent: int
) -> None:
    contents = {letter: recs(15)[5 * i : 5 * i + 5] for i, letter in enumerate("ABC")}

    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        body = contents[pattern[(page - 1) % len(pattern)]]
        link = request.url.copy_set_param("page", page + 1)
        return respond(200, body, headers={"Link": f'<{link}>; rel="next"'})

    twin = seq(handler)
    with pytest.raises(ConnectWisePageLoopError, match="repeats an earlier page"):
        await twin.collect("service/tickets", pagesize=5, forward_only=False)
    assert len(twin.server.requests) == sent


async def test_forward_only_pages_going_backwards_are_detected(seq: Any) -> None:
    pages = {None: recs(10)[:5], "5": recs(10)[5:], "10": recs(10)[:5]}

    def handler(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("pageId")
        body = pages[after]
        link = request.url.copy_set_param("pageId", body[-1]["id"])
        return respond(200, body, headers={"Link": f'<{link}>; rel="next"'})

    twin = seq(handler)
    with pytest.raises(ConnectWisePageLoopError, match="came after id 10"):
        await twin.collect("service/tickets", pagesize=5)


async def test_next_link_to_another_host_only_lends_its_page_number(seq: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        link = f'<https://evil.example.net/steal?page={page + 1}>; rel="next"' if page < 2 else ""
        return respond(200, recs(5) if page == 1 else [], headers={"Link": link} if link else {})

    twin = seq(handler)
    assert len(await twin.collect("service/tickets", pagesize=5, forward_only=False)) == 5
    assert [r.url.host for r in twin.server.requests] == ["cw.example.com"] * 2
    assert page_numbers(twin.server) == [1, 2]


@pytest.mark.parametrize("value", ["yes", 1, 0.0])
async def test_forward_only_must_be_a_bool_or_none(seq: Any, value: Any) -> None:
    twin = seq(pages_handler([]))
    with pytest.raises(ConnectWiseConfigurationError, match="forward_only"):
        twin.client.iter_all("service/tickets", forward_only=value)
