"""The blocking client: :class:`ConnectWiseClient`."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from cw_facade import _raw
from cw_facade._constants import (
    DEFAULT_API_VERSION,
    DEFAULT_MAX_RETRIES,
    DEFAULT_PAGE_SIZE,
    DEFAULT_TIMEOUT,
)
from cw_facade._core import ClientCore
from cw_facade._domain_sync import _SyncDomainMixin
from cw_facade._paging import PageCursor, PageShapeError
from cw_facade._request import APIRequest, Operation, ParamValue
from cw_facade._responses import read_within, release
from cw_facade._secrets import SecretString

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Result:
    """One completed call: decoded JSON, the final response and the retries it took."""

    data: Any
    response: httpx.Response
    retries_taken: int


class SyncClientCore(ClientCore):
    """Blocking I/O over :class:`ClientCore`; the public client adds domain mixins on top."""

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
        validate_conditions: bool = True,
        allow_insecure_http: bool = False,
        log_bodies: bool = False,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """See :class:`ConnectWiseClient`."""
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
        options = self._http_options(http_client, transport)
        self._http = http_client or httpx.Client(**options)
        self._discovery_lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool (an injected ``http_client`` is left to its owner)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        """Use the client as a context manager; it closes on exit."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the client."""
        self.close()

    # -- I/O ------------------------------------------------------------------------------

    def _sleep(self, seconds: float) -> None:
        """Wait before a retry (tests replace this to pin time)."""
        time.sleep(seconds)

    def _discover(self) -> bool:
        """Fetch the codebase from companyinfo; return whether it changed."""
        request = self._discovery_request(self._http)
        try:
            response: httpx.Response | None = self._http.send(request)
        except httpx.RequestError:
            response = None
        return self._apply_discovery(response)

    def _ensure_codebase(self) -> None:
        if self._codebase is None:
            with self._discovery_lock:
                if self._codebase is None:
                    self._discover()

    def _receive(self, sent: httpx.Request) -> httpx.Response:
        """Send ``sent`` and read the whole response within the attempt's total timeout."""
        streamed = self._http.send(sent, stream=True)
        if self._total_timeout is None:
            streamed.read()
            return streamed
        return read_within(streamed, time.monotonic() + self._total_timeout, time.monotonic)

    def _send(self, request: APIRequest, max_retries: int | None = None) -> Result:
        """Perform ``request`` with retries, rediscovery and error mapping."""
        limit = self._retry_limit(max_retries)
        retries, rediscovered = 0, False
        while True:
            self._ensure_codebase()
            gate = self._gate_delay()
            if gate > 0:
                self._sleep(gate)
            sent = self._build_request(self._http, request)
            started = self._now()
            try:
                response = release(self._receive(sent))
            except httpx.RequestError as exc:
                self._log_failure(request, exc, started, retries)
                delay = self._plan_retry(request, exc, retries, limit)
                if delay is None:
                    raise self._transport_error(request, sent, exc, retries) from exc
            else:
                self._log_exchange(request, response, started, retries)
                if not rediscovered and self._may_rediscover(response):
                    rediscovered = True
                    if self._discover():
                        continue
                delay = self._plan_retry(request, response, retries, limit)
                if delay is None:
                    return Result(self._decode(request, response, retries), response, retries)
            self._sleep(delay)
            retries += 1

    def _drive(self, op: Operation[T], *, max_retries: int | None = None) -> T:
        """Run operation ``op``: perform each request it yields and return its result."""
        try:
            request = next(op)
            while True:
                request = op.send(self._send(request, max_retries).data)
        except StopIteration as stop:
            result: T = stop.value
            return result
        finally:
            op.close()

    # -- raw methods ----------------------------------------------------------------------

    def get(
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
        return self._drive(op, max_retries=max_retries)

    def post(self, endpoint: str, data: Any, *, max_retries: int | None = None) -> Any:
        """POST ``data`` to ``endpoint`` and return the created object."""
        return self._drive(_raw.post_op(endpoint, data), max_retries=max_retries)

    def patch(
        self,
        endpoint: str,
        record_id: int | str,
        operations: list[dict[str, Any]],
        *,
        max_retries: int | None = None,
    ) -> Any:
        """PATCH record ``record_id`` of ``endpoint`` with JSON-patch ``operations``."""
        op = _raw.patch_op(endpoint, record_id, operations)
        return self._drive(op, max_retries=max_retries)

    def put(
        self, endpoint: str, record_id: int | str, data: Any, *, max_retries: int | None = None
    ) -> Any:
        """PUT (replace) record ``record_id`` of ``endpoint`` with ``data``."""
        return self._drive(_raw.put_op(endpoint, record_id, data), max_retries=max_retries)

    def delete(
        self, endpoint: str, record_id: int | str, *, max_retries: int | None = None
    ) -> bool:
        """DELETE record ``record_id`` of ``endpoint``; ``True`` when done."""
        return self._drive(_raw.delete_op(endpoint, record_id), max_retries=max_retries)

    def count(
        self,
        endpoint: str,
        *,
        conditions: object = None,
        max_retries: int | None = None,
        **params: ParamValue | None,
    ) -> int:
        """Number of records of ``endpoint`` matching ``conditions`` (``{endpoint}/count``)."""
        request = self._count_request(endpoint, conditions, params)
        result = self._send(request, max_retries)
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
    ) -> Iterator[dict[str, Any]]:
        """Every record of ``endpoint``, fetched lazily one page at a time.

        Arguments are checked at once; requests start when iteration does, and only one page
        is held in memory. ``limit`` stops after that many records.
        """
        cursor = self._cursor(
            endpoint, conditions, fields, order_by, pagesize, limit, forward_only, params
        )
        self._retry_limit(max_retries)
        return self._iterate(cursor, max_retries)

    def _iterate(self, cursor: PageCursor, max_retries: int | None) -> Iterator[dict[str, Any]]:
        while not cursor.done:
            request = cursor.request()
            result = self._send(request, max_retries)
            try:
                records = cursor.advance(result.data, result.response)
            except PageShapeError as exc:
                raise self._page_error(
                    request, result.response, result.retries_taken, exc
                ) from None
            del result  # one page in memory at a time: drop the body before the next request
            yield from records
            del records

    def get_all(
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
        return list(
            self.iter_all(
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
        )


class ConnectWiseClient(_SyncDomainMixin, SyncClientCore):
    """Blocking client for the ConnectWise Manage REST API.

    ``base_url`` is a site (``https://na.myconnectwise.net``) or a full API root
    (``…/v4_6_release/apis/3.0``); ``client`` is the login company id, ``username`` and
    ``password`` the API member's public and private keys, ``client_id`` the integration's
    clientId GUID. Keyword options: ``api_version``, ``codebase`` (skips discovery),
    ``timeout`` (seconds or :class:`httpx.Timeout`), ``max_retries``, ``page_size``,
    ``validate_conditions``, ``allow_insecure_http``, ``log_bodies``, and either
    ``http_client`` (an :class:`httpx.Client` you own and close) or ``transport``.
    Use as a context manager or call :meth:`close`.
    """
