"""Command line: ``python -m cw_facade.testing serve [options]``.

Serves the simulator until interrupted and prints where it listens and which credentials it
accepts (by name: the private key itself is never printed).
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence

from cw_facade.testing._ratelimit import RateLimit
from cw_facade.testing._seed import SEEDS
from cw_facade.testing._simulator import (
    DEFAULT_CODEBASE,
    DEMO_CLIENT_ID,
    DEMO_COMPANY,
    DEMO_PRIVATE_KEY,
    DEMO_PUBLIC_KEY,
    ManageSimulator,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m cw_facade.testing``."""
    parser = argparse.ArgumentParser(prog="python -m cw_facade.testing")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run a local ConnectWise Manage simulator")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument("--seed", choices=SEEDS, default="demo")
    serve.add_argument("--tickets", type=int, default=None, help="number of demo tickets")
    serve.add_argument(
        "--latency-ms", type=float, default=0.0, help="delay every answer (other requests go on)"
    )
    serve.add_argument(
        "--rate-limit",
        type=_rate,
        default=None,
        metavar="N/PERIOD",
        help="token bucket per credential, e.g. 1000/min (429 with Retry-After when spent)",
    )
    serve.add_argument("--rate-burst", type=int, default=None, help="bucket size (default N)")
    serve.add_argument(
        "--description", default=None, help="OpenAPI document to serve (default: the bundled one)"
    )
    serve.add_argument("--fault-rate", type=float, default=0.0, help="share of 429/503/resets")
    serve.add_argument("--company", default=DEMO_COMPANY)
    serve.add_argument("--public-key", default=DEMO_PUBLIC_KEY)
    serve.add_argument("--private-key", default=DEMO_PRIVATE_KEY)
    serve.add_argument("--client-id", default=DEMO_CLIENT_ID)
    serve.add_argument("--codebase", default=DEFAULT_CODEBASE)
    return parser


def _rate(text: str) -> RateLimit:
    try:
        return RateLimit.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def describe(simulator: ManageSimulator, private_key_given: bool) -> str:
    """What ``serve`` prints: URLs and credential names, never the private key."""
    key_source = "given with --private-key" if private_key_given else "the demo default"
    lines = [
        f"ConnectWise Manage simulator listening on {simulator.base_url}",
        f"  API root:    {simulator.api_root}",
        f"  company:     {simulator.company}",
        f"  public key:  {simulator.public_key}",
        f"  private key: ({key_source}; not shown)",
        f"  clientId:    {simulator.client_id}",
        f"  operations:  {len(simulator.description.routes)} ({simulator.description.source})",
    ]
    if simulator.rate_limit is not None:
        lines.append(f"  rate limit:  {simulator.rate_limit} per credential")
    if simulator.latency_s:
        lines.append(f"  latency:     {simulator.latency_s * 1000:g} ms per request")
    return "\n".join([*lines, "Press Ctrl+C to stop."])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    simulator = ManageSimulator(
        seed=args.seed,
        tickets=args.tickets,
        company=args.company,
        public_key=args.public_key,
        private_key=args.private_key,
        client_id=args.client_id,
        codebase=args.codebase,
        latency_ms=args.latency_ms,
        fault_rate=args.fault_rate,
        host=args.host,
        port=args.port,
        description=args.description,
        rate_limit=args.rate_limit,
        rate_burst=args.rate_burst,
    )
    with simulator:
        print(describe(simulator, args.private_key != DEMO_PRIVATE_KEY), flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
