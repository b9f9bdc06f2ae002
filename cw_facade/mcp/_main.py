"""``python -m cw_facade.mcp``: run the MCP server over stdio or streamable HTTP."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from cw_facade._errors import ConnectWiseConfigurationError
from cw_facade.mcp._credentials import Credentials
from cw_facade.mcp._settings import ServerSettings, parse_writable

INSTALL_HINT = (
    "The cw-facade MCP server needs the optional 'mcp' extra (the MCP Python SDK):\n"
    "    pip install 'cw-facade[mcp]'\n"
)

#: Exit status for a usage or configuration problem.
EXIT_USAGE = 2


def sdk_available() -> bool:
    """Whether the MCP Python SDK can be imported."""
    try:
        import mcp.server  # noqa: F401
    except ImportError:
        return False
    return True


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m cw_facade.mcp`` (credentials come from the environment)."""
    p = argparse.ArgumentParser(
        prog="python -m cw_facade.mcp",
        description="A Model Context Protocol server for ConnectWise Manage. Credentials: "
        "CW_BASE_URL, CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY, CW_CLIENT_ID, or a profile "
        "of the cw config file (--profile).",
    )
    p.add_argument(
        "--profile",
        help="config-file profile for what the environment does not set (env CW_PROFILE)",
    )
    p.add_argument(
        "--allow-writes",
        action="store_true",
        default=None,
        help="let write tools send (default: read-only; env CW_MCP_ALLOW_WRITES=1)",
    )
    p.add_argument(
        "--writable",
        metavar="TOOLS",
        help="comma list of write tools allowed (default: all but delete_ticket; "
        "env CW_MCP_WRITABLE)",
    )
    p.add_argument(
        "--audit-log",
        metavar="PATH",
        help="JSON-lines audit file (env CW_MCP_AUDIT_LOG; default "
        "~/.local/state/cw-facade/mcp-audit.jsonl)",
    )
    p.add_argument("--max-records", type=int, help="most records per result (default 100)")
    p.add_argument("--max-bytes", type=int, help="most characters per result (default 60000)")
    p.add_argument("--transport", choices=("stdio", "streamable-http"), default="stdio")
    p.add_argument("--host", default="127.0.0.1", help="HTTP address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="HTTP port (default 8765)")
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow --host to be a non-loopback address (the HTTP transport has no "
        "authentication of its own)",
    )
    return p


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def settings_from(args: argparse.Namespace) -> ServerSettings:
    """The :class:`ServerSettings` of the environment, overridden by the flags.

    Raises ``ValueError`` for a malformed variable or flag value.
    """
    settings = ServerSettings.from_env()
    changes: dict[str, object] = {}
    if args.allow_writes:
        changes["writes_enabled"] = True
    if args.writable is not None:
        changes["writable"] = parse_writable(args.writable)
    if args.audit_log:
        changes["audit_log"] = Path(args.audit_log)
    if args.max_records is not None:
        changes["max_records"] = args.max_records
    if args.max_bytes is not None:
        changes["max_bytes"] = args.max_bytes
    return replace(settings, **changes)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server until its client disconnects; returns the exit status.

    Without the SDK it prints how to install it and returns 2; a configuration problem
    (missing credentials, a bad flag value, an audit log that cannot be opened) is printed as
    one line and returns 2, never a traceback.
    """
    if not sdk_available():
        sys.stderr.write(INSTALL_HINT)
        return EXIT_USAGE
    args = parser().parse_args(argv)
    if args.transport != "stdio" and not (_is_loopback(args.host) or args.allow_remote):
        sys.stderr.write(f"refusing to listen on {args.host}: add --allow-remote to do so\n")
        return EXIT_USAGE
    from cw_facade.mcp._server import build_server

    try:
        settings = settings_from(args)
        credentials = Credentials.from_env(profile=args.profile)
        server = build_server(settings, credentials=credentials)
    except (ConnectWiseConfigurationError, ValueError, OSError) as exc:
        sys.stderr.write(f"cw-facade MCP server: {exc}\n")
        return EXIT_USAGE
    if args.transport == "stdio":
        server.run("stdio")
    else:
        server.run("streamable-http", host=args.host, port=args.port)
    return 0
