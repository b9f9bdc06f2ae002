"""Callbacks for a synced database: refresh one record from an event, keep registrations right.

Written once for both clients (the blocking copy is generated, see ``scripts/unasync.py``).
A refresh never trusts the event's ``Entity``: it GETs the record (a 404 deletes the row).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cw_facade._async._syncer import fetch_children
from cw_facade._domain.callbacks import OWNER_OBJECT_ID, callback_body
from cw_facade._validation import InvalidArgumentError
from cw_facade._webhooks import CallbackEvent
from cw_facade.models import Callback
from cw_facade.sync._report import CallbackChanges, Counts, RefreshResult
from cw_facade.sync._resources import BY_CALLBACK_TYPE, BY_NAME, Resource

if TYPE_CHECKING:
    from cw_facade._async._client import AsyncConnectWiseClient
    from cw_facade.sync._store import SyncStore

#: Children refreshed with their parent's callback (a ticket event also covers its notes).
CHILDREN: dict[str, Resource] = {"tickets": BY_NAME["ticket_notes"]}


async def refresh_record(
    client: AsyncConnectWiseClient, event: CallbackEvent, store: SyncStore
) -> RefreshResult:
    """Bring the row of ``event``'s record up to date (see ``refresh_from_callback``)."""
    if not isinstance(event, CallbackEvent):
        raise InvalidArgumentError("event", "must be a CallbackEvent (see parse_callback)")
    resource = BY_CALLBACK_TYPE.get((event.type or "").strip().casefold())
    if resource is None:
        return RefreshResult(None, event.id, "ignored")
    if event.id is None:
        raise InvalidArgumentError("event", "has no record id (ID) to refresh")
    child = CHILDREN.get(resource.name)
    store.open()
    try:
        store.prepare([resource] if child is None else [resource, child])
        if (event.action or "").strip().casefold() == "deleted":
            record = None
        else:
            record = await client.get(f"{resource.endpoint}/{event.id}")
        if not isinstance(record, dict):
            store.delete(None, resource, [event.id])
            gone = store.delete_children(child, event.id) if child else 0
            return RefreshResult(resource.name, event.id, "deleted", Counts(deleted=gone))
        outcome = store.upsert(resource, record, None)
        children = Counts()
        if child is not None:
            found = await fetch_children(client, child, [event.id])
            children = store.save_children(None, child, found, None)
        return RefreshResult(resource.name, event.id, outcome, children)
    finally:
        store.close()


async def reconcile_callbacks(
    client: AsyncConnectWiseClient,
    url: str,
    types: Iterable[str],
    level: str,
    object_id: int | None,
    description: str | None,
    dry_run: bool,
) -> CallbackChanges:
    """Make the registrations for ``url`` exactly the wanted ones (see ``ensure_callbacks``)."""
    kinds = _types(types)
    bodies = [callback_body(url, t, level, object_id, description, False) for t in kinds]
    wanted = {
        _key(body["url"], body["type"], body["level"], body["objectId"]): body for body in bodies
    }
    kept: dict[tuple[str, str, str, int], Callback] = {}
    removed: list[Callback] = []
    for existing in await client.list_callbacks():
        if existing.url != bodies[0]["url"]:
            continue  # another receiver's registration: not ours to touch
        key = _key(existing.url, existing.type, existing.level, existing.object_id)
        if key in wanted and key not in kept and existing.is_active is not False:
            kept[key] = existing
        else:
            removed.append(existing)
    missing = [body for key, body in wanted.items() if key not in kept]
    if dry_run:
        added = tuple(Callback(body) for body in missing)
        return CallbackChanges(added, tuple(removed), tuple(kept.values()), dry_run=True)
    for stale in removed:
        await client.delete_callback(stale.id)
    made = []
    for body in missing:
        made.append(
            await client.register_callback(
                body["url"],
                body["type"],
                body["level"],
                object_id=body["objectId"],
                description=body.get("description"),
            )
        )
    return CallbackChanges(tuple(made), tuple(removed), tuple(kept.values()))


def _types(types: Iterable[str]) -> list[str]:
    if isinstance(types, str):
        types = [types]
    try:
        chosen = list(types)
    except TypeError:
        raise InvalidArgumentError("types", "must be callback types such as 'ticket'") from None
    if not chosen:
        raise InvalidArgumentError("types", "name at least one callback type")
    for kind in chosen:
        if not isinstance(kind, str) or not kind.strip():
            raise InvalidArgumentError("types", f"{kind!r} is not a callback type")
    return list(dict.fromkeys(kind.strip().casefold() for kind in chosen))


def _key(url: object, kind: object, level: object, object_id: object) -> tuple[str, str, str, int]:
    text = str(level or "").casefold()
    number = object_id if isinstance(object_id, int) else OWNER_OBJECT_ID
    return (str(url), str(kind or "").casefold(), text, number)
