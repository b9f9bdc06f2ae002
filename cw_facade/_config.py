"""The client's configuration, checked once, and what follows from it, I/O-free.

:class:`ClientConfig` holds what both clients were constructed with (credentials as
:class:`~cw_facade._secrets.SecretString`, where the API lives, timeouts, retry budget, page
size) and the one piece of state they learn: the codebase. It turns a request built against
the API's origin (``https://api-na.myconnectwise.net/service/tickets``, as the generated
operations build them) into the request sent for one attempt: on the API root, with
ConnectWise's headers. The transports (:mod:`cw_facade._async._http`) do the I/O.
"""

from __future__ import annotations

import base64
import ssl
from typing import Any

import httpx

from cw_facade._constants import (
    CONNECT_TIMEOUT,
    DEFAULT_API_VERSION,
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_PAGE_SIZE,
    DEFAULT_RATE_LIMIT,
    DEFAULT_TIMEOUT,
    MAX_PAGE_SIZE,
    MEDIA_TYPE,
    USER_AGENT,
)
from cw_facade._errors import ConnectWiseConfigurationError
from cw_facade._governor import RateLimiter, make_limiter
from cw_facade._retry import RateGate
from cw_facade._secrets import Redactor, SecretString
from cw_facade._urls import Endpoints, codebase_from, parse_base_url
from cw_facade._validation import check_header_value

#: Where every API path starts below the codebase.
_API_MARK = "apis/3.0/"


def require_text(name: str, value: object) -> str:
    """``value`` as a non-empty ``str`` that is safe in an HTTP header; else a config error."""
    if isinstance(value, SecretString):
        value = value.get_secret_value()
    if not isinstance(value, str) or not value.strip():
        raise ConnectWiseConfigurationError(f"{name} must be a non-empty string")
    if any(ch in value for ch in "\r\n\x00"):
        raise ConnectWiseConfigurationError(f"{name} must not contain line breaks")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise ConnectWiseConfigurationError(
            f"{name} must be Latin-1 text (it is sent in an HTTP header)"
        ) from None
    return value


def require_credential(name: str, value: object, *, ascii_only: bool = False) -> str:
    """A credential as text that is safe in an HTTP header; else a config error naming ``name``.

    Refuses what :func:`require_text` refuses, then what
    :func:`~cw_facade._validation.check_header_value` refuses (surrounding whitespace, control
    characters, characters a header cannot carry: ASCII for ``client_id``, which travels as a
    header of its own, Latin-1 for the rest, which travel base64-encoded in ``Authorization``).
    The message names the argument and never shows the value.
    """
    text = require_text(name, value)
    return check_header_value(name, text, highest=0x7F if ascii_only else 0xFF)


def check_limit_option(name: str, value: object, unit: str) -> Any:
    """A limit option: a positive number (``None``: no limit); else a configuration error."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ConnectWiseConfigurationError(
            f"{name} must be a positive number of {unit}, or None for no limit"
        )
    if value != value or value == float("inf"):
        raise ConnectWiseConfigurationError(f"{name} must be finite (None means no limit)")
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

    httpx applies it per phase (pool wait, connect, each write, each read); the transports
    also cap each attempt as a whole at the read timeout.
    """
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ConnectWiseConfigurationError("timeout must be a positive number of seconds")
    return httpx.Timeout(float(timeout), connect=min(CONNECT_TIMEOUT, float(timeout)))


def tls_setting(scheme: str) -> ssl.SSLContext | bool:
    """What the client's own httpx pool gets as ``verify=``.

    ``https`` sites: ``True`` (httpx's default, the CA bundle loaded). A plain ``http`` site
    (loopback, or ``allow_insecure_http``) never negotiates TLS, since the transport refuses
    every other origin and follows no redirect, so loading the CA bundle (~30 ms) would be
    wasted: it gets a client context with no trust anchors, which refuses any certificate.
    """
    if scheme == "https":
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class ClientConfig:
    """What a client was constructed with, and the codebase it uses; see the module docstring."""

    def __init__(
        self,
        base_url: str,
        client: str,
        username: str,
        password: str | SecretString,
        client_id: str,
        *,
        api_version: str = DEFAULT_API_VERSION,
        codebase: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        page_size: int = DEFAULT_PAGE_SIZE,
        validate_conditions: bool = True,
        allow_insecure_http: bool = False,
        log_bodies: bool = False,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        rate_limit: float | RateLimiter | None = DEFAULT_RATE_LIMIT,
    ) -> None:
        """Check and keep the configuration (nothing is sent here)."""
        self.company = require_credential("client", client)
        self._username = SecretString(require_credential("username", username))
        for name, text in (("client", self.company), ("username", self._username)):
            plain = text.get_secret_value() if isinstance(text, SecretString) else text
            if ":" in plain:
                raise ConnectWiseConfigurationError(
                    f"{name} contains ':', which would break the Authorization header"
                )
        self._password = SecretString(require_credential("password", password))
        self.client_id = require_credential("client_id", client_id, ascii_only=True)
        self.api_version = require_text("api_version", api_version)
        self.endpoints: Endpoints = parse_base_url(
            base_url, codebase=codebase, allow_insecure_http=allow_insecure_http
        )
        self.codebase_fixed = self.endpoints.codebase is not None
        self.codebase: str | None = self.endpoints.codebase
        self.timeout = make_timeout(timeout)
        #: Seconds one attempt may take from sending to the last byte (``None``: no cap).
        self.total_timeout: float | None = self.timeout.read
        #: Seconds one whole call may take, retries and waits included (``None``: no limit).
        self.deadline: float | None = check_limit_option("deadline", deadline, "seconds")
        if isinstance(max_response_bytes, float):
            raise ConnectWiseConfigurationError("max_response_bytes must be an integer")
        #: Largest response body, compressed and decompressed (``None``: no limit).
        self.max_response_bytes: int | None = check_limit_option(
            "max_response_bytes", max_response_bytes, "bytes"
        )
        self.max_retries = check_count("max_retries", max_retries, 0)
        self.page_size = check_count("page_size", page_size, 1, MAX_PAGE_SIZE)
        self.validate_conditions = bool(validate_conditions)
        self.log_bodies = bool(log_bodies)
        self.gate = RateGate()
        #: Paces every attempt (shared with clients derived from this one; ``None``: no pacing).
        self.limiter: RateLimiter | None = make_limiter(rate_limit)
        #: Masks this client's secrets in every error it raises (never pickled, never shown).
        self.redactor = Redactor.for_credentials(
            company=self.company,
            public_key=self._username,
            private_key=self._password,
            client_id=self.client_id,
        )

    def __repr__(self) -> str:
        """Where the client points; never credentials."""
        return f"ClientConfig(api_root={self.describe_root()!r})"

    # -- where the API lives ----------------------------------------------------------------

    @property
    def origin(self) -> str:
        """``scheme://api-host[:port]``: where every request of the client goes."""
        return f"{self.endpoints.scheme}://{self.endpoints.api_host}"

    @property
    def base_url(self) -> str:
        """What requests are built against: the API root, or :attr:`origin` before discovery."""
        return self.origin if self.codebase is None else self.endpoints.api_root(self.codebase)

    @property
    def api_root(self) -> str | None:
        """The API root URL, or ``None`` while the codebase is not yet discovered."""
        return None if self.codebase is None else self.endpoints.api_root(self.codebase)

    def describe_root(self) -> str:
        """The API root, with ``{codebase}/`` standing in for one not yet discovered."""
        return self.endpoints.api_root(self.codebase or "{codebase}/")

    def retry_limit(self, max_retries: int | None) -> int:
        """A per-call ``max_retries`` (checked), or the client's."""
        if max_retries is None:
            return self.max_retries
        return check_count("max_retries", max_retries, 0)

    # -- one attempt ------------------------------------------------------------------------

    def auth_headers(self) -> dict[str, str]:
        """``Authorization``, ``clientId``, the versioned ``Accept`` and ``User-Agent``."""
        raw = f"{self.company}+{self._username.get_secret_value()}:"
        token = base64.b64encode((raw + self._password.get_secret_value()).encode()).decode()
        return {
            "Authorization": f"Basic {token}",
            "clientId": self.client_id,
            "Accept": f"{MEDIA_TYPE}; version={self.api_version}",
            "User-Agent": USER_AGENT,
            # Only what the transport decompresses in bounded steps (max_response_bytes).
            "Accept-Encoding": "gzip, deflate",
        }

    def attempt(self, request: httpx.Request) -> httpx.Request:
        """The request to send for one attempt at ``request``: on the API root, authenticated.

        ``request`` is built against :attr:`origin` (paths relative to the API root) or is an
        absolute URL on the API root (a ``Link`` header's next page). Any other origin is
        refused, so credentials and ``clientId`` never leave the configured host.
        """
        if self.codebase is None:
            raise RuntimeError("codebase not resolved before an attempt")
        url = request.url
        if f"{url.scheme}://{url.netloc.decode('ascii')}" != self.origin:
            raise ConnectWiseConfigurationError(
                f"refusing to send a request to {url.scheme}://{url.host}: this client only "
                f"talks to {self.origin} (credentials never leave it)"
            )
        raw = url.raw_path
        path, question, query = raw.decode("ascii").partition("?")
        _, marked, rest = path.partition("/" + _API_MARK)
        relative = rest if marked else path.lstrip("/")
        target = f"/{self.codebase}{_API_MARK}{relative}{question}{query}".encode("ascii")
        headers = request.headers.copy()
        headers.update(self.auth_headers())
        return httpx.Request(
            request.method,
            url if target == raw else url.copy_with(raw_path=target),
            headers=headers,
            stream=request.stream,
            extensions=request.extensions,
        )

    def relative_path(self, url: httpx.URL) -> str:
        """The path of ``url`` below the API root (``service/tickets/5``), for messages."""
        path = url.path
        _, marked, rest = path.partition("/" + _API_MARK)
        return rest if marked else path.lstrip("/")

    # -- codebase discovery ----------------------------------------------------------------

    def discovery_request(self) -> httpx.Request:
        """``GET {site}/login/companyinfo/{company}`` (no credentials needed or sent)."""
        return httpx.Request(
            "GET",
            self.endpoints.companyinfo_url(self.company),
            headers={
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
                "Accept-Encoding": "gzip, deflate",
            },
            extensions={"timeout": self.timeout.as_dict()},
        )

    def apply_discovery(self, response: httpx.Response | None) -> bool:
        """Take the codebase from a companyinfo response (``None``: it failed); True if new."""
        found = codebase_from(response, self.company, self.endpoints.site_host)
        changed = found != self.codebase
        self.codebase = found
        return changed

    def http_options(self) -> dict[str, Any]:
        """Options of the httpx client a transport builds for itself."""
        return {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "verify": tls_setting(self.endpoints.scheme),
        }
