"""The ConnectPyse-Manage toolkit's documented workflows, run against the simulator.

Each test calls the methods with the parameter names and attributes the toolkit's README and
guide show (quick start, defaults, error handling, properties, advanced usage, complete
workflow), so a user who only changes the import line gets the same behaviour. The demo seed
matches the toolkit's examples: company 250, board 1, priority 8, source 42, configuration
67890 ``PROD-WEB-01`` and status 456 ``Resolved``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from cw_facade._defaults import TicketDefaults
from cw_facade._errors import ConnectWiseAPIError, ConnectWiseNotFoundError
from cw_facade._webhooks import (
    InvalidCallbackError,
    InvalidSignatureError,
    fetch_signing_key,
    parse_callback,
)
from cw_facade.models import Ticket
from cw_facade.testing import ManageSimulator, sign
from cw_facade.testing.pytest_plugin import manage_simulator, manage_simulator_session

from .conftest import AsyncClient, SyncClient

__all__ = ["manage_simulator", "manage_simulator_session"]


def settings(sim: ManageSimulator) -> dict[str, Any]:
    return {
        "base_url": sim.base_url,
        "client": sim.company,
        "username": sim.public_key,
        "password": sim.private_key,
        "client_id": sim.client_id,
    }


@pytest.fixture
def cw(manage_simulator: ManageSimulator) -> Iterator[Any]:
    with SyncClient(**settings(manage_simulator)) as client:
        yield client


@pytest.fixture
def cw_with_defaults(manage_simulator: ManageSimulator) -> Iterator[Any]:
    defaults = TicketDefaults(company_id=250, board_id=1, priority_id=8, source_id=42)
    with SyncClient(**settings(manage_simulator), ticket_defaults=defaults) as client:
        yield client


class TestQuickStart:
    def test_work_with_tickets(self, cw: Any) -> None:
        new_ticket = cw.create_ticket(
            summary="Server offline",
            body="PROD-WEB-01 is unreachable",
            company_id=250,
            board_id=1,
            priority_id=8,
        )
        assert isinstance(new_ticket.id, int)
        ticket = cw.get_ticket(ticket_id=new_ticket.id)
        assert ticket is not None
        assert (ticket.summary, ticket.company_name) == ("Server offline", "Harbor Point Dental")
        assert ticket.status_name == "New"
        assert ticket.priority_name is not None
        updated = cw.update_ticket_status(ticket_id=new_ticket.id, status_id=456)
        assert updated.status_name == "Resolved"
        note = cw.add_ticket_note(
            ticket_id=new_ticket.id, note_text="Investigating the issue", internal=True
        )
        assert (note.text, note.is_internal) == ("Investigating the issue", True)

    def test_work_with_configurations(self, cw: Any) -> None:
        configs = cw.get_configurations(conditions='name contains "PROD" AND company/id=250')
        assert [config.name for config in configs] == ["PROD-WEB-01", "PROD-DB-01"]
        assert all(config.ipAddress for config in configs)
        cw.attach_configuration(ticket_id=1, config_id=configs[0].id)
        attached = cw.get_ticket_configurations(1)
        assert configs[0].id in [ref.id for ref in attached]

    def test_search_and_filter(self, cw: Any) -> None:
        tickets = cw.get_tickets(conditions="closedFlag=false AND company/id=250", pagesize=1000)
        assert tickets and all(t.company_id == 250 and t.is_closed is False for t in tickets)
        assert len(tickets) == cw.count_tickets("closedFlag=false AND company/id=250")
        urgent = cw.get_tickets(conditions='summary contains "unreachable" AND priority/id>=8')
        assert all("unreachable" in t.summary for t in urgent)


class TestDefaults:
    def test_create_without_repeating_parameters(self, cw_with_defaults: Any) -> None:
        ticket = cw_with_defaults.create_ticket(summary="Issue summary", body="Issue description")
        assert (ticket.company_id, ticket.board_id, ticket.priority_id) == (250, 1, 8)
        assert ticket.source_name == "RMM Integration"

    def test_explicit_arguments_win(self, cw_with_defaults: Any) -> None:
        ticket = cw_with_defaults.create_ticket(summary="Other", company_id=251, board_id=2)
        assert (ticket.company_id, ticket.board_id, ticket.priority_id) == (251, 2, 8)


class TestErrorHandling:
    def test_404_returns_none_for_get_operations(self, cw: Any) -> None:
        assert cw.get_ticket(ticket_id=999999) is None
        assert cw.get_configuration(config_id=999999) is None

    def test_writes_raise_the_documented_exceptions(self, cw: Any) -> None:
        with pytest.raises(ConnectWiseNotFoundError):
            cw.update_ticket_status(ticket_id=999999, status_id=456)
        with pytest.raises(ConnectWiseAPIError) as caught:
            cw.update_ticket_status(ticket_id=1, status_id=999999)
        assert caught.value.status_code == 400


class TestProperties:
    def test_ticket_and_configuration_properties(self, cw: Any) -> None:
        closed = cw.get_tickets(conditions="closedFlag=true", pagesize=5)[0]
        ticket = cw.get_ticket(ticket_id=closed.id)
        assert ticket.company_name and ticket.status_name and ticket.priority_name
        assert ticket.is_closed is True
        assert isinstance(ticket.closed_datetime, datetime)
        assert ticket.closed_datetime.tzinfo is not None
        config = cw.get_configuration(config_id=67890)
        assert (config.name, config.type_name) == ("PROD-WEB-01", "Server")
        assert config.company_name == "Harbor Point Dental"
        assert config.is_active is True

    def test_notes_visibility(self, cw: Any) -> None:
        cw.add_ticket_note(ticket_id=1, note_text="Internal investigation notes", internal=True)
        cw.add_ticket_note(ticket_id=1, note_text="We are on it", internal=False)
        notes = {note.text: note for note in cw.get_ticket_notes(ticket_id=1)}
        assert notes["Internal investigation notes"].is_internal is True
        assert notes["We are on it"].is_internal is False


class TestAdvancedUsage:
    def test_partial_fields_and_raw_methods(self, cw: Any) -> None:
        result = cw.get(
            "service/tickets", conditions="closedFlag=false", fields="id,summary,status"
        )
        assert result and set(result[0]) <= {"id", "summary", "status", "_info"}
        partial = cw.get_tickets(conditions="closedFlag=false", fields="id,summary", pagesize=5)
        assert partial[0].summary and partial[0].company_name is None

    def test_updating_tickets(self, cw: Any) -> None:
        assert cw.update_ticket_priority(ticket_id=1, priority_id=8).priority_id == 8
        changed = cw.update_ticket_field(ticket_id=1, field_path="/summary", value="new value")
        assert changed.summary == "new value"


def test_complete_workflow(cw: Any, manage_simulator: ManageSimulator) -> None:
    configs = cw.get_configurations(conditions='name="PROD-WEB-01" AND company/id=250')
    config = configs[0]
    ticket = cw.create_ticket(
        summary=f"Server {config.name} Offline",
        body=f"Server unreachable. IP: {config.ipAddress}",
        company_id=250,
        board_id=1,
        priority_id=8,
    )
    cw.attach_configuration(ticket.id, config.id)
    cw.add_ticket_note(ticket_id=ticket.id, note_text="Checking server connectivity", internal=True)
    ticket_url = cw.get_ticket_url(ticket.id)
    assert ticket_url.endswith(f"service_recid={ticket.id}&companyName={manage_simulator.company}")
    updated = cw.update_ticket_status(ticket_id=ticket.id, status="Resolved")
    assert updated.is_closed is True
    texts = [note.text for note in cw.get_ticket_notes(ticket.id)]
    assert texts == [f"Server unreachable. IP: {config.ipAddress}", "Checking server connectivity"]


@pytest.mark.anyio
async def test_complete_workflow_async(manage_simulator: ManageSimulator) -> None:
    async with AsyncClient(**settings(manage_simulator)) as cw:
        config = (await cw.get_configurations(conditions='name="PROD-WEB-01"'))[0]
        ticket = await cw.create_ticket(
            summary=f"Server {config.name} Offline", company_id=250, board="Service Desk"
        )
        await cw.attach_configuration(ticket.id, config.id)
        await cw.add_ticket_note(ticket_id=ticket.id, note_text="Checking", internal=True)
        updated = await cw.update_ticket_status(ticket.id, status="resolved")
        assert (updated.status_name, updated.is_closed) == ("Resolved", True)
        assert (await cw.get_ticket(ticket.id)).board_name == "Service Desk"
        assert await cw.ping() is True


def test_webhook_workflow(cw: Any, manage_simulator: ManageSimulator) -> None:
    """Register a callback, change a ticket, verify and parse what the server posted."""
    callback = cw.register_callback("http://127.0.0.1:9/hooks", "ticket", description="sync")
    assert callback.id in [c.id for c in cw.list_callbacks()]
    ticket = cw.create_ticket(summary="Printer jam", company_id=250, board_id=1)
    manage_simulator.wait_for_callbacks()
    body = manage_simulator.callback_deliveries[-1].body
    headers = {"x-content-signature": sign(body, manage_simulator.signing_key)}
    event = parse_callback(body, headers, signing_key=manage_simulator.signing_key)
    assert (event.action, event.type, event.id) == ("added", "ticket", ticket.id)
    assert isinstance(event.entity, Ticket) and event.entity.summary == "Printer jam"
    with pytest.raises(InvalidSignatureError):
        parse_callback(body, headers, signing_key="not-the-key")
    site, company = manage_simulator.base_url, manage_simulator.company
    key = fetch_signing_key(event.key_url, sites=site, company=company)  # loopback: own site
    assert key == manage_simulator.signing_key
    with pytest.raises(InvalidCallbackError):  # not the receiver's own site
        fetch_signing_key(event.key_url, sites="https://na.myconnectwise.net", company=company)
    assert cw.delete_callback(callback.id) is True
    assert callback.id not in [c.id for c in cw.list_callbacks()]
