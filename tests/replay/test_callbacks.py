"""Replayed callback registration, listing and removal."""

from __future__ import annotations

import pytest

from cw_facade import AsyncConnectWiseClient, ConnectWiseClient

HOOK = "http://127.0.0.1:9/replay-hook"  # never called: no ticket changes in these tests


def test_callbacks(client: ConnectWiseClient) -> None:
    registered = client.register_callback(HOOK, "ticket", description="replay")
    assert (registered.url, registered.type, registered.level) == (HOOK, "ticket", "owner")
    assert registered.id in [c.id for c in client.list_callbacks()]
    assert client.delete_callback(registered.id) is True
    assert registered.id not in [c.id for c in client.list_callbacks()]


@pytest.mark.anyio
async def test_callbacks_async(aclient: AsyncConnectWiseClient) -> None:
    registered = await aclient.register_callback(HOOK, "ticket", description="replay")
    assert (registered.url, registered.type, registered.level) == (HOOK, "ticket", "owner")
    assert registered.id in [c.id for c in await aclient.list_callbacks()]
    assert await aclient.delete_callback(registered.id) is True
    assert registered.id not in [c.id for c in await aclient.list_callbacks()]
