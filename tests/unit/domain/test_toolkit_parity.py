"""Every public method of ConnectPyse-Manage 0.0.7 on both facade clients.

``toolkit_methods.json`` lists the toolkit client's public methods and their parameter names
in order, read once with ``inspect`` from the toolkit installed in a throwaway virtualenv (the
toolkit is not needed here). The signature test holds both clients to it; the simulator test
calls every one of those methods, with the toolkit's parameter names, on both clients.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from cw_facade import models
from cw_facade._errors import ConnectWiseAuthError
from cw_facade._validation import InvalidArgumentError
from cw_facade.testing import ManageSimulator
from cw_facade.testing.pytest_plugin import manage_simulator, manage_simulator_session

from .conftest import AsyncClient, SyncClient

__all__ = ["manage_simulator", "manage_simulator_session"]

TOOLKIT = json.loads((Path(__file__).parent / "toolkit_methods.json").read_text())
METHODS: dict[str, list[str]] = TOOLKIT["methods"]
POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
CLIENTS = [pytest.param(SyncClient, id="sync"), pytest.param(AsyncClient, id="async")]


def test_the_list_is_the_toolkits_93_methods() -> None:
    assert TOOLKIT["toolkit"] == "ConnectPyse-Manage 0.0.7"
    assert len(METHODS) == 93
    assert all(isinstance(names, list) for names in METHODS.values())


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("name", sorted(METHODS))
def test_same_name_and_parameters_in_the_same_order(cls: type, name: str) -> None:
    method = getattr(cls, name, None)
    assert callable(method), f"{cls.__name__} has no {name}"
    parameters = list(inspect.signature(method).parameters.values())[1:]
    positional = [p.name for p in parameters if p.kind in POSITIONAL]
    assert positional == METHODS[name]
    assert inspect.getdoc(method), f"{cls.__name__}.{name} has no docstring"
    for parameter in parameters:  # our extras are keyword-only or **kwargs
        assert parameter.kind in (*POSITIONAL, parameter.KEYWORD_ONLY, parameter.VAR_KEYWORD)


@pytest.fixture(params=CLIENTS)
async def cw(request: Any, manage_simulator: ManageSimulator) -> AsyncIterator[Any]:
    sim = manage_simulator
    client = request.param(
        sim.base_url, sim.company, sim.public_key, sim.private_key, sim.client_id
    )
    yield client
    closing = client.close()
    if inspect.isawaitable(closing):
        await closing


async def call(client: Any, name: str, /, *args: Any, **kwargs: Any) -> Any:
    result = getattr(client, name)(*args, **kwargs)
    return await result if inspect.isawaitable(result) else result


def kind_of(cls: type) -> Callable[[Any], bool]:
    return lambda result: isinstance(result, list) and all(isinstance(r, cls) for r in result)


def nonempty(cls: type) -> Callable[[Any], bool]:
    return lambda result: kind_of(cls)(result) and len(result) > 0


def one(cls: type, **expected: Any) -> Callable[[Any], bool]:
    def check(result: Any) -> bool:
        return isinstance(result, cls) and all(getattr(result, k) == v for k, v in expected.items())

    return check


def count(result: Any) -> bool:
    return isinstance(result, int) and not isinstance(result, bool) and result > 0


M = models
CONFIG = {"name": "NEW-CONFIG", "type": {"id": 1}, "company": {"id": 250}}
#: Every toolkit method: keyword arguments by the toolkit's names, and what the answer must be.
CALLS: dict[str, tuple[dict[str, Any], Callable[[Any], bool]]] = {
    "add_ticket_note": ({"ticket_id": 1, "note_text": "Hi", "internal": True}, one(M.Note)),
    "attach_configuration": ({"ticket_id": 2, "config_id": 67890}, one(M.Configuration)),
    "compute_auth": ({"identifier": "a", "secret": "b"}, lambda r: r.startswith("Basic ")),
    "create_agreement_addition": (
        {"agreement_id": 1, "product_id": 1, "quantity": 2, "unit_price": 9.5},
        one(M.AgreementAddition, quantity=2.0, unit_price=9.5),
    ),
    "create_configuration": ({"config": CONFIG}, one(M.Configuration, name="NEW-CONFIG")),
    "create_contact": (
        {"first_name": "Ann", "last_name": "Lee", "company_id": 250, "email": "ann@x.test"},
        one(M.Contact, first_name="Ann"),
    ),
    "create_project": (
        {"name": "Move", "company_id": 250, "status_id": 1},
        one(M.Project, name="Move", company_id=250),
    ),
    "create_project_phase": (
        {"project_id": 1, "description": "Phase A", "estimated_hours": 3},
        one(M.ProjectPhase, description="Phase A"),
    ),
    "create_schedule_entry": (
        {
            "object_id": 1,
            "type_identifier": "S",
            "member_id": 11,
            "date_start": "2026-01-05T09:00:00Z",
            "date_end": "2026-01-05T10:00:00Z",
            "hours": 1,
            "name": "Visit",
        },
        one(M.ScheduleEntry, name="Visit", member_id=11),
    ),
    "create_ticket": (
        {
            "summary": "Down",
            "body": "It is down",
            "company_id": 250,
            "board_id": 1,
            "priority_id": 8,
            "status_id": 456,
            "config_ids": [67890],
        },
        one(M.Ticket, summary="Down", status_name="Resolved"),
    ),
    "create_time_entry": (
        {
            "charge_to_id": 1,
            "charge_to_type": "ServiceTicket",
            "member_id": 11,
            "actual_hours": 1.5,
            "notes": "Fixed",
        },
        one(M.TimeEntry, actual_hours=1.5, charge_to_id=1),
    ),
    "delete": ({"endpoint": "service/tickets", "record_id": 3}, lambda r: r is True),
    "delete_configuration": ({"config_id": 67890}, lambda r: r is True),
    "detach_configuration": ({"ticket_id": 1, "config_id": 67890}, lambda r: r is True),
    "get": (
        {
            "endpoint": "service/tickets",
            "conditions": "id<5",
            "fields": "id,summary",
            "pagesize": 2,
            "page": 1,
            "orderby": "id desc",
        },
        lambda r: [t["id"] for t in r] == [4, 3],
    ),
    "get_agreement": ({"agreement_id": 1}, one(M.Agreement, id=1)),
    "get_agreement_addition": ({"agreement_id": 1, "addition_id": 1}, one(M.AgreementAddition)),
    "get_agreement_additions": ({"agreement_id": 1}, nonempty(M.AgreementAddition)),
    "get_agreement_count": ({}, count),
    "get_agreement_invoices": ({"agreement_id": 1}, kind_of(M.Invoice)),
    "get_agreements": ({"orderby": "id desc", "limit": 2}, nonempty(M.Agreement)),
    "get_all": ({"endpoint": "service/boards", "orderby": "id"}, lambda r: len(r) >= 2),
    "get_api_url": ({}, lambda r: r.endswith("/apis/3.0")),
    "get_board_count": ({}, count),
    "get_board_items": ({"board_id": 1}, nonempty(M.BoardItem)),
    "get_board_statuses": ({"board_id": 1}, nonempty(M.BoardStatus)),
    "get_board_subtypes": ({"board_id": 1}, nonempty(M.BoardSubtype)),
    "get_board_types": ({"board_id": 1}, nonempty(M.BoardType)),
    "get_boards": ({"active_only": True}, nonempty(M.Board)),
    "get_companies": (
        {"conditions": "id=250", "orderby": "name", "limit": 5},
        lambda r: [c.id for c in r] == [250],
    ),
    "get_company": ({"company_id": 250}, one(M.Company, id=250)),
    "get_company_agreements": ({"company_id": 250}, nonempty(M.Agreement)),
    "get_company_configurations": ({"company_id": 250}, nonempty(M.Configuration)),
    "get_company_contacts": ({"company_id": 250}, nonempty(M.Contact)),
    "get_company_count": ({"conditions": "id>=250"}, count),
    "get_company_invoices": ({"company_id": 250}, nonempty(M.Invoice)),
    "get_company_opportunities": ({"company_id": 250}, kind_of(M.Opportunity)),
    "get_company_projects": ({"company_id": 250}, kind_of(M.Project)),
    "get_company_statuses": ({}, nonempty(M.CompanyStatus)),
    "get_configuration": ({"config_id": 67890}, one(M.Configuration, name="PROD-WEB-01")),
    "get_configuration_count": ({}, count),
    "get_configuration_type_questions": ({"type_id": 1}, nonempty(M.ConfigurationQuestion)),
    "get_configurations": (
        {"conditions": "company/id=250", "pagesize": 2},
        nonempty(M.Configuration),
    ),
    "get_contact": ({"contact_id": 3}, one(M.Contact, id=3)),
    "get_contact_count": ({}, count),
    "get_contacts": ({"orderby": "id", "limit": 3}, lambda r: len(r) == 3),
    "get_count": ({"endpoint": "service/tickets", "conditions": "id<5"}, lambda r: r == 4),
    "get_invoice": ({"invoice_id": 1}, one(M.Invoice, id=1)),
    "get_invoice_count": ({}, count),
    "get_invoices": ({"limit": 1}, nonempty(M.Invoice)),
    "get_member": ({"member_id": 11}, one(M.Member, id=11)),
    "get_member_by_identifier": ({"identifier": "jrivera"}, one(M.Member, id=11)),
    "get_member_count": ({}, count),
    "get_member_schedule": ({"member_id": 11}, kind_of(M.ScheduleEntry)),
    "get_member_time_entries": ({"member_id": 11}, nonempty(M.TimeEntry)),
    "get_members": ({"orderby": "id"}, nonempty(M.Member)),
    "get_open_opportunities": ({"limit": 5}, nonempty(M.Opportunity)),
    "get_opportunities": ({"orderby": "id"}, nonempty(M.Opportunity)),
    "get_opportunity": ({"opportunity_id": 1}, one(M.Opportunity, id=1)),
    "get_opportunity_count": ({}, count),
    "get_priorities": ({}, nonempty(M.Priority)),
    "get_project": ({"project_id": 1}, one(M.Project, id=1)),
    "get_project_count": ({}, count),
    "get_project_phase": ({"project_id": 1, "phase_id": 1}, one(M.ProjectPhase, id=1)),
    "get_project_phases": ({"project_id": 1}, nonempty(M.ProjectPhase)),
    "get_project_tickets": ({"project_id": 1}, nonempty(M.Ticket)),
    "get_project_time_entries": ({"project_id": 1}, kind_of(M.TimeEntry)),
    "get_projects": ({"limit": 2}, nonempty(M.Project)),
    "get_schedule_entries": ({"orderby": "id", "limit": 2}, nonempty(M.ScheduleEntry)),
    "get_schedule_entry": ({"entry_id": 1}, one(M.ScheduleEntry, id=1)),
    "get_schedule_entry_count": ({}, count),
    "get_sources": ({}, nonempty(M.Source)),
    "get_ticket": ({"ticket_id": 1}, one(M.Ticket, id=1)),
    "get_ticket_configurations": ({"ticket_id": 1}, kind_of(M.ConfigurationReference)),
    "get_ticket_contact": ({"ticket_id": 1}, one(M.Contact)),
    "get_ticket_count": ({"conditions": "closedFlag=false"}, count),
    "get_ticket_notes": ({"ticket_id": 1, "orderby": "id", "pagesize": 1}, kind_of(M.Note)),
    "get_ticket_schedule": ({"ticket_id": 1}, kind_of(M.ScheduleEntry)),
    "get_ticket_time_entries": ({"ticket_id": 1}, nonempty(M.TimeEntry)),
    "get_ticket_url": ({"ticket_id": 1}, lambda r: "recid=1" in r),
    "get_tickets": (
        {"conditions": "company/id=250", "pagesize": 5, "orderby": "id", "limit": 7},
        lambda r: len(r) == 7 and all(t.company_id == 250 for t in r),
    ),
    "get_time_entries": ({"orderby": "id desc", "limit": 3}, lambda r: len(r) == 3),
    "get_time_entry": ({"entry_id": 1}, one(M.TimeEntry, id=1)),
    "get_time_entry_count": ({}, count),
    "merge_ticket": (
        {"child_ticket_id": 2, "parent_ticket_id": 1, "child_status_id": 456},
        lambda r: r["child_ticket"].status_name == "Resolved" and r["merge_response"],
    ),
    "patch": (
        {
            "endpoint": "service/tickets",
            "record_id": 1,
            "operations": [{"op": "replace", "path": "summary", "value": "Patched"}],
        },
        lambda r: r["summary"] == "Patched",
    ),
    "post": (
        {"endpoint": "company/contacts", "data": {"firstName": "Bo", "company": {"id": 250}}},
        lambda r: r["firstName"] == "Bo",
    ),
    "put": (
        {
            "endpoint": "service/boards",
            "record_id": 1,
            "data": {"name": "Desk", "location": {"id": 1}, "department": {"id": 1}},
        },
        lambda r: r["name"] == "Desk",
    ),
    "update_configuration": (
        {"config_id": 67890, "config": {"name": "RENAMED"}},
        one(M.Configuration, name="RENAMED"),
    ),
    "update_ticket_company": ({"ticket_id": 1, "company_id": 251}, one(M.Ticket, company_id=251)),
    "update_ticket_field": (
        {"ticket_id": 1, "field_path": "summary", "value": "New"},
        one(M.Ticket, summary="New"),
    ),
    "update_ticket_priority": ({"ticket_id": 1, "priority_id": 7}, one(M.Ticket, priority_id=7)),
    "update_ticket_status": (
        {"ticket_id": 1, "status_id": 456},
        one(M.Ticket, status_name="Resolved"),
    ),
}


def test_every_toolkit_method_is_driven() -> None:
    assert set(CALLS) == set(METHODS)
    for name, (kwargs, _) in CALLS.items():
        assert set(kwargs) <= set(METHODS[name]), name  # only the toolkit's parameter names


@pytest.mark.anyio
@pytest.mark.parametrize("name", sorted(CALLS))
async def test_every_toolkit_method_against_the_simulator(cw: Any, name: str) -> None:
    kwargs, check = CALLS[name]
    result = await call(cw, name, **kwargs)
    assert check(result), f"{name} answered {result!r}"


@pytest.mark.anyio
async def test_reads_of_missing_records_answer_none(cw: Any) -> None:
    for name, args in [
        ("get_agreement", (999,)), ("get_invoice", (999,)), ("get_member", (999,)),
        ("get_opportunity", (999,)), ("get_project", (999,)), ("get_schedule_entry", (999,)),
        ("get_time_entry", (999,)), ("get_project_phase", (1, 999)),
        ("get_agreement_addition", (1, 999)), ("get_ticket_contact", (999999,)),
        ("get_member_by_identifier", ("nobody",)),
    ]:  # fmt: skip
        assert await call(cw, name, *args) is None, name


@pytest.mark.anyio
async def test_run_as_with_compute_auth_acts_with_those_keys(
    cw: Any, manage_simulator: ManageSimulator
) -> None:
    good = cw.compute_auth(manage_simulator.public_key, manage_simulator.private_key)
    ticket = await call(cw, "get_ticket", 1, run_as=good)
    assert ticket.id == 1
    assert await call(cw, "get_ticket_count", run_as=good) > 0
    bad = cw.compute_auth("someone", "wrong-private")
    with pytest.raises(ConnectWiseAuthError) as caught:
        await call(cw, "get_ticket", 1, run_as=bad)
    assert "wrong-private" not in str(caught.value)
    with pytest.raises(ConnectWiseAuthError):
        await call(cw, "get", "service/tickets/1", run_as=bad)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("name", "args", "kwargs", "argument"),
    [
        ("get_ticket", (1,), {"run_as": ""}, "run_as"),
        ("get_ticket", (1,), {"run_as": 5}, "run_as"),
        ("get_ticket", (1,), {"run_as": "Basic !!!"}, "run_as"),
        ("get_tickets", (), {"orderby": "id", "order_by": "summary"}, "orderby"),
        ("create_time_entry", (1, "Nowhere", 11, 1.0), {}, "charge_to_type"),
        ("create_time_entry", (1, "ServiceTicket", 11, -1.0), {}, "actual_hours"),
        ("create_time_entry", (1, "ServiceTicket", 11, 1.0, "", "Maybe"), {}, "billable"),
        ("create_schedule_entry", (1, "S", 11, "", "x"), {}, "date_start"),
        ("create_agreement_addition", (1, 1, True), {}, "quantity"),
        ("create_agreement_addition", (1, 1, 1), {"taxable": "yes"}, "taxable"),
        ("create_contact", ("", "Lee", 250), {}, "first_name"),
        ("create_project", ("P", 250, 0), {}, "status_id"),
        ("create_project_phase", (1, " "), {}, "description"),
        ("create_configuration", (["not", "a", "dict"],), {}, "config"),
        ("update_configuration", (1, {}), {}, "config"),
        ("create_ticket", ("x",), {"company_id": 250, "config_ids": 5}, "config_ids"),
        (
            "create_ticket",
            ("x",),
            {"company_id": 250, "status_id": 1, "status": {"id": 2}},
            "status_id",
        ),
        ("get_boards", ("inactiveFlag=false",), {}, "active_only"),
        ("get_member_by_identifier", ("",), {}, "identifier"),
        ("get_ticket_notes", (1,), {"childconditions": 5}, "childconditions"),
        ("get", ("service/tickets",), {"childconditions": 5}, "childconditions"),
        ("merge_ticket", (2, 1, 0), {}, "child_status_id"),
    ],
)
async def test_bad_arguments_raise_before_sending(
    cw: Any,
    manage_simulator: ManageSimulator,
    name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    argument: str,
) -> None:
    manage_simulator.reset_counters()
    with pytest.raises(InvalidArgumentError) as caught:
        await call(cw, name, *args, **kwargs)
    assert caught.value.argument == argument
    assert manage_simulator.counters.requests == 0
