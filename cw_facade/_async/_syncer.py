"""The fetching half of :mod:`cw_facade.sync`: scans, reconciliation and callback refreshes.

Written once for both clients (the blocking copy is generated, see ``scripts/unasync.py``);
the storage (:class:`cw_facade.sync._sqlite.SqliteStore`) is blocking and shared.

A resource's scan is an exact id-ordered scan (``iter_all``, see the README's "Paging") of
the records changed since the watermark minus the overlap (every record on the first run),
committed page by page with its checkpoint. The watermark is the highest ``lastUpdated``
on the server when the scan started (read with one ``orderBy … desc`` request), so records
changed during a scan are read again by the next run rather than missed.
"""

from __future__ import annotations

import asyncio  # unasync: remove
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Mapping
from contextlib import aclosing
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cw_facade._errors import (
    ConnectWiseMassDeletionError,
    ConnectWiseNotFoundError,
    ConnectWiseSyncError,
)
from cw_facade.sync._options import CHILD_CHUNK, SyncOptions, guard_trips
from cw_facade.sync._report import Counts, ResourceReport, SyncProgress, SyncReport
from cw_facade.sync._resources import BY_NAME, Resource, last_updated
from cw_facade.sync._sqlite import Checkpoint

if TYPE_CHECKING:
    from cw_facade._async._client import AsyncConnectWiseClient
    from cw_facade.sync._store import SyncStore


class RequestCounter:
    """Counts the HTTP requests a client sends while installed (an httpx request hook)."""

    def __init__(self, client: AsyncConnectWiseClient) -> None:
        """Install the hook on ``client``'s transport."""
        self._count = 0
        # An injected http_client= sends on its own: its requests cannot be counted here.
        self.known = client._http._delegate is None
        self._hooks: list[Any] = client._http.event_hooks["request"]
        self._hooks.append(self._seen)

    @property
    def count(self) -> int | None:
        """Requests sent so far (each retry counts), or ``None`` when they cannot be seen."""
        return self._count if self.known else None

    async def _seen(self, request: Any) -> None:
        self._count += 1

    def remove(self) -> None:
        """Uninstall the hook."""
        if self._seen in self._hooks:
            self._hooks.remove(self._seen)


async def run_sync(
    client: AsyncConnectWiseClient,
    store: SyncStore,
    resources: tuple[Resource, ...],
    options: SyncOptions,
) -> SyncReport:
    """One sync run of ``resources`` into ``store`` (locked, recorded in ``sync_runs``)."""
    store.lock()  # first: a refused run opens and changes nothing
    counter = RequestCounter(client)
    try:
        store.open()
        store.prepare(resources)
        run_id = store.start_run([r.name for r in resources], bool(options.reconcile))
        try:
            reports = await _run(client, store, run_id, resources, options)
        except BaseException as exc:
            stopped = isinstance(exc, KeyboardInterrupt)
            status = "interrupted" if stopped else "failed"
            store.finish_run(run_id, counter.count, f"{type(exc).__name__}: {exc}", status)
            raise
        store.finish_run(run_id, counter.count, None)
        return SyncReport(run_id, store.describe(), reports, counter.count)
    finally:
        counter.remove()
        store.close()


async def _run(
    client: AsyncConnectWiseClient,
    store: SyncStore,
    run_id: int,
    resources: tuple[Resource, ...],
    options: SyncOptions,
) -> dict[str, ResourceReport]:
    now = datetime.now(UTC)
    due = tuple(r for r in resources if options.reconcile_due(store.reconciled(r.name), now))
    repaired = await _reconcile(client, store, run_id, due, options) if due else {}
    reports: dict[str, ResourceReport] = {}
    for resource in resources:
        report = await _scan(client, store, run_id, resource, options)
        if resource.name in repaired:
            report = replace(
                report, counts=report.counts + repaired[resource.name], reconciled=True
            )
        reports[resource.name] = report
        options.report(SyncProgress(resource.name, "done", report.counts.changed, 0))
    return reports


# -- scans -----------------------------------------------------------------------------------


async def _scan(
    client: AsyncConnectWiseClient,
    store: SyncStore,
    run_id: int,
    resource: Resource,
    options: SyncOptions,
) -> ResourceReport:
    """Scan one resource from its checkpoint (a new one unless a run was interrupted)."""
    checkpoint = store.checkpoint(resource.name)
    resumed = checkpoint is not None
    if checkpoint is None:
        checkpoint = await _new_checkpoint(client, store, resource, options)
        store.begin_scan(run_id, resource.name, checkpoint)
    if resource.parent is None:
        counts = await _scan_records(client, store, run_id, resource, checkpoint, options)
    else:
        counts = await _scan_children(client, store, run_id, resource, checkpoint, options)
    store.end_scan(run_id, resource.name, checkpoint.next_watermark)
    return ResourceReport(
        resource.name,
        counts,
        checkpoint.since is None,
        checkpoint.since,
        checkpoint.next_watermark,
        resumed,
    )


async def _new_checkpoint(
    client: AsyncConnectWiseClient, store: SyncStore, resource: Resource, options: SyncOptions
) -> Checkpoint:
    """Where a new scan starts: everything on the first run, else changes since the overlap."""
    watched = _watched(resource)
    if watched is None:
        return Checkpoint(None, None, 0)  # every parent's children, on every run
    old = store.watermark(resource.name)
    since = options.since(old) if store.scanned(resource.name) else None
    high = await _high_water(client, watched)
    return Checkpoint(since, high or old, 0)


def _watched(resource: Resource) -> Resource | None:
    """The resource whose ``lastUpdated`` selects what a scan of ``resource`` reads."""
    if resource.parent is None:
        return resource
    return BY_NAME[resource.parent] if resource.changed_parents_only else None


async def _high_water(client: AsyncConnectWiseClient, resource: Resource) -> str | None:
    """The highest ``lastUpdated`` of ``resource`` on the server now (``None``: no records)."""
    field = resource.condition_field
    page = await client.get(
        resource.endpoint, order_by=f"{field} desc", fields=f"id,{field}", pagesize=1
    )
    if not isinstance(page, list) or not page or not isinstance(page[0], Mapping):
        return None
    return last_updated(page[0])


def _conditions(field: str, since: str | None, cursor: int) -> str | None:
    parts = []
    if since is not None:
        parts.append(f"{field} > [{since}]")
    if cursor:
        parts.append(f"id > {cursor}")
    return " AND ".join(parts) or None


async def _scan_records(
    client: AsyncConnectWiseClient,
    store: SyncStore,
    run_id: int,
    resource: Resource,
    checkpoint: Checkpoint,
    options: SyncOptions,
) -> Counts:
    conditions = _conditions(resource.condition_field, checkpoint.since, checkpoint.cursor)
    records = client.iter_all(resource.endpoint, conditions=conditions, pagesize=options.pagesize)
    counts, seen, pages = Counts(), 0, 0
    async with aclosing(_chunks(records, options.pagesize)) as pages_of:
        async for page in pages_of:
            cursor = _last_id(resource, page, checkpoint.cursor)
            checkpoint = Checkpoint(checkpoint.since, checkpoint.next_watermark, cursor)
            counts = counts + store.save_page(run_id, resource, page, checkpoint)
            seen, pages = seen + len(page), pages + 1
            options.report(SyncProgress(resource.name, "scan", seen, pages))
    return counts


async def _scan_children(
    client: AsyncConnectWiseClient,
    store: SyncStore,
    run_id: int,
    resource: Resource,
    checkpoint: Checkpoint,
    options: SyncOptions,
) -> Counts:
    parent = BY_NAME[resource.parent or ""]
    since = checkpoint.since if resource.changed_parents_only else None
    conditions = _conditions(parent.condition_field, since, checkpoint.cursor)
    parents = client.iter_all(
        parent.endpoint, conditions=conditions, fields="id", pagesize=options.pagesize
    )
    counts, seen, pages = Counts(), 0, 0
    async with aclosing(_chunks(parents, CHILD_CHUNK)) as chunks:
        async for chunk in chunks:
            ids = [_record_id(parent, r) for r in chunk]
            children = await fetch_children(client, resource, ids)
            checkpoint = Checkpoint(checkpoint.since, checkpoint.next_watermark, ids[-1])
            counts = counts + store.save_children(run_id, resource, children, checkpoint)
            seen, pages = seen + len(ids), pages + 1
            options.report(SyncProgress(resource.name, "scan", seen, pages))
    return counts


async def fetch_children(
    client: AsyncConnectWiseClient, resource: Resource, parent_ids: Iterable[int]
) -> dict[int, list[dict[str, Any]]]:
    """Every child record (as received) of each parent id; a parent that vanished has none.

    The one place children are fetched. Ticket notes come in bundles
    (``get_ticket_notes_by_ticket_ids``: one request per 25 tickets); other children one
    listing per parent, up to ``concurrency`` parents at once on the async client.
    """
    ids = list(parent_ids)
    if not ids:
        return {}
    if resource.name == "ticket_notes":
        found = await client.get_ticket_notes_by_ticket_ids(ids)
        return {ticket: [note.raw for note in notes] for ticket, notes in found.items()}
    # unasync: begin-remove
    if client.concurrency > 1 and len(ids) > 1:
        return await _concurrently(client, resource, ids)
    # unasync: end-remove
    return {parent_id: await _children_of(client, resource, parent_id) for parent_id in ids}


async def _children_of(
    client: AsyncConnectWiseClient, resource: Resource, parent_id: int
) -> list[dict[str, Any]]:
    try:
        return await client.get_all(resource.child_endpoint(parent_id))
    except ConnectWiseNotFoundError:
        return []


# unasync: begin-remove
async def _concurrently(
    client: AsyncConnectWiseClient, resource: Resource, ids: list[int]
) -> dict[int, list[dict[str, Any]]]:
    """:func:`fetch_children` with up to ``client.concurrency`` requests at once; the first
    failure cancels the rest and is raised as itself."""
    gate = asyncio.Semaphore(client.concurrency)

    async def one(parent_id: int) -> list[dict[str, Any]]:
        async with gate:
            return await _children_of(client, resource, parent_id)

    tasks = {parent_id: asyncio.ensure_future(one(parent_id)) for parent_id in ids}
    try:
        done, _ = await asyncio.wait(tasks.values(), return_when=asyncio.FIRST_EXCEPTION)
    finally:
        unfinished = [task for task in tasks.values() if not task.done()]
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)
    for task in tasks.values():
        failure = task.exception() if task in done else None
        if failure is not None:
            raise failure
    return {parent_id: task.result() for parent_id, task in tasks.items()}


# unasync: end-remove


async def _chunks(
    records: AsyncIterator[dict[str, Any]], size: int
) -> AsyncGenerator[list[dict[str, Any]], None]:
    """``records`` in lists of ``size``; closing this closes the scan too."""
    page: list[dict[str, Any]] = []
    try:
        async for record in records:
            page.append(record)
            if len(page) >= size:
                yield page
                page = []
        if page:
            yield page
    finally:
        close = getattr(records, "aclose", None)
        if close is not None:
            await close()


def _record_id(resource: Resource, record: Mapping[str, Any]) -> int:
    value = record.get("id") if isinstance(record, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConnectWiseSyncError(f"a record of {resource.endpoint} has no integer id: {value!r}")
    return value


def _last_id(resource: Resource, page: list[dict[str, Any]], cursor: int) -> int:
    """The page's highest id; the scan must move forward (ids ascending)."""
    highest = cursor
    for record in page:
        record_id = _record_id(resource, record)
        if record_id <= highest:
            raise ConnectWiseSyncError(
                f"{resource.endpoint} did not answer in id order ({record_id} after {highest})"
            )
        highest = record_id
    return highest


# -- reconciliation --------------------------------------------------------------------------

#: id → (parent id, ``last_updated``) of a table's rows, or of the records on the server.
Stamps = dict[int, tuple[int | None, str | None]]
#: Ids fetched again per request when a reconciliation repairs records by id.
REPAIR_CHUNK = 100


async def _reconcile(
    client: AsyncConnectWiseClient,
    store: SyncStore,
    run_id: int,
    resources: tuple[Resource, ...],
    options: SyncOptions,
) -> dict[str, Counts]:
    """Compare ids (and ``lastUpdated``) with the server: delete the rows gone, fetch again
    the records missing or different locally. Every table is checked against
    ``max_delete_fraction`` before anything is deleted."""
    known: dict[str, Stamps] = {}
    plans: list[tuple[Resource, set[int], set[int]]] = []
    for resource in resources:
        local = store.stamps(resource)
        live = await _server_stamps(client, resource, known, options)
        gone = set(local) - set(live)
        if guard_trips(len(gone), len(local), options.max_delete_fraction):
            raise ConnectWiseMassDeletionError(
                resource.name, len(gone), len(local), options.max_delete_fraction
            )
        stale = {i for i, stamp in live.items() if local.get(i) != stamp}
        plans.append((resource, gone, stale))
    repaired: dict[str, Counts] = {}
    for resource, gone, stale in plans:
        counts = Counts(deleted=store.delete(run_id, resource, gone))
        if resource.parent is None:
            counts = counts + await _refetch(client, store, run_id, resource, sorted(stale))
        else:
            parents = sorted({known[resource.name][i][0] or 0 for i in stale})
            children = await fetch_children(client, resource, parents)
            counts = counts + store.save_children(run_id, resource, children, None)
        store.mark_reconciled(resource.name)
        repaired[resource.name] = counts
    return repaired


async def _refetch(
    client: AsyncConnectWiseClient,
    store: SyncStore,
    run_id: int,
    resource: Resource,
    ids: list[int],
) -> Counts:
    """Fetch records ``ids`` again (``get_many``: ``id in (...)`` lists in bundles) and upsert
    them; an id gone meanwhile is left to the deletion of the next reconciliation."""
    counts = Counts()
    for start in range(0, len(ids), REPAIR_CHUNK):
        found = await client.get_many(resource.endpoint, ids[start : start + REPAIR_CHUNK])
        counts = counts + store.save_page(run_id, resource, list(found), None)
    return counts


async def _server_stamps(
    client: AsyncConnectWiseClient,
    resource: Resource,
    known: dict[str, Stamps],
    options: SyncOptions,
) -> Stamps:
    """id → (parent id, ``lastUpdated``) of every record of ``resource`` on the server."""
    if resource.name in known:
        return known[resource.name]
    if resource.parent is None:
        stamps = await _stamps_of(client, resource, resource.endpoint, None, options)
    elif resource.name == "ticket_notes":
        parents = sorted(await _server_stamps(client, BY_NAME["tickets"], known, options))
        stamps = await _note_stamps(client, resource, parents, options)
    else:
        parent = BY_NAME[resource.parent]
        stamps = {}
        for parent_id in sorted(await _server_stamps(client, parent, known, options)):
            endpoint = resource.child_endpoint(parent_id)
            try:
                stamps.update(await _stamps_of(client, resource, endpoint, parent_id, options))
            except ConnectWiseNotFoundError:
                continue
    known[resource.name] = stamps
    return stamps


async def _note_stamps(
    client: AsyncConnectWiseClient, resource: Resource, tickets: list[int], options: SyncOptions
) -> Stamps:
    """id → (ticket id, ``lastUpdated``) of the notes of ``tickets``, in bundles."""
    stamps: Stamps = {}
    fields = f"id,{resource.condition_field}"
    for start in range(0, len(tickets), CHILD_CHUNK):
        chunk = tickets[start : start + CHILD_CHUNK]
        found = await client.get_ticket_notes_by_ticket_ids(chunk, fields=fields)
        for ticket, notes in found.items():
            for note in notes:
                stamps[_record_id(resource, note.raw)] = (ticket, last_updated(note.raw))
        options.report(SyncProgress(resource.name, "reconcile", len(stamps), 0))
    return stamps


async def _stamps_of(
    client: AsyncConnectWiseClient,
    resource: Resource,
    endpoint: str,
    parent_id: int | None,
    options: SyncOptions,
) -> Stamps:
    stamps: Stamps = {}
    fields = f"id,{resource.condition_field}"
    records = client.iter_all(endpoint, fields=fields, pagesize=options.pagesize)
    async with aclosing(_chunks(records, options.pagesize)) as pages:
        async for page in pages:
            for record in page:
                stamps[_record_id(resource, record)] = (parent_id, last_updated(record))
            options.report(SyncProgress(resource.name, "reconcile", len(stamps), 0))
    return stamps
