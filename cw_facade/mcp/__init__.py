"""A Model Context Protocol (MCP) server for ConnectWise Manage, on the typed async client.

Run it with ``python -m cw_facade.mcp`` (or ``cw mcp``); it needs the ``mcp`` extra
(``pip install 'cw-facade[mcp]'``). One server process acts as one ConnectWise member, with
the credentials of the ``CW_*`` environment variables (:class:`Credentials`).

Tools: ``search_tickets``, ``get_ticket`` (with notes), ``list_companies``/``get_company``,
``list_contacts``/``get_contact``, ``list_configurations``/``get_configuration``,
``list_time_entries``/``get_time_entry``, ``list_agreements``/``get_agreement``,
``find_operation`` and ``call_operation`` (any GET of the bundled description), and the write
tools ``create_ticket``, ``add_ticket_note``, ``update_ticket_status`` (by name) and
``delete_ticket``. Resources: ``cw://conditions-syntax`` and ``cw://lookups``; prompt:
``triage_ticket``.

Safety (:class:`ServerSettings`): read-only unless started with writes enabled; an allowlist
of write tools (``delete_ticket`` only when named); ``dry_run=true`` on every write returns
the exact request and sends nothing; destructive writes (deleting, moving a ticket to a
closing status) need ``confirm=true``; every write-tool call appends one JSON line to the
audit log; results are bounded in records and characters and say when they were cut.

For embedding (the ``cw mcp`` command uses these): :func:`main` parses a command line and
runs the server; :func:`build_server` returns the SDK's ``MCPServer`` object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cw_facade.mcp._credentials import Credentials
from cw_facade.mcp._main import main
from cw_facade.mcp._settings import WRITE_TOOLS, ServerSettings

if TYPE_CHECKING:
    from mcp.server import MCPServer

    from cw_facade.mcp._context import ClientFactory

__all__ = ["WRITE_TOOLS", "Credentials", "ServerSettings", "build_server", "main"]


def build_server(
    settings: ServerSettings | None = None,
    *,
    credentials: Credentials | None = None,
    client_factory: ClientFactory | None = None,
    actor: str | None = None,
) -> MCPServer[Any]:
    """Build the MCP server (see :func:`cw_facade.mcp._server.build_server`).

    Raises ``ModuleNotFoundError`` when the ``mcp`` extra is not installed,
    ``ConnectWiseConfigurationError`` for missing credentials, ``ValueError`` for bad
    settings and ``OSError`` when the audit log cannot be opened.
    """
    from cw_facade.mcp._server import build_server as build

    return build(settings, credentials=credentials, client_factory=client_factory, actor=actor)
