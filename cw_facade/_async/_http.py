"""The one place a request happens: :class:`AsyncManageHTTP`, the client's httpx client.

Every call of a client ends in :meth:`AsyncManageHTTP.send`: its own methods, the raw methods,
paging, and every generated operation through ``client.api`` (which runs on this same httpx
client). ``send`` discovers the codebase (once, also under concurrency), waits out a 429 that
holds back the whole client, waits for the rate limiter's slot (``rate_limit=``, see
:mod:`cw_facade._governor`; every attempt takes one and reports whether it was refused with a
429), puts each attempt on the API root with ConnectWise's headers
(only ever to the configured origin, never following a redirect), caps each attempt as a
whole at the timeout, retries what may be retried, logs, and raises the facade's exception for
any status that is not success. Retries sit above the httpx transport, so replayed cassettes
(vcrpy patches the transports' ``handle_request``) exercise them.

Limits (each raises a :class:`~cw_facade.ConnectWiseLimitError` naming its option):

- ``deadline``: the whole call (discovery, every attempt, every retry delay, ``Retry-After``,
  429-gate and rate-limit wait) ends by it. An attempt gets at most the time left; a wait
  that would end past it is not begun. Either raises
  :class:`~cw_facade.ConnectWiseDeadlineError`, chaining what the last attempt got. How each
  phase is bounded: :mod:`cw_facade._primitives`.
- ``max_response_bytes``: the body, as received and as decompressed, raising
  :class:`~cw_facade.ConnectWiseResponseTooLargeError` while reading (never retried).

A DELETE retried after an attempt whose outcome was lost (a timeout, a broken connection, a
5xx: the server may have deleted the record before failing) that then gets ConnectWise's 404
reports success: the record is gone, which is what the call asked for. A 404 on the first
attempt, or after only a refused connection or a 429, still raises.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import httpx

from cw_facade import _log
from cw_facade._config import ClientConfig
from cw_facade._errors import (
    ConnectWiseClosedError,
    ConnectWiseConfigurationError,
    ConnectWiseDeadlineError,
    ConnectWiseError,
    ConnectWiseResponseTooLargeError,
)
from cw_facade._primitives import (
    AsyncLock,
    async_bound_sockets,
    async_receive,
    async_sleep,
)
from cw_facade._responses import (
    REDACTOR_EXTENSION,
    RETRIES_EXTENSION,
    api_error,
    api_path,
    json_error_body,
    release,
    safe_url,
    transport_error,
)
from cw_facade._retry import (
    exception_is_retryable,
    is_idempotent,
    response_is_retryable,
    retry_after_of,
    retry_delay,
)

#: Transport failures after which the server surely did not act (nothing reached it).
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
#: Where a DELETE reported as done after a lost response is marked (``response.extensions``).
DELETED_EARLIER_EXTENSION = "cw_facade.deleted_earlier"

#: The ``extensions`` key of a request that carries its :class:`CallOptions`.
CALL_OPTIONS = "cw_facade.call"


@dataclass(frozen=True, slots=True)
class CallOptions:
    """Per-call settings a client method passes down to :meth:`AsyncManageHTTP.send`."""

    max_retries: int | None = None


class _Unused(httpx.AsyncBaseTransport):
    """The own pool of a transport that sends through a caller's httpx client instead."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise RuntimeError("cw-facade sends through the injected http_client")


class AsyncManageHTTP(httpx.AsyncClient):
    """The httpx client of one ConnectWise client; see the module docstring.

    ``delegate`` is a caller's own httpx client (``http_client=``): attempts go through it
    (its proxies, TLS and event hooks apply) and it is left open on close.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        delegate: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """A client for ``config``; nothing is sent yet."""
        if delegate is not None and transport is not None:
            raise ConnectWiseConfigurationError("pass http_client or transport, not both")
        if delegate is not None:
            transport = _Unused()
        super().__init__(transport=transport, **config.http_options())
        async_bound_sockets(self._transport, *self._mounts.values())
        self.config = config
        self._delegate = delegate
        self._discovery_lock = AsyncLock()

    def __repr__(self) -> str:
        """Where it points; never credentials."""
        return f"{type(self).__name__}(api_root={self.config.describe_root()!r})"

    # -- the one place ---------------------------------------------------------------------

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = None,
        follow_redirects: Any = None,
    ) -> httpx.Response:
        """Perform ``request`` with discovery, auth, retries and error mapping; see the module.

        ``auth`` and ``follow_redirects`` are ignored: the client authenticates every attempt
        itself and never follows a redirect. The response comes back fully read.

        Raises :class:`~cw_facade.ConnectWiseAPIError` (a subclass per status) for a status
        that is not success, :class:`~cw_facade.ConnectWiseConnectionError` or
        :class:`~cw_facade.ConnectWiseTimeoutError` when no response came, and
        :class:`~cw_facade.ConnectWiseClosedError` on a closed client.
        """
        if self.is_closed:
            raise ConnectWiseClosedError("this ConnectWise client is closed; create a new one")
        config = self.config
        options = request.extensions.get(CALL_OPTIONS)
        limit = config.retry_limit(options.max_retries if options is not None else None)
        end = None if config.deadline is None else self._now() + config.deadline
        retries, rediscovered, maybe_done = 0, False, False
        while True:
            await self._ensure_codebase(end)
            await self._wait_turn(request, retries, end)
            attempt = config.attempt(request)
            budget, capped = self._budget(end)
            if budget is not None and budget <= 0:
                raise self._deadline(attempt, retries, "no time left for another attempt")
            started = self._now()
            try:
                response = await async_receive(
                    self._send_once, attempt, budget, config.max_response_bytes
                )
            except ConnectWiseResponseTooLargeError as exc:
                raise self._located(exc, attempt, retries) from None
            except httpx.RequestError as exc:
                _log.failure(attempt, exc, self._now() - started, retries)
                if capped and isinstance(exc, httpx.TimeoutException):
                    config.redactor.scrub_http_error(exc)
                    raise self._deadline(attempt, retries, "the last attempt ran out") from exc
                delay = self._plan_retry(attempt, exc, retries, limit)
                if delay is None:
                    raise transport_error(attempt, exc, retries, config.redactor) from exc
                failed: BaseException = exc
                maybe_done = maybe_done or not isinstance(exc, _NOT_SENT)
            else:
                release(response)
                self._report(response)
                response.extensions[RETRIES_EXTENSION] = retries
                response.extensions[REDACTOR_EXTENSION] = config.redactor
                _log.exchange(attempt, response, self._now() - started, retries, config.log_bodies)
                if not rediscovered and self._may_rediscover(response):
                    rediscovered = True
                    # A write is never sent twice: the new codebase serves the next call.
                    if await self._discover(end) and is_idempotent(attempt):
                        continue
                if response.is_success:
                    return response
                if maybe_done and _deleted_earlier(attempt, response):
                    return _deleted(attempt, response)
                delay = self._plan_retry(attempt, response, retries, limit)
                if delay is None:
                    raise api_error(response)
                failed = api_error(response)
                maybe_done = maybe_done or response.status_code >= 500
            if self._past(end, delay):
                detail = f"retrying after {_outcome(failed)} would wait {delay:.1f} s"
                raise self._deadline(attempt, retries, detail) from failed
            await self._sleep(delay)
            retries += 1

    async def _wait_turn(self, request: httpx.Request, retries: int, end: float | None) -> None:
        """Wait out a 429 that holds the client, then for the rate limiter's slot.

        A 429 that arrives while this request waits for its slot holds it back too: it then
        waits for the hold and takes a new slot. A wait that would end past the call's
        deadline ``end`` is not begun.
        """
        config = self.config
        while True:
            gate = config.gate.wait(self._now())
            if gate > 0:
                if self._past(end, gate):
                    raise self._deadline(request, retries, f"a 429 holds the client {gate:.1f} s")
                await self._sleep(gate)
            limiter = config.limiter
            if limiter is None:
                return
            now = self._now()
            left = None if end is None else max(0.0, end - now)
            wait = _checked_wait(limiter.reserve(now, left))
            if wait <= 0:
                return
            if left is not None and wait > left:
                detail = f"the rate limit holds the request {wait:.1f} s"
                raise self._deadline(request, retries, detail)
            await self._sleep(wait)
            if config.gate.wait(self._now()) <= 0:
                return

    def _report(self, response: httpx.Response) -> None:
        """Tell the rate limiter whether ``response`` refused the request for its rate."""
        limiter = self.config.limiter
        if limiter is None:
            return
        if response.status_code == 429:
            limiter.on_429(self._now(), retry_after_of(response))
        else:
            limiter.on_success(self._now())

    def _budget(self, end: float | None) -> tuple[float | None, bool]:
        """Seconds the next attempt may take, and whether the call's deadline set them."""
        total = self.config.total_timeout
        if end is None:
            return total, False
        left = end - self._now()
        if total is None or left < total:
            return left, True
        return total, False

    def _past(self, end: float | None, wait: float) -> bool:
        """Whether waiting ``wait`` seconds from now would end past the deadline ``end``."""
        return end is not None and self._now() + wait > end

    def _deadline(
        self, request: httpx.Request, retries: int, detail: str
    ) -> ConnectWiseDeadlineError:
        """The error for a call that ran out of its ``deadline``."""
        return ConnectWiseDeadlineError(
            limit=self.config.deadline,
            detail=detail,
            method=request.method.upper(),
            url=safe_url(request.url),
            path=api_path(request.url),
            retries_taken=retries,
            redactor=self.config.redactor,
        )

    def _located(
        self, exc: ConnectWiseError, request: httpx.Request, retries: int
    ) -> ConnectWiseError:
        """A limit error raised while reading, naming the request it happened on."""
        if not isinstance(exc, ConnectWiseResponseTooLargeError):
            return exc
        located = exc.at(
            method=request.method.upper(),
            url=self.config.redactor.scrub(safe_url(request.url)),
            path=api_path(request.url),
            retries_taken=retries,
        )
        return located

    async def _send_once(self, request: httpx.Request, stream: bool) -> httpx.Response:
        """One attempt, through the caller's httpx client when one was injected."""
        if self._delegate is not None:
            return await self._delegate.send(request, stream=stream, follow_redirects=False)
        return await super().send(request, stream=stream, follow_redirects=False)

    def _plan_retry(
        self,
        attempt: httpx.Request,
        outcome: httpx.Response | Exception,
        retries: int,
        limit: int,
    ) -> float | None:
        """The delay before retrying ``attempt`` after ``outcome``, or ``None`` to give up."""
        if retries >= limit:
            return None
        if isinstance(outcome, httpx.Response):
            if not response_is_retryable(attempt, outcome):
                return None
            response: httpx.Response | None = outcome
            reason = f"status {outcome.status_code}"
        else:
            if not exception_is_retryable(attempt, outcome):
                return None
            response, reason = None, type(outcome).__name__
        delay = retry_delay(retries, response)
        if response is not None and response.status_code == 429:
            self.config.gate.hold(self._now() + delay)
        _log.retrying(attempt, reason, delay, retries + 1, limit)
        return delay

    # -- codebase discovery ----------------------------------------------------------------

    async def _ensure_codebase(self, end: float | None = None) -> None:
        """Discover the codebase once, however many callers ask at the same time."""
        if self.config.codebase is not None:
            return
        async with self._discovery_lock:
            if self.config.codebase is None:
                await self._discover(end)

    async def _discover(self, end: float | None = None) -> bool:
        """Fetch the codebase from companyinfo (within the call's deadline ``end``).

        Any failure, a limit included, falls back to the default codebase; the call that
        needed it then meets its own deadline.
        """
        config = self.config
        request = config.discovery_request()
        budget, _ = self._budget(end)
        try:
            response: httpx.Response | None = await async_receive(
                self._send_once, request, budget, config.max_response_bytes
            )
        except (httpx.RequestError, ConnectWiseResponseTooLargeError):
            response = None
        changed = config.apply_discovery(response)
        self.base_url = config.base_url  # later requests are built on the API root at once
        ok = response is not None and response.status_code == 200
        _log.discovery(config.endpoints.site_host, config.codebase, ok)
        return changed

    def _may_rediscover(self, response: httpx.Response) -> bool:
        """A 404 that is not a ConnectWise JSON error, with a codebase we discovered."""
        if self.config.codebase_fixed or response.status_code != 404:
            return False
        return json_error_body(response) is None

    # -- time (tests replace these two) ----------------------------------------------------

    def _now(self) -> float:
        """Monotonic clock in seconds."""
        return time.monotonic()

    async def _sleep(self, seconds: float) -> None:
        """Wait before a retry or while the client is held back after a 429."""
        await async_sleep(seconds)


def _checked_wait(wait: object) -> float:
    """What a rate limiter's ``reserve`` answered, as seconds to wait; else a config error."""
    if isinstance(wait, bool) or not isinstance(wait, int | float) or not math.isfinite(wait):
        raise ConnectWiseConfigurationError(
            f"rate_limit: reserve() must return a finite number of seconds, not {wait!r}"
        )
    return float(wait)


def _outcome(failed: BaseException) -> str:
    """What an attempt got, for a message: ``status 503`` or ``ReadTimeout``."""
    status = getattr(failed, "status_code", None)
    if isinstance(status, int):
        return f"status {status}"
    return type(failed.__cause__ or failed).__name__


def _deleted_earlier(attempt: httpx.Request, response: httpx.Response) -> bool:
    """A DELETE answered with ConnectWise's own 404 (not a proxy's page)."""
    return (
        attempt.method.upper() == "DELETE"
        and response.status_code == 404
        and json_error_body(response) is not None
    )


def _deleted(attempt: httpx.Request, response: httpx.Response) -> httpx.Response:
    """The success a retried DELETE reports when an earlier attempt may have done it."""
    _log.deleted_earlier(attempt, response.extensions.get(RETRIES_EXTENSION, 0))
    extensions = {**response.extensions, DELETED_EARLIER_EXTENSION: True}
    return httpx.Response(204, request=attempt, extensions=extensions)
