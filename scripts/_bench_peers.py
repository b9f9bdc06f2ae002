"""Peer workloads, run by ``scripts/bench.py`` with the throwaway virtualenv's Python.

Never imported by cw-facade: the peers (pyconnectwise, ConnectPyse-Manage's ``connectwise``)
and their dependencies live only in ``.bench/peers``. Usage::

    python _bench_peers.py PEER WORKLOAD API_ROOT [CALLS [PAIRS]]

prints one JSON object: ``{"pairs": [[baseline_s, peer_s], ...]}`` (parse, page, trip: the
baseline is ``json.loads`` or a bare httpx GET + ``json.loads`` timed in the same process,
interleaved with the peer; trip times ``CALLS`` calls and gives seconds per call) or
``{"peer": s, "tickets": n}`` (bulk).

The counted workloads ``notes`` (each ticket's notes, one ticket after the other), ``many``
(each ticket by id, one after the other) and ``scan`` (every open ticket, the peer's own
paging) read the ticket ids as a JSON list on standard input (``scan``: none) and print
``{"seconds": s, "produced": ..., "errors": n, "error": first}``: ``produced`` is
``{ticket_id: [note ids]}``, the ids got, or the scan's ids in order. They make no request
before the timed loop (the harness counts every request the server sees), and an exception
from the peer for one ticket counts as an error (that ticket's records are then missing) and
the loop goes on.

Pointing the peers at the plain-http simulator:

* ConnectPyse-Manage takes a full base URL, so ``http://127.0.0.1:PORT`` works as is.
* pyconnectwise builds ``https://{manage_url}/...`` unconditionally (``_get_url`` and codebase
  discovery). The harness subclasses its client and overrides ``_get_url()`` to return the
  simulator's ``http://`` API root, and passes ``codebase=`` so that no ``https`` discovery
  request is made. Every request then goes through pyconnectwise's own code unchanged.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

COMPANY = "cwfacade"
PUBLIC_KEY = "demo-public"
PRIVATE_KEY = "demo-private"
CLIENT_ID = "00000000-0000-4000-8000-000000000000"
BULK_CONDITION = "closedFlag = false"
PAGE_SIZE = 1000
TICKET_ID = 7
CODEBASE = "v4_6_release/"


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


class Peer:
    """One peer library behind the four calls the benchmark makes."""

    def __init__(self, name: str, api_root: str) -> None:
        self.name = name
        self.api_root = api_root
        self.client = _connectpyse(api_root) if name == "connectpyse" else _pyconnectwise(api_root)

    def parse(self, records: list[dict[str, Any]]) -> list[Any]:
        """Decoded records to the peer's typed models, the way the peer does it."""
        if self.name == "connectpyse":
            model: Any = importlib.import_module("connectwise.models").Ticket
            return [model.from_dict(r) for r in records]
        model = importlib.import_module("pyconnectwise.models.manage").Ticket
        return [model.model_validate(r) for r in records]

    def page(self) -> list[Any]:
        """One 1,000-ticket page as typed models."""
        if self.name == "connectpyse":
            return list(self.client.get_tickets(limit=PAGE_SIZE))
        return list(self.client.service.tickets.get(params={"pageSize": PAGE_SIZE, "page": 1}))

    def ticket(self) -> Any:
        """One ticket by id."""
        if self.name == "connectpyse":
            return self.client.get_ticket(TICKET_ID)
        return self.client.service.tickets.id(TICKET_ID).get()

    def note_ids(self, ticket_id: int) -> list[int]:
        """The ids of one ticket's notes, the peer's obvious call."""
        if self.name == "connectpyse":
            return [n.id for n in self.client.get_ticket_notes(ticket_id)]
        return [n.id for n in self.client.service.tickets.id(ticket_id).notes.get()]

    def ticket_id(self, ticket_id: int) -> int:
        """One ticket by id (its id as the peer's model has it)."""
        if self.name == "connectpyse":
            found = self.client.get_ticket(ticket_id)
            return -1 if found is None else int(found.id)
        return int(self.client.service.tickets.id(ticket_id).get().id)

    def bulk(self) -> list[Any]:
        """Every ticket matching the bulk condition."""
        if self.name == "connectpyse":
            return list(self.client.get_tickets(conditions=BULK_CONDITION, pagesize=PAGE_SIZE))
        pages = self.client.service.tickets.paginated(1, PAGE_SIZE, {"conditions": BULK_CONDITION})
        return list(pages.all())


def _connectpyse(api_root: str) -> Any:
    site = api_root.split("/" + CODEBASE, 1)[0]
    module: Any = importlib.import_module("connectwise")
    return module.ConnectWiseClient(
        base_url=site,
        client=COMPANY,
        username=PUBLIC_KEY,
        password=PRIVATE_KEY,
        client_id=CLIENT_ID,
    )


def _pyconnectwise(api_root: str) -> Any:
    module: Any = importlib.import_module("pyconnectwise")
    root = api_root.rstrip("/")

    class PlainHttpClient(module.ConnectWiseManageAPIClient):  # type: ignore[misc]
        def _get_url(self) -> str:
            return root

    return PlainHttpClient(
        COMPANY, urlsplit(api_root).netloc, CLIENT_ID, PUBLIC_KEY, PRIVATE_KEY, codebase=CODEBASE
    )


def counted(peer: Peer, workload: str, ids: list[int]) -> dict[str, Any]:
    """One timed ``notes``, ``many`` or ``scan`` run (module doc)."""
    errors: list[str] = []

    def each(action: Callable[[int], Any]) -> dict[str, Any]:
        produced: dict[str, Any] = {}
        for ticket_id in ids:
            try:
                produced[str(ticket_id)] = action(ticket_id)
            except Exception as exc:  # whatever the peer raises is an error surfaced
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
        return produced

    started = time.perf_counter()
    if workload == "notes":
        result: Any = each(peer.note_ids)
    elif workload == "many":
        result = [v for v in each(peer.ticket_id).values() if v != -1]
    elif workload == "scan":
        try:
            result = [int(t.id) for t in peer.bulk()]
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
            result = []
    else:
        raise SystemExit(f"unknown workload {workload!r}")
    seconds = time.perf_counter() - started
    first = errors[0] if errors else ""
    return {"seconds": seconds, "produced": result, "errors": len(errors), "error": first}


def _bare_get(http: Any, url: str, params: dict[str, Any] | None = None) -> Any:
    return json.loads(http.get(url, params=params).content)


def run(peer_name: str, workload: str, api_root: str, calls: int, pairs: int) -> dict[str, Any]:
    """Run ``workload`` for ``peer_name``; see the module docstring."""
    httpx: Any = importlib.import_module("httpx")
    peer = Peer(peer_name, api_root)
    if workload in ("notes", "many", "scan"):
        ids = [] if workload == "scan" else [int(i) for i in json.loads(sys.stdin.read())]
        return counted(peer, workload, ids)
    auth = (f"{COMPANY}+{PUBLIC_KEY}", PRIVATE_KEY)
    with httpx.Client(auth=auth, headers={"clientId": CLIENT_ID}) as http:
        if workload == "bulk":
            found: list[Any] = []
            peer.ticket()  # warm up: imports, model schemas, discovery
            seconds = _timed(lambda: found.extend(peer.bulk()))
            return {"peer": seconds, "tickets": len(found)}
        pair = _pair_maker(peer, workload, http, api_root, calls)
        return {"pairs": [pair() for _ in range(pairs)]}


def _pair_maker(
    peer: Peer, workload: str, http: Any, api_root: str, calls: int
) -> Callable[[], list[float]]:
    """A function timing one interleaved (baseline, peer) pair of ``workload``, warmed up."""
    page_url = f"{api_root}service/tickets"
    page_params = {"pageSize": PAGE_SIZE, "page": 1}
    one_url = f"{page_url}/{TICKET_ID}"
    if workload == "parse":
        body = http.get(page_url, params=page_params).content
        peer.parse(json.loads(body)[:10])  # warm up: imports, model schemas
        return lambda: [
            _timed(lambda: json.loads(body)),
            _timed(lambda: peer.parse(json.loads(body))),
        ]
    if workload == "page":
        peer.page()  # warm up: imports, first connection
        return lambda: [_timed(lambda: _bare_get(http, page_url, page_params)), _timed(peer.page)]
    if workload == "trip":
        peer.ticket()

        def trip() -> list[float]:
            base = _timed(lambda: [_bare_get(http, one_url) for _ in range(calls)])
            return [base / calls, _timed(lambda: [peer.ticket() for _ in range(calls)]) / calls]

        return trip
    raise SystemExit(f"unknown workload {workload!r}")


def main(argv: list[str]) -> int:
    """Command line; see the module docstring."""
    calls = int(argv[3]) if len(argv) > 3 else 1
    pairs = int(argv[4]) if len(argv) > 4 else 1
    print(json.dumps(run(argv[0], argv[1], argv[2], calls, pairs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
