#!/usr/bin/env python3
"""The complete ConnectWise workflow, end to end: ``make demo``.

With no arguments it starts the bundled ConnectWise Manage simulator on loopback and runs
the "complete workflow" of the ConnectPyse-Manage toolkit's README with cw_facade: find a
server configuration, open a ticket with defaults, attach the configuration, add an internal
note, resolve the ticket by status *name*, page through the company's open tickets, and show
the ticket's web link. It prints a short log of what happened.

Against a real server, give the connection on the command line or in the environment (this
script reads the environment; the library never does)::

    CW_BASE_URL=https://na.myconnectwise.net CW_COMPANY=... CW_PUBLIC_KEY=... \\
    CW_PRIVATE_KEY=... CW_CLIENT_ID=... scripts/demo.py --company-id 250 --board-id 1 \\
    --priority-id 8 --config-name PROD-WEB-01

A real run creates one ticket and one note on that server.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from cw_facade import C, ConnectWiseClient, TicketDefaults

DEMO_PAGE = 10
ENV = {
    "base_url": "CW_BASE_URL",
    "company": "CW_COMPANY",
    "public_key": "CW_PUBLIC_KEY",
    "private_key": "CW_PRIVATE_KEY",
    "client_id": "CW_CLIENT_ID",
}


@dataclass(frozen=True)
class Target:
    """Where the demo runs and which records it uses."""

    base_url: str
    company: str
    public_key: str
    private_key: str
    client_id: str
    company_id: int
    board_id: int
    priority_id: int
    config_name: str
    resolved_status: str
    insecure_http: bool


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options; connection settings default to the environment."""
    parser = argparse.ArgumentParser(description="Run the complete cw_facade workflow.")
    for name, env in ENV.items():
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, default=os.environ.get(env), help=f"default: ${env}")
    parser.add_argument("--company-id", type=int, default=250)
    parser.add_argument("--board-id", type=int, default=1)
    parser.add_argument("--priority-id", type=int, default=8)
    parser.add_argument("--config-name", default="PROD-WEB-01")
    parser.add_argument("--resolved-status", default="Resolved")
    return parser.parse_args(argv)


@contextmanager
def target_for(args: argparse.Namespace) -> Iterator[Target]:
    """The real server the options name, or a simulator started for the duration."""
    given = [args.base_url, args.company, args.public_key, args.private_key, args.client_id]

    def target(connection: Sequence[str], insecure_http: bool) -> Target:
        base_url, company, public_key, private_key, client_id = connection
        return Target(
            base_url, company, public_key, private_key, client_id,
            company_id=args.company_id, board_id=args.board_id, priority_id=args.priority_id,
            config_name=args.config_name, resolved_status=args.resolved_status,
            insecure_http=insecure_http,
        )  # fmt: skip

    if any(given):
        if not all(given):
            missing = [f"--{n.replace('_', '-')}" for n, v in zip(ENV, given, strict=True) if not v]
            raise SystemExit(
                f"demo: a real server needs all connection settings; missing {missing}"
            )
        yield target(given, insecure_http=False)
        return
    from cw_facade.testing import ManageSimulator

    with ManageSimulator() as sim:
        print(f"started the ConnectWise Manage simulator at {sim.base_url}")
        credentials = [sim.base_url, sim.company, sim.public_key, sim.private_key, sim.client_id]
        yield target(credentials, insecure_http=True)


def run(target: Target, say: Callable[[str], None] = print) -> int:
    """Run the workflow; returns the new ticket's id."""
    defaults = TicketDefaults(
        company_id=target.company_id, board_id=target.board_id, priority_id=target.priority_id
    )
    with ConnectWiseClient(
        base_url=target.base_url,
        client=target.company,
        username=target.public_key,
        password=target.private_key,
        client_id=target.client_id,
        ticket_defaults=defaults,
        allow_insecure_http=target.insecure_http,
    ) as cw:
        info = cw.system_info()
        say(f"connected: ConnectWise Manage {info.version}")

        wanted = (C.name == target.config_name) & (C.company.id == target.company_id)
        configs = cw.get_configurations(conditions=wanted)
        if not configs:
            raise SystemExit(f"demo: no configuration named {target.config_name!r}")
        config = configs[0]
        say(f"found configuration #{config.id} {config.name} ({config.type_name})")
        say(f"  IP address {config.ipAddress}")

        ticket = cw.create_ticket(
            summary=f"Server {config.name} Offline",
            body=f"Server unreachable. IP: {config.ipAddress}",
        )
        say(
            f"opened ticket #{ticket.id} {ticket.summary!r} for {ticket.company_name} "
            f"on {ticket.board_name}, {ticket.priority_name}, status {ticket.status_name}"
        )

        cw.attach_configuration(ticket.id, config.id)
        attached = [c.device_identifier for c in cw.get_ticket_configurations(ticket.id)]
        say(f"attached configuration: {', '.join(str(n) for n in attached)}")

        note = cw.add_ticket_note(ticket.id, "Checking server connectivity", internal=True)
        say(f"added internal note #{note.id}: {note.text!r}")

        resolved = cw.update_ticket_status(ticket.id, status=target.resolved_status)
        say(
            f"set status {resolved.status_name!r} by name: closed={resolved.is_closed} "
            f"at {resolved.closed_datetime}"
        )

        open_for_company = (C.company.id == target.company_id) & (C.closedFlag == False)  # noqa: E712
        count = cw.count_tickets(open_for_company)
        seen = sum(1 for _ in cw.iter_tickets(conditions=open_for_company, pagesize=DEMO_PAGE))
        pages = -(-seen // DEMO_PAGE)
        say(
            f"paged through {seen} open tickets of company #{target.company_id} "
            f"({pages} pages of {DEMO_PAGE}; /count says {count})"
        )

        say(f"view ticket: {cw.get_ticket_url(ticket.id)}")
        return ticket.id


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    args = parse_args(argv)
    started = time.perf_counter()
    with target_for(args) as target:
        run(target)
    print(f"done in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
