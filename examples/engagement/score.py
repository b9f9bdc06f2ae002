#!/usr/bin/env python3
"""Score each ConnectWise client's engagement from a database ``cw_facade.sync`` keeps.

    python examples/engagement/score.py --db clients.sqlite [--days 30 60 90] [--now ISO]
    python examples/engagement/score.py --db clients.sqlite --sync     # bring it current first

``--sync`` connects with the options (or ``CW_BASE_URL``, ``CW_COMPANY``, ``CW_PUBLIC_KEY``,
``CW_PRIVATE_KEY``, ``CW_CLIENT_ID`` from the environment) and runs
``cw_facade.sync.sync(client, RESOURCES, to="sqlite:PATH")`` before scoring: the first run
copies everything, later runs only what changed. The scores are read with plain SQL and the
rules in ``engagement_rules``; see README.md beside this file.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engagement_db import EngagementDatabaseError, load
from engagement_rules import (
    DEFAULT_WINDOWS,
    ClientScore,
    check_windows,
    parse_instant,
    score_clients,
)

from cw_facade import ConnectWiseClient, ConnectWiseError
from cw_facade.sync import SyncReport, sync

RESOURCES = ("companies", "contacts", "tickets", "time_entries", "agreements")
ENV = {
    "base_url": "CW_BASE_URL",
    "company": "CW_COMPANY",
    "public_key": "CW_PUBLIC_KEY",
    "private_key": "CW_PRIVATE_KEY",
    "client_id": "CW_CLIENT_ID",
}
NO_CONTACT = "-"


def sync_database(
    client: ConnectWiseClient, db: str | Path, *, reconcile: bool = False
) -> SyncReport:
    """Bring the database at ``db`` (created when missing) up to date with ``client``'s
    server for :data:`RESOURCES` and return the ``cw_facade.sync`` report.

    The first run copies every record, later ones only what changed since the last.
    ``reconcile=True`` also drops records deleted on the server (an id listing per
    resource). Raises what ``cw_facade.sync.sync`` raises: ``ConnectWiseError`` subclasses
    for API failures, a database that is busy or broken, or a reconciliation that would
    delete too much.
    """
    return sync(client, RESOURCES, to=f"sqlite:{db}", reconcile=reconcile)


def _cell(score: ClientScore, days: int) -> str:
    window = score.window(days)
    return f"{window.total:>2} = {window.help_desk}+{window.first_touch}+{window.project}"


def _hours(hours: float) -> str:
    return f"{hours:.2f}".rstrip("0").rstrip(".")


def _facts(score: ClientScore, days: int) -> str:
    window = score.window(days)
    return f"{window.tickets}t {window.quick_resolutions}q {_hours(window.billable_hours)}h"


def format_table(scores: Sequence[ClientScore], windows: Sequence[int], now: datetime) -> str:
    """The score table as text: one line per client, one column per window.

    Each window shows ``total = help desk + first touch + project`` and, in the second
    table, the numbers behind it (tickets entered, tickets resolved within 4 hours, billable
    hours). Raises ``KeyError`` when a score lacks one of ``windows``.
    """
    header = ["id", "client", "industry", "primary contact", "agr"]
    header += [f"{days} days" for days in windows]
    rows = [
        [
            str(s.company.id),
            s.company.name,
            s.industry,
            s.primary_contact or NO_CONTACT,
            str(s.agreements),
            *(_cell(s, days) for days in windows),
        ]
        for s in scores
    ]
    facts_header = ["id", "client", *(f"{days} days" for days in windows)]
    facts = [[str(s.company.id), s.company.name, *(_facts(s, d) for d in windows)] for s in scores]
    moment = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Engagement scores as of {moment} ({len(scores)} client{'' if len(scores) == 1 else 's'})",
        "points: total = help desk + first touch + project (each at most 5; total at most 15)",
        "",
        *_grid(header, rows, numeric={0, 4}),
        "",
        "behind the points: t tickets entered, q of them resolved within 4 h, h billable hours",
        "",
        *_grid(facts_header, facts, numeric={0}),
    ]
    return "\n".join(lines)


def _grid(header: list[str], rows: list[list[str]], numeric: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line (connection settings default to the environment)."""
    parser = argparse.ArgumentParser(
        description="Score ConnectWise clients' engagement from a synced SQLite database."
    )
    parser.add_argument("--db", required=True, help="the SQLite file cw_facade.sync writes")
    parser.add_argument(
        "--days",
        type=int,
        nargs="+",
        default=list(DEFAULT_WINDOWS),
        help="window lengths in days (default: 30 60 90)",
    )
    parser.add_argument(
        "--now",
        help="score as of this ISO 8601 moment (default: the current time; a time "
        "without a zone is UTC)",
    )
    parser.add_argument("--sync", action="store_true", help="sync the database first")
    parser.add_argument(
        "--reconcile",
        action="store_true",
        help="with --sync: also drop records deleted on the server",
    )
    for name, env in ENV.items():
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, default=os.environ.get(env), help=f"default: ${env}")
    return parser.parse_args(argv)


class SettingsError(ValueError):
    """``--sync`` was asked without every connection setting (the message lists which)."""


def _client(args: argparse.Namespace) -> ConnectWiseClient:
    given = {name: getattr(args, name) for name in ENV}
    missing = [f"--{n.replace('_', '-')} (${ENV[n]})" for n, v in given.items() if not v]
    if missing:
        raise SettingsError(f"--sync needs every connection setting; missing {missing}")
    return ConnectWiseClient(
        base_url=given["base_url"],
        client=given["company"],
        username=given["public_key"],
        password=given["private_key"],
        client_id=given["client_id"],
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: 0 on success; 2 for bad options, missing connection
    settings, a missing or unusable database, or an API failure (the reason goes to
    stderr)."""
    args = parse_args(argv)
    try:
        windows = check_windows(args.days)
        now = parse_instant(args.now) if args.now else datetime.now(UTC)
    except ValueError as exc:
        print(f"engagement: {exc}", file=sys.stderr)
        return 2
    assert now is not None
    if args.reconcile and not args.sync:
        print("engagement: --reconcile needs --sync", file=sys.stderr)
        return 2
    try:
        if args.sync:
            with _client(args) as client:
                report = sync_database(client, args.db, reconcile=args.reconcile)
            print(f"synced: {report.summary()}", file=sys.stderr)
        scores = score_clients(load(args.db), now, windows)
    except (SettingsError, EngagementDatabaseError, ConnectWiseError) as exc:
        print(f"engagement: {exc}", file=sys.stderr)
        return 2
    print(format_table(scores, windows, now))
    return 0


if __name__ == "__main__":
    sys.exit(main())
