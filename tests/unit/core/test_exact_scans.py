"""Scans while the data changes, on the simulator: 0 lost and 0 duplicated in every exact mode.

The cases of the reliability issue: 1,000 tickets at 100 a page; 5 earlier records deleted
before page 3; 5 records inserted into the scanned range before page 3; each open ticket
resolved while the open tickets are iterated (416 open in the seed). Every mode runs them:
forward-only (sync, async sequential, async concurrent id slices) and the id-ordered keyset
scan (an endpoint that ignores forward-only, faked by a transport that strips the header and
the ``Link`` answer). Page-number paging (``forward_only=False``) is run too, to pin what the
README says: it is not exact under changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._sync._client import ConnectWiseClient
from cw_facade.testing import ManageSimulator

pytestmark = pytest.mark.anyio

TICKETS = "/service/tickets"
PAGE = 100
#: (kind, concurrency, forward-only supported by the endpoint)
MODES = {
    "sync-forward": ("sync", 1, True),
    "sync-keyset": ("sync", 1, False),
    "async-forward": ("async", 1, True),
    "async-keyset": ("async", 1, False),
    "async-slices": ("async", 4, True),
    "async-slices-keyset": ("async", 4, False),
}


class Changes:
    """Counts the page requests of the ticket list and runs ``before(n)`` ahead of the n-th."""

    def __init__(self, before: Callable[[int], None], forward: bool) -> None:
        self.before = before
        self.forward = forward
        self.pages = 0

    def request(self, request: httpx.Request) -> httpx.Request:
        is_page = request.url.path.endswith(TICKETS) and request.method == "GET"
        if is_page and request.url.params.get("orderBy") != "id desc":
            self.pages += 1
            self.before(self.pages)
        if not self.forward and "pagination-type" in request.headers:
            headers = {k: v for k, v in request.headers.items() if k != "pagination-type"}
            request = httpx.Request(request.method, request.url, headers=headers)
        return request

    def response(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        if self.forward or request.headers.get("pagination-type") is None:
            return response
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() != "link"]
        return httpx.Response(response.status_code, headers=headers, content=response.content)


class SyncChanges(httpx.BaseTransport):
    def __init__(self, changes: Changes) -> None:
        self.changes = changes
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        sent = self.changes.request(request)
        response = self.inner.handle_request(sent)
        response.read()
        return self.changes.response(request, response)

    def close(self) -> None:
        self.inner.close()


class AsyncChanges(httpx.AsyncBaseTransport):
    def __init__(self, changes: Changes) -> None:
        self.changes = changes
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        sent = self.changes.request(request)
        response = await self.inner.handle_async_request(sent)
        await response.aread()
        return self.changes.response(request, response)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture(scope="module")
def sim() -> Iterator[ManageSimulator]:
    with ManageSimulator(tickets=1000) as started:
        yield started


def tickets(sim: ManageSimulator) -> Any:
    return sim.store.collection(TICKETS)


def ids_where(sim: ManageSimulator, test: Callable[[dict[str, Any]], bool]) -> set[int]:
    with sim.store.lock:
        return {r["id"] for r in tickets(sim).iterate() if test(r)}


async def scan(
    sim: ManageSimulator,
    mode: str,
    before: Callable[[int], None],
    each: Callable[[int], None] = lambda _: None,
    **query: Any,
) -> list[int]:
    """The ids ``iter_tickets(**query)`` produces, ``before(n)`` running ahead of page n."""
    kind, concurrency, forward = MODES[mode]
    changes = Changes(before, forward)
    options: dict[str, Any] = {
        "base_url": sim.base_url,
        "client": sim.company,
        "username": sim.public_key,
        "password": sim.private_key,
        "client_id": sim.client_id,
        "allow_insecure_http": True,
    }
    produced: list[int] = []
    if kind == "sync":
        with ConnectWiseClient(**options, transport=SyncChanges(changes)) as cw:
            for ticket in cw.iter_tickets(pagesize=PAGE, **query):
                produced.append(ticket.id)
                each(ticket.id)
        return produced
    async with AsyncConnectWiseClient(
        **options, transport=AsyncChanges(changes), concurrency=concurrency
    ) as acw:
        async for ticket in acw.iter_tickets(pagesize=PAGE, **query):
            produced.append(ticket.id)
            each(ticket.id)
    return produced


def lost_and_duplicated(produced: list[int], expected: set[int]) -> tuple[int, int]:
    return len(expected - set(produced)), len(produced) - len(set(produced))


def delete_five(sim: ManageSimulator) -> Callable[[int], None]:
    def before(page: int) -> None:
        if page == 3:
            with sim.store.lock:
                for record_id in range(1, 6):
                    tickets(sim).remove(record_id)

    return before


def insert_five(sim: ManageSimulator) -> Callable[[int], None]:
    """Five tickets come back into the scanned range (ids 11..15, taken out before the scan)."""
    collection = tickets(sim)
    with sim.store.lock:
        held = {record_id: collection.remove(record_id) for record_id in range(11, 16)}

    def before(page: int) -> None:
        if page == 3:
            with sim.store.lock:
                for record_id, record in held.items():
                    collection.put(record_id, record)
                collection.records = dict(sorted(collection.records.items()))

    return before


def resolve(sim: ManageSimulator) -> Callable[[int], None]:
    def each(record_id: int) -> None:
        with sim.store.lock:
            tickets(sim).records[record_id]["closedFlag"] = True

    return each


def nothing(page: int) -> None:
    del page


@pytest.mark.parametrize("mode", list(MODES))
async def test_deleting_earlier_records_loses_nothing(sim: ManageSimulator, mode: str) -> None:
    sim.reset(tickets=1000)
    expected = ids_where(sim, lambda r: r["id"] > 5)
    produced = await scan(sim, mode, delete_five(sim))
    assert lost_and_duplicated(produced, expected) == (0, 0)
    assert produced == sorted(produced)


@pytest.mark.parametrize("mode", list(MODES))
async def test_inserted_records_duplicate_nothing(sim: ManageSimulator, mode: str) -> None:
    sim.reset(tickets=1000)
    before = insert_five(sim)
    expected = ids_where(sim, lambda r: True)  # the records there for the whole scan
    produced = await scan(sim, mode, before)
    assert lost_and_duplicated(produced, expected) == (0, 0)


@pytest.mark.parametrize("mode", list(MODES))
async def test_resolving_each_open_ticket_while_iterating_them(
    sim: ManageSimulator, mode: str
) -> None:
    sim.reset(tickets=1000)
    expected = ids_where(sim, lambda r: not r["closedFlag"])
    assert len(expected) == 416
    produced = await scan(sim, mode, nothing, resolve(sim), conditions="closedFlag=false")
    assert lost_and_duplicated(produced, expected) == (0, 0)
    assert ids_where(sim, lambda r: not r["closedFlag"]) == set()


@pytest.mark.parametrize("mode", ["sync-forward", "async-slices"])
async def test_a_scan_without_changes_reads_each_record_once_in_id_order(
    sim: ManageSimulator, mode: str
) -> None:
    sim.reset(tickets=1000)
    produced = await scan(sim, mode, nothing)
    assert produced == sorted(ids_where(sim, lambda r: True))


@pytest.mark.parametrize(
    ("case", "lost", "duplicated"), [("delete", 5, 0), ("insert", 0, 5), ("resolve", 200, 0)]
)
async def test_page_numbers_are_not_exact_as_documented(
    sim: ManageSimulator, case: str, lost: int, duplicated: int
) -> None:
    sim.reset(tickets=1000)
    if case == "delete":
        expected = ids_where(sim, lambda r: r["id"] > 5)
        produced = await scan(sim, "sync-forward", delete_five(sim), forward_only=False)
    elif case == "insert":
        before = insert_five(sim)
        expected = ids_where(sim, lambda r: True)
        produced = await scan(sim, "sync-forward", before, forward_only=False)
    else:
        expected = ids_where(sim, lambda r: not r["closedFlag"])
        produced = await scan(
            sim,
            "sync-forward",
            nothing,
            resolve(sim),
            conditions="closedFlag=false",
            forward_only=False,
        )
    assert lost_and_duplicated(produced, expected) == (lost, duplicated)
