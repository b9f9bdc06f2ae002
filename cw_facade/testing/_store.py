"""The simulator's in-memory data: collections of records keyed by id, and a simulated clock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

CLOCK_START = datetime(2025, 1, 1, tzinfo=UTC)
CLOCK_STEP = timedelta(seconds=1)

Record = dict[str, Any]


def format_instant(moment: datetime) -> str:
    """ConnectWise's timestamp form: ``2025-01-01T00:00:00Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Clock:
    """A simulated clock: starts at :data:`CLOCK_START`, advances one step per write."""

    def __init__(self, start: datetime = CLOCK_START) -> None:
        self._now = start

    def now(self) -> str:
        """The current simulated time, formatted."""
        return format_instant(self._now)

    def tick(self) -> str:
        """Advance by :data:`CLOCK_STEP` and return the new time, formatted."""
        self._now += CLOCK_STEP
        return self.now()


class Collection:
    """Records of one collection (one path template), keyed by id in insertion order.

    Nested collections (``/service/tickets/{parentId}/notes``) keep one id space and an index
    from parent id to child ids so that listing one parent's children is fast.
    """

    def __init__(self) -> None:
        self.records: dict[int, Record] = {}
        self.parent_of: dict[int, int] = {}
        self.children: dict[int, dict[int, None]] = {}
        self.next_id = 1

    def put(self, record_id: int, record: Record, parent: int | None = None) -> None:
        """Insert or replace a record (and remember its parent)."""
        self.records[record_id] = record
        self.next_id = max(self.next_id, record_id + 1)
        if parent is not None:
            self.parent_of[record_id] = parent
            self.children.setdefault(parent, {})[record_id] = None

    def remove(self, record_id: int) -> Record | None:
        """Remove a record; return it, or ``None`` if it was not there."""
        record = self.records.pop(record_id, None)
        parent = self.parent_of.pop(record_id, None)
        if parent is not None:
            self.children.get(parent, {}).pop(record_id, None)
        return record

    def get(self, record_id: int, parent: int | None = None) -> Record | None:
        """The record with this id (under this parent when given)."""
        if parent is not None and self.parent_of.get(record_id) != parent:
            return None
        return self.records.get(record_id)

    def iterate(self, parent: int | None = None) -> Iterator[Record]:
        """Records in id order (only one parent's when given)."""
        if parent is None:
            yield from self.records.values()
            return
        for record_id in self.children.get(parent, {}):
            yield self.records[record_id]

    def after(self, record_id: int, parent: int | None = None) -> Iterator[Record]:
        """Records with an id above ``record_id``, in id order (a cheap forward-only scan)."""
        if parent is not None:
            yield from sorted(
                (r for r in self.iterate(parent) if r["id"] > record_id), key=lambda r: r["id"]
            )
            return
        for key in range(max(record_id + 1, 0), self.next_id):
            record = self.records.get(key)
            if record is not None:
                yield record

    def size(self, parent: int | None = None) -> int:
        """How many records (under one parent when given)."""
        return len(self.records) if parent is None else len(self.children.get(parent, {}))


LINK_SPACE = 1 << 32


class LinkCollection(Collection):
    """An association per parent (ticket ↔ configuration): the same id under many parents."""

    def put_link(self, parent: int, record: Record) -> None:
        """Attach ``record`` (keyed by its own id) under ``parent``."""
        key = parent * LINK_SPACE + int(record["id"])
        self.records[key] = record
        self.parent_of[key] = parent
        self.children.setdefault(parent, {})[key] = None

    def remove_link(self, parent: int | None, record_id: int) -> None:
        """Detach ``record_id`` from ``parent``."""
        self.remove((parent or 0) * LINK_SPACE + record_id)

    def get(self, record_id: int, parent: int | None = None) -> Record | None:
        """The attached record ``record_id`` under ``parent``."""
        return self.records.get((parent or 0) * LINK_SPACE + record_id)


LINK_TEMPLATES = ("/service/tickets/{parentId}/configurations",)


class Store:
    """All collections, the clock, and the lock every write holds while it touches data.

    ``fill`` (optional) is called once with the template and the new, empty collection the
    first time a collection not listed in :attr:`seeded` is asked for: the demo seed fills
    collections it does not seed by hand this way, on first use, so that starting a
    simulator on a big description stays cheap.
    """

    def __init__(self, fill: Callable[[str, Collection], None] | None = None) -> None:
        self.collections: dict[str, Collection] = {}
        self.clock = Clock()
        self.lock = threading.RLock()
        self.seeded: set[str] = set()
        self._fill = fill

    def collection(self, template: str) -> Collection:
        """The collection for a path template (created, and filled if due, on first use)."""
        found = self.collections.get(template)
        if found is not None:
            return found
        with self.lock:
            found = self.collections.get(template)
            if found is None:
                found = LinkCollection() if template in LINK_TEMPLATES else Collection()
                if self._fill is not None and template not in self.seeded:
                    self._fill(template, found)  # before it is visible to other threads
                self.collections[template] = found
        return found

    def finish_seeding(self, fill: Callable[[str, Collection], None] | None) -> None:
        """Mark every collection created so far as seeded; fill later ones with ``fill``."""
        with self.lock:
            self.seeded = set(self.collections)
            self._fill = fill

    def get(self, template: str, record_id: int) -> Record | None:
        """Look a record up by collection template and id (any parent)."""
        found = self.collection(template)
        return found.records.get(record_id)

    def all(self, template: str) -> list[Record]:
        """Every record of a collection, in id order (a snapshot list)."""
        collection = self.collection(template)
        with self.lock:
            return list(collection.iterate())
