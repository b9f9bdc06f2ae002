"""Write tools: create a ticket, add a note, change a ticket's status by name, delete a ticket.

Each one plans its request first (names are resolved by reads), then goes through the
:class:`~cw_facade.mcp._safety.WriteGate`: refused on a read-only server or when not on the
allowlist, returned unsent with ``dry_run=true``, refused when destructive without
``confirm=true``, and otherwise sent with the client's raw methods — exactly the request a dry
run shows. The audit log gets one line per call, whatever happens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, TypeVar

from mcp.server import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from cw_facade._errors import ConnectWiseError
from cw_facade._validation import UnknownNameError
from cw_facade.mcp._context import ToolContext, as_dict, not_found, tool_errors
from cw_facade.mcp._safety import PlannedRequest
from cw_facade.mcp._schemas import Confirm, DryRun, RecordId
from cw_facade.models import Model

TICKETS = "/service/tickets"

M = TypeVar("M", bound=Model)

Name = Annotated[str | None, Field(min_length=1, max_length=100)]
OptionalId = Annotated[int | None, Field(ge=1)]


def _name(record: Model) -> str:
    name = record.raw.get("name")
    return name if isinstance(name, str) else ""


def _by_name(kind: str, wanted: str, records: Sequence[M], where: str = "") -> M:
    """The record named ``wanted`` (ignoring case); raises ``UnknownNameError`` listing names."""
    folded = wanted.strip().casefold()
    for record in records:
        if _name(record).strip().casefold() == folded:
            return record
    raise UnknownNameError(kind, wanted, [_name(r) for r in records if _name(r)], where)


def _ref(record_id: int) -> dict[str, int]:
    return {"id": record_id}


async def perform(
    ctx: ToolContext,
    tool: str,
    plan: Callable[[], Awaitable[PlannedRequest]],
    *,
    dry_run: bool,
    confirm: bool = False,
) -> dict[str, Any]:
    """Gate, plan, then preview or send one write, logging exactly one audit line."""
    gate = ctx.gate
    gate.check_allowed(tool, dry_run)
    try:
        request = await plan()
    except Exception as exc:
        gate.audit.write(tool, "failed", None, f"planning failed: {exc}")
        raise
    if dry_run:
        return gate.preview(tool, request)
    gate.check_confirmed(tool, request, confirm)
    try:
        answer = await _send(ctx, request)
    except ConnectWiseError as exc:
        gate.audit.write(tool, "failed", request, str(exc))
        raise
    record = as_dict(answer)
    gate.audit.write(tool, "sent", request, f"id={record.get('id')}" if record else None)
    return {"dry_run": False, "sent": True, "request": request.to_dict(), "record": record}


async def _send(ctx: ToolContext, request: PlannedRequest) -> Any:
    cw = ctx.client()
    if request.method == "POST":
        return await cw.post(request.endpoint, request.body)
    endpoint, _, record_id = request.endpoint.rpartition("/")
    if request.method == "PATCH":
        return await cw.patch(endpoint, int(record_id), request.body)
    if request.method == "DELETE":
        await cw.delete(endpoint, int(record_id))
        return {"id": int(record_id), "deleted": True}
    raise ValueError(f"no write method {request.method}")  # pragma: no cover - plans are ours


def register_writes(server: MCPServer, ctx: ToolContext) -> None:
    """Add the write tools to ``server``."""
    write = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=True)
    destructive = ToolAnnotations(read_only_hint=False, destructive_hint=True, open_world_hint=True)

    @server.tool(annotations=write)
    @tool_errors
    async def create_ticket(
        summary: Annotated[str, Field(min_length=1, max_length=100, description="Title.")],
        company_id: Annotated[RecordId, Field(description="The customer company's id.")],
        description: Annotated[
            str | None, Field(min_length=1, max_length=20000, description="First note.")
        ] = None,
        board: Annotated[Name, Field(description="Board name, e.g. 'Service Desk'.")] = None,
        board_id: Annotated[OptionalId, Field(description="Board id (instead of board).")] = None,
        priority: Annotated[Name, Field(description="Priority name.")] = None,
        priority_id: Annotated[
            OptionalId, Field(description="Priority id (instead of priority).")
        ] = None,
        contact_id: Annotated[OptionalId, Field(description="The contact to reach.")] = None,
        dry_run: DryRun = False,
    ) -> dict[str, Any]:
        """Create a service ticket (POST /service/tickets). A write: needs writes enabled.

        Board and priority may be given by name (resolved to ids first) or id, not both.
        Returns {sent, request, record} or, with dry_run, {dry_run, request, would_be_refused}.
        """

        async def plan() -> PlannedRequest:
            cw = ctx.client()
            body: dict[str, Any] = {"summary": summary, "company": _ref(company_id)}
            if board is not None and board_id is not None:
                raise ValueError("give board or board_id, not both")
            if priority is not None and priority_id is not None:
                raise ValueError("give priority or priority_id, not both")
            if board is not None:
                body["board"] = _ref(_by_name("board", board, await cw.get_boards()).id)
            elif board_id is not None:
                body["board"] = _ref(board_id)
            if priority is not None:
                found = _by_name("priority", priority, await cw.get_priorities())
                body["priority"] = _ref(found.id)
            elif priority_id is not None:
                body["priority"] = _ref(priority_id)
            if contact_id is not None:
                body["contact"] = _ref(contact_id)
            if description is not None:
                body["initialDescription"] = description
            return PlannedRequest("POST", TICKETS, body)

        return await perform(ctx, "create_ticket", plan, dry_run=dry_run)

    @server.tool(annotations=write)
    @tool_errors
    async def add_ticket_note(
        ticket_id: RecordId,
        text: Annotated[str, Field(min_length=1, max_length=20000, description="Note text.")],
        internal: Annotated[
            bool,
            Field(description="true: Internal tab, members only; false: seen by the customer."),
        ] = True,
        resolution: Annotated[bool, Field(description="Also mark it as the resolution.")] = False,
        dry_run: DryRun = False,
    ) -> dict[str, Any]:
        """Add a note to a ticket (POST /service/tickets/{id}/notes). A write.

        Returns {sent, request, record} or, with dry_run, {dry_run, request, would_be_refused}.
        """

        async def plan() -> PlannedRequest:
            body = {
                "text": text,
                "internalAnalysisFlag": internal,
                "detailDescriptionFlag": not internal,
                "resolutionFlag": resolution,
            }
            return PlannedRequest("POST", f"{TICKETS}/{ticket_id}/notes", body)

        return await perform(ctx, "add_ticket_note", plan, dry_run=dry_run)

    @server.tool(annotations=destructive)
    @tool_errors
    async def update_ticket_status(
        ticket_id: RecordId,
        status: Annotated[str, Field(min_length=1, max_length=100, description="Status name.")],
        dry_run: DryRun = False,
        confirm: Confirm = False,
    ) -> dict[str, Any]:
        """Move a ticket to a status given by name, on the ticket's own board. A write.

        A status that closes the ticket (e.g. 'Resolved') is destructive: it needs
        confirm=true. Returns {sent, request, record} or, with dry_run, the unsent request.
        """

        async def plan() -> PlannedRequest:
            cw = ctx.client()
            ticket = await cw.get_ticket(ticket_id)
            if ticket is None:
                raise not_found("ticket", ticket_id)
            board_id = ticket.board_id
            if board_id is None:
                raise ValueError(f"ticket {ticket_id} has no board, so its statuses are unknown")
            statuses = await cw.get_board_statuses(board_id)
            found = _by_name("status", status, statuses, f"on board {board_id}")
            body = [{"op": "replace", "path": "status", "value": _ref(found.id)}]
            closes = bool(found.is_closed)
            return PlannedRequest("PATCH", f"{TICKETS}/{ticket_id}", body, destructive=closes)

        return await perform(ctx, "update_ticket_status", plan, dry_run=dry_run, confirm=confirm)

    @server.tool(annotations=destructive)
    @tool_errors
    async def delete_ticket(
        ticket_id: RecordId, dry_run: DryRun = False, confirm: Confirm = False
    ) -> dict[str, Any]:
        """Delete a ticket for good (DELETE /service/tickets/{id}). Destructive: needs
        confirm=true, and the server must list delete_ticket among its writable tools.
        """

        async def plan() -> PlannedRequest:
            return PlannedRequest("DELETE", f"{TICKETS}/{ticket_id}", destructive=True)

        return await perform(ctx, "delete_ticket", plan, dry_run=dry_run, confirm=confirm)
