"""``find_operation`` and ``call_operation``: any read operation of the bundled description.

Both stand on the shared operation catalog (:mod:`cw_facade._catalog`). ``call_operation``
runs GETs only — writes go through the gated write tools — and checks what it sends: every
parameter against the operation, ``conditions``-like values with the conditions parser (the
parsed tree is rendered again, so only valid syntax is sent), ``orderBy`` by its parser, and a
page size capped by the server's ``max_records``.
"""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from cw_facade._catalog import OperationInfo, UnknownOperationError, build_call, catalog
from cw_facade.conditions import order_by, parse_order_by
from cw_facade.mcp._bounds import bound_record, bound_records
from cw_facade.mcp._context import ToolContext, tool_errors
from cw_facade.mcp._filters import validated_conditions
from cw_facade.mcp._settings import DEFAULT_LIMIT

#: Query parameters holding conditions text, folded: validated before sending.
CONDITION_PARAMETERS = frozenset({"conditions", "childconditions", "customfieldconditions"})
PAGE_SIZE = "pageSize"

ParamValue = str | int | float | bool


def describe(op: OperationInfo) -> dict[str, Any]:
    """What an agent needs to call ``op``: id, method, path, summary and parameters."""
    return {
        "operation_id": op.operation_id,
        "method": op.method,
        "path": op.path,
        "summary": op.summary,
        "callable": op.is_read,
        "parameters": [
            {"name": p.name, "in": p.location, "required": p.required, "type": p.type}
            for p in op.parameters
            if p.location in {"path", "query"}
        ],
    }


def checked_values(op: OperationInfo, values: dict[str, ParamValue], cap: int) -> dict[str, Any]:
    """``values`` with conditions re-rendered from their parse, ``orderBy`` checked and the
    page size capped at ``cap`` (defaulted when the operation pages). Raises ``ValueError``.
    """
    checked: dict[str, Any] = {}
    for name, value in values.items():
        folded = name.casefold()
        if folded in CONDITION_PARAMETERS and isinstance(value, str):
            checked[name] = validated_conditions(value).render()
        elif folded == "orderby" and isinstance(value, str):
            checked[name] = order_by(*parse_order_by(value))
        elif folded == "pagesize":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"pageSize must be a positive integer, not {value!r}")
            checked[name] = min(value, cap)
        else:
            checked[name] = value
    pages = op.parameter(PAGE_SIZE) is not None
    if pages and not any(name.casefold() == "pagesize" for name in checked):
        checked[PAGE_SIZE] = min(DEFAULT_LIMIT, cap)
    return checked


#: Query parameters the raw ``get`` takes as its own checked arguments, by folded wire name.
_NAMED = {
    "conditions": "conditions",
    "fields": "fields",
    "orderby": "order_by",
    "page": "page",
    "pagesize": "pagesize",
}


def get_arguments(query: dict[str, str]) -> dict[str, Any]:
    """The raw ``get`` keyword arguments for a built ``query`` (page numbers as ints)."""
    arguments: dict[str, Any] = {}
    for name, value in query.items():
        named = _NAMED.get(name.casefold())
        if named in {"page", "pagesize"}:
            arguments[named] = int(value)
        elif named is not None:
            arguments[named] = value
        else:
            arguments[name] = value
    return arguments


def register_operations(server: MCPServer, ctx: ToolContext) -> None:
    """Add ``find_operation`` and ``call_operation`` to ``server``."""
    read = ToolAnnotations(read_only_hint=True, open_world_hint=True)

    @server.tool(annotations=read)
    @tool_errors
    async def find_operation(
        words: Annotated[
            str,
            Field(
                min_length=1,
                max_length=200,
                description="Words to look for in operation ids, paths and summaries, "
                "e.g. 'ticket notes' or 'company sites'.",
            ),
        ],
        include_writes: Annotated[
            bool, Field(description="Also list writes (they cannot be called here).")
        ] = False,
        limit: Annotated[int, Field(ge=1, le=50, description="Most operations to list.")] = 10,
    ) -> dict[str, Any]:
        """Search the ConnectWise API description's operations by words, best first.

        Returns {operations: [{operation_id, method, path, summary, callable, parameters}]}.
        Call a GET one with call_operation.
        """
        found = [op for op in catalog().search(words) if include_writes or op.is_read]
        return {"operations": [describe(op) for op in found[:limit]], "total": len(found)}

    @server.tool(annotations=read)
    @tool_errors
    async def call_operation(
        operation: Annotated[
            str,
            Field(
                min_length=1,
                max_length=300,
                description="An operationId from find_operation, or 'GET /path' "
                "('GET /service/boards/{id}/statuses' or 'GET /service/boards/1/statuses').",
            ),
        ],
        parameters: Annotated[
            dict[str, ParamValue],
            Field(
                description="Path and query parameters by name, e.g. {'id': 5, 'conditions': "
                "'closedFlag=false', 'fields': 'id,name', 'pageSize': 25}. conditions are "
                "checked by the conditions parser."
            ),
        ] = {},  # noqa: B006 (pydantic copies defaults)
    ) -> dict[str, Any]:
        """Call any READ (GET) operation of the ConnectWise API description.

        Writes are refused here. Lists return {records, count, truncated, note?} (one page:
        use page/pageSize to move on); single records return {record, truncated}.
        """
        found = catalog().find(operation)
        if found is None:
            raise UnknownOperationError(operation, catalog().suggest(operation))
        op, path_values = found
        if not op.is_read:
            raise ValueError(
                f"call_operation runs reads only; {op.key} is a {op.method}: use the write "
                "tools (create_ticket, add_ticket_note, ...) instead"
            )
        values = {**path_values, **parameters}
        call = build_call(op, checked_values(op, values, ctx.settings.max_records))
        answer = await ctx.client().get(call.path, **get_arguments(call.query))
        if answer is None:
            raise ValueError(f"{op.key} answered 404 Not Found for {call.path}")
        if isinstance(answer, list):
            size = int(call.query.get(PAGE_SIZE, "0"))
            result = bound_records(
                [r if isinstance(r, dict) else {"value": r} for r in answer],
                limit=ctx.settings.max_records,
                max_bytes=ctx.settings.max_bytes,
                more=size > 0 and len(answer) >= size,  # a full page: there may be more
            )
        else:
            result = bound_record(
                answer if isinstance(answer, dict) else {"value": answer},
                max_bytes=ctx.settings.max_bytes,
            )
        result["request"] = {"method": "GET", "path": "/" + call.path, "query": call.query}
        return result
