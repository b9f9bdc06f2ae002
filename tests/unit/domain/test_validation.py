"""Bad input fails before any request: each operation raises before its first yield."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cw_facade._defaults import TicketDefaults
from cw_facade._errors import ConnectWiseConfigurationError, ConnectWiseError
from cw_facade._operations import callbacks, companies, configurations, notes, tickets
from cw_facade._operations.lookups import LookupCache
from cw_facade._request import Operation
from cw_facade._validation import (
    InvalidArgumentError,
    MissingArgumentError,
    UnknownNameError,
    check_id,
    check_webhook_url,
)


def fails_before_any_request(op: Operation[Any], argument: str) -> InvalidArgumentError:
    """Start ``op``; it must raise (naming ``argument``) instead of yielding a request."""
    with pytest.raises(InvalidArgumentError) as caught:
        next(op)
    assert caught.value.argument == argument
    assert str(caught.value).startswith(f"{argument}: ")
    return caught.value


def new(summary: Any = "Server offline", **kwargs: Any) -> tickets.NewTicket:
    return tickets.NewTicket(summary, **kwargs)


def create(ticket: tickets.NewTicket, defaults: TicketDefaults | None = None) -> Operation[Any]:
    return tickets.create_ticket(ticket, defaults, LookupCache())


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


ID_OPERATIONS: list[tuple[str, Callable[[Any], Operation[Any]]]] = [
    ("ticket_id", tickets.get_ticket),
    ("ticket_id", tickets.delete_ticket),
    ("ticket_id", lambda bad: tickets.update_ticket_field(bad, "summary", "x")),
    ("ticket_id", lambda bad: tickets.set_custom_field(bad, "Region", "EU")),
    ("ticket_id", lambda bad: tickets.update_ticket_status(bad, 5, None, LookupCache())),
    ("status_id", lambda bad: tickets.update_ticket_status(1, bad, None, LookupCache())),
    ("priority_id", lambda bad: tickets.update_ticket_priority(1, bad, None, LookupCache())),
    ("ticket_id", lambda bad: notes.add_ticket_note(bad, "text", True, None, False)),
    ("company_id", lambda bad: notes.add_company_note(bad, "text", False)),
    ("config_id", configurations.get_configuration),
    ("config_id", lambda bad: configurations.attach_configuration(1, bad)),
    ("ticket_id", lambda bad: configurations.attach_configuration(bad, 1)),
    ("config_id", lambda bad: configurations.detach_configuration(1, bad)),
    ("company_id", companies.get_company),
    ("contact_id", companies.get_contact),
    ("callback_id", callbacks.delete_callback),
    ("company_id", lambda bad: create(new(company_id=bad))),
    ("board_id", lambda bad: create(new(company_id=1, board_id=bad))),
    ("priority_id", lambda bad: create(new(company_id=1, priority_id=bad))),
    ("source_id", lambda bad: create(new(company_id=1, source_id=bad))),
]


@pytest.mark.parametrize(("argument", "make"), ID_OPERATIONS)
@pytest.mark.parametrize("bad", [0, -3, True, "12"])
def test_bad_ids_fail_before_any_request(
    argument: str, make: Callable[[Any], Operation[Any]], bad: Any
) -> None:
    fails_before_any_request(make(bad), argument)


class TestCreateTicket:
    @pytest.mark.parametrize("summary", ["", "   ", None, 5, "x" * 101])
    def test_summary(self, summary: Any) -> None:
        fails_before_any_request(create(new(summary, company_id=1)), "summary")

    def test_summary_of_exactly_100_characters_is_fine(self) -> None:
        op = create(new("x" * 100, company_id=1))
        assert next(op).json["summary"] == "x" * 100

    def test_over_long_summary_message_says_the_limit(self) -> None:
        error = fails_before_any_request(create(new("y" * 150, company_id=1)), "summary")
        assert "150" in str(error) and "100" in str(error)

    def test_missing_company_without_default(self) -> None:
        error = fails_before_any_request(create(new()), "company_id")
        assert isinstance(error, MissingArgumentError)
        fails_before_any_request(create(new(), TicketDefaults(board_id=1)), "company_id")

    def test_body_must_be_text(self) -> None:
        fails_before_any_request(create(new(company_id=1, body=42)), "body")

    def test_both_id_and_name(self) -> None:
        fails_before_any_request(create(new(company_id=1, board_id=1, board="HD")), "board_id")
        op = create(new(company_id=1, priority_id=1, priority="High"))
        fails_before_any_request(op, "priority_id")

    def test_empty_names_fail_before_a_lookup(self) -> None:
        fails_before_any_request(create(new(company_id=1, board="HD", priority=" ")), "priority")
        fails_before_any_request(create(new(company_id=1, board="")), "board")

    def test_snake_case_extra_fields_are_refused(self) -> None:
        op = create(new(company_id=1, fields={"contact_name": "Ann"}))
        error = fails_before_any_request(op, "fields")
        assert "camelCase" in str(error)

    def test_an_argument_also_in_fields(self) -> None:
        op = create(new(company_id=1, fields={"company": {"id": 2}}))
        fails_before_any_request(op, "company_id")
        fails_before_any_request(create(new(company_id=1, fields={"summary": "x"})), "summary")
        op = create(new(company_id=1, board="HD", fields={"board": {"id": 2}}))
        fails_before_any_request(op, "board")


@pytest.mark.parametrize("bad", [0, -1, True, "1"])
def test_ticket_defaults_validate_their_ids(bad: Any) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        TicketDefaults(priority_id=bad)
    assert caught.value.argument == "priority_id"


class TestUpdates:
    def test_status_needs_exactly_one_of_id_and_name(self) -> None:
        fails_before_any_request(
            tickets.update_ticket_status(1, None, None, LookupCache()), "status_id"
        )
        op = tickets.update_ticket_status(1, 5, "Resolved", LookupCache())
        fails_before_any_request(op, "status_id")
        fails_before_any_request(
            tickets.update_ticket_status(1, None, " ", LookupCache()), "status"
        )

    def test_priority_needs_exactly_one_of_id_and_name(self) -> None:
        op = tickets.update_ticket_priority(1, None, None, LookupCache())
        assert isinstance(fails_before_any_request(op, "priority_id"), MissingArgumentError)
        op = tickets.update_ticket_priority(1, None, "", LookupCache())
        fails_before_any_request(op, "priority")

    @pytest.mark.parametrize("path", ["", "/", "a//b", "status/", None, 5])
    def test_field_path(self, path: Any) -> None:
        fails_before_any_request(tickets.update_ticket_field(1, path, "x"), "field_path")

    @pytest.mark.parametrize("caption", ["", "  ", None])
    def test_custom_field_caption(self, caption: Any) -> None:
        fails_before_any_request(tickets.set_custom_field(1, caption, "x"), "caption")


class TestNotes:
    @pytest.mark.parametrize("text", ["", "  \n", None, 3])
    def test_note_text(self, text: Any) -> None:
        fails_before_any_request(notes.add_ticket_note(1, text, True, None, False), "note_text")
        fails_before_any_request(notes.add_company_note(1, text, False), "note_text")

    def test_a_note_without_any_visibility(self) -> None:
        op = notes.add_ticket_note(1, "text", False, False, False)
        error = fails_before_any_request(op, "internal")
        assert "visibility" in str(error)

    @pytest.mark.parametrize(
        ("internal", "detail", "resolution", "argument"),
        [
            ("yes", None, False, "internal"),
            (True, 1, False, "detail"),
            (True, None, None, "resolution"),
        ],
    )
    def test_flags_must_be_bools(
        self, internal: Any, detail: Any, resolution: Any, argument: str
    ) -> None:
        op = notes.add_ticket_note(1, "text", internal, detail, resolution)
        fails_before_any_request(op, argument)

    def test_company_note_flag(self) -> None:
        fails_before_any_request(notes.add_company_note(1, "x", "no"), "flagged")


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
    def test_bad_webhook_urls(self, url: Any) -> None:
        op = callbacks.register_callback(url, "ticket", "owner", None, None, False)
        error = fails_before_any_request(op, "url")
        assert "pw" not in str(error)

    @pytest.mark.parametrize(
        "url", ["http://127.0.0.1:8000/cw", "http://localhost/x", "http://[::1]:9/"]
    )
    def test_http_for_loopback_hosts(self, url: str) -> None:
        assert check_webhook_url(url) == url

    def test_http_elsewhere_only_when_allowed(self) -> None:
        assert check_webhook_url("http://hooks.example.com/cw", allow_http=True)

    def test_levels_other_than_owner_need_an_object_id(self) -> None:
        op = callbacks.register_callback("https://h.test/cw", "ticket", "board", None, None, False)
        fails_before_any_request(op, "object_id")

    def test_type_level_description_and_inactive(self) -> None:
        url = "https://h.test/cw"
        fails_before_any_request(
            callbacks.register_callback(url, "", "owner", None, None, False), "type"
        )
        fails_before_any_request(
            callbacks.register_callback(url, "ticket", "", None, None, False), "level"
        )
        op = callbacks.register_callback(url, "ticket", "owner", None, "d" * 101, False)
        fails_before_any_request(op, "description")
        op = callbacks.register_callback(url, "ticket", "owner", None, None, "no")
        fails_before_any_request(op, "inactive")
        op = callbacks.register_callback(url, "ticket", "owner", 0, None, False)
        fails_before_any_request(op, "object_id")
