"""The I/O-free core shared by :class:`ConnectWiseClient` and :class:`AsyncConnectWiseClient`.

It validates configuration, builds :class:`httpx.Request` objects from
:class:`~cw_facade._request.APIRequest`, maps responses to results or exceptions, decides
retries and their delays, and parses codebase discovery. The twins only send and sleep.
"""

from __future__ import annotations

import base64
import json
import logging
import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpx

from cw_facade import _raw, _responses, _retry
from cw_facade._constants import (
    CONNECT_TIMEOUT,
    DEFAULT_API_VERSION,
    DEFAULT_MAX_RETRIES,
    DEFAULT_PAGE_SIZE,
    DEFAULT_TIMEOUT,
    LOGGER_NAME,
    MAX_PAGE_SIZE,
    MEDIA_TYPE,
)
from cw_facade._errors import (
    ConnectWiseConfigurationError,
    ConnectWiseResponseError,
)
from cw_facade._paging import PageCursor, check_limit, check_page_size
from cw_facade._request import APIRequest, ParamValue
from cw_facade._secrets import SecretString
from cw_facade._urls import Endpoints, codebase_from, parse_base_url

logger = logging.getLogger(LOGGER_NAME)

_USER_AGENT = "cw-facade"
_PAGING_PARAMS = frozenset({"page", "pagesize", "pageid"})


def _require_text(name: str, value: object) -> str:
    if isinstance(value, SecretString):
        value = value.get_secret_value()
    if not isinstance(value, str) or not value.strip():
        raise ConnectWiseConfigurationError(f"{name} must be a non-empty string")
    return value


def check_count(name: str, value: object, low: int, high: int | None = None) -> int:
    """Return ``value`` if it is an int in ``low..high``; else a configuration error."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ConnectWiseConfigurationError(f"{name} must be an integer >= {low}")
    if high is not None and value > high:
        raise ConnectWiseConfigurationError(f"{name} must be at most {high}")
    return value


def make_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    """``timeout`` seconds become an httpx timeout with the connect limit applied.

    httpx applies it per phase (pool wait, connect, each write, each read); the clients also
    cap each attempt as a whole (see :func:`total_timeout`).
    """
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ConnectWiseConfigurationError("timeout must be a positive number of seconds")
    return httpx.Timeout(float(timeout), connect=min(CONNECT_TIMEOUT, float(timeout)))


def total_timeout(timeout: httpx.Timeout) -> float | None:
    """Seconds one attempt may take from sending to the last byte (``None``: no cap).

    httpx's timeouts apply per phase, so a server that trickles a byte within every read
    timeout could stretch a call indefinitely; the clients cap each attempt at the read
    timeout as a whole as well.
    """
    return timeout.read


def tls_setting(scheme: str) -> ssl.SSLContext | bool:
    """What the client's own httpx pool gets as ``verify=``.

    ``https`` sites: ``True`` (httpx's default, the CA bundle loaded). A plain ``http`` site
    (``allow_insecure_http``) never negotiates TLS, since every URL the client builds stays on
    that site and redirects are not followed, so loading the CA bundle (~30 ms) would be wasted:
    it gets a client context with no trust anchors, which refuses any certificate.
    """
    if scheme == "https":
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class ClientCore:
    """Configuration and pure request/response logic; see the module docstring."""

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
    ) -> None:
        """Validate and store the configuration (nothing is sent here)."""
        self._client = _require_text("client", client)
        self._username = SecretString(_require_text("username", username))
        self._password = SecretString(_require_text("password", password))
        self._client_id = _require_text("client_id", client_id)
        self._api_version = _require_text("api_version", api_version)
        self._endpoints: Endpoints = parse_base_url(
            base_url, codebase=codebase, allow_insecure_http=allow_insecure_http
        )
        self._codebase_fixed = self._endpoints.codebase is not None
        self._codebase: str | None = self._endpoints.codebase
        self._timeout = make_timeout(timeout)
        self._total_timeout = total_timeout(self._timeout)
        self.max_retries = check_count("max_retries", max_retries, 0)
        self.page_size = check_count("page_size", page_size, 1, MAX_PAGE_SIZE)
        self.validate_conditions = bool(validate_conditions)
        self.log_bodies = bool(log_bodies)
        self.ticket_defaults = ticket_defaults
        self._not_before = 0.0

    def __repr__(self) -> str:
        """Class name and where it points; never credentials."""
        where = self._endpoints.api_root(self._codebase or "{codebase}/")
        return f"{type(self).__name__}(api_root={where!r})"

    # -- configuration views -------------------------------------------------------------

    @property
    def api_root(self) -> str | None:
        """The API root URL, or ``None`` while the codebase is not yet discovered."""
        return None if self._codebase is None else self._endpoints.api_root(self._codebase)

    @property
    def codebase(self) -> str | None:
        """The codebase in use (``v4_6_release/``), or ``None`` before discovery."""
        return self._codebase

    def _retry_limit(self, max_retries: int | None) -> int:
        if max_retries is None:
            return self.max_retries
        return check_count("max_retries", max_retries, 0)

    # -- building requests ----------------------------------------------------------------

    def _auth_headers(self) -> dict[str, str]:
        raw = f"{self._client}+{self._username.get_secret_value()}:"
        token = base64.b64encode((raw + self._password.get_secret_value()).encode()).decode()
        return {
            "Authorization": f"Basic {token}",
            "clientId": self._client_id,
            "Accept": f"{MEDIA_TYPE}; version={self._api_version}",
            "User-Agent": _USER_AGENT,
        }

    def _http_options(self, http_client: object, transport: object) -> dict[str, Any]:
        """Options for the httpx client the twin builds when none is injected.

        Refuses an injected client together with a transport, and records whether the twin
        owns (and so closes) its httpx client.
        """
        if http_client is not None and transport is not None:
            raise ConnectWiseConfigurationError("pass http_client or transport, not both")
        self._owns_http = http_client is None
        verify = tls_setting(self._endpoints.scheme)
        return {"transport": transport, "timeout": self._timeout, "verify": verify}

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, request: APIRequest
    ) -> httpx.Request:
        if self._codebase is None:
            raise RuntimeError("codebase not resolved before building a request")
        url = self._endpoints.api_root(self._codebase) + request.path.lstrip("/")
        headers = {**self._auth_headers(), **request.headers}
        params = {k: _param_text(v) for k, v in request.params.items()}
        return http.build_request(
            request.method.upper(),
            url,
            params=params,
            json=request.json,
            headers=headers,
            timeout=self._timeout,
        )

    def _discovery_request(self, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        url = self._endpoints.companyinfo_url(self._client)
        headers = {"Accept": "application/json", "User-Agent": _USER_AGENT}
        return http.build_request("GET", url, headers=headers, timeout=self._timeout)

    # -- codebase discovery ---------------------------------------------------------------

    def _apply_discovery(self, response: httpx.Response | None) -> bool:
        """Set the codebase from a companyinfo response (``None``: it failed); True if changed."""
        found = codebase_from(response, self._client, self._endpoints.site_host)
        changed = found != self._codebase
        self._codebase = found
        site = self._endpoints.site_host
        if response is None or response.status_code != 200:
            logger.warning("codebase discovery at %s failed; using %s", site, found)
        else:
            logger.debug("codebase %s (discovered from %s)", found, site)
        return changed

    def _may_rediscover(self, response: httpx.Response) -> bool:
        """A 404 that is not a ConnectWise JSON error, with a codebase we discovered ourselves."""
        if self._codebase_fixed or response.status_code != 404:
            return False
        return _responses.json_error_body(response) is None

    # -- responses (see cw_facade._responses) ---------------------------------------------

    _decode = staticmethod(_responses.decode)
    _api_error = staticmethod(_responses.api_error)
    _response_error = staticmethod(_responses.response_error)
    _transport_error = staticmethod(_responses.transport_error)

    # -- counts and paging -----------------------------------------------------------------

    def _count_request(
        self, endpoint: str, conditions: object, params: dict[str, ParamValue | None]
    ) -> APIRequest:
        query = _raw.query_params(
            conditions=conditions, validate=self.validate_conditions, extra=params
        )
        return APIRequest("GET", f"{_raw.endpoint_path(endpoint)}/count", params=query)

    def _count_value(
        self, request: APIRequest, response: httpx.Response, data: Any, retries: int
    ) -> int:
        value = data.get("count") if isinstance(data, dict) else None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self._response_error(request, response, retries, "no integer 'count' in body")
        return value

    def _cursor(
        self,
        endpoint: str,
        conditions: object,
        fields: str | Iterable[str] | None,
        order_by: str | None,
        pagesize: int | None,
        limit: int | None,
        forward_only: bool,
        params: dict[str, ParamValue | None],
    ) -> PageCursor:
        """Check paging arguments and build the cursor of a scan (nothing is sent)."""
        if forward_only and order_by:
            raise ConnectWiseConfigurationError("forward_only paging cannot use order_by")
        if {k.lower() for k in params} & _PAGING_PARAMS:
            raise ConnectWiseConfigurationError("pass pagesize=/limit=, not page parameters")
        size = check_page_size(self.page_size if pagesize is None else pagesize)
        query = _raw.query_params(
            conditions=conditions,
            fields=fields,
            order_by=order_by,
            validate=self.validate_conditions,
            extra=params,
        )
        path = _raw.endpoint_path(endpoint)
        return PageCursor(path, query, size, check_limit(limit), bool(forward_only))

    def _page_error(
        self, request: APIRequest, response: httpx.Response, retries: int, problem: Exception
    ) -> ConnectWiseResponseError:
        return self._response_error(request, response, retries, str(problem))

    # -- retries --------------------------------------------------------------------------

    def _should_retry(
        self,
        request: APIRequest,
        outcome: httpx.Response | Exception,
        retries: int,
        max_retries: int,
    ) -> bool:
        """Whether to repeat ``request`` after ``outcome`` with ``retries`` already taken."""
        if retries >= max_retries:
            return False
        if isinstance(outcome, httpx.Response):
            return _retry.response_is_retryable(request, outcome)
        return _retry.exception_is_retryable(request, outcome)

    def _retry_delay(self, retries: int, response: httpx.Response | None) -> float:
        """Seconds to wait before the retry following ``retries`` earlier ones."""
        return _retry.retry_delay(retries, response)

    def _plan_retry(
        self,
        request: APIRequest,
        outcome: httpx.Response | Exception,
        retries: int,
        max_retries: int,
    ) -> float | None:
        """The delay before retrying, or ``None`` to give up; logs and gates 429s."""
        if not self._should_retry(request, outcome, retries, max_retries):
            return None
        response = outcome if isinstance(outcome, httpx.Response) else None
        delay = self._retry_delay(retries, response)
        reason = f"status {response.status_code}" if response else type(outcome).__name__
        if response is not None and response.status_code == 429:
            self._not_before = max(self._not_before, self._now() + delay)
        logger.warning(
            "retrying %s %s after %s in %.2f s (retry %d of %d)",
            request.method.upper(),
            request.path.lstrip("/"),
            reason,
            delay,
            retries + 1,
            max_retries,
        )
        return delay

    def _now(self) -> float:
        """Monotonic clock in seconds (tests replace this together with ``_sleep``)."""
        return time.monotonic()

    def _gate_delay(self) -> float:
        """Seconds every request must still wait since the last 429 (shared by all callers)."""
        return max(0.0, self._not_before - self._now())

    # -- logging --------------------------------------------------------------------------

    def _log_exchange(
        self, request: APIRequest, response: httpx.Response, started: float, retries: int
    ) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        elapsed = (self._now() - started) * 1000.0
        logger.debug(
            "%s %s -> %d in %.0f ms (retries %d)",
            request.method.upper(),
            request.path.lstrip("/"),
            response.status_code,
            elapsed,
            retries,
        )
        if self.log_bodies:  # opt-in: bodies may hold personal data, never credentials
            logger.debug("request body: %s", json.dumps(request.json, default=str))
            logger.debug("response body: %s", response.text)

    def _log_failure(
        self, request: APIRequest, exc: Exception, started: float, retries: int
    ) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s after %.0f ms (retries %d)",
                request.method.upper(),
                request.path.lstrip("/"),
                type(exc).__name__,
                (self._now() - started) * 1000.0,
                retries,
            )


def _param_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
