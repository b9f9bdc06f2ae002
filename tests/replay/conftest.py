"""Fixtures of the replay tests: one cassette per test, clients pointed at the neutral host.

Replay (default): clients talk to ``https://cw.replay.invalid`` with placeholder credentials and
vcrpy answers from ``tests/replay/cassettes/<module>/<test>.yaml``.

Recording (``CW_FACADE_RECORD=1``, see ``scripts/record_cassettes.py``): clients talk to an
in-process :class:`ManageSimulator` (reset before every test) or to the real server named by the
``CW_FACADE_RECORD_*`` variables, and vcrpy writes scrubbed cassettes.

Clients never really sleep between retries: ``_sleep`` is replaced by a recorder of the delays
(the ``sleeps`` fixture), in recording and replay alike.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from vcr.cassette import Cassette

from cw_facade import AsyncConnectWiseClient, ConnectWiseClient
from cw_facade.testing import ManageSimulator
from tests.replay._cassettes import cassette_name, real_server_target, recording, use_cassette
from tests.replay._scrub import CODEBASE, REPLAY_TARGET, Target

NEEDS_SIMULATOR = "needs_simulator"
REPLAY_META = "replay_meta"


def pytest_configure(config: pytest.Config) -> None:
    """Register the replay markers (``scripts/record_cassettes.py`` selects on them)."""
    config.addinivalue_line(
        "markers", f"{NEEDS_SIMULATOR}: recorded only against the simulator (injects faults)"
    )
    config.addinivalue_line(
        "markers", f"{REPLAY_META}: checks the cassettes themselves; never records"
    )


@pytest.fixture
def anyio_backend() -> str:
    """Async replay tests run on asyncio."""
    return "asyncio"


@pytest.fixture(scope="session")
def record_simulator() -> Iterator[ManageSimulator | None]:
    """The simulator recordings are made against (``None`` when replaying or using a server)."""
    if not recording() or real_server_target() is not None:  # replaying, or a real server
        yield None
        return
    with ManageSimulator() as simulator:
        yield simulator


@pytest.fixture(scope="session")
def target(record_simulator: ManageSimulator | None) -> Target:
    """Where clients point: the neutral replay host, the simulator or a real server."""
    if record_simulator is None:
        return real_server_target() or REPLAY_TARGET
    sim = record_simulator
    return Target(
        sim.base_url, sim.company, sim.public_key, sim.private_key, sim.client_id, record=True
    )


@pytest.fixture
def cassette(
    request: pytest.FixtureRequest, target: Target, record_simulator: ManageSimulator | None
) -> Iterator[Cassette]:
    """This test's cassette, replayed (or recorded from a freshly reset simulator)."""
    if record_simulator is not None:
        record_simulator.reset()
    module = request.path.stem
    with use_cassette(cassette_name(module, request.node.name), target=target) as cass:
        yield cass


class Faults:
    """Inject simulator faults while recording; a no-op in replay (the cassette has them)."""

    def __init__(self, simulator: ManageSimulator | None) -> None:
        self._simulator = simulator

    def add(self, kind: str, **options: Any) -> None:
        """See :meth:`ManageSimulator.add_fault`."""
        if self._simulator is not None:
            self._simulator.add_fault(kind, **options)


@pytest.fixture
def faults(record_simulator: ManageSimulator | None) -> Faults:
    """Fault injection for this test's recording."""
    return Faults(record_simulator)


@pytest.fixture
def sleeps() -> list[float]:
    """Every delay a client of this test asked to sleep (clients never really sleep)."""
    return []


def _sync_client(target: Target, sleeps: list[float], **options: Any) -> ConnectWiseClient:
    options.setdefault("codebase", CODEBASE)
    # These clients never really sleep, so a pace would only pile its waits up in ``sleeps``
    # (pacing has its own tests: tests/unit/core/test_rate_limit_option.py); the 429 hold and
    # every retry delay are still recorded.
    options.setdefault("rate_limit", None)
    client = ConnectWiseClient(
        target.base_url,
        target.company,
        target.public_key,
        options.pop("private_key", target.private_key),
        target.client_id,
        allow_insecure_http=target.base_url.startswith("http://"),
        **options,
    )
    client._http._sleep = sleeps.append  # type: ignore[method-assign]
    return client


def _async_client(target: Target, sleeps: list[float], **options: Any) -> AsyncConnectWiseClient:
    options.setdefault("codebase", CODEBASE)
    options.setdefault("concurrency", 1)  # concurrent pages would record in racy order
    options.setdefault("rate_limit", None)  # see _sync_client
    client = AsyncConnectWiseClient(
        target.base_url,
        target.company,
        target.public_key,
        options.pop("private_key", target.private_key),
        target.client_id,
        allow_insecure_http=target.base_url.startswith("http://"),
        **options,
    )

    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    client._http._sleep = record_sleep  # type: ignore[method-assign]
    return client


@pytest.fixture
def client(cassette: Cassette, target: Target, sleeps: list[float]) -> Iterator[ConnectWiseClient]:
    """A blocking client on this test's cassette (codebase fixed, no discovery)."""
    with _sync_client(target, sleeps) as client:
        yield client


@pytest.fixture
async def aclient(
    cassette: Cassette, target: Target, sleeps: list[float]
) -> AsyncIterator[AsyncConnectWiseClient]:
    """An async client on this test's cassette (codebase fixed, pages fetched one by one)."""
    async with _async_client(target, sleeps) as client:
        yield client


@pytest.fixture
def make_client(
    cassette: Cassette, target: Target, sleeps: list[float]
) -> Iterator[Callable[..., ConnectWiseClient]]:
    """Build further blocking clients on this test's cassette (closed after the test)."""
    made: list[ConnectWiseClient] = []

    def build(**options: Any) -> ConnectWiseClient:
        made.append(_sync_client(target, sleeps, **options))
        return made[-1]

    yield build
    for client in made:
        client.close()


@pytest.fixture
async def make_aclient(
    cassette: Cassette, target: Target, sleeps: list[float]
) -> AsyncIterator[Callable[..., AsyncConnectWiseClient]]:
    """Build further async clients on this test's cassette (closed after the test)."""
    made: list[AsyncConnectWiseClient] = []

    def build(**options: Any) -> AsyncConnectWiseClient:
        made.append(_async_client(target, sleeps, **options))
        return made[-1]

    yield build
    for client in made:
        await client.aclose()
