"""Tickets: the arguments of ``create_ticket`` and its body, custom field updates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cw_facade._defaults import TicketDefaults
from cw_facade._domain._common import ref
from cw_facade._validation import (
    InvalidArgumentError,
    MissingArgumentError,
    UnknownNameError,
    check_api_field_names,
    check_optional_id,
    check_optional_text,
    check_summary,
    check_text,
)
from cw_facade.models._service import custom_field_captions, find_custom_field

#: Fields read when a custom field is about to be changed.
CUSTOM_FIELDS_QUERY = "id,customFields"


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


def check_new_ticket(new: NewTicket) -> None:
    """Refuse bad ``create_ticket`` arguments before anything is sent."""
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


def ticket_body(new: NewTicket, defaults: TicketDefaults | None) -> dict[str, Any]:
    """The POST body: explicit arguments, then ``fields``, then ``defaults`` for the rest."""
    defaults = defaults or TicketDefaults()
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


def custom_fields_update(current: Any, caption: Any, value: Any, ticket_id: int) -> list[Any]:
    """The whole ``customFields`` list of a ticket with the field ``caption`` set to ``value``.

    ConnectWise cannot patch one custom field alone: the whole list is written back. Raises
    :class:`~cw_facade.UnknownNameError` when the ticket has no field of that caption.
    """
    wanted = check_text("caption", caption)
    entries = current.get("customFields") if isinstance(current, dict) else None
    entry = find_custom_field(entries, wanted)
    if entry is None or not isinstance(entries, list):
        where = f"on ticket {ticket_id}"
        raise UnknownNameError("caption", wanted, custom_field_captions(entries), where)
    return [{**item, "value": value} if item is entry else item for item in entries]
