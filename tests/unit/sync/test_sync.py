"""``cw_facade.sync.sync`` against the simulator: layout, full run, incremental runs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from cw_facade._sync._client import ConnectWiseClient
from cw_facade.sync import RESOURCE_NAMES, sync
from tests.unit.sync.conftest import assert_matches_server


def columns(path: Path, table: str) -> dict[str, str]:
    with sqlite3.connect(path) as con:
        return {row[1]: row[2] for row in con.execute(f'PRAGMA table_info("{table}")')}


def indexed(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as con:
        names = [row[1] for row in con.execute(f'PRAGMA index_list("{table}")')]
        return {con.execute(f'PRAGMA index_info("{n}")').fetchone()[2] for n in names}


def test_a_full_first_run_copies_every_resource(cw: ConnectWiseClient, db: Path) -> None:
    report = sync(cw, to=f"sqlite:{db}")
    assert set(report.resources) == set(RESOURCE_NAMES)
    assert all(r.full for r in report.resources.values())
    assert report.counts.added > 700 and report.counts.updated == 0
    assert_matches_server(cw, db)


def test_the_layout_is_the_contract(cw: ConnectWiseClient, db: Path) -> None:
    report = sync(cw, to=f"sqlite:{db}")
    for table in RESOURCE_NAMES:
        cols = columns(db, table)
        assert cols["id"] == "INTEGER" and cols["data"] == "TEXT" and cols["last_updated"] == "TEXT"
    for table, fk in [
        ("contacts", "company_id"),
        ("tickets", "company_id"),
        ("time_entries", "company_id"),
        ("agreements", "company_id"),
        ("ticket_notes", "ticket_id"),
        ("board_statuses", "board_id"),
    ]:
        assert columns(db, table)[fk] == "INTEGER"
        assert fk in indexed(db, table)
    with sqlite3.connect(db) as con:
        ticket = con.execute(
            "SELECT data, last_updated, company_id FROM tickets WHERE id = 1"
        ).fetchone()
        note_parent = con.execute("SELECT ticket_id FROM ticket_notes WHERE id = 1").fetchone()[0]
        runs = con.execute("SELECT status, added, finished IS NOT NULL FROM sync_runs").fetchall()
    data = json.loads(ticket[0])
    assert ticket[1] == data["_info"]["lastUpdated"] and ticket[2] == data["company"]["id"]
    assert note_parent == 1
    assert runs == [("ok", sum(r.counts.added for r in report.resources.values()), 1)]
