"""The SQLite sink of a sync: one table per resource, checkpoints, run history, the run lock.

Layout (readable with plain SQL; other tools rely on it)::

    <resource>        id INTEGER PRIMARY KEY, data TEXT NOT NULL (the record's JSON as
                      received), last_updated TEXT (ISO 8601 UTC or NULL), plus the indexed
                      columns of :data:`cw_facade.sync._resources.RESOURCES`
    sync_runs         one row per run: started, finished, status, counts, error
    sync_state        per resource: the watermark of the last complete scan
    sync_checkpoints  per resource being scanned: where an interrupted run resumes

Each page's rows and its checkpoint are committed in one transaction, so a run killed at
any point leaves a database that the next run continues exactly. Two runs never interleave:
a run holds an exclusive lock on ``<database>.lock`` (``fcntl.flock``; ``msvcrt.locking`` on
Windows), which the operating system releases when the process ends, however it ends.

Everything here is blocking (the standard library's :mod:`sqlite3`); the async sync calls it
between requests, each call a short local transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cw_facade._errors import ConnectWiseSyncError, ConnectWiseSyncInProgressError
from cw_facade._validation import InvalidArgumentError
from cw_facade.sync._report import Counts
from cw_facade.sync._resources import Resource, format_instant, last_updated

SCHEME = "sqlite:"
#: Seconds a write waits for another connection's transaction (a callback refresh, a reader).
BUSY_TIMEOUT_S = 30.0

_META = """
CREATE TABLE IF NOT EXISTS sync_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL,
    resources TEXT NOT NULL,
    reconcile INTEGER NOT NULL DEFAULT 0,
    added INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    requests INTEGER,
    error TEXT
);
CREATE TABLE IF NOT EXISTS sync_state (
    resource TEXT PRIMARY KEY,
    watermark TEXT,
    scanned TEXT,
    reconciled TEXT
);
CREATE TABLE IF NOT EXISTS sync_checkpoints (
    resource TEXT PRIMARY KEY,
    run_id INTEGER NOT NULL,
    since TEXT,
    next_watermark TEXT,
    cursor INTEGER NOT NULL DEFAULT 0
);
"""


@dataclass(frozen=True)
class Checkpoint:
    """Where a resource's scan stands: records (or parents) with ``id <= cursor`` are done.

    ``since`` is the lower bound of ``lastUpdated`` the scan asks for (``None``: a full
    scan); ``next_watermark`` the watermark saved when the scan completes.
    """

    since: str | None
    next_watermark: str | None
    cursor: int = 0


def sqlite_path(to: Any) -> Path:
    """The database path of ``to="sqlite:PATH"`` (a ``Path`` is taken as the path itself).

    Raises :class:`~cw_facade.InvalidArgumentError` (argument ``to``) for anything else.
    """
    if isinstance(to, Path):
        return to
    if not isinstance(to, str) or not to.startswith(SCHEME):
        raise InvalidArgumentError("to", f"must be 'sqlite:PATH' (a database file), not {to!r}")
    path = to[len(SCHEME) :]
    if path.startswith("///"):
        path = path[2:]
    if not path.strip() or path.strip() == ":memory:":
        raise InvalidArgumentError("to", "needs a database file path: 'sqlite:PATH'")
    return Path(path)


def now_text() -> str:
    """The local clock's now, for the run history only (watermarks come from the server)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class RunLock:
    """An exclusive, non-blocking lock on ``path`` that the OS drops when the process dies."""

    def __init__(self, path: Path) -> None:
        """``path``: the lock file (created when missing); nothing is locked yet."""
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock; raise :class:`~cw_facade.ConnectWiseSyncInProgressError` if held."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise ConnectWiseSyncInProgressError(str(self.path)) from None
        self._fd = fd

    def release(self) -> None:
        """Drop the lock (closing the file releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


class SqliteStore:
    """The SQLite sink (see the module docstring); implements :class:`~cw_facade.sync.SyncStore`.

    ``path`` is the database file (created with its tables on first use). Nothing is
    opened until :meth:`open`. Use one store per thread.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """``path``: the database file."""
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._lock = RunLock(Path(f"{self.path}.lock"))

    def __repr__(self) -> str:
        """Class name and file."""
        return f"SqliteStore({str(self.path)!r})"

    # -- connection and lock --------------------------------------------------------------

    def open(self) -> None:
        """Open the database (WAL mode, so readers never block a sync) and create metadata."""
        if self._db is not None:
            return
        try:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise ConnectWiseSyncError(f"cannot open {self.path}: {exc}") from exc
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_META)
        self._db = db

    def close(self) -> None:
        """Close the database and drop the run lock if held."""
        if self._db is not None:
            self._db.close()
            self._db = None
        self._lock.release()

    def lock(self) -> None:
        """Take the run lock; :class:`~cw_facade.ConnectWiseSyncInProgressError` if held."""
        self._lock.acquire()

    @property
    def db(self) -> sqlite3.Connection:
        """The open connection."""
        if self._db is None:
            self.open()
        assert self._db is not None
        return self._db

    def _write(self) -> _Transaction:
        return _Transaction(self.db)

    # -- tables ---------------------------------------------------------------------------

    def prepare(self, resources: Iterable[Resource]) -> None:
        """Create the tables (and indexes) of ``resources`` that do not exist yet."""
        with self._write() as db:
            for resource in resources:
                table = _name(resource.name)
                extra = "".join(f", {_name(c.name)} {c.type}" for c in resource.columns)
                db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY, "
                    f"data TEXT NOT NULL, last_updated TEXT{extra})"
                )
                for column in ("last_updated", *(c.name for c in resource.columns)):
                    db.execute(
                        f"CREATE INDEX IF NOT EXISTS {_name(f'{resource.name}_{column}')} "
                        f"ON {table} ({_name(column)})"
                    )

    # -- runs -----------------------------------------------------------------------------

    def start_run(self, resources: Sequence[str], reconcile: bool) -> int:
        """Record a new run (status ``running``); earlier ``running`` rows become ``interrupted``.

        Only the lock holder calls this, so a ``running`` row left over is a run that died.
        """
        with self._write() as db:
            db.execute(
                "UPDATE sync_runs SET status = 'interrupted', error = 'the run ended without "
                "finishing (killed or crashed); the next run resumed it' WHERE status = 'running'"
            )
            cursor = db.execute(
                "INSERT INTO sync_runs (started, status, resources, reconcile) "
                "VALUES (?, 'running', ?, ?)",
                (now_text(), json.dumps(list(resources)), int(reconcile)),
            )
            return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, requests: int | None, error: str | None) -> None:
        """Record the end of run ``run_id`` (``error``: the failure, else ``None``).

        The counts were added page by page, in the pages' own transactions.
        """
        with self._write() as db:
            db.execute(
                "UPDATE sync_runs SET finished = ?, status = ?, requests = ?, error = ? "
                "WHERE id = ?",
                (now_text(), "failed" if error else "ok", requests, error, run_id),
            )

    # -- state ----------------------------------------------------------------------------

    def reconciled(self, resource: str) -> str | None:
        """When ``resource`` was last reconciled (``None``: never)."""
        row = self.db.execute(
            "SELECT reconciled FROM sync_state WHERE resource = ?", (resource,)
        ).fetchone()
        return None if row is None else row[0]

    def mark_reconciled(self, resource: str) -> None:
        """Record that ``resource`` was reconciled now."""
        with self._write() as db:
            db.execute(
                "INSERT INTO sync_state (resource, reconciled) VALUES (?, ?) "
                "ON CONFLICT (resource) DO UPDATE SET reconciled = excluded.reconciled",
                (resource, now_text()),
            )

    def watermark(self, resource: str) -> str | None:
        """The watermark of the last complete scan of ``resource`` (``None``: never scanned)."""
        row = self.db.execute(
            "SELECT watermark, scanned FROM sync_state WHERE resource = ?", (resource,)
        ).fetchone()
        return None if row is None else row[0]

    def scanned(self, resource: str) -> bool:
        """Whether a scan of ``resource`` has ever completed."""
        row = self.db.execute(
            "SELECT scanned FROM sync_state WHERE resource = ?", (resource,)
        ).fetchone()
        return row is not None and row[0] is not None

    def checkpoint(self, resource: str) -> Checkpoint | None:
        """The checkpoint of an unfinished scan of ``resource``, or ``None``."""
        row = self.db.execute(
            "SELECT since, next_watermark, cursor FROM sync_checkpoints WHERE resource = ?",
            (resource,),
        ).fetchone()
        return None if row is None else Checkpoint(row[0], row[1], int(row[2]))

    def begin_scan(self, run_id: int, resource: str, checkpoint: Checkpoint) -> None:
        """Save the checkpoint a new scan starts from."""
        with self._write() as db:
            _save_checkpoint(db, run_id, resource, checkpoint)

    def end_scan(self, run_id: int, resource: str, watermark: str | None) -> None:
        """Mark the scan complete: save ``watermark``, drop the checkpoint."""
        with self._write() as db:
            db.execute("DELETE FROM sync_checkpoints WHERE resource = ?", (resource,))
            db.execute(
                "INSERT INTO sync_state (resource, watermark, scanned) VALUES (?, ?, ?) "
                "ON CONFLICT (resource) DO UPDATE SET watermark = excluded.watermark, "
                "scanned = excluded.scanned",
                (resource, watermark, now_text()),
            )

    # -- rows -----------------------------------------------------------------------------

    def save_page(
        self,
        run_id: int,
        resource: Resource,
        records: Sequence[Mapping[str, Any]],
        checkpoint: Checkpoint | None,
    ) -> Counts:
        """Upsert ``records`` and save ``checkpoint`` (if any) in one transaction; return the
        counts."""
        with self._write() as db:
            counts = _upsert(db, resource, records, None)
            if checkpoint is not None:
                _save_checkpoint(db, run_id, resource.name, checkpoint)
            _add_counts(db, run_id, counts)
        return counts

    def save_children(
        self,
        run_id: int,
        resource: Resource,
        children: Mapping[int, Sequence[Mapping[str, Any]]],
        checkpoint: Checkpoint | None,
    ) -> Counts:
        """Replace the children of each parent in ``children`` and save ``checkpoint`` (if
        any), in one transaction (each parent's complete set of children was listed); return
        the counts."""
        counts = Counts()
        with self._write() as db:
            for parent_id, records in children.items():
                counts = counts + _upsert(db, resource, records, parent_id)
                counts = counts + _drop_other_children(db, resource, parent_id, records)
            if checkpoint is not None:
                _save_checkpoint(db, run_id, resource.name, checkpoint)
            _add_counts(db, run_id, counts)
        return counts

    def upsert(self, resource: Resource, record: Mapping[str, Any], parent_id: int | None) -> str:
        """Upsert one record outside a run; ``added``, ``updated`` or ``unchanged``."""
        with self._write() as db:
            counts = _upsert(db, resource, [record], parent_id)
        return counts.outcome()

    def stamps(self, resource: Resource) -> dict[int, tuple[int | None, str | None]]:
        """id → (parent id, ``last_updated``) of every row (parent ``None``: top-level)."""
        parent = next((c.name for c in resource.columns if c.parent), None)
        pick = _name(parent) if parent else "NULL"
        rows = self.db.execute(f"SELECT id, {pick}, last_updated FROM {_name(resource.name)}")
        return {int(row[0]): (row[1], row[2]) for row in rows}

    def delete(self, run_id: int | None, resource: Resource, ids: Iterable[int]) -> int:
        """Delete the rows ``ids`` of ``resource``; return how many were there."""
        chosen = sorted(set(ids))
        with self._write() as db:
            gone = _delete(db, resource, chosen)
            if run_id is not None:
                _add_counts(db, run_id, Counts(deleted=gone))
        return gone

    def delete_children(self, resource: Resource, parent_id: int) -> int:
        """Delete every row of child resource ``resource`` under ``parent_id``."""
        column = next(c.name for c in resource.columns if c.parent)
        with self._write() as db:
            cursor = db.execute(
                f"DELETE FROM {_name(resource.name)} WHERE {_name(column)} = ?", (parent_id,)
            )
            return cursor.rowcount

    def has_table(self, name: str) -> bool:
        """Whether the database has table ``name``."""
        row = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return row is not None


class _Transaction:
    """``with``: ``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on an exception)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.db.execute("ROLLBACK" if kind is not None else "COMMIT")


def _name(identifier: str) -> str:
    """A quoted SQL identifier (names come from the fixed resource table, never from users)."""
    if not identifier.replace("_", "a").isalnum():
        raise ValueError(f"not an identifier: {identifier!r}")
    return f'"{identifier}"'


def _encode(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _upsert(
    db: sqlite3.Connection,
    resource: Resource,
    records: Sequence[Mapping[str, Any]],
    parent_id: int | None,
) -> Counts:
    table = _name(resource.name)
    columns = ["id", "data", "last_updated", *(c.name for c in resource.columns)]
    ids = [r["id"] for r in records]
    old = _existing(db, table, ids)
    added = updated = unchanged = 0
    rows = []
    for record in records:
        data = _encode(record)
        before = old.get(record["id"])
        if before == data:
            unchanged += 1
            continue
        if before is None:
            added += 1
        else:
            updated += 1
        values = [c.value(record, parent_id) for c in resource.columns]
        rows.append((record["id"], data, last_updated(record), *values))
    if rows:
        marks = ", ".join("?" * len(columns))
        names = ", ".join(_name(c) for c in columns)
        sets = ", ".join(f"{_name(c)} = excluded.{_name(c)}" for c in columns[1:])
        db.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET {sets}",
            rows,
        )
    return Counts(added=added, updated=updated, unchanged=unchanged)


def _existing(db: sqlite3.Connection, table: str, ids: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(f"SELECT id, data FROM {table} WHERE id IN ({marks})", chunk)
        found.update((int(row[0]), row[1]) for row in rows)
    return found


def _drop_other_children(
    db: sqlite3.Connection,
    resource: Resource,
    parent_id: int,
    records: Sequence[Mapping[str, Any]],
) -> Counts:
    column = next(c.name for c in resource.columns if c.parent)
    keep = {int(r["id"]) for r in records}
    rows = db.execute(
        f"SELECT id FROM {_name(resource.name)} WHERE {_name(column)} = ?", (parent_id,)
    )
    gone = sorted({int(row[0]) for row in rows} - keep)
    return Counts(deleted=_delete(db, resource, gone))


def _delete(db: sqlite3.Connection, resource: Resource, ids: Sequence[int]) -> int:
    gone = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        cursor = db.execute(f"DELETE FROM {_name(resource.name)} WHERE id IN ({marks})", chunk)
        gone += cursor.rowcount
    return gone


def _save_checkpoint(
    db: sqlite3.Connection, run_id: int, resource: str, checkpoint: Checkpoint
) -> None:
    db.execute(
        "INSERT INTO sync_checkpoints (resource, run_id, since, next_watermark, cursor) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (resource) DO UPDATE SET run_id = excluded.run_id, "
        "since = excluded.since, next_watermark = excluded.next_watermark, "
        "cursor = excluded.cursor",
        (resource, run_id, checkpoint.since, checkpoint.next_watermark, checkpoint.cursor),
    )


def _add_counts(db: sqlite3.Connection, run_id: int, counts: Counts) -> None:
    db.execute(
        "UPDATE sync_runs SET added = added + ?, updated = updated + ?, deleted = deleted + ?, "
        "unchanged = unchanged + ? WHERE id = ?",
        (counts.added, counts.updated, counts.deleted, counts.unchanged, run_id),
    )


__all__ = ["Checkpoint", "RunLock", "SqliteStore", "format_instant", "sqlite_path"]
