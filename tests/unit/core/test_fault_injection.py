"""Paging 5,000 records while about 20 % of responses fail transiently returns each record once."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import httpx
import pytest

from .conftest import Server, pages_handler, respond
from .test_paging import forward_handler

pytestmark = pytest.mark.anyio

TOTAL = 5000
FAULT_RATE = 0.2


def flaky(inner: Any) -> tuple[Server, Counter[str]]:
    """Wrap ``inner``: each (request, attempt) fails with FAULT_RATE, at most 3 times in a row."""
    attempts: Counter[str] = Counter()
    faults: Counter[str] = Counter()

    def handler(request: httpx.Request) -> httpx.Response | Exception:
        key = f"{request.url.path}?{request.url.query.decode()}"
        attempt = attempts[key]
        attempts[key] += 1
        draw = random.Random(f"{key}#{attempt}")
        if attempt < 3 and draw.random() < FAULT_RATE:
            kind = draw.choice(["429", "503", "reset"])
            faults[kind] += 1
            if kind == "429":
                return respond(429, headers={"Retry-After": "1"})
            if kind == "503":
                return respond(503, text="<html>unavailable</html>")
            return httpx.ReadError("connection reset by peer")
        return inner(request)

    return Server(handler), faults


@pytest.mark.parametrize("forward_only", [False, True])
async def test_every_record_exactly_once_despite_faults(make: Any, forward_only: bool) -> None:
    records = [{"id": i} for i in range(1, TOTAL + 1)]
    inner = forward_handler(records) if forward_only else pages_handler(records)
    server, faults = flaky(inner)
    twin = make(server, max_retries=3, page_size=50)
    got = await twin.collect("service/tickets", forward_only=forward_only)
    assert [r["id"] for r in got] == list(range(1, TOTAL + 1))
    assert set(faults) == {"429", "503", "reset"}
    failures = sum(faults.values())
    assert 0.1 < failures / len(server.requests) < 0.35
    assert len(twin.clock.sleeps) >= failures
