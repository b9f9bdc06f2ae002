"""A rate-limited tenant: a token bucket per credential, answered like ConnectWise.

ConnectWise limits an integration that sends more than about 1,000 requests a minute with
HTTP 429, ``Retry-After`` in seconds and the body
``{"error": "ConnectWiseAPI", "message": "Too many requests. Please try again in N seconds."}``.
:class:`TokenBuckets` reproduces that: each credential (the ``Authorization`` header, kept
only as a hash) has a bucket of ``burst`` tokens refilled at ``requests`` per ``per_s``
seconds; a request without a token is refused with the time until the next one.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

_UNITS = {"s": 1.0, "sec": 1.0, "second": 1.0, "m": 60.0, "min": 60.0, "minute": 60.0}
_UNITS |= {"h": 3600.0, "hour": 3600.0}
_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d*\.?\d*)\s*([a-z]+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class RateLimit:
    """``requests`` per ``per_s`` seconds per credential, with bursts of up to ``burst``.

    ``burst`` defaults to ``requests`` (a full minute's budget may be spent at once, as a
    fresh bucket allows). Raises ``ValueError`` for a non-positive value.
    """

    requests: int
    per_s: float = 60.0
    burst: int | None = None

    def __post_init__(self) -> None:
        if self.requests <= 0 or self.per_s <= 0 or (self.burst is not None and self.burst <= 0):
            raise ValueError("a rate limit needs positive requests, period and burst")

    @classmethod
    def parse(cls, text: str, burst: int | None = None) -> RateLimit:
        """``"1000/min"``, ``"20/s"``, ``"5/10s"`` or ``"3600/hour"``; raises ``ValueError``."""
        found = _SPEC.match(text)
        unit = _UNITS.get(found.group(3).lower().rstrip("s") or "s") if found else None
        if found is None or unit is None:
            raise ValueError(f"rate limit {text!r}: expected N/s, N/min or N/hour (e.g. 1000/min)")
        count = float(found.group(2)) if found.group(2) else 1.0
        return cls(int(found.group(1)), count * unit, burst)

    @property
    def capacity(self) -> int:
        """The bucket size."""
        return self.burst if self.burst is not None else self.requests

    def __str__(self) -> str:
        return f"{self.requests}/{self.per_s:g}s (burst {self.capacity})"


class TokenBuckets:
    """One token bucket per credential key; thread-safe; counts what it refused."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, credential: str) -> int | None:
        """Spend a token of ``credential``'s bucket: ``None`` if allowed, else seconds to wait."""
        key = hashlib.sha256(credential.encode("utf-8", "replace")).hexdigest()
        rate = self.limit.requests / self.limit.per_s
        with self._lock:
            now = self._clock()
            tokens, then = self._buckets.get(key, (float(self.limit.capacity), now))
            tokens = min(float(self.limit.capacity), tokens + (now - then) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / rate))


def too_many(seconds: int) -> dict[str, str]:
    """ConnectWise's 429 body."""
    return {
        "error": "ConnectWiseAPI",
        "message": f"Too many requests. Please try again in {seconds} seconds.",
    }
