"""The rate governor on its own, with a fake clock: pace, burst, adapting to 429s, threads.

Times are plain numbers passed as ``now``; nothing sleeps.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import pytest

from cw_facade import ConnectWiseConfigurationError, RateGovernor, RateLimiter
from cw_facade._constants import (
    DEFAULT_RATE_BURST,
    DEFAULT_RATE_LIMIT,
    RATE_DECREASE,
    RATE_FLOOR,
    RATE_RECOVERY,
)
from cw_facade._governor import make_limiter


def waits(governor: RateGovernor, count: int, now: float = 0.0) -> list[float]:
    """What ``count`` reservations made at the same moment are told to wait."""
    return [round(governor.reserve(now), 9) for _ in range(count)]


def test_defaults_are_just_under_connectwise_limit_with_a_small_burst() -> None:
    governor = RateGovernor()
    assert governor.per_minute == DEFAULT_RATE_LIMIT == 950
    assert governor.burst == DEFAULT_RATE_BURST == 5
    assert governor.pace == governor.per_minute
    assert repr(governor) == "RateGovernor(950/min, burst=5)"


def test_paces_requests_one_interval_apart() -> None:
    governor = RateGovernor(60, burst=1)
    assert waits(governor, 4) == [0.0, 1.0, 2.0, 3.0]


def test_a_burst_starts_at_once_then_the_pace_applies() -> None:
    governor = RateGovernor(600, burst=3)
    assert waits(governor, 6) == [0.0, 0.0, 0.0, 0.1, 0.2, 0.3]


def test_spaced_requests_never_wait() -> None:
    governor = RateGovernor(60, burst=1)
    assert [governor.reserve(float(t)) for t in range(10)] == [0.0] * 10


def test_an_idle_spell_refills_no_more_than_the_burst() -> None:
    governor = RateGovernor(60, burst=2)
    waits(governor, 4)
    assert waits(governor, 4, now=3600.0) == [0.0, 0.0, 1.0, 2.0]


def test_a_429_lowers_the_pace_and_holds_until_retry_after() -> None:
    governor = RateGovernor(600, burst=3)
    governor.on_429(10.0, 2.0)
    assert governor.pace == 600 * RATE_DECREASE
    assert repr(governor) == "RateGovernor(600/min, burst=3, now 300/min)"
    # no stampede: the held requests start one (new, longer) interval apart after the hold
    assert waits(governor, 4, now=10.0) == [2.0, 2.2, 2.4, 2.6]


def test_simultaneous_429s_are_one_overload() -> None:
    governor = RateGovernor(600)
    for _ in range(8):  # eight workers refused at once
        governor.on_429(10.0, 1.0)
    assert governor.pace == 600 * RATE_DECREASE
    governor.on_429(11.0, 1.0)  # refused again once the hold is over: lower still
    assert governor.pace == 600 * RATE_DECREASE**2


def test_a_429_without_retry_after_lowers_the_pace_without_a_hold() -> None:
    governor = RateGovernor(60, burst=1)
    governor.on_429(5.0, None)
    assert governor.pace == 30
    assert waits(governor, 2, now=5.0) == [0.0, 2.0]


def test_successes_recover_the_pace_gradually_and_not_beyond() -> None:
    governor = RateGovernor(1000)
    governor.on_429(0.0, 1.0)
    assert governor.pace == pytest.approx(500)
    governor.on_success(1.0)
    assert governor.pace == pytest.approx(500 + 1000 * RATE_RECOVERY)
    steps = math.ceil((1 - RATE_DECREASE) / RATE_RECOVERY)
    for _ in range(steps - 2):
        governor.on_success(1.0)
    assert governor.pace < 1000
    for _ in range(5):
        governor.on_success(1.0)
    assert governor.pace == 1000
    assert repr(governor) == "RateGovernor(1000/min, burst=5)"


def test_repeated_429s_stop_at_the_floor() -> None:
    governor = RateGovernor(1000)
    for second in range(50):
        governor.on_429(float(second), 0.0)
    assert governor.pace == pytest.approx(1000 * RATE_FLOOR)


def test_a_huge_retry_after_is_capped() -> None:
    governor = RateGovernor(60, burst=1)
    governor.on_429(0.0, 3600.0)
    assert governor.reserve(0.0) == 60.0


def test_a_wait_longer_than_max_wait_claims_no_slot() -> None:
    governor = RateGovernor(60, burst=1)
    assert governor.reserve(0.0, 5.0) == 0.0
    assert governor.reserve(0.0, 0.5) == 1.0  # too long: not claimed
    assert governor.reserve(0.0, 0.5) == 1.0  # the same slot is still free
    assert governor.reserve(0.0, 1.0) == 1.0  # now claimed
    assert governor.reserve(0.0) == 2.0


def test_threads_share_one_pace_and_never_get_the_same_slot() -> None:
    governor = RateGovernor(6000, burst=4)
    got: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        mine = [governor.reserve(0.0) for _ in range(250)]
        with lock:
            got.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = [0.0] * 4 + [round(k * 0.01, 9) for k in range(1, 2000 - 3)]
    assert sorted(round(w, 9) for w in got) == expected


class Recorder:
    """A user's limiter: records what it is told, lets everything go."""

    def reserve(self, now: float, max_wait: float | None) -> float:
        return 0.0

    def on_429(self, now: float, retry_after: float | None) -> None:
        """Nothing to do."""

    def on_success(self, now: float) -> None:
        """Nothing to do."""


def test_rate_limit_option_values() -> None:
    assert make_limiter(None) is None
    made = make_limiter(120)
    assert isinstance(made, RateGovernor) and made.per_minute == 120
    assert isinstance(make_limiter(0.5), RateGovernor)
    governor, recorder = RateGovernor(), Recorder()
    assert make_limiter(governor) is governor
    assert make_limiter(recorder) is recorder
    assert isinstance(recorder, RateLimiter)


@pytest.mark.parametrize(
    "value",
    [0, -5, 0.0, math.nan, math.inf, True, "950", "1000/min", object(), Recorder, [950]],
    ids=repr,
)
def test_bad_rate_limit_values_are_refused(value: Any) -> None:
    with pytest.raises(ConnectWiseConfigurationError, match="rate_limit"):
        make_limiter(value)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((0,), {}, "rate_limit"),
        ((math.nan,), {}, "rate_limit"),
        ((60,), {"burst": 0}, "burst"),
        ((60,), {"burst": 1.5}, "burst"),
        ((60,), {"burst": True}, "burst"),
    ],
)
def test_bad_governor_settings_are_refused(
    args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(ConnectWiseConfigurationError, match=match):
        RateGovernor(*args, **kwargs)
