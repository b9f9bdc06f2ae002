"""Replayed ConnectPyse-Manage parity methods: work and business records, counts and extras."""

from __future__ import annotations

import pytest

from cw_facade import AsyncConnectWiseClient, ConnectWiseClient


def test_toolkit_reads(client: ConnectWiseClient) -> None:
    assert [m.id for m in client.get_members(orderby="id")] == [11, 12, 13]
    assert client.get_member(11).identifier == "jrivera"
    assert client.get_member_by_identifier("jrivera").id == 11
    assert client.get_member_count() == 3
    assert all(e.member_id == 11 for e in client.get_member_schedule(11))
    assert client.get_member_time_entries(11) and all(
        e.member_id == 11 for e in client.get_member_time_entries(11)
    )
    assert [e.id for e in client.get_time_entries(orderby="id", limit=3)] == [1, 2, 3]
    assert client.get_time_entry(1).charge_to_type == "ServiceTicket"
    assert client.get_time_entry_count() == 100
    assert [e.charge_to_id for e in client.get_ticket_time_entries(1)] == [1]
    assert len(client.get_schedule_entries(limit=2)) == 2
    assert client.get_schedule_entry(1).id == 1
    assert client.get_schedule_entry_count() == 5
    assert client.get_ticket_schedule(1) == []
    assert [a.id for a in client.get_agreements(orderby="id", limit=2)] == [1, 2]
    assert client.get_agreement(1).company_id == 250
    assert client.get_agreement_count() == 7
    assert [a.id for a in client.get_company_agreements(250)] == [1]
    assert len(client.get_agreement_additions(1)) == 2
    assert client.get_agreement_addition(1, 1).id == 1
    assert client.get_agreement_invoices(1) == []
    assert client.get_invoices()[0].invoice_number == "INV-2025-0001"
    assert client.get_invoice(1).id == 1
    assert client.get_invoice_count() == 3
    assert [i.id for i in client.get_company_invoices(250)] == [1]
    assert len(client.get_opportunities(orderby="id")) == 3
    assert client.get_opportunity(1).name == "Firewall refresh 1"
    assert client.get_opportunity_count() == 3
    assert len(client.get_open_opportunities(limit=2)) == 2
    assert len(client.get_company_opportunities(250)) == 1
    assert len(client.get_projects()) == 2
    assert client.get_project(1).name == "Server migration 1"
    assert client.get_project_count() == 2
    assert len(client.get_company_projects(250)) == 1
    assert len(client.get_project_phases(1)) == 2
    assert client.get_project_phase(1, 1).id == 1
    assert len(client.get_project_tickets(1)) == 2
    assert client.get_project_time_entries(1) == []
    assert client.get_ticket_count("closedFlag=false") > 0
    assert client.get_ticket_contact(1).id == 3
    assert len(client.get_ticket_tasks(1)) == 1
    assert client.get_board_count() == 2
    assert len(client.get_board_items(1)) == 4
    assert len(client.get_board_subtypes(1)) == 5
    assert client.get_company_count() >= 7
    assert "Active" in [s.name for s in client.get_company_statuses()]
    assert client.get_configuration_count() == 28
    assert client.get_configuration_type_questions(1)[0].question == "Operating system"
    assert len(client.get_company_configurations(250)) == 4
    assert client.get_contact_count() == 16
    assert client.get_count("service/tickets", "id<5") == 4
    assert client.get_api_url().endswith("/apis/3.0")


@pytest.mark.anyio
async def test_toolkit_reads_async(aclient: AsyncConnectWiseClient) -> None:
    assert [m.id for m in (await aclient.get_members(orderby="id"))] == [11, 12, 13]
    assert (await aclient.get_member(11)).identifier == "jrivera"
    assert (await aclient.get_member_by_identifier("jrivera")).id == 11
    assert (await aclient.get_member_count()) == 3
    assert all(e.member_id == 11 for e in (await aclient.get_member_schedule(11)))
    assert (await aclient.get_member_time_entries(11)) and all(
        e.member_id == 11 for e in (await aclient.get_member_time_entries(11))
    )
    assert [e.id for e in (await aclient.get_time_entries(orderby="id", limit=3))] == [1, 2, 3]
    assert (await aclient.get_time_entry(1)).charge_to_type == "ServiceTicket"
    assert (await aclient.get_time_entry_count()) == 100
    assert [e.charge_to_id for e in (await aclient.get_ticket_time_entries(1))] == [1]
    assert len(await aclient.get_schedule_entries(limit=2)) == 2
    assert (await aclient.get_schedule_entry(1)).id == 1
    assert (await aclient.get_schedule_entry_count()) == 5
    assert (await aclient.get_ticket_schedule(1)) == []
    assert [a.id for a in (await aclient.get_agreements(orderby="id", limit=2))] == [1, 2]
    assert (await aclient.get_agreement(1)).company_id == 250
    assert (await aclient.get_agreement_count()) == 7
    assert [a.id for a in (await aclient.get_company_agreements(250))] == [1]
    assert len(await aclient.get_agreement_additions(1)) == 2
    assert (await aclient.get_agreement_addition(1, 1)).id == 1
    assert (await aclient.get_agreement_invoices(1)) == []
    assert (await aclient.get_invoices())[0].invoice_number == "INV-2025-0001"
    assert (await aclient.get_invoice(1)).id == 1
    assert (await aclient.get_invoice_count()) == 3
    assert [i.id for i in (await aclient.get_company_invoices(250))] == [1]
    assert len(await aclient.get_opportunities(orderby="id")) == 3
    assert (await aclient.get_opportunity(1)).name == "Firewall refresh 1"
    assert (await aclient.get_opportunity_count()) == 3
    assert len(await aclient.get_open_opportunities(limit=2)) == 2
    assert len(await aclient.get_company_opportunities(250)) == 1
    assert len(await aclient.get_projects()) == 2
    assert (await aclient.get_project(1)).name == "Server migration 1"
    assert (await aclient.get_project_count()) == 2
    assert len(await aclient.get_company_projects(250)) == 1
    assert len(await aclient.get_project_phases(1)) == 2
    assert (await aclient.get_project_phase(1, 1)).id == 1
    assert len(await aclient.get_project_tickets(1)) == 2
    assert (await aclient.get_project_time_entries(1)) == []
    assert (await aclient.get_ticket_count("closedFlag=false")) > 0
    assert (await aclient.get_ticket_contact(1)).id == 3
    assert len(await aclient.get_ticket_tasks(1)) == 1
    assert (await aclient.get_board_count()) == 2
    assert len(await aclient.get_board_items(1)) == 4
    assert len(await aclient.get_board_subtypes(1)) == 5
    assert (await aclient.get_company_count()) >= 7
    assert "Active" in [s.name for s in (await aclient.get_company_statuses())]
    assert (await aclient.get_configuration_count()) == 28
    assert (await aclient.get_configuration_type_questions(1))[0].question == "Operating system"
    assert len(await aclient.get_company_configurations(250)) == 4
    assert (await aclient.get_contact_count()) == 16
    assert (await aclient.get_count("service/tickets", "id<5")) == 4
    assert (await aclient.get_api_url()).endswith("/apis/3.0")


def test_toolkit_writes(client: ConnectWiseClient) -> None:
    assert client.create_contact("Ann", "Lee", 250, email="ann@x.test").first_name == "Ann"
    assert client.create_time_entry(1, "ServiceTicket", 11, 1.5, "Fixed").actual_hours == 1.5
    assert (
        client.create_schedule_entry(
            1, "S", 11, "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z"
        ).object_id
        == 1
    )
    assert client.create_project("Move", 250, 1).name == "Move"
    assert client.create_project_phase(1, "Phase A").description == "Phase A"
    assert client.create_agreement_addition(1, 1, 2).quantity == 2.0
    assert (
        client.create_configuration(
            {"name": "NEW-1", "type": {"id": 1}, "company": {"id": 250}}
        ).name
        == "NEW-1"
    )
    assert client.update_configuration(67890, {"name": "RENAMED"}).name == "RENAMED"
    assert client.delete_configuration(67890) is True
    assert client.update_ticket_company(1, 251).company_id == 251
    assert client.merge_ticket(2, 1, 456)["child_ticket"].status_name == "Resolved"
    assert client.compute_auth("pub", "priv").startswith("Basic ")
    assert client.with_credentials("pub", "priv") is not client
    assert client.impersonate("jrivera") is not client


@pytest.mark.anyio
async def test_toolkit_writes_async(aclient: AsyncConnectWiseClient) -> None:
    assert (await aclient.create_contact("Ann", "Lee", 250, email="ann@x.test")).first_name == "Ann"
    assert (
        await aclient.create_time_entry(1, "ServiceTicket", 11, 1.5, "Fixed")
    ).actual_hours == 1.5
    assert (
        await aclient.create_schedule_entry(
            1, "S", 11, "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z"
        )
    ).object_id == 1
    assert (await aclient.create_project("Move", 250, 1)).name == "Move"
    assert (await aclient.create_project_phase(1, "Phase A")).description == "Phase A"
    assert (await aclient.create_agreement_addition(1, 1, 2)).quantity == 2.0
    assert (
        await aclient.create_configuration(
            {"name": "NEW-1", "type": {"id": 1}, "company": {"id": 250}}
        )
    ).name == "NEW-1"
    assert (await aclient.update_configuration(67890, {"name": "RENAMED"})).name == "RENAMED"
    assert (await aclient.delete_configuration(67890)) is True
    assert (await aclient.update_ticket_company(1, 251)).company_id == 251
    assert (await aclient.merge_ticket(2, 1, 456))["child_ticket"].status_name == "Resolved"
    assert aclient.compute_auth("pub", "priv").startswith("Basic ")
    assert aclient.with_credentials("pub", "priv") is not aclient
    assert (await aclient.impersonate("jrivera")) is not aclient
