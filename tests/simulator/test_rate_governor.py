"""The rate governor against a rate-limited simulator: 429s counted by the simulator.

The tenants here are fast (thousands a minute) with small bursts, so the tests are quick and
the pace, not the bucket, decides; no assertion is about time. ``examples/redis_rate_limiter.py``
runs against a tiny in-memory fake of the Redis commands it uses, with two clients sharing
one budget.
"""

from __future__ import annotations

import asyncio
import importlib.util
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cw_facade import AsyncConnectWiseClient, ConnectWiseClient, RateGovernor, RateLimiter
from cw_facade._constants import RATE_DECREASE
from cw_facade.testing import ManageSimulator

pytestmark = pytest.mark.anyio

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "redis_rate_limiter.py"
#: The tenant: 6,000 requests a minute per credential, in bursts of 20.
TENANT = "6000/min"
TENANT_BURST = 20
#: The clients' pace: 5 % under the tenant's, as the default is under ConnectWise's.
PACE = 5700


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def tenant() -> Iterator[ManageSimulator]:
    with ManageSimulator(seed="empty", rate_limit=TENANT, rate_burst=TENANT_BURST) as sim:
        yield sim


def _args(sim: ManageSimulator) -> tuple[str, str, str, str, str]:
    return (sim.base_url, sim.company, sim.public_key, sim.private_key, sim.client_id)


def _from_threads(call: Callable[[], Any], threads: int, calls: int) -> list[Any]:
    """``calls`` calls of ``call`` spread over ``threads`` threads; their results."""
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda _: call(), range(calls)))


def _rate_limited_share(sim: ManageSimulator) -> float:
    counters = sim.counters
    return counters.throttled / counters.requests


def test_sync_client_from_eight_threads_stays_under_the_tenant_limit(
    tenant: ManageSimulator,
) -> None:
    with ConnectWiseClient(*_args(tenant), rate_limit=PACE) as cw:
        cw.get("system/info")  # discovery
        tenant.reset_counters()
        results = _from_threads(lambda: cw.get("system/info"), threads=8, calls=300)
    assert len(results) == 300
    assert tenant.counters.requests >= 300
    assert _rate_limited_share(tenant) <= 0.01


async def test_async_client_with_eight_tasks_stays_under_the_tenant_limit(
    tenant: ManageSimulator,
) -> None:
    async with AsyncConnectWiseClient(*_args(tenant), rate_limit=PACE, concurrency=8) as acw:
        await acw.get("system/info")
        tenant.reset_counters()

        async def worker() -> int:
            for _ in range(40):
                await acw.get("system/info")
            return 40

        done = await asyncio.gather(*(worker() for _ in range(8)))
    assert sum(done) == 320
    assert tenant.counters.requests >= 320
    assert _rate_limited_share(tenant) <= 0.01


def test_without_pacing_the_same_load_is_refused_and_the_gate_recovers_it(
    tenant: ManageSimulator,
) -> None:
    """The control: ``rate_limit=None`` gets 429s from the same tenant (and still succeeds)."""
    with ConnectWiseClient(*_args(tenant), rate_limit=None, max_retries=10) as cw:
        cw.get("system/info")
        tenant.reset_counters()
        results = _from_threads(lambda: cw.get("system/info"), threads=8, calls=120)
    assert len(results) == 120
    assert tenant.counters.throttled > 0


class WatchedGovernor(RateGovernor):
    """A RateGovernor noting its pace after each 429 it is told of."""

    def __init__(self, per_minute: float, *, burst: int) -> None:
        super().__init__(per_minute, burst=burst)
        self.paces: list[float] = []

    def on_429(self, now: float, retry_after: float | None) -> None:
        super().on_429(now, retry_after)
        self.paces.append(self.pace)


def test_a_client_set_above_the_tenant_limit_adapts(tenant: ManageSimulator) -> None:
    """Twice the tenant's pace: 429s come, the pace drops, every call still succeeds, and
    the workers held back by a 429 are not all refused again when the hold ends."""
    governor = WatchedGovernor(2 * PACE, burst=5)
    with ConnectWiseClient(*_args(tenant), rate_limit=governor, max_retries=10) as cw:
        cw.get("system/info")
        tenant.reset_counters()
        results = _from_threads(lambda: cw.get("system/info"), threads=8, calls=200)
    assert len(results) == 200
    refused = tenant.counters.throttled
    assert refused == len(governor.paces) > 0
    assert governor.paces[0] == 2 * PACE * RATE_DECREASE
    assert refused <= 0.1 * tenant.counters.requests


# -- examples/redis_rate_limiter.py against a fake Redis ----------------------------------


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("redis_rate_limiter", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeRedis:
    """The five commands the example uses, in memory, thread-safe, answering bytes."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.data: dict[str, tuple[bytes, float | None]] = {}
        self.commands: list[str] = []
        self._lock = threading.Lock()

    def _live(self, name: str) -> bytes | None:
        found = self.data.get(name)
        if found is None:
            return None
        value, expires = found
        if expires is not None and expires <= self.clock():
            del self.data[name]
            return None
        return value

    def time(self) -> tuple[int, int]:
        now = self.clock()
        self.commands.append("TIME")
        return int(now), round((now - int(now)) * 1_000_000)

    def get(self, name: str) -> bytes | None:
        with self._lock:
            self.commands.append("GET")
            return self._live(name)

    def set(self, name: str, value: str, px: int | None = None) -> bool:
        with self._lock:
            self.commands.append("SET")
            expires = None if px is None else self.clock() + px / 1000
            self.data[name] = (str(value).encode(), expires)
            return True

    def incr(self, name: str) -> int:
        with self._lock:
            self.commands.append("INCR")
            current = self._live(name)
            number = int(current or b"0") + 1
            expires = self.data[name][1] if current is not None else None
            self.data[name] = (str(number).encode(), expires)
            return number

    def pexpire(self, name: str, time: int) -> bool:
        with self._lock:
            self.commands.append("PEXPIRE")
            if self._live(name) is None:
                return False
            self.data[name] = (self.data[name][0], self.clock() + time / 1000)
            return True


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_redis_example_is_a_rate_limiter_with_windows_holds_and_max_wait() -> None:
    clock = FakeTime()
    redis = FakeRedis(clock)
    limiter = _example().RedisRateLimiter(redis, "k", per_minute=600, burst=2)
    assert isinstance(limiter, RateLimiter)
    assert repr(limiter) == "RedisRateLimiter('k', 600/min, burst=2)"
    # windows of 2 requests, 0.2 s each; the clock sits at a window's start
    assert [round(limiter.reserve(0.0, None), 6) for _ in range(5)] == [0.0, 0.0, 0.2, 0.2, 0.4]
    assert limiter.reserve(0.0, 0.5) == pytest.approx(0.4)  # room left in that window
    assert limiter.reserve(0.0, 0.5) == pytest.approx(0.6)  # too long: nothing claimed
    assert limiter.reserve(0.0, 0.6) == pytest.approx(0.6)
    clock.now += 10.0
    limiter.on_429(0.0, 3.0)
    limiter.on_success(0.0)
    assert limiter.reserve(0.0, None) == pytest.approx(3.0)
    clock.now += 3.0
    assert limiter.reserve(0.0, None) == 0.0
    assert set(redis.commands) == {"TIME", "GET", "SET", "INCR", "PEXPIRE"}
    with pytest.raises(ValueError):
        _example().RedisRateLimiter(redis, per_minute=0)


def test_two_clients_share_one_budget_through_the_redis_example(tenant: ManageSimulator) -> None:
    """Each alone at the pace would be within the tenant's limit; both at once only if they
    share the budget (otherwise twice the limit, and the tenant answers 429s)."""
    redis = FakeRedis()
    example = _example()
    clients = [
        ConnectWiseClient(
            *_args(tenant),
            rate_limit=example.RedisRateLimiter(redis, "tenant", per_minute=PACE, burst=5),
        )
        for _ in range(2)
    ]
    try:
        for cw in clients:
            cw.get("system/info")
        tenant.reset_counters()
        with ThreadPoolExecutor(2) as pool:
            runs = [
                pool.submit(_from_threads, lambda cw=cw: cw.get("system/info"), 4, 150)
                for cw in clients
            ]
            results = [len(run.result()) for run in runs]
    finally:
        for cw in clients:
            cw.close()
    assert results == [150, 150]
    assert tenant.counters.requests >= 300
    assert _rate_limited_share(tenant) <= 0.01
