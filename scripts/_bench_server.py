"""The benchmark's server: the simulator with realistic tickets and memoized GET answers.

Run as ``python scripts/_bench_server.py --tickets N --latency-ms L``; it prints one JSON line
(``{"base_url": ..., "api_root": ...}``) and serves until its standard input closes.

Two things differ from a plain ``ManageSimulator``:

* every ticket is widened to ~45 top-level fields the way a production ConnectWise ticket
  looks (nested references with ``_info`` links, address and SLA fields, custom fields);
  exactly ``--open`` of them have ``closedFlag = false``, the bulk-sync condition;
* answers to GET requests are computed once and then replayed from memory. The data does not
  change during a run, and a real ConnectWise server answers concurrent pages on many cores;
  the simulator's own Python CPU (filtering 20,000 records per page) must not stand in for the
  network latency the benchmark adds. Clients and peers see the same server.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import Any

from cw_facade.testing import ManageSimulator
from cw_facade.testing._app import App, Request, Response

#: Custom fields every benchmark ticket carries (caption, type, value).
_CUSTOM_FIELDS = (
    ("Region", "Text", "US"),
    ("Contract Ref", "Text", "MSA-2024-117"),
    ("After Hours", "Checkbox", False),
    ("Asset Count", "Number", 12),
)
_CITIES = ("Tampa", "Austin", "Denver", "Portland", "Raleigh")


def _ref(api_root: str, path: str, ref_id: int, name: str, href: str) -> dict[str, Any]:
    return {"id": ref_id, "name": name, "_info": {href: f"{api_root}{path}/{ref_id}"}}


def widen(ticket: dict[str, Any], api_root: str, open_ticket: bool) -> None:
    """Give ``ticket`` the ~45 fields of a production ticket (in place)."""
    n = int(ticket["id"])
    ticket.update(
        {
            "closedFlag": not open_ticket,
            "site": _ref(api_root, "company/sites", 10 + n % 7, "Main", "site_href"),
            "siteName": "Main",
            "addressLine1": f"{100 + n % 900} Harbor Way",
            "city": _CITIES[n % len(_CITIES)],
            "stateIdentifier": "FL",
            "zip": f"{33600 + n % 99}",
            "country": _ref(api_root, "company/countries", 1, "United States", "country_href"),
            "contactPhoneNumber": "8135550100",
            "contactEmailAddress": f"user{n % 300}@example.com",
            "team": _ref(api_root, "service/teams", 1 + n % 4, "Tier 1", "team_href"),
            "owner": {"id": 1 + n % 9, "identifier": f"tech{n % 9}", "name": f"Tech {n % 9}"},
            "requiredDate": "2024-08-01T17:00:00Z",
            "budgetHours": 2.5,
            "agreement": _ref(api_root, "finance/agreements", 3, "Managed Services", "ag_href"),
            "customerUpdatedFlag": n % 5 == 0,
            "automaticEmailContactFlag": True,
            "automaticEmailResourceFlag": False,
            "automaticEmailCcFlag": False,
            "initialDescription": f"Reported by phone. Details for ticket {n} follow.",
            "actualHours": round((n % 40) / 4, 2),
            "approved": True,
            "billTime": "Billable",
            "dateResponded": "2024-07-05T20:55:00Z",
            "respondMinutes": 16,
            "isInSla": True,
            "department": _ref(api_root, "system/departments", 1, "Service", "dept_href"),
            "sla": _ref(api_root, "service/SLAs", 1, "Standard SLA", "sla_href"),
            "slaStatus": "Respond by Fri 07/05 4:39 PM UTC-04",
            "customFields": [
                {"id": i + 1, "caption": c, "type": t, "entryMethod": "EntryField", "value": v}
                for i, (c, t, v) in enumerate(_CUSTOM_FIELDS)
            ],
        }
    )


class _MemoApp:
    """Answers through ``app`` and replays GET answers from memory (see the module doc)."""

    def __init__(self, app: App) -> None:
        self._app = app
        self._memo: dict[tuple[str, str | None, str | None], Response] = {}
        self._lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        if request.method != "GET":
            return self._app.handle(request)
        # the paging mode is a header: a forward-only page and a plain GET share one URL
        headers = request.headers
        key = (request.target, headers.get("authorization"), headers.get("pagination-type"))
        found = self._memo.get(key)
        if found is None:
            found = self._app.handle(request)
            if found.status == 200:
                with self._lock:
                    self._memo[key] = found
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)


class BenchSimulator(ManageSimulator):
    """A simulator whose tickets are widened and whose GET answers are memoized."""

    _memo_app: _MemoApp | None = None

    @property
    def app(self) -> App:
        """The memoizing front of the simulator's app."""
        base = super().app
        if self._memo_app is None or self._memo_app._app is not base:
            self._memo_app = _MemoApp(base)
        return self._memo_app  # type: ignore[return-value]

    def widen_tickets(self, open_count: int) -> None:
        """Widen every ticket; the first ``open_count`` (by id) stay open."""
        collection = self.store.collection("/service/tickets")
        with self.store.lock:
            for position, key in enumerate(sorted(collection.records)):
                widen(collection.records[key], self.api_root, position < open_count)


def main(argv: list[str] | None = None) -> int:
    """Serve until standard input closes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, required=True)
    parser.add_argument("--open", type=int, default=None, help="tickets left open")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args(argv)
    sim = BenchSimulator(tickets=args.tickets, latency_ms=args.latency_ms)
    with sim:
        sim.widen_tickets(args.tickets if args.open is None else args.open)
        print(json.dumps({"base_url": sim.base_url, "api_root": sim.api_root}), flush=True)
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    sys.exit(main())
