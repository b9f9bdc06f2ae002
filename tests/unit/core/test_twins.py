"""The sync and async clients offer the same methods with the same signatures."""

from __future__ import annotations

import inspect

from cw_facade._async._base import AsyncClientBase as AsyncClientCore
from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._sync._base import ClientBase as SyncClientCore
from cw_facade._sync._client import ConnectWiseClient

RAW = ["get", "post", "patch", "put", "delete", "count", "get_all", "iter_all"]


def _public(cls: type) -> set[str]:
    return {n for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n))}


def test_same_public_methods() -> None:
    # The async client closes with ``aclose()`` and, like the blocking one, ``close()``.
    assert _public(ConnectWiseClient) == _public(AsyncConnectWiseClient) - {"aclose"}
    assert set(RAW) <= _public(ConnectWiseClient)


def test_same_signatures_and_async_where_expected() -> None:
    for name in RAW:
        sync, other = getattr(SyncClientCore, name), getattr(AsyncClientCore, name)
        assert (
            inspect.signature(sync).parameters.keys() == inspect.signature(other).parameters.keys()
        )
        assert inspect.iscoroutinefunction(other) == (name != "iter_all"), name
    sync_init = inspect.signature(SyncClientCore.__init__).parameters
    async_init = inspect.signature(AsyncClientCore.__init__).parameters
    assert set(async_init) - set(sync_init) == {"concurrency"}
    assert list(sync_init)[:7] == [
        "self",
        "base_url",
        "client",
        "username",
        "password",
        "client_id",
        "ticket_defaults",
    ]


def test_every_public_name_has_a_docstring() -> None:
    for cls in (ConnectWiseClient, AsyncConnectWiseClient):
        assert cls.__doc__
        for name in _public(cls):
            assert getattr(cls, name).__doc__, f"{cls.__name__}.{name}"
