"""Defaults for ticket creation, given once to the client instead of on every call."""

from __future__ import annotations

from dataclasses import dataclass, fields

from cw_facade._validation import check_optional_id


@dataclass(frozen=True, slots=True)
class TicketDefaults:
    """Ids ``create_ticket`` uses when the matching argument is ``None``.

    An explicit argument always wins over its default. Every id must be a positive int::

        defaults = TicketDefaults(company_id=250, board_id=1, priority_id=8, source_id=42)
        cw = ConnectWiseClient(..., ticket_defaults=defaults)
        cw.create_ticket(summary="Disk full")   # company 250, board 1, priority 8, source 42
    """

    company_id: int | None = None
    board_id: int | None = None
    priority_id: int | None = None
    source_id: int | None = None
    status_id: int | None = None
    type_id: int | None = None
    team_id: int | None = None
    contact_id: int | None = None

    def __post_init__(self) -> None:
        """Reject ids that are not positive ints (``True`` included)."""
        for field in fields(self):
            check_optional_id(field.name, getattr(self, field.name))
