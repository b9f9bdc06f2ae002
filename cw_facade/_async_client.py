"""The asyncio client: :class:`AsyncConnectWiseClient`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from cw_facade import _raw
from cw_facade._client import Result
from cw_facade._constants import (
    DEFAULT_API_VERSION,
    DEFAULT_CONCURRENCY,
    DEFAULT_MAX_RETRIES,
    DEFAULT_PAGE_SIZE,
    DEFAULT_TIMEOUT,
)
from cw_facade._core import ClientCore, check_count
from cw_facade._domain_async import _AsyncDomainMixin
from cw_facade._paging import PageCursor, PageShapeError
from cw_facade._request import APIRequest, Operation, ParamValue
from cw_facade._responses import release
from cw_facade._secrets import SecretString

T = TypeVar("T")


class AsyncClientCore(ClientCore):
    """Async I/O over :class:`ClientCore`; the public client adds domain mixins on top."""

    def __init__(
        self,
        base_url: str,
        client: str,
        username: str,
        password: str | SecretString,
        client_id: str,
        ticket_defaults: Any = None,
        *,
        api_version: str = DEFAULT_API_VERSION,
        codebase: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_CONCURRENCY,
        validate_conditions: bool = True,
        allow_insecure_http: bool = False,
        log_bodies: bool = False,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """See :class:`AsyncConnectWiseClient`."""
        super().__init__(
            base_url,
            client,
            username,
            password,
            client_id,
            ticket_defaults,
            api_version=api_version,
            codebase=codebase,
            timeout=timeout,
            max_retries=max_retries,
            page_size=page_size,
            validate_conditions=validate_conditions,
            allow_insecure_http=allow_insecure_http,
            log_bodies=log_bodies,
        )
        self.concurrency = check_count("concurrency", concurrency, 1)
        options = self._http_options(http_client, transport)
        self._http = http_client or httpx.AsyncClient(**options)
        # Created on first use, inside the event loop that runs the client.
        self._discovery_lock: asyncio.Lock | None = None

    # -- lifecycle ------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the connection pool (an injected ``http_client`` is left to its owner)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        """Use the client as an async context manager; it closes on exit."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the client."""
        await self.aclose()

    # -- I/O ------------------------------------------------------------------------------

    async def _sleep(self, seconds: float) -> None:
        """Wait before a retry (tests replace this to pin time)."""
        await asyncio.sleep(seconds)

    async def _discover(self) -> bool:
        """Fetch the codebase from companyinfo; return whether it changed."""
        request = self._discovery_request(self._http)
        try:
            response: httpx.Response | None = await self._http.send(request)
        except httpx.RequestError:
            response = None
        return self._apply_discovery(response)

    async def _ensure_codebase(self) -> None:
        """Discover the codebase once, however many tasks ask for it at the same time."""
        if self._discovery_lock is None:
            self._discovery_lock = asyncio.Lock()
        async with self._discovery_lock:
            if self._codebase is None:
                await self._discover()

    async def _receive(self, sent: httpx.Request) -> httpx.Response:
        """Send ``sent`` and read the whole response within the attempt's total timeout."""
        if self._total_timeout is None:
            return await self._http.send(sent)
        try:
            async with asyncio.timeout(self._total_timeout):
                return await self._http.send(sent)
        except TimeoutError as exc:
            raise httpx.ReadTimeout(
                "the response took longer than the timeout", request=sent
            ) from exc

    async def _send(self, request: APIRequest, max_retries: int | None = None) -> Result:
        """Perform ``request`` with retries, rediscovery and error mapping."""
        limit = self._retry_limit(max_retries)
        retries, rediscovered = 0, False
        while True:
            if self._codebase is None:
                await self._ensure_codebase()
            gate = self._gate_delay()
            if gate > 0:
                await self._sleep(gate)
            sent = self._build_request(self._http, request)
            started = self._now()
            try:
                response = release(await self._receive(sent))
            except httpx.RequestError as exc:
                self._log_failure(request, exc, started, retries)
                delay = self._plan_retry(request, exc, retries, limit)
                if delay is None:
                    raise self._transport_error(request, sent, exc, retries) from exc
            else:
                self._log_exchange(request, response, started, retries)
                if not rediscovered and self._may_rediscover(response):
                    rediscovered = True
                    if await self._discover():
                        continue
                delay = self._plan_retry(request, response, retries, limit)
                if delay is None:
                    return Result(self._decode(request, response, retries), response, retries)
            await self._sleep(delay)
            retries += 1

    async def _drive(self, op: Operation[T], *, max_retries: int | None = None) -> T:
        """Run operation ``op``: perform each request it yields and return its result."""
        try:
            request = next(op)
            while True:
                request = op.send((await self._send(request, max_retries)).data)
        except StopIteration as stop:
            result: T = stop.value
            return result
        finally:
            op.close()

    # -- raw methods ----------------------------------------------------------------------

    async def get(
        self,
        endpoint: str,
        *,
        conditions: object = None,
        fields: str | Iterable[str] | None = None,
        order_by: str | None = None,
        page: int | None = None,
        pagesize: int | None = None,
        max_retries: int | None = None,
        **params: ParamValue | None,
    ) -> Any:
        """GET ``endpoint`` and return its JSON; a 404 answers ``None``."""
        query = _raw.query_params(
            conditions=conditions,
            fields=fields,
            order_by=order_by,
            page=page,
            pagesize=pagesize,
            validate=self.validate_conditions,
            extra=params,
        )
        op = _raw.get_op(_raw.endpoint_path(endpoint), query)
        return await self._drive(op, max_retries=max_retries)

    async def post(self, endpoint: str, data: Any, *, max_retries: int | None = None) -> Any:
        """POST ``data`` to ``endpoint`` and return the created object."""
        return await self._drive(_raw.post_op(endpoint, data), max_retries=max_retries)

    async def patch(
        self,
        endpoint: str,
        record_id: int | str,
        operations: list[dict[str, Any]],
        *,
        max_retries: int | None = None,
    ) -> Any:
        """PATCH record ``record_id`` of ``endpoint`` with JSON-patch ``operations``."""
        op = _raw.patch_op(endpoint, record_id, operations)
        return await self._drive(op, max_retries=max_retries)

    async def put(
        self, endpoint: str, record_id: int | str, data: Any, *, max_retries: int | None = None
    ) -> Any:
        """PUT (replace) record ``record_id`` of ``endpoint`` with ``data``."""
        return await self._drive(_raw.put_op(endpoint, record_id, data), max_retries=max_retries)

    async def delete(
        self, endpoint: str, record_id: int | str, *, max_retries: int | None = None
    ) -> bool:
        """DELETE record ``record_id`` of ``endpoint``; ``True`` when done."""
        return await self._drive(_raw.delete_op(endpoint, record_id), max_retries=max_retries)

    async def count(
        self,
        endpoint: str,
        *,
        conditions: object = None,
        max_retries: int | None = None,
        **params: ParamValue | None,
    ) -> int:
        """Number of records of ``endpoint`` matching ``conditions`` (``{endpoint}/count``)."""
        request = self._count_request(endpoint, conditions, params)
        result = await self._send(request, max_retries)
        return self._count_value(request, result.response, result.data, result.retries_taken)

    # -- paging ---------------------------------------------------------------------------

    def iter_all(
        self,
        endpoint: str,
        *,
        conditions: object = None,
        fields: str | Iterable[str] | None = None,
        order_by: str | None = None,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool = False,
        max_retries: int | None = None,
        **params: ParamValue | None,
    ) -> AsyncIterator[dict[str, Any]]:
        """Every record of ``endpoint``, fetched lazily (``async for``).

        Arguments are checked at once; requests start when iteration does. When ``/count``
        gives the total (navigable mode), up to ``concurrency`` pages are fetched at once and
        records still come out in order; memory stays bounded by ``concurrency`` pages.
        """
        cursor = self._cursor(
            endpoint, conditions, fields, order_by, pagesize, limit, forward_only, params
        )
        self._retry_limit(max_retries)
        from cw_facade._async_paging import iterate

        return iterate(self, cursor, max_retries)

    def _iter_pages(
        self,
        endpoint: str,
        *,
        conditions: object = None,
        fields: str | Iterable[str] | None = None,
        order_by: str | None = None,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool = False,
        max_retries: int | None = None,
        **params: ParamValue | None,
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """:meth:`iter_all` one page (a non-empty list of records) at a time."""
        cursor = self._cursor(
            endpoint, conditions, fields, order_by, pagesize, limit, forward_only, params
        )
        from cw_facade._async_paging import iterate_pages

        return iterate_pages(self, cursor, max_retries)

    async def get_all(
        self,
        endpoint: str,
        *,
        conditions: object = None,
        fields: str | Iterable[str] | None = None,
        order_by: str | None = None,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool = False,
        max_retries: int | None = None,
        **params: ParamValue | None,
    ) -> list[dict[str, Any]]:
        """Every record of ``endpoint`` as a list (see :meth:`iter_all`)."""
        records = self.iter_all(
            endpoint,
            conditions=conditions,
            fields=fields,
            order_by=order_by,
            pagesize=pagesize,
            limit=limit,
            forward_only=forward_only,
            max_retries=max_retries,
            **params,
        )
        return [record async for record in records]

    async def _page(
        self, cursor: PageCursor, request: APIRequest, max_retries: int | None
    ) -> tuple[list[dict[str, Any]], Result]:
        """Fetch one page for ``cursor`` and let it advance."""
        result = await self._send(request, max_retries)
        try:
            return cursor.advance(result.data, result.response), result
        except PageShapeError as exc:
            retries = result.retries_taken
            raise self._page_error(request, result.response, retries, exc) from None


class AsyncConnectWiseClient(_AsyncDomainMixin, AsyncClientCore):
    """Async client for the ConnectWise Manage REST API (asyncio).

    Same arguments as :class:`~cw_facade.ConnectWiseClient`, plus ``concurrency`` (pages
    fetched at once by ``iter_all``/``get_all``); ``http_client`` is an
    :class:`httpx.AsyncClient` and ``transport`` an :class:`httpx.AsyncBaseTransport`.
    Use as an async context manager or call :meth:`aclose`.
    """
