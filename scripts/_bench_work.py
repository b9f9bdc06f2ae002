"""The benchmark's workloads for cw-facade and for the bare-httpx baseline.

Each workload function runs once and returns seconds (or a small dict); ``scripts/bench.py``
interleaves them and takes medians. Run as a script, this module is the fresh child process
of the memory measurement::

    python scripts/_bench_work.py memory SITE_URL COUNT   -> {"peak_rss_mb": ..., "tickets": N}
"""

from __future__ import annotations

import asyncio
import base64
import json
import math
import resource
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

COMPANY = "cwfacade"
PUBLIC_KEY = "demo-public"
PRIVATE_KEY = "demo-private"
CLIENT_ID = "00000000-0000-4000-8000-000000000000"
#: Bulk-sync condition (the bench server leaves exactly ``--open`` tickets open).
BULK_CONDITION = "closedFlag = false"
#: Page size of every paged workload.
PAGE_SIZE = 1000
#: Concurrency of the async client in the bulk sync.
CONCURRENCY = 4
#: Ticket fetched by the round-trip workload.
TICKET_ID = 7


def timed(action: Callable[[], object]) -> float:
    """Seconds ``action`` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def bare_headers() -> dict[str, str]:
    """The headers a hand-written httpx call sends (same auth as the clients)."""
    token = base64.b64encode(f"{COMPANY}+{PUBLIC_KEY}:{PRIVATE_KEY}".encode()).decode()
    return {"Authorization": f"Basic {token}", "clientId": CLIENT_ID}


def client_kwargs(site: str) -> dict[str, Any]:
    """Keyword arguments of a facade client pointed at the simulator ``site``."""
    return {
        "base_url": site,
        "client": COMPANY,
        "username": PUBLIC_KEY,
        "password": PRIVATE_KEY,
        "client_id": CLIENT_ID,
        "allow_insecure_http": True,
        # The simulator here has no rate limit: measure the client, not its 950/min pace.
        "rate_limit": None,
    }


def governed_kwargs(site: str) -> dict[str, Any]:
    """:func:`client_kwargs` with the client's default rate governor in force (the counted
    sections run against a rate-limited server, as a user's client would)."""
    return {k: v for k, v in client_kwargs(site).items() if k != "rate_limit"}


# -- parse ------------------------------------------------------------------------------------


def parse_json(page: bytes) -> float:
    """``json.loads`` of the page."""
    return timed(lambda: json.loads(page))


def parse_facade(page: bytes) -> float:
    """Bytes to typed facade models (what the client does with a page)."""
    from cw_facade.models import Ticket

    return timed(lambda: [Ticket(r) for r in json.loads(page)])


def parse_facade_read(page: bytes) -> float:
    """Bytes to facade models, then six typed properties read on every ticket."""
    from cw_facade.models import Ticket

    def work() -> None:
        for t in (Ticket(r) for r in json.loads(page)):
            _ = (t.id, t.summary, t.status_name, t.company_name, t.board_name, t.priority_name)

    return timed(work)


def parse_generated(page: bytes) -> float:
    """Bytes to the generated attrs models (``Ticket.from_dict``)."""
    from cw_manage_client.models import Ticket

    return timed(lambda: [Ticket.from_dict(r) for r in json.loads(page)])


# -- requests ---------------------------------------------------------------------------------


def page_bare(http: httpx.Client, api_root: str, headers: dict[str, str]) -> float:
    """One 1,000-ticket page: bare GET + ``json.loads``."""
    url = f"{api_root}service/tickets"
    params = {"pageSize": PAGE_SIZE, "page": 1}
    return timed(lambda: json.loads(http.get(url, params=params, headers=headers).content))


def page_facade(client: Any) -> float:
    """One 1,000-ticket page to typed models through the facade."""
    return timed(lambda: client.get_tickets(pagesize=PAGE_SIZE, limit=PAGE_SIZE))


def trip_bare(http: httpx.Client, api_root: str, headers: dict[str, str], calls: int) -> float:
    """Seconds per bare GET of one ticket + ``json.loads``."""
    url = f"{api_root}service/tickets/{TICKET_ID}"

    def work() -> None:
        for _ in range(calls):
            json.loads(http.get(url, headers=headers).content)

    return timed(work) / calls


def trip_facade(client: Any, calls: int) -> float:
    """Seconds per ``get_ticket``."""

    def work() -> None:
        for _ in range(calls):
            client.get_ticket(TICKET_ID)

    return timed(work) / calls


# -- bulk sync --------------------------------------------------------------------------------


def bulk_sync(site: str) -> tuple[float, int]:
    """Every open ticket's id through the blocking client: seconds and tickets seen."""
    from cw_facade import ConnectWiseClient

    with ConnectWiseClient(**client_kwargs(site)) as client:
        client.ping()  # discovery and connection, outside the timing
        ids: list[int | None] = []
        seconds = timed(
            lambda: ids.extend(t.id for t in client.iter_tickets(BULK_CONDITION, PAGE_SIZE))
        )
    return seconds, len(ids)


def bulk_async(site: str) -> tuple[float, int]:
    """Every open ticket's id through the async client with concurrent paging."""
    return asyncio.run(_bulk_async(site))


async def _bulk_async(site: str) -> tuple[float, int]:
    from cw_facade import AsyncConnectWiseClient

    async with AsyncConnectWiseClient(**client_kwargs(site), concurrency=CONCURRENCY) as client:
        await client.ping()
        started = time.perf_counter()
        ids = [t.id async for t in client.iter_tickets(BULK_CONDITION, PAGE_SIZE)]
        return time.perf_counter() - started, len(ids)


def latency_bound(tickets: int, latency_s: float) -> float:
    """``ceil(pages / concurrency) x latency``: no client can page faster at this concurrency."""
    return math.ceil(math.ceil(tickets / PAGE_SIZE) / CONCURRENCY) * latency_s


# -- counted workloads: N+1 notes, get many, the exact scan while data changes ----------------


@dataclass(frozen=True)
class Wrong:
    """Records a run got wrong against the server's truth.

    ``missing``: records that should have come and did not; ``duplicated``: extra copies of
    records that came more than once; ``unexpected``: records that should not have come at all
    (not asked, under the wrong parent, or never in the scan's filter).
    """

    missing: int = 0
    duplicated: int = 0
    unexpected: int = 0

    @property
    def total(self) -> int:
        """Every wrong record."""
        return self.missing + self.duplicated + self.unexpected

    def __str__(self) -> str:
        if not self.total:
            return "0"
        parts = (("lost", self.missing), ("dup", self.duplicated), ("extra", self.unexpected))
        return f"{self.total} (" + ", ".join(f"{n} {what}" for what, n in parts if n) + ")"


def _duplicates(produced: Sequence[int]) -> int:
    return len(produced) - len(set(produced))


def wrong_ids(asked: Sequence[int], produced: Sequence[int]) -> Wrong:
    """Get many: every asked id once, nothing else (all asked ids exist on the server)."""
    wanted, got = set(asked), set(produced)
    return Wrong(len(wanted - got), _duplicates(produced), len(got - wanted))


def wrong_notes(truth: Mapping[int, Sequence[int]], produced: Mapping[int, Sequence[int]]) -> Wrong:
    """N+1: each ticket's notes exactly once, under that ticket (``truth``: server's note ids).

    A ticket missing from ``produced`` loses all its notes; a ticket that was not asked makes
    all its notes unexpected.
    """
    missing = duplicated = unexpected = 0
    for ticket_id, notes in truth.items():
        got = list(produced.get(ticket_id, ()))
        missing += len(set(notes) - set(got))
        duplicated += _duplicates(got)
        unexpected += len(set(got) - set(notes))
    for ticket_id, stray in produced.items():
        if ticket_id not in truth:
            unexpected += len(stray)
    return Wrong(missing, duplicated, unexpected)


def wrong_scan(stable: Iterable[int], possible: Iterable[int], produced: Sequence[int]) -> Wrong:
    """Exact scan while data changes: ``stable`` (in the filter for the whole scan) exactly
    once; any record at most once; nothing that was never in the filter (``possible``: every id
    in the filter at some time during the scan)."""
    got = set(produced)
    return Wrong(len(set(stable) - got), _duplicates(produced), len(got - set(possible)))


@dataclass
class Outcome:
    """One counted run: seconds, what it produced, errors surfaced (and the first one)."""

    seconds: float
    produced: Any
    errors: int = 0
    error: str = ""


def _caught(started: float, produced: Any, exc: Exception, errors: int = 1) -> Outcome:
    text = f"{type(exc).__name__}: {exc}"[:200]
    return Outcome(time.perf_counter() - started, produced, errors, text)


def bare_get(http: httpx.Client, url: str, params: dict[str, Any] | None = None) -> Any:
    """GET + ``json.loads``, the obvious way: on a 429, sleep ``Retry-After`` and try again.

    Raises ``httpx.HTTPStatusError`` for any other error status.
    """
    while True:
        response = http.get(url, params=params)
        if response.status_code == 429:
            time.sleep(float(response.headers.get("Retry-After", "1")))
            continue
        response.raise_for_status()
        return json.loads(response.content)


def _bare_each(api_root: str, ids: Sequence[int], action: Callable[..., Any]) -> Outcome:
    """``action(http, api_root, id)`` for each id in turn; an exception is one error."""
    import httpx

    produced: dict[int, Any] = {}
    errors: list[str] = []
    with httpx.Client(headers=bare_headers()) as http:
        started = time.perf_counter()
        for ticket_id in ids:
            try:
                produced[ticket_id] = action(http, api_root, ticket_id)
            except (httpx.HTTPError, ValueError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
        seconds = time.perf_counter() - started
    return Outcome(seconds, produced, len(errors), errors[0] if errors else "")


def notes_bare(api_root: str, ticket_ids: Sequence[int]) -> Outcome:
    """Each ticket's notes, one GET after the other; ``produced``: ``{ticket: [note ids]}``."""

    def one(http: httpx.Client, root: str, ticket_id: int) -> list[int]:
        return [n["id"] for n in bare_get(http, f"{root}service/tickets/{ticket_id}/notes")]

    return _bare_each(api_root, ticket_ids, one)


def many_bare(api_root: str, ticket_ids: Sequence[int]) -> Outcome:
    """Each ticket by id, one GET after the other; ``produced``: the ids got, in order."""

    def one(http: httpx.Client, root: str, ticket_id: int) -> int:
        return int(bare_get(http, f"{root}service/tickets/{ticket_id}")["id"])

    found = _bare_each(api_root, ticket_ids, one)
    found.produced = list(found.produced.values())
    return found


def scan_bare(api_root: str) -> Outcome:
    """Every open ticket the obvious way: ``page=1, 2, ...`` until a short page."""
    import httpx

    ids: list[int] = []
    url = f"{api_root}service/tickets"
    with httpx.Client(headers=bare_headers()) as http:
        started = time.perf_counter()
        try:
            for page in range(1, 1_000_000):
                params = {"conditions": BULK_CONDITION, "pageSize": PAGE_SIZE, "page": page}
                records = bare_get(http, url, params)
                ids.extend(r["id"] for r in records)
                if len(records) < PAGE_SIZE:
                    break
        except (httpx.HTTPError, ValueError) as exc:
            return _caught(started, ids, exc)
        return Outcome(time.perf_counter() - started, ids)


def _facade_error() -> tuple[type[Exception], ...]:
    from cw_facade import ConnectWiseError

    return (ConnectWiseError, AttributeError)


def notes_facade_async(site: str, ticket_ids: Sequence[int]) -> Outcome:
    """``get_ticket_notes_by_ticket_ids`` on the async client; ``{ticket: [note ids]}``."""

    async def work(client: Any) -> Any:
        found = await client.get_ticket_notes_by_ticket_ids(ticket_ids)
        return {t: [n.id for n in notes] for t, notes in found.items()}

    return _run_async(site, work, {})


def notes_facade_sync(site: str, ticket_ids: Sequence[int]) -> Outcome:
    """``get_ticket_notes_by_ticket_ids`` on the blocking client."""

    def work(client: Any) -> Any:
        found = client.get_ticket_notes_by_ticket_ids(ticket_ids)
        return {t: [n.id for n in notes] for t, notes in found.items()}

    return _run_sync(site, work, {})


def many_facade_async(site: str, ticket_ids: Sequence[int]) -> Outcome:
    """``get_tickets_by_ids`` on the async client; ``produced``: the ids, in result order."""

    async def work(client: Any) -> Any:
        return [t.id for t in await client.get_tickets_by_ids(ticket_ids)]

    return _run_async(site, work, [])


def many_facade_sync(site: str, ticket_ids: Sequence[int]) -> Outcome:
    """``get_tickets_by_ids`` on the blocking client."""

    def work(client: Any) -> Any:
        return [t.id for t in client.get_tickets_by_ids(ticket_ids)]

    return _run_sync(site, work, [])


def scan_facade_async(site: str, forward_only: bool | None = None) -> Outcome:
    """Every open ticket through the async client (exact by default; ``forward_only=False``:
    page numbers), ``concurrency`` pages at once; ``ping`` (discovery) is not timed."""
    ids: list[int] = []

    async def work(client: Any) -> Any:
        async for t in client.iter_tickets(BULK_CONDITION, PAGE_SIZE, forward_only=forward_only):
            ids.append(t.id)
        return ids

    return _run_async(site, work, ids, ping=True)


def scan_facade_sync(site: str) -> Outcome:
    """Every open ticket through the blocking client's exact scan; ``ping`` is not timed."""
    ids: list[int] = []

    def work(client: Any) -> Any:
        ids.extend(t.id for t in client.iter_tickets(BULK_CONDITION, PAGE_SIZE))
        return ids

    return _run_sync(site, work, ids, ping=True)


def _run_sync(site: str, work: Callable[[Any], Any], empty: Any, ping: bool = False) -> Outcome:
    """``work(client)`` timed on a fresh blocking client; a facade error is one error."""
    from cw_facade import ConnectWiseClient

    with ConnectWiseClient(**governed_kwargs(site)) as client:
        if ping:
            client.ping()
        started = time.perf_counter()
        try:
            produced = work(client)
        except _facade_error() as exc:
            return _caught(started, empty, exc)
        return Outcome(time.perf_counter() - started, produced)


def _run_async(
    site: str, work: Callable[[Any], Awaitable[Any]], empty: Any, ping: bool = False
) -> Outcome:
    """``await work(client)`` timed on a fresh async client (concurrency ``CONCURRENCY``)."""
    from cw_facade import AsyncConnectWiseClient

    async def run() -> Outcome:
        kwargs = {**governed_kwargs(site), "concurrency": CONCURRENCY}
        async with AsyncConnectWiseClient(**kwargs) as client:
            if ping:
                await client.ping()
            started = time.perf_counter()
            try:
                produced = await work(client)
            except _facade_error() as exc:
                return _caught(started, empty, exc)
            return Outcome(time.perf_counter() - started, produced)

    return asyncio.run(run())


def scan_bound(tickets: int, latency_s: float, parse_s: float) -> float:
    """The exact-scan target's base: ``ceil(pages / concurrency) x latency + parse time``."""
    return latency_bound(tickets, latency_s) + parse_s


def parse_pages(pages: Sequence[bytes]) -> float:
    """Seconds to turn ``pages`` (bytes) into typed facade tickets, one page at a time and
    keeping none (as a scan does: holding 20,000 parsed tickets would time the garbage
    collector walking them, not parsing)."""
    from cw_facade.models import Ticket

    def one(page: bytes) -> float:
        return timed(lambda: [Ticket(r) for r in json.loads(page)])

    return sum(one(page) for page in pages)


# -- fresh-process children -------------------------------------------------------------------


def memory_child(site: str, count: int) -> dict[str, Any]:
    """Iterate ``count`` tickets lazily and report the process's peak RSS."""
    from cw_facade import ConnectWiseClient

    seen = 0
    with ConnectWiseClient(**client_kwargs(site)) as client:
        for ticket in client.iter_tickets(pagesize=PAGE_SIZE, limit=count):
            seen += ticket.id is not None
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"peak_rss_mb": peak_kb / 1024.0, "tickets": seen}


def main(argv: list[str]) -> int:
    """Entry point of the fresh child processes."""
    if len(argv) != 3 or argv[0] != "memory":
        raise SystemExit("usage: _bench_work.py memory SITE_URL COUNT")
    print(json.dumps(memory_child(argv[1], int(argv[2]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
