"""ReplayGuard refuses a MessageId seen within its window; the store is bounded and shared-safe."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from cw_facade._errors import ConnectWiseConfigurationError
from cw_facade._replay import (
    MAX_MESSAGE_ID_LENGTH,
    MemoryReplayStore,
    ReplayedCallbackError,
    ReplayGuard,
    ReplayStore,
)
from cw_facade._webhooks import InvalidCallbackError, compute_signature, parse_callback

KEY = "replay-key"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def guard_with_clock(window: float = 60.0, max_entries: int = 100) -> tuple[ReplayGuard, Clock]:
    clock = Clock()
    return ReplayGuard(window, store=MemoryReplayStore(max_entries, clock=clock)), clock


class TestGuard:
    def test_a_repeat_within_the_window_is_refused(self) -> None:
        guard, clock = guard_with_clock()
        guard.check("m-1")
        clock.now += 59
        with pytest.raises(ReplayedCallbackError, match="'m-1' was already accepted"):
            guard.check("m-1")
        guard.check("m-2")

    def test_ids_are_compared_ignoring_case_and_whitespace(self) -> None:
        guard, _ = guard_with_clock()
        guard.check("ABC-def")
        with pytest.raises(ReplayedCallbackError):
            guard.check("  abc-DEF ")

    def test_after_the_window_an_id_is_new_again(self) -> None:
        guard, clock = guard_with_clock(window=60)
        guard.check("m-1")
        clock.now += 61
        guard.check("m-1")
        with pytest.raises(ReplayedCallbackError):
            guard.check("m-1")

    def test_forget_lets_a_redelivery_in(self) -> None:
        guard, _ = guard_with_clock()
        guard.check("m-1")
        guard.forget("m-1")
        guard.check("m-1")
        guard.forget("never-seen")

    def test_integer_ids_are_accepted(self) -> None:
        guard, _ = guard_with_clock()
        guard.check(17)
        with pytest.raises(ReplayedCallbackError):
            guard.check("17")

    @pytest.mark.parametrize("bad", [None, "", "   ", True, 1.5, ["x"], "x" * 201])
    def test_unusable_ids_are_refused(self, bad: Any) -> None:
        guard, _ = guard_with_clock()
        with pytest.raises(InvalidCallbackError) as caught:
            guard.check(bad)
        assert not isinstance(caught.value, ReplayedCallbackError)

    def test_the_longest_id_is_accepted(self) -> None:
        guard, _ = guard_with_clock()
        guard.check("x" * MAX_MESSAGE_ID_LENGTH)

    @pytest.mark.parametrize("window", [0, -5, True, "60", float("nan")])
    def test_a_bad_window_is_refused(self, window: Any) -> None:
        with pytest.raises(ValueError, match="window"):
            ReplayGuard(window)

    def test_a_store_without_the_methods_is_refused(self) -> None:
        with pytest.raises(TypeError, match="add"):
            ReplayGuard(store=object())  # type: ignore[arg-type]

    def test_two_guards_share_a_store_under_their_namespaces(self) -> None:
        store = MemoryReplayStore()
        first, second = ReplayGuard(store=store, namespace="a:"), ReplayGuard(store=store)
        first.check("m")
        second.check("m")
        with pytest.raises(ReplayedCallbackError):
            ReplayGuard(store=store, namespace="a:").check("m")


class TestMemoryStore:
    def test_size_is_bounded_and_the_oldest_go_first(self) -> None:
        clock = Clock()
        store = MemoryReplayStore(3, clock=clock)
        for key in "abcd":
            clock.now += 1
            assert store.add(key, 100)
        assert len(store) == 3
        assert store.add("a", 100)  # evicted, so new again
        assert not store.add("d", 100)

    def test_expired_keys_are_purged(self) -> None:
        clock = Clock()
        store = MemoryReplayStore(10, clock=clock)
        store.add("a", 5)
        store.add("b", 5)
        clock.now += 6
        store.add("c", 5)
        assert len(store) == 1

    @pytest.mark.parametrize("bad", [0, -1, True, 2.5])
    def test_a_bad_size_is_refused(self, bad: Any) -> None:
        with pytest.raises(ValueError, match="max_entries"):
            MemoryReplayStore(bad)

    def test_exactly_one_of_many_concurrent_adds_wins(self) -> None:
        store = MemoryReplayStore()
        results: list[bool] = []
        barrier = threading.Barrier(8)

        def add() -> None:
            barrier.wait()
            results.append(store.add("same", 60))

        threads = [threading.Thread(target=add) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [False] * 7 + [True]

    def test_it_is_a_replay_store(self) -> None:
        assert isinstance(MemoryReplayStore(), ReplayStore)


class SharedStore:
    """A stand-in for a shared store (a Redis SET NX EX), to show the interface suffices."""

    def __init__(self) -> None:
        self.keys: dict[str, float] = {}
        self.calls: list[tuple[str, Any]] = []

    def add(self, key: str, ttl: float) -> bool:
        self.calls.append(("add", (key, ttl)))
        if key in self.keys:
            return False
        self.keys[key] = ttl
        return True

    def discard(self, key: str) -> None:
        self.calls.append(("discard", key))
        self.keys.pop(key, None)


def signed_body(message_id: str = "m-1", **extra: Any) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"MessageId": message_id, "ID": 1, "Type": "ticket", **extra}).encode()
    return body, {"x-content-signature": compute_signature(body, KEY)}


class TestParseCallback:
    def test_a_replayed_signed_callback_is_refused(self) -> None:
        guard, _ = guard_with_clock()
        body, headers = signed_body()
        assert parse_callback(body, headers, signing_key=KEY, replay_guard=guard).id == 1
        with pytest.raises(ReplayedCallbackError):
            parse_callback(body, headers, signing_key=KEY, replay_guard=guard)

    def test_a_forged_callback_does_not_use_up_the_real_id(self) -> None:
        guard, _ = guard_with_clock()
        body, headers = signed_body()
        forged = {"x-content-signature": compute_signature(body, "forger-key")}
        with pytest.raises(InvalidCallbackError):
            parse_callback(body, forged, signing_key=KEY, replay_guard=guard)
        assert parse_callback(body, headers, signing_key=KEY, replay_guard=guard).id == 1

    def test_a_callback_from_another_company_does_not_use_up_the_id(self) -> None:
        guard, _ = guard_with_clock()
        body, headers = signed_body(CompanyId="other")
        with pytest.raises(InvalidCallbackError, match="'other'"):
            parse_callback(
                body, headers, signing_key=KEY, expected_company="acme", replay_guard=guard
            )
        assert guard.store.add(guard.namespace + "m-1", 1)

    def test_no_message_id_is_refused_when_guarding(self) -> None:
        guard, _ = guard_with_clock()
        body = b'{"ID": 1}'
        headers = {"x-content-signature": compute_signature(body, KEY)}
        with pytest.raises(InvalidCallbackError, match="no MessageId"):
            parse_callback(body, headers, signing_key=KEY, replay_guard=guard)

    def test_a_guard_without_a_key_is_a_configuration_error(self) -> None:
        body, headers = signed_body()
        with pytest.raises(ConnectWiseConfigurationError, match="needs signing_key"):
            parse_callback(body, headers, replay_guard=ReplayGuard())

    def test_a_custom_shared_store_is_used(self) -> None:
        store = SharedStore()
        guard = ReplayGuard(30, store=store)
        body, headers = signed_body("Abc")
        parse_callback(body, headers, signing_key=KEY, replay_guard=guard)
        assert store.calls == [("add", ("cw-facade:callback:abc", 30.0))]
        with pytest.raises(ReplayedCallbackError):
            parse_callback(body, headers, signing_key=KEY, replay_guard=guard)
        guard.forget("ABC")
        assert store.calls[-1] == ("discard", "cw-facade:callback:abc")
