"""The async client's bounded concurrency for bundles and get-many (``bounded``)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from cw_facade._concurrent import bounded

pytestmark = pytest.mark.anyio


async def test_at_most_limit_jobs_run_at_once_results_in_order() -> None:
    running, most = 0, 0
    release = asyncio.Event()

    def job(value: int) -> Callable[[], Awaitable[int]]:
        async def run() -> int:
            nonlocal running, most
            running += 1
            most = max(most, running)
            if most >= 3:
                release.set()
            await release.wait()
            running -= 1
            return value

        return run

    assert await bounded(3, [job(n) for n in range(10)]) == list(range(10))
    assert most == 3


async def test_the_first_failure_cancels_the_rest() -> None:
    cancelled = []

    async def fails() -> int:
        raise LookupError("boom")

    async def waits() -> int:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
        return 0

    with pytest.raises(LookupError):
        await bounded(2, [waits, fails, waits])
    assert 1 <= len(cancelled) <= 2  # the third may have started before the failure
