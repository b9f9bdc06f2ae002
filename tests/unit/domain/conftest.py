"""Fixtures of the domain tests: twin clients on a fake server.

The ``make`` fixture builds the sync or the async client (parametrised by ``kind``) on an
``httpx.MockTransport`` routed by ``Router``, which records every request it answers.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator, Callable
from typing import Any, NamedTuple

import httpx
import pytest

from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._sync._client import ConnectWiseClient

API_ROOT = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0"
ROOT_PREFIX = "/v4_6_release/apis/3.0/"
PASSWORD = "priv-SECRET-k3y"

#: The public clients (the domain methods are part of them).
SyncClient = ConnectWiseClient
AsyncClient = AsyncConnectWiseClient


def respond(status: int = 200, body: Any = None) -> httpx.Response:
    """A JSON response (no body when ``body`` is None)."""
    if body is None:
        return httpx.Response(status)
    return httpx.Response(status, json=body)


def not_found() -> httpx.Response:
    """ConnectWise's 404 body."""
    return respond(404, {"code": "NotFound", "message": "record not found"})


Route = httpx.Response | Callable[[httpx.Request], httpx.Response]


class Router:
    """A MockTransport handler answering ``(METHOD, path)`` routes; anything else is a 404."""

    def __init__(self, routes: dict[tuple[str, str], Route] | None = None) -> None:
        self.routes: dict[tuple[str, str], Route] = dict(routes or {})
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix(ROOT_PREFIX)
        route = self.routes.get((request.method, path))
        if route is None:
            return not_found()
        return route(request) if callable(route) else route

    def sent(self, method: str | None = None) -> list[tuple[str, str]]:
        """``(method, path)`` of every request except ``/count`` probes of async paging."""
        pairs = [(r.method, r.url.path.removeprefix(ROOT_PREFIX)) for r in self.requests]
        return [p for p in pairs if not p[1].endswith("/count") and method in (None, p[0])]

    def calls(self) -> list[Sent]:
        """Every request in order, ``/count`` probes included, as :class:`Sent`."""
        return [sent_of(r) for r in self.requests]

    def last(self, method: str) -> httpx.Request:
        """The last request sent with ``method``."""
        return [r for r in self.requests if r.method == method][-1]


class Sent(NamedTuple):
    """What one request carried: method, path under the API root, query and JSON body."""

    method: str
    path: str
    params: dict[str, str]
    json: Any


def sent(method: str, path: str, params: dict[str, Any] | None = None, json: Any = None) -> Sent:
    """The :class:`Sent` a test expects (query values spelled as on the wire)."""
    query = {key: _wire(value) for key, value in (params or {}).items()}
    return Sent(method, path, query, json)


def _wire(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def sent_of(request: httpx.Request) -> Sent:
    """The :class:`Sent` of a recorded request."""
    body = json.loads(request.content) if request.content else None
    path = request.url.path.removeprefix(ROOT_PREFIX)
    return Sent(request.method, path, dict(request.url.params), body)


def body_of(request: httpx.Request) -> Any:
    """The JSON body a request carried."""
    return json.loads(request.content)


class Twin:
    """The sync or async client with awaitable helpers, so one test serves both."""

    def __init__(self, kind: str, router: Router, **options: Any) -> None:
        self.kind = kind
        self.router = router
        cls = SyncClient if kind == "sync" else AsyncClient
        self.client: Any = cls(
            API_ROOT,
            "acme",
            "pubkey",
            PASSWORD,
            "client-guid",
            transport=httpx.MockTransport(router),
            **{"max_retries": 0, **options},
        )

    async def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call method ``name``, awaiting it on the async client."""
        result = getattr(self.client, name)(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def collect(self, name: str, *args: Any, **kwargs: Any) -> list[Any]:
        """Exhaust the iterator returned by method ``name``."""
        items = getattr(self.client, name)(*args, **kwargs)
        if hasattr(items, "__aiter__"):
            return [item async for item in items]
        return list(items)

    async def close(self) -> None:
        """Close the client."""
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
    """``make(routes, **options)`` builds a twin client of the parametrised kind."""
    made: list[Twin] = []

    def build(routes: Router | dict[tuple[str, str], Route] | None = None, **options: Any) -> Twin:
        router = routes if isinstance(routes, Router) else Router(routes)
        twin = Twin(kind, router, **options)
        made.append(twin)
        return twin

    yield build
    for twin in made:
        await twin.close()
