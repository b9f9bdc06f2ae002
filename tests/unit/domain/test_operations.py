"""Domain methods on both twins: the exact requests they send and what they make of answers.

Each test answers the method's requests through ``Router`` routes and checks every request
that went out (method, path under the API root, query, JSON body) and the result or error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from cw_facade._defaults import TicketDefaults
from cw_facade._domain.lookups import LOOKUP_PAGE_SIZE
from cw_facade._errors import (
    ConnectWiseAPIError,
    ConnectWiseClosedError,
    ConnectWiseConfigurationError,
    ConnectWiseResponseError,
)
from cw_facade._validation import InvalidArgumentError, UnknownNameError
from cw_facade.models import (
    Callback,
    Company,
    CompanyNote,
    Configuration,
    Contact,
    Note,
    SystemInfo,
    Ticket,
)

from .conftest import Router, Sent, Twin, respond, sent

pytestmark = pytest.mark.anyio

Make = Callable[..., Twin]

STATUSES = [
    {"id": 10, "name": "New", "board": {"id": 1}},
    {"id": 11, "name": "Resolved", "closedStatus": True, "inactive": True},
    {"id": 12, "name": "Resolved", "closedStatus": True},
    {"id": 13, "name": ">Waiting"},
]
PRIORITIES = [{"id": 8, "name": "Priority 3 - Normal"}, {"id": 4, "name": "High"}]
BOARDS = [{"id": 1, "name": "Help Desk"}, {"id": 2, "name": "Projects", "inactiveFlag": False}]
#: The query of the first page of a lookup list the client reads itself.
LOOKUP_PAGE = {"page": 1, "pageSize": LOOKUP_PAGE_SIZE}


def patch(path: str, field: str, value: Any) -> Sent:
    return sent("PATCH", path, json=[{"op": "replace", "path": field, "value": value}])


def body(status: int, content: bytes) -> httpx.Response:
    """A response with exactly ``content`` as a JSON body."""
    return httpx.Response(status, content=content, headers={"content-type": "application/json"})


LOOKUPS = [
    ("get_ticket", 5, "service/tickets/5", Ticket),
    ("get_configuration", 6, "company/configurations/6", Configuration),
    ("get_company", 7, "company/companies/7", Company),
    ("get_contact", 8, "company/contacts/8", Contact),
]


class TestLookupsById:
    @pytest.mark.parametrize(("name", "record_id", "path", "model"), LOOKUPS)
    async def test_found(
        self, make: Make, name: str, record_id: int, path: str, model: type[Any]
    ) -> None:
        twin = make({("GET", path): respond(200, {"id": 5, "name": "x"})})
        result = await twin.call(name, record_id)
        assert twin.router.calls() == [sent("GET", path)]
        assert type(result) is model
        assert result.raw == {"id": 5, "name": "x"}

    @pytest.mark.parametrize(("name", "record_id", "path", "model"), LOOKUPS)
    async def test_missing_is_none(
        self, make: Make, name: str, record_id: int, path: str, model: type[Any]
    ) -> None:
        twin = make()  # every route answers ConnectWise's JSON 404
        assert await twin.call(name, record_id) is None
        assert twin.router.calls() == [sent("GET", path)]

    @pytest.mark.parametrize(("name", "record_id", "path", "model"), LOOKUPS)
    @pytest.mark.parametrize(
        "content", [b"", b"  ", b"null", b"[]", b'[{"id": 5}]', b"5", b'"x"', b"true"]
    )
    async def test_a_body_that_is_not_one_record_is_a_response_error(
        self, make: Make, name: str, record_id: int, path: str, model: type[Any], content: bytes
    ) -> None:
        # issue 13 item 8: an empty or null 200 used to be None, other shapes a model of id 0
        twin = make({("GET", path): body(200, content)})
        with pytest.raises(ConnectWiseResponseError, match="expected a record"):
            await twin.call(name, record_id)
        assert twin.router.calls() == [sent("GET", path)]

    @pytest.mark.parametrize(("name", "record_id", "path", "model"), LOOKUPS)
    async def test_a_404_that_is_not_connectwise_is_a_configuration_error(
        self, make: Make, name: str, record_id: int, path: str, model: type[Any]
    ) -> None:
        page = httpx.Response(404, text="<html>Not Found</html>")
        twin = make({("GET", path): page}, codebase="v4_6_release/")
        with pytest.raises(ConnectWiseConfigurationError, match="ConnectWise API root"):
            await twin.call(name, record_id)
        assert twin.router.calls() == [sent("GET", path)]


class TestCreateTicket:
    async def test_toolkit_arguments(self, make: Make) -> None:
        twin = make({("POST", "service/tickets"): respond(201, {"id": 99, "summary": "x"})})
        result = await twin.call(
            "create_ticket", "Server offline", "PROD-WEB-01 is unreachable", 250, 1, 8, 456, 3, 42
        )
        assert twin.router.calls() == [
            sent(
                "POST",
                "service/tickets",
                json={
                    "summary": "Server offline",
                    "initialDescription": "PROD-WEB-01 is unreachable",
                    "company": {"id": 250},
                    "board": {"id": 1},
                    "priority": {"id": 8},
                    "source": {"id": 42},
                    "status": {"id": 456},
                    "type": {"id": 3},
                },
            )
        ]
        assert isinstance(result, Ticket) and result.id == 99

    async def test_a_post_is_not_repeated(self, make: Make) -> None:
        unavailable = respond(503, {"code": "Unavailable", "message": "try later"})
        twin = make({("POST", "service/tickets"): unavailable}, max_retries=3)
        with pytest.raises(ConnectWiseAPIError) as caught:
            await twin.call("create_ticket", "x", company_id=1)
        assert caught.value.status_code == 503
        assert twin.router.calls() == [
            sent("POST", "service/tickets", json={"summary": "x", "company": {"id": 1}})
        ]

    async def test_defaults_fill_only_what_is_missing(self, make: Make) -> None:
        defaults = TicketDefaults(
            company_id=250,
            board_id=1,
            priority_id=8,
            source_id=42,
            status_id=3,
            type_id=4,
            team_id=5,
            contact_id=6,
        )
        twin = make(
            {("POST", "service/tickets"): respond(201, {"id": 1})}, ticket_defaults=defaults
        )
        await twin.call("create_ticket", "  Disk full  ", None, None, 2, type={"id": 9})
        assert twin.router.calls() == [
            sent(
                "POST",
                "service/tickets",
                json={
                    "type": {"id": 9},
                    "summary": "Disk full",
                    "board": {"id": 2},
                    "company": {"id": 250},
                    "priority": {"id": 8},
                    "source": {"id": 42},
                    "status": {"id": 3},
                    "team": {"id": 5},
                    "contact": {"id": 6},
                },
            )
        ]

    async def test_fields_may_give_the_company(self, make: Make) -> None:
        twin = make(
            {("POST", "service/tickets"): respond(201, {})},
            ticket_defaults=TicketDefaults(company_id=1),
        )
        await twin.call("create_ticket", "x", company={"identifier": "Acme"}, contactName="Ann")
        assert twin.router.calls() == [
            sent(
                "POST",
                "service/tickets",
                json={"company": {"identifier": "Acme"}, "contactName": "Ann", "summary": "x"},
            )
        ]

    async def test_board_and_priority_names_are_resolved_once_and_cached(self, make: Make) -> None:
        twin = make(
            {
                ("GET", "service/boards"): respond(200, BOARDS),
                ("GET", "service/priorities"): respond(200, PRIORITIES),
                ("POST", "service/tickets"): respond(201, {"id": 3}),
            }
        )
        kwargs = {"company_id": 1, "board": "help desk", "priority": " HIGH "}
        await twin.call("create_ticket", "x", **kwargs)
        post = sent(
            "POST",
            "service/tickets",
            json={"summary": "x", "company": {"id": 1}, "board": {"id": 1}, "priority": {"id": 4}},
        )
        assert twin.router.calls() == [
            sent("GET", "service/boards", LOOKUP_PAGE),
            sent("GET", "service/priorities", LOOKUP_PAGE),
            post,
        ]
        await twin.call("create_ticket", "x", **kwargs)
        assert twin.router.calls()[3:] == [post]

    async def test_name_beats_a_default_id(self, make: Make) -> None:
        twin = make(
            {
                ("GET", "service/boards"): respond(200, BOARDS),
                ("POST", "service/tickets"): respond(201, {}),
            },
            ticket_defaults=TicketDefaults(company_id=1, board_id=1),
        )
        await twin.call("create_ticket", "x", board="Projects")
        assert twin.router.calls() == [
            sent("GET", "service/boards", LOOKUP_PAGE),
            sent(
                "POST",
                "service/tickets",
                json={"summary": "x", "company": {"id": 1}, "board": {"id": 2}},
            ),
        ]

    async def test_unknown_board_name_lists_valid_names(self, make: Make) -> None:
        twin = make({("GET", "service/boards"): respond(200, BOARDS)})
        with pytest.raises(UnknownNameError) as caught:
            await twin.call("create_ticket", "x", company_id=1, board="Nope")
        assert twin.router.calls() == [sent("GET", "service/boards", LOOKUP_PAGE)]
        assert caught.value.argument == "board"
        assert caught.value.valid == ["Help Desk", "Projects"]
        assert "'Help Desk', 'Projects'" in str(caught.value)

    @pytest.mark.parametrize("content", [b"", b"null", b"[]", b'[{"id": 99}]', b"99", b'"created"'])
    async def test_a_created_body_that_is_not_one_record_is_a_response_error(
        self, make: Make, content: bytes
    ) -> None:
        # issue 13 item 8: these used to give a ticket with id 0
        twin = make({("POST", "service/tickets"): body(201, content)})
        with pytest.raises(ConnectWiseResponseError, match="expected a record"):
            await twin.call("create_ticket", "x", company_id=1)
        assert twin.router.sent() == [("POST", "service/tickets")]


class TestStatusByName:
    TICKET_BOARD = sent("GET", "service/tickets/5", {"fields": "id,board"})

    async def test_resolves_on_the_tickets_board_and_prefers_active_statuses(
        self, make: Make
    ) -> None:
        twin = make(
            {
                ("GET", "service/tickets/5"): respond(200, {"id": 5, "board": {"id": 1}}),
                ("GET", "service/boards/1/statuses"): respond(200, STATUSES),
                ("PATCH", "service/tickets/5"): respond(200, {"id": 5}),
            }
        )
        result = await twin.call("update_ticket_status", 5, status="resolved")
        assert twin.router.calls() == [
            self.TICKET_BOARD,
            sent("GET", "service/boards/1/statuses", {"page": 1, "pageSize": 1000}),
            patch("service/tickets/5", "status", {"id": 12}),
        ]
        assert isinstance(result, Ticket)

    async def test_cache_hit_skips_the_status_list(self, make: Make) -> None:
        twin = make(
            {
                ("GET", "service/tickets/5"): respond(200, {"board": {"id": 1}}),
                ("GET", "service/tickets/6"): respond(200, {"board": {"id": 1}}),
                ("GET", "service/boards/1/statuses"): respond(200, STATUSES),
                ("PATCH", "service/tickets/5"): respond(200, {}),
                ("PATCH", "service/tickets/6"): respond(200, {}),
            }
        )
        await twin.call("update_ticket_status", 5, status="New")
        before = len(twin.router.requests)
        await twin.call("update_ticket_status", 6, status="New")
        assert twin.router.calls()[before:] == [
            sent("GET", "service/tickets/6", {"fields": "id,board"}),
            patch("service/tickets/6", "status", {"id": 10}),
        ]

    async def test_a_miss_refreshes_the_cache_once(self, make: Make) -> None:
        twin = make(
            {
                ("GET", "service/tickets/5"): respond(200, {"board": {"id": 1}}),
                ("GET", "service/boards/1/statuses"): respond(200, STATUSES),
                ("PATCH", "service/tickets/5"): respond(200, {}),
            }
        )
        await twin.call("update_ticket_status", 5, status="New")
        fresh = [*STATUSES, {"id": 14, "name": "Escalated"}]
        twin.router.routes[("GET", "service/boards/1/statuses")] = respond(200, fresh)
        before = len(twin.router.requests)
        await twin.call("update_ticket_status", 5, status="Escalated")
        assert twin.router.calls()[before:] == [
            self.TICKET_BOARD,
            sent("GET", "service/boards/1/statuses", LOOKUP_PAGE),
            patch("service/tickets/5", "status", {"id": 14}),
        ]

    async def test_unknown_status_after_refresh_raises_with_valid_names(self, make: Make) -> None:
        twin = make(
            {
                ("GET", "service/tickets/5"): respond(200, {"board": {"id": 1}}),
                ("GET", "service/boards/1/statuses"): respond(200, STATUSES),
            }
        )
        with pytest.raises(UnknownNameError) as caught:
            await twin.call("update_ticket_status", 5, status="Closed")
        assert twin.router.calls() == [
            self.TICKET_BOARD,
            sent("GET", "service/boards/1/statuses", LOOKUP_PAGE),
        ]
        assert caught.value.argument == "status"
        assert "on board 1" in str(caught.value)
        assert caught.value.valid == [">Waiting", "New", "Resolved"]

    async def test_ticket_without_board(self, make: Make) -> None:
        twin = make({("GET", "service/tickets/5"): respond(200, {"id": 5})})
        with pytest.raises(InvalidArgumentError) as caught:
            await twin.call("update_ticket_status", 5, status="New")
        assert caught.value.argument == "status"
        assert twin.router.calls() == [self.TICKET_BOARD]

    async def test_status_lists_are_paged(self, make: Make) -> None:
        big = [{"id": i, "name": f"S{i}"} for i in range(1, LOOKUP_PAGE_SIZE + 1)]
        pages = {1: big, 2: [{"id": 5000, "name": "Last"}]}

        def statuses(request: httpx.Request) -> httpx.Response:
            return respond(200, pages[int(request.url.params["page"])])

        twin = make(
            {
                ("GET", "service/tickets/5"): respond(200, {"board": {"id": 2}}),
                ("GET", "service/boards/2/statuses"): statuses,
                ("PATCH", "service/tickets/5"): respond(200, {}),
            }
        )
        await twin.call("update_ticket_status", 5, status="Last")
        assert twin.router.calls() == [
            self.TICKET_BOARD,
            sent("GET", "service/boards/2/statuses", LOOKUP_PAGE),
            sent("GET", "service/boards/2/statuses", {**LOOKUP_PAGE, "page": 2}),
            patch("service/tickets/5", "status", {"id": 5000}),
        ]


class TestUpdates:
    async def test_status_by_id(self, make: Make) -> None:
        twin = make({("PATCH", "service/tickets/5"): respond(200, {"id": 5})})
        await twin.call("update_ticket_status", 5, 456)
        assert twin.router.calls() == [patch("service/tickets/5", "status", {"id": 456})]

    async def test_priority_by_id_and_by_name(self, make: Make) -> None:
        twin = make(
            {
                ("GET", "service/priorities"): respond(200, PRIORITIES),
                ("PATCH", "service/tickets/5"): respond(200, {}),
            }
        )
        await twin.call("update_ticket_priority", 5, 8)
        assert twin.router.calls() == [patch("service/tickets/5", "priority", {"id": 8})]
        await twin.call("update_ticket_priority", 5, priority="high")
        assert twin.router.calls()[1:] == [
            sent("GET", "service/priorities", LOOKUP_PAGE),
            patch("service/tickets/5", "priority", {"id": 4}),
        ]

    @pytest.mark.parametrize(
        ("given", "path"), [("/summary", "summary"), ("status/id", "status/id")]
    )
    async def test_field_path_loses_its_leading_slash(
        self, make: Make, given: str, path: str
    ) -> None:
        twin = make({("PATCH", "service/tickets/5"): respond(200, {"id": 5, "summary": "v"})})
        result = await twin.call("update_ticket_field", 5, given, "v")
        assert twin.router.calls() == [patch("service/tickets/5", path, "v")]
        assert result.summary == "v"

    async def test_delete(self, make: Make) -> None:
        twin = make({("DELETE", "service/tickets/5"): respond(204)})
        assert await twin.call("delete_ticket", 5) is True
        assert twin.router.calls() == [sent("DELETE", "service/tickets/5")]

    @pytest.mark.parametrize("content", [b"", b"null", b"[]", b"1"])
    async def test_an_updated_body_that_is_not_one_record_is_a_response_error(
        self, make: Make, content: bytes
    ) -> None:
        twin = make({("PATCH", "service/tickets/5"): body(200, content)})
        with pytest.raises(ConnectWiseResponseError, match="expected a record"):
            await twin.call("update_ticket_field", 5, "summary", "v")
        assert twin.router.calls() == [patch("service/tickets/5", "summary", "v")]


ENTRIES = [
    {"id": 1, "caption": "Region", "type": "Text", "value": "EU"},
    {"id": 2, "caption": "Seats", "type": "Number", "value": 3},
]
CUSTOM_FIELDS = sent("GET", "service/tickets/5", {"fields": "id,customFields"})


class TestCustomFields:
    @pytest.mark.parametrize("value", ["US", 7, True, None, 2.5])
    async def test_set_replaces_the_whole_list(self, make: Make, value: Any) -> None:
        twin = make(
            {
                ("GET", "service/tickets/5"): respond(200, {"id": 5, "customFields": ENTRIES}),
                ("PATCH", "service/tickets/5"): respond(200, {"id": 5}),
            }
        )
        await twin.call("set_custom_field", 5, "region", value)
        assert twin.router.calls() == [
            CUSTOM_FIELDS,
            patch(
                "service/tickets/5",
                "customFields",
                [{**ENTRIES[0], "value": value}, ENTRIES[1]],
            ),
        ]
        assert ENTRIES[0]["value"] == "EU"

    async def test_unknown_caption_lists_captions(self, make: Make) -> None:
        twin = make({("GET", "service/tickets/5"): respond(200, {"customFields": ENTRIES})})
        with pytest.raises(UnknownNameError) as caught:
            await twin.call("set_custom_field", 5, "Colour", "red")
        assert caught.value.argument == "caption"
        assert caught.value.valid == ["Region", "Seats"]
        assert twin.router.calls() == [CUSTOM_FIELDS]

    async def test_ticket_without_custom_fields(self, make: Make) -> None:
        twin = make({("GET", "service/tickets/5"): respond(200, {"id": 5})})
        with pytest.raises(UnknownNameError, match="valid: none"):
            await twin.call("set_custom_field", 5, "Region", "x")
        assert twin.router.calls() == [CUSTOM_FIELDS]


class TestNotes:
    @pytest.mark.parametrize(
        ("internal", "detail", "resolution", "flags"),
        [
            (True, None, False, (True, False, False)),
            (False, None, False, (False, True, False)),
            (True, True, False, (True, True, False)),
            (False, False, True, (False, False, True)),
        ],
    )
    async def test_visibility_flags(
        self,
        make: Make,
        internal: bool,
        detail: bool | None,
        resolution: bool,
        flags: tuple[bool, ...],
    ) -> None:
        path = "service/tickets/5/notes"
        twin = make({("POST", path): respond(201, {"id": 1, "text": "Investigating"})})
        result = await twin.call(
            "add_ticket_note",
            5,
            " Investigating ",
            internal,
            detail=detail,
            resolution=resolution,
        )
        assert twin.router.calls() == [
            sent(
                "POST",
                path,
                json={
                    "text": "Investigating",
                    "internalAnalysisFlag": flags[0],
                    "detailDescriptionFlag": flags[1],
                    "resolutionFlag": flags[2],
                },
            )
        ]
        assert isinstance(result, Note)

    async def test_company_note(self, make: Make) -> None:
        path = "company/companies/250/notes"
        twin = make({("POST", path): respond(201, {"id": 2})})
        result = await twin.call("add_company_note", 250, "Called", flagged=True)
        assert twin.router.calls() == [sent("POST", path, json={"text": "Called", "flagged": True})]
        assert isinstance(result, CompanyNote)


class TestConfigurations:
    async def test_attach_and_detach(self, make: Make) -> None:
        twin = make(
            {
                ("POST", "service/tickets/5/configurations"): respond(201, {"id": 67890}),
                ("GET", "company/configurations/67890"): respond(
                    200, {"id": 67890, "name": "PROD-WEB-01"}
                ),
                ("DELETE", "service/tickets/5/configurations/67890"): respond(204),
            }
        )
        result = await twin.call("attach_configuration", 5, 67890)
        assert twin.router.calls() == [
            sent("POST", "service/tickets/5/configurations", json={"id": 67890}),
            sent("GET", "company/configurations/67890"),
        ]
        assert isinstance(result, Configuration) and result.name == "PROD-WEB-01"
        assert await twin.call("detach_configuration", 5, 67890) is True
        assert twin.router.calls()[2:] == [sent("DELETE", "service/tickets/5/configurations/67890")]

    async def test_attach_answers_the_reference_when_the_configuration_vanished(
        self, make: Make
    ) -> None:
        twin = make({("POST", "service/tickets/5/configurations"): respond(201, {"id": 67890})})
        result = await twin.call("attach_configuration", 5, 67890)
        assert isinstance(result, Configuration) and result.id == 67890


class TestCallbacksAndHealth:
    async def test_register_owner_level(self, make: Make) -> None:
        twin = make({("POST", "system/callbacks"): respond(201, {"id": 3})})
        result = await twin.call(
            "register_callback", "https://h.test/cw", "ticket", "owner", description="sync"
        )
        assert twin.router.calls() == [
            sent(
                "POST",
                "system/callbacks",
                json={
                    "url": "https://h.test/cw",
                    "type": "ticket",
                    "level": "owner",
                    "objectId": 1,
                    "inactiveFlag": False,
                    "description": "sync",
                },
            )
        ]
        assert isinstance(result, Callback)

    async def test_register_board_level_and_delete(self, make: Make) -> None:
        twin = make(
            {
                ("POST", "system/callbacks"): respond(201, {}),
                ("DELETE", "system/callbacks/3"): respond(204),
            }
        )
        await twin.call(
            "register_callback", "https://h.test/cw", "ticket", "board", object_id=7, inactive=True
        )
        assert twin.router.calls() == [
            sent(
                "POST",
                "system/callbacks",
                json={
                    "url": "https://h.test/cw",
                    "type": "ticket",
                    "level": "board",
                    "objectId": 7,
                    "inactiveFlag": True,
                },
            )
        ]
        assert await twin.call("delete_callback", 3) is True
        assert twin.router.calls()[1:] == [sent("DELETE", "system/callbacks/3")]

    async def test_ping_and_system_info(self, make: Make) -> None:
        info = {"version": "v2025.8", "isCloud": False}
        twin = make({("GET", "system/info"): respond(200, info)})
        assert await twin.call("ping") is True
        assert twin.router.calls() == [sent("GET", "system/info")]
        result = await twin.call("system_info")
        assert isinstance(result, SystemInfo) and result.version == "v2025.8"
        assert twin.router.calls()[1:] == [sent("GET", "system/info")]

    async def test_system_info_with_an_empty_body(self, make: Make) -> None:
        # was a SystemInfo of {} (version None); now a body that is not one record is an error
        twin = make({("GET", "system/info"): respond(200)})
        assert await twin.call("ping") is True
        with pytest.raises(ConnectWiseResponseError, match="empty body"):
            await twin.call("system_info")
        assert twin.router.calls() == [sent("GET", "system/info")] * 2


async def test_a_closed_client_refuses_to_send(make: Make) -> None:
    twin = make({("GET", "service/tickets/5"): respond(200, {"id": 5})})
    await twin.close()
    with pytest.raises(ConnectWiseClosedError):
        await twin.call("get_ticket", 5)
    assert twin.router.requests == []


async def test_the_async_client_closes_with_close_as_well() -> None:
    twin = Twin("async", Router({("GET", "system/info"): respond(200, {})}))
    await twin.client.close()
    with pytest.raises(ConnectWiseClosedError):
        await twin.client.ping()
    assert twin.router.requests == []
