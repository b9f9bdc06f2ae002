"""Several worker processes of one integration sharing one ConnectWise budget through Redis.

Each process's client keeps its own pace by default (``RateGovernor``), so four processes
at 950 requests a minute each send 3,800 a minute to a tenant that allows about 1,000. Give
each client a :class:`RedisRateLimiter` on the same key instead and together they keep one
pace::

    import redis
    from cw_facade import ConnectWiseClient

    limiter = RedisRateLimiter(redis.Redis.from_url("redis://localhost:6379/0"))
    cw = ConnectWiseClient(site, company, public_key, private_key, client_id,
                           rate_limit=limiter)

The same object works for ``AsyncConnectWiseClient`` (the client does the waiting; the
limiter only answers how long). Run this file to watch two processes share a budget against
the bundled simulator (needs ``pip install redis`` and a Redis at ``REDIS_URL``, default
``redis://localhost:6379/0``)::

    python examples/redis_rate_limiter.py

How it works: time is cut into windows of ``burst`` requests (``burst * 60 / per_minute``
seconds each), and a request takes the first window, from now on, whose Redis counter
(``INCR``, expiring soon after the window) is still within ``burst``; it waits until that
window starts. The clock is Redis's (``TIME``), so the processes need not agree on theirs. A
429 stores a hold (``SET ... PX``) that every process honours before its next request.
It uses only ``TIME``, ``GET``, ``SET``, ``INCR`` and ``PEXPIRE``. This is an example of
the ``cw_facade.RateLimiter`` interface, not a general distributed limiter: it does not
lower the pace after a 429 (the shared budget is the remedy) and counts a request that then
fails like any other.
"""

from __future__ import annotations

import math
import os
import sys
import time
from typing import Any, Protocol

#: Milliseconds a window's counter outlives the window.
COUNTER_GRACE_MS = 60_000
#: Longest hold honoured after a 429 (seconds), as the client itself caps ``Retry-After``.
HOLD_CAP_S = 60.0


class RedisCommands(Protocol):
    """The few commands of a ``redis.Redis`` client this limiter uses."""

    def time(self) -> Any: ...

    def get(self, name: str) -> Any: ...

    def set(self, name: str, value: str, px: int | None = None) -> Any: ...

    def incr(self, name: str) -> Any: ...

    def pexpire(self, name: str, time: int) -> Any: ...


class RedisRateLimiter:
    """A ``cw_facade.RateLimiter`` whose budget lives in Redis, shared by every process.

    ``redis`` is a ``redis.Redis`` client (thread-safe; ``decode_responses`` either way);
    ``key`` names the budget (give every process of one integration the same key);
    ``per_minute`` is the pace all of them together keep, ``burst`` how many requests may
    start at once. Raises ``ValueError`` for a pace or burst that is not positive.
    """

    def __init__(
        self,
        redis: RedisCommands,
        key: str = "cw-facade:rate",
        *,
        per_minute: float = 950.0,
        burst: int = 5,
    ) -> None:
        if not per_minute > 0 or math.isinf(per_minute) or burst < 1:
            raise ValueError("per_minute and burst must be positive (and finite)")
        self._redis = redis
        self._key = key
        self._burst = burst
        #: Window length in microseconds (Redis's clock unit): whole numbers, exact windows.
        self._window_us = max(1, round(burst * 60_000_000 / per_minute))

    def __repr__(self) -> str:
        per_minute = self._burst * 60_000_000 / self._window_us
        return f"RedisRateLimiter({self._key!r}, {per_minute:g}/min, burst={self._burst})"

    def reserve(self, now: float, max_wait: float | None) -> float:
        """Claim the first window with room; seconds until it starts (``now`` is unused:
        the processes share Redis's clock). Claims nothing when the wait exceeds ``max_wait``."""
        server_now = self._server_time_us()
        start = max(server_now, self._hold_until_us())
        window = start // self._window_us
        while True:
            wait = max(0, window * self._window_us - server_now, start - server_now) / 1e6
            if max_wait is not None and wait > max_wait:
                return wait
            counter = f"{self._key}:w:{window}"
            taken = int(self._redis.incr(counter))
            if taken == 1:
                alive_us = (window + 1) * self._window_us - server_now
                self._redis.pexpire(counter, alive_us // 1000 + COUNTER_GRACE_MS)
            if taken <= self._burst:
                return wait
            window += 1

    def on_429(self, now: float, retry_after: float | None) -> None:
        """Hold every process until ``Retry-After`` has passed (by Redis's clock)."""
        if not retry_after:
            return
        hold_us = round(min(retry_after, HOLD_CAP_S) * 1_000_000)
        until = self._server_time_us() + hold_us
        if until > self._hold_until_us():
            self._redis.set(f"{self._key}:hold", str(until), px=hold_us // 1000 + 1)

    def on_success(self, now: float) -> None:
        """Nothing to do: the shared budget does not adapt."""

    def _server_time_us(self) -> int:
        seconds, microseconds = self._redis.time()
        return int(seconds) * 1_000_000 + int(microseconds)

    def _hold_until_us(self) -> int:
        value = self._redis.get(f"{self._key}:hold")
        return 0 if value is None else int(value)


def _worker(site: str, redis_url: str, calls: int) -> None:
    """One process: its own client, the shared budget."""
    import redis

    from cw_facade import ConnectWiseClient
    from cw_facade.testing import DEMO_CLIENT_ID, DEMO_COMPANY, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY

    limiter = RedisRateLimiter(redis.Redis.from_url(redis_url), "cw-facade:example")
    with ConnectWiseClient(
        site, DEMO_COMPANY, DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY, DEMO_CLIENT_ID, rate_limit=limiter
    ) as cw:
        for _ in range(calls):
            cw.get("system/info")


def main(processes: int = 2, calls: int = 60) -> None:
    """``processes`` workers of ``calls`` requests each, one 950/min budget, against a
    simulator limiting the demo credentials to 1,000 a minute in bursts of 10."""
    import multiprocessing

    import redis

    from cw_facade.testing import ManageSimulator

    redis_url = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
    redis.Redis.from_url(redis_url).ping()
    with ManageSimulator(seed="empty", rate_limit="1000/min", rate_burst=10) as sim:
        started = time.monotonic()
        workers = [
            multiprocessing.Process(target=_worker, args=(sim.base_url, redis_url, calls))
            for _ in range(processes)
        ]
        for process in workers:
            process.start()
        for process in workers:
            process.join()
        elapsed = time.monotonic() - started
        counters = sim.counters
    print(
        f"{processes} processes, {counters.requests} requests in {elapsed:.1f} s "
        f"({counters.requests / elapsed * 60:.0f}/min), {counters.throttled} answered 429"
    )
    sys.exit(0 if all(p.exitcode == 0 for p in workers) else 1)


if __name__ == "__main__":
    main()
