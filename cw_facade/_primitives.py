"""The few primitives that really differ between the async and the blocking client.

Everything else is written once, as async code in :mod:`cw_facade._async`, and the blocking
copy in :mod:`cw_facade._sync` is generated from it (``scripts/unasync.py``), which renames
each async name here to its blocking twin: ``AsyncLock`` → ``Lock``, ``async_sleep`` →
``sleep``, ``async_receive`` → ``receive``, ``async_bound_sockets`` →
``bound_sockets``.

Reading a response (``receive``) is where the two really differ. Both stream the body and
count it twice against ``max_bytes``: as it arrives (compressed) and as it is decompressed
(here, in steps of at most :data:`~cw_facade._constants.DECODE_CHUNK_BYTES`, so a gzip bomb
never inflates more than one step past the cap). Both bound an attempt as a whole:

- async: :func:`asyncio.timeout` around sending and reading cancels whatever phase is
  waiting (connecting, the headers, an endless ``100 Continue``, the body).
- blocking: a read cannot be cancelled, so the client's own transport gets a network backend
  (:class:`_DeadlineBackend`) that gives every socket operation (connect, TLS, each write,
  each read) at most the time left before the attempt's deadline, and fails the operation
  once none is left: a server trickling its headers or sending ``100 Continue`` forever is cut
  off at the deadline, whatever the per-read timeout. The deadline travels in a context
  variable that ``receive`` sets for the duration of one attempt. With a caller's own
  ``http_client`` (or a transport that is not an :class:`httpx.HTTPTransport`) only the body
  is bounded, checked after every chunk.
"""

from __future__ import annotations

import contextvars
import ssl
import threading
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType
from typing import Any

import httpcore
import httpx

from cw_facade._constants import DECODE_CHUNK_BYTES
from cw_facade._errors import ConnectWiseResponseTooLargeError

#: Sends one request; ``stream=True`` returns before the body is read.
SendAsync = Callable[[httpx.Request, bool], Awaitable[httpx.Response]]
Send = Callable[[httpx.Request, bool], httpx.Response]

_TOO_SLOW = "the response took longer than the timeout"


async def async_sleep(seconds: float) -> None:
    """Wait ``seconds`` without blocking the event loop."""
    import asyncio  # the blocking client never loads asyncio

    await asyncio.sleep(seconds)


def sleep(seconds: float) -> None:
    """Wait ``seconds``."""
    time.sleep(seconds)


class AsyncLock:
    """An :class:`asyncio.Lock` made on first use in the running loop.

    A client may outlive one event loop (``asyncio.run`` twice); a lock made in another loop
    would refuse to work there, so a new loop gets a new lock.
    """

    __slots__ = ("_lock", "_loop")

    def __init__(self) -> None:
        """No lock until the first ``async with``."""
        self._lock: Any = None
        self._loop: object = None

    async def __aenter__(self) -> None:
        """Acquire the lock of the running loop."""
        import asyncio

        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop = asyncio.Lock(), loop
        await self._lock.acquire()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Release it."""
        if self._lock is not None:
            self._lock.release()


class Lock:
    """A :class:`threading.Lock` with the same ``with`` use as :class:`AsyncLock`."""

    __slots__ = ("_lock",)

    def __init__(self) -> None:
        """An unlocked lock."""
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        """Acquire it."""
        self._lock.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Release it."""
        self._lock.release()


class BodyReader:
    """Collects a response body chunk by chunk, decompressing it and enforcing ``max_bytes``.

    ``feed`` takes the bytes as received; ``body`` returns the decoded body. Both the received
    and the decoded byte counts are held to ``max_bytes`` (``None``: no cap), raising
    :class:`~cw_facade.ConnectWiseResponseTooLargeError` (without the request; the transport
    adds it) as soon as either passes it. ``gzip``/``deflate`` (what the client asks for) are
    decoded here in bounded steps; any other encoding is decoded by httpx.
    """

    __slots__ = ("_decoder", "_max", "_parts", "_received", "_size", "_zlib")

    def __init__(self, response: httpx.Response, max_bytes: int | None) -> None:
        """A reader for the body of ``response``."""
        self._max = max_bytes
        self._received = 0
        self._size = 0
        self._parts: list[bytes] = []
        encoding = response.headers.get("content-encoding", "").strip().lower()
        self._zlib: Any = None
        self._decoder: Any = None
        if encoding in {"gzip", "x-gzip"}:
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = _DeflateStart()
        elif encoding not in {"", "identity"}:
            self._decoder = response._get_content_decoder()

    def feed(self, raw: bytes) -> None:
        """Take ``raw`` bytes as received."""
        self._received += len(raw)
        self._check(self._received)
        if self._zlib is not None:
            self._inflate(raw)
        elif self._decoder is not None:
            self._keep(self._decoder.decode(raw))
        else:
            self._keep(raw)

    def body(self) -> bytes:
        """The whole decoded body (call after the last ``feed``)."""
        if self._decoder is not None:
            self._keep(self._decoder.flush())
        elif self._zlib is not None:
            self._keep(self._zlib.flush())
        return b"".join(self._parts)

    def _inflate(self, data: bytes) -> None:
        while data:
            if isinstance(self._zlib, _DeflateStart):
                self._zlib = self._zlib.choose(data)
            try:
                self._keep(self._zlib.decompress(data, DECODE_CHUNK_BYTES))
            except zlib.error as exc:
                raise httpx.DecodingError(f"cannot decompress the body: {exc}") from None
            data = self._zlib.unconsumed_tail
            if self._zlib.eof and self._zlib.unused_data:  # a further gzip member
                data = self._zlib.unused_data
                self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def _keep(self, part: bytes) -> None:
        if part:
            self._size += len(part)
            self._check(self._size)
            self._parts.append(part)

    def _check(self, count: int) -> None:
        if self._max is not None and count > self._max:
            self._parts.clear()
            raise ConnectWiseResponseTooLargeError(limit=self._max, found=count)


class _DeflateStart:
    """``deflate`` is zlib-wrapped by the standard but raw from some servers: pick on sight."""

    def choose(self, data: bytes) -> Any:
        wrapped = len(data) >= 2 and (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)


def _rebuilt(response: httpx.Response, body: bytes) -> httpx.Response:
    """A read response with the decoded ``body`` (its encoding headers removed)."""
    headers = response.headers.copy()
    for name in ("content-encoding", "content-length", "transfer-encoding"):
        headers.pop(name, None)
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=body,
        request=response.request,
        extensions=response.extensions,
    )


def _check_read(response: httpx.Response, max_bytes: int | None) -> httpx.Response:
    """A response a mock transport or cassette gave already read, held to ``max_bytes``."""
    if max_bytes is not None and len(response.content) > max_bytes:
        raise ConnectWiseResponseTooLargeError(limit=max_bytes, found=len(response.content))
    return response


async def async_receive(
    send: SendAsync, request: httpx.Request, total: float | None, max_bytes: int | None = None
) -> httpx.Response:
    """Send ``request`` and read the whole response within ``total`` seconds (``None``: any).

    The body is streamed and held to ``max_bytes`` (see :class:`BodyReader`). Raises
    :class:`httpx.ReadTimeout` when ``total`` runs out, whatever phase was waiting.
    """
    import asyncio

    async def exchange() -> httpx.Response:
        response = await send(request, True)
        if response.is_stream_consumed:  # mock transports and replayed cassettes
            return _check_read(response, max_bytes)
        reader = BodyReader(response, max_bytes)
        try:
            async for chunk in response.aiter_raw():
                reader.feed(chunk)
        finally:
            await response.aclose()
        return _rebuilt(response, reader.body())

    if total is None:
        return await exchange()
    if total <= 0:
        raise httpx.ReadTimeout(_TOO_SLOW, request=request)
    try:
        async with asyncio.timeout(total):
            return await exchange()
    except TimeoutError as exc:
        raise httpx.ReadTimeout(_TOO_SLOW, request=request) from exc


def receive(
    send: Send, request: httpx.Request, total: float | None, max_bytes: int | None = None
) -> httpx.Response:
    """Send ``request`` and read the whole response within ``total`` seconds (``None``: any).

    A blocking read cannot be interrupted: the client's own transport bounds every socket
    operation by the deadline (see the module docstring), and the clock is also checked after
    every chunk of the body, which bounds a caller's ``http_client`` too. The body is held to
    ``max_bytes`` (see :class:`BodyReader`).
    """
    deadline = None if total is None else time.monotonic() + total
    if total is not None and total <= 0:
        raise httpx.ReadTimeout(_TOO_SLOW, request=request)
    token = _DEADLINE.set(deadline)
    try:
        response = send(request, True)
        if response.is_stream_consumed:  # mock transports and replayed cassettes
            return _check_read(response, max_bytes)
        reader = BodyReader(response, max_bytes)
        try:
            for chunk in response.iter_raw():
                reader.feed(chunk)
                if deadline is not None and time.monotonic() > deadline:
                    raise httpx.ReadTimeout(_TOO_SLOW, request=request)
        finally:
            response.close()
        return _rebuilt(response, reader.body())
    finally:
        _DEADLINE.reset(token)


# -- the blocking client's socket-level deadline ------------------------------------------

#: The monotonic time by which the current attempt must be done (``None``: no deadline).
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "cw_facade_deadline", default=None
)


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` shortened to the time left before the attempt's deadline."""
    end = _DEADLINE.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise error(_TOO_SLOW)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every operation ends by the attempt's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """Opens :class:`_DeadlineStream` connections through another backend."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, bounded, local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def async_bound_sockets(*transports: httpx.AsyncBaseTransport | None) -> None:
    """Nothing to do for the async client: :func:`asyncio.timeout` bounds every phase."""


def bound_sockets(*transports: httpx.BaseTransport | None) -> None:
    """Give the sockets of ``transports`` the attempt's deadline (see the module docstring).

    Called on the blocking client's own transport and its proxy mounts once httpx has built
    them (so proxies from the environment still apply); an :class:`httpx.HTTPTransport`
    passed as ``transport=`` gets it too. Any other transport is left as it is: only its body
    is bounded, see :func:`receive`.
    """
    for transport in transports:
        if not isinstance(transport, httpx.HTTPTransport):
            continue
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, httpcore.NetworkBackend) and not isinstance(
            backend, _DeadlineBackend
        ):
            pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]
