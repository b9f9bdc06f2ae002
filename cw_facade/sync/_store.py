"""The storage interface a sync writes through (:class:`SyncStore`); SQLite implements it.

Another sink implements these methods with the same meaning (see
:class:`cw_facade.sync._sqlite.SqliteStore`, the reference). The sync calls them from one
thread; each write method is one atomic transaction of the sink.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from cw_facade.sync._report import Counts
from cw_facade.sync._resources import Resource
from cw_facade.sync._sqlite import Checkpoint

Records = Sequence[Mapping[str, Any]]


@runtime_checkable
class SyncStore(Protocol):
    """Where a sync keeps rows, checkpoints, watermarks and its run history."""

    def describe(self) -> str:
        """Where the rows go (a file path), for reports."""

    def lock(self) -> None:
        """Take the exclusive run lock, or raise ``ConnectWiseSyncInProgressError``."""

    def open(self) -> None:
        """Open the sink (idempotent)."""

    def close(self) -> None:
        """Close the sink and release the run lock if held."""

    def prepare(self, resources: Iterable[Resource]) -> None:
        """Create what ``resources`` need (tables), keeping existing data."""

    def start_run(self, resources: Sequence[str], reconcile: bool) -> int:
        """Record a new run; return its id (earlier unfinished runs become interrupted)."""

    def finish_run(
        self, run_id: int, requests: int | None, error: str | None, status: str | None = None
    ) -> None:
        """Record the end of a run."""

    def reconciled(self, resource: str) -> str | None:
        """When ``resource`` was last reconciled (ISO 8601 UTC), or ``None``."""

    def mark_reconciled(self, resource: str) -> None:
        """Record a reconciliation of ``resource`` now."""

    def watermark(self, resource: str) -> str | None:
        """The watermark saved by the last complete scan of ``resource``."""

    def scanned(self, resource: str) -> bool:
        """Whether a scan of ``resource`` ever completed."""

    def checkpoint(self, resource: str) -> Checkpoint | None:
        """The checkpoint of an unfinished scan of ``resource``."""

    def begin_scan(self, run_id: int, resource: str, checkpoint: Checkpoint) -> None:
        """Save the checkpoint a new scan starts from."""

    def end_scan(self, run_id: int, resource: str, watermark: str | None) -> None:
        """Save ``watermark`` and drop the checkpoint, atomically."""

    def save_page(
        self,
        run_id: int | None,
        resource: Resource,
        records: Records,
        checkpoint: Checkpoint | None,
    ) -> Counts:
        """Upsert ``records`` with ``checkpoint`` atomically; return the counts."""

    def save_children(
        self,
        run_id: int | None,
        resource: Resource,
        children: Mapping[int, Records],
        checkpoint: Checkpoint | None,
    ) -> Counts:
        """Replace each parent's children with ``checkpoint`` atomically; return the counts."""

    def upsert(self, resource: Resource, record: Mapping[str, Any], parent_id: int | None) -> str:
        """Upsert one record; ``added``, ``updated`` or ``unchanged``."""

    def stamps(self, resource: Resource) -> dict[int, tuple[int | None, str | None]]:
        """id → (parent id, last_updated) of every stored record of ``resource``."""

    def delete(self, run_id: int | None, resource: Resource, ids: Iterable[int]) -> int:
        """Delete records ``ids``; return how many there were."""

    def delete_children(self, resource: Resource, parent_id: int) -> int:
        """Delete every child of ``parent_id``; return how many there were."""
