"""Against the simulator over real HTTP: paging 5,000 tickets while 20 % of responses are
429/503/reset connections returns every ticket exactly once (sync, async, both paging modes).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._sync._client import ConnectWiseClient
from cw_facade.testing import ManageSimulator

pytestmark = pytest.mark.anyio

TICKETS = 5000
#: Generous budget: 0.2 ** 9 per page makes an exhausted budget practically impossible.
RETRIES = 8


@pytest.fixture(scope="module")
def sim() -> Iterator[ManageSimulator]:
    with ManageSimulator(tickets=TICKETS, fault_rate=0.2) as simulator:
        yield simulator


def _args(sim: ManageSimulator) -> tuple[str, str, str, str, str]:
    return (sim.base_url, sim.company, sim.public_key, sim.private_key, sim.client_id)


class _SkippingClock:
    """Waits take no real time but move the client's clock on (the delays themselves, retry
    and rate-limit pacing, are covered by the MockTransport tests)."""

    def __init__(self) -> None:
        self.skipped = 0.0

    def now(self) -> float:
        return time.monotonic() + self.skipped

    def sleep(self, seconds: float) -> None:
        self.skipped += seconds

    async def asleep(self, seconds: float) -> None:
        self.skipped += seconds


def _check(sim: ManageSimulator, ids: list[int], before: int) -> None:
    assert len(ids) == TICKETS
    assert len(set(ids)) == TICKETS
    statuses = Counter(r.status for r in sim.request_log[before:])
    kinds = [kind for kind in (429, 503, None) if statuses[kind]]
    assert len(kinds) >= 2
    faults = sum(statuses[kind] for kind in kinds)
    assert 0.05 < faults / sum(statuses.values()) < 0.45


@pytest.mark.parametrize("forward_only", [False, True])
def test_sync_paging_survives_faults(sim: ManageSimulator, forward_only: bool) -> None:
    before = len(sim.request_log)
    with ConnectWiseClient(*_args(sim), max_retries=RETRIES) as cw:
        clock = _SkippingClock()
        cw._http._now, cw._http._sleep = clock.now, clock.sleep  # type: ignore[method-assign]
        expected = cw.count("service/tickets")
        records = cw.get_all("service/tickets", pagesize=50, forward_only=forward_only)
    assert expected == TICKETS
    _check(sim, [r["id"] for r in records], before)


@pytest.mark.parametrize("forward_only", [False, True])
async def test_async_paging_survives_faults(sim: ManageSimulator, forward_only: bool) -> None:
    before = len(sim.request_log)
    async with AsyncConnectWiseClient(*_args(sim), max_retries=RETRIES, concurrency=6) as acw:
        clock = _SkippingClock()
        acw._http._now, acw._http._sleep = clock.now, clock.asleep  # type: ignore[method-assign]
        records: list[dict[str, Any]] = await acw.get_all(
            "service/tickets", pagesize=50, forward_only=forward_only
        )
    _check(sim, [r["id"] for r in records], before)
    if not forward_only:
        assert [r["id"] for r in records] == sorted(r["id"] for r in records)
