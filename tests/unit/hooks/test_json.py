"""cw_facade._json.loads: a nesting limit that never raises RecursionError, no NaN/Infinity."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cw_facade._errors import ConnectWiseJSONDepthError, ConnectWiseLimitError
from cw_facade._json import DEFAULT_MAX_JSON_DEPTH, JSONValueError, exceeded_depth, loads


def nested(depth: int, open_: str = "[", close: str = "]", inner: str = "1") -> str:
    return open_ * depth + inner + close * depth


def true_depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((true_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((true_depth(v) for v in value), default=0)
    return 0


class TestDepth:
    @pytest.mark.parametrize("depth", [1000, 100_000])
    def test_deep_arrays_raise_the_limit_error_not_recursion(self, depth: int) -> None:
        with pytest.raises(ConnectWiseJSONDepthError) as caught:
            loads(nested(depth).encode())
        assert caught.value.limit == DEFAULT_MAX_JSON_DEPTH
        assert caught.value.found is not None and caught.value.found > DEFAULT_MAX_JSON_DEPTH
        assert "max_json_depth" in str(caught.value)
        assert isinstance(caught.value, ConnectWiseLimitError)

    def test_deep_objects_and_mixed(self) -> None:
        body = '{"a":' * 200 + "1" + "}" * 200
        with pytest.raises(ConnectWiseJSONDepthError):
            loads(body)
        with pytest.raises(ConnectWiseJSONDepthError):
            loads('[{"a":' * 40 + "null" + "}]" * 40)

    def test_exactly_at_the_limit_passes(self) -> None:
        assert true_depth(loads(nested(64))) == 64
        with pytest.raises(ConnectWiseJSONDepthError) as caught:
            loads(nested(65))
        assert caught.value.found == 65
        assert loads(nested(3), max_depth=3) == [[[1]]]

    def test_brackets_inside_strings_do_not_count(self) -> None:
        text = json.dumps(["[" * 500, "{" * 500 + "]", {"k": "}}}]]]"}, '\\"[[[', '\\"'])
        assert loads(text, max_depth=2) == json.loads(text)

    def test_escaped_quotes_do_not_end_a_string(self) -> None:
        text = json.dumps({"a": 'x"[[[[["', "b": "\\", "c": '\\"[[', "d": [[1]]})
        assert loads(text, max_depth=3) == json.loads(text)
        with pytest.raises(ConnectWiseJSONDepthError):
            loads(text, max_depth=2)

    def test_unclosed_deep_input_is_still_a_depth_error(self) -> None:
        with pytest.raises(ConnectWiseJSONDepthError):
            loads("[" * 5000)
        with pytest.raises(json.JSONDecodeError):
            loads("]" * 5000)

    def test_a_deep_body_in_a_thread_with_a_small_stack(self) -> None:
        """The check runs before decoding, so no recursion happens at all."""
        errors: list[BaseException] = []

        def run() -> None:
            try:
                loads(nested(10**6))
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        assert [type(e) for e in errors] == [ConnectWiseJSONDepthError]

    @pytest.mark.parametrize("bad", [0, -1, True, 1.5, "64"])
    def test_bad_max_depth(self, bad: Any) -> None:
        with pytest.raises(ValueError, match="max_depth"):
            loads("[1]", max_depth=bad)

    @given(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab'),
            lambda children: (
                st.lists(children, max_size=3)
                | st.dictionaries(st.text(alphabet='[]{}"\\k'), children, max_size=3)
            ),
            max_leaves=30,
        )
    )
    def test_the_scan_finds_the_true_depth(self, value: Any) -> None:
        text = json.dumps(value).encode()
        depth = true_depth(value)
        assert exceeded_depth(text, max(depth, 1)) is None
        if depth >= 2:
            assert exceeded_depth(text, depth - 1) == depth


class TestValues:
    @pytest.mark.parametrize("body", ["NaN", "[Infinity]", '{"x": -Infinity}', "[1e400]", "-1e999"])
    def test_non_finite_numbers_are_refused(self, body: str) -> None:
        with pytest.raises(JSONValueError, match=r"NaN|Infinity|infinity"):
            loads(body)

    def test_huge_integers_are_a_clear_value_error(self) -> None:
        with pytest.raises(JSONValueError, match="unusable number"):
            loads("[" + "9" * 5000 + "]")

    @pytest.mark.parametrize("body", ["", "not json", "[1,", b"\xff"])
    def test_invalid_json_is_a_decode_error(self, body: str | bytes) -> None:
        with pytest.raises(ValueError) as caught:
            loads(body)
        assert not isinstance(caught.value, ConnectWiseJSONDepthError)

    def test_ordinary_values_decode_as_json_loads_does(self) -> None:
        text = '{"id": 1, "hours": 1.25, "tags": ["a", {"b": null}], "ok": true, "t": "\\u00e9"}'
        assert loads(text) == json.loads(text)
        assert loads(text.encode()) == json.loads(text)
        assert loads("1") == 1
