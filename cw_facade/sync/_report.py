"""What a sync reports: counts per resource, the run's summary, progress events, callbacks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cw_facade.models import Callback


@dataclass(frozen=True)
class Counts:
    """Rows ``added``, ``updated``, ``deleted`` and ``unchanged`` (same JSON as stored)."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def __add__(self, other: Counts) -> Counts:
        """The sum of two counts."""
        return Counts(
            self.added + other.added,
            self.updated + other.updated,
            self.deleted + other.deleted,
            self.unchanged + other.unchanged,
        )

    @property
    def changed(self) -> int:
        """Rows added, updated or deleted."""
        return self.added + self.updated + self.deleted

    def outcome(self) -> str:
        """``added``, ``updated``, ``deleted`` or ``unchanged``: what happened to one record."""
        for name in ("added", "updated", "deleted"):
            if getattr(self, name):
                return name
        return "unchanged"


@dataclass(frozen=True)
class ResourceReport:
    """One resource's part of a run.

    ``counts`` of rows; ``full``: a full scan (first run, or a resource never completed),
    else changes since ``since``; ``resumed``: the scan continued an interrupted run's
    checkpoint; ``reconciled``: deletions were looked for by comparing ids;
    ``watermark``: the watermark saved for the next run.
    """

    resource: str
    counts: Counts
    full: bool
    since: str | None
    watermark: str | None
    resumed: bool = False
    reconciled: bool = False


@dataclass(frozen=True)
class SyncReport:
    """The result of :func:`cw_facade.sync.sync`.

    ``run_id`` is the row in ``sync_runs``; ``resources`` maps each resource name to its
    :class:`ResourceReport`; ``requests`` is how many HTTP requests the client sent during
    the run (``None`` when unknown); ``database`` is where the rows went.
    """

    run_id: int
    database: str
    resources: Mapping[str, ResourceReport]
    requests: int | None = None

    @property
    def counts(self) -> Counts:
        """The counts of every resource added up."""
        total = Counts()
        for report in self.resources.values():
            total = total + report.counts
        return total

    def summary(self) -> str:
        """One line: ``tickets +5 ~10 -3 =282; companies ...``."""
        parts = []
        for name, report in self.resources.items():
            c = report.counts
            parts.append(f"{name} +{c.added} ~{c.updated} -{c.deleted} ={c.unchanged}")
        return "; ".join(parts)


@dataclass(frozen=True)
class SyncProgress:
    """A progress event of a sync, given to ``progress=`` after each committed page.

    ``resource`` being synced; ``phase`` is ``scan`` (fetching records), ``reconcile``
    (comparing ids) or ``done`` (the resource is finished); ``records`` handled so far in
    this phase and ``pages`` committed; ``total`` the expected number when known.
    """

    resource: str
    phase: str
    records: int
    pages: int
    total: int | None = None


@dataclass(frozen=True)
class CallbackChanges:
    """What :func:`cw_facade.sync.ensure_callbacks` did (or, with ``dry_run``, would do).

    ``added``: registrations created (with ``dry_run``: the bodies that would be posted, as
    ``Callback`` models without ids); ``removed``: registrations deleted; ``kept``: the
    registrations that already matched.
    """

    added: tuple[Callback, ...] = ()
    removed: tuple[Callback, ...] = ()
    kept: tuple[Callback, ...] = ()
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        """Whether anything was (or would be) added or removed."""
        return bool(self.added or self.removed)


@dataclass(frozen=True)
class RefreshResult:
    """What :func:`cw_facade.sync.refresh_from_callback` did with one callback.

    ``resource`` is the table touched (``None`` when the callback type is not synced);
    ``id`` the record; ``outcome`` is ``added``, ``updated``, ``unchanged``, ``deleted``
    or ``ignored``; ``children`` counts the child rows refreshed with it (a ticket's notes).
    """

    resource: str | None
    id: int | None
    outcome: str
    children: Counts = field(default_factory=Counts)
