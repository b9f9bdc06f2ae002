"""Every public domain method through the real clients, sync and async twins (MockTransport)."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from cw_facade._defaults import TicketDefaults
from cw_facade._errors import (
    ConnectWiseAuthError,
    ConnectWiseBadRequestError,
    ConnectWiseConfigurationError,
    ConnectWiseNotFoundError,
)
from cw_facade._validation import InvalidArgumentError, UnknownNameError
from cw_facade.conditions import C
from cw_facade.models import (
    Board,
    BoardStatus,
    BoardType,
    Callback,
    Company,
    CompanyNote,
    Configuration,
    ConfigurationReference,
    Contact,
    Note,
    Priority,
    Site,
    Source,
    SystemInfo,
    Ticket,
)

from .conftest import PASSWORD, Router, Twin, body_of, respond

Make = Callable[..., Twin]

TICKET = {
    "id": 5,
    "summary": "Server offline",
    "board": {"id": 1, "name": "Help Desk"},
    "status": {"id": 10, "name": "New"},
    "company": {"id": 250, "name": "Acme Corp"},
    "customFields": [{"id": 1, "caption": "Region", "value": "EU"}],
}

LOOKUPS = [
    ("get_ticket", (5,), "service/tickets/5", Ticket),
    ("get_configuration", (6,), "company/configurations/6", Configuration),
    ("get_company", (7,), "company/companies/7", Company),
    ("get_contact", (8,), "company/contacts/8", Contact),
]


@pytest.mark.parametrize(("name", "args", "path", "model"), LOOKUPS)
@pytest.mark.anyio
async def test_lookup_found(
    make: Make, name: str, args: tuple[Any, ...], path: str, model: type
) -> None:
    twin = make({("GET", path): respond(200, {"id": args[0], "name": "x"})})
    found = await twin.call(name, *args)
    assert type(found) is model and found.id == args[0]
    assert twin.router.sent() == [("GET", path)]


@pytest.mark.parametrize(("name", "args", "path", "model"), LOOKUPS)
@pytest.mark.anyio
async def test_lookup_404_is_none(
    make: Make, name: str, args: tuple[Any, ...], path: str, model: type
) -> None:
    twin = make()
    assert await twin.call(name, *args) is None
    assert twin.router.sent() == [("GET", path)]


LISTS = [
    ("get_tickets", (), "service/tickets", Ticket),
    ("get_configurations", (), "company/configurations", Configuration),
    ("get_companies", (), "company/companies", Company),
    ("get_contacts", (), "company/contacts", Contact),
    ("get_ticket_notes", (5,), "service/tickets/5/notes", Note),
    ("get_ticket_configurations", (5,), "service/tickets/5/configurations", ConfigurationReference),
    ("get_company_sites", (7,), "company/companies/7/sites", Site),
    ("get_company_notes", (7,), "company/companies/7/notes", CompanyNote),
    ("get_boards", (), "service/boards", Board),
    ("get_board_statuses", (1,), "service/boards/1/statuses", BoardStatus),
    ("get_board_types", (1,), "service/boards/1/types", BoardType),
    ("get_priorities", (), "service/priorities", Priority),
    ("get_sources", (), "service/sources", Source),
    ("list_callbacks", (), "system/callbacks", Callback),
]


@pytest.mark.parametrize(("name", "args", "path", "model"), LISTS)
@pytest.mark.anyio
async def test_lists(make: Make, name: str, args: tuple[Any, ...], path: str, model: type) -> None:
    records = [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]
    twin = make({("GET", path): respond(200, records)})
    found = await twin.call(name, *args)
    assert [type(item) for item in found] == [model, model]
    assert [item.id for item in found] == [1, 2]
    assert twin.router.sent() == [("GET", path)]


@pytest.mark.parametrize(("name", "args", "path", "model"), LISTS)
@pytest.mark.parametrize("forward_only", [None, True, False])
@pytest.mark.anyio
async def test_every_list_takes_the_same_paging_arguments(
    make: Make, name: str, args: tuple[Any, ...], path: str, model: type, forward_only: Any
) -> None:
    records = [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}]
    twin = make({("GET", path): respond(200, records)})
    found = await twin.call(name, *args, pagesize=2, limit=2, forward_only=forward_only)
    assert [item.id for item in found] == [1, 2]
    sent = next(r for r in twin.router.requests if r.url.path.endswith("/" + path))
    assert sent.url.params["pageSize"] == "2"
    expected = None if forward_only is False else "forward-only"
    assert sent.headers.get("pagination-type") == expected


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("get_tickets", {"forward_only": True}),
        ("get_configurations", {"limit": 1}),
        ("get_contacts", {"limit": 1, "forward_only": False}),
        ("iter_tickets", {"forward_only": True, "limit": 1}),
        ("iter_companies", {"forward_only": None, "pagesize": 5}),
    ],
)
@pytest.mark.anyio
async def test_paging_arguments_that_raised_type_error_are_accepted(
    make: Make, name: str, options: dict[str, Any]
) -> None:
    twin = make(
        {
            ("GET", path): respond(200, [{"id": 1}])
            for path in (
                "service/tickets",
                "company/configurations",
                "company/contacts",
                "company/companies",
            )
        }
    )
    result = getattr(twin.client, name)(**options)
    if name.startswith("iter_"):
        items = [i async for i in result] if twin.kind == "async" else list(result)
    else:
        items = await result if twin.kind == "async" else result
    assert [item.id for item in items] == [1]


@pytest.mark.anyio
async def test_forward_only_with_order_by_is_refused_before_sending(make: Make) -> None:
    twin = make({("GET", "service/tickets"): respond(200, [])})
    with pytest.raises(ConnectWiseConfigurationError, match="order_by"):
        await twin.call("get_tickets", order_by="id desc", forward_only=True)
    assert twin.router.requests == []


@pytest.mark.parametrize(("name", "args", "path", "model"), [r for r in LISTS if r[1]])
@pytest.mark.anyio
async def test_list_of_a_missing_parent_raises(
    make: Make, name: str, args: tuple[Any, ...], path: str, model: type
) -> None:
    twin = make()
    with pytest.raises(ConnectWiseNotFoundError):
        await twin.call(name, *args)


@pytest.mark.parametrize(("name", "args", "path", "model"), [r for r in LISTS if r[1]])
@pytest.mark.anyio
async def test_list_with_a_bad_parent_id_sends_nothing(
    make: Make, name: str, args: tuple[Any, ...], path: str, model: type
) -> None:
    twin = make()
    with pytest.raises(InvalidArgumentError):
        await twin.call(name, 0)
    assert twin.router.requests == []


@pytest.mark.anyio
async def test_get_tickets_passes_query_arguments(make: Make) -> None:
    twin = make({("GET", "service/tickets"): respond(200, [TICKET])})
    found = await twin.call(
        "get_tickets",
        conditions="closedFlag=false AND company/id=250",
        pagesize=100,
        fields="id,summary",
        order_by="id desc",
    )
    assert found == [Ticket(TICKET)]
    params = twin.router.last("GET").url.params
    assert params["conditions"] == "closedFlag=false AND company/id=250"
    assert (params["pageSize"], params["fields"], params["orderBy"]) == (
        "100",
        "id,summary",
        "id desc",
    )


@pytest.mark.anyio
async def test_conditions_may_be_built_expressions(make: Make) -> None:
    twin = make({("GET", "company/configurations"): respond(200, [])})
    expr = C.name.contains("PROD") & (C.company.id == 250)
    assert await twin.call("get_configurations", conditions=expr) == []
    assert twin.router.last("GET").url.params["conditions"] == str(expr)


@pytest.mark.anyio
async def test_company_contacts_filter_on_the_company(make: Make) -> None:
    twin = make({("GET", "company/contacts"): respond(200, [{"id": 1}])})
    assert [c.id for c in await twin.call("get_company_contacts", 250)] == [1]
    assert twin.router.last("GET").url.params["conditions"] == "company/id=250"


@pytest.mark.anyio
async def test_iterators_are_lazy_and_page(make: Make) -> None:
    pages = {1: [{"id": 1}, {"id": 2}], 2: [{"id": 3}]}

    def page(request: httpx.Request) -> httpx.Response:
        return respond(200, pages.get(int(request.url.params["page"]), []))

    twin = make({("GET", "service/tickets"): page, ("GET", "company/companies"): page})
    iterator = twin.client.iter_tickets(pagesize=2, forward_only=False)
    assert twin.router.requests == []
    items = [t async for t in iterator] if twin.kind == "async" else list(iterator)
    assert [t.id for t in items] == [1, 2, 3]
    assert all(isinstance(t, Ticket) for t in items)
    companies = await twin.collect("iter_companies", pagesize=2, limit=2, forward_only=False)
    assert [c.id for c in companies] == [1, 2]
    assert all(isinstance(c, Company) for c in companies)


@pytest.mark.anyio
async def test_async_iterator_closed_early_closes_the_paging(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from contextlib import aclosing

    closed: list[bool] = []

    async def pages(cursor: Any, max_retries: Any) -> AsyncIterator[list[Any]]:
        try:
            for number in range(1, 4):
                yield [{"id": number}]
        finally:
            closed.append(True)

    twin = Twin("async", Router())
    monkeypatch.setattr(twin.client, "_pages", pages)
    try:
        async with aclosing(twin.client.iter_tickets()) as tickets:
            async for ticket in tickets:
                assert ticket.id == 1
                break
        assert closed == [True]
        assert twin.router.requests == []
    finally:
        await twin.close()


@pytest.mark.anyio
async def test_iterators_check_arguments_at_once(make: Make) -> None:
    twin = make()
    with pytest.raises(ValueError):
        twin.client.iter_tickets(pagesize=0)
    assert twin.router.requests == []


@pytest.mark.parametrize(
    ("name", "path"),
    [("count_tickets", "service/tickets"), ("count_companies", "company/companies")],
)
@pytest.mark.anyio
async def test_counts(make: Make, name: str, path: str) -> None:
    twin = make({("GET", f"{path}/count"): respond(200, {"count": 42})})
    assert await twin.call(name, conditions="closedFlag=false") == 42
    assert twin.router.last("GET").url.params["conditions"] == "closedFlag=false"


@pytest.mark.anyio
class TestCreateTicket:
    async def test_toolkit_call(self, make: Make) -> None:
        twin = make({("POST", "service/tickets"): respond(201, {**TICKET, "id": 99})})
        ticket = await twin.call(
            "create_ticket",
            summary="Server offline",
            body="PROD-WEB-01 is unreachable",
            company_id=250,
            board_id=1,
            priority_id=8,
        )
        assert isinstance(ticket, Ticket) and ticket.id == 99
        assert body_of(twin.router.last("POST")) == {
            "summary": "Server offline",
            "initialDescription": "PROD-WEB-01 is unreachable",
            "company": {"id": 250},
            "board": {"id": 1},
            "priority": {"id": 8},
        }

    async def test_client_defaults_apply(self, make: Make) -> None:
        defaults = TicketDefaults(company_id=250, board_id=1, priority_id=8, source_id=42)
        twin = make({("POST", "service/tickets"): respond(201, TICKET)}, ticket_defaults=defaults)
        await twin.call(
            "create_ticket", summary="Issue summary", body="Issue description", priority_id=4
        )
        assert body_of(twin.router.last("POST")) == {
            "summary": "Issue summary",
            "initialDescription": "Issue description",
            "priority": {"id": 4},
            "company": {"id": 250},
            "board": {"id": 1},
            "source": {"id": 42},
        }

    async def test_names_and_extra_fields(self, make: Make) -> None:
        routes = {
            ("GET", "service/boards"): respond(200, [{"id": 3, "name": "Help Desk"}]),
            ("GET", "service/priorities"): respond(200, [{"id": 4, "name": "High"}]),
            ("POST", "service/tickets"): respond(201, TICKET),
        }
        twin = make(routes)
        kwargs = {"board": "Help Desk", "priority": "high", "contactName": "Ann"}
        await twin.call("create_ticket", "x", company_id=1, **kwargs)
        await twin.call("create_ticket", "y", company_id=1, **kwargs)
        assert body_of(twin.router.last("POST"))["board"] == {"id": 3}
        assert body_of(twin.router.last("POST"))["contactName"] == "Ann"
        assert twin.router.sent("GET") == [("GET", "service/boards"), ("GET", "service/priorities")]

    async def test_invalid_input_sends_nothing(self, make: Make) -> None:
        twin = make()
        with pytest.raises(InvalidArgumentError) as caught:
            await twin.call("create_ticket", "x" * 101, company_id=1)
        assert caught.value.argument == "summary"
        with pytest.raises(InvalidArgumentError) as caught:
            await twin.call("create_ticket", "ok")
        assert caught.value.argument == "company_id"
        assert twin.router.requests == []

    async def test_bad_ticket_defaults_object(self, make: Make) -> None:
        twin = make(ticket_defaults={"company_id": 1})
        with pytest.raises(InvalidArgumentError) as caught:
            await twin.call("create_ticket", "x", company_id=1)
        assert caught.value.argument == "ticket_defaults"

    async def test_server_rejection_raises(self, make: Make) -> None:
        error = {"code": "InvalidObject", "message": "bad", "errors": [{"field": "company/id"}]}
        twin = make({("POST", "service/tickets"): respond(400, error)})
        with pytest.raises(ConnectWiseBadRequestError):
            await twin.call("create_ticket", "x", company_id=999)


@pytest.mark.anyio
class TestStatusByName:
    def routes(self, statuses: list[dict[str, Any]]) -> dict[tuple[str, str], Any]:
        return {
            ("GET", "service/tickets/5"): respond(200, {"id": 5, "board": {"id": 1}}),
            ("GET", "service/boards/1/statuses"): respond(200, statuses),
            ("PATCH", "service/tickets/5"): respond(
                200, {**TICKET, "status": {"id": 12, "name": "Resolved"}}
            ),
        }

    async def test_resolves_and_caches_per_client(self, make: Make) -> None:
        twin = make(self.routes([{"id": 10, "name": "New"}, {"id": 12, "name": "Resolved"}]))
        ticket = await twin.call("update_ticket_status", 5, status="Resolved")
        assert ticket.status_name == "Resolved"
        assert body_of(twin.router.last("PATCH")) == [
            {"op": "replace", "path": "status", "value": {"id": 12}}
        ]
        await twin.call("update_ticket_status", 5, status="new")
        statuses = [p for p in twin.router.sent("GET") if p[1].endswith("statuses")]
        assert len(statuses) == 1
        other = make(self.routes([{"id": 10, "name": "New"}]))
        await other.call("update_ticket_status", 5, status="New")
        assert len([p for p in other.router.sent("GET") if p[1].endswith("statuses")]) == 1

    async def test_unknown_name_raises_before_patching(self, make: Make) -> None:
        twin = make(self.routes([{"id": 10, "name": "New"}]))
        with pytest.raises(UnknownNameError, match="'New'"):
            await twin.call("update_ticket_status", 5, status="Resolved")
        assert twin.router.sent("PATCH") == []

    async def test_missing_ticket_raises(self, make: Make) -> None:
        twin = make()
        with pytest.raises(ConnectWiseNotFoundError):
            await twin.call("update_ticket_status", 5, status="Resolved")
        assert twin.router.sent() == [("GET", "service/tickets/5")]

    async def test_clear_lookup_cache(self, make: Make) -> None:
        twin = make(self.routes([{"id": 10, "name": "New"}]))
        await twin.call("update_ticket_status", 5, status="New")
        twin.client.clear_lookup_cache()
        await twin.call("update_ticket_status", 5, status="New")
        assert len([p for p in twin.router.sent("GET") if p[1].endswith("statuses")]) == 2


WRITES = [
    (
        "update_ticket_status",
        (5,),
        {"status_id": 456},
        "PATCH",
        "service/tickets/5",
        [{"op": "replace", "path": "status", "value": {"id": 456}}],
        Ticket,
    ),
    (
        "update_ticket_priority",
        (5,),
        {"priority_id": 8},
        "PATCH",
        "service/tickets/5",
        [{"op": "replace", "path": "priority", "value": {"id": 8}}],
        Ticket,
    ),
    (
        "update_ticket_field",
        (5, "/summary", "New text"),
        {},
        "PATCH",
        "service/tickets/5",
        [{"op": "replace", "path": "summary", "value": "New text"}],
        Ticket,
    ),
    (
        "add_ticket_note",
        (5, "Investigating"),
        {"internal": True},
        "POST",
        "service/tickets/5/notes",
        {
            "text": "Investigating",
            "internalAnalysisFlag": True,
            "detailDescriptionFlag": False,
            "resolutionFlag": False,
        },
        Note,
    ),
    (
        "attach_configuration",
        (5, 67890),
        {},
        "POST",
        "service/tickets/5/configurations",
        {"id": 67890},
        Configuration,
    ),
    (
        "add_company_note",
        (250, "Called"),
        {},
        "POST",
        "company/companies/250/notes",
        {"text": "Called", "flagged": False},
        CompanyNote,
    ),
    (
        "register_callback",
        ("https://hooks.test/cw", "ticket"),
        {},
        "POST",
        "system/callbacks",
        {
            "url": "https://hooks.test/cw",
            "type": "ticket",
            "level": "owner",
            "objectId": 1,
            "inactiveFlag": False,
        },
        Callback,
    ),
]


@pytest.mark.parametrize(("name", "args", "kwargs", "method", "path", "sent", "model"), WRITES)
@pytest.mark.anyio
async def test_writes(
    make: Make,
    name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    method: str,
    path: str,
    sent: Any,
    model: type,
) -> None:
    twin = make({(method, path): respond(200, {"id": 77})})
    result = await twin.call(name, *args, **kwargs)
    assert type(result) is model and result.id == 77
    assert body_of(twin.router.last(method)) == sent
    assert twin.router.sent(method) == [(method, path)]  # attach_configuration reads back too


@pytest.mark.parametrize(("name", "args", "kwargs", "method", "path", "sent", "model"), WRITES)
@pytest.mark.anyio
async def test_writes_raise_on_404(
    make: Make,
    name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    method: str,
    path: str,
    sent: Any,
    model: type,
) -> None:
    twin = make()
    with pytest.raises(ConnectWiseNotFoundError):
        await twin.call(name, *args, **kwargs)


DELETES = [
    ("delete_ticket", (5,), "service/tickets/5"),
    ("detach_configuration", (5, 67890), "service/tickets/5/configurations/67890"),
    ("delete_callback", (3,), "system/callbacks/3"),
]


@pytest.mark.parametrize(("name", "args", "path"), DELETES)
@pytest.mark.anyio
async def test_deletes(make: Make, name: str, args: tuple[Any, ...], path: str) -> None:
    twin = make({("DELETE", path): respond(204)})
    assert await twin.call(name, *args) is True
    assert twin.router.sent() == [("DELETE", path)]


@pytest.mark.parametrize(("name", "args", "path"), DELETES)
@pytest.mark.anyio
async def test_deletes_raise_on_404(
    make: Make, name: str, args: tuple[Any, ...], path: str
) -> None:
    with pytest.raises(ConnectWiseNotFoundError):
        await make().call(name, *args)


@pytest.mark.anyio
class TestCustomField:
    async def test_set(self, make: Make) -> None:
        routes = {
            ("GET", "service/tickets/5"): respond(200, TICKET),
            ("PATCH", "service/tickets/5"): respond(200, TICKET),
        }
        twin = make(routes)
        ticket = await twin.call("set_custom_field", 5, "Region", "US")
        assert isinstance(ticket, Ticket)
        assert twin.router.last("GET").url.params["fields"] == "id,customFields"
        assert body_of(twin.router.last("PATCH")) == [
            {
                "op": "replace",
                "path": "customFields",
                "value": [{"id": 1, "caption": "Region", "value": "US"}],
            }
        ]

    async def test_missing_ticket_raises(self, make: Make) -> None:
        with pytest.raises(ConnectWiseNotFoundError):
            await make().call("set_custom_field", 5, "Region", "US")

    async def test_unknown_caption(self, make: Make) -> None:
        twin = make({("GET", "service/tickets/5"): respond(200, TICKET)})
        with pytest.raises(UnknownNameError, match="'Region'"):
            await twin.call("set_custom_field", 5, "Colour", "red")
        assert twin.router.sent("PATCH") == []


@pytest.mark.anyio
class TestHealth:
    async def test_ping_and_system_info(self, make: Make) -> None:
        twin = make({("GET", "system/info"): respond(200, {"version": "v2025.8", "isCloud": True})})
        assert await twin.call("ping") is True
        info = await twin.call("system_info")
        assert isinstance(info, SystemInfo) and info.version == "v2025.8" and info.is_cloud

    async def test_ping_raises_on_bad_credentials_without_leaking_them(self, make: Make) -> None:
        twin = make(
            {("GET", "system/info"): respond(401, {"code": "Unauthorized", "message": "no"})}
        )
        with pytest.raises(ConnectWiseAuthError) as caught:
            await twin.call("ping")
        assert PASSWORD not in str(caught.value) and PASSWORD not in repr(caught.value)

    async def test_system_info_404_raises(self, make: Make) -> None:
        with pytest.raises(ConnectWiseNotFoundError):
            await make().call("system_info")


@pytest.mark.anyio
class TestTicketUrl:
    async def test_link_to_the_web_ui(self, make: Make) -> None:
        twin = make()
        url = await twin.call("get_ticket_url", 12345)
        assert url == (
            "https://na.myconnectwise.net/v4_6_release/services/system_io/Service/"
            "fv_sr100_request.rails?service_recid=12345&companyName=acme"
        )
        assert twin.router.requests == []

    async def test_bad_id(self, make: Make) -> None:
        with pytest.raises(InvalidArgumentError):
            await make().call("get_ticket_url", 0)

    async def test_discovers_the_codebase_when_needed(self, kind: str) -> None:
        def handler(request: httpx.Request) -> httpx.Response:
            assert request.url.path == "/login/companyinfo/acme"
            return respond(200, {"Codebase": "v2025_1/", "CompanyID": "acme"})

        from .conftest import AsyncClient, SyncClient

        args = ("https://eu.myconnectwise.net", "acme", "pub", PASSWORD, "guid")
        if kind == "sync":
            with SyncClient(*args, transport=httpx.MockTransport(handler)) as client:
                url = client.get_ticket_url(7)
        else:
            async with AsyncClient(*args, transport=httpx.MockTransport(handler)) as client:
                url = await client.get_ticket_url(7)
        assert url.startswith("https://eu.myconnectwise.net/v2025_1/services/")
        assert "service_recid=7" in url


DOMAIN_METHODS = {
    "add_company_note",
    "add_ticket_note",
    "attach_configuration",
    "count_companies",
    "count_tickets",
    "create_ticket",
    "delete_callback",
    "delete_ticket",
    "detach_configuration",
    "get_board_statuses",
    "get_board_types",
    "get_boards",
    "get_companies",
    "get_company",
    "get_company_contacts",
    "get_company_notes",
    "get_company_sites",
    "get_configuration",
    "get_configurations",
    "get_contact",
    "get_contacts",
    "get_priorities",
    "get_sources",
    "get_ticket",
    "get_ticket_configurations",
    "get_ticket_notes",
    "get_ticket_url",
    "get_tickets",
    "iter_companies",
    "iter_tickets",
    "list_callbacks",
    "ping",
    "register_callback",
    "set_custom_field",
    "system_info",
    "update_ticket_field",
    "update_ticket_priority",
    "update_ticket_status",
}


def test_twins_expose_the_same_domain_methods() -> None:
    from cw_facade._async._domain import AsyncDomainMixin
    from cw_facade._sync._domain import DomainMixin

    sync = {n for n in vars(DomainMixin) if not n.startswith("_")}
    both = {n for n in vars(AsyncDomainMixin) if not n.startswith("_")}
    assert sync == both
    assert sync == DOMAIN_METHODS | {"clear_lookup_cache"}
    for name in both - {"iter_tickets", "iter_companies", "clear_lookup_cache"}:
        assert inspect.iscoroutinefunction(getattr(AsyncDomainMixin, name)), name
        assert inspect.signature(getattr(AsyncDomainMixin, name)) == inspect.signature(
            getattr(DomainMixin, name)
        ), name
