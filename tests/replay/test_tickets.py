"""Replayed ticket methods: create, read, list, count, update, custom fields, delete."""

from __future__ import annotations

import pytest

from cw_facade import AsyncConnectWiseClient, C, ConnectWiseClient, Ticket

NEW_ID = 301  # the demo seed holds tickets 1-300
CREATE = {"company_id": 250, "board_id": 1, "priority_id": 8, "source_id": 42}
EMERGENCY = "Priority 1 - Emergency Response"
NORMAL = "Priority 3 - Normal Response"
LISTING = {"pagesize": 2, "fields": "id,summary,company/id", "order_by": "id"}
COMPANY_250 = C.company.id == 250
COMPANY_250_TICKETS = 43


def _check_created(ticket: Ticket) -> None:
    assert (ticket.id, ticket.summary) == (NEW_ID, "Printer jammed")
    assert (ticket.company_id, ticket.board_id, ticket.priority_id) == (250, 1, 8)


def _check_listing(tickets: list[Ticket]) -> None:
    assert len(tickets) == 3
    assert all(t.company_id == 250 for t in tickets)
    assert [t.id for t in tickets] == sorted(t.id for t in tickets)


def test_ticket_lifecycle(client: ConnectWiseClient) -> None:
    _check_created(client.create_ticket("Printer jammed", "Tray 2 is stuck", **CREATE))
    assert client.get_ticket(NEW_ID).summary == "Printer jammed"
    assert client.update_ticket_status(NEW_ID, status="Resolved").status_id == 456
    assert client.update_ticket_status(NEW_ID, 450).status_name == "New"
    assert client.update_ticket_priority(NEW_ID, priority=NORMAL).priority_id == 4
    assert client.update_ticket_priority(NEW_ID, 8).priority_name == EMERGENCY
    assert client.update_ticket_field(NEW_ID, "summary", "Fixed").summary == "Fixed"
    ticket = client.set_custom_field(5, "Region", "EU")  # seeded tickets have it
    assert ticket.custom_field("Region") == "EU"
    assert client.delete_ticket(NEW_ID) is True
    assert client.get_ticket(NEW_ID) is None


@pytest.mark.anyio
async def test_ticket_lifecycle_async(aclient: AsyncConnectWiseClient) -> None:
    _check_created(await aclient.create_ticket("Printer jammed", "Tray 2 is stuck", **CREATE))
    assert (await aclient.get_ticket(NEW_ID)).summary == "Printer jammed"
    assert (await aclient.update_ticket_status(NEW_ID, status="Resolved")).status_id == 456
    assert (await aclient.update_ticket_status(NEW_ID, 450)).status_name == "New"
    assert (await aclient.update_ticket_priority(NEW_ID, priority=NORMAL)).priority_id == 4
    assert (await aclient.update_ticket_priority(NEW_ID, 8)).priority_name == EMERGENCY
    assert (await aclient.update_ticket_field(NEW_ID, "summary", "Fixed")).summary == "Fixed"
    ticket = await aclient.set_custom_field(5, "Region", "EU")  # seeded tickets have it
    assert ticket.custom_field("Region") == "EU"
    assert await aclient.delete_ticket(NEW_ID) is True
    assert await aclient.get_ticket(NEW_ID) is None


def test_ticket_queries(client: ConnectWiseClient) -> None:
    _check_listing(client.get_tickets(COMPANY_250, limit=3, **LISTING))
    _check_listing(list(client.iter_tickets(COMPANY_250, limit=3, **LISTING)))
    assert client.count_tickets(COMPANY_250) == COMPANY_250_TICKETS
    assert client.get_ticket(99999) is None


@pytest.mark.anyio
async def test_ticket_queries_async(aclient: AsyncConnectWiseClient) -> None:
    _check_listing(await aclient.get_tickets(COMPANY_250, limit=3, **LISTING))
    _check_listing([t async for t in aclient.iter_tickets(COMPANY_250, limit=3, **LISTING)])
    assert await aclient.count_tickets(COMPANY_250) == COMPANY_250_TICKETS
    assert await aclient.get_ticket(99999) is None
