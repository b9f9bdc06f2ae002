"""Codebase discovery via /login/companyinfo, fallback and re-discovery, on both clients."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from cw_facade._errors import ConnectWiseConfigurationError, ConnectWiseNotFoundError

from .conftest import Server, cw_error, respond

pytestmark = pytest.mark.anyio

SITE = "https://na.myconnectwise.net"
INFO = "/login/companyinfo/acme"


def site_server(codebases: list[Any], api: Any = None) -> Server:
    """companyinfo answers ``codebases`` in turn; API calls answer via ``api`` (default [])."""
    answers = list(codebases)

    def handler(request: httpx.Request) -> httpx.Response | Exception:
        if request.url.path == INFO:
            assert request.url.host == "na.myconnectwise.net"
            answer = answers.pop(0)
            if isinstance(answer, httpx.Response | Exception):
                return answer
            if answer is None:
                return respond(200, text="null", headers={"content-type": "application/json"})
            return respond(200, {"Codebase": answer, "IsCloud": True})
        assert request.url.host == "api-na.myconnectwise.net"
        return api(request) if api else respond(200, [])

    return Server(handler)


async def test_discovers_once_lazily(make: Any) -> None:
    server = site_server(["v2025_1/"])
    twin = make(server, base_url=SITE)
    assert server.requests == []
    await twin.call("get", "service/tickets")
    await twin.call("get", "service/boards")
    assert [str(r.url) for r in server.requests] == [
        "https://na.myconnectwise.net/login/companyinfo/acme",
        "https://api-na.myconnectwise.net/v2025_1/apis/3.0/service/tickets",
        "https://api-na.myconnectwise.net/v2025_1/apis/3.0/service/boards",
    ]
    assert "authorization" not in server.requests[0].headers
    assert twin.client.codebase == "v2025_1/"
    assert twin.client.api_root == "https://api-na.myconnectwise.net/v2025_1/apis/3.0/"


async def test_codebase_without_trailing_slash_is_normalised(make: Any) -> None:
    server = site_server(["v2025_1"])
    twin = make(server, base_url=SITE)
    await twin.call("get", "service/tickets")
    assert server.requests[1].url.path == "/v2025_1/apis/3.0/service/tickets"


async def test_unknown_company_is_a_configuration_error(make: Any) -> None:
    server = site_server([None])
    twin = make(server, base_url=SITE)
    with pytest.raises(ConnectWiseConfigurationError, match="unknown"):
        await twin.call("get", "service/tickets")
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "failure",
    [
        lambda: respond(500, text="<html></html>"),
        lambda: respond(200, text="<html>maintenance</html>"),
        lambda: respond(200, {"CompanyName": "Acme"}),
        lambda: respond(200, {"Codebase": "../../etc"}),
        lambda: respond(200, ["v2025_1/"]),
        lambda: httpx.ConnectError("refused"),
    ],
)
async def test_failed_discovery_falls_back(
    make: Any, failure: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server = site_server([failure()])
    twin = make(server, base_url=SITE)
    with caplog.at_level(logging.DEBUG, logger="cw_facade"):
        assert await twin.call("get", "service/tickets") == []
    assert server.requests[1].url.path == "/v4_6_release/apis/3.0/service/tickets"
    assert any("v4_6_release/" in r.getMessage() for r in caplog.records)


def _html_404_once(request: httpx.Request) -> httpx.Response:
    if request.url.path.startswith("/v2024_1/"):
        return respond(404, text="<html>Not Found</html>", headers={"content-type": "text/html"})
    return respond(200, {"id": 1})


async def test_unexpected_404_rediscovers_and_retries(make: Any) -> None:
    server = site_server(["v2024_1/", "v2025_1/"], api=_html_404_once)
    twin = make(server, base_url=SITE)
    assert await twin.call("delete", "service/tickets", 1) is True
    assert [r.url.path for r in server.requests] == [
        INFO,
        "/v2024_1/apis/3.0/service/tickets/1",
        INFO,
        "/v2025_1/apis/3.0/service/tickets/1",
    ]
    assert twin.client.codebase == "v2025_1/"
    assert twin.clock.sleeps == []


async def test_rediscovery_with_same_codebase_raises_the_404(make: Any) -> None:
    server = site_server(["v2024_1/", "v2024_1/"], api=_html_404_once)
    twin = make(server, base_url=SITE)
    with pytest.raises(ConnectWiseNotFoundError):
        await twin.call("delete", "service/tickets", 1)
    assert len(server.requests) == 3


async def test_connectwise_json_404_does_not_rediscover(make: Any) -> None:
    server = site_server(["v2025_1/"], api=lambda r: cw_error(404, "NotFound", "Ticket 1"))
    twin = make(server, base_url=SITE)
    with pytest.raises(ConnectWiseNotFoundError):
        await twin.call("delete", "service/tickets", 1)
    assert len(server.requests) == 2


async def test_explicit_codebase_skips_discovery(make: Any) -> None:
    server = site_server([], api=lambda r: respond(404, text="<html/>"))
    twin = make(server, base_url=SITE, codebase="v2025_1")
    # An HTML 404 is no ConnectWise answer: the lookup says the URL is wrong (issue 11).
    with pytest.raises(ConnectWiseConfigurationError, match="does not look like a ConnectWise"):
        await twin.call("get", "service/tickets/1")
    assert [r.url.path for r in server.requests] == ["/v2025_1/apis/3.0/service/tickets/1"]


async def test_concurrent_async_calls_discover_only_once() -> None:
    import asyncio

    from cw_facade import AsyncConnectWiseClient

    server = site_server(["v2025_1/"] * 5)

    async def slow_handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.01)  # let the other tasks run while discovery is in flight
        return server(request)

    async with AsyncConnectWiseClient(
        SITE, "acme", "pub", "priv", "cid", transport=httpx.MockTransport(slow_handler)
    ) as client:
        await asyncio.gather(*(client.get(f"service/tickets/{n}") for n in range(1, 6)))
    infos = [r for r in server.requests if r.url.path == INFO]
    assert len(infos) == 1
    assert len(server.requests) == 6
