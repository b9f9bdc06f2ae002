"""Retry rules, delays, budgets and logging, on both clients (time is pinned)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from cw_facade._constants import BACKOFF_BASE, BACKOFF_JITTER, BACKOFF_MAX, RETRY_AFTER_CAP
from cw_facade._errors import (
    ConnectWiseConnectionError,
    ConnectWiseRateLimitError,
    ConnectWiseServerError,
    ConnectWiseTimeoutError,
)
from cw_facade._retry import backoff_delay, parse_retry_after

from .conftest import cw_error, respond, scripted

pytestmark = pytest.mark.anyio


def transient(kind: str) -> httpx.Response | Exception:
    """One transient failure of the given kind."""
    request = httpx.Request("GET", "https://cw.example.com/")
    return {
        "429": lambda: respond(429, headers={"Retry-After": "2"}),
        "502": lambda: respond(502, text="<html></html>"),
        "503": lambda: respond(503),
        "504": lambda: respond(504),
        "500-timeout": lambda: cw_error(500, "ConnectWiseApi", "Request Timeout expired"),
        "connect": lambda: httpx.ConnectError("refused", request=request),
        "read-timeout": lambda: httpx.ReadTimeout("slow", request=request),
        "reset": lambda: httpx.ReadError("connection reset", request=request),
    }[kind]()


KINDS = ["429", "502", "503", "504", "500-timeout", "connect", "read-timeout", "reset"]


@pytest.mark.parametrize("failures", [1, 2, 3])
@pytest.mark.parametrize("failure", KINDS)
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_idempotent_calls_retry_until_success(
    make: Any, method: str, failure: str, failures: int
) -> None:
    server = scripted(*[transient(failure) for _ in range(failures)], respond(200, {"id": 1}))
    twin = make(server, max_retries=3)
    call = {
        "GET": ("get", "service/tickets/1"),
        "PUT": ("put", "service/tickets", 1, {"id": 1}),
        "DELETE": ("delete", "service/tickets", 1),
    }[method]
    result = await twin.call(*call)
    assert result == ({"id": 1} if method != "DELETE" else True)
    assert len(server.requests) == failures + 1
    assert len(twin.clock.sleeps) == failures


@pytest.mark.parametrize("failure", ["502", "503", "504", "500-timeout", "read-timeout", "reset"])
@pytest.mark.parametrize("method", ["post", "patch"])
async def test_unsafe_writes_are_not_retried_when_the_server_may_have_acted(
    make: Any, method: str, failure: str
) -> None:
    server = scripted(transient(failure))
    twin = make(server, max_retries=3)
    args = (
        ("service/tickets", {"summary": "x"})
        if method == "post"
        else ("service/tickets", 1, [{"op": "replace", "path": "summary", "value": "x"}])
    )
    with pytest.raises((ConnectWiseServerError, ConnectWiseConnectionError)) as info:
        await twin.call(method, *args)
    assert len(server.requests) == 1
    assert info.value.retries_taken == 0
    assert twin.clock.sleeps == []


@pytest.mark.parametrize("failure", ["429", "connect"])
@pytest.mark.parametrize("method", ["post", "patch"])
async def test_unsafe_writes_retry_when_the_server_certainly_did_not_act(
    make: Any, method: str, failure: str
) -> None:
    server = scripted(transient(failure), respond(201, {"id": 9}))
    twin = make(server)
    args = (
        ("service/tickets", {"summary": "x"})
        if method == "post"
        else ("service/tickets", 1, [{"op": "replace", "path": "summary", "value": "x"}])
    )
    assert await twin.call(method, *args) == {"id": 9}
    assert len(server.requests) == 2


async def test_plain_500_is_not_retried(make: Any) -> None:
    server = scripted(cw_error(500, "ConnectWiseApi", "NullReferenceException"))
    with pytest.raises(ConnectWiseServerError):
        await make(server).call("get", "service/tickets")
    assert len(server.requests) == 1


async def test_budget_exhausted_raises_with_retries_taken(make: Any) -> None:
    server = scripted(*[respond(503) for _ in range(3)])
    twin = make(server, max_retries=2)
    with pytest.raises(ConnectWiseServerError) as info:
        await twin.call("get", "service/tickets")
    assert info.value.retries_taken == 2
    assert len(server.requests) == 3


async def test_per_call_max_retries_overrides_client(make: Any) -> None:
    server = scripted(respond(503), respond(503))
    twin = make(server, max_retries=5)
    with pytest.raises(ConnectWiseServerError) as info:
        await twin.call("get", "service/tickets", max_retries=1)
    assert info.value.retries_taken == 1
    assert len(server.requests) == 2


async def test_zero_retries(make: Any) -> None:
    server = scripted(transient("connect"))
    with pytest.raises(ConnectWiseConnectionError) as info:
        await make(server, max_retries=0).call("get", "service/tickets")
    assert not isinstance(info.value, ConnectWiseTimeoutError)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert info.value.retries_taken == 0


async def test_timeout_error_chains_cause(make: Any) -> None:
    server = scripted(transient("read-timeout"), transient("read-timeout"))
    with pytest.raises(ConnectWiseTimeoutError) as info:
        await make(server, max_retries=1).call("get", "service/tickets")
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert info.value.retries_taken == 1
    assert str(info.value) == "timed out: slow [GET /service/tickets]"


def _http_date(seconds_from_now: float) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds_from_now), usegmt=True)


@pytest.mark.parametrize(
    ("header", "low", "high"),
    [
        (lambda: "3", 3.0, 3.0),
        (lambda: "0.5", 0.5, 0.5),
        (lambda: "0", 0.0, 0.0),
        (lambda: _http_date(20), 15.0, 20.0),
        (lambda: _http_date(-30), 0.0, 0.0),
        (lambda: str(int(RETRY_AFTER_CAP)), RETRY_AFTER_CAP, RETRY_AFTER_CAP),
    ],
)
async def test_retry_after_is_honoured(make: Any, header: Any, low: float, high: float) -> None:
    server = scripted(respond(429, headers={"Retry-After": header()}), respond(200, []))
    twin = make(server)
    assert await twin.call("get", "service/tickets") == []
    assert len(twin.clock.sleeps) == 1
    assert low <= twin.clock.sleeps[0] <= high


@pytest.mark.parametrize("header", [lambda: "3600", lambda: _http_date(3600), lambda: "1e309"])
async def test_retry_after_above_cap_raises_at_once(make: Any, header: Any) -> None:
    server = scripted(respond(429, headers={"Retry-After": header()}))
    twin = make(server)
    with pytest.raises(ConnectWiseRateLimitError) as info:
        await twin.call("get", "service/tickets")
    assert info.value.retry_after is not None and info.value.retry_after > RETRY_AFTER_CAP
    assert twin.clock.sleeps == []


@pytest.mark.parametrize("header", ["soon", "", "nan", "Wed, 99 Foo 2024"])
async def test_unusable_retry_after_falls_back_to_backoff(make: Any, header: str) -> None:
    server = scripted(respond(429, headers={"Retry-After": header}), respond(200, []))
    twin = make(server)
    await twin.call("get", "service/tickets")
    assert BACKOFF_BASE * (1 - BACKOFF_JITTER) <= twin.clock.sleeps[0] <= BACKOFF_BASE


async def test_backoff_grows_exponentially(make: Any) -> None:
    server = scripted(*[respond(503) for _ in range(4)], respond(200, []))
    twin = make(server, max_retries=4)
    await twin.call("get", "service/tickets")
    for attempt, delay in enumerate(twin.clock.sleeps):
        ceiling = min(BACKOFF_MAX, BACKOFF_BASE * 2**attempt)
        assert ceiling * (1 - BACKOFF_JITTER) <= delay <= ceiling


async def test_every_retry_is_logged(make: Any, caplog: pytest.LogCaptureFixture) -> None:
    server = scripted(respond(503), transient("reset"), respond(200, []))
    twin = make(server)
    with caplog.at_level(logging.DEBUG, logger="cw_facade"):
        await twin.call("get", "service/tickets")
    retries = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage().split(" in ")[0] for r in retries] == [
        "retrying GET service/tickets after status 503",
        "retrying GET service/tickets after ReadError",
    ]
    debug = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert debug[0].startswith("GET service/tickets -> 503 in ")
    assert debug[-1].endswith("(retries 2)")


def test_parse_retry_after_edge_cases() -> None:
    assert parse_retry_after(None) is None
    assert parse_retry_after("  12 ") == 12.0
    assert parse_retry_after("-5") == 0.0
    assert parse_retry_after("nan") is None
    assert parse_retry_after("soon") is None
    # "wait forever" stays above any cap, so the 429 is raised rather than retried
    assert parse_retry_after("inf") == float("inf")
    assert parse_retry_after("1e309") == float("inf")
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    # HTTP dates are GMT: the asctime form and "-0000" carry no zone but mean GMT
    assert parse_retry_after("Wed Oct 21 07:28:00 2015", now=1445412470.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 -0000", now=1445412470.0) == 10.0


def test_backoff_delay_respects_bounds() -> None:
    import random

    rng = random.Random(4)
    for attempt in range(12):
        ceiling = min(BACKOFF_MAX, BACKOFF_BASE * 2**attempt)
        assert ceiling * (1 - BACKOFF_JITTER) <= backoff_delay(attempt, rng=rng) <= ceiling


async def test_transport_failures_are_logged_at_debug(
    make: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server = scripted(transient("connect"))
    with (
        caplog.at_level(logging.DEBUG, logger="cw_facade"),
        pytest.raises(ConnectWiseConnectionError),
    ):
        await make(server, max_retries=0).call("get", "service/tickets")
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0].startswith("GET service/tickets -> ConnectError after ")
    assert messages[0].endswith("(retries 0)")
