"""Replayed bundles, get-many by ids and the N+1 child helpers (both clients)."""

from __future__ import annotations

import pytest

from cw_facade import (
    AsyncConnectWiseClient,
    BundleRequest,
    ConnectWiseClient,
    ConnectWiseNotFoundError,
)

REQUESTS = [
    BundleRequest.get("ticket", 5, fields="id,summary"),
    BundleRequest.get("ticket", 99_999),
    BundleRequest.list("ticketNote", parent_id=1),
    BundleRequest.create(
        "ticketNote", {"text": "From a bundle", "internalAnalysisFlag": True}, parent_id=2
    ),
]


def _check_bundle(results: list) -> None:  # type: ignore[type-arg]
    assert [r.request for r in results] == REQUESTS
    assert [(r.ok, r.status_code) for r in results] == [
        (True, 200),
        (False, 404),
        (True, 200),
        (True, 201),
    ]
    assert results[0].entities[0]["id"] == 5
    assert isinstance(results[1].error, ConnectWiseNotFoundError)
    assert results[3].entities[0]["ticketId"] == 2


def test_bundle(client: ConnectWiseClient) -> None:
    _check_bundle(client.bundle(REQUESTS, chunk_size=2))


@pytest.mark.anyio
async def test_bundle_async(aclient: AsyncConnectWiseClient) -> None:
    _check_bundle(await aclient.bundle(REQUESTS, chunk_size=2))


def test_get_many(client: ConnectWiseClient) -> None:
    tickets = client.get_tickets_by_ids([7, 3, 99_999, 7], fields="summary")
    assert ([t.id for t in tickets], tickets.missing) == ([7, 3], (99_999,))
    assert [c.id for c in client.get_companies_by_ids([251, 250])] == [251, 250]
    assert [c.id for c in client.get_contacts_by_ids([2, 1])] == [2, 1]
    assert client.get_members_by_ids([12, 99_999]).missing == (99_999,)
    assert client.get_agreements_by_ids([3, 1]).missing == ()
    assert client.get_time_entries_by_ids([2, 99_999]).missing == (99_999,)
    assert [c.id for c in client.get_configurations_by_ids([67890])] == [67890]
    assert [r["id"] for r in client.get_many("service/boards", [2, 1])] == [2, 1]
    sites = client.get_many("company/companies/250/sites", [99_999])
    assert sites.missing == (99_999,)


@pytest.mark.anyio
async def test_get_many_async(aclient: AsyncConnectWiseClient) -> None:
    tickets = await aclient.get_tickets_by_ids([7, 3, 99_999, 7], fields="summary")
    assert ([t.id for t in tickets], tickets.missing) == ([7, 3], (99_999,))
    assert [c.id for c in await aclient.get_companies_by_ids([251, 250])] == [251, 250]
    assert [c.id for c in await aclient.get_contacts_by_ids([2, 1])] == [2, 1]
    assert (await aclient.get_members_by_ids([12, 99_999])).missing == (99_999,)
    assert (await aclient.get_agreements_by_ids([3, 1])).missing == ()
    assert (await aclient.get_time_entries_by_ids([2, 99_999])).missing == (99_999,)
    assert [c.id for c in await aclient.get_configurations_by_ids([67890])] == [67890]
    assert [r["id"] for r in await aclient.get_many("service/boards", [2, 1])] == [2, 1]
    sites = await aclient.get_many("company/companies/250/sites", [99_999])
    assert sites.missing == (99_999,)


def test_children_of_many_parents(client: ConnectWiseClient) -> None:
    notes = client.get_ticket_notes_by_ticket_ids([1, 2, 99_999])
    assert (list(notes), len(notes[1]), notes[99_999]) == ([1, 2, 99_999], 1, [])
    contacts = client.get_contacts_by_company_ids([250, 99_999])
    assert contacts[250] and contacts[99_999] == []
    entries = client.get_time_entries_by_ticket_ids([1, 99_999])
    assert list(entries) == [1, 99_999]


@pytest.mark.anyio
async def test_children_of_many_parents_async(aclient: AsyncConnectWiseClient) -> None:
    notes = await aclient.get_ticket_notes_by_ticket_ids([1, 2, 99_999])
    assert (list(notes), len(notes[1]), notes[99_999]) == ([1, 2, 99_999], 1, [])
    contacts = await aclient.get_contacts_by_company_ids([250, 99_999])
    assert contacts[250] and contacts[99_999] == []
    entries = await aclient.get_time_entries_by_ticket_ids([1, 99_999])
    assert list(entries) == [1, 99_999]
