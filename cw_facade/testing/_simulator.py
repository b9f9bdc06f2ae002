"""``ManageSimulator``: a ConnectWise Manage server on loopback, in a background thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from cw_facade.testing._app import API_PREFIX, SIGNING_KEY_PATH, App, Settings
from cw_facade.testing._callbacks import CallbackDispatcher, Delivery
from cw_facade.testing._faults import Fault, FaultSet
from cw_facade.testing._limits import Limits
from cw_facade.testing._ratelimit import RateLimit, TokenBuckets
from cw_facade.testing._records import Writer
from cw_facade.testing._seed import seed as apply_seed
from cw_facade.testing._server import RequestRecord, SimulatorServer
from cw_facade.testing._spec import Description, load_description
from cw_facade.testing._store import Store
from cw_facade.testing._synth import Filler

DEMO_COMPANY = "cwfacade"
DEMO_PUBLIC_KEY = "demo-public"
DEMO_PRIVATE_KEY = "demo-private"
DEMO_CLIENT_ID = "00000000-0000-4000-8000-000000000000"
DEMO_SIGNING_KEY = "demo-signing-key"
DEFAULT_CODEBASE = "v4_6_release/"
POLL_INTERVAL_S = 0.05
STOP_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Counters:
    """Requests answered and refused since the last reset (read by tests and benchmarks).

    ``requests``: every request the server read (refused ones included); ``throttled``: the
    429s the rate limit answered (fault-injected 429s are not counted here).
    """

    requests: int
    throttled: int


class ManageSimulator:
    """A local ConnectWise Manage: real HTTP on loopback, data in memory, faults on demand.

    Use it as a context manager (``with ManageSimulator() as sim: ...``) or call
    :meth:`start` and :meth:`stop`. Defaults are the documented demo credentials
    (company ``cwfacade``, public key ``demo-public``, private key ``demo-private``,
    client id ``00000000-0000-4000-8000-000000000000``). ``seed`` is ``"demo"`` (a small MSP),
    ``"empty"`` or ``"engagement"`` (companies with market types, tickets, time entries and
    agreements dated before 2025-01-01T00:00:00Z, whose engagement scores the
    ``examples/engagement`` README lists); ``tickets`` overrides the number of generated demo
    tickets (the demo seed only).

    ``description`` is the OpenAPI document to serve (a path; default: the bundled one); every
    operation in it is served generically. ``latency_ms`` delays every answer (in the
    request's own thread: other requests go on). ``rate_limit`` makes it a rate-limited
    tenant: a :class:`RateLimit` or text such as ``"1000/min"`` (``rate_burst`` sets the bucket
    size), answered per credential with 429 and ``Retry-After`` like ConnectWise. ``limits``
    bounds what one request may ask (:class:`Limits`).

    Raises ``ValueError`` for a bad ``rate_limit``, ``fault_rate`` or seed (the seed on
    :meth:`start`), ``FileNotFoundError`` when ``description`` does not exist.
    """

    def __init__(
        self,
        *,
        seed: str = "demo",
        tickets: int | None = None,
        company: str = DEMO_COMPANY,
        public_key: str = DEMO_PUBLIC_KEY,
        private_key: str = DEMO_PRIVATE_KEY,
        client_id: str = DEMO_CLIENT_ID,
        codebase: str = DEFAULT_CODEBASE,
        latency_ms: float = 0,
        fault_rate: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        rng_seed: int = 0,
        signing_key: str = DEMO_SIGNING_KEY,
        description: str | Path | None = None,
        rate_limit: RateLimit | str | None = None,
        rate_burst: int | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.company = company
        self.public_key = public_key
        self.private_key = private_key
        self.client_id = client_id
        self.codebase = codebase if codebase.endswith("/") else f"{codebase}/"
        self.signing_key = signing_key
        self.latency_s = latency_ms / 1000.0
        self.faults = FaultSet(fault_rate=fault_rate, rng_seed=rng_seed)
        self.request_log: list[RequestRecord] = []
        self._seed, self._tickets, self._rng_seed = seed, tickets, rng_seed
        self._fault_rate = fault_rate
        self._host, self._port = host, port
        self._server: SimulatorServer | None = None
        self._thread: threading.Thread | None = None
        self._app: App | None = None
        self._callbacks: CallbackDispatcher | None = None
        self._log_lock = threading.Lock()
        self.description: Description = load_description(description)
        self.limits = limits or Limits()
        self._buckets: TokenBuckets | None = None
        self.set_rate_limit(rate_limit, burst=rate_burst)
        self._requests = 0
        self._throttled = 0

    def __repr__(self) -> str:
        state = self.base_url if self._server else "stopped"
        return f"<ManageSimulator {state} company={self.company!r}>"

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> ManageSimulator:
        """Bind a port, seed the store and serve in a daemon thread; return ``self``."""
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        self._server = SimulatorServer((self._host, self._port), self)
        try:
            self._build(self._seed, self._tickets)
        except BaseException:
            self._server.server_close()
            self._server = None
            raise
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": POLL_INTERVAL_S},
            name="cw-sim-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end open connections and the callback thread."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_S)
        if self._callbacks is not None:
            self._callbacks.stop()

    def __enter__(self) -> ManageSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def reset(self, seed: str | None = None, tickets: int | None = None) -> None:
        """Forget all data, faults, logs and deliveries; re-seed (same seed unless given)."""
        self._seed = seed or self._seed
        self._tickets = tickets if tickets is not None else self._tickets
        self.faults = FaultSet(fault_rate=self._fault_rate, rng_seed=self._rng_seed)
        with self._log_lock:
            self.request_log.clear()
            self._requests = self._throttled = 0
        if self._buckets is not None:
            self._buckets = TokenBuckets(self._buckets.limit)
        if self._callbacks is not None:
            self._callbacks.stop()
        self._build(self._seed, self._tickets)

    def _build(self, seed: str, tickets: int | None) -> None:
        settings = self._settings()
        store = Store()
        key_url = f"{settings.api_root}{SIGNING_KEY_PATH}"
        self._callbacks = CallbackDispatcher(self.signing_key, key_url, self.base_url, self.company)
        writer = Writer(store, settings.api_root, self.description)
        apply_seed(writer, seed, tickets)
        store.finish_seeding(Filler(writer) if seed == "demo" else None)
        self._app = App(settings, store, self._callbacks, self.description, self.limits)
        self._callbacks.start()

    def _settings(self) -> Settings:
        return Settings(
            company=self.company,
            public_key=self.public_key,
            private_key=self.private_key,
            client_id=self.client_id,
            codebase=self.codebase,
            site_url=self.base_url,
            signing_key=self.signing_key,
        )

    # -- what tests use --------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (after :meth:`start`)."""
        if self._server is None:
            raise RuntimeError("the simulator is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def connections_accepted(self) -> int:
        """How many TCP connections the server has accepted (keep-alive reuses them)."""
        if self._server is None:
            raise RuntimeError("the simulator is not running; call start() first")
        return self._server.accepted

    @property
    def base_url(self) -> str:
        """The site URL, e.g. ``http://127.0.0.1:PORT`` (give it to a client as its host)."""
        return f"http://{self._host}:{self.port}"

    @property
    def api_root(self) -> str:
        """``{base_url}/{codebase}apis/3.0/``."""
        return f"{self.base_url}/{self.codebase}{API_PREFIX}/"

    @property
    def app(self) -> App:
        """The HTTP-free core (used by the server thread)."""
        if self._app is None:
            raise RuntimeError("the simulator is not running; call start() first")
        return self._app

    @property
    def store(self) -> Store:
        """The in-memory data, by path template.

        ``sim.store.collection("/service/tickets").records`` maps ids to ticket dicts;
        ``sim.store.get("/company/companies", 250)`` looks one up. Hold ``sim.store.lock``
        while changing records from a test.
        """
        return self.app.store

    @property
    def callback_deliveries(self) -> list[Delivery]:
        """Every callback POST attempted so far."""
        return self._callbacks.deliveries if self._callbacks else []

    def wait_for_callbacks(self) -> None:
        """Block until every queued callback has been attempted."""
        if self._callbacks is not None:
            self._callbacks.wait()

    def record(self, entry: RequestRecord) -> None:
        """Append to :attr:`request_log` (called by the server threads)."""
        with self._log_lock:
            self.request_log.append(entry)
            self._requests += 1

    # -- rate limit and counters -----------------------------------------------------------

    @property
    def rate_limit(self) -> RateLimit | None:
        """The per-credential rate limit in force (``None``: unlimited)."""
        return None if self._buckets is None else self._buckets.limit

    def set_rate_limit(self, limit: RateLimit | str | None, *, burst: int | None = None) -> None:
        """Limit each credential to ``limit`` (``"1000/min"``, a :class:`RateLimit`, or ``None``
        for no limit), with buckets of ``burst`` requests; buckets start full.

        Raises ``ValueError`` for text that is not a rate.
        """
        if isinstance(limit, str):
            limit = RateLimit.parse(limit, burst)
        elif limit is not None and burst is not None:
            limit = RateLimit(limit.requests, limit.per_s, burst)
        self._buckets = None if limit is None else TokenBuckets(limit)

    def throttle(self, credential: str) -> int | None:
        """Spend a request of ``credential``'s budget: seconds to wait, or ``None`` (server use)."""
        buckets = self._buckets
        wait = None if buckets is None else buckets.take(credential)
        if wait is not None:
            with self._log_lock:
                self._throttled += 1
        return wait

    @property
    def counters(self) -> Counters:
        """Requests read and 429s the rate limit answered since start or :meth:`reset`."""
        with self._log_lock:
            return Counters(self._requests, self._throttled)

    def reset_counters(self) -> None:
        """Set :attr:`counters` back to zero (the request log stays)."""
        with self._log_lock:
            self._requests = self._throttled = 0

    def add_fault(
        self,
        kind: str,
        *,
        method: str | None = None,
        path: str = ".*",
        count: int | None = None,
        probability: float = 1.0,
        retry_after: int = 1,
        delay: float = 0.05,
    ) -> Fault:
        """Inject a fault on requests whose method and path (regex, searched) match.

        ``kind`` is one of ``"429"`` (with ``Retry-After: retry_after``), ``"503"``,
        ``"500-timeout"``, ``"html"`` (a 502 HTML page), ``"reset"`` (connection reset),
        ``"malformed-json"``, ``"slow-body"`` (``delay`` seconds per chunk) or ``"latency"``
        (``delay`` seconds before answering). ``count`` limits how many requests it hits;
        ``probability`` makes it random (seeded by ``rng_seed``).
        """
        return self.faults.add(
            kind,
            method=method,
            path=path,
            count=count,
            probability=probability,
            retry_after=retry_after,
            delay=delay,
        )

    def clear_faults(self) -> None:
        """Remove every fault added with :meth:`add_fault`."""
        self.faults.clear()
