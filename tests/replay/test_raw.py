"""Replayed raw methods: get, count, post, patch, put, delete, close (sync and async twins)."""

from __future__ import annotations

import pytest

from cw_facade import (
    AsyncConnectWiseClient,
    C,
    ConnectWiseClient,
    ConnectWiseClosedError,
    ConnectWiseNotFoundError,
)

NEW_TICKET = {"summary": "Replay raw", "company": {"id": 250}, "board": {"id": 1}}
NEW_ID = 301  # the demo seed holds tickets 1-300
RENAME = [{"op": "replace", "path": "summary", "value": "Patched"}]
REPLACED = {"summary": "Replaced", "company": {"id": 250}, "board": {"id": 1}}
LIST_QUERY = {
    "conditions": C.company.id == 250,
    "fields": ["id", "summary"],
    "order_by": "id desc",
    "pagesize": 3,
}
COMPANY_250_TICKETS = 43


def _check_listing(rows: list[dict[str, object]]) -> None:
    assert [sorted(row) for row in rows] == [["id", "summary"]] * 3
    ids = [row["id"] for row in rows]
    assert ids == sorted(ids, reverse=True)  # type: ignore[type-var]


def test_get_count(client: ConnectWiseClient) -> None:
    ticket = client.get("service/tickets/5")
    assert (ticket["id"], ticket["summary"]) == (5, "New starter laptop setup")
    _check_listing(client.get("service/tickets", **LIST_QUERY))
    assert client.count("service/tickets", conditions="company/id=250") == COMPANY_250_TICKETS


@pytest.mark.anyio
async def test_get_count_async(aclient: AsyncConnectWiseClient) -> None:
    ticket = await aclient.get("service/tickets/5")
    assert (ticket["id"], ticket["summary"]) == (5, "New starter laptop setup")
    _check_listing(await aclient.get("service/tickets", **LIST_QUERY))
    count = await aclient.count("service/tickets", conditions="company/id=250")
    assert count == COMPANY_250_TICKETS


def test_get_missing_is_none(client: ConnectWiseClient) -> None:
    assert client.get("service/tickets/99999") is None


@pytest.mark.anyio
async def test_get_missing_is_none_async(aclient: AsyncConnectWiseClient) -> None:
    assert await aclient.get("service/tickets/99999") is None


def test_write_methods(client: ConnectWiseClient) -> None:
    created = client.post("service/tickets", NEW_TICKET)
    assert (created["id"], created["summary"]) == (NEW_ID, "Replay raw")
    assert client.patch("service/tickets", NEW_ID, RENAME)["summary"] == "Patched"
    assert client.put("service/tickets", NEW_ID, REPLACED)["summary"] == "Replaced"
    assert client.delete("service/tickets", NEW_ID) is True
    assert client.get(f"service/tickets/{NEW_ID}") is None


@pytest.mark.anyio
async def test_write_methods_async(aclient: AsyncConnectWiseClient) -> None:
    created = await aclient.post("service/tickets", NEW_TICKET)
    assert (created["id"], created["summary"]) == (NEW_ID, "Replay raw")
    assert (await aclient.patch("service/tickets", NEW_ID, RENAME))["summary"] == "Patched"
    assert (await aclient.put("service/tickets", NEW_ID, REPLACED))["summary"] == "Replaced"
    assert await aclient.delete("service/tickets", NEW_ID) is True
    assert await aclient.get(f"service/tickets/{NEW_ID}") is None


def test_close(client: ConnectWiseClient) -> None:
    assert client.get("system/info")["version"] == "v2025.8.0.0"
    client.close()
    with pytest.raises(RuntimeError):
        client.get("system/info")


@pytest.mark.anyio
async def test_close_async(aclient: AsyncConnectWiseClient) -> None:
    assert (await aclient.get("system/info"))["version"] == "v2025.8.0.0"
    await aclient.aclose()
    with pytest.raises(RuntimeError):
        await aclient.get("system/info")


@pytest.mark.anyio
async def test_async_close_is_aclose(aclient: AsyncConnectWiseClient) -> None:
    assert (await aclient.get("system/info"))["version"] == "v2025.8.0.0"
    await aclient.close()  # the same as aclose(), for code written for the blocking client
    with pytest.raises(ConnectWiseClosedError, match="closed"):
        await aclient.get("system/info")


def test_api_generated_operations(client: ConnectWiseClient) -> None:
    from cw_manage_client.api.tickets import get_service_tickets, get_service_tickets_by_id

    assert get_service_tickets_by_id.sync(1, client=client.api).id == 1
    page = get_service_tickets.sync(client=client.api, conditions="id<=3", order_by="id asc")
    assert [ticket.id for ticket in page] == [1, 2, 3]
    with pytest.raises(ConnectWiseNotFoundError):
        get_service_tickets_by_id.sync(999999, client=client.api)


@pytest.mark.anyio
async def test_api_generated_operations_async(aclient: AsyncConnectWiseClient) -> None:
    from cw_manage_client.api.tickets import get_service_tickets, get_service_tickets_by_id

    assert (await get_service_tickets_by_id.asyncio(1, client=aclient.api)).id == 1
    page = await get_service_tickets.asyncio(
        client=aclient.api, conditions="id<=3", order_by="id asc"
    )
    assert [ticket.id for ticket in page] == [1, 2, 3]
    with pytest.raises(ConnectWiseNotFoundError):
        await get_service_tickets_by_id.asyncio(999999, client=aclient.api)
