"""Where a callback's signing key may come from, and fetching it within a deadline.

A callback names its own key URL (``Metadata.key_url``) and is not verified when that URL is
read, so the URL decides nothing by itself: :func:`check_key_url` accepts it only when

- its host is one of the receiver's own ConnectWise sites (``sites``: the ``base_url`` given to
  the client, or host names; a cloud site ``na.myconnectwise.net`` and its API host
  ``api-na.myconnectwise.net`` count as the same site), on the site's port (the default one
  unless the site names another);
- it is ``https`` (plain ``http`` only to a loopback host), with no user info or fragment;
- its path is ConnectWise's key path, ``/{codebase}/system/callbackkey/index.rails`` (double
  slashes tolerated, as real servers send them), and
- its ``companyName`` query parameter is the receiver's company (ignoring case).

The bundled simulator serves its key at ``/{codebase}apis/3.0/system/callbackSigningKey``
without ``companyName``; that path is accepted too, but only on a loopback host.

Anything else raises :class:`InvalidCallbackError` before any request. :func:`fetch_signing_key`
and :func:`fetch_signing_key_async` then GET the key with a whole-call deadline (``timeout``:
connecting, sending, waiting for headers and reading the body together, so a server that
trickles bytes cannot hold the call), read at most :data:`MAX_KEY_RESPONSE_BYTES`, decode
with a nesting limit and never follow redirects.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import threading
import time
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, Final, TypeVar
from urllib.parse import parse_qsl

import httpx

from cw_facade import _json
from cw_facade._errors import ConnectWiseError, ConnectWiseJSONDepthError

T = TypeVar("T")

#: Whole-call deadline for fetching a signing key (seconds).
KEY_FETCH_TIMEOUT: Final = 10.0
#: Largest signing-key response read (bytes, compressed and decompressed).
MAX_KEY_RESPONSE_BYTES: Final = 64 * 1024
#: Deepest JSON nesting accepted in a key response (it is one flat object).
MAX_KEY_JSON_DEPTH: Final = 4
#: ConnectWise's key path after the codebase (compared ignoring case).
KEY_PATH: Final = ("system", "callbackkey", "index.rails")
#: The simulator's key path after the codebase (loopback hosts only).
SIMULATOR_KEY_PATH: Final = ("apis", "3.0", "system", "callbacksigningkey")
#: Most path segments a codebase may have (``v4_6_release`` has one).
MAX_CODEBASE_SEGMENTS: Final = 3

_CODEBASE_SEGMENT = re.compile(r"[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*")
_CLOUD_DOMAIN = "myconnectwise.net"
_DEFAULT_PORTS = {"http": 80, "https": 443}
#: Ask for an uncompressed body: the key is tiny, and the size cap then bounds memory too.
_HEADERS = {"Accept": "application/json", "Accept-Encoding": "identity"}


class InvalidCallbackError(ConnectWiseError, ValueError):
    """A callback was refused: not a JSON object, or its signing key cannot be trusted or had.

    ``str(error)`` says why. A receiver answers such a callback with a 4xx and ignores it.
    """


def site_origins(sites: str | Iterable[str]) -> frozenset[tuple[str, int]]:
    """The ``(host, port)`` pairs a key may come from for the receiver's ``sites``.

    Each site is a URL (``https://na.myconnectwise.net``, the client's ``base_url``; a path is
    ignored) or a host with an optional port (``cw.example.com``, ``127.0.0.1:8080``); hosts
    without a port get the scheme's default (https: 443). A cloud site host also admits its API
    host and the other way round. Raises :class:`InvalidCallbackError` for no site or an
    unreadable one.
    """
    entries = [sites] if isinstance(sites, str) else list(sites)
    origins: set[tuple[str, int]] = set()
    for entry in entries:
        if not isinstance(entry, str) or not entry.strip():
            raise InvalidCallbackError(f"sites: not a site URL or host name: {entry!r}")
        text = entry.strip()
        url = _url(text if "://" in text else f"https://{text}", "sites")
        host, port = _origin(url)
        origins.update((name, port) for name in _same_site(host))
    if not origins:
        raise InvalidCallbackError("sites: name at least one ConnectWise site")
    return frozenset(origins)


def check_key_url(key_url: object, *, sites: str | Iterable[str], company: str) -> str:
    """``key_url`` stripped, if it may be fetched; see the module docstring for the rules.

    ``sites`` are the receiver's own ConnectWise sites (see :func:`site_origins`), ``company``
    its ConnectWise company id. Raises :class:`InvalidCallbackError` naming the rule broken;
    nothing is fetched here.
    """
    expected = _company(company)
    origins = site_origins(sites)
    if not isinstance(key_url, str) or not key_url.strip():
        raise InvalidCallbackError("the callback names no signing key URL")
    text = key_url.strip()
    url = _url(text, "the signing key URL")
    host, port = _origin(url)
    if url.scheme not in _DEFAULT_PORTS or (url.scheme == "http" and not _is_loopback(host)):
        raise InvalidCallbackError("the signing key URL must be https (http only to loopback)")
    if url.userinfo or url.fragment:
        raise InvalidCallbackError("the signing key URL must not carry user info or a fragment")
    if (host, port) not in origins:
        raise InvalidCallbackError(
            f"refusing to fetch a signing key from {host}:{port}, which is not the receiver's "
            "own ConnectWise site (pass it in sites= if it is)"
        )
    raw_path = url.raw_path.partition(b"?")[0].decode("ascii", "replace")
    simulator = _check_path(raw_path, loopback=_is_loopback(host))
    _check_company(url.query.decode("ascii", "replace"), expected, required=not simulator)
    return text


def fetch_signing_key(
    key_url: object,
    *,
    sites: str | Iterable[str],
    company: str,
    transport: httpx.BaseTransport | None = None,
    timeout: float = KEY_FETCH_TIMEOUT,
) -> str:
    """Fetch the signing key at ``key_url``, checked by :func:`check_key_url` first.

    ``timeout`` bounds the whole call. Without ``transport`` the request runs on a private
    event loop in a helper thread, so the deadline covers every phase (a trickled header
    cannot stretch it);
    with your own ``transport`` (a mock in tests) the deadline is checked as the body arrives.
    Raises :class:`InvalidCallbackError` for a refused URL, a transport failure or timeout,
    a non-200 answer (redirects are not followed), a body over
    :data:`MAX_KEY_RESPONSE_BYTES`, or one that is not ``{"signing_key": "<non-empty>"}``.
    """
    url = check_key_url(key_url, sites=sites, company=company)
    seconds = _check_timeout(timeout)
    if transport is None:
        return _run_on_private_loop(lambda: _fetch_async(url, None, seconds))
    deadline = time.monotonic() + seconds
    try:
        with (
            httpx.Client(transport=transport, timeout=seconds) as http,
            http.stream("GET", url, headers=_HEADERS) as response,
        ):
            body = _read_capped(response.iter_bytes(), deadline, seconds)
    except httpx.HTTPError as exc:
        raise _fetch_failed(exc, seconds) from exc
    return _signing_key_of(response.status_code, body)


async def fetch_signing_key_async(
    key_url: object,
    *,
    sites: str | Iterable[str],
    company: str,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = KEY_FETCH_TIMEOUT,
) -> str:
    """Async twin of :func:`fetch_signing_key`; ``timeout`` bounds the whole call."""
    url = check_key_url(key_url, sites=sites, company=company)
    return await _fetch_async(url, transport, _check_timeout(timeout))


async def _fetch_async(url: str, transport: httpx.AsyncBaseTransport | None, seconds: float) -> str:
    try:
        async with (
            asyncio.timeout(seconds),
            httpx.AsyncClient(transport=transport, timeout=seconds) as http,
            http.stream("GET", url, headers=_HEADERS) as response,
        ):
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                _check_size(size)
                chunks.append(chunk)
    except TimeoutError as exc:
        raise InvalidCallbackError(
            f"could not fetch the signing key within timeout={seconds:g} s"
        ) from exc
    except httpx.HTTPError as exc:
        raise _fetch_failed(exc, seconds) from exc
    return _signing_key_of(response.status_code, b"".join(chunks))


def _run_on_private_loop(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on a new event loop in a helper thread.

    The thread keeps the caller's own event loop state (a loop running in this thread, the
    main thread's SIGINT handler and current loop) untouched; the caller waits for it.
    """
    outcome: list[tuple[bool, Any]] = []

    def target() -> None:
        try:
            outcome.append((True, asyncio.run(make())))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append((False, exc))

    worker = threading.Thread(target=target, name="cw-facade-key-fetch", daemon=True)
    worker.start()
    worker.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def _read_capped(chunks: Iterable[bytes], deadline: float, seconds: float) -> bytes:
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        _check_size(size)
        parts.append(chunk)
        if time.monotonic() > deadline:
            raise InvalidCallbackError(
                f"could not fetch the signing key within timeout={seconds:g} s"
            )
    return b"".join(parts)


def _check_size(size: int) -> None:
    if size > MAX_KEY_RESPONSE_BYTES:
        raise InvalidCallbackError(
            f"the signing key response is larger than {MAX_KEY_RESPONSE_BYTES:,} bytes"
        )


def _check_timeout(timeout: object) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise InvalidCallbackError("timeout must be a positive number of seconds")
    return float(timeout)


def _fetch_failed(exc: httpx.HTTPError, seconds: float) -> InvalidCallbackError:
    if isinstance(exc, httpx.TimeoutException):
        return InvalidCallbackError(f"could not fetch the signing key within timeout={seconds:g} s")
    return InvalidCallbackError(f"could not fetch the signing key: {type(exc).__name__}")


def _signing_key_of(status: int, body: bytes) -> str:
    if status != httpx.codes.OK:
        raise InvalidCallbackError(f"the signing key URL answered HTTP {status}")
    try:
        data = _json.loads(body, max_depth=MAX_KEY_JSON_DEPTH)
    except (ValueError, ConnectWiseJSONDepthError) as exc:
        raise InvalidCallbackError("the signing key URL did not answer a JSON object") from exc
    key = data.get("signing_key") if isinstance(data, dict) else None
    if not isinstance(key, str) or not key:
        raise InvalidCallbackError("the signing key URL answered no signing_key")
    return key


def _url(text: str, what: str) -> httpx.URL:
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, ValueError) as exc:
        raise InvalidCallbackError(f"{what} is not a valid URL") from exc
    if not url.host:
        raise InvalidCallbackError(f"{what} has no host")
    return url


def _origin(url: httpx.URL) -> tuple[str, int]:
    host = url.raw_host.decode("ascii").lower().rstrip(".")
    port = url.port if url.port is not None else _DEFAULT_PORTS.get(url.scheme, 0)
    return host, port


def _same_site(host: str) -> tuple[str, ...]:
    """``host`` and its cloud counterpart (``na.…`` ↔ ``api-na.…``)."""
    region, _, domain = host.partition(".")
    if domain != _CLOUD_DOMAIN:
        return (host,)
    twin = region[4:] if region.startswith("api-") else f"api-{region}"
    return host, f"{twin}.{domain}"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_path(path: str, *, loopback: bool) -> bool:
    """Refuse any path but the key path; True when it is the simulator's (loopback) one.

    ``path`` is the raw (still percent-encoded) path, so an encoded ``/`` or ``.`` fails the
    segment pattern instead of being decoded into the path.
    """
    segments = [s for s in path.split("/") if s]
    folded = tuple(s.casefold() for s in segments)
    for tail, simulator in ((KEY_PATH, False), (SIMULATOR_KEY_PATH, True)):
        codebase = segments[: len(segments) - len(tail)]
        if folded[len(codebase) :] != tail or not 1 <= len(codebase) <= MAX_CODEBASE_SEGMENTS:
            continue
        if all(_CODEBASE_SEGMENT.fullmatch(s) for s in codebase):
            if simulator and not loopback:
                break
            return simulator
    raise InvalidCallbackError(
        f"the signing key URL is not on ConnectWise's key path /{{codebase}}/{'/'.join(KEY_PATH)}"
    )


def _company(company: object) -> str:
    if not isinstance(company, str) or not company.strip():
        raise InvalidCallbackError("company must be the receiver's ConnectWise company id")
    return company.strip().casefold()


def _check_company(query: str, expected: str, *, required: bool) -> None:
    names = [
        v for k, v in parse_qsl(query, keep_blank_values=True) if k.casefold() == "companyname"
    ]
    if len(names) > 1:
        raise InvalidCallbackError("the signing key URL names companyName more than once")
    if not names:
        if required:
            raise InvalidCallbackError("the signing key URL names no companyName")
        return
    if names[0].strip().casefold() != expected:
        raise InvalidCallbackError(
            f"the signing key URL is for company {names[0]!r}, not the receiver's {expected!r}"
        )
