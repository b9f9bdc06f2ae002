"""The benchmark's server: the simulator with realistic tickets and memoized GET answers.

Run as ``python scripts/_bench_server.py --tickets N --latency-ms L [--rate-limit 1000/min]
[--notes-tickets K]``; it prints one JSON line (``{"base_url": ..., "api_root": ...}``) and
serves until its standard input closes. Meanwhile each line on standard input is a control
command answered by one JSON line on standard output (see :func:`control`): ``reset`` (counters
and rate-limit buckets back to zero and full), ``counters``, ``notes FIRST LAST`` (the note ids
of tickets FIRST..LAST, the truth an N+1 workload is checked against), ``mutate start RATE
SEED`` and ``mutate stop`` (a thread changing tickets while a scan runs; ``stop`` answers what
stayed in the scan's filter the whole time and restores the data as it was at ``start``).

Three things differ from a plain ``ManageSimulator``:

* every ticket is widened to ~45 top-level fields the way a production ConnectWise ticket
  looks (nested references with ``_info`` links, address and SLA fields, custom fields);
  exactly ``--open`` of them have ``closedFlag = false``, the bulk-sync condition;
* answers to GET requests are computed once and then replayed from memory. The data does not
  change during a run, and a real ConnectWise server answers concurrent pages on many cores;
  the simulator's own Python CPU (filtering 20,000 records per page) must not stand in for the
  network latency the benchmark adds. Clients and peers see the same server. While the mutator
  runs, nothing is memoized (the data changes under every page);
* the tickets collection narrows what a listing looks at by the id bounds of its conditions
  (``id > a AND id <= b``, ``id in (...)`` in a top-level ``AND``), the way a database uses its
  primary key: the answer is the same, only cheaper (a 1,000-ticket id slice of 24,000 tickets
  costs ~10 ms instead of ~200 ms of server CPU), so pages stay cheap without the memo too;
* the JSON text of each stored ticket is encoded once and kept (:class:`EncodedTickets`, the
  bytes are the same as ``json.dumps`` of the page): a changed ticket is a new record and is
  encoded anew. Without it, encoding a 4 MB page (~50 ms of one core) would stand in for the
  latency while the mutator keeps the memo off.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from cw_facade.conditions import And, Comparison, ConditionsSyntaxError, Expr, Operator, parse
from cw_facade.testing import ManageSimulator
from cw_facade.testing import _app as simulator_app
from cw_facade.testing._app import App, Request, Response
from cw_facade.testing._crud import dump as plain_dump
from cw_facade.testing._store import Collection, Record

TICKETS = "/service/tickets"
NOTES = "/service/tickets/{parentId}/notes"
#: The scan condition (the bench server leaves exactly ``--open`` tickets open).
OPEN = "closedFlag = false"

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


def notes_for(ticket_id: int) -> int:
    """How many notes ticket ``ticket_id`` has under ``--notes-tickets`` (0 to 3)."""
    return ticket_id % 4


#: Id bounds of one listing request: (above, at most, exactly these ids or None).
Window = tuple[int, int, frozenset[int] | None]
_NO_UPPER = 1 << 62


def id_window(conditions: str) -> Window | None:
    """The id bounds ``conditions`` imposes through its top-level ``AND`` (``None``: none).

    Only comparisons of the path ``id`` with integers count (``>``, ``>=``, ``<``, ``<=``,
    ``=``, ``in``); anything else leaves the window as wide as it was. Text that does not parse
    gives ``None`` (the simulator then answers its own 400).
    """
    try:
        expr = parse(conditions)
    except (ConditionsSyntaxError, ValueError, TypeError):
        return None
    above, upto, exact = -1, _NO_UPPER, None
    found = False
    for term in _conjuncts(expr):
        if not isinstance(term, Comparison) or term.path.lower() != "id":
            continue
        value = term.value
        if term.op is Operator.IN and isinstance(value, tuple):
            numbers = [v for v in value if isinstance(v, int) and not isinstance(v, bool)]
            if len(numbers) != len(value):
                continue
            chosen = frozenset(numbers)
            exact = chosen if exact is None else exact & chosen
            found = True
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        if term.op is Operator.GT:
            above = max(above, value)
        elif term.op is Operator.GE:
            above = max(above, value - 1)
        elif term.op is Operator.LT:
            upto = min(upto, value - 1)
        elif term.op is Operator.LE:
            upto = min(upto, value)
        elif term.op is Operator.EQ:
            single = frozenset((value,))
            exact = single if exact is None else exact & single
        else:
            continue  # != narrows nothing
        found = True
    return (above, upto, exact) if found else None


def _conjuncts(expr: Expr) -> Iterator[Expr]:
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, And):
            stack.extend(node.operands)
        else:
            yield node


_window = threading.local()


class NarrowCollection(Collection):
    """The tickets: listings look only at ids inside the request's id window (module doc)."""

    @staticmethod
    def current() -> Window | None:
        """The window of the request this thread is answering."""
        found: Window | None = getattr(_window, "value", None)
        return found

    def iterate(self, parent: int | None = None) -> Iterator[Record]:
        """Records in id order, only inside the current window when there is one."""
        window = self.current()
        if parent is not None or window is None:
            yield from super().iterate(parent)
            return
        yield from self._inside(*window)

    def after(self, record_id: int, parent: int | None = None) -> Iterator[Record]:
        """Records above ``record_id`` in id order, only inside the current window."""
        window = self.current()
        if parent is not None or window is None:
            yield from super().after(record_id, parent)
            return
        above, upto, exact = window
        yield from self._inside(max(above, record_id), upto, exact)

    def _inside(self, above: int, upto: int, exact: frozenset[int] | None) -> Iterator[Record]:
        """Records with ``above < id <= upto`` (and in ``exact`` when given), in id order."""
        if exact is not None:
            keys: Iterator[int] | range = iter(sorted(k for k in exact if above < k <= upto))
        else:
            keys = range(max(above + 1, 0), min(upto, self.next_id - 1) + 1)
            if len(keys) >= len(self.records):
                yield from (r for k, r in self.records.items() if above < k <= upto)
                return
        for key in keys:
            record = self.records.get(key)
            if record is not None:
                yield record


class EncodedTickets:
    """A ``dump`` that reuses each stored ticket's JSON bytes (module doc).

    A list payload is encoded item by item; an item that is the very record stored under its
    id in the tickets collection is encoded once and looked up by identity afterwards. Anything
    else goes through the simulator's own ``dump``.
    """

    def __init__(self, sim: ManageSimulator) -> None:
        self._sim = sim
        self._encoded: dict[int, tuple[Record, bytes]] = {}
        self._lock = threading.Lock()

    def __call__(self, payload: Any) -> bytes:
        if not isinstance(payload, list) or not payload:
            return plain_dump(payload)
        records: dict[Any, Record] = self._sim.store.collection(TICKETS).records
        parts = []
        for item in payload:
            stored = isinstance(item, dict) and records.get(item.get("id")) is item
            parts.append(self.encoded(item) if stored else plain_dump(item))
        return b"[" + b",".join(parts) + b"]"

    def encoded(self, record: Record) -> bytes:
        """``record``'s compact JSON, encoded on first use."""
        found = self._encoded.get(id(record))
        if found is not None and found[0] is record:
            return found[1]
        text = plain_dump(record)
        with self._lock:
            self._encoded[id(record)] = (record, text)
        return text


class _MemoApp:
    """Answers through ``app`` and replays GET answers from memory (see the module doc)."""

    def __init__(self, app: App) -> None:
        self._app = app
        self._memo: dict[tuple[str, str | None, str | None], Response] = {}
        self._lock = threading.Lock()
        #: Off while the mutator runs.
        self.enabled = True

    def clear(self) -> None:
        """Forget every memoized answer."""
        with self._lock:
            self._memo.clear()

    def handle(self, request: Request) -> Response:
        if request.method != "GET":
            return self._app.handle(request)
        if not self.enabled:
            return self._narrowed(request)
        # the paging mode is a header: a forward-only page and a plain GET share one URL
        headers = request.headers
        key = (request.target, headers.get("authorization"), headers.get("pagination-type"))
        found = self._memo.get(key)
        if found is None:
            found = self._narrowed(request)
            if found.status == 200 and self.enabled:
                with self._lock:
                    self._memo[key] = found
        return found

    def _narrowed(self, request: Request) -> Response:
        """The app's answer, with the id window of the request's conditions in force."""
        query = dict((k.lower(), v) for k, v in parse_qsl(request.target.partition("?")[2]))
        conditions = query.get("conditions", "")
        _window.value = id_window(conditions) if conditions else None
        try:
            return self._app.handle(request)
        finally:
            _window.value = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)


class BenchSimulator(ManageSimulator):
    """A simulator whose tickets are widened, narrowed by id and whose GET answers are memoized.

    ``rate_limit``/``rate_burst`` are the simulator's; :meth:`reset_limits` refills the buckets.
    """

    _memo_app: _MemoApp | None = None
    _mutator: Mutator | None = None

    @property
    def app(self) -> App:
        """The memoizing front of the simulator's app."""
        base = super().app
        if self._memo_app is None or self._memo_app._app is not base:
            self._memo_app = _MemoApp(base)
        return self._memo_app  # type: ignore[return-value]

    @property
    def memo(self) -> _MemoApp:
        """The memo in front of the app."""
        app: Any = self.app
        memo: _MemoApp = app
        return memo

    def widen_tickets(self, open_count: int) -> None:
        """Widen every ticket; the first ``open_count`` (by id) stay open."""
        collection = self.store.collection(TICKETS)
        with self.store.lock:
            for position, key in enumerate(sorted(collection.records)):
                widen(collection.records[key], self.api_root, position < open_count)

    def narrow_tickets(self) -> None:
        """Make the tickets a :class:`NarrowCollection` (same records, same ids)."""
        with self.store.lock:
            old = self.store.collection(TICKETS)
            new = NarrowCollection()
            new.records, new.parent_of, new.children = old.records, old.parent_of, old.children
            new.next_id = old.next_id
            self.store.collections[TICKETS] = new

    def seed_notes(self, tickets: int) -> None:
        """Tickets 1..``tickets`` get :func:`notes_for` notes each (in place of the seeded one)."""
        notes = self.store.collection(NOTES)
        with self.store.lock:
            for ticket_id in range(1, tickets + 1):
                children = list(notes.children.get(ticket_id, {}))
                if not children:
                    raise ValueError(f"ticket {ticket_id} has no seeded note to copy")
                template = notes.records[children[0]]
                for child in children:
                    notes.remove(child)
                for number in range(notes_for(ticket_id)):
                    note_id = notes.next_id
                    text = f"Note {number + 1} of ticket {ticket_id}."
                    notes.put(note_id, {**template, "id": note_id, "text": text}, ticket_id)

    def note_ids(self, first: int, last: int) -> dict[str, list[int]]:
        """Note ids of tickets ``first``..``last`` (keys as JSON text), in id order."""
        notes = self.store.collection(NOTES)
        with self.store.lock:
            return {str(t): sorted(notes.children.get(t, {})) for t in range(first, last + 1)}

    def reset_limits(self) -> None:
        """Counters to zero and every rate-limit bucket full again (before a measured run)."""
        limit = self.rate_limit
        if limit is not None:
            self.set_rate_limit(limit)
        self.reset_counters()

    def start_mutator(self, rate: float, seed: int) -> None:
        """Start changing tickets ``rate`` times a second (see :class:`Mutator`)."""
        if self._mutator is not None:
            raise RuntimeError("the mutator is already running")
        self.memo.enabled = False
        self.memo.clear()
        self._mutator = Mutator(self, rate, seed)
        self._mutator.start()

    def stop_mutator(self) -> dict[str, Any]:
        """Stop the mutator, restore the data and say what it did (see :meth:`Mutator.stop`)."""
        mutator, self._mutator = self._mutator, None
        if mutator is None:
            raise RuntimeError("the mutator is not running")
        try:
            return mutator.stop()
        finally:
            self.memo.clear()
            self.memo.enabled = True


class Mutator(threading.Thread):
    """Changes open tickets while a scan runs, and remembers which stayed in the filter.

    Every ``1 / rate`` seconds one change, chosen at random (``seed``): update an open ticket
    (new summary, new ``_info.lastUpdated``: it stays in the filter), insert a new open ticket
    (above the highest id), delete an open ticket, or close one (it leaves the filter). Records
    are replaced, never changed in place. :meth:`stop` restores the tickets as they were.
    """

    #: Relative weights of update, insert, delete, close.
    WEIGHTS = (4, 2, 2, 2)

    def __init__(self, sim: BenchSimulator, rate: float, seed: int) -> None:
        super().__init__(daemon=True)
        if rate <= 0:
            raise ValueError("the mutation rate must be positive")
        self._sim, self._interval, self._rng = sim, 1.0 / rate, random.Random(seed)
        self._stopped = threading.Event()
        store = sim.store
        with store.lock:
            tickets = store.collection(TICKETS)
            self._saved = (dict(tickets.records), tickets.next_id)
            self.initial = [k for k, r in tickets.records.items() if r.get("closedFlag") is False]
        self.left: set[int] = set()
        self.inserted: list[int] = []
        self.ops = {"update": 0, "insert": 0, "delete": 0, "close": 0}

    def run(self) -> None:
        while not self._stopped.wait(self._interval):
            self.change()

    def change(self) -> None:
        """Make one change now."""
        kind = self._rng.choices(tuple(self.ops), self.WEIGHTS)[0]
        store = self._sim.store
        with store.lock:
            tickets = store.collection(TICKETS)
            if kind == "insert":
                ticket_id = tickets.next_id
                template = self._saved[0][self._rng.choice(self.initial)]
                tickets.put(ticket_id, self._touched(template, ticket_id, closed=False))
                self.inserted.append(ticket_id)
                self.ops[kind] += 1
                return
            ticket_id = self._rng.choice(self.initial)
            record = tickets.records.get(ticket_id)
            if record is None or ticket_id in self.left:
                return  # already gone or closed: no change this time
            if kind == "update":
                tickets.put(ticket_id, self._touched(record, ticket_id, closed=False))
            elif kind == "close":
                tickets.put(ticket_id, self._touched(record, ticket_id, closed=True))
                self.left.add(ticket_id)
            else:
                tickets.remove(ticket_id)
                self.left.add(ticket_id)
            self.ops[kind] += 1

    def _touched(self, record: Record, ticket_id: int, *, closed: bool) -> Record:
        info = {**record.get("_info", {}), "lastUpdated": self._sim.store.clock.tick()}
        summary = f"Changed during the scan ({sum(self.ops.values()) + 1})"
        return {**record, "id": ticket_id, "summary": summary, "closedFlag": closed, "_info": info}

    def stop(self) -> dict[str, Any]:
        """Stop and restore the tickets; say what happened: ``initial`` (open at start),
        ``stable`` (of those, never deleted or closed), ``inserted`` and ``ops`` (counts)."""
        self._stopped.set()
        if self.ident is not None:  # started (changes may also be made by calling change())
            self.join()
        store = self._sim.store
        with store.lock:
            tickets = store.collection(TICKETS)
            tickets.records, tickets.next_id = self._saved
        left = self.left
        return {
            "initial": self.initial,
            "stable": [i for i in self.initial if i not in left],
            "inserted": self.inserted,
            "ops": dict(self.ops),
        }


def control(sim: BenchSimulator, line: str) -> dict[str, Any]:
    """Answer one control command (module doc); errors come back as ``{"error": text}``."""
    words = line.split()
    try:
        if words == ["reset"]:
            sim.reset_limits()
            return {"ok": True}
        if words == ["counters"]:
            counters = sim.counters
            return {"requests": counters.requests, "throttled": counters.throttled}
        if len(words) == 3 and words[0] == "notes":
            return sim.note_ids(int(words[1]), int(words[2]))
        if len(words) == 4 and words[:2] == ["mutate", "start"]:
            sim.start_mutator(float(words[2]), int(words[3]))
            return {"ok": True}
        if words == ["mutate", "stop"]:
            return sim.stop_mutator()
    except (ValueError, RuntimeError) as exc:
        return {"error": str(exc)}
    return {"error": f"unknown command {line.strip()!r}"}


def main(argv: list[str] | None = None) -> int:
    """Serve until standard input closes, answering control commands meanwhile."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, required=True)
    parser.add_argument("--open", type=int, default=None, help="tickets left open")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--rate-limit", default=None, help="e.g. 1000/min (default: none)")
    parser.add_argument("--rate-burst", type=int, default=None, help="token-bucket size")
    parser.add_argument("--notes-tickets", type=int, default=0, help="tickets 1..K get notes")
    args = parser.parse_args(argv)
    sim = BenchSimulator(
        tickets=args.tickets,
        latency_ms=args.latency_ms,
        rate_limit=args.rate_limit,
        rate_burst=args.rate_burst,
    )
    with sim:
        sim.widen_tickets(args.tickets if args.open is None else args.open)
        sim.narrow_tickets()
        sim.seed_notes(args.notes_tickets)
        simulator_app.dump = EncodedTickets(sim)  # type: ignore[attr-defined]
        print(json.dumps({"base_url": sim.base_url, "api_root": sim.api_root}), flush=True)
        for line in sys.stdin:
            if line.strip():
                print(json.dumps(control(sim, line)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
