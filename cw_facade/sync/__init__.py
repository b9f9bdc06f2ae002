"""Incremental sync of ConnectWise records into a local SQLite database.

::

    from cw_facade import ConnectWiseClient
    from cw_facade.sync import sync

    with ConnectWiseClient(site, company, public_key, private_key, client_id) as cw:
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
from cw_facade.sync._store import SyncStore

if TYPE_CHECKING:
    from cw_facade._async._client import AsyncConnectWiseClient
    from cw_facade._sync._client import ConnectWiseClient
    from cw_facade._webhooks import CallbackEvent

#: The callback types :func:`ensure_callbacks` registers by default: those with a table.
CALLBACK_TYPES = ("ticket", "company", "contact", "agreement", "time", "member")

Target = str | os.PathLike[str] | SyncStore

__all__ = [
    "CALLBACK_TYPES",
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
    "SyncStore",
    "async_ensure_callbacks",
    "async_refresh_from_callback",
    "async_sync",
    "ensure_callbacks",
    "refresh_from_callback",
    "sync",
]


def sync(
    client: ConnectWiseClient,
    resources: str | Iterable[str] | None = None,
    to: Target | None = None,
    *,
    reconcile: bool | timedelta = False,
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
    :class:`SyncStore` (such as a :class:`SqliteStore`). ``reconcile``: ``True`` also
    compares ids with the server (one id listing per resource; bundles of 25 tickets for
    notes, one listing per board for statuses), deleting the rows gone and fetching again
    the ones missing or stale; a ``timedelta`` does so when the last reconciliation is
    older than that.
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
    reconcile: bool | timedelta = False,
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


def _checked(resources: Any, to: Any, given: dict[str, Any]) -> tuple[Any, SyncStore, Any]:
    chosen = pick(resources)
    options = check_options(
        overlap=given["overlap"],
        reconcile=given["reconcile"],
        max_delete_fraction=given["max_delete_fraction"],
        pagesize=given["pagesize"],
        progress=given["progress"],
    )
    return chosen, store_for(to), options


def store_for(to: Any) -> SyncStore:
    """The store ``to`` names (see :func:`sync`); raises for anything else."""
    if to is None:
        raise MissingArgumentError("to", "say where to sync: to='sqlite:PATH'")
    if isinstance(to, SyncStore):
        return to
    if isinstance(to, os.PathLike):
        return SqliteStore(os.fspath(to))
    return SqliteStore(sqlite_path(to))


def refresh_from_callback(
    client: ConnectWiseClient, event: CallbackEvent, to: Target | None = None
) -> RefreshResult:
    """Refresh (or delete) the one row a verified callback ``event`` is about.

    ``client``: a :class:`~cw_facade.ConnectWiseClient`. ``event``: a
    :class:`~cw_facade.CallbackEvent` your receiver verified (``parse_callback`` with
    ``signing_key=``, or a :class:`~cw_facade.CallbackVerifier`). ``to``: the database, as
    for :func:`sync`. Types ``ticket``, ``company``, ``contact``, ``agreement``, ``time`` and
    ``member`` map to their tables; others are ``ignored``. A ``deleted`` action deletes the
    row; any other GETs the record (never trusting the payload's ``Entity``) and upserts
    it, or deletes the row on a 404. A ticket's notes are refreshed with it. This takes no
    run lock (a callback must be answered quickly, even while a sync runs); SQLite
    serialises the writes.

    Raises :class:`~cw_facade.InvalidArgumentError` for a bad ``event``, ``to`` or
    ``client`` (before any request), and the client's errors.
    """
    from cw_facade._sync._client import ConnectWiseClient
    from cw_facade._sync._sync_callbacks import refresh_record

    if not isinstance(client, ConnectWiseClient):
        raise InvalidArgumentError("client", "must be a ConnectWiseClient")
    return refresh_record(client, event, store_for(to))


async def async_refresh_from_callback(
    client: AsyncConnectWiseClient, event: CallbackEvent, to: Target | None = None
) -> RefreshResult:
    """:func:`refresh_from_callback` for an :class:`~cw_facade.AsyncConnectWiseClient`."""
    from cw_facade._async._client import AsyncConnectWiseClient
    from cw_facade._async._sync_callbacks import refresh_record

    if not isinstance(client, AsyncConnectWiseClient):
        raise InvalidArgumentError("client", "must be an AsyncConnectWiseClient")
    return await refresh_record(client, event, store_for(to))


def ensure_callbacks(
    client: ConnectWiseClient,
    url: str,
    types: str | Iterable[str] = CALLBACK_TYPES,
    level: str = "owner",
    *,
    object_id: int | None = None,
    description: str | None = None,
    dry_run: bool = False,
) -> CallbackChanges:
    """Make the server's callback registrations for ``url`` exactly the wanted set.

    ``url``: your receiver (https; http only for loopback). ``types``: callback types
    (default :data:`CALLBACK_TYPES`). ``level`` and ``object_id``: the scope (``owner``
    covers every record and needs no ``object_id``). ``description``: stored with new
    registrations. ``dry_run``: only list what would change. Registrations for other URLs
    are never touched; for ``url``, the missing ones are added, and the unwanted,
    duplicated and deactivated ones (ConnectWise deactivates a callback after three days
    of failed deliveries) are removed, so a matching set costs one listing request.

    Raises :class:`~cw_facade.InvalidArgumentError` for bad arguments (before any request)
    and the client's errors.
    """
    from cw_facade._sync._client import ConnectWiseClient
    from cw_facade._sync._sync_callbacks import reconcile_callbacks

    if not isinstance(client, ConnectWiseClient):
        raise InvalidArgumentError("client", "must be a ConnectWiseClient")
    _check_flag("dry_run", dry_run)
    return reconcile_callbacks(client, url, types, level, object_id, description, dry_run)


async def async_ensure_callbacks(
    client: AsyncConnectWiseClient,
    url: str,
    types: str | Iterable[str] = CALLBACK_TYPES,
    level: str = "owner",
    *,
    object_id: int | None = None,
    description: str | None = None,
    dry_run: bool = False,
) -> CallbackChanges:
    """:func:`ensure_callbacks` for an :class:`~cw_facade.AsyncConnectWiseClient`."""
    from cw_facade._async._client import AsyncConnectWiseClient
    from cw_facade._async._sync_callbacks import reconcile_callbacks

    if not isinstance(client, AsyncConnectWiseClient):
        raise InvalidArgumentError("client", "must be an AsyncConnectWiseClient")
    _check_flag("dry_run", dry_run)
    return await reconcile_callbacks(client, url, types, level, object_id, description, dry_run)


def _check_flag(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidArgumentError(name, "must be True or False")
