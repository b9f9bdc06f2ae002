"""Read the rows the scores need from a database written by ``cw_facade.sync``.

Plain SQL over the documented layout only: one table per resource with ``id``, ``data`` (the
record's JSON as the API sent it) and the indexed ``company_id`` column; fields are picked out
of ``data`` with ``json_extract``. No rule is applied here (see ``engagement_rules``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from engagement_rules import (
    Agreement,
    Company,
    Contact,
    Dataset,
    Ticket,
    TimeEntry,
    parse_instant,
)

TABLES = ("companies", "contacts", "tickets", "time_entries", "agreements")
T = TypeVar("T")

COMPANIES_SQL = """
SELECT id,
       json_extract(data, '$.name'),
       json_extract(data, '$.market.name'),
       json_extract(data, '$.status.name'),
       json_extract(data, '$.deletedFlag'),
       (SELECT json_group_array(json_extract(kind.value, '$.name'))
          FROM json_each(companies.data, '$.types') AS kind),
       json_extract(data, '$.defaultContact.id'),
       json_extract(data, '$.defaultContact.name')
  FROM companies
 ORDER BY id
"""
CONTACTS_SQL = """
SELECT id, company_id,
       json_extract(data, '$.firstName'),
       json_extract(data, '$.lastName'),
       json_extract(data, '$.defaultFlag'),
       json_extract(data, '$.inactiveFlag')
  FROM contacts
 ORDER BY id
"""
TICKETS_SQL = """
SELECT id, company_id,
       json_extract(data, '$._info.dateEntered'),
       json_extract(data, '$.closedFlag'),
       coalesce(json_extract(data, '$.dateResolved'), json_extract(data, '$.closedDate'))
  FROM tickets
 ORDER BY id
"""
TIME_ENTRIES_SQL = """
SELECT id, company_id,
       json_extract(data, '$.timeStart'),
       coalesce(json_extract(data, '$.actualHours'), 0),
       json_extract(data, '$.billableOption')
  FROM time_entries
 ORDER BY id
"""
AGREEMENTS_SQL = """
SELECT id, company_id,
       json_extract(data, '$.startDate'),
       CASE WHEN json_extract(data, '$.noEndingDateFlag') THEN NULL
            ELSE json_extract(data, '$.endDate') END,
       json_extract(data, '$.cancelledFlag')
  FROM agreements
 ORDER BY id
"""


class EngagementDatabaseError(Exception):
    """The database is missing, is not SQLite, lacks a table or column the scores read, or
    holds a value the scores cannot use (the message names the table and record id)."""


@contextmanager
def open_database(path: str | Path) -> Iterator[sqlite3.Connection]:
    """Open the synced database read-only (it is never changed).

    Raises :class:`EngagementDatabaseError` when the file does not exist or is not SQLite.
    """
    file = Path(path)
    if not file.is_file():
        raise EngagementDatabaseError(
            f"no database at {file}; run with --sync first (or give the path sync() wrote)"
        )
    try:
        connection = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise EngagementDatabaseError(f"cannot open {file}: {exc}") from None
    with closing(connection):
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise EngagementDatabaseError(f"{file} is not an SQLite database: {exc}") from None
        yield connection


def load_dataset(connection: sqlite3.Connection) -> Dataset:
    """Every company, contact, ticket, time entry and agreement of the database as rows.

    Raises :class:`EngagementDatabaseError` when a table the scores read is missing (the
    message lists which), a column is missing, or a timestamp is not ISO 8601.
    """
    present = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    missing = [t for t in TABLES if t not in present]
    if missing:
        raise EngagementDatabaseError(
            f"the database lacks the tables {missing}; sync the resources {list(TABLES)} "
            "into it first (score.py --sync)"
        )
    return Dataset(
        companies=_rows(connection, "companies", COMPANIES_SQL, _company),
        contacts=_rows(connection, "contacts", CONTACTS_SQL, _contact),
        tickets=_rows(connection, "tickets", TICKETS_SQL, _ticket),
        time_entries=_rows(connection, "time_entries", TIME_ENTRIES_SQL, _time_entry),
        agreements=_rows(connection, "agreements", AGREEMENTS_SQL, _agreement),
    )


def load(path: str | Path) -> Dataset:
    """:func:`load_dataset` of the database file at ``path`` (see :func:`open_database`)."""
    with open_database(path) as connection:
        return load_dataset(connection)


def _rows(
    connection: sqlite3.Connection,
    table: str,
    sql: str,
    build: Callable[[tuple[Any, ...]], T],
) -> list[T]:
    try:
        rows = connection.execute(sql).fetchall()
    except sqlite3.Error as exc:
        raise EngagementDatabaseError(f"cannot read table {table}: {exc}") from None
    found = []
    for row in rows:
        try:
            found.append(build(tuple(row)))
        except (TypeError, ValueError) as exc:
            raise EngagementDatabaseError(f"{table} record {row[0]}: {exc}") from None
    return found


def _flag(value: Any) -> bool:
    return bool(value) if value is not None else False


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _company(row: tuple[Any, ...]) -> Company:
    record_id, name, market, status, deleted, types, contact_id, contact_name = row
    kinds = tuple(str(t) for t in json.loads(types or "[]") if t is not None)
    return Company(
        id=int(record_id),
        name=str(name or f"company {record_id}"),
        market=_text(market),
        status=_text(status),
        deleted=_flag(deleted),
        types=kinds,
        default_contact_id=None if contact_id is None else int(contact_id),
        default_contact_name=_text(contact_name),
    )


def _contact(row: tuple[Any, ...]) -> Contact:
    record_id, company_id, first, last, default, inactive = row
    return Contact(
        id=int(record_id),
        company_id=None if company_id is None else int(company_id),
        first_name=_text(first),
        last_name=_text(last),
        default=_flag(default),
        inactive=_flag(inactive),
    )


def _ticket(row: tuple[Any, ...]) -> Ticket:
    record_id, company_id, entered, closed, resolved = row
    return Ticket(
        id=int(record_id),
        company_id=None if company_id is None else int(company_id),
        entered=parse_instant(_text(entered)),
        closed=_flag(closed),
        resolved=parse_instant(_text(resolved)),
    )


def _time_entry(row: tuple[Any, ...]) -> TimeEntry:
    record_id, company_id, start, hours, billable = row
    return TimeEntry(
        id=int(record_id),
        company_id=None if company_id is None else int(company_id),
        start=parse_instant(_text(start)),
        hours=float(hours),
        billable_option=_text(billable),
    )


def _agreement(row: tuple[Any, ...]) -> Agreement:
    record_id, company_id, start, end, cancelled = row
    return Agreement(
        id=int(record_id),
        company_id=None if company_id is None else int(company_id),
        start=parse_instant(_text(start)),
        end=parse_instant(_text(end)),
        cancelled=_flag(cancelled),
    )
