"""Fixtures for the examples' tests: ``examples/engagement`` is importable, and databases in
the layout ``cw_facade.sync`` writes can be built directly from JSON records."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ENGAGEMENT = ROOT / "examples" / "engagement"
if str(ENGAGEMENT) not in sys.path:
    sys.path.insert(0, str(ENGAGEMENT))

# The documented layout: table -> its extra indexed reference column (None: only the base).
CONTRACT_TABLES: Mapping[str, str | None] = {
    "companies": None,
    "contacts": "company_id",
    "tickets": "company_id",
    "time_entries": "company_id",
    "agreements": "company_id",
}
# Where each resource lives on the API (for the databases built through the client).
ENDPOINTS: Mapping[str, str] = {
    "companies": "/company/companies",
    "contacts": "/company/contacts",
    "tickets": "/service/tickets",
    "time_entries": "/time/entries",
    "agreements": "/finance/agreements",
}


def write_contract_db(
    path: Path, records: Mapping[str, Iterable[Mapping[str, Any]]], *, tables: Iterable[str] = ()
) -> Path:
    """Write ``records`` (table -> API JSON records) into a new database at ``path`` in the
    contract layout: ``id``, ``data``, ``last_updated`` and the indexed ``company_id``.
    Every table of :data:`CONTRACT_TABLES` is created (only those in ``tables`` when given)."""
    wanted = list(tables) or list(CONTRACT_TABLES)
    with sqlite3.connect(path) as db:
        for table in wanted:
            extra = CONTRACT_TABLES[table]
            columns = "id INTEGER PRIMARY KEY, data TEXT NOT NULL, last_updated TEXT"
            if extra:
                columns += f", {extra} INTEGER"
            db.execute(f"CREATE TABLE {table} ({columns})")
            if extra:
                db.execute(f"CREATE INDEX {table}_{extra} ON {table} ({extra})")
            for record in records.get(table, ()):
                row: list[Any] = [
                    record["id"],
                    json.dumps(record),
                    (record.get("_info") or {}).get("lastUpdated"),
                ]
                if extra:
                    row.append((record.get("company") or {}).get("id"))
                marks = ", ".join("?" * len(row))
                db.execute(f"INSERT INTO {table} VALUES ({marks})", row)
    db.close()
    return path
