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

from cw_facade._async._acting import AsyncActingMixin
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
from cw_facade._paging import PAGES, KeysetQuery, PageBuilder, paging_mode
from cw_facade._responses import one_record
from cw_facade._validation import (
    InvalidArgumentError,
    check_field_path,
    check_flag,
    check_id,
    check_one_of,
    check_optional_id,
)
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

#: A conditions string, or an expression built with :class:`cw_facade.conditions.C`.
Conditions: TypeAlias = "str | Expr"
#: A ``fields`` selection: ``"id,summary"`` or ``["id", "summary"]``.
Fields: TypeAlias = "str | list[str] | tuple[str, ...]"


class AsyncDomainMixin(AsyncActingMixin):
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
        pagesize: int | None = None,
        limit: int | None = None,
        *,
        forward_only: bool | None = None,
        keyset: KeysetQuery | None = None,
    ) -> AsyncIterator[M]:
        """Records of one scan wrapped as ``model``, fetched lazily (arguments checked now).

        Exact (forward-only or keyset) unless ``forward_only=False`` or an ``order_by`` asks
        for page numbers; see :mod:`cw_facade._paging`.
        """
        mode = paging_mode(forward_only, query.order_by)
        counted = None if count is None else count_builder(count, query)
        keyset = keyset if mode != PAGES else None
        cursor = self._cursor(build, counted, pagesize, limit, mode, None, keyset)
        return _wrap(model, self._pages(cursor, None))

    def _iter(
        self,
        model: type[M],
        op: ListOperation,
        count: CountOperation | None,
        conditions: object = None,
        pagesize: int | None = None,
        fields: object = None,
        order_by: object = None,
        limit: int | None = None,
        *,
        forward_only: bool | None = None,
    ) -> AsyncIterator[M]:
        query = self._filters(conditions, fields, order_by)
        build, keyset = page_builder(op, query), keyset_query(op, query)
        return self._scan(
            model, build, count, query, pagesize, limit, forward_only=forward_only, keyset=keyset
        )

    async def _list(
        self,
        model: type[M],
        op: ListOperation,
        count: CountOperation | None,
        conditions: object = None,
        pagesize: int | None = None,
        fields: object = None,
        order_by: object = None,
        limit: int | None = None,
        *,
        forward_only: bool | None = None,
    ) -> list[M]:
        scan = self._iter(
            model, op, count, conditions, pagesize, fields, order_by, limit,
            forward_only=forward_only,
        )  # fmt: skip
        return [record async for record in scan]

    async def _children(
        self,
        model: type[M],
        op: ChildListOperation,
        parent_id: int,
        conditions: object = None,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[M]:
        query = self._filters(conditions)
        build = child_page_builder(op, parent_id, query)
        keyset = keyset_query(op, query, parent_id)
        scan = self._scan(
            model, build, None, query, pagesize, limit, forward_only=forward_only, keyset=keyset
        )
        return [record async for record in scan]

    async def _names(self, model: type[M], build: PageBuilder) -> NameTable:
        """The name table of a lookup list (read whole, at most ``MAX_LOOKUP_RECORDS``)."""
        query = Filters()
        scan = self._scan(
            model, build, None, query, LOOKUP_PAGE_SIZE, MAX_LOOKUP_RECORDS, forward_only=False
        )
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

    async def get_ticket(self, ticket_id: int, run_as: str | None = None) -> Ticket | None:
        """The ticket ``ticket_id``, or ``None`` when it does not exist.

        ``run_as`` acts as another member (a member identifier or a :meth:`compute_auth`
        value). Raises :class:`~cw_facade.InvalidArgumentError` for a bad id and the API's
        errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_ticket(ticket_id)
        args = ops.get_service_tickets_by_id.request_args(check_id("ticket_id", ticket_id))
        record = await self._record(args)
        return None if record is None else Ticket(record)

    async def get_tickets(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        orderby: str | None = None,
        limit: int | None = None,
        run_as: str | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
        forward_only: bool | None = None,
    ) -> list[Ticket]:
        """Every ticket matching ``conditions``, all pages fetched (see :meth:`iter_tickets`).

        ``pagesize`` is the page size, ``orderby`` (or ``order_by``) the sort order,
        ``limit`` the most records returned, ``fields`` a projection, ``run_as`` another
        member to act as. Raises :class:`~cw_facade.ConnectWiseConfigurationError` for bad
        arguments (before sending) and the API's errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_tickets(
                conditions,
                pagesize,
                orderby,
                limit,
                fields=fields,
                order_by=order_by,
                forward_only=forward_only,
            )
        return await self._list(
            Ticket,
            ops.get_service_tickets,
            ops.get_service_tickets_count,
            given(conditions),
            pagesize,
            fields,
            order_of(orderby, order_by),
            limit,
            forward_only=forward_only,
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
        """Tickets matching ``conditions``, fetched lazily one page at a time."""
        return self._iter(
            Ticket,
            ops.get_service_tickets,
            ops.get_service_tickets_count,
            conditions,
            pagesize,
            fields,
            order_by,
            limit,
            forward_only=forward_only,
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
        status_id: int | None = None,
        type_id: int | None = None,
        source_id: int | None = None,
        config_ids: list[int] | tuple[int, ...] | None = None,
        run_as: str | None = None,
        *,
        board: str | None = None,
        priority: str | None = None,
        **fields: Any,
    ) -> Ticket:
        """Create a ticket; ``None`` arguments take their :class:`TicketDefaults` value.

        The parameters are ConnectPyse-Manage's, in its order. ``body`` becomes the initial
        description; ``company_id``, ``board_id``, ``priority_id``, ``status_id``,
        ``type_id`` and ``source_id`` are ids; ``config_ids`` are configurations attached
        after creation; ``board``/``priority`` are names resolved to ids; ``fields`` are
        further API fields sent as given (``contactName="Ann"``); ``run_as`` another member
        to act as. Raises :class:`~cw_facade.InvalidArgumentError` (before sending) for bad
        arguments, :class:`~cw_facade.MissingArgumentError` without a company, and the
        API's errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.create_ticket(
                summary,
                body,
                company_id,
                board_id,
                priority_id,
                status_id,
                type_id,
                source_id,
                config_ids,
                board=board,
                priority=priority,
                **fields,
            )
        attach = _config_ids(config_ids)
        for argument, key, value in (
            ("status_id", "status", status_id),
            ("type_id", "type", type_id),
        ):
            checked = check_optional_id(argument, value)
            if checked is not None:
                if key in fields:
                    raise InvalidArgumentError(argument, f"conflicts with the {key!r} field")
                fields[key] = ref(checked)
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
        created = Ticket(one_record(await self._call(args)))
        for config_id in attach:
            op = ops.post_service_tickets_by_parent_id_configurations
            await self._call(op.request_args(created.id, body={"id": config_id}))
        return created

    async def update_ticket_status(
        self,
        ticket_id: int,
        status_id: int | None = None,
        run_as: str | None = None,
        *,
        status: str | None = None,
    ) -> Ticket:
        """Set the status by id, or by name (``status="Resolved"``) on the ticket's board.

        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for bad arguments, :class:`~cw_facade.UnknownNameError` for an unknown status name,
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing ticket, and the API's
        errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.update_ticket_status(ticket_id, status_id, status=status)
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
        self,
        ticket_id: int,
        priority_id: int | None = None,
        run_as: str | None = None,
        *,
        priority: str | None = None,
    ) -> Ticket:
        """Set the priority by id or by name (``priority=``).

        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for bad arguments, :class:`~cw_facade.UnknownNameError` for an unknown name,
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing ticket, and the API's
        errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.update_ticket_priority(ticket_id, priority_id, priority=priority)
        record_id = check_id("ticket_id", ticket_id)
        check_one_of("priority_id", priority_id, priority, "priority")
        if priority_id is None:
            priority_id = await self._resolve_priority(priority)
        body = replace("priority", ref(check_id("priority_id", priority_id)))
        return await self._patch_ticket(record_id, body)

    async def update_ticket_field(
        self, ticket_id: int, field_path: str, value: Any, run_as: str | None = None
    ) -> Ticket:
        """Replace one field (``"summary"``, ``"/board/id"``) with ``value``.

        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for a bad id or path, :class:`~cw_facade.ConnectWiseNotFoundError` for a missing
        ticket, and the API's errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.update_ticket_field(ticket_id, field_path, value)
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
        run_as: str | None = None,
        *,
        detail: bool | None = None,
        resolution: bool = False,
    ) -> Note:
        """Add a note: internal (members only) by default, else customer-visible.

        ``detail`` and ``resolution`` set the note's other flags; ``run_as`` acts as another
        member. Raises :class:`~cw_facade.InvalidArgumentError` for bad arguments,
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing ticket, and the API's
        errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.add_ticket_note(
                ticket_id, note_text, internal, detail=detail, resolution=resolution
            )
        record_id = check_id("ticket_id", ticket_id)
        body = notes.ticket_note_body(note_text, internal, detail, resolution)
        args = ops.post_service_tickets_by_parent_id_notes.request_args(record_id, body=body)
        return Note(one_record(await self._call(args)))

    async def get_ticket_notes(
        self,
        ticket_id: int,
        conditions: Conditions | None = None,
        childconditions: str | None = None,
        fields: Fields | None = None,
        pagesize: int | None = None,
        orderby: str | None = None,
        run_as: str | None = None,
        *,
        order_by: str | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Note]:
        """Every note of the ticket (matching ``conditions``).

        ``childconditions`` filters on child collections, ``fields`` projects, ``pagesize``
        sizes the pages, ``orderby`` (or ``order_by``) sorts, ``run_as`` acts as another
        member. Raises :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments,
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing ticket, and the API's
        errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_ticket_notes(
                ticket_id,
                conditions,
                childconditions,
                fields,
                pagesize,
                orderby,
                order_by=order_by,
                limit=limit,
                forward_only=forward_only,
            )
        record_id = check_id("ticket_id", ticket_id)
        query = self._filters(given(conditions), fields, order_of(orderby, order_by))
        child = given(childconditions)
        if child is not None and not isinstance(child, str):
            raise InvalidArgumentError("childconditions", "must be a conditions string")
        op = ops.get_service_tickets_by_parent_id_notes
        build = _child_pages(op, record_id, query, child)
        # Keyset scans bound the ids in ``conditions``; with ``childconditions`` as well they
        # fall back to page numbers (and say so).
        keyset = keyset_query(op, query, record_id) if child is None else None
        scan = self._scan(
            Note, build, None, query, pagesize, limit, forward_only=forward_only, keyset=keyset
        )
        return [note async for note in scan]

    # -- configurations --------------------------------------------------------------------

    async def get_configuration(
        self, config_id: int, run_as: str | None = None
    ) -> Configuration | None:
        """The configuration ``config_id``, or ``None`` when it does not exist.

        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for a bad id and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_configuration(config_id)
        args = ops.get_company_configurations_by_id.request_args(check_id("config_id", config_id))
        record = await self._record(args)
        return None if record is None else Configuration(record)

    async def get_configurations(
        self,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        run_as: str | None = None,
        *,
        fields: Fields | None = None,
        order_by: str | None = None,
        orderby: str | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Configuration]:
        """Every configuration matching ``conditions``.

        ``pagesize`` sizes the pages, ``fields`` projects, ``order_by`` (or ``orderby``)
        sorts, ``limit`` caps the records, ``run_as`` acts as another member. Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments and the API's
        errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_configurations(
                conditions,
                pagesize,
                fields=fields,
                order_by=order_by,
                orderby=orderby,
                limit=limit,
                forward_only=forward_only,
            )
        return await self._list(
            Configuration,
            ops.get_company_configurations,
            ops.get_company_configurations_count,
            given(conditions),
            pagesize,
            fields,
            order_of(orderby, order_by),
            limit,
            forward_only=forward_only,
        )

    async def attach_configuration(
        self, ticket_id: int, config_id: int, run_as: str | None = None
    ) -> Configuration:
        """Attach configuration ``config_id`` to ticket ``ticket_id`` and return it.

        The answer is the configuration itself, read after attaching (as ConnectPyse-Manage
        returns it); should it vanish in between, the attach answer is wrapped instead.
        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for bad ids, :class:`~cw_facade.ConnectWiseNotFoundError` for a missing ticket or
        configuration, and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).attach_configuration(ticket_id, config_id)
        record_id = check_id("ticket_id", ticket_id)
        body = {"id": check_id("config_id", config_id)}
        op = ops.post_service_tickets_by_parent_id_configurations
        created = one_record(await self._call(op.request_args(record_id, body=body)))
        configuration = await self.get_configuration(body["id"])
        return Configuration(created) if configuration is None else configuration

    async def detach_configuration(
        self, ticket_id: int, config_id: int, run_as: str | None = None
    ) -> bool:
        """Detach a configuration from a ticket; ``True`` once done.

        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for bad ids, :class:`~cw_facade.ConnectWiseNotFoundError` when it is not attached,
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).detach_configuration(ticket_id, config_id)
        record_id = check_id("ticket_id", ticket_id)
        op = ops.delete_service_tickets_by_parent_id_configurations_by_id
        await self._call(op.request_args(record_id, check_id("config_id", config_id)))
        return True

    async def get_ticket_configurations(
        self,
        ticket_id: int,
        run_as: str | None = None,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[ConfigurationReference]:
        """The configurations attached to the ticket (references: id, name, type).

        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for a bad id, :class:`~cw_facade.ConnectWiseNotFoundError` for a missing ticket,
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_ticket_configurations(
                ticket_id, pagesize=pagesize, limit=limit, forward_only=forward_only
            )
        op = ops.get_service_tickets_by_parent_id_configurations
        return await self._children(
            ConfigurationReference,
            op,
            check_id("ticket_id", ticket_id),
            pagesize=pagesize,
            limit=limit,
            forward_only=forward_only,
        )

    # -- companies and contacts -----------------------------------------------------------

    async def get_company(self, company_id: int, run_as: str | None = None) -> Company | None:
        """The company ``company_id``, or ``None`` when it does not exist.

        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for a bad id and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_company(company_id)
        args = ops.get_company_companies_by_id.request_args(check_id("company_id", company_id))
        record = await self._record(args)
        return None if record is None else Company(record)

    async def get_companies(
        self,
        conditions: Conditions | None = None,
        orderby: str | None = None,
        limit: int | None = None,
        run_as: str | None = None,
        *,
        pagesize: int | None = None,
        fields: Fields | None = None,
        order_by: str | None = None,
        forward_only: bool | None = None,
    ) -> list[Company]:
        """Every company matching ``conditions`` (ConnectPyse-Manage's parameter order).

        ``orderby`` (or ``order_by``) sorts, ``limit`` caps the records, ``pagesize`` sizes
        the pages, ``fields`` projects, ``run_as`` acts as another member. Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments and the API's
        errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_companies(
                conditions,
                orderby,
                limit,
                pagesize=pagesize,
                fields=fields,
                order_by=order_by,
                forward_only=forward_only,
            )
        return await self._list(
            Company,
            ops.get_company_companies,
            ops.get_company_companies_count,
            given(conditions),
            pagesize,
            fields,
            order_of(orderby, order_by),
            limit,
            forward_only=forward_only,
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
        """Companies matching ``conditions``, fetched lazily one page at a time."""
        return self._iter(
            Company,
            ops.get_company_companies,
            ops.get_company_companies_count,
            conditions,
            pagesize,
            fields,
            order_by,
            limit,
            forward_only=forward_only,
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
        """The sites (addresses) of the company."""
        op = ops.get_company_companies_by_parent_id_sites
        return await self._children(
            Site,
            op,
            check_id("company_id", company_id),
            pagesize=pagesize,
            limit=limit,
            forward_only=forward_only,
        )

    async def get_company_notes(
        self,
        company_id: int,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[CompanyNote]:
        """Every note of the company."""
        op = ops.get_company_companies_by_parent_id_notes
        return await self._children(
            CompanyNote,
            op,
            check_id("company_id", company_id),
            pagesize=pagesize,
            limit=limit,
            forward_only=forward_only,
        )

    async def add_company_note(
        self, company_id: int, note_text: str, *, flagged: bool = False
    ) -> CompanyNote:
        """Add a note to the company."""
        record_id = check_id("company_id", company_id)
        body = notes.company_note_body(note_text, flagged)
        args = ops.post_company_companies_by_parent_id_notes.request_args(record_id, body=body)
        return CompanyNote(one_record(await self._call(args)))

    async def get_contact(self, contact_id: int, run_as: str | None = None) -> Contact | None:
        """The contact ``contact_id``, or ``None`` when it does not exist.

        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for a bad id and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_contact(contact_id)
        args = ops.get_company_contacts_by_id.request_args(check_id("contact_id", contact_id))
        record = await self._record(args)
        return None if record is None else Contact(record)

    async def get_contacts(
        self,
        conditions: Conditions | None = None,
        orderby: str | None = None,
        limit: int | None = None,
        run_as: str | None = None,
        *,
        pagesize: int | None = None,
        fields: Fields | None = None,
        order_by: str | None = None,
        forward_only: bool | None = None,
    ) -> list[Contact]:
        """Every contact matching ``conditions`` (ConnectPyse-Manage's parameter order).

        ``orderby`` (or ``order_by``) sorts, ``limit`` caps the records, ``pagesize`` sizes
        the pages, ``fields`` projects, ``run_as`` acts as another member. Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments and the API's
        errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_contacts(
                conditions,
                orderby,
                limit,
                pagesize=pagesize,
                fields=fields,
                order_by=order_by,
                forward_only=forward_only,
            )
        return await self._list(
            Contact,
            ops.get_company_contacts,
            ops.get_company_contacts_count,
            given(conditions),
            pagesize,
            fields,
            order_of(orderby, order_by),
            limit,
            forward_only=forward_only,
        )

    async def get_company_contacts(
        self,
        company_id: int,
        conditions: Conditions | None = None,
        run_as: str | None = None,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Contact]:
        """Every contact of the company (also matching ``conditions``).

        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for a bad id or conditions and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_company_contacts(
                company_id, conditions, pagesize=pagesize, limit=limit, forward_only=forward_only
            )
        from cw_facade.conditions import C

        where = C.company.id == check_id("company_id", company_id)
        extra = self._filters(given(conditions)).conditions
        query = where if extra is None else f"{where} AND ({extra})"
        op, count = ops.get_company_contacts, ops.get_company_contacts_count
        return await self._list(
            Contact, op, count, query, pagesize=pagesize, limit=limit, forward_only=forward_only
        )

    # -- boards and lookups ----------------------------------------------------------------

    async def get_boards(
        self,
        active_only: bool = True,
        run_as: str | None = None,
        *,
        conditions: Conditions | None = None,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Board]:
        """The service boards: only active ones with ``active_only``, matching ``conditions``.

        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for a non-bool ``active_only`` (conditions go by keyword) and the API's errors.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_boards(
                active_only,
                conditions=conditions,
                pagesize=pagesize,
                limit=limit,
                forward_only=forward_only,
            )
        query = self._filters(given(conditions)).conditions
        if check_flag("active_only", active_only):
            query = "inactiveFlag=false" if query is None else f"inactiveFlag=false AND ({query})"
        op, count = ops.get_service_boards, ops.get_service_boards_count
        return await self._list(
            Board, op, count, query, pagesize=pagesize, limit=limit, forward_only=forward_only
        )

    async def get_board_statuses(
        self,
        board_id: int,
        run_as: str | None = None,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[BoardStatus]:
        """The statuses of a board.

        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for a bad id, :class:`~cw_facade.ConnectWiseNotFoundError` for a missing board.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_board_statuses(
                board_id, pagesize=pagesize, limit=limit, forward_only=forward_only
            )
        op = ops.get_service_boards_by_parent_id_statuses
        return await self._children(
            BoardStatus,
            op,
            check_id("board_id", board_id),
            pagesize=pagesize,
            limit=limit,
            forward_only=forward_only,
        )

    async def get_board_types(
        self,
        board_id: int,
        run_as: str | None = None,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[BoardType]:
        """The ticket types of a board.

        ``run_as`` acts as another member. Raises :class:`~cw_facade.InvalidArgumentError`
        for a bad id, :class:`~cw_facade.ConnectWiseNotFoundError` for a missing board.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_board_types(
                board_id, pagesize=pagesize, limit=limit, forward_only=forward_only
            )
        op = ops.get_service_boards_by_parent_id_types
        return await self._children(
            BoardType,
            op,
            check_id("board_id", board_id),
            pagesize=pagesize,
            limit=limit,
            forward_only=forward_only,
        )

    async def get_priorities(
        self,
        run_as: str | None = None,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Priority]:
        """The ticket priorities.

        ``run_as`` acts as another member. Raises the API's errors.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_priorities(
                pagesize=pagesize, limit=limit, forward_only=forward_only
            )
        op, count = ops.get_service_priorities, ops.get_service_priorities_count
        return await self._list(
            Priority, op, count, pagesize=pagesize, limit=limit, forward_only=forward_only
        )

    async def get_sources(
        self,
        run_as: str | None = None,
        *,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
    ) -> list[Source]:
        """The ticket sources.

        ``run_as`` acts as another member. Raises the API's errors.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_sources(
                pagesize=pagesize, limit=limit, forward_only=forward_only
            )
        op, count = ops.get_service_sources, ops.get_service_sources_count
        return await self._list(
            Source, op, count, pagesize=pagesize, limit=limit, forward_only=forward_only
        )

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
        """Every callback registration."""
        op, count = ops.get_system_callbacks, ops.get_system_callbacks_count
        return await self._list(
            Callback, op, count, pagesize=pagesize, limit=limit, forward_only=forward_only
        )

    async def delete_callback(self, callback_id: int) -> bool:
        """Remove a callback registration; ``True`` once done."""
        args = ops.delete_system_callbacks_by_id.request_args(check_id("callback_id", callback_id))
        await self._call(args)
        return True


def given(conditions: Any) -> Any:
    """``conditions``, with the toolkit's empty string meaning none."""
    return None if isinstance(conditions, str) and not conditions.strip() else conditions


def order_of(orderby: Any, order_by: Any) -> Any:
    """The one ordering of ``orderby`` (toolkit spelling) and ``order_by``."""
    if orderby is None or orderby == "":
        return order_by
    if order_by is not None and order_by != orderby:
        raise InvalidArgumentError("orderby", "and order_by disagree; pass one of them")
    return orderby


def _config_ids(value: Any) -> list[int]:
    """The checked ``config_ids`` of ``create_ticket`` (a list or tuple of ids)."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise InvalidArgumentError("config_ids", "must be a list of configuration ids")
    return [check_id("config_ids", item) for item in value]


def _child_pages(op: Any, parent_id: int, query: Filters, child: str | None) -> PageBuilder:
    """Pages of ``op``'s children of ``parent_id`` with ``child_conditions`` as well."""
    if child is None:
        return child_page_builder(op, parent_id, query)
    kwargs = query.kwargs()

    def build(page: int | None, page_size: int, page_id: int | None) -> dict[str, Any]:
        args: dict[str, Any] = op.request_args(
            parent_id,
            **kwargs,
            child_conditions=child,
            page=page,
            page_size=page_size,
            page_id=page_id,
        )
        return args

    return build


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
