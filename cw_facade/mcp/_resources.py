"""Resources and a prompt: the conditions syntax, and the ids and names of lookups."""

from __future__ import annotations

import json
from typing import Any

from mcp.server import MCPServer

from cw_facade.mcp._context import ToolContext

#: Boards whose statuses the lookups resource lists (one request per board).
MAX_BOARDS = 50

CONDITIONS_SYNTAX = """\
# ConnectWise conditions, as this server accepts them

Prefer the structured `filters` argument: [{"field": "summary", "op": "contains",
"value": "disk"}]. Values are always sent as values, whatever they contain.

A raw `conditions` string is checked by a parser before it is sent:

- comparison: `path op value`; path segments joined by `/` (`company/id`, `status/name`,
  `_info/lastUpdated`)
- operators: `=` `!=` `<` `<=` `>` `>=`, `contains`, `like` (`*` matches any run),
  `in (a, b)`, and `not contains`, `not like`, `not in`
- values: "double-quoted strings" (backslash before `"` and `\\`), numbers, `true`/`false`,
  `null`, dates in brackets in UTC: `[2025-01-31T00:00:00Z]`
- logic: `AND`, `OR`, `NOT (...)`, parentheses. AND and OR never mix without parentheses:
  `(a=1 AND b=2) OR c=3`.

Examples: `closedFlag=false AND priority/id>=8`; `summary contains "printer"`;
`lastUpdated > [2025-01-01T00:00:00Z]`; `id in (1, 2, 3)`.
Sort with `order_by` ("id desc"), project with `fields` (["id", "summary", "status/name"]).
"""


def _pair(record: Any) -> dict[str, Any]:
    raw = record.raw
    return {"id": raw.get("id"), "name": raw.get("name")}


async def lookups(ctx: ToolContext) -> dict[str, Any]:
    """Boards with their statuses (closing or not), and priorities: ids and names."""
    cw = ctx.client()
    boards = []
    for board in (await cw.get_boards())[:MAX_BOARDS]:
        statuses = [
            {**_pair(status), "closes_ticket": bool(status.is_closed)}
            for status in await cw.get_board_statuses(board.id)
        ]
        boards.append({**_pair(board), "statuses": statuses})
    priorities = [_pair(priority) for priority in await cw.get_priorities()]
    return {"boards": boards, "priorities": priorities}


def register_resources(server: MCPServer, ctx: ToolContext) -> None:
    """Add the resources and the prompt to ``server``."""

    @server.resource(
        "cw://conditions-syntax",
        name="conditions-syntax",
        description="How to filter: structured filters and the raw conditions syntax.",
        mime_type="text/markdown",
    )
    def conditions_syntax() -> str:
        """The filtering guide (static text)."""
        return CONDITIONS_SYNTAX

    @server.resource(
        "cw://lookups",
        name="lookups",
        description="Ids and names of boards, their statuses, and priorities.",
        mime_type="application/json",
    )
    async def lookup_table() -> str:
        """The lookups as JSON, read from ConnectWise on every read."""
        return json.dumps(await lookups(ctx), ensure_ascii=False)

    @server.prompt(description="Triage one ticket: read it, its notes and its company.")
    def triage_ticket(ticket_id: int) -> str:
        """The triage instructions for ``ticket_id``."""
        return (
            f"Triage ConnectWise ticket {ticket_id}. Call get_ticket with ticket_id={ticket_id}, "
            "then get_company for its company. Summarise the problem, what has been tried "
            "(from the notes) and propose a next step and a priority. Change nothing: if a "
            "change is needed, show it with dry_run=true and ask the user first."
        )
