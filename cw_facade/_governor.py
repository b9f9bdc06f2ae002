"""The client-side rate governor: how fast a client sends, I/O-free.

ConnectWise limits an integration that sends more than about 1,000 requests a minute (HTTP 429
with ``Retry-After``). Every attempt of a client asks its :class:`RateLimiter` for a slot
before it is sent (:meth:`~cw_facade._async._http.AsyncManageHTTP.send`); the limiter answers
how long to wait, and the transport does the waiting (``time.sleep`` in the blocking client,
``asyncio.sleep`` in the async one), so one limiter object serves both clients and any number
of threads or tasks.

:class:`RateGovernor` is the in-process default: a token bucket kept as one "theoretical
arrival time" (GCRA), paced at ``per_minute / 60`` requests a second with bursts of
``burst``. It is adaptive: a 429 multiplies the pace by :data:`RATE_DECREASE` and holds every
slot until its ``Retry-After`` has passed, after which slots are handed out one interval apart
(no burst, so workers released together do not stampede); each success raises the pace by
:data:`RATE_RECOVERY` of the configured pace until it is back.
"""

from __future__ import annotations

import math
import threading
from typing import Protocol, runtime_checkable

from cw_facade._constants import (
    DEFAULT_RATE_BURST,
    DEFAULT_RATE_LIMIT,
    RATE_DECREASE,
    RATE_FLOOR,
    RATE_RECOVERY,
    RETRY_AFTER_CAP,
)
from cw_facade._errors import ConnectWiseConfigurationError


@runtime_checkable
class RateLimiter(Protocol):
    """What a client asks before each request it sends; implement it to share one budget.

    A client calls these from whichever thread or event loop sends the request, possibly
    from several at once, so an implementation must be thread-safe and must not block for
    long (the async client calls it on its event loop): it answers how long to wait and the
    client waits. ``now`` is the client's monotonic clock in seconds; an implementation whose
    budget is shared by several processes (through Redis, say) uses its store's clock instead.
    See ``examples/redis_rate_limiter.py`` for such an implementation.
    """

    def reserve(self, now: float, max_wait: float | None) -> float:
        """Claim the next request slot; return the seconds to wait before sending (``0.0``: go).

        ``max_wait`` is the most the caller can wait (the time left before its call's
        ``deadline``; ``None``: no limit). When the wait would be longer, the slot should not
        be claimed (the caller raises :class:`~cw_facade.ConnectWiseDeadlineError` instead of
        sending); an implementation that claims it anyway only makes the client a little
        slower. A negative answer means go; one that is not a finite number makes the call
        raise :class:`~cw_facade.ConnectWiseConfigurationError`. Exceptions it raises (a store
        that is down) propagate to the caller unchanged.
        """
        ...

    def on_429(self, now: float, retry_after: float | None) -> None:
        """Report a 429 answer, with its ``Retry-After`` in seconds (``None``: none given)."""
        ...

    def on_success(self, now: float) -> None:
        """Report a request that was not refused for its rate (any answer other than 429)."""
        ...


class RateGovernor:
    """The default :class:`RateLimiter`: an adaptive token bucket shared by all callers.

    ``per_minute`` is the pace in requests per minute (default 950, just under ConnectWise's
    documented ~1,000); ``burst`` is how many requests may start at once after a quiet spell
    (default 5: a fresh client does not fire a burst that trips a busy tenant). Pass one
    governor to several clients (``rate_limit=governor``) and together they keep that pace.
    Thread-safe; it never sleeps itself (the client does). Raises
    :class:`~cw_facade.ConnectWiseConfigurationError` for a ``per_minute`` that is not a
    positive finite number or a ``burst`` that is not an integer >= 1.
    """

    __slots__ = ("_burst", "_hold_until", "_lock", "_rate", "_target", "_tat")

    def __init__(self, per_minute: float = DEFAULT_RATE_LIMIT, *, burst: int = DEFAULT_RATE_BURST):
        """A governor at ``per_minute`` requests a minute with bursts of ``burst``."""
        self._target = check_pace(per_minute)  # requests per minute, as _rate
        if isinstance(burst, bool) or not isinstance(burst, int) or burst < 1:
            raise ConnectWiseConfigurationError("burst must be an integer >= 1")
        self._burst = burst
        self._rate = self._target
        self._tat = -math.inf  # the theoretical arrival time of the next request
        self._hold_until = -math.inf
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        """The configured pace, the burst, and the current pace when a 429 lowered it."""
        text = f"RateGovernor({self._target:g}/min, burst={self._burst}"
        pace = self._rate
        if pace < self._target:
            text += f", now {pace:g}/min"
        return text + ")"

    @property
    def per_minute(self) -> float:
        """The configured pace (requests per minute)."""
        return self._target

    @property
    def pace(self) -> float:
        """The pace in force now (requests per minute): lower than configured after 429s."""
        return self._rate

    @property
    def burst(self) -> int:
        """How many requests may start at once after a quiet spell."""
        return self._burst

    def reserve(self, now: float, max_wait: float | None = None) -> float:
        """Claim the next slot: seconds to wait before sending; see :class:`RateLimiter`."""
        with self._lock:
            interval = 60.0 / self._rate
            tolerance = (self._burst - 1) * interval
            tat = max(self._tat, now)
            wait = max(0.0, tat - tolerance - now, self._hold_until - now)
            if max_wait is not None and wait > max_wait:
                return wait
            self._tat = max(tat, now + wait) + interval
            return wait

    def on_429(self, now: float, retry_after: float | None) -> None:
        """Lower the pace and hand out no slot before ``Retry-After``; then one per interval."""
        with self._lock:
            if now >= self._hold_until:
                # 429s answered to requests sent before the last hold ended (several workers
                # refused at once) are one overload, and lower the pace once.
                self._rate = max(self._target * RATE_FLOOR, self._rate * RATE_DECREASE)
            hold = 0.0 if retry_after is None else min(retry_after, RETRY_AFTER_CAP)
            until = now + hold
            self._hold_until = max(self._hold_until, until)
            # The first slot after the hold starts at its end, the next ones an interval apart.
            interval = 60.0 / self._rate
            self._tat = max(self._tat, until + (self._burst - 1) * interval)

    def on_success(self, now: float) -> None:
        """Raise a lowered pace a step back towards the configured one."""
        if self._rate >= self._target:
            return
        with self._lock:
            self._rate = min(self._target, self._rate + self._target * RATE_RECOVERY)


def check_pace(value: object) -> float:
    """``value`` as a pace in requests per minute; else a configuration error."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConnectWiseConfigurationError(
            "rate_limit must be a positive number of requests per minute, a RateLimiter, "
            "or None for no pacing"
        )
    if not value > 0 or value == math.inf:
        raise ConnectWiseConfigurationError(
            "rate_limit must be a positive finite number of requests per minute "
            "(None means no pacing)"
        )
    return float(value)


def make_limiter(value: object) -> RateLimiter | None:
    """The limiter the ``rate_limit=`` option means: ``None``, a number, or a RateLimiter."""
    if value is None:
        return None
    if isinstance(value, RateLimiter) and not isinstance(value, type):
        return value
    return RateGovernor(check_pace(value))
