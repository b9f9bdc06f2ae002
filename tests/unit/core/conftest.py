"""Shared fixtures for the transport-layer tests: scripted MockTransport servers and twins.

Every behavioural test runs twice, against ``ConnectWiseClient`` and ``AsyncConnectWiseClient``
(the ``twin`` fixture); time is pinned (``_sleep`` records, ``_now`` is a fake clock).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._sync._client import ConnectWiseClient

CLIENT = "acme"
USERNAME = "pubKEYzz9q"
PASSWORD = "s3cr3t-PRIV-key-77"
CLIENT_ID = "c1d2e3f4-0000-4000-8000-000000000001"
API_ROOT = "https://cw.example.com/v4_6_release/apis/3.0"
ROOT_PREFIX = "/v4_6_release/apis/3.0/"

Outcome = httpx.Response | Exception
Handler = Callable[[httpx.Request], Outcome]


def respond(
    status: int = 200,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    text: str | None = None,
) -> httpx.Response:
    """A response with a JSON ``body`` (or raw ``text``)."""
    if text is not None:
        return httpx.Response(status, text=text, headers=headers)
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def cw_error(status: int, code: str, message: str, **kw: Any) -> httpx.Response:
    """A ConnectWise JSON error response."""
    body: dict[str, Any] = {"code": code, "message": message}
    if "errors" in kw:
        body["errors"] = kw.pop("errors")
    return respond(status, body, **kw)


class Server:
    """A MockTransport handler that records requests and answers via ``handler``."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        outcome = self.handler(request)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    @property
    def paths(self) -> list[str]:
        """Request paths relative to the API root (or full path when outside it)."""
        return [r.url.path.removeprefix(ROOT_PREFIX) for r in self.requests]


def scripted(*outcomes: Outcome) -> Server:
    """A server answering ``outcomes`` in order (then failing loudly)."""
    queue = list(outcomes)

    def handler(request: httpx.Request) -> Outcome:
        assert queue, f"unexpected extra request {request.method} {request.url}"
        return queue.pop(0)

    return Server(handler)


def body_of(request: httpx.Request) -> Any:
    """The JSON body a request carried."""
    return json.loads(request.content)


class Clock:
    """A fake monotonic clock advanced by the fake sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


class Twin:
    """One client, sync or async, driven through the same awaitable helpers."""

    def __init__(self, kind: str, server: Server, **options: Any) -> None:
        self.kind = kind
        self.server = server
        self.clock = Clock()
        settings: dict[str, Any] = {"base_url": API_ROOT, **options}
        cls = ConnectWiseClient if kind == "sync" else AsyncConnectWiseClient
        self.client: Any = cls(
            settings.pop("base_url"),
            CLIENT,
            USERNAME,
            PASSWORD,
            CLIENT_ID,
            transport=httpx.MockTransport(server),
            **settings,
        )
        self.client._http._now = lambda: self.clock.now
        self.client._http._sleep = self.clock.sleep if kind == "sync" else self.clock.asleep

    async def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call method ``name`` and await it when the client is async."""
        result = getattr(self.client, name)(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def collect(self, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        """Exhaust ``iter_all``."""
        records = self.client.iter_all(*args, **kwargs)
        if hasattr(records, "__aiter__"):
            return [r async for r in records]
        return list(records)

    async def close(self) -> None:
        if self.kind == "sync":
            self.client.close()
        else:
            await self.client.aclose()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def make(kind: str) -> AsyncIterator[Callable[..., Twin]]:
    """``make(server, **options)`` builds a twin of the parametrised kind; closed afterwards."""
    made: list[Twin] = []

    def build(server: Server | Handler, **options: Any) -> Twin:
        srv = server if isinstance(server, Server) else Server(server)
        twin = Twin(kind, srv, **options)
        made.append(twin)
        return twin

    yield build
    for twin in made:
        await twin.close()


def pages_handler(
    records: list[dict[str, Any]], *, links: bool = True, forward: bool = True
) -> Handler:
    """A paging server over ``records``: page numbers with optional Link headers, /count,
    forward-only paging (``pageId``, when ``forward``), ``conditions`` and ``orderBy=id``."""

    def handler(request: httpx.Request) -> httpx.Response:
        from cw_facade.conditions import matches, parse

        path = request.url.path.removeprefix(ROOT_PREFIX)
        text = request.url.params.get("conditions")
        chosen = records if not text else [r for r in records if matches(parse(text), r)]
        if path.endswith("/count"):
            return respond(200, {"count": len(chosen)})
        if request.url.params.get("orderBy") == "id desc":
            chosen = sorted(chosen, key=lambda r: -int(r["id"]))
        size = int(request.url.params.get("pageSize", "25"))
        if forward and request.headers.get("pagination-type") == "forward-only":
            after = int(request.url.params.get("pageId", "0"))
            rest = [r for r in chosen if r["id"] > after]
            chunk, headers = rest[:size], {}
            if len(rest) > size:
                url = request.url.copy_set_param("pageId", chunk[-1]["id"])
                headers["Link"] = f'<{url}>; rel="next"'
            return respond(200, chunk, headers=headers)
        page = int(request.url.params.get("page", "1"))
        chunk = chosen[(page - 1) * size : page * size]
        headers = {}
        if links:
            parts = [f'<{request.url.copy_set_param("page", 1)}>; rel="first"']
            if page * size < len(chosen):
                parts.append(f'<{request.url.copy_set_param("page", page + 1)}>; rel="next"')
            headers["Link"] = ", ".join(parts)
        return respond(200, chunk, headers=headers)

    return handler


def iter_ids(records: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> list[int]:
    """The ``id`` of each record."""
    return [int(r["id"]) for r in records]
