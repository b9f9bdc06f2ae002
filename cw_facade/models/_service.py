"""Models of the Service module: tickets, their notes, boards and board lookups."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cw_facade.models._base import Model
from cw_facade.models._values import as_bool, as_str, lookup


class Ticket(Model):
    """A service ticket (``service/tickets``).

    Every property returns ``None`` when the record lacks the data (for example under a
    partial ``fields=`` query). The API's own names work too: ``ticket.closedFlag``.
    """

    __slots__ = ()
    _generated_name = "Ticket"
    _repr_fields = ("summary",)

    @property
    def summary(self) -> str | None:
        """The one-line summary (at most 100 characters)."""
        return self._str("summary")

    @property
    def company_name(self) -> str | None:
        """Name of the ticket's company."""
        return self._str("company", "name")

    @property
    def company_id(self) -> int | None:
        """Id of the ticket's company."""
        return self._int("company", "id")

    @property
    def company_identifier(self) -> str | None:
        """Short identifier of the ticket's company (``"Acme"``)."""
        return self._str("company", "identifier")

    @property
    def status_name(self) -> str | None:
        """Name of the ticket's status on its board (``"New"``, ``"Resolved"``)."""
        return self._str("status", "name")

    @property
    def status_id(self) -> int | None:
        """Id of the ticket's status."""
        return self._int("status", "id")

    @property
    def priority_name(self) -> str | None:
        """Name of the ticket's priority."""
        return self._str("priority", "name")

    @property
    def priority_id(self) -> int | None:
        """Id of the ticket's priority."""
        return self._int("priority", "id")

    @property
    def board_name(self) -> str | None:
        """Name of the ticket's service board."""
        return self._str("board", "name")

    @property
    def board_id(self) -> int | None:
        """Id of the ticket's service board."""
        return self._int("board", "id")

    @property
    def type_name(self) -> str | None:
        """Name of the ticket's type on its board."""
        return self._str("type", "name")

    @property
    def source_name(self) -> str | None:
        """Name of the ticket's source (``"Email"``, ``"Phone"``)."""
        return self._str("source", "name")

    @property
    def owner_name(self) -> str | None:
        """Name of the member owning the ticket (falls back to the member identifier)."""
        return self._str("owner", "name") or self._str("owner", "identifier")

    @property
    def contact_name(self) -> str | None:
        """Name of the ticket's contact."""
        return self._str("contactName") or self._str("contact", "name")

    @property
    def is_closed(self) -> bool | None:
        """Whether the ticket is closed (``closedFlag``)."""
        return as_bool(self._get("closedFlag"))

    @property
    def closed_datetime(self) -> datetime | None:
        """When the ticket was closed, timezone-aware."""
        return self._datetime("closedDate")

    @property
    def date_entered(self) -> datetime | None:
        """When the ticket was created, timezone-aware."""
        return self._datetime("_info", "dateEntered") or self._datetime("dateEntered")

    @property
    def last_updated(self) -> datetime | None:
        """When the ticket was last changed, timezone-aware."""
        return self._datetime("_info", "lastUpdated") or self._datetime("lastUpdated")

    @property
    def custom_fields(self) -> dict[str, Any]:
        """Custom field values by caption (values as sent: str, number, bool or None)."""
        return {
            caption: lookup(entry, "value")
            for entry in _custom_field_entries(self._get("customFields"))
            if (caption := as_str(lookup(entry, "caption"))) is not None
        }

    def custom_field(self, caption: str) -> Any:
        """The value of the custom field captioned ``caption``, else None.

        The caption is matched exactly first, then ignoring case.
        """
        entry = find_custom_field(self._get("customFields"), caption)
        return None if entry is None else lookup(entry, "value")


def _custom_field_entries(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    return [entry for entry in value if isinstance(entry, Mapping)]


def find_custom_field(entries: Any, caption: str) -> Mapping[str, Any] | None:
    """The entry of ``entries`` captioned ``caption`` (exactly, else ignoring case)."""
    candidates = _custom_field_entries(entries)
    for entry in candidates:
        if lookup(entry, "caption") == caption:
            return entry
    folded = caption.casefold()
    for entry in candidates:
        text = as_str(lookup(entry, "caption"))
        if text is not None and text.casefold() == folded:
            return entry
    return None


def custom_field_captions(entries: Any) -> list[str]:
    """Captions of the custom field ``entries`` of a ticket, in order."""
    captions = (as_str(lookup(entry, "caption")) for entry in _custom_field_entries(entries))
    return [caption for caption in captions if caption is not None]


class Note(Model):
    """A note on a ticket (``service/tickets/{id}/notes``).

    A ticket note is *internal* when its ``internalAnalysisFlag`` (or ``internalFlag``) is
    set; a customer-visible note carries ``detailDescriptionFlag`` instead.
    """

    __slots__ = ()
    _generated_name = "ServiceNote"
    _repr_fields = ("text",)

    @property
    def text(self) -> str | None:
        """The note text."""
        return self._str("text")

    @property
    def is_internal(self) -> bool | None:
        """Whether only members see the note; None when the record has no visibility flags."""
        flags = [as_bool(self._get(key)) for key in ("internalAnalysisFlag", "internalFlag")]
        if True in flags:
            return True
        return False if False in flags else None

    @property
    def is_resolution(self) -> bool | None:
        """Whether the note is part of the ticket's resolution (``resolutionFlag``)."""
        return as_bool(self._get("resolutionFlag"))

    @property
    def created_by(self) -> str | None:
        """Who wrote the note (member identifier or name)."""
        return (
            self._str("createdBy")
            or self._str("enteredBy")
            or self._str("member", "identifier")
            or self._str("member", "name")
            or self._str("_info", "enteredBy")
        )

    @property
    def date_created(self) -> datetime | None:
        """When the note was written, timezone-aware."""
        return self._datetime("dateCreated") or self._datetime("_info", "dateEntered")

    @property
    def ticket_id(self) -> int | None:
        """Id of the ticket the note belongs to."""
        return self._int("ticketId")


class Board(Model):
    """A service board (``service/boards``)."""

    __slots__ = ()
    _generated_name = "Board"
    _repr_fields = ("name",)

    @property
    def name(self) -> str | None:
        """The board name."""
        return self._str("name")

    @property
    def is_active(self) -> bool | None:
        """Whether the board is in use (not ``inactiveFlag``)."""
        return _negate(as_bool(self._get("inactiveFlag")))


class BoardStatus(Model):
    """A status of one service board (``service/boards/{id}/statuses``)."""

    __slots__ = ()
    _generated_name = "BoardStatus"
    _repr_fields = ("name",)

    @property
    def name(self) -> str | None:
        """The status name (``"New"``, ``"Resolved"``)."""
        return self._str("name")

    @property
    def board_id(self) -> int | None:
        """Id of the board the status belongs to."""
        return self._int("board", "id")

    @property
    def is_closed(self) -> bool | None:
        """Whether moving a ticket to this status closes it (``closedStatus``)."""
        return as_bool(self._get("closedStatus"))

    @property
    def is_active(self) -> bool | None:
        """Whether the status can be chosen (not ``inactive``)."""
        return _negate(as_bool(self._get("inactive")))


class BoardType(Model):
    """A ticket type of one service board (``service/boards/{id}/types``)."""

    __slots__ = ()
    _generated_name = "BoardType"
    _repr_fields = ("name",)

    @property
    def name(self) -> str | None:
        """The type name."""
        return self._str("name")

    @property
    def board_id(self) -> int | None:
        """Id of the board the type belongs to."""
        return self._int("board", "id")


class Priority(Model):
    """A ticket priority (``service/priorities``)."""

    __slots__ = ()
    _generated_name = "Priority"
    _repr_fields = ("name",)

    @property
    def name(self) -> str | None:
        """The priority name (``"Priority 1 - Critical"``)."""
        return self._str("name")

    @property
    def sort_order(self) -> int | None:
        """Position of the priority in lists."""
        return self._int("sortOrder")


class Source(Model):
    """A ticket source (``service/sources``): where tickets come from."""

    __slots__ = ()
    _generated_name = "Source"
    _repr_fields = ("name",)

    @property
    def name(self) -> str | None:
        """The source name (``"Email"``, ``"Phone"``)."""
        return self._str("name")


def _negate(flag: bool | None) -> bool | None:
    return None if flag is None else not flag
