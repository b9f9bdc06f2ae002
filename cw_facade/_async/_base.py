"""The transport-facing half of the client: construction, ``api``, raw methods and paging.

Every request leaves through ``self._http`` (:class:`~cw_facade._async._http.AsyncManageHTTP`).
Methods build their request arguments first (a generated operation's ``request_args`` or, for
the raw methods, :mod:`cw_facade._raw`), so bad input fails before anything is sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import httpx

from cw_facade import _raw
from cw_facade._async._http import CALL_OPTIONS, AsyncManageHTTP, CallOptions
from cw_facade._async._paging import async_sequential
from cw_facade._config import ClientConfig, check_count
from cw_facade._constants import (
    DEFAULT_API_VERSION,
    DEFAULT_CONCURRENCY,  # unasync: remove
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_PAGE_SIZE,
    DEFAULT_RATE_LIMIT,
    DEFAULT_TIMEOUT,
)
from cw_facade._errors import (
    ConnectWiseConfigurationError,
    ConnectWiseNotFoundError,
)
from cw_facade._governor import RateLimiter
from cw_facade._paging import (
    PAGES,
    CountBuilder,
    KeysetQuery,
    PageBuilder,
    PageCursor,
    check_limit,
    check_page_size,
    cursor_advance,
    paging_mode,
)
from cw_facade._responses import decode, json_error_body, one_record, response_error
from cw_facade._secrets import SecretString

if TYPE_CHECKING:
    from cw_manage_client.client import Client

_PAGING_PARAMS = frozenset({"page", "pagesize", "pageid"})


class AsyncClientBase:
    """Configuration, the transport, ``api``, the raw methods and paging; see the module."""

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
        concurrency: int = DEFAULT_CONCURRENCY,  # unasync: remove
        validate_conditions: bool = True,
        allow_insecure_http: bool = False,
        log_bodies: bool = False,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        rate_limit: float | RateLimiter | None = DEFAULT_RATE_LIMIT,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """See the public client's docstring; nothing is sent here."""
        self._config = ClientConfig(
            base_url,
            client,
            username,
            password,
            client_id,
            api_version=api_version,
            codebase=codebase,
            timeout=timeout,
            max_retries=max_retries,
            page_size=page_size,
            validate_conditions=validate_conditions,
            allow_insecure_http=allow_insecure_http,
            log_bodies=log_bodies,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
            rate_limit=rate_limit,
        )
        self.concurrency = check_count("concurrency", concurrency, 1)  # unasync: remove
        self.ticket_defaults = ticket_defaults
        self._http = AsyncManageHTTP(self._config, delegate=http_client, transport=transport)
        self._api: Client | None = None

    def __repr__(self) -> str:
        """Class name, where it points and its rate limit; never credentials."""
        root = self._config.describe_root()
        return f"{type(self).__name__}(api_root={root!r}, rate_limit={self.rate_limit!r})"

    # -- configuration views ---------------------------------------------------------------

    @property
    def api_root(self) -> str | None:
        """The API root URL, or ``None`` while the codebase is not yet discovered."""
        return self._config.api_root

    @property
    def codebase(self) -> str | None:
        """The codebase in use (``v4_6_release/``), or ``None`` before discovery."""
        return self._config.codebase

    @property
    def max_retries(self) -> int:
        """How often a failed call is repeated (per call: ``max_retries=``)."""
        return self._config.max_retries

    @property
    def deadline(self) -> float | None:
        """Seconds one whole call may take, retries and waits included (``None``: no limit)."""
        return self._config.deadline

    @property
    def rate_limit(self) -> RateLimiter | None:
        """What paces this client's requests (a :class:`~cw_facade.RateGovernor` unless you
        passed your own :class:`~cw_facade.RateLimiter`; ``None``: no pacing)."""
        return self._config.limiter

    @property
    def max_response_bytes(self) -> int | None:
        """Largest response body read, compressed and decompressed (``None``: no limit)."""
        return self._config.max_response_bytes

    @property
    def page_size(self) -> int:
        """Records per page of the list methods unless ``pagesize`` is given."""
        return self._config.page_size

    @property
    def validate_conditions(self) -> bool:
        """Whether conditions strings are checked by the parser before sending."""
        return self._config.validate_conditions

    @property
    def api(self) -> Client:
        """The generated client (``cw_manage_client``) on this client's transport.

        Every operation of the description, typed, with this client's auth, codebase
        discovery, retries, timeouts, logging and exceptions::

            from cw_manage_client.api.slas import get_service_slas
            slas = get_service_slas.sync(client=cw.api, conditions='name contains "Gold"')

        A status that is not success raises the facade's exception (``ConnectWiseNotFoundError``
        and so on), never ``parsed=None``. Close this client, not ``api``.
        """
        if self._api is None:
            from cw_manage_client.client import Client

            api = Client(base_url=self._config.origin, raise_on_unexpected_status=True)
            self._api = api.set_async_httpx_client(self._http)
        return self._api

    # -- lifecycle -------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the connection pool (an injected ``http_client`` is left to its owner)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        """Use the client as a context manager; it closes on exit."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the client."""
        await self.aclose()

    # -- sending ---------------------------------------------------------------------------

    async def _call(
        self, args: Mapping[str, Any], max_retries: int | None = None
    ) -> httpx.Response:
        """Send one request built by a ``request_args``; raises for any non-success status."""
        self._config.retry_limit(max_retries)
        options = {CALL_OPTIONS: CallOptions(max_retries)} if max_retries is not None else None
        return await self._http.request(**args, extensions=options)

    async def _json(self, args: Mapping[str, Any], max_retries: int | None = None) -> Any:
        """The decoded JSON of a call (``None`` for no body)."""
        return decode(await self._call(args, max_retries))

    async def _found(
        self, args: Mapping[str, Any], max_retries: int | None = None
    ) -> httpx.Response | None:
        """The response of a lookup by id, or ``None`` when the record does not exist.

        Only ConnectWise's own 404 (a JSON error body) means "no such record"; a 404 without
        one (an HTML page, a proxy's "route not found") means the URL is not an API root.
        """
        try:
            return await self._call(args, max_retries)
        except ConnectWiseNotFoundError as exc:
            if exc.response is not None and json_error_body(exc.response) is None:
                raise ConnectWiseConfigurationError(
                    f"{exc.url} answered 404 without ConnectWise's JSON error: it does not look "
                    "like a ConnectWise API root (check base_url and codebase)"
                ) from exc
            return None

    async def _record(self, args: Mapping[str, Any]) -> dict[str, Any] | None:
        """The record a lookup by id answers, or ``None`` when it does not exist."""
        response = await self._found(args)
        return None if response is None else one_record(response)

    # -- raw methods -----------------------------------------------------------------------

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
        **params: _raw.ParamValue | None,
    ) -> Any:
        """GET ``endpoint`` and return its JSON; a 404 answers ``None``.

        Raises :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before
        sending) and for a 404 that is not ConnectWise's, and the API's errors otherwise.
        """
        query = _raw.query_params(
            conditions=conditions,
            fields=fields,
            order_by=order_by,
            page=page,
            pagesize=pagesize,
            validate=self._config.validate_conditions,
            extra=params,
        )
        args = _raw.request_args("GET", _raw.endpoint_path(endpoint), params=query)
        response = await self._found(args, max_retries)
        return None if response is None else decode(response)

    async def post(self, endpoint: str, data: Any, *, max_retries: int | None = None) -> Any:
        """POST ``data`` to ``endpoint`` and return the created object."""
        args = _raw.request_args("POST", _raw.endpoint_path(endpoint), json=data)
        return await self._json(args, max_retries)

    async def patch(
        self,
        endpoint: str,
        record_id: int | str,
        operations: list[dict[str, Any]],
        *,
        max_retries: int | None = None,
    ) -> Any:
        """PATCH record ``record_id`` of ``endpoint`` with JSON-patch ``operations``."""
        body = _raw.check_operations(operations)
        args = _raw.request_args("PATCH", _raw.record_path(endpoint, record_id), json=body)
        return await self._json(args, max_retries)

    async def put(
        self, endpoint: str, record_id: int | str, data: Any, *, max_retries: int | None = None
    ) -> Any:
        """PUT (replace) record ``record_id`` of ``endpoint`` with ``data``."""
        args = _raw.request_args("PUT", _raw.record_path(endpoint, record_id), json=data)
        return await self._json(args, max_retries)

    async def delete(
        self, endpoint: str, record_id: int | str, *, max_retries: int | None = None
    ) -> bool:
        """DELETE record ``record_id`` of ``endpoint``; ``True`` when done."""
        args = _raw.request_args("DELETE", _raw.record_path(endpoint, record_id))
        await self._call(args, max_retries)
        return True

    async def count(
        self,
        endpoint: str,
        *,
        conditions: object = None,
        max_retries: int | None = None,
        **params: _raw.ParamValue | None,
    ) -> int:
        """Number of records of ``endpoint`` matching ``conditions`` (``{endpoint}/count``)."""
        query = _raw.query_params(
            conditions=conditions, validate=self._config.validate_conditions, extra=params
        )
        path = _raw.endpoint_path(endpoint)
        args = _raw.request_args("GET", f"{path}/count", params=query)
        return await self._count(args, max_retries)

    async def _count(self, args: Mapping[str, Any], max_retries: int | None = None) -> int:
        """The ``count`` of a ``/count`` call."""
        response = await self._call(args, max_retries)
        data = decode(response)
        value = data.get("count") if isinstance(data, dict) else None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise response_error(response, "no integer 'count' in body")
        return value

    # -- paging ----------------------------------------------------------------------------

    def iter_all(
        self,
        endpoint: str,
        *,
        conditions: object = None,
        fields: str | Iterable[str] | None = None,
        order_by: str | None = None,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
        max_retries: int | None = None,
        **params: _raw.ParamValue | None,
    ) -> AsyncIterator[dict[str, Any]]:
        """Every record of ``endpoint``, fetched lazily one page at a time.

        Arguments are checked at once; requests start when iteration does. ``pagesize``
        records per page (1..1000, the client's ``page_size`` by default); ``limit`` stops
        after that many records. By default the scan is exact (forward-only paging, else an
        id-ordered scan; see the README's "Paging"): each record that exists for the whole
        scan comes once, whatever changes meanwhile. ``order_by`` or ``forward_only=False``
        page by page numbers instead (not exact under changes); ``forward_only=True`` insists
        on id order (refused with ``order_by``). The async client scans disjoint id ranges
        at once, up to ``concurrency`` requests, still in id order.

        Raises :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before
        sending), :class:`~cw_facade.ConnectWisePageLoopError` when pages do not advance, and
        the API's errors. Warns :class:`~cw_facade.ConnectWisePagingWarning` when an exact
        scan has to fall back to page numbers.
        """
        if {k.strip().lower() for k in params} & _PAGING_PARAMS:
            raise ConnectWiseConfigurationError("pass pagesize=/limit=, not page parameters")
        mode = paging_mode(forward_only, order_by)
        query = _raw.query_params(
            conditions=conditions,
            fields=fields,
            order_by=order_by,
            validate=self._config.validate_conditions,
            extra=params,
        )
        path = _raw.endpoint_path(endpoint)
        build = _raw.list_builder(path, query)
        count = _raw.count_builder(path, query)
        keyset = _raw.keyset_query(path, query) if mode != PAGES else None
        cursor = self._cursor(build, count, pagesize, limit, mode, max_retries, keyset)
        return _records(self._pages(cursor, max_retries))

    def _cursor(
        self,
        build: PageBuilder,
        count: CountBuilder | None,
        pagesize: int | None,
        limit: int | None,
        mode: str,
        max_retries: int | None,
        keyset: KeysetQuery | None = None,
    ) -> PageCursor:
        """Check paging arguments and build the cursor of a scan (nothing is sent)."""
        size = check_page_size(self._config.page_size if pagesize is None else pagesize)
        self._config.retry_limit(max_retries)
        return PageCursor(build, size, check_limit(limit), mode, count, keyset)

    def _pages(
        self, cursor: PageCursor, max_retries: int | None
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """Each non-empty page of a scan (several fetched at once where the async client can)."""
        # unasync: begin-remove
        if self.concurrency > 1 and cursor.count is not None and not cursor.done:
            from cw_facade._concurrent import iterate_pages

            return iterate_pages(self, cursor, max_retries)
        # unasync: end-remove
        return async_sequential(self, cursor, max_retries)

    async def _page(
        self, cursor: PageCursor, args: Mapping[str, Any], max_retries: int | None
    ) -> tuple[list[dict[str, Any]], httpx.Response]:
        """Fetch one page of ``cursor`` and let it advance."""
        response = await self._call(args, max_retries)
        return cursor_advance(cursor, response), response

    async def get_all(
        self,
        endpoint: str,
        *,
        conditions: object = None,
        fields: str | Iterable[str] | None = None,
        order_by: str | None = None,
        pagesize: int | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
        max_retries: int | None = None,
        **params: _raw.ParamValue | None,
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


async def _records(
    pages: AsyncIterator[list[dict[str, Any]]],
) -> AsyncIterator[dict[str, Any]]:
    """The records of ``pages``, one by one; closing this closes the paging too."""
    try:
        async for page in pages:
            for record in page:
                yield record
    finally:
        close = getattr(pages, "aclose", None)
        if close is not None:
            await close()
