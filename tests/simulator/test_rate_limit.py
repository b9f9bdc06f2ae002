"""A rate-limited tenant: token buckets per credential, ConnectWise's 429, latency, counters."""

from __future__ import annotations

import threading
import types
from typing import Any

import httpx
import pytest

from cw_facade.testing import Counters, ManageSimulator, RateLimit
from cw_facade.testing import _server as server_module
from cw_facade.testing.__main__ import build_parser, describe
from cw_facade.testing._ratelimit import TokenBuckets, too_many
from tests.simulator.helpers import client_for


@pytest.mark.parametrize(
    ("text", "requests", "per_s"),
    [
        ("1000/min", 1000, 60.0),
        ("20/s", 20, 1.0),
        ("5/10s", 5, 10.0),
        ("3600/hour", 3600, 3600.0),
        ("100 / minutes", 100, 60.0),
    ],
)
def test_parse_rates(text: str, requests: int, per_s: float) -> None:
    limit = RateLimit.parse(text)
    assert (limit.requests, limit.per_s, limit.capacity) == (requests, per_s, requests)


@pytest.mark.parametrize("text", ["", "1000", "x/min", "10/fortnight", "0/min", "5/0s"])
def test_bad_rates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        RateLimit.parse(text)


def test_burst_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RateLimit(10, 60.0, burst=0)


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_bucket_spends_burst_then_waits_and_refills() -> None:
    clock = _Clock()
    buckets = TokenBuckets(RateLimit(60, 60.0, burst=3), clock)
    assert [buckets.take("a") for _ in range(3)] == [None, None, None]
    assert buckets.take("a") == 1
    assert buckets.take("b") is None  # another credential has its own bucket
    clock.now = 0.5
    assert buckets.take("a") == 1  # half a token: still a second to wait (rounded up)
    clock.now = 2.0
    assert [buckets.take("a"), buckets.take("a")] == [None, None]
    assert buckets.take("a") == 1


def test_wait_is_the_time_until_the_next_token() -> None:
    buckets = TokenBuckets(RateLimit(2, 60.0), _Clock())
    assert [buckets.take("a"), buckets.take("a")] == [None, None]
    assert buckets.take("a") == 30


def test_connectwise_body() -> None:
    assert too_many(30) == {
        "error": "ConnectWiseAPI",
        "message": "Too many requests. Please try again in 30 seconds.",
    }


def test_simulator_answers_429_like_connectwise() -> None:
    with ManageSimulator(seed="empty", rate_limit="2/min") as sim, client_for(sim) as api:
        statuses = [api.get("service/boards").status_code for _ in range(2)]
        limited = api.get("service/boards")
        assert statuses == [200, 200]
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "30"
        assert limited.json() == too_many(30)
        assert limited.headers["x-cw-request-id"]
        assert sim.counters == Counters(requests=3, throttled=1)
        assert [r.status for r in sim.request_log] == [200, 200, 429]


def test_discovery_and_failed_credentials_do_not_spend_the_budget() -> None:
    with ManageSimulator(seed="empty", rate_limit="1/min") as sim:
        with httpx.Client(base_url=sim.api_root, auth=("cwfacade+demo-public", "wrong")) as bad:
            assert {bad.get("service/boards").status_code for _ in range(3)} == {401}
        with httpx.Client() as anonymous:
            info = anonymous.get(f"{sim.base_url}/login/companyinfo/{sim.company}")
            assert info.status_code == 200
        with client_for(sim) as api:
            assert api.get("service/boards").status_code == 200
            assert api.get("service/boards").status_code == 429
        assert sim.counters.throttled == 1


def test_reset_refills_and_set_rate_limit_changes_it() -> None:
    with ManageSimulator(seed="empty", rate_limit="1/min") as sim, client_for(sim) as api:
        assert [api.get("service/boards").status_code for _ in range(2)] == [200, 429]
        sim.reset()
        assert sim.counters == Counters(0, 0)
        assert api.get("service/boards").status_code == 200
        sim.set_rate_limit("1000/min", burst=1)
        assert sim.rate_limit == RateLimit(1000, 60.0, burst=1)
        assert [api.get("service/boards").status_code for _ in range(2)] == [200, 429]
        sim.set_rate_limit(None)
        assert sim.rate_limit is None
        assert {api.get("service/boards").status_code for _ in range(5)} == {200}
        sim.reset_counters()
        assert sim.counters == Counters(0, 0)


def test_rate_limit_object_with_burst() -> None:
    sim = ManageSimulator(seed="empty", rate_limit=RateLimit(10, 1.0), rate_burst=4)
    assert sim.rate_limit == RateLimit(10, 1.0, burst=4)
    with pytest.raises(ValueError):
        ManageSimulator(seed="empty", rate_limit="lots")


def test_latency_sleeps_in_the_request_thread_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first request's latency is held open; a second request is answered meanwhile."""
    entered, release = threading.Event(), threading.Event()
    calls: list[float] = []

    def sleep(seconds: float) -> None:
        calls.append(seconds)
        if len(calls) == 1:
            entered.set()
            release.wait(10)

    fake_time: Any = types.SimpleNamespace(sleep=sleep)
    monkeypatch.setattr(server_module, "time", fake_time)
    with ManageSimulator(seed="empty", latency_ms=250) as sim:
        answers: list[int] = []

        def first() -> None:
            with client_for(sim) as own:
                answers.append(own.get("service/boards").status_code)

        worker = threading.Thread(target=first)
        worker.start()
        assert entered.wait(10)
        with client_for(sim) as other:
            assert other.get("service/priorities").status_code == 200
        assert answers == []
        release.set()
        worker.join(10)
        assert answers == [200]
    assert calls == [0.25, 0.25]


def test_cli_options_reach_the_simulator() -> None:
    args = build_parser().parse_args(
        ["serve", "--rate-limit", "1000/min", "--rate-burst", "50", "--latency-ms", "100"]
    )
    assert args.rate_limit == RateLimit(1000, 60.0)
    assert (args.rate_burst, args.latency_ms, args.description) == (50, 100.0, None)
    with ManageSimulator(
        seed="empty", rate_limit=args.rate_limit, rate_burst=50, latency_ms=100
    ) as sim:
        text = describe(sim, private_key_given=False)
    assert "rate limit:  1000/60s (burst 50) per credential" in text
    assert "latency:     100 ms per request" in text
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--rate-limit", "fast"])
