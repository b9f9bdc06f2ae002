"""``cw simulate``: the bundled ConnectWise Manage simulator (``python -m cw_facade.testing
serve``), with the same options. The simulator is imported only when this command runs.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cw_facade.cli._app import Context

#: The options of ``python -m cw_facade.testing serve`` (a test keeps the two in step):
#: (flag, type, help). Defaults stay with the simulator's own parser.
OPTIONS: tuple[tuple[str, Any, str], ...] = (
    ("--host", str, "address to listen on (default 127.0.0.1)"),
    ("--port", int, "port (default 0: a free one)"),
    ("--seed", str, "data set: demo (default) or empty"),
    ("--tickets", int, "number of demo tickets"),
    ("--latency-ms", float, "added latency per request"),
    ("--rate-limit", str, "token bucket per credential, e.g. 1000/min (429 with Retry-After)"),
    ("--rate-burst", int, "bucket size (default: the rate's N)"),
    ("--description", str, "OpenAPI document to serve (default: the bundled one)"),
    ("--fault-rate", float, "share of 429/503/reset answers"),
    ("--company", str, "login company id it accepts"),
    ("--public-key", str, "public key it accepts"),
    ("--private-key", str, "private key it accepts (default: the demo key)"),
    ("--client-id", str, "clientId it accepts"),
    ("--codebase", str, "codebase it serves (default v4_6_release/)"),
)


def run(ctx: Context, args: argparse.Namespace) -> int:
    """Serve until interrupted (the simulator prints where it listens)."""
    from cw_facade.testing.__main__ import main as serve

    forwarded = ["serve"]
    for flag, _, _ in OPTIONS:
        value = getattr(args, flag[2:].replace("-", "_"))
        if value is not None:
            forwarded += [flag, str(value)]
    return serve(forwarded)


def register(commands: Any, parents: dict[str, argparse.ArgumentParser]) -> None:
    """Add ``cw simulate``."""
    parser = commands.add_parser(
        "simulate",
        help="run the bundled ConnectWise Manage simulator",
        description=(
            "Serve a local ConnectWise Manage simulator on loopback until Ctrl+C, with the "
            "documented demo credentials unless given (the private key is never printed)."
        ),
        epilog=(
            "examples:\n"
            "  cw simulate --port 8765\n"
            "  CW_BASE_URL=http://127.0.0.1:8765 CW_COMPANY=cwfacade CW_PUBLIC_KEY=demo-public \\\n"
            "    CW_PRIVATE_KEY=demo-private CW_CLIENT_ID=00000000-0000-4000-8000-000000000000 \\\n"
            "    cw tickets list"
        ),
    )
    for flag, kind, text in OPTIONS:
        parser.add_argument(flag, type=kind, default=None, help=text)
    parser.set_defaults(handler=run)
