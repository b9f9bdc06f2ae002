"""Ticket operations: get, create, update status/priority/field/custom field, delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cw_facade._defaults import TicketDefaults
from cw_facade._operations._common import as_model, get_by_id, ref, replace
from cw_facade._operations.lookups import (
    LookupCache,
    resolve_board,
    resolve_priority,
    resolve_status,
    ticket_board_id,
)
from cw_facade._request import APIRequest, Operation
from cw_facade._validation import (
    InvalidArgumentError,
    MissingArgumentError,
    UnknownNameError,
    check_api_field_names,
    check_field_path,
    check_id,
    check_one_of,
    check_optional_id,
    check_optional_text,
    check_summary,
    check_text,
)
from cw_facade.models import Ticket
from cw_facade.models._service import custom_field_captions, find_custom_field

TICKETS_PATH = "service/tickets"
#: Fields read when a custom field is about to be changed.
_CUSTOM_FIELDS_QUERY = "id,customFields"


def ticket_path(ticket_id: Any) -> str:
    """``service/tickets/{id}`` after checking the id."""
    return f"{TICKETS_PATH}/{check_id('ticket_id', ticket_id)}"


def get_ticket(ticket_id: Any) -> Operation[Ticket | None]:
    """The ticket, or ``None`` when it does not exist."""
    return (yield from get_by_id(Ticket, TICKETS_PATH, "ticket_id", ticket_id))


@dataclass(frozen=True, slots=True)
class NewTicket:
    """The arguments of ``create_ticket``, before defaults and name lookups."""

    summary: Any
    body: Any = None
    company_id: Any = None
    board_id: Any = None
    priority_id: Any = None
    source_id: Any = None
    board: Any = None
    priority: Any = None
    fields: dict[str, Any] | None = None


#: ``create_ticket`` id arguments (also :class:`TicketDefaults` fields) and their API keys.
_REFERENCE_ARGUMENTS = {
    "company_id": "company",
    "board_id": "board",
    "priority_id": "priority",
    "source_id": "source",
}
#: Every :class:`TicketDefaults` field and its API key.
_DEFAULTED = {
    **_REFERENCE_ARGUMENTS,
    "status_id": "status",
    "type_id": "type",
    "team_id": "team",
    "contact_id": "contact",
}


def _check_new_ticket(new: NewTicket) -> None:
    check_summary(new.summary)
    check_optional_text("body", new.body)
    for argument in _REFERENCE_ARGUMENTS:
        check_optional_id(argument, getattr(new, argument))
    extra = new.fields or {}
    check_api_field_names("fields", extra.keys())
    for name in ("board", "priority"):
        if getattr(new, name) is None:
            continue
        check_text(name, getattr(new, name))
        if getattr(new, f"{name}_id") is not None:
            raise InvalidArgumentError(f"{name}_id", f"give {name}_id or {name}, not both")
        if name in extra:
            raise InvalidArgumentError(name, f"{name!r} is also given in fields")


def _put(body: dict[str, Any], key: str, value: Any, argument: str) -> None:
    if key in body:
        raise InvalidArgumentError(argument, f"{key!r} is also given in fields")
    body[key] = value


def _ticket_body(new: NewTicket, defaults: TicketDefaults) -> dict[str, Any]:
    """The POST body: explicit arguments, then ``fields``, then ``defaults`` for the rest."""
    body = dict(new.fields or {})
    _put(body, "summary", check_summary(new.summary), "summary")
    description = check_optional_text("body", new.body)
    if description is not None:
        _put(body, "initialDescription", description, "body")
    for argument, key in _REFERENCE_ARGUMENTS.items():
        value = getattr(new, argument)
        if value is not None:
            _put(body, key, ref(value), argument)
    named = {name for name in ("board", "priority") if getattr(new, name) is not None}
    for argument, key in _DEFAULTED.items():
        value = getattr(defaults, argument)
        if value is not None and key not in body and key not in named:
            body[key] = ref(value)
    if "company" not in body:
        raise MissingArgumentError("company_id", "no company_id given and no default set")
    return body


def create_ticket(
    new: NewTicket, defaults: TicketDefaults | None, cache: LookupCache
) -> Operation[Ticket]:
    """POST a new ticket; board and priority names are resolved to ids first."""
    _check_new_ticket(new)
    body = _ticket_body(new, defaults or TicketDefaults())
    if new.board is not None:
        body["board"] = ref((yield from resolve_board(cache, new.board)))
    if new.priority is not None:
        body["priority"] = ref((yield from resolve_priority(cache, new.priority)))
    created = yield APIRequest("POST", TICKETS_PATH, json=body)
    return as_model(Ticket, created)


def update_ticket_status(
    ticket_id: Any, status_id: Any, status: Any, cache: LookupCache
) -> Operation[Ticket]:
    """Move the ticket to a status given by id, or by name on the ticket's own board."""
    path = ticket_path(ticket_id)
    check_one_of("status_id", status_id, status, "status")
    if status_id is None:
        check_text("status", status)
        board_id = yield from ticket_board_id(ticket_id)
        status_id = yield from resolve_status(cache, board_id, status)
    body = yield APIRequest(
        "PATCH", path, json=replace("status", ref(check_id("status_id", status_id)))
    )
    return as_model(Ticket, body)


def update_ticket_priority(
    ticket_id: Any, priority_id: Any, priority: Any, cache: LookupCache
) -> Operation[Ticket]:
    """Change the ticket's priority, given by id or by name."""
    path = ticket_path(ticket_id)
    check_one_of("priority_id", priority_id, priority, "priority")
    if priority_id is None:
        priority_id = yield from resolve_priority(cache, priority)
    body = yield APIRequest(
        "PATCH", path, json=replace("priority", ref(check_id("priority_id", priority_id)))
    )
    return as_model(Ticket, body)


def update_ticket_field(ticket_id: Any, field_path: Any, value: Any) -> Operation[Ticket]:
    """Replace one field (``"summary"``, ``"/status/id"``) with ``value`` (JSON Patch)."""
    path = ticket_path(ticket_id)
    body = yield APIRequest("PATCH", path, json=replace(check_field_path(field_path), value))
    return as_model(Ticket, body)


def set_custom_field(ticket_id: Any, caption: Any, value: Any) -> Operation[Ticket]:
    """Set the custom field captioned ``caption``; the whole list is written back."""
    path = ticket_path(ticket_id)
    wanted = check_text("caption", caption)
    current = yield APIRequest("GET", path, params={"fields": _CUSTOM_FIELDS_QUERY})
    entries = current.get("customFields") if isinstance(current, dict) else None
    entry = find_custom_field(entries, wanted)
    if entry is None or not isinstance(entries, list):
        where = f"on ticket {ticket_id}"
        raise UnknownNameError("caption", wanted, custom_field_captions(entries), where)
    updated = [{**item, "value": value} if item is entry else item for item in entries]
    body = yield APIRequest("PATCH", path, json=replace("customFields", updated))
    return as_model(Ticket, body)


def delete_ticket(ticket_id: Any) -> Operation[bool]:
    """Delete the ticket; ``True`` once done (a missing ticket raises)."""
    yield APIRequest("DELETE", ticket_path(ticket_id))
    return True
