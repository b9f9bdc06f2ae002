"""Read tools: tickets, notes, companies, contacts, configurations, time entries, agreements.

Every list tool takes typed shortcuts (``company_id``, ``summary_contains`` ...), structured
``filters`` and an optional raw ``conditions`` string; all of them go through the conditions
builder (see :mod:`cw_facade.mcp._filters`). Results are bounded (:mod:`cw_facade.mcp._bounds`)
and say which ``conditions`` were sent.
"""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from cw_facade.conditions import C, Expr, fields, order_by, parse_order_by
from cw_facade.mcp._bounds import bound_record, bound_records
from cw_facade.mcp._context import ToolContext, as_dict, not_found, tool_errors
from cw_facade.mcp._filters import build_conditions
from cw_facade.mcp._schemas import (
    FieldsArg,
    Filters,
    MatchArg,
    OrderByArg,
    RawConditions,
    RecordId,
)
from cw_facade.mcp._settings import DEFAULT_LIMIT

READ = ToolAnnotations(read_only_hint=True, open_world_hint=True)

Limit = Annotated[
    int,
    Field(ge=1, le=1000, description="Most records to return (the server caps it further)."),
]
Text = Annotated[str | None, Field(min_length=1, max_length=200)]
OptionalId = Annotated[int | None, Field(ge=1)]
CompanyId = Annotated[OptionalId, Field(description="Only records of this company (its id).")]
NameContains = Annotated[Text, Field(description="Only records whose name contains this text.")]

TIME_ENTRIES_PATH = "time/entries"
AGREEMENTS_PATH = "finance/agreements"


def _contains(path: str, text: str | None) -> Expr | None:
    return None if text is None else C(path).contains(text)


def _equals(path: str, value: object) -> Expr | None:
    return None if value is None else C(path) == value


async def list_records(
    ctx: ToolContext,
    endpoint: str,
    conditions: str | None,
    field_paths: list[str] | None,
    order: str | None,
    limit: int,
) -> dict[str, Any]:
    """One bounded page of ``endpoint``'s records; the answer says the conditions it sent."""
    limit = ctx.limit(limit)
    order_text = order_by(*parse_order_by(order)) if order else None
    fields_text = fields(*field_paths) if field_paths else None
    records: list[dict[str, Any]] = []
    pages = ctx.client().iter_all(
        endpoint,
        conditions=conditions,
        fields=fields_text,
        order_by=order_text,
        pagesize=min(limit + 1, 1000),
        limit=limit + 1,
    )
    async for record in pages:
        records.append(record)
    result = bound_records(
        records[:limit], limit=limit, max_bytes=ctx.settings.max_bytes, more=len(records) > limit
    )
    result["conditions"] = conditions
    return result


def _bounded(ctx: ToolContext, record: dict[str, Any]) -> dict[str, Any]:
    return bound_record(record, max_bytes=ctx.settings.max_bytes)


def register_reads(server: MCPServer, ctx: ToolContext) -> None:
    """Add the read tools to ``server``."""
    _register_tickets(server, ctx)
    _register_companies(server, ctx)
    _register_time_and_agreements(server, ctx)


def _register_tickets(server: MCPServer, ctx: ToolContext) -> None:
    @server.tool(annotations=READ)
    @tool_errors
    async def search_tickets(
        summary_contains: Annotated[
            Text, Field(description="Only tickets whose summary contains this text.")
        ] = None,
        company_id: CompanyId = None,
        board_id: Annotated[OptionalId, Field(description="Only tickets on this board.")] = None,
        status: Annotated[Text, Field(description="Status name, e.g. 'New'.")] = None,
        closed: Annotated[bool | None, Field(description="true: closed only; false: open.")] = None,
        filters: Filters = [],  # noqa: B006 (pydantic copies defaults)
        match: MatchArg = "all",
        conditions: RawConditions = None,
        fields: FieldsArg = None,
        order_by: OrderByArg = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """Search service tickets. Every argument narrows the search (they are ANDed).

        Returns {records, count, truncated, note?, conditions}: 'conditions' is exactly what
        was sent to ConnectWise. Use 'fields' to keep results small.
        """
        text = build_conditions(
            [
                _contains("summary", summary_contains),
                _equals("company/id", company_id),
                _equals("board/id", board_id),
                _equals("status/name", status),
                _equals("closedFlag", closed),
            ],
            [f.spec() for f in filters],
            match,
            conditions,
        )
        return await list_records(ctx, "service/tickets", text, fields, order_by, limit)

    @server.tool(annotations=READ)
    @tool_errors
    async def get_ticket(
        ticket_id: RecordId,
        include_notes: Annotated[bool, Field(description="Also return the notes.")] = True,
        notes_limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """One service ticket by id, with its notes (newest last).

        Returns {record, truncated, notes?: {records, count, truncated}}.
        """
        cw = ctx.client()
        ticket = await cw.get_ticket(ticket_id)
        if ticket is None:
            raise not_found("ticket", ticket_id)
        result = _bounded(ctx, ticket.raw)
        if include_notes:
            notes = [note.raw for note in await cw.get_ticket_notes(ticket_id)]
            limit = ctx.limit(notes_limit)
            result["notes"] = bound_records(
                notes, limit=limit, max_bytes=ctx.settings.max_bytes, more=False
            )
        return result


def _register_companies(server: MCPServer, ctx: ToolContext) -> None:
    @server.tool(annotations=READ)
    @tool_errors
    async def list_companies(
        name_contains: NameContains = None,
        identifier: Annotated[Text, Field(description="The company's short identifier.")] = None,
        filters: Filters = [],  # noqa: B006
        match: MatchArg = "all",
        conditions: RawConditions = None,
        fields: FieldsArg = None,
        order_by: OrderByArg = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """List companies (clients, vendors ...). Returns {records, count, truncated, ...}."""
        text = build_conditions(
            [_contains("name", name_contains), _equals("identifier", identifier)],
            [f.spec() for f in filters],
            match,
            conditions,
        )
        return await list_records(ctx, "company/companies", text, fields, order_by, limit)

    @server.tool(annotations=READ)
    @tool_errors
    async def get_company(company_id: RecordId) -> dict[str, Any]:
        """One company by id. Returns {record, truncated}."""
        company = await ctx.client().get_company(company_id)
        if company is None:
            raise not_found("company", company_id)
        return _bounded(ctx, company.raw)

    @server.tool(annotations=READ)
    @tool_errors
    async def list_contacts(
        company_id: CompanyId = None,
        last_name: Annotated[Text, Field(description="Exact last name.")] = None,
        first_name: Annotated[Text, Field(description="Exact first name.")] = None,
        filters: Filters = [],  # noqa: B006
        match: MatchArg = "all",
        conditions: RawConditions = None,
        fields: FieldsArg = None,
        order_by: OrderByArg = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """List contacts (people at companies). Returns {records, count, truncated, conditions}."""
        text = build_conditions(
            [
                _equals("company/id", company_id),
                _equals("lastName", last_name),
                _equals("firstName", first_name),
            ],
            [f.spec() for f in filters],
            match,
            conditions,
        )
        return await list_records(ctx, "company/contacts", text, fields, order_by, limit)

    @server.tool(annotations=READ)
    @tool_errors
    async def get_contact(contact_id: RecordId) -> dict[str, Any]:
        """One contact by id. Returns {record, truncated}."""
        contact = await ctx.client().get_contact(contact_id)
        if contact is None:
            raise not_found("contact", contact_id)
        return _bounded(ctx, contact.raw)

    @server.tool(annotations=READ)
    @tool_errors
    async def list_configurations(
        company_id: CompanyId = None,
        name_contains: NameContains = None,
        filters: Filters = [],  # noqa: B006
        match: MatchArg = "all",
        conditions: RawConditions = None,
        fields: FieldsArg = None,
        order_by: OrderByArg = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """List configurations (servers, devices ...). Returns {records, count, truncated, ...}."""
        text = build_conditions(
            [_equals("company/id", company_id), _contains("name", name_contains)],
            [f.spec() for f in filters],
            match,
            conditions,
        )
        return await list_records(ctx, "company/configurations", text, fields, order_by, limit)

    @server.tool(annotations=READ)
    @tool_errors
    async def get_configuration(configuration_id: RecordId) -> dict[str, Any]:
        """One configuration by id. Returns {record, truncated}."""
        config = await ctx.client().get_configuration(configuration_id)
        if config is None:
            raise not_found("configuration", configuration_id)
        return _bounded(ctx, config.raw)


def _register_time_and_agreements(server: MCPServer, ctx: ToolContext) -> None:
    @server.tool(annotations=READ)
    @tool_errors
    async def list_time_entries(
        ticket_id: Annotated[
            OptionalId, Field(description="Only time charged to this service ticket.")
        ] = None,
        member_identifier: Annotated[
            Text, Field(description="Only this member's time (their identifier).")
        ] = None,
        company_id: CompanyId = None,
        filters: Filters = [],  # noqa: B006
        match: MatchArg = "all",
        conditions: RawConditions = None,
        fields: FieldsArg = None,
        order_by: OrderByArg = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """List time entries (time/entries). Returns {records, count, truncated, conditions}."""
        charged = None
        if ticket_id is not None:
            charged = (C.chargeToId == ticket_id) & (C.chargeToType == "ServiceTicket")
        text = build_conditions(
            [
                charged,
                _equals("member/identifier", member_identifier),
                _equals("company/id", company_id),
            ],
            [f.spec() for f in filters],
            match,
            conditions,
        )
        return await list_records(ctx, TIME_ENTRIES_PATH, text, fields, order_by, limit)

    @server.tool(annotations=READ)
    @tool_errors
    async def get_time_entry(time_entry_id: RecordId) -> dict[str, Any]:
        """One time entry by id. Returns {record, truncated}."""
        record = await ctx.client().get(f"{TIME_ENTRIES_PATH}/{time_entry_id}")
        if record is None:
            raise not_found("time entry", time_entry_id)
        return _bounded(ctx, as_dict(record))

    @server.tool(annotations=READ)
    @tool_errors
    async def list_agreements(
        company_id: CompanyId = None,
        name_contains: NameContains = None,
        filters: Filters = [],  # noqa: B006
        match: MatchArg = "all",
        conditions: RawConditions = None,
        fields: FieldsArg = None,
        order_by: OrderByArg = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """List agreements (finance/agreements). Returns {records, count, truncated, ...}."""
        text = build_conditions(
            [_equals("company/id", company_id), _contains("name", name_contains)],
            [f.spec() for f in filters],
            match,
            conditions,
        )
        return await list_records(ctx, AGREEMENTS_PATH, text, fields, order_by, limit)

    @server.tool(annotations=READ)
    @tool_errors
    async def get_agreement(agreement_id: RecordId) -> dict[str, Any]:
        """One agreement by id. Returns {record, truncated}."""
        record = await ctx.client().get(f"{AGREEMENTS_PATH}/{agreement_id}")
        if record is None:
            raise not_found("agreement", agreement_id)
        return _bounded(ctx, as_dict(record))
