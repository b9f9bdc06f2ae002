"""Fresh-process child: time the import of a client library and its first parsed ticket.

``python _bench_import.py LIBRARY API_ROOT`` with LIBRARY ``cw_facade``, ``connectpyse`` or
``pyconnectwise``; prints ``{"import_ms": ..., "first_ms": ...}`` where ``first_ms`` counts
from before the import to a ticket's summary read from a typed model (client built, one
``GET service/tickets/7``). Only ``sys`` and ``time`` are imported before the clock starts.
"""

from __future__ import annotations

import sys
import time

COMPANY, PUBLIC_KEY, PRIVATE_KEY = "cwfacade", "demo-public", "demo-private"
CLIENT_ID = "00000000-0000-4000-8000-000000000000"
CODEBASE = "v4_6_release/"
TICKET_ID = 7


def _facade(api_root: str) -> tuple[float, object]:
    started = time.perf_counter()
    import cw_facade

    imported = time.perf_counter() - started
    site = api_root.split("/" + CODEBASE, 1)[0]
    with cw_facade.ConnectWiseClient(
        site, COMPANY, PUBLIC_KEY, PRIVATE_KEY, CLIENT_ID, allow_insecure_http=True
    ) as client:
        ticket = client.get_ticket(TICKET_ID)
        return imported, ticket.summary if ticket is not None else None


def _peer(name: str, api_root: str) -> tuple[float, object]:
    started = time.perf_counter()
    import importlib

    module: object = importlib.import_module(name)
    imported = time.perf_counter() - started
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    peers = importlib.import_module("_bench_peers")
    peer = peers.Peer("connectpyse" if name == "connectwise" else name, api_root)
    assert module is not None
    return imported, peer.ticket().summary


def main(argv: list[str]) -> int:
    """Command line; see the module docstring."""
    started = time.perf_counter()
    library, api_root = argv[0], argv[1]
    if library == "cw_facade":
        imported, summary = _facade(api_root)
    else:
        imported, summary = _peer("connectwise" if library == "connectpyse" else library, api_root)
    first = time.perf_counter() - started
    import json

    print(json.dumps({"import_ms": imported * 1000, "first_ms": first * 1000, "ok": bool(summary)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
