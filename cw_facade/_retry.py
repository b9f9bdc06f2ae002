"""Retry rules, I/O-free: what may be repeated, and after how long.

Idempotent calls (GET, PUT, DELETE, ...) are retried on 429, 502, 503, 504, on ConnectWise's
transient 500 (``timeout`` in the message), on connection errors and on timeouts. POST and
PATCH are retried only when the server certainly did not act: a 429, or a connection that was
never established (:class:`httpx.ConnectError`).
"""

from __future__ import annotations

import json
import random
import time
from datetime import UTC
from email.utils import parsedate_to_datetime

import httpx

from cw_facade._constants import BACKOFF_BASE, BACKOFF_JITTER, BACKOFF_MAX, RETRY_AFTER_CAP

#: Methods whose repetition could duplicate an effect: never repeated unless surely not done.
NON_IDEMPOTENT_METHODS = frozenset({"POST", "PATCH"})
#: Gateway statuses worth repeating for idempotent calls.
RETRYABLE_GATEWAY_STATUSES = frozenset({502, 503, 504})
_TRANSIENT_500_MARK = "timeout"
#: ``request.extensions`` key marking a POST that only reads (a bundle of reads): it is
#: repeated like a GET.
IDEMPOTENT_EXTENSION = "cw_facade.idempotent"


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (seconds or HTTP date); ``None`` if unusable.

    A date in the past gives ``0.0``. ``now`` (epoch seconds) is for tests.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        return _seconds_until_date(text, time.time() if now is None else now)
    if seconds != seconds:
        return None
    return max(0.0, seconds)  # inf stays inf: above any cap, so the 429 is raised


def _seconds_until_date(text: str, now: float) -> float | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # HTTP dates are always GMT; asctime dates and "-0000" parse without a zone.
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


#: Where the parsed ``Retry-After`` of a response is kept (``response.extensions``), so the
#: retry delay, the 429 gate and the rate limiter all see the same seconds for a date value.
_RETRY_AFTER_EXTENSION = "cw_facade.retry_after"


def retry_after_of(response: httpx.Response) -> float | None:
    """The ``Retry-After`` of ``response`` in seconds, or ``None`` (parsed once per response)."""
    extensions = response.extensions
    if _RETRY_AFTER_EXTENSION not in extensions:
        extensions[_RETRY_AFTER_EXTENSION] = parse_retry_after(response.headers.get("retry-after"))
    after: float | None = extensions[_RETRY_AFTER_EXTENSION]
    return after


def is_transient_500(response: httpx.Response) -> bool:
    """A 500 whose message says ``timeout`` (ConnectWise's transient server fault)."""
    if response.status_code != 500:
        return False
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    message = body.get("message") if isinstance(body, dict) else None
    return isinstance(message, str) and _TRANSIENT_500_MARK in message.lower()


def is_idempotent(request: httpx.Request) -> bool:
    """Whether repeating ``request`` cannot duplicate its effect (GET, PUT, DELETE, ...).

    A POST marked with :data:`IDEMPOTENT_EXTENSION` (it only reads) counts as idempotent.
    """
    if request.extensions.get(IDEMPOTENT_EXTENSION) is True:
        return True
    return request.method.upper() not in NON_IDEMPOTENT_METHODS


def response_is_retryable(request: httpx.Request, response: httpx.Response) -> bool:
    """Whether ``response`` to ``request`` may be repeated (ignoring the retry budget)."""
    status = response.status_code
    if status == 429:
        after = retry_after_of(response)
        return after is None or after <= RETRY_AFTER_CAP
    if not is_idempotent(request):
        return False
    return status in RETRYABLE_GATEWAY_STATUSES or is_transient_500(response)


def exception_is_retryable(request: httpx.Request, exc: BaseException) -> bool:
    """Whether the transport failure ``exc`` may be repeated (ignoring the retry budget)."""
    if isinstance(exc, httpx.ConnectError):
        return True
    return is_idempotent(request) and isinstance(exc, httpx.TransportError)


def backoff_delay(retries_taken: int, *, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter for the retry after ``retries_taken`` earlier ones."""
    ceiling = min(BACKOFF_MAX, BACKOFF_BASE * (2.0**retries_taken))
    draw = (rng or random).random()
    return ceiling * (1.0 - BACKOFF_JITTER * draw)


def retry_delay(retries_taken: int, response: httpx.Response | None) -> float:
    """Delay before the next attempt: ``Retry-After`` when given (already capped), else backoff."""
    if response is not None:
        after = retry_after_of(response)
        if after is not None:
            return min(after, RETRY_AFTER_CAP)
    return backoff_delay(retries_taken)


class RateGate:
    """The moment before which no request of a client may start (after a 429).

    A 429 with ``Retry-After`` holds back every request of the client, not only the one that
    got it, so concurrent callers do not keep hitting a server that asked them to wait.
    """

    __slots__ = ("not_before",)

    def __init__(self) -> None:
        """Open: nothing to wait for."""
        self.not_before = 0.0

    def hold(self, until: float) -> None:
        """Let no request start before ``until`` (a monotonic time)."""
        self.not_before = max(self.not_before, until)

    def wait(self, now: float) -> float:
        """Seconds a request starting at ``now`` must still wait."""
        return max(0.0, self.not_before - now)
