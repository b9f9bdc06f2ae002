"""``rate_limit=`` on both clients: every attempt waits for its slot in ``send()``.

The twins' clock is fake (``_now`` advances only by the recorded ``_sleep``), so the waits
are exact numbers.
"""

from __future__ import annotations

from typing import Any

import pytest

from cw_facade import (
    ConnectWiseClient,
    ConnectWiseConfigurationError,
    ConnectWiseDeadlineError,
    RateGovernor,
)
from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._constants import RATE_RECOVERY

from .conftest import API_ROOT, CLIENT, CLIENT_ID, PASSWORD, USERNAME, respond, scripted

pytestmark = pytest.mark.anyio


def ok(n: int) -> list[Any]:
    return [respond(200, []) for _ in range(n)]


def limited(after: str = "2") -> Any:
    return respond(429, {"message": "Too many requests"}, headers={"Retry-After": after})


class Recorder:
    """A user's RateLimiter: answers scripted waits and records every report."""

    def __init__(self, *answers: float) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[Any, ...]] = []

    def reserve(self, now: float, max_wait: float | None) -> float:
        self.calls.append(("reserve", now, max_wait))
        return self.answers.pop(0) if self.answers else 0.0

    def on_429(self, now: float, retry_after: float | None) -> None:
        self.calls.append(("429", now, retry_after))

    def on_success(self, now: float) -> None:
        self.calls.append(("ok", now))


async def test_default_paces_at_950_a_minute_after_a_small_burst(make: Any) -> None:
    twin = make(scripted(*ok(7)))
    assert isinstance(twin.client.rate_limit, RateGovernor)
    assert twin.client.rate_limit.per_minute == 950
    for _ in range(7):
        await twin.call("get", "service/tickets")
    interval = 60 / 950
    assert twin.clock.sleeps == [pytest.approx(interval), pytest.approx(interval)]


async def test_a_number_sets_the_pace(make: Any) -> None:
    twin = make(scripted(*ok(7)), rate_limit=60)
    for _ in range(7):
        await twin.call("get", "service/tickets")
    assert twin.clock.sleeps == [1.0, 1.0]
    assert "rate_limit=RateGovernor(60/min, burst=5)" in repr(twin.client)


async def test_none_disables_pacing_but_not_the_429_hold(make: Any) -> None:
    twin = make(scripted(*ok(20), limited("3"), *ok(1)), rate_limit=None)
    assert twin.client.rate_limit is None
    assert repr(twin.client).endswith("rate_limit=None)")
    for _ in range(21):
        await twin.call("get", "service/tickets")
    assert twin.clock.sleeps == [3.0]


async def test_a_429_holds_lowers_the_pace_and_successes_recover_it(make: Any) -> None:
    governor = RateGovernor(60, burst=1)
    twin = make(scripted(limited("2"), *ok(3)), rate_limit=governor)
    await twin.call("get", "service/tickets")
    pace = 30 + 60 * RATE_RECOVERY  # halved, then one success back
    assert governor.pace == pytest.approx(pace)
    # the retry waited Retry-After; the next request one interval (2 s at 30/min, the pace
    # when the retry took its slot) after it, the one after that at the recovered pace
    await twin.call("get", "service/tickets")
    await twin.call("get", "service/tickets")
    assert twin.clock.sleeps == [2.0, 2.0, pytest.approx(60 / pace)]


async def test_the_wait_is_done_by_the_transport_with_what_the_limiter_says(make: Any) -> None:
    recorder = Recorder(0.0, 1.5)
    twin = make(scripted(limited("4"), *ok(1)), rate_limit=recorder)
    assert twin.client.rate_limit is recorder
    start = twin.clock.now
    await twin.call("get", "service/tickets")
    deadline_left = twin.client.deadline
    assert recorder.calls == [
        ("reserve", start, deadline_left),
        ("429", start, 4.0),
        ("reserve", start + 4.0, deadline_left - 4.0),
        ("ok", start + 5.5),
    ]
    assert twin.clock.sleeps == [4.0, 1.5]


async def test_no_deadline_means_no_max_wait(make: Any) -> None:
    recorder = Recorder()
    twin = make(scripted(*ok(1)), rate_limit=recorder, deadline=None)
    await twin.call("get", "service/tickets")
    assert recorder.calls[0][2] is None


async def test_a_wait_past_the_deadline_raises_unsent_and_claims_no_slot(make: Any) -> None:
    governor = RateGovernor(1, burst=1)  # one request a minute
    server = scripted(*ok(2))
    twin = make(server, rate_limit=governor, deadline=30)
    await twin.call("get", "service/tickets")
    with pytest.raises(ConnectWiseDeadlineError, match=r"rate limit holds the request 60\.0 s"):
        await twin.call("get", "service/tickets")
    assert len(server.requests) == 1 and twin.clock.sleeps == []
    twin.clock.now += 60.0  # the refused call took no slot: the next one goes at once
    await twin.call("get", "service/tickets")
    assert len(server.requests) == 2 and twin.clock.sleeps == []


async def test_a_429_during_the_pace_wait_holds_the_waiting_request(make: Any) -> None:
    twin = make(scripted(*ok(2)), rate_limit=RateGovernor(60, burst=1))
    await twin.call("get", "service/tickets")
    clock, gate = twin.clock, twin.client._config.gate

    def sleep(seconds: float) -> None:
        if not clock.sleeps:  # another worker's 429 arrives while this one waits its turn
            gate.hold(clock.now + 10.0)
        clock.sleep(seconds)

    async def asleep(seconds: float) -> None:
        sleep(seconds)

    twin.client._http._sleep = sleep if twin.kind == "sync" else asleep
    await twin.call("get", "service/tickets")
    assert clock.sleeps == [1.0, 9.0]  # then a new slot, free at once


async def test_one_governor_paces_several_clients(make: Any) -> None:
    governor = RateGovernor(60, burst=1)
    first = make(scripted(*ok(2)), rate_limit=governor)
    second = make(scripted(*ok(2)), rate_limit=governor)
    second.clock = first.clock
    second.client._http._now = lambda: first.clock.now
    second.client._http._sleep = first.client._http._sleep
    for twin in (first, second, first, second):
        await twin.call("get", "service/tickets")
    assert first.clock.sleeps == [1.0, 1.0, 1.0]


async def test_derived_clients_share_their_parent_governor(make: Any) -> None:
    twin = make(scripted(*ok(1)))
    derived = twin.client.with_credentials("otherPublic", "otherPrivate")
    assert derived.rate_limit is twin.client.rate_limit
    assert derived._config.gate is twin.client._config.gate
    by_auth = await twin.call("_as", twin.client.compute_auth("onePublic", "onePrivate"))
    assert by_auth.rate_limit is twin.client.rate_limit


@pytest.mark.parametrize("cls", [ConnectWiseClient, AsyncConnectWiseClient])
@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), True, "950/min", object()])
def test_a_bad_rate_limit_is_refused_at_construction(cls: Any, value: Any) -> None:
    with pytest.raises(ConnectWiseConfigurationError, match="rate_limit"):
        cls(API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID, rate_limit=value)


@pytest.mark.parametrize("answer", [float("nan"), float("inf"), None, "1"])
async def test_a_limiter_answering_no_finite_wait_is_a_configuration_error(
    make: Any, answer: Any
) -> None:
    server = scripted(*ok(1))
    twin = make(server, rate_limit=Recorder(answer))
    with pytest.raises(ConnectWiseConfigurationError, match="reserve"):
        await twin.call("get", "service/tickets")
    assert server.requests == [] and twin.clock.sleeps == []


async def test_a_negative_wait_means_go(make: Any) -> None:
    twin = make(scripted(*ok(1)), rate_limit=Recorder(-3.0))
    await twin.call("get", "service/tickets")
    assert twin.clock.sleeps == []


class Broken(Recorder):
    def reserve(self, now: float, max_wait: float | None) -> float:
        raise ConnectionError("store is down")


async def test_a_failing_limiter_fails_the_call_unsent(make: Any) -> None:
    server = scripted(*ok(1))
    twin = make(server, rate_limit=Broken())
    with pytest.raises(ConnectionError, match="store is down"):
        await twin.call("get", "service/tickets")
    assert server.requests == []
