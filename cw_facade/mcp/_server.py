"""``build_server``: the MCP server object with every tool, resource and prompt registered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.server import MCPServer

from cw_facade.mcp._context import ClientFactory, ToolContext
from cw_facade.mcp._credentials import Credentials
from cw_facade.mcp._operations import register_operations
from cw_facade.mcp._reads import register_reads
from cw_facade.mcp._resources import register_resources
from cw_facade.mcp._safety import AuditLog, WriteGate
from cw_facade.mcp._settings import ServerSettings
from cw_facade.mcp._writes import register_writes

SERVER_NAME = "cw-facade"

INSTRUCTIONS = """\
ConnectWise Manage (PSA) through cw-facade, acting as one ConnectWise member: you see and
change only what that member's security role allows. Filter with the structured 'filters'
argument rather than raw 'conditions' (read cw://conditions-syntax); ids and names of boards,
statuses and priorities are in cw://lookups. Results are bounded: 'truncated' says when more
exist. Writes (create_ticket, add_ticket_note, update_ticket_status, delete_ticket) are
refused unless the server was started with writes enabled; use dry_run=true to show the user
the exact request first, and confirm=true only after the user agreed to a destructive change.
Any other read: find_operation, then call_operation.
"""


def _client_factory(credentials: Credentials) -> ClientFactory:
    def build() -> Any:
        from cw_facade._async._client import AsyncConnectWiseClient

        options: dict[str, Any] = {}
        if credentials.codebase:
            options["codebase"] = credentials.codebase
        if credentials.api_version:
            options["api_version"] = credentials.api_version
        return AsyncConnectWiseClient(
            credentials.base_url,
            credentials.company,
            credentials.public_key,
            credentials.private_key,
            credentials.client_id,
            **options,
        )

    return build


def build_server(
    settings: ServerSettings | None = None,
    *,
    credentials: Credentials | None = None,
    client_factory: ClientFactory | None = None,
    actor: str | None = None,
) -> MCPServer:
    """The MCP server, ready to run (``server.run("stdio")``) or to connect to in-process.

    ``settings``: writes, allowlist, audit log and bounds (default: read from the
    environment, :meth:`ServerSettings.from_env`).
    ``credentials``: the ConnectWise member the server acts as (default: read from ``CW_*``
    environment variables). ``client_factory`` builds the
    :class:`~cw_facade.AsyncConnectWiseClient` instead (tests pass one on a mock transport);
    ``actor`` then names who acts in the audit log.

    Raises ``ConnectWiseConfigurationError`` when credentials are missing, ``ValueError`` for
    bad settings, and ``OSError`` when the audit log cannot be opened for appending.
    """
    settings = ServerSettings.from_env() if settings is None else settings
    if client_factory is None:
        credentials = Credentials.from_env() if credentials is None else credentials
        client_factory = _client_factory(credentials)
    who = actor or (credentials.actor if credentials is not None else "unidentified")
    ctx = ToolContext(
        settings, WriteGate(settings, AuditLog(settings.audit_log, who)), client_factory
    )

    @asynccontextmanager
    async def lifespan(_: MCPServer[Any]) -> AsyncIterator[None]:
        try:
            yield None
        finally:
            await ctx.aclose()

    server: MCPServer[Any] = MCPServer(
        SERVER_NAME, instructions=INSTRUCTIONS, lifespan=lifespan, log_level="WARNING"
    )
    register_reads(server, ctx)
    register_writes(server, ctx)
    register_operations(server, ctx)
    register_resources(server, ctx)
    return server
