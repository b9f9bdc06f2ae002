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
from collections.abc import Callable
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
