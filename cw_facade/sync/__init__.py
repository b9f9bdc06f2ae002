"""Incremental sync of ConnectWise records into a local SQLite database.

::

    from cw_facade import ConnectWiseClient
    from cw_facade.sync import sync

    with ConnectWiseClient.from_env() as cw:
        report = sync(cw, ["companies", "tickets"], to="sqlite:cw.db")
    print(report.summary())

The first run reads every record (an exact scan); later runs read the records changed
since the watermark (the server's highest ``lastUpdated`` when the previous scan started)
minus an overlap. ``reconcile=True`` also finds deletions by comparing ids, refusing with
:class:`~cw_facade.ConnectWiseMassDeletionError` to empty a table. Each page is committed
with its checkpoint, so an interrupted run is resumed by the next one; two runs on one
database at once are refused with :class:`~cw_facade.ConnectWiseSyncInProgressError`.
See the README's "Sync to a database" for the layout and scheduling.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cw_facade._validation import InvalidArgumentError, MissingArgumentError
from cw_facade.sync._options import (
    DEFAULT_MAX_DELETE_FRACTION,
    DEFAULT_OVERLAP,
    DEFAULT_SYNC_PAGE_SIZE,
    Progress,
    check_options,
)
from cw_facade.sync._report import (
    CallbackChanges,
    Counts,
    RefreshResult,
    ResourceReport,
    SyncProgress,
    SyncReport,
)
from cw_facade.sync._resources import RESOURCE_NAMES, pick
from cw_facade.sync._sqlite import SqliteStore, sqlite_path

if TYPE_CHECKING:
    from cw_facade._async._client import AsyncConnectWiseClient
    from cw_facade._sync._client import ConnectWiseClient

Target = str | os.PathLike[str] | SqliteStore

__all__ = [
    "DEFAULT_MAX_DELETE_FRACTION",
    "DEFAULT_OVERLAP",
    "RESOURCE_NAMES",
    "CallbackChanges",
    "Counts",
    "RefreshResult",
    "ResourceReport",
    "SqliteStore",
    "SyncProgress",
    "SyncReport",
    "async_sync",
    "sync",
]


def sync(
    client: ConnectWiseClient,
    resources: str | Iterable[str] | None = None,
    to: Target | None = None,
    *,
    reconcile: bool = False,
    overlap: timedelta | float = DEFAULT_OVERLAP,
    max_delete_fraction: float = DEFAULT_MAX_DELETE_FRACTION,
    pagesize: int = DEFAULT_SYNC_PAGE_SIZE,
    progress: Progress | None = None,
) -> SyncReport:
    """Bring the local copy of ``resources`` up to date; return what changed.

    ``client``: a :class:`~cw_facade.ConnectWiseClient` (use :func:`async_sync` for the
    async client). ``resources``: names from :data:`RESOURCE_NAMES` (``"tickets"``, ...;
    ``None``: all); parents run before their children whatever the order given.
    ``to``: ``"sqlite:PATH"`` (the database file, created when missing), a path, or a
    :class:`SqliteStore`. ``reconcile``: also delete the local rows whose records are gone
    from the server (one id listing per resource; per parent for notes and statuses).
    ``overlap``: how far before the watermark incremental reads start (a ``timedelta`` or
    seconds). ``max_delete_fraction``: the largest share of a table a reconciliation may
    delete (more than one row over it fails the run before anything is deleted).
    ``pagesize``: records per request and per committed page. ``progress``: called with a
    :class:`SyncProgress` after each committed page.

    Raises :class:`~cw_facade.InvalidArgumentError` for bad arguments (before anything is
    opened or sent), :class:`~cw_facade.ConnectWiseSyncInProgressError` when another run
    holds the database, :class:`~cw_facade.ConnectWiseMassDeletionError` when a
    reconciliation would delete too much (nothing changed), other
    :class:`~cw_facade.ConnectWiseSyncError` for a database failure, and the client's
    errors (the run is then recorded as failed; the next run resumes where it stopped).
    """
    from cw_facade._sync._client import ConnectWiseClient
    from cw_facade._sync._syncer import run_sync

    if not isinstance(client, ConnectWiseClient):
        raise InvalidArgumentError(
            "client", "must be a ConnectWiseClient (use async_sync for the async client)"
        )
    chosen, store, options = _checked(resources, to, locals())
    return run_sync(client, store, chosen, options)


async def async_sync(
    client: AsyncConnectWiseClient,
    resources: str | Iterable[str] | None = None,
    to: Target | None = None,
    *,
    reconcile: bool = False,
    overlap: timedelta | float = DEFAULT_OVERLAP,
    max_delete_fraction: float = DEFAULT_MAX_DELETE_FRACTION,
    pagesize: int = DEFAULT_SYNC_PAGE_SIZE,
    progress: Progress | None = None,
) -> SyncReport:
    """:func:`sync` for an :class:`~cw_facade.AsyncConnectWiseClient` (same arguments,
    same errors). The database writes are short blocking SQLite transactions between
    requests."""
    from cw_facade._async._client import AsyncConnectWiseClient
    from cw_facade._async._syncer import run_sync

    if not isinstance(client, AsyncConnectWiseClient):
        raise InvalidArgumentError(
            "client", "must be an AsyncConnectWiseClient (use sync for the blocking client)"
        )
    chosen, store, options = _checked(resources, to, locals())
    return await run_sync(client, store, chosen, options)


def _checked(resources: Any, to: Any, given: dict[str, Any]) -> tuple[Any, SqliteStore, Any]:
    chosen = pick(resources)
    options = check_options(
        overlap=given["overlap"],
        reconcile=given["reconcile"],
        max_delete_fraction=given["max_delete_fraction"],
        pagesize=given["pagesize"],
        progress=given["progress"],
    )
    return chosen, store_for(to), options


def store_for(to: Any) -> SqliteStore:
    """The store ``to`` names (see :func:`sync`); raises for anything else."""
    if to is None:
        raise MissingArgumentError("to", "say where to sync: to='sqlite:PATH'")
    if isinstance(to, SqliteStore):
        return to
    if isinstance(to, os.PathLike):
        return SqliteStore(os.fspath(to))
    return SqliteStore(sqlite_path(to))
