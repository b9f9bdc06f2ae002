"""Bad input fails before any request: each domain method raises and nothing is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cw_facade._defaults import TicketDefaults
from cw_facade._domain import tickets
from cw_facade._errors import ConnectWiseConfigurationError, ConnectWiseError
from cw_facade._validation import (
    InvalidArgumentError,
    MissingArgumentError,
    UnknownNameError,
    check_id,
    check_webhook_url,
)

from .conftest import Twin, body_of, respond

Make = Callable[..., Twin]
#: A domain method call: its name, positional and keyword arguments.
Call = tuple[str, tuple[Any, ...], dict[str, Any]]

SUMMARY = "Server offline"


async def fails_before_any_request(
    twin: Twin, argument: str, name: str, *args: Any, **kwargs: Any
) -> InvalidArgumentError:
    """Call method ``name``: it must raise (naming ``argument``) and send nothing."""
    with pytest.raises(InvalidArgumentError) as caught:
        await twin.call(name, *args, **kwargs)
    assert caught.value.argument == argument
    assert str(caught.value).startswith(f"{argument}: ")
    assert twin.router.requests == []
    return caught.value


def test_errors_are_value_errors_in_the_connectwise_tree() -> None:
    error = InvalidArgumentError("ticket_id", "bad")
    assert isinstance(error, ValueError)
    assert isinstance(error, ConnectWiseConfigurationError)
    assert isinstance(error, ConnectWiseError)
    assert issubclass(MissingArgumentError, InvalidArgumentError)
    assert issubclass(UnknownNameError, InvalidArgumentError)


@pytest.mark.parametrize("bad", [0, -1, True, False, "5", 5.0, None, [5]])
def test_ids_must_be_positive_ints(bad: Any) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        check_id("ticket_id", bad)
    assert caught.value.argument == "ticket_id"


ID_CALLS: list[tuple[str, Callable[[Any], Call]]] = [
    ("ticket_id", lambda bad: ("get_ticket", (bad,), {})),
    ("ticket_id", lambda bad: ("delete_ticket", (bad,), {})),
    ("ticket_id", lambda bad: ("update_ticket_field", (bad, "summary", "x"), {})),
    ("ticket_id", lambda bad: ("set_custom_field", (bad, "Region", "EU"), {})),
    ("ticket_id", lambda bad: ("update_ticket_status", (bad, 5), {})),
    ("status_id", lambda bad: ("update_ticket_status", (1, bad), {})),
    ("priority_id", lambda bad: ("update_ticket_priority", (1, bad), {})),
    ("ticket_id", lambda bad: ("add_ticket_note", (bad, "text", True), {})),
    ("company_id", lambda bad: ("add_company_note", (bad, "text"), {"flagged": False})),
    ("config_id", lambda bad: ("get_configuration", (bad,), {})),
    ("config_id", lambda bad: ("attach_configuration", (1, bad), {})),
    ("ticket_id", lambda bad: ("attach_configuration", (bad, 1), {})),
    ("config_id", lambda bad: ("detach_configuration", (1, bad), {})),
    ("company_id", lambda bad: ("get_company", (bad,), {})),
    ("contact_id", lambda bad: ("get_contact", (bad,), {})),
    ("callback_id", lambda bad: ("delete_callback", (bad,), {})),
    ("company_id", lambda bad: ("create_ticket", (SUMMARY,), {"company_id": bad})),
    ("board_id", lambda bad: ("create_ticket", (SUMMARY,), {"company_id": 1, "board_id": bad})),
    (
        "priority_id",
        lambda bad: ("create_ticket", (SUMMARY,), {"company_id": 1, "priority_id": bad}),
    ),
    ("source_id", lambda bad: ("create_ticket", (SUMMARY,), {"company_id": 1, "source_id": bad})),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("argument", "call_of"), ID_CALLS)
@pytest.mark.parametrize("bad", [0, -3, True, "12"])
async def test_bad_ids_fail_before_any_request(
    make: Make, argument: str, call_of: Callable[[Any], Call], bad: Any
) -> None:
    name, args, kwargs = call_of(bad)
    await fails_before_any_request(make(), argument, name, *args, **kwargs)


@pytest.mark.anyio
class TestCreateTicket:
    @pytest.mark.parametrize("summary", ["", "   ", None, 5, "x" * 101])
    async def test_summary(self, make: Make, summary: Any) -> None:
        await fails_before_any_request(make(), "summary", "create_ticket", summary, company_id=1)

    async def test_summary_of_exactly_100_characters_is_fine(self, make: Make) -> None:
        twin = make({("POST", "service/tickets"): respond(201, {"id": 1})})
        await twin.call("create_ticket", "x" * 100, company_id=1)
        assert body_of(twin.router.last("POST"))["summary"] == "x" * 100

    async def test_over_long_summary_message_says_the_limit(self, make: Make) -> None:
        error = await fails_before_any_request(
            make(), "summary", "create_ticket", "y" * 150, company_id=1
        )
        assert "150" in str(error) and "100" in str(error)

    async def test_missing_company_without_default(self, make: Make) -> None:
        error = await fails_before_any_request(make(), "company_id", "create_ticket", SUMMARY)
        assert isinstance(error, MissingArgumentError)
        twin = make(ticket_defaults=TicketDefaults(board_id=1))
        await fails_before_any_request(twin, "company_id", "create_ticket", SUMMARY)

    async def test_body_must_be_text(self, make: Make) -> None:
        await fails_before_any_request(make(), "body", "create_ticket", SUMMARY, 42, company_id=1)

    async def test_both_id_and_name(self, make: Make) -> None:
        await fails_before_any_request(
            make(), "board_id", "create_ticket", SUMMARY, company_id=1, board_id=1, board="HD"
        )
        await fails_before_any_request(
            make(),
            "priority_id",
            "create_ticket",
            SUMMARY,
            company_id=1,
            priority_id=1,
            priority="High",
        )

    async def test_empty_names_fail_before_a_lookup(self, make: Make) -> None:
        await fails_before_any_request(
            make(), "priority", "create_ticket", SUMMARY, company_id=1, board="HD", priority=" "
        )
        await fails_before_any_request(
            make(), "board", "create_ticket", SUMMARY, company_id=1, board=""
        )

    async def test_snake_case_extra_fields_are_refused(self, make: Make) -> None:
        error = await fails_before_any_request(
            make(), "fields", "create_ticket", SUMMARY, company_id=1, contact_name="Ann"
        )
        assert "camelCase" in str(error)

    async def test_an_argument_also_in_fields(self, make: Make) -> None:
        await fails_before_any_request(
            make(), "company_id", "create_ticket", SUMMARY, company_id=1, company={"id": 2}
        )


@pytest.mark.parametrize(
    ("fields", "extra", "argument"),
    [({"summary": "x"}, {}, "summary"), ({"board": {"id": 2}}, {"board": "HD"}, "board")],
)
def test_an_argument_also_in_fields_by_its_own_name(
    fields: dict[str, Any], extra: dict[str, Any], argument: str
) -> None:
    # Python refuses ``create_ticket("s", summary="x")`` itself (TypeError, nothing sent), so
    # these clashes only reach the rules that create_ticket applies before sending.
    new = tickets.NewTicket(SUMMARY, company_id=1, fields=fields, **extra)
    with pytest.raises(InvalidArgumentError) as caught:
        tickets.check_new_ticket(new)
        tickets.ticket_body(new, None)
    assert caught.value.argument == argument
    assert str(caught.value).startswith(f"{argument}: ")


@pytest.mark.anyio
async def test_a_keyword_clashing_with_a_parameter_sends_nothing(make: Make) -> None:
    twin = make()
    with pytest.raises(TypeError):
        await twin.call("create_ticket", SUMMARY, company_id=1, **{"summary": "x"})
    assert twin.router.requests == []


@pytest.mark.parametrize("bad", [0, -1, True, "1"])
def test_ticket_defaults_validate_their_ids(bad: Any) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        TicketDefaults(priority_id=bad)
    assert caught.value.argument == "priority_id"


@pytest.mark.anyio
class TestUpdates:
    async def test_status_needs_exactly_one_of_id_and_name(self, make: Make) -> None:
        await fails_before_any_request(make(), "status_id", "update_ticket_status", 1)
        await fails_before_any_request(
            make(), "status_id", "update_ticket_status", 1, 5, status="Resolved"
        )
        await fails_before_any_request(make(), "status", "update_ticket_status", 1, status=" ")

    async def test_priority_needs_exactly_one_of_id_and_name(self, make: Make) -> None:
        error = await fails_before_any_request(make(), "priority_id", "update_ticket_priority", 1)
        assert isinstance(error, MissingArgumentError)
        await fails_before_any_request(make(), "priority", "update_ticket_priority", 1, priority="")

    @pytest.mark.parametrize("path", ["", "/", "a//b", "status/", None, 5])
    async def test_field_path(self, make: Make, path: Any) -> None:
        await fails_before_any_request(make(), "field_path", "update_ticket_field", 1, path, "x")

    @pytest.mark.parametrize("caption", ["", "  ", None])
    async def test_custom_field_caption(self, make: Make, caption: Any) -> None:
        await fails_before_any_request(make(), "caption", "set_custom_field", 1, caption, "x")


@pytest.mark.anyio
class TestNotes:
    @pytest.mark.parametrize("text", ["", "  \n", None, 3])
    async def test_note_text(self, make: Make, text: Any) -> None:
        await fails_before_any_request(make(), "note_text", "add_ticket_note", 1, text, True)
        await fails_before_any_request(make(), "note_text", "add_company_note", 1, text)

    async def test_a_note_without_any_visibility(self, make: Make) -> None:
        error = await fails_before_any_request(
            make(), "internal", "add_ticket_note", 1, "text", False, detail=False
        )
        assert "visibility" in str(error)

    @pytest.mark.parametrize(
        ("internal", "detail", "resolution", "argument"),
        [
            ("yes", None, False, "internal"),
            (True, 1, False, "detail"),
            (True, None, None, "resolution"),
        ],
    )
    async def test_flags_must_be_bools(
        self, make: Make, internal: Any, detail: Any, resolution: Any, argument: str
    ) -> None:
        await fails_before_any_request(
            make(),
            argument,
            "add_ticket_note",
            1,
            "text",
            internal,
            detail=detail,
            resolution=resolution,
        )

    async def test_company_note_flag(self, make: Make) -> None:
        await fails_before_any_request(make(), "flagged", "add_company_note", 1, "x", flagged="no")


URL = "https://h.test/cw"


@pytest.mark.anyio
class TestCallbacks:
    @pytest.mark.parametrize(
        "url",
        [
            "",
            "http://hooks.example.com/cw",
            "ftp://hooks.example.com/cw",
            "hooks.example.com/cw",
            "https:///nohost",
            "https://user:pw@hooks.example.com/cw",
            "https://hooks.example.com/a b",
            None,
        ],
    )
    async def test_bad_webhook_urls(self, make: Make, url: Any) -> None:
        error = await fails_before_any_request(make(), "url", "register_callback", url, "ticket")
        assert "pw" not in str(error)

    async def test_levels_other_than_owner_need_an_object_id(self, make: Make) -> None:
        await fails_before_any_request(
            make(), "object_id", "register_callback", URL, "ticket", "board"
        )

    async def test_type_level_description_and_inactive(self, make: Make) -> None:
        await fails_before_any_request(make(), "type", "register_callback", URL, "", "owner")
        await fails_before_any_request(make(), "level", "register_callback", URL, "ticket", "")
        await fails_before_any_request(
            make(), "description", "register_callback", URL, "ticket", description="d" * 101
        )
        await fails_before_any_request(
            make(), "inactive", "register_callback", URL, "ticket", inactive="no"
        )
        await fails_before_any_request(
            make(), "object_id", "register_callback", URL, "ticket", "owner", object_id=0
        )


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/cw", "http://localhost/x", "http://[::1]:9/"]
)
def test_http_for_loopback_hosts(url: str) -> None:
    assert check_webhook_url(url) == url


def test_http_elsewhere_only_when_allowed() -> None:
    assert check_webhook_url("http://hooks.example.com/cw", allow_http=True)
