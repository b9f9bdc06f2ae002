"""Replayed boards, statuses, types, priorities, sources, health checks and the lookup cache."""

from __future__ import annotations

import pytest

from cw_facade import AsyncConnectWiseClient, C, ConnectWiseClient

STATUSES = ["New", "Open", "In Progress", "Waiting on Customer", "Scheduled", "Closed", "Resolved"]
TYPES = ["Incident", "Service Request", "Problem", "Change"]
PRIORITY_IDS = [4, 5, 6, 7, 8]
SOURCES = ["Email", "Phone", "Portal", "RMM Integration"]
BY_NAME = {"company_id": 250, "board_id": 1, "source_id": 42, "priority": "Do Not Respond"}


def test_boards_and_lookups(client: ConnectWiseClient) -> None:
    assert [b.name for b in client.get_boards()] == ["Service Desk", "Projects"]
    assert [b.id for b in client.get_boards(conditions=C.name == "Projects")] == [2]
    assert [s.name for s in client.get_board_statuses(1)] == STATUSES
    assert [t.name for t in client.get_board_types(1)] == TYPES
    assert [p.id for p in client.get_priorities()] == PRIORITY_IDS
    assert [s.name for s in client.get_sources()] == SOURCES


@pytest.mark.anyio
async def test_boards_and_lookups_async(aclient: AsyncConnectWiseClient) -> None:
    assert [b.name for b in await aclient.get_boards()] == ["Service Desk", "Projects"]
    assert [b.id for b in await aclient.get_boards(conditions=C.name == "Projects")] == [2]
    assert [s.name for s in await aclient.get_board_statuses(1)] == STATUSES
    assert [t.name for t in await aclient.get_board_types(1)] == TYPES
    assert [p.id for p in await aclient.get_priorities()] == PRIORITY_IDS
    assert [s.name for s in await aclient.get_sources()] == SOURCES


def test_health(client: ConnectWiseClient) -> None:
    assert client.ping() is True
    info = client.system_info()
    assert (info.version, info.is_cloud) == ("v2025.8.0.0", False)


@pytest.mark.anyio
async def test_health_async(aclient: AsyncConnectWiseClient) -> None:
    assert await aclient.ping() is True
    info = await aclient.system_info()
    assert (info.version, info.is_cloud) == ("v2025.8.0.0", False)


def test_lookup_cache(client: ConnectWiseClient) -> None:
    """Priority names are looked up once, and again after ``clear_lookup_cache``."""
    for summary in ("first", "second"):
        assert client.create_ticket(summary, **BY_NAME).priority_id == 7
    client.clear_lookup_cache()
    assert client.create_ticket("third", **BY_NAME).priority_id == 7


@pytest.mark.anyio
async def test_lookup_cache_async(aclient: AsyncConnectWiseClient) -> None:
    """Priority names are looked up once, and again after ``clear_lookup_cache``."""
    for summary in ("first", "second"):
        assert (await aclient.create_ticket(summary, **BY_NAME)).priority_id == 7
    aclient.clear_lookup_cache()
    assert (await aclient.create_ticket("third", **BY_NAME)).priority_id == 7
