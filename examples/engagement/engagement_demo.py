#!/usr/bin/env python3
"""``make engagement``: score the simulator's engagement tenant end to end.

Starts the bundled ConnectWise Manage simulator with its ``engagement`` seed (companies with
market types, tickets, time entries and agreements dated before 2025-01-01), syncs it into a
temporary SQLite database with ``cw_facade.sync``, and prints the score table as of
2025-01-01T00:00:00Z, the moment the seed's dates are relative to. ``--db PATH`` keeps the
database (then try ``score.py --db PATH --days 7 30``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engagement_db import load
from engagement_rules import DEFAULT_WINDOWS, parse_instant, score_clients
from score import format_table, sync_database

from cw_facade import ConnectWiseClient
from cw_facade.testing import ManageSimulator

DEMO_NOW = "2025-01-01T00:00:00Z"


def run(db: Path) -> str:
    """Start the simulator, sync it into ``db``, return the score table."""
    now = parse_instant(DEMO_NOW)
    assert now is not None
    with ManageSimulator(seed="engagement") as sim:
        print(f"started the ConnectWise Manage simulator at {sim.base_url}")
        with ConnectWiseClient(
            base_url=sim.base_url,
            client=sim.company,
            username=sim.public_key,
            password=sim.private_key,
            client_id=sim.client_id,
        ) as client:
            report = sync_database(client, db)
        print(f"synced into {db}: {report.summary()}")
    return format_table(score_clients(load(db), now, DEFAULT_WINDOWS), DEFAULT_WINDOWS, now)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="Score the simulator's engagement tenant.")
    parser.add_argument("--db", type=Path, help="keep the database here (default: a temp file)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.db is not None:
        print(run(args.db))
    else:
        with tempfile.TemporaryDirectory(prefix="cw-engagement-") as folder:
            print(run(Path(folder) / "engagement.sqlite"))
    print(f"done in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
