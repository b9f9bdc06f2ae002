"""The few primitives that really differ between the async and the blocking client.

Everything else is written once, as async code in :mod:`cw_facade._async`, and the blocking
copy in :mod:`cw_facade._sync` is generated from it (``scripts/unasync.py``), which renames
each async name here to its blocking twin: ``AsyncLock`` → ``Lock``, ``async_sleep`` →
``sleep``, ``async_receive`` → ``receive``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import httpx

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


async def async_receive(
    send: SendAsync, request: httpx.Request, total: float | None
) -> httpx.Response:
    """Send ``request`` and read the whole response within ``total`` seconds (``None``: any)."""
    import asyncio

    if total is None:
        return await send(request, False)
    try:
        async with asyncio.timeout(total):
            return await send(request, False)
    except TimeoutError as exc:
        raise httpx.ReadTimeout(_TOO_SLOW, request=request) from exc


def receive(send: Send, request: httpx.Request, total: float | None) -> httpx.Response:
    """Send ``request`` and read the whole response within ``total`` seconds (``None``: any).

    A blocking read cannot be interrupted, so the body is streamed and the clock checked
    after every chunk: a server trickling bytes is cut off at the deadline.
    """
    if total is None:
        return send(request, False)
    deadline = time.monotonic() + total
    response = send(request, True)
    if response.is_stream_consumed:  # mock transports and replayed cassettes
        return response
    chunks: list[bytes] = []
    try:
        for chunk in response.iter_raw():
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout(_TOO_SLOW, request=request)
    finally:
        response.close()
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        content=b"".join(chunks),
        request=response.request,
        extensions=response.extensions,
    )
