"""The checked options of a sync run (pure; nothing is sent or opened here)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cw_facade._validation import InvalidArgumentError
from cw_facade.sync._report import SyncProgress
from cw_facade.sync._resources import format_instant, parse_instant

#: How far before the watermark an incremental run starts reading (clock skew between the
#: servers behind one tenant, several updates in the same second).
DEFAULT_OVERLAP = timedelta(minutes=5)
#: The largest fraction of a table a reconciliation may delete unless told otherwise.
DEFAULT_MAX_DELETE_FRACTION = 0.5
#: Records per request and per committed page (the API's maximum page size).
DEFAULT_SYNC_PAGE_SIZE = 1000
#: Parents whose children (a ticket's notes) are fetched and committed together: four bundles
#: of 25 tickets' notes, sent at once by an async client with ``concurrency`` 4 or more.
CHILD_CHUNK = 100

Progress = Callable[[SyncProgress], object]


@dataclass(frozen=True)
class SyncOptions:
    """``overlap`` before the watermark; ``reconcile`` by id (``True``, ``False``, or a
    ``timedelta``: when the last reconciliation is older), guarded by ``max_delete_fraction``;
    ``pagesize`` records per request and commit; ``progress`` callback."""

    overlap: timedelta = DEFAULT_OVERLAP
    reconcile: bool | timedelta = False
    max_delete_fraction: float = DEFAULT_MAX_DELETE_FRACTION
    pagesize: int = DEFAULT_SYNC_PAGE_SIZE
    progress: Progress | None = None

    def since(self, watermark: str | None) -> str | None:
        """The lower bound an incremental read asks for: ``watermark`` minus the overlap."""
        moment = parse_instant(watermark)
        return None if moment is None else format_instant(moment - self.overlap)

    def reconcile_due(self, last: str | None, now: datetime) -> bool:
        """Whether a resource last reconciled at ``last`` (``None``: never) is due now."""
        if isinstance(self.reconcile, bool):
            return self.reconcile
        moment = parse_instant(last)
        return moment is None or now - moment >= self.reconcile

    def report(self, event: SyncProgress) -> None:
        """Give ``event`` to the progress callback, if any."""
        if self.progress is not None:
            self.progress(event)


def check_options(
    *,
    overlap: Any,
    reconcile: Any,
    max_delete_fraction: Any,
    pagesize: Any,
    progress: Any,
) -> SyncOptions:
    """The :class:`SyncOptions` of the arguments; :class:`~cw_facade.InvalidArgumentError`
    names the first bad one."""
    if isinstance(overlap, int | float) and not isinstance(overlap, bool):
        if not math.isfinite(overlap):
            raise InvalidArgumentError("overlap", "must be finite")
        overlap = timedelta(seconds=overlap)
    if not isinstance(overlap, timedelta) or overlap < timedelta(0):
        raise InvalidArgumentError("overlap", "must be a timedelta (or seconds) of 0 or more")
    if isinstance(reconcile, timedelta):
        if reconcile <= timedelta(0):
            raise InvalidArgumentError("reconcile", "a timedelta must be positive")
    elif not isinstance(reconcile, bool):
        raise InvalidArgumentError("reconcile", "must be True, False or a timedelta")
    fraction = max_delete_fraction
    if isinstance(fraction, bool) or not isinstance(fraction, int | float):
        raise InvalidArgumentError("max_delete_fraction", "must be a number from 0 to 1")
    if not 0 <= fraction <= 1:
        raise InvalidArgumentError("max_delete_fraction", "must be a number from 0 to 1")
    if isinstance(pagesize, bool) or not isinstance(pagesize, int) or not 1 <= pagesize <= 1000:
        raise InvalidArgumentError("pagesize", "must be an integer from 1 to 1000")
    if progress is not None and not callable(progress):
        raise InvalidArgumentError("progress", "must be a callable taking a SyncProgress")
    return SyncOptions(overlap, reconcile, float(fraction), pagesize, progress)


def guard_trips(would_delete: int, rows: int, fraction: float) -> bool:
    """Whether deleting ``would_delete`` of ``rows`` rows exceeds ``fraction``.

    A single row may always go (a table of two loses half its rows when one is deleted);
    deleting more than one row over the fraction trips the guard.
    """
    return would_delete > 1 and would_delete > fraction * rows
