"""The engagement example's SQL layer over the sync layout (engagement_db.py)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from engagement_db import EngagementDatabaseError, load

from tests.examples.conftest import write_contract_db

INFO = {"lastUpdated": "2025-01-01T00:00:00Z", "dateEntered": "2024-12-30T08:00:00Z"}
RECORDS = {
    "companies": [
        {
            "id": 7,
            "name": "Cedar & Pine Law",
            "market": {"id": 1, "name": "Legal"},
            "status": {"id": 1, "name": "Active"},
            "types": [{"id": 1, "name": "Client"}, {"id": 5, "name": "Partner"}],
            "defaultContact": {"id": 70, "name": "Jamie Costa"},
            "deletedFlag": False,
            "_info": INFO,
        },
        {"id": 8, "name": "Bare", "_info": INFO},
    ],
    "contacts": [
        {
            "id": 70,
            "firstName": "Jamie",
            "lastName": "Costa",
            "company": {"id": 7},
            "defaultFlag": True,
            "inactiveFlag": True,
        }
    ],
    "tickets": [
        {
            "id": 1,
            "company": {"id": 7},
            "closedFlag": True,
            "dateResolved": "2024-12-30T10:00:00Z",
            "closedDate": "2024-12-30T11:00:00Z",
            "_info": INFO,
        },
        {
            "id": 2,
            "company": {"id": 7},
            "closedFlag": True,
            "closedDate": "2024-12-30T09:00:00Z",
            "_info": INFO,
        },
        {"id": 3, "company": {"id": 8}, "closedFlag": False, "_info": INFO},
    ],
    "time_entries": [
        {
            "id": 1,
            "company": {"id": 7},
            "timeStart": "2024-12-29T09:00:00Z",
            "actualHours": 2.5,
            "billableOption": "Billable",
        },
        {"id": 2, "company": {"id": 8}},
    ],
    "agreements": [
        {
            "id": 1,
            "company": {"id": 7},
            "startDate": "2024-01-01T00:00:00Z",
            "endDate": "2024-06-30T00:00:00Z",
            "noEndingDateFlag": True,
            "cancelledFlag": False,
        },
        {
            "id": 2,
            "company": {"id": 8},
            "startDate": "2024-01-01T00:00:00Z",
            "endDate": "2024-06-30T00:00:00Z",
            "cancelledFlag": True,
        },
    ],
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_every_field_the_rules_need_is_read_from_data(tmp_path: Path) -> None:
    data = load(write_contract_db(tmp_path / "db.sqlite", RECORDS))
    full, bare = data.companies
    assert (full.id, full.name, full.market, full.status, full.deleted) == (
        7,
        "Cedar & Pine Law",
        "Legal",
        "Active",
        False,
    )
    assert full.types == ("Client", "Partner")
    assert (full.default_contact_id, full.default_contact_name) == (70, "Jamie Costa")
    assert (bare.market, bare.status, bare.deleted, bare.types) == (None, None, False, ())
    assert bare.default_contact_id is None
    (contact,) = data.contacts
    assert (contact.company_id, contact.name, contact.default, contact.inactive) == (
        7,
        "Jamie Costa",
        True,
        True,
    )
    resolved, closed_only, open_ticket = data.tickets
    assert resolved.entered == at("2024-12-30T08:00:00")
    assert (resolved.closed, resolved.resolved) == (True, at("2024-12-30T10:00:00"))
    assert closed_only.resolved == at("2024-12-30T09:00:00")  # closedDate without dateResolved
    assert (open_ticket.company_id, open_ticket.closed, open_ticket.resolved) == (8, False, None)
    billable, empty = data.time_entries
    assert (billable.start, billable.hours, billable.billable) == (
        at("2024-12-29T09:00:00"),
        2.5,
        True,
    )
    assert (empty.start, empty.hours, empty.billable_option) == (None, 0.0, None)
    no_end, cancelled = data.agreements
    assert (no_end.start, no_end.end, no_end.cancelled) == (at("2024-01-01T00:00:00"), None, False)
    assert (cancelled.end, cancelled.cancelled) == (at("2024-06-30T00:00:00"), True)


def test_the_company_id_column_is_what_links_rows(tmp_path: Path) -> None:
    path = write_contract_db(tmp_path / "db.sqlite", RECORDS)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE tickets SET company_id = 99 WHERE id = 1")
    db.close()
    assert load(path).tickets[0].company_id == 99


def test_extra_tables_and_columns_are_ignored(tmp_path: Path) -> None:
    path = write_contract_db(tmp_path / "db.sqlite", RECORDS)
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE tickets ADD COLUMN board_id INTEGER")
        db.execute("CREATE TABLE sync_runs (id INTEGER PRIMARY KEY, started TEXT)")
    db.close()
    assert len(load(path).tickets) == 3


def test_a_missing_database_says_to_sync_first(tmp_path: Path) -> None:
    with pytest.raises(EngagementDatabaseError, match="--sync"):
        load(tmp_path / "nothing.sqlite")
    assert not (tmp_path / "nothing.sqlite").exists()


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database at all, just some words " * 20)
    with pytest.raises(EngagementDatabaseError, match="not an SQLite database"):
        load(path)


def test_missing_tables_are_named(tmp_path: Path) -> None:
    path = write_contract_db(tmp_path / "db.sqlite", RECORDS, tables=["companies", "tickets"])
    with pytest.raises(EngagementDatabaseError, match=r"\['contacts', 'time_entries', 'agree"):
        load(path)


def test_a_table_without_the_contract_columns_is_refused(tmp_path: Path) -> None:
    path = write_contract_db(tmp_path / "db.sqlite", RECORDS, tables=["companies", "contacts"])
    with sqlite3.connect(path) as db:
        for table in ("tickets", "time_entries", "agreements"):
            db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, data TEXT)")
    db.close()
    with pytest.raises(EngagementDatabaseError, match="cannot read table tickets"):
        load(path)


def test_a_bad_timestamp_names_the_record(tmp_path: Path) -> None:
    records = dict(RECORDS)
    records["tickets"] = [{"id": 41, "company": {"id": 7}, "_info": {"dateEntered": "soon"}}]
    path = write_contract_db(tmp_path / "db.sqlite", records)
    with pytest.raises(EngagementDatabaseError, match="tickets record 41"):
        load(path)


def test_the_database_is_opened_read_only(tmp_path: Path) -> None:
    path = write_contract_db(tmp_path / "db.sqlite", RECORDS)
    before = path.read_bytes()
    load(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite"]
