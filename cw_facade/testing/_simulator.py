"""``ManageSimulator``: a ConnectWise Manage server on loopback, in a background thread."""

from __future__ import annotations

import threading
from types import TracebackType

from cw_facade.testing._app import API_PREFIX, SIGNING_KEY_PATH, App, Settings
from cw_facade.testing._callbacks import CallbackDispatcher, Delivery
from cw_facade.testing._faults import Fault, FaultSet
from cw_facade.testing._records import Writer
from cw_facade.testing._seed import seed as apply_seed
from cw_facade.testing._server import RequestRecord, SimulatorServer
from cw_facade.testing._store import Store

DEMO_COMPANY = "cwfacade"
DEMO_PUBLIC_KEY = "demo-public"
DEMO_PRIVATE_KEY = "demo-private"
DEMO_CLIENT_ID = "00000000-0000-4000-8000-000000000000"
DEMO_SIGNING_KEY = "demo-signing-key"
DEFAULT_CODEBASE = "v4_6_release/"
POLL_INTERVAL_S = 0.05
STOP_TIMEOUT_S = 5.0


class ManageSimulator:
    """A local ConnectWise Manage: real HTTP on loopback, data in memory, faults on demand.

    Use it as a context manager (``with ManageSimulator() as sim: ...``) or call
    :meth:`start` and :meth:`stop`. Defaults are the documented demo credentials
    (company ``cwfacade``, public key ``demo-public``, private key ``demo-private``,
    client id ``00000000-0000-4000-8000-000000000000``). ``seed`` is ``"demo"`` (a small MSP)
    or ``"empty"``; ``tickets`` overrides the number of generated demo tickets.
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
        if self._callbacks is not None:
            self._callbacks.stop()
        self._build(self._seed, self._tickets)

    def _build(self, seed: str, tickets: int | None) -> None:
        settings = self._settings()
        store = Store()
        key_url = f"{settings.api_root}{SIGNING_KEY_PATH}"
        self._callbacks = CallbackDispatcher(self.signing_key, key_url, self.base_url, self.company)
        apply_seed(Writer(store, settings.api_root), seed, tickets)
        self._app = App(settings, store, self._callbacks)
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
