"""The public client class (the async source of both twins)."""

from __future__ import annotations

from cw_facade._async._batch import AsyncBatchMixin
from cw_facade._async._toolkit import AsyncToolkitMixin


class AsyncConnectWiseClient(AsyncBatchMixin, AsyncToolkitMixin):
    """Client for the ConnectWise Manage REST API.

    ``base_url`` is a site (``https://na.myconnectwise.net``) or a full API root
    (``…/v4_6_release/apis/3.0``); ``client`` is the login company id, ``username`` and
    ``password`` the API member's public and private keys, ``client_id`` the integration's
    clientId GUID, ``ticket_defaults`` a :class:`~cw_facade.TicketDefaults`. Keyword options:
    ``api_version``, ``codebase`` (skips discovery), ``timeout`` (seconds or
    :class:`httpx.Timeout`), ``max_retries``, ``page_size``, ``validate_conditions``,
    ``allow_insecure_http``, ``log_bodies``, ``deadline`` (seconds one whole call may take,
    every attempt, retry delay and ``Retry-After`` wait included; default 120, ``None`` for no
    limit: past it a call raises :class:`~cw_facade.ConnectWiseDeadlineError`),
    ``max_response_bytes`` (largest response body, counted as received and once decompressed;
    default 256 MiB, ``None`` for no limit: over it a call raises
    :class:`~cw_facade.ConnectWiseResponseTooLargeError`), ``rate_limit`` (what paces every
    request of the client, shared by all its threads or tasks: requests per minute, default
    950, just under ConnectWise's ~1,000; a :class:`~cw_facade.RateLimiter` such as a
    :class:`~cw_facade.RateGovernor` shared with other clients; or ``None`` for no pacing,
    a 429 still holding the client for its ``Retry-After``), and either ``http_client`` (an
    httpx client you own and close) or ``transport`` (an httpx transport). The async client
    also takes ``concurrency`` (pages fetched at once by its scans). Every generated operation is
    reachable through :attr:`api`, on the same transport. Use the client as a context manager
    or close it.

    Raises :class:`~cw_facade.ConnectWiseConfigurationError` for missing, empty or unsafe
    credentials (line breaks, control characters, or characters an HTTP header cannot carry;
    the message names the argument, never the value), a bad ``base_url`` or option (a
    ``rate_limit`` that is not a positive finite number, a RateLimiter or ``None``), and
    ``http_client`` together with ``transport``; nothing is sent by the constructor.
    """

    # unasync: begin-remove
    async def close(self) -> None:
        """Close the connection pool (the same as :meth:`aclose`)."""
        await self.aclose()

    # unasync: end-remove
