"""``client.api``: every generated operation through the facade's one transport."""

from __future__ import annotations

import base64
import logging
from typing import Any

import httpx
import pytest

from cw_facade import (
    ConnectWiseClosedError,
    ConnectWiseConfigurationError,
    ConnectWiseNotFoundError,
    ConnectWiseRateLimitError,
)
from cw_manage_client.api.slas import get_service_slas
from cw_manage_client.api.tickets import get_service_tickets_by_id, post_service_tickets
from cw_manage_client.models.ticket import Ticket

from .conftest import CLIENT, CLIENT_ID, PASSWORD, USERNAME, cw_error, respond, scripted

pytestmark = pytest.mark.anyio

TICKET = {"id": 5, "summary": "Printer", "board": {"id": 1, "name": "Help Desk"}}


async def call(twin: Any, module: Any, *args: Any, **kwargs: Any) -> Any:
    """``module.sync(..., client=twin.client.api)`` or its ``asyncio`` twin."""
    if twin.kind == "sync":
        return module.sync(*args, client=twin.client.api, **kwargs)
    return await module.asyncio(*args, client=twin.client.api, **kwargs)


async def test_a_generated_call_carries_the_facade_headers_and_parses(make: Any) -> None:
    twin = make(scripted(respond(200, TICKET)))
    ticket = await call(twin, get_service_tickets_by_id, 5)
    assert isinstance(ticket, Ticket) and ticket.summary == "Printer"
    (sent,) = twin.server.requests
    assert sent.url.path == "/v4_6_release/apis/3.0/service/tickets/5"
    token = base64.b64encode(f"{CLIENT}+{USERNAME}:{PASSWORD}".encode()).decode()
    assert sent.headers["authorization"] == f"Basic {token}"
    assert sent.headers["clientid"] == CLIENT_ID
    assert sent.headers["accept"] == "application/vnd.connectwise.com+json; version=2025.8"
    assert sent.headers["user-agent"] == "cw-facade"


async def test_query_parameters_keep_the_api_spelling(make: Any) -> None:
    twin = make(scripted(respond(200, [{"id": 1, "name": "Gold"}])))
    slas = await call(twin, get_service_slas, conditions='name contains "Gold"', page_size=5)
    assert [s.name for s in slas] == ["Gold"]
    params = dict(twin.server.requests[0].url.params)
    assert params == {"conditions": 'name contains "Gold"', "pageSize": "5"}


async def test_a_404_raises_the_facade_error_not_parsed_none(make: Any) -> None:
    twin = make(scripted(cw_error(404, "NotFound", "Service Ticket 9 not found")))
    with pytest.raises(ConnectWiseNotFoundError) as caught:
        await call(twin, get_service_tickets_by_id, 9)
    assert caught.value.code == "NotFound" and caught.value.path == "service/tickets/9"


async def test_a_429_then_200_is_retried(make: Any) -> None:
    server = scripted(
        cw_error(429, "ConnectWiseAPI", "Too many requests", headers={"Retry-After": "2"}),
        respond(200, TICKET),
    )
    twin = make(server, max_retries=3)
    assert (await call(twin, get_service_tickets_by_id, 5)).id == 5
    assert len(server.requests) == 2 and twin.clock.sleeps == [2.0]


async def test_a_post_is_not_repeated_after_a_503(make: Any) -> None:
    server = scripted(respond(503, text="<html/>"))
    twin = make(server, max_retries=3)
    with pytest.raises(Exception, match="503"):
        await call(twin, post_service_tickets, body=Ticket.from_dict({"summary": "x"}))
    assert len(server.requests) == 1


async def test_a_429_beyond_the_retry_budget_raises_with_retry_after(make: Any) -> None:
    limited = cw_error(429, "ConnectWiseAPI", "slow down", headers={"Retry-After": "1"})
    twin = make(scripted(limited, limited), max_retries=1)
    with pytest.raises(ConnectWiseRateLimitError) as caught:
        await call(twin, get_service_tickets_by_id, 5)
    assert caught.value.retry_after == 1.0 and caught.value.retries_taken == 1


async def test_requests_to_another_origin_are_refused_before_sending(make: Any) -> None:
    twin = make(scripted())
    http = twin.client.api.get_httpx_client() if twin.kind == "sync" else None
    http = http or twin.client.api.get_async_httpx_client()
    request = http.build_request("GET", "https://evil.example/steal")
    with pytest.raises(ConnectWiseConfigurationError, match="only talks to"):
        result = http.send(request)
        if twin.kind == "async":
            await result
    assert twin.server.requests == []


async def test_the_api_of_a_closed_client_says_so(make: Any) -> None:
    twin = make(scripted())
    api = twin.client.api
    await twin.close()
    with pytest.raises(ConnectWiseClosedError, match="closed"):
        await call(twin, get_service_tickets_by_id, 5)
    assert api is twin.client.api


def test_the_package_logger_has_a_null_handler() -> None:
    import cw_facade._log  # noqa: F401  (the transport's logging module)

    handlers = logging.getLogger("cw_facade").handlers
    assert any(isinstance(h, logging.NullHandler) for h in handlers)


def test_a_caller_http_client_is_used_and_left_open() -> None:
    from cw_facade import ConnectWiseClient

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=TICKET)

    own = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    with ConnectWiseClient(
        "https://cw.example.com/v4_6_release/apis/3.0",
        CLIENT,
        USERNAME,
        PASSWORD,
        CLIENT_ID,
        http_client=own,
    ) as cw:
        assert get_service_tickets_by_id.sync(5, client=cw.api).id == 5
    assert not own.is_closed and seen[0].headers["clientid"] == CLIENT_ID
    own.close()
