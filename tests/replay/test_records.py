"""Replayed notes, configurations, companies, contacts and sites (404 → ``None`` included)."""

from __future__ import annotations

import pytest

from cw_facade import AsyncConnectWiseClient, C, ConnectWiseClient

CONFIG = 67890
ACTIVE = C.company.id == 250
CONTACTS_250 = [3, 4]
COMPANIES = 8


def test_notes(client: ConnectWiseClient) -> None:
    note = client.add_ticket_note(5, "Checked the cabling", internal=False)
    assert (note.text, note.is_internal, note.ticket_id) == ("Checked the cabling", False, 5)
    assert [n.text for n in client.get_ticket_notes(5)][-1] == "Checked the cabling"
    company_note = client.add_company_note(250, "Renewal due", flagged=True)
    assert company_note.text == "Renewal due"
    assert [n.text for n in client.get_company_notes(250)][-1] == "Renewal due"


@pytest.mark.anyio
async def test_notes_async(aclient: AsyncConnectWiseClient) -> None:
    note = await aclient.add_ticket_note(5, "Checked the cabling", internal=False)
    assert (note.text, note.is_internal, note.ticket_id) == ("Checked the cabling", False, 5)
    assert [n.text for n in await aclient.get_ticket_notes(5)][-1] == "Checked the cabling"
    company_note = await aclient.add_company_note(250, "Renewal due", flagged=True)
    assert company_note.text == "Renewal due"
    assert [n.text for n in await aclient.get_company_notes(250)][-1] == "Renewal due"


def test_configurations(client: ConnectWiseClient) -> None:
    assert client.get_configuration(CONFIG).id == CONFIG
    assert client.get_configuration(99999) is None
    listed = client.get_configurations(ACTIVE, pagesize=2, fields="id,name,company/id")
    assert listed and all(c.company_id == 250 for c in listed)
    assert client.attach_configuration(5, CONFIG).id == CONFIG
    assert [c.id for c in client.get_ticket_configurations(5)] == [CONFIG]
    assert client.detach_configuration(5, CONFIG) is True
    assert client.get_ticket_configurations(5) == []


@pytest.mark.anyio
async def test_configurations_async(aclient: AsyncConnectWiseClient) -> None:
    assert (await aclient.get_configuration(CONFIG)).id == CONFIG
    assert await aclient.get_configuration(99999) is None
    listed = await aclient.get_configurations(ACTIVE, pagesize=2, fields="id,name,company/id")
    assert listed and all(c.company_id == 250 for c in listed)
    assert (await aclient.attach_configuration(5, CONFIG)).id == CONFIG
    assert [c.id for c in await aclient.get_ticket_configurations(5)] == [CONFIG]
    assert await aclient.detach_configuration(5, CONFIG) is True
    assert await aclient.get_ticket_configurations(5) == []


def test_companies(client: ConnectWiseClient) -> None:
    assert client.get_company(250).identifier == "HarborPoint"
    assert client.get_company(99999) is None
    names = [c.name for c in client.get_companies(pagesize=3, order_by="id", limit=4)]
    assert len(names) == 4 and names[0] is not None
    iterated = [c.name for c in client.iter_companies(pagesize=3, order_by="id", limit=4)]
    assert iterated == names
    assert client.count_companies() == COMPANIES
    assert [s.id for s in client.get_company_sites(250)] == [2]


@pytest.mark.anyio
async def test_companies_async(aclient: AsyncConnectWiseClient) -> None:
    assert (await aclient.get_company(250)).identifier == "HarborPoint"
    assert await aclient.get_company(99999) is None
    companies = await aclient.get_companies(pagesize=3, order_by="id", limit=4)
    names = [c.name for c in companies]
    assert len(names) == 4 and names[0] is not None
    iterated = [c.name async for c in aclient.iter_companies(pagesize=3, order_by="id", limit=4)]
    assert iterated == names
    assert await aclient.count_companies() == COMPANIES
    assert [s.id for s in await aclient.get_company_sites(250)] == [2]


def test_contacts(client: ConnectWiseClient) -> None:
    contact = client.get_contact(3)
    assert (contact.id, contact.company_id) == (3, 250)
    assert client.get_contact(99999) is None
    assert [c.id for c in client.get_company_contacts(250)] == CONTACTS_250
    listed = client.get_contacts(ACTIVE, pagesize=1, order_by="id", fields="id")
    assert [c.id for c in listed] == CONTACTS_250


@pytest.mark.anyio
async def test_contacts_async(aclient: AsyncConnectWiseClient) -> None:
    contact = await aclient.get_contact(3)
    assert (contact.id, contact.company_id) == (3, 250)
    assert await aclient.get_contact(99999) is None
    assert [c.id for c in await aclient.get_company_contacts(250)] == CONTACTS_250
    listed = await aclient.get_contacts(ACTIVE, pagesize=1, order_by="id", fields="id")
    assert [c.id for c in listed] == CONTACTS_250
