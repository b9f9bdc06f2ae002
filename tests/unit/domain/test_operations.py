"""Operations driven by hand: the exact requests they yield and what they make of answers."""

from __future__ import annotations

from typing import Any

import pytest

from cw_facade._defaults import TicketDefaults
from cw_facade._operations import callbacks, companies, configurations, lookups, notes, tickets
from cw_facade._operations._common import LOOKUP_PAGE_SIZE
from cw_facade._operations.lookups import LookupCache
from cw_facade._request import APIRequest
from cw_facade._validation import InvalidArgumentError, UnknownNameError
from cw_facade.models import (
    Callback,
    Company,
    CompanyNote,
    Configuration,
    ConfigurationReference,
    Contact,
    Note,
    SystemInfo,
    Ticket,
)

from .conftest import run

STATUSES = [
    {"id": 10, "name": "New", "board": {"id": 1}},
    {"id": 11, "name": "Resolved", "closedStatus": True, "inactive": True},
    {"id": 12, "name": "Resolved", "closedStatus": True},
    {"id": 13, "name": ">Waiting"},
]
PRIORITIES = [{"id": 8, "name": "Priority 3 - Normal"}, {"id": 4, "name": "High"}]
BOARDS = [{"id": 1, "name": "Help Desk"}, {"id": 2, "name": "Projects", "inactiveFlag": False}]


def patch(path: str, field: str, value: Any) -> APIRequest:
    return APIRequest("PATCH", path, json=[{"op": "replace", "path": field, "value": value}])


class TestLookupsById:
    @pytest.mark.parametrize(
        ("op", "path", "model"),
        [
            (tickets.get_ticket(5), "service/tickets/5", Ticket),
            (configurations.get_configuration(6), "company/configurations/6", Configuration),
            (companies.get_company(7), "company/companies/7", Company),
            (companies.get_contact(8), "company/contacts/8", Contact),
        ],
    )
    def test_found(self, op: Any, path: str, model: type[Any]) -> None:
        result, requests = run(op, {"id": 5, "name": "x"})
        assert requests == [APIRequest("GET", path, none_on_404=True)]
        assert type(result) is model
        assert result.raw == {"id": 5, "name": "x"}

    @pytest.mark.parametrize(
        "op",
        [
            tickets.get_ticket(5),
            configurations.get_configuration(6),
            companies.get_company(7),
            companies.get_contact(8),
        ],
    )
    def test_missing_is_none(self, op: Any) -> None:
        result, requests = run(op, None)
        assert result is None
        assert requests[0].none_on_404 is True


class TestCreateTicket:
    def test_toolkit_arguments(self) -> None:
        new = tickets.NewTicket("Server offline", "PROD-WEB-01 is unreachable", 250, 1, 8, 42)
        result, requests = run(
            tickets.create_ticket(new, None, LookupCache()), {"id": 99, "summary": "Server offline"}
        )
        assert requests == [
            APIRequest(
                "POST",
                "service/tickets",
                json={
                    "summary": "Server offline",
                    "initialDescription": "PROD-WEB-01 is unreachable",
                    "company": {"id": 250},
                    "board": {"id": 1},
                    "priority": {"id": 8},
                    "source": {"id": 42},
                },
            )
        ]
        assert isinstance(result, Ticket) and result.id == 99
        assert requests[0].idempotent is False

    def test_defaults_fill_only_what_is_missing(self) -> None:
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
        new = tickets.NewTicket(
            "  Disk full  ", None, None, 2, None, None, fields={"type": {"id": 9}}
        )
        _, requests = run(tickets.create_ticket(new, defaults, LookupCache()), {"id": 1})
        assert requests[0].json == {
            "type": {"id": 9},
            "summary": "Disk full",
            "board": {"id": 2},
            "company": {"id": 250},
            "priority": {"id": 8},
            "source": {"id": 42},
            "status": {"id": 3},
            "team": {"id": 5},
            "contact": {"id": 6},
        }

    def test_fields_may_give_the_company(self) -> None:
        new = tickets.NewTicket(
            "x", fields={"company": {"identifier": "Acme"}, "contactName": "Ann"}
        )
        _, requests = run(
            tickets.create_ticket(new, TicketDefaults(company_id=1), LookupCache()), {}
        )
        assert requests[0].json == {
            "company": {"identifier": "Acme"},
            "contactName": "Ann",
            "summary": "x",
        }

    def test_board_and_priority_names_are_resolved_once_and_cached(self) -> None:
        cache = LookupCache()
        new = tickets.NewTicket("x", company_id=1, board="help desk", priority=" HIGH ")
        _, requests = run(tickets.create_ticket(new, None, cache), BOARDS, PRIORITIES, {"id": 3})
        page = {"page": 1, "pageSize": LOOKUP_PAGE_SIZE}
        assert requests[:2] == [
            APIRequest("GET", "service/boards", params=page),
            APIRequest("GET", "service/priorities", params=page),
        ]
        assert requests[2].json == {
            "summary": "x",
            "company": {"id": 1},
            "board": {"id": 1},
            "priority": {"id": 4},
        }
        _, again = run(tickets.create_ticket(new, None, cache), {"id": 4})
        assert [r.method for r in again] == ["POST"]

    def test_name_beats_a_default_id(self) -> None:
        new = tickets.NewTicket("x", board="Projects")
        defaults = TicketDefaults(company_id=1, board_id=1)
        _, requests = run(tickets.create_ticket(new, defaults, LookupCache()), BOARDS, {})
        assert requests[1].json["board"] == {"id": 2}

    def test_unknown_board_name_lists_valid_names(self) -> None:
        op = tickets.create_ticket(
            tickets.NewTicket("x", company_id=1, board="Nope"), None, LookupCache()
        )
        assert next(op).path == "service/boards"
        with pytest.raises(UnknownNameError) as caught:
            op.send(BOARDS)
        assert caught.value.argument == "board"
        assert caught.value.valid == ["Help Desk", "Projects"]
        assert "'Help Desk', 'Projects'" in str(caught.value)


class TestStatusByName:
    def test_resolves_on_the_tickets_board_and_prefers_active_statuses(self) -> None:
        cache = LookupCache()
        op = tickets.update_ticket_status(5, None, "resolved", cache)
        result, requests = run(op, {"id": 5, "board": {"id": 1}}, STATUSES, {"id": 5})
        assert requests == [
            APIRequest("GET", "service/tickets/5", params={"fields": "id,board"}),
            APIRequest("GET", "service/boards/1/statuses", params={"page": 1, "pageSize": 1000}),
            patch("service/tickets/5", "status", {"id": 12}),
        ]
        assert isinstance(result, Ticket)

    def test_cache_hit_skips_the_status_list(self) -> None:
        cache = LookupCache()
        run(tickets.update_ticket_status(5, None, "New", cache), {"board": {"id": 1}}, STATUSES, {})
        _, requests = run(
            tickets.update_ticket_status(6, None, "New", cache), {"board": {"id": 1}}, {}
        )
        assert [r.method + " " + r.path for r in requests] == [
            "GET service/tickets/6",
            "PATCH service/tickets/6",
        ]

    def test_a_miss_refreshes_the_cache_once(self) -> None:
        cache = LookupCache()
        run(tickets.update_ticket_status(5, None, "New", cache), {"board": {"id": 1}}, STATUSES, {})
        fresh = [*STATUSES, {"id": 14, "name": "Escalated"}]
        op = tickets.update_ticket_status(5, None, "Escalated", cache)
        _, requests = run(op, {"board": {"id": 1}}, fresh, {})
        assert requests[1].path == "service/boards/1/statuses"
        assert requests[2].json[0]["value"] == {"id": 14}

    def test_unknown_status_after_refresh_raises_with_valid_names(self) -> None:
        op = tickets.update_ticket_status(5, None, "Closed", LookupCache())
        next(op)
        op.send({"board": {"id": 1}})
        with pytest.raises(UnknownNameError) as caught:
            op.send(STATUSES)
        assert caught.value.argument == "status"
        assert "on board 1" in str(caught.value)
        assert caught.value.valid == [">Waiting", "New", "Resolved"]

    def test_ticket_without_board(self) -> None:
        op = tickets.update_ticket_status(5, None, "New", LookupCache())
        next(op)
        with pytest.raises(InvalidArgumentError) as caught:
            op.send({"id": 5})
        assert caught.value.argument == "status"

    def test_status_lists_are_paged(self) -> None:
        big = [{"id": i, "name": f"S{i}"} for i in range(1, LOOKUP_PAGE_SIZE + 1)]
        op = tickets.update_ticket_status(5, None, "Last", LookupCache())
        _, requests = run(op, {"board": {"id": 2}}, big, [{"id": 5000, "name": "Last"}], {})
        assert [r.params.get("page") for r in requests[1:3]] == [1, 2]
        assert requests[3].json[0]["value"] == {"id": 5000}


class TestUpdates:
    def test_status_by_id(self) -> None:
        _, requests = run(tickets.update_ticket_status(5, 456, None, LookupCache()), {"id": 5})
        assert requests == [patch("service/tickets/5", "status", {"id": 456})]

    def test_priority_by_id_and_by_name(self) -> None:
        _, requests = run(tickets.update_ticket_priority(5, 8, None, LookupCache()), {})
        assert requests == [patch("service/tickets/5", "priority", {"id": 8})]
        op = tickets.update_ticket_priority(5, None, "high", LookupCache())
        _, requests = run(op, PRIORITIES, {})
        assert requests[0].path == "service/priorities"
        assert requests[1] == patch("service/tickets/5", "priority", {"id": 4})

    @pytest.mark.parametrize(
        ("given", "sent"), [("/summary", "summary"), ("status/id", "status/id")]
    )
    def test_field_path_loses_its_leading_slash(self, given: str, sent: str) -> None:
        result, requests = run(
            tickets.update_ticket_field(5, given, "v"), {"id": 5, "summary": "v"}
        )
        assert requests == [patch("service/tickets/5", sent, "v")]
        assert result.summary == "v"

    def test_delete(self) -> None:
        result, requests = run(tickets.delete_ticket(5), None)
        assert result is True
        assert requests == [APIRequest("DELETE", "service/tickets/5")]


ENTRIES = [
    {"id": 1, "caption": "Region", "type": "Text", "value": "EU"},
    {"id": 2, "caption": "Seats", "type": "Number", "value": 3},
]


class TestCustomFields:
    @pytest.mark.parametrize("value", ["US", 7, True, None, 2.5])
    def test_set_replaces_the_whole_list(self, value: Any) -> None:
        op = tickets.set_custom_field(5, "region", value)
        _, requests = run(op, {"id": 5, "customFields": ENTRIES}, {"id": 5})
        assert requests[0] == APIRequest(
            "GET", "service/tickets/5", params={"fields": "id,customFields"}
        )
        assert requests[1] == patch(
            "service/tickets/5",
            "customFields",
            [{**ENTRIES[0], "value": value}, ENTRIES[1]],
        )
        assert ENTRIES[0]["value"] == "EU"  # the answer was not modified in place

    def test_unknown_caption_lists_captions(self) -> None:
        op = tickets.set_custom_field(5, "Colour", "red")
        next(op)
        with pytest.raises(UnknownNameError) as caught:
            op.send({"customFields": ENTRIES})
        assert caught.value.argument == "caption"
        assert caught.value.valid == ["Region", "Seats"]

    def test_ticket_without_custom_fields(self) -> None:
        op = tickets.set_custom_field(5, "Region", "x")
        next(op)
        with pytest.raises(UnknownNameError, match="valid: none"):
            op.send({"id": 5})


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
    def test_visibility_flags(
        self, internal: bool, detail: bool | None, resolution: bool, flags: tuple[bool, ...]
    ) -> None:
        op = notes.add_ticket_note(5, " Investigating ", internal, detail, resolution)
        result, requests = run(op, {"id": 1, "text": "Investigating"})
        assert requests == [
            APIRequest(
                "POST",
                "service/tickets/5/notes",
                json={
                    "text": "Investigating",
                    "internalAnalysisFlag": flags[0],
                    "detailDescriptionFlag": flags[1],
                    "resolutionFlag": flags[2],
                },
            )
        ]
        assert isinstance(result, Note)

    def test_company_note(self) -> None:
        result, requests = run(notes.add_company_note(250, "Called", True), {"id": 2})
        assert requests == [
            APIRequest(
                "POST", "company/companies/250/notes", json={"text": "Called", "flagged": True}
            )
        ]
        assert isinstance(result, CompanyNote)


class TestConfigurations:
    def test_attach_and_detach(self) -> None:
        result, requests = run(configurations.attach_configuration(5, 67890), {"id": 67890})
        assert requests == [
            APIRequest("POST", "service/tickets/5/configurations", json={"id": 67890})
        ]
        assert isinstance(result, ConfigurationReference)
        result, requests = run(configurations.detach_configuration(5, 67890), None)
        assert result is True
        assert requests == [APIRequest("DELETE", "service/tickets/5/configurations/67890")]


class TestCallbacksAndHealth:
    def test_register_owner_level(self) -> None:
        op = callbacks.register_callback(
            "https://h.test/cw", "ticket", "owner", None, "sync", False
        )
        result, requests = run(op, {"id": 3})
        assert requests == [
            APIRequest(
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

    def test_register_board_level_and_delete(self) -> None:
        op = callbacks.register_callback("https://h.test/cw", "ticket", "board", 7, None, True)
        _, requests = run(op, {})
        assert requests[0].json["objectId"] == 7 and requests[0].json["inactiveFlag"] is True
        assert "description" not in requests[0].json
        result, requests = run(callbacks.delete_callback(3), None)
        assert (result, requests) == (True, [APIRequest("DELETE", "system/callbacks/3")])

    def test_ping_and_system_info(self) -> None:
        result, requests = run(lookups.ping(), {"version": "v1"})
        assert (result, requests) == (True, [APIRequest("GET", "system/info")])
        info, _ = run(lookups.system_info(), {"version": "v2025.8", "isCloud": False})
        assert isinstance(info, SystemInfo) and info.version == "v2025.8"
        info, _ = run(lookups.system_info(), None)
        assert info.version is None
