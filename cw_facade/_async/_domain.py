"""The domain methods (tickets, notes, configurations, companies, lookups, callbacks, health).

Each method reads straight down: check the arguments and build the body
(:mod:`cw_facade._domain`), build the request with the generated operation's
``request_args``, send it through the client's transport, wrap the JSON in a lazy model.
Lookups by id answer ``None`` for a record that does not exist; every other 404 raises
:class:`~cw_facade.ConnectWiseNotFoundError`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from cw_facade._async._base import AsyncClientBase, one_record
from cw_facade._async._paging import async_pages
from cw_facade._defaults import TicketDefaults
from cw_facade._domain import callbacks, notes, tickets
from cw_facade._domain._common import ref, replace
from cw_facade._domain.links import ticket_link
from cw_facade._domain.lookups import (
    LOOKUP_PAGE_SIZE,
    MAX_LOOKUP_RECORDS,
    LookupCache,
    NameTable,
    board_of,
    find_name,
    wanted_name,
)
from cw_facade._endpoints import (
    ChildListOperation,
    CountOperation,
    Filters,
    LazyModule,
    ListOperation,
    child_page_builder,
    count_builder,
    filters,
    keyset_query,
    page_builder,
)
from cw_facade._paging import PAGES, KeysetQuery, PageBuilder, Paging, paging_mode
from cw_facade._validation import InvalidArgumentError, check_field_path, check_id, check_one_of
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

if TYPE_CHECKING:  # the conditions package loads on first use, not with ``import cw_facade``
    from cw_facade.conditions import Expr
    from cw_manage_client import operations as ops
else:
    ops = LazyModule("cw_manage_client.operations")

M = TypeVar("M", bound=Model)
#: The paging of a list method called without paging arguments.
ALL_PAGES = Paging()

#: A conditions string, or an expression built with :class:`cw_facade.conditions.C`.
Conditions: TypeAlias = "str | Expr"
#: A ``fields`` selection: ``"id,summary"`` or ``["id", "summary"]``.
Fields: TypeAlias = "str | list[str] | tuple[str, ...]"


class AsyncDomainMixin(AsyncClientBase):
    """Tickets, notes, configurations, companies, contacts, lookups, callbacks, health."""

    # -- shared steps ----------------------------------------------------------------------

    @property
    def _lookup_cache(self) -> LookupCache:
        cache: LookupCache | None = self.__dict__.get("_cw_lookup_cache")
        if cache is None:
            cache = self.__dict__.setdefault("_cw_lookup_cache", LookupCache())
        return cache

    def clear_lookup_cache(self) -> None:
        """Forget the cached statuses, priorities and boards used to resolve names."""
        self._lookup_cache.clear()

    def _filters(
        self, conditions: object, fields: object = None, order_by: object = None
    ) -> Filters:
        return filters(conditions, fields, order_by, validate=self._config.validate_conditions)

    def _scan(
        self,
        model: type[M],
        build: PageBuilder,
        count: CountOperation | None,
        query: Filters,
        paging: Paging,
        keyset: KeysetQuery | None,
    ) -> AsyncIterator[M]:
        """Records of one scan wrapped as ``model``, fetched lazily (arguments checked now)."""
        mode = paging_mode(paging.forward_only, query.order_by)
        counted = None if count is None else count_builder(count, query)
        keyset = keyset if mode != PAGES else None
        cursor = self._cursor(build, counted, paging.pagesize, paging.limit, mode, None, keyset)
        return _wrap(model, async_pages(self, cursor, None))

    def _iter(
        self,
        model: type[M],
        op: ListOperation,
        count: CountOperation | None,
        conditions: object = None,
        paging: Paging = ALL_PAGES,
        fields: object = None,
        order_by: object = None,
    ) -> AsyncIterator[M]:
        query = self._filters(conditions, fields, order_by)
        build, keyset = page_builder(op, query), keyset_query(op, query)
        return self._scan(model, build, count, query, paging, keyset)

    async def _list(
        self,
        model: type[M],
        op: ListOperation,
        count: CountOperation | None,
        conditions: object = None,
        paging: Paging = ALL_PAGES,
        fields: object = None,
        order_by: object = None,
    ) -> list[M]:
        scan = self._iter(model, op, count, conditions, paging, fields, order_by)
        return [record async for record in scan]

    async def _children(
        self,
        model: type[M],
        op: ChildListOperation,
        parent_id: int,
        paging: Paging = ALL_PAGES,
        conditions: object = None,
    ) -> list[M]:
        query = self._filters(conditions)
        build = child_page_builder(op, parent_id, query)
        keyset = keyset_query(op, query, parent_id)
        scan = self._scan(model, build, None, query, paging, keyset)
        return [record async for record in scan]

    async def _names(self, model: type[M], build: PageBuilder) -> NameTable:
        """The name table of a lookup list (read whole, at most ``MAX_LOOKUP_RECORDS``)."""
        query = Filters()
        paging = Paging(LOOKUP_PAGE_SIZE, MAX_LOOKUP_RECORDS, False)
        scan = self._scan(model, build, None, query, paging, None)
        return NameTable.of([record async for record in scan])

    async def _resolve(
        self,
        key: str,
        model: type[M],
        build: PageBuilder,
        argument: str,
        name: object,
        where: str = "",
    ) -> int:
        """The id named ``name`` in a lookup list; cached, re-read once on a miss."""
        wanted = wanted_name(argument, name)
        cached = self._lookup_cache.get(key)
        if cached is not None and wanted in cached.ids:
            return cached.ids[wanted]
        table = await self._names(model, build)
        self._lookup_cache.store(key, table)
        return find_name(table, argument, wanted, name, where)

    async def _resolve_priority(self, name: object) -> int:
        build = page_builder(ops.get_service_priorities, Filters())
        return await self._resolve("priorities", Priority, build, "priority", name)

    async def _resolve_board(self, name: object) -> int:
        build = page_builder(ops.get_service_boards, Filters())
        return await self._resolve("boards", Board, build, "board", name)

    async def _resolve_status(self, board_id: int, name: object) -> int:
        op = ops.get_service_boards_by_parent_id_statuses
        build = child_page_builder(op, board_id, Filters())
        key, where = f"boards/{board_id}/statuses", f"on board {board_id}"
        return await self._resolve(key, BoardStatus, build, "status", name, where)

    async def _patch_ticket(self, ticket_id: int, body: list[dict[str, Any]]) -> Ticket:
        args = ops.patch_service_tickets_by_id.request_args(ticket_id, body=body)
        return Ticket(one_record(await self._call(args)))

    # -- tickets ---------------------------------------------------------------------------

    async def get_ticket(self, ticket_id: int) -> Ticket | None:
        """The ticket, or ``None`` when it does not exist."""
        args = ops.get_service_tickets_by_id.request_args(check_id("ticket_id", ticket_id))
        record = await self._record(args)
        return None if record is None else Ticket(record)

    async def get_tickets(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Ticket]:
        """Every ticket matching ``conditions``, all pages fetched (see :meth:`iter_tickets`).

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`: exact by
        default, page numbers (not exact under changes) with ``order_by`` or
        ``forward_only=False``.
        """
        return await self._list(
            Ticket,
            ops.get_service_tickets,
            ops.get_service_tickets_count,
            conditions,
            Paging(pagesize, limit, forward_only),
            fields,
            order_by,
        )

    def iter_tickets(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> AsyncIterator[Ticket]:
        """Tickets matching ``conditions``, fetched lazily one page at a time.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`: exact by
        default, page numbers (not exact under changes) with ``order_by`` or
        ``forward_only=False``.
        """
        return self._iter(
            Ticket,
            ops.get_service_tickets,
            ops.get_service_tickets_count,
            conditions,
            Paging(pagesize, limit, forward_only),
            fields,
            order_by,
        )

    async def count_tickets(self, conditions: Conditions | None = None) -> int:
        """How many tickets match ``conditions``."""
        query = self._filters(conditions)
        return await self._count(count_builder(ops.get_service_tickets_count, query)())

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
        tickets.check_new_ticket(new)
        payload = tickets.ticket_body(new, checked_defaults(self.ticket_defaults))
        if board is not None:
            payload["board"] = ref(await self._resolve_board(board))
        if priority is not None:
            payload["priority"] = ref(await self._resolve_priority(priority))
        args = ops.post_service_tickets.request_args(body=payload)
        return Ticket(one_record(await self._call(args)))

    async def update_ticket_status(
        self, ticket_id: int, status_id: int | None = None, *, status: str | None = None
    ) -> Ticket:
        """Set the status by id, or by name (``status="Resolved"``) on the ticket's board."""
        record_id = check_id("ticket_id", ticket_id)
        check_one_of("status_id", status_id, status, "status")
        if status_id is None:
            wanted_name("status", status)
            args = ops.get_service_tickets_by_id.request_args(record_id, fields="id,board")
            board_id = board_of(one_record(await self._call(args)), record_id)
            status_id = await self._resolve_status(board_id, status)
        body = replace("status", ref(check_id("status_id", status_id)))
        return await self._patch_ticket(record_id, body)

    async def update_ticket_priority(
        self, ticket_id: int, priority_id: int | None = None, *, priority: str | None = None
    ) -> Ticket:
        """Set the priority by id or by name."""
        record_id = check_id("ticket_id", ticket_id)
        check_one_of("priority_id", priority_id, priority, "priority")
        if priority_id is None:
            priority_id = await self._resolve_priority(priority)
        body = replace("priority", ref(check_id("priority_id", priority_id)))
        return await self._patch_ticket(record_id, body)

    async def update_ticket_field(self, ticket_id: int, field_path: str, value: Any) -> Ticket:
        """Replace one field (``"summary"``, ``"/board/id"``) with ``value``."""
        record_id = check_id("ticket_id", ticket_id)
        return await self._patch_ticket(record_id, replace(check_field_path(field_path), value))

    async def set_custom_field(self, ticket_id: int, caption: str, value: Any) -> Ticket:
        """Set the ticket's custom field captioned ``caption`` to ``value``."""
        record_id = check_id("ticket_id", ticket_id)
        wanted_name("caption", caption)
        fields = tickets.CUSTOM_FIELDS_QUERY
        args = ops.get_service_tickets_by_id.request_args(record_id, fields=fields)
        current = one_record(await self._call(args))
        updated = tickets.custom_fields_update(current, caption, value, record_id)
        return await self._patch_ticket(record_id, replace("customFields", updated))

    async def delete_ticket(self, ticket_id: int) -> bool:
        """Delete the ticket; ``True`` once done."""
        await self._call(
            ops.delete_service_tickets_by_id.request_args(check_id("ticket_id", ticket_id))
        )
        return True

    async def get_ticket_url(self, ticket_id: int) -> str:
        """The link to the ticket in the ConnectWise web UI (may discover the codebase)."""
        record_id = check_id("ticket_id", ticket_id)
        await self._http._ensure_codebase()
        config = self._config
        return ticket_link(config.endpoints, config.codebase, config.company, record_id)

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
        record_id = check_id("ticket_id", ticket_id)
        body = notes.ticket_note_body(note_text, internal, detail, resolution)
        args = ops.post_service_tickets_by_parent_id_notes.request_args(record_id, body=body)
        return Note(one_record(await self._call(args)))

    async def get_ticket_notes(
        self,
        ticket_id: int,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Note]:
        """Every note of the ticket.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`.
        """
        op = ops.get_service_tickets_by_parent_id_notes
        paging = Paging(pagesize, limit, forward_only)
        return await self._children(Note, op, check_id("ticket_id", ticket_id), paging)

    async def get_configuration(self, config_id: int) -> Configuration | None:
        """The configuration, or ``None`` when it does not exist."""
        args = ops.get_company_configurations_by_id.request_args(check_id("config_id", config_id))
        record = await self._record(args)
        return None if record is None else Configuration(record)

    async def get_configurations(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Configuration]:
        """Every configuration matching ``conditions``.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`: exact by
        default, page numbers (not exact under changes) with ``order_by`` or
        ``forward_only=False``.
        """
        return await self._list(
            Configuration,
            ops.get_company_configurations,
            ops.get_company_configurations_count,
            conditions,
            Paging(pagesize, limit, forward_only),
            fields,
            order_by,
        )

    async def attach_configuration(self, ticket_id: int, config_id: int) -> ConfigurationReference:
        """Attach a configuration to a ticket."""
        record_id = check_id("ticket_id", ticket_id)
        body = {"id": check_id("config_id", config_id)}
        op = ops.post_service_tickets_by_parent_id_configurations
        created = one_record(await self._call(op.request_args(record_id, body=body)))
        return ConfigurationReference(created)

    async def detach_configuration(self, ticket_id: int, config_id: int) -> bool:
        """Detach a configuration from a ticket; ``True`` once done."""
        record_id = check_id("ticket_id", ticket_id)
        op = ops.delete_service_tickets_by_parent_id_configurations_by_id
        await self._call(op.request_args(record_id, check_id("config_id", config_id)))
        return True

    async def get_ticket_configurations(
        self,
        ticket_id: int,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[ConfigurationReference]:
        """The configurations attached to the ticket.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`.
        """
        op = ops.get_service_tickets_by_parent_id_configurations
        paging = Paging(pagesize, limit, forward_only)
        return await self._children(
            ConfigurationReference, op, check_id("ticket_id", ticket_id), paging
        )

    async def get_company(self, company_id: int) -> Company | None:
        """The company, or ``None`` when it does not exist."""
        args = ops.get_company_companies_by_id.request_args(check_id("company_id", company_id))
        record = await self._record(args)
        return None if record is None else Company(record)

    async def get_companies(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Company]:
        """Every company matching ``conditions``.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`: exact by
        default, page numbers (not exact under changes) with ``order_by`` or
        ``forward_only=False``.
        """
        return await self._list(
            Company,
            ops.get_company_companies,
            ops.get_company_companies_count,
            conditions,
            Paging(pagesize, limit, forward_only),
            fields,
            order_by,
        )

    def iter_companies(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> AsyncIterator[Company]:
        """Companies matching ``conditions``, fetched lazily one page at a time.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`: exact by
        default, page numbers (not exact under changes) with ``order_by`` or
        ``forward_only=False``.
        """
        return self._iter(
            Company,
            ops.get_company_companies,
            ops.get_company_companies_count,
            conditions,
            Paging(pagesize, limit, forward_only),
            fields,
            order_by,
        )

    async def count_companies(self, conditions: Conditions | None = None) -> int:
        """How many companies match ``conditions``."""
        query = self._filters(conditions)
        return await self._count(count_builder(ops.get_company_companies_count, query)())

    async def get_company_sites(
        self,
        company_id: int,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Site]:
        """The sites (addresses) of the company.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`.
        """
        op = ops.get_company_companies_by_parent_id_sites
        paging = Paging(pagesize, limit, forward_only)
        return await self._children(Site, op, check_id("company_id", company_id), paging)

    async def get_company_notes(
        self,
        company_id: int,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[CompanyNote]:
        """Every note of the company.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`.
        """
        op = ops.get_company_companies_by_parent_id_notes
        paging = Paging(pagesize, limit, forward_only)
        return await self._children(CompanyNote, op, check_id("company_id", company_id), paging)

    async def add_company_note(
        self, company_id: int, note_text: str, *, flagged: bool = False
    ) -> CompanyNote:
        """Add a note to the company."""
        record_id = check_id("company_id", company_id)
        body = notes.company_note_body(note_text, flagged)
        args = ops.post_company_companies_by_parent_id_notes.request_args(record_id, body=body)
        return CompanyNote(one_record(await self._call(args)))

    async def get_contact(self, contact_id: int) -> Contact | None:
        """The contact, or ``None`` when it does not exist."""
        args = ops.get_company_contacts_by_id.request_args(check_id("contact_id", contact_id))
        record = await self._record(args)
        return None if record is None else Contact(record)

    async def get_contacts(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Contact]:
        """Every contact matching ``conditions``.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`: exact by
        default, page numbers (not exact under changes) with ``order_by`` or
        ``forward_only=False``.
        """
        return await self._list(
            Contact,
            ops.get_company_contacts,
            ops.get_company_contacts_count,
            conditions,
            Paging(pagesize, limit, forward_only),
            fields,
            order_by,
        )

    async def get_company_contacts(
        self,
        company_id: int,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Contact]:
        """Every contact of the company.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`.
        """
        from cw_facade.conditions import C

        conditions = C.company.id == check_id("company_id", company_id)
        op, count = ops.get_company_contacts, ops.get_company_contacts_count
        return await self._list(
            Contact, op, count, conditions, Paging(pagesize, limit, forward_only)
        )

    # -- boards and lookups ----------------------------------------------------------------

    async def get_boards(
        self,
        conditions: Conditions | None = None,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Board]:
        """The service boards (matching ``conditions``).

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`.
        """
        op, count = ops.get_service_boards, ops.get_service_boards_count
        paging = Paging(pagesize, limit, forward_only)
        return await self._list(Board, op, count, conditions, paging)

    async def get_board_statuses(
        self,
        board_id: int,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[BoardStatus]:
        """The statuses of a board.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`.
        """
        op = ops.get_service_boards_by_parent_id_statuses
        paging = Paging(pagesize, limit, forward_only)
        return await self._children(BoardStatus, op, check_id("board_id", board_id), paging)

    async def get_board_types(
        self,
        board_id: int,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[BoardType]:
        """The ticket types of a board.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`.
        """
        op = ops.get_service_boards_by_parent_id_types
        paging = Paging(pagesize, limit, forward_only)
        return await self._children(BoardType, op, check_id("board_id", board_id), paging)

    async def get_priorities(
        self,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Priority]:
        """The ticket priorities.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`.
        """
        op, count = ops.get_service_priorities, ops.get_service_priorities_count
        paging = Paging(pagesize, limit, forward_only)
        return await self._list(Priority, op, count, None, paging)

    async def get_sources(
        self,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Source]:
        """The ticket sources.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`.
        """
        op, count = ops.get_service_sources, ops.get_service_sources_count
        paging = Paging(pagesize, limit, forward_only)
        return await self._list(Source, op, count, None, paging)

    # -- health ----------------------------------------------------------------------------

    async def ping(self) -> bool:
        """``True`` when the server answers with these credentials; raises otherwise."""
        await self._call(ops.get_system_info.request_args())
        return True

    async def system_info(self) -> SystemInfo:
        """Server version, hosting and time zone (``system/info``)."""
        return SystemInfo(one_record(await self._call(ops.get_system_info.request_args())))

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
        body = callbacks.callback_body(url, type, level, object_id, description, inactive)
        args = ops.post_system_callbacks.request_args(body=body)
        return Callback(one_record(await self._call(args)))

    async def list_callbacks(
        self,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Callback]:
        """Every callback registration.

        ``pagesize``, ``limit`` and ``forward_only`` page as in :meth:`iter_all`.
        """
        op, count = ops.get_system_callbacks, ops.get_system_callbacks_count
        paging = Paging(pagesize, limit, forward_only)
        return await self._list(Callback, op, count, None, paging)

    async def delete_callback(self, callback_id: int) -> bool:
        """Remove a callback registration; ``True`` once done."""
        args = ops.delete_system_callbacks_by_id.request_args(check_id("callback_id", callback_id))
        await self._call(args)
        return True


def checked_defaults(value: Any) -> TicketDefaults | None:
    """The client's ``ticket_defaults``, which must be a :class:`TicketDefaults` or None."""
    if value is None or isinstance(value, TicketDefaults):
        return value
    raise InvalidArgumentError("ticket_defaults", "must be a TicketDefaults instance")


async def _wrap(model: type[M], pages: AsyncIterator[list[dict[str, Any]]]) -> AsyncIterator[M]:
    """Wrap each record; closing this iterator early closes the paging too."""
    try:
        async for page in pages:
            for record in page:
                yield model(record)
    finally:
        close = getattr(pages, "aclose", None)
        if close is not None:
            await close()
