"""The domain methods of :class:`AsyncConnectWiseClient` (``async``/``await``).

Each method is a thin call of an operation from :mod:`cw_facade._operations` (the same ones
the blocking client drives) or of the transport's paging. Lookups by id answer ``None`` for a
record that does not exist; every other 404 raises ``ConnectWiseNotFoundError``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, TypeVar

from cw_facade._domain_common import (
    Conditions,
    DomainState,
    Fields,
    checked_defaults,
    list_query,
)
from cw_facade._operations import callbacks, companies, configurations, lookups, notes, tickets
from cw_facade._operations.links import ticket_link
from cw_facade._validation import check_id
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
    Model,
    Note,
    Priority,
    Site,
    Source,
    SystemInfo,
    Ticket,
)

M = TypeVar("M", bound=Model)

if TYPE_CHECKING:
    # The type checker sees the transport as a base, so every transport name the mixin uses
    # is checked against the real signature; at run time the mixin is a plain mixin.
    from cw_facade._async_client import AsyncClientCore

    class _Base(DomainState, AsyncClientCore):
        pass

else:
    _Base = DomainState


class _AsyncDomainMixin(_Base):
    """Tickets, notes, configurations, companies, contacts, lookups, callbacks, health."""

    def _iter(self, model: type[M], endpoint: str, **query: Any) -> AsyncIterator[M]:
        pages = self._iter_pages(endpoint, **query)  # arguments are checked here, at once
        return _wrap(model, pages)

    async def _list(self, model: type[M], endpoint: str, **query: Any) -> list[M]:
        pages = self._iter_pages(endpoint, **query)
        return [model(record) async for page in pages for record in page]

    # -- tickets ---------------------------------------------------------------------------

    async def get_ticket(self, ticket_id: int) -> Ticket | None:
        """The ticket, or ``None`` when it does not exist."""
        return await self._drive(tickets.get_ticket(ticket_id))

    async def get_tickets(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[Ticket]:
        """Every ticket matching ``conditions``, all pages fetched (see :meth:`iter_tickets`)."""
        query = list_query(conditions, pagesize, fields, order_by, limit)
        return await self._list(Ticket, tickets.TICKETS_PATH, **query)

    def iter_tickets(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[Ticket]:
        """Tickets matching ``conditions``, fetched lazily (``async for``)."""
        query = list_query(conditions, pagesize, fields, order_by, limit)
        return self._iter(Ticket, tickets.TICKETS_PATH, **query)

    async def count_tickets(self, conditions: Conditions | None = None) -> int:
        """How many tickets match ``conditions``."""
        return await self.count(tickets.TICKETS_PATH, conditions=conditions)

    async def create_ticket(
        self,
        summary: str,
        body: str | None = None,
        company_id: int | None = None,
        board_id: int | None = None,
        priority_id: int | None = None,
        source_id: int | None = None,
        *,
        board: str | None = None,
        priority: str | None = None,
        **fields: Any,
    ) -> Ticket:
        """Create a ticket; ``None`` arguments take their :class:`TicketDefaults` value.

        ``body`` becomes the initial description; ``board``/``priority`` are names resolved to
        ids; ``fields`` are further API fields sent as given (``contactName="Ann"``).
        """
        new = tickets.NewTicket(
            summary, body, company_id, board_id, priority_id, source_id, board, priority, fields
        )
        defaults = checked_defaults(self.ticket_defaults)
        return await self._drive(tickets.create_ticket(new, defaults, self._lookup_cache))

    async def update_ticket_status(
        self, ticket_id: int, status_id: int | None = None, *, status: str | None = None
    ) -> Ticket:
        """Set the status by id, or by name (``status="Resolved"``) on the ticket's board."""
        op = tickets.update_ticket_status(ticket_id, status_id, status, self._lookup_cache)
        return await self._drive(op)

    async def update_ticket_priority(
        self, ticket_id: int, priority_id: int | None = None, *, priority: str | None = None
    ) -> Ticket:
        """Set the priority by id or by name."""
        op = tickets.update_ticket_priority(ticket_id, priority_id, priority, self._lookup_cache)
        return await self._drive(op)

    async def update_ticket_field(self, ticket_id: int, field_path: str, value: Any) -> Ticket:
        """Replace one field (``"summary"``, ``"/board/id"``) with ``value``."""
        return await self._drive(tickets.update_ticket_field(ticket_id, field_path, value))

    async def set_custom_field(self, ticket_id: int, caption: str, value: Any) -> Ticket:
        """Set the ticket's custom field captioned ``caption`` to ``value``."""
        return await self._drive(tickets.set_custom_field(ticket_id, caption, value))

    async def delete_ticket(self, ticket_id: int) -> bool:
        """Delete the ticket; ``True`` once done."""
        return await self._drive(tickets.delete_ticket(ticket_id))

    async def get_ticket_url(self, ticket_id: int) -> str:
        """The link to the ticket in the ConnectWise web UI (may discover the codebase)."""
        check_id("ticket_id", ticket_id)
        if self._codebase is None:
            await self._ensure_codebase()
        return ticket_link(self._endpoints, self._codebase, self._client, ticket_id)

    # -- notes -----------------------------------------------------------------------------

    async def add_ticket_note(
        self,
        ticket_id: int,
        note_text: str,
        internal: bool = True,
        *,
        detail: bool | None = None,
        resolution: bool = False,
    ) -> Note:
        """Add a note: internal (members only) by default, else customer-visible."""
        op = notes.add_ticket_note(ticket_id, note_text, internal, detail, resolution)
        return await self._drive(op)

    async def get_ticket_notes(self, ticket_id: int) -> list[Note]:
        """Every note of the ticket."""
        return await self._list(Note, notes.ticket_notes_path(ticket_id))

    # -- configurations --------------------------------------------------------------------

    async def get_configuration(self, config_id: int) -> Configuration | None:
        """The configuration, or ``None`` when it does not exist."""
        return await self._drive(configurations.get_configuration(config_id))

    async def get_configurations(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
    ) -> list[Configuration]:
        """Every configuration matching ``conditions``."""
        path = configurations.CONFIGURATIONS_PATH
        query = list_query(conditions, pagesize, fields, order_by)
        return await self._list(Configuration, path, **query)

    async def attach_configuration(self, ticket_id: int, config_id: int) -> ConfigurationReference:
        """Attach a configuration to a ticket."""
        return await self._drive(configurations.attach_configuration(ticket_id, config_id))

    async def detach_configuration(self, ticket_id: int, config_id: int) -> bool:
        """Detach a configuration from a ticket; ``True`` once done."""
        return await self._drive(configurations.detach_configuration(ticket_id, config_id))

    async def get_ticket_configurations(self, ticket_id: int) -> list[ConfigurationReference]:
        """The configurations attached to the ticket."""
        path = configurations.ticket_configurations_path(ticket_id)
        return await self._list(ConfigurationReference, path)

    # -- companies and contacts -----------------------------------------------------------

    async def get_company(self, company_id: int) -> Company | None:
        """The company, or ``None`` when it does not exist."""
        return await self._drive(companies.get_company(company_id))

    async def get_companies(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[Company]:
        """Every company matching ``conditions``."""
        query = list_query(conditions, pagesize, fields, order_by, limit)
        return await self._list(Company, companies.COMPANIES_PATH, **query)

    def iter_companies(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[Company]:
        """Companies matching ``conditions``, fetched lazily (``async for``)."""
        query = list_query(conditions, pagesize, fields, order_by, limit)
        return self._iter(Company, companies.COMPANIES_PATH, **query)

    async def count_companies(self, conditions: Conditions | None = None) -> int:
        """How many companies match ``conditions``."""
        return await self.count(companies.COMPANIES_PATH, conditions=conditions)

    async def get_company_sites(self, company_id: int) -> list[Site]:
        """The sites (addresses) of the company."""
        return await self._list(Site, companies.company_sites_path(company_id))

    async def get_company_notes(self, company_id: int) -> list[CompanyNote]:
        """Every note of the company."""
        return await self._list(CompanyNote, notes.company_notes_path(company_id))

    async def add_company_note(
        self, company_id: int, note_text: str, *, flagged: bool = False
    ) -> CompanyNote:
        """Add a note to the company."""
        return await self._drive(notes.add_company_note(company_id, note_text, flagged))

    async def get_contact(self, contact_id: int) -> Contact | None:
        """The contact, or ``None`` when it does not exist."""
        return await self._drive(companies.get_contact(contact_id))

    async def get_contacts(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
    ) -> list[Contact]:
        """Every contact matching ``conditions``."""
        query = list_query(conditions, pagesize, fields, order_by)
        return await self._list(Contact, companies.CONTACTS_PATH, **query)

    async def get_company_contacts(self, company_id: int) -> list[Contact]:
        """Every contact of the company."""
        conditions = companies.company_contacts_conditions(company_id)
        return await self._list(Contact, companies.CONTACTS_PATH, conditions=conditions)

    # -- boards and lookups ----------------------------------------------------------------

    async def get_boards(self, conditions: Conditions | None = None) -> list[Board]:
        """The service boards (matching ``conditions``)."""
        return await self._list(Board, lookups.BOARDS_PATH, conditions=conditions)

    async def get_board_statuses(self, board_id: int) -> list[BoardStatus]:
        """The statuses of a board."""
        return await self._list(BoardStatus, lookups.board_statuses_path(board_id))

    async def get_board_types(self, board_id: int) -> list[BoardType]:
        """The ticket types of a board."""
        return await self._list(BoardType, lookups.board_types_path(board_id))

    async def get_priorities(self) -> list[Priority]:
        """The ticket priorities."""
        return await self._list(Priority, lookups.PRIORITIES_PATH)

    async def get_sources(self) -> list[Source]:
        """The ticket sources."""
        return await self._list(Source, lookups.SOURCES_PATH)

    # -- health ----------------------------------------------------------------------------

    async def ping(self) -> bool:
        """``True`` when the server answers with these credentials; raises otherwise."""
        return await self._drive(lookups.ping())

    async def system_info(self) -> SystemInfo:
        """Server version, hosting and time zone (``system/info``)."""
        return await self._drive(lookups.system_info())

    # -- callbacks -------------------------------------------------------------------------

    async def register_callback(
        self,
        url: str,
        type: str,
        level: str = "owner",
        *,
        object_id: int | None = None,
        description: str | None = None,
        inactive: bool = False,
    ) -> Callback:
        """Ask ConnectWise to POST changes of ``type`` records (``"ticket"``) to ``url``."""
        op = callbacks.register_callback(url, type, level, object_id, description, inactive)
        return await self._drive(op)

    async def list_callbacks(self) -> list[Callback]:
        """Every callback registration."""
        return await self._list(Callback, callbacks.CALLBACKS_PATH)

    async def delete_callback(self, callback_id: int) -> bool:
        """Remove a callback registration; ``True`` once done."""
        return await self._drive(callbacks.delete_callback(callback_id))


async def _wrap(model: type[M], pages: AsyncIterator[list[dict[str, Any]]]) -> AsyncIterator[M]:
    """Wrap each record; closing this iterator early closes the transport's paging too."""
    try:
        async for page in pages:
            for record in page:
                yield model(record)
    finally:
        close = getattr(pages, "aclose", None)
        if close is not None:
            await close()
