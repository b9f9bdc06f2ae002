"""The one place a request happens: :class:`AsyncManageHTTP`, the client's httpx client.

Every call of a client ends in :meth:`AsyncManageHTTP.send`: its own methods, the raw methods,
paging, and every generated operation through ``client.api`` (which runs on this same httpx
client). ``send`` discovers the codebase (once, also under concurrency), waits out a 429 that
holds back the whole client, puts each attempt on the API root with ConnectWise's headers
(only ever to the configured origin, never following a redirect), caps each attempt as a
whole at the timeout, retries what may be retried, logs, and raises the facade's exception for
any status that is not success. Retries sit above the httpx transport, so replayed cassettes
(vcrpy patches the transports' ``handle_request``) exercise them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

from cw_facade import _log
from cw_facade._config import ClientConfig
from cw_facade._errors import ConnectWiseClosedError, ConnectWiseConfigurationError
from cw_facade._primitives import AsyncLock, async_receive, async_sleep
from cw_facade._responses import (
    REDACTOR_EXTENSION,
    RETRIES_EXTENSION,
    api_error,
    json_error_body,
    release,
    transport_error,
)
from cw_facade._retry import (
    exception_is_retryable,
    is_idempotent,
    response_is_retryable,
    retry_delay,
)

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
        retries, rediscovered = 0, False
        while True:
            await self._ensure_codebase()
            gate = config.gate.wait(self._now())
            if gate > 0:
                await self._sleep(gate)
            attempt = config.attempt(request)
            started = self._now()
            try:
                response = await async_receive(self._send_once, attempt, config.total_timeout)
            except httpx.RequestError as exc:
                _log.failure(attempt, exc, self._now() - started, retries)
                delay = self._plan_retry(attempt, exc, retries, limit)
                if delay is None:
                    raise transport_error(attempt, exc, retries, config.redactor) from exc
            else:
                release(response)
                response.extensions[RETRIES_EXTENSION] = retries
                response.extensions[REDACTOR_EXTENSION] = config.redactor
                _log.exchange(attempt, response, self._now() - started, retries, config.log_bodies)
                if not rediscovered and self._may_rediscover(response):
                    rediscovered = True
                    # A write is never sent twice: the new codebase serves the next call.
                    if await self._discover() and is_idempotent(attempt):
                        continue
                if response.is_success:
                    return response
                delay = self._plan_retry(attempt, response, retries, limit)
                if delay is None:
                    raise api_error(response)
            await self._sleep(delay)
            retries += 1

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

    async def _ensure_codebase(self) -> None:
        """Discover the codebase once, however many callers ask at the same time."""
        if self.config.codebase is not None:
            return
        async with self._discovery_lock:
            if self.config.codebase is None:
                await self._discover()

    async def _discover(self) -> bool:
        """Fetch the codebase from companyinfo; return whether it changed."""
        config = self.config
        request = config.discovery_request()
        try:
            response: httpx.Response | None = await async_receive(
                self._send_once, request, config.total_timeout
            )
        except httpx.RequestError:
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
