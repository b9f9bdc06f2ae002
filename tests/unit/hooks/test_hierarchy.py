"""Every exception is a ConnectWiseError, stays importable from its old home, and pickles."""

from __future__ import annotations

import pickle

import pytest

import cw_facade
from cw_facade import _errors
from cw_facade._errors import (
    ConnectWiseAuthenticationError,
    ConnectWiseAuthError,
    ConnectWiseConfigurationError,
    ConnectWiseDeadlineError,
    ConnectWiseError,
    ConnectWiseJSONDepthError,
    ConnectWiseLimitError,
    ConnectWisePageLoopError,
    ConnectWiseResponseTooLargeError,
    ConnectWiseTimeoutError,
)
from cw_facade._validation import InvalidArgumentError, MissingArgumentError, UnknownNameError
from cw_facade._webhooks import InvalidCallbackError, InvalidSignatureError, ReplayedCallbackError
from cw_facade.conditions import ConditionsSyntaxError, parse

LIMITS = [
    (ConnectWiseResponseTooLargeError, "max_response_bytes"),
    (ConnectWiseJSONDepthError, "max_json_depth"),
    (ConnectWiseDeadlineError, "deadline"),
]


@pytest.mark.parametrize(
    ("cls", "also"),
    [
        (ConditionsSyntaxError, ValueError),
        (InvalidArgumentError, ValueError),
        (MissingArgumentError, InvalidArgumentError),
        (UnknownNameError, InvalidArgumentError),
        (InvalidCallbackError, ValueError),
        (InvalidSignatureError, InvalidCallbackError),
        (ReplayedCallbackError, InvalidCallbackError),
        (ConnectWiseDeadlineError, ConnectWiseTimeoutError),
    ],
)
def test_every_error_is_a_connectwise_error_and_keeps_its_old_base(
    cls: type[Exception], also: type[Exception]
) -> None:
    assert issubclass(cls, ConnectWiseError)
    assert issubclass(cls, also)


def test_the_package_exports_the_same_classes() -> None:
    assert cw_facade.ConditionsSyntaxError is ConditionsSyntaxError
    assert cw_facade.InvalidArgumentError is InvalidArgumentError
    assert cw_facade.InvalidCallbackError is InvalidCallbackError
    assert cw_facade.ConnectWiseAuthenticationError is ConnectWiseAuthError
    assert ConnectWiseAuthenticationError is ConnectWiseAuthError
    for name in ("ConnectWiseLimitError", "ConnectWisePageLoopError", "ConnectWiseDeadlineError"):
        assert getattr(cw_facade, name) is getattr(_errors, name)


def test_the_docstring_draws_every_class() -> None:
    doc = _errors.__doc__ or ""
    names = [
        n for n in dir(_errors) if n.endswith("Error") and isinstance(getattr(_errors, n), type)
    ]
    for name in [*names, "ConditionsSyntaxError", "InvalidArgumentError", "ReplayedCallbackError"]:
        assert name in doc, name


def roundtrip(error: Exception) -> Exception:
    restored = pickle.loads(pickle.dumps(error))
    assert type(restored) is type(error)
    assert str(restored) == str(error)
    return restored


@pytest.mark.parametrize(
    "error",
    [
        InvalidArgumentError("record_id", "must be a positive integer"),
        MissingArgumentError("board", "give board or board_name"),
        UnknownNameError("status", "Nwe", ["New", "Closed"]),
        InvalidCallbackError("refused"),
        InvalidSignatureError("does not match"),
        ReplayedCallbackError("seen"),
        ConnectWiseConfigurationError("bad"),
    ],
)
def test_input_and_callback_errors_pickle(error: Exception) -> None:
    restored = roundtrip(error)
    assert vars(restored) == vars(error)


def test_conditions_errors_pickle() -> None:
    with pytest.raises(ConditionsSyntaxError) as caught:
        parse("status/name = ")
    restored = roundtrip(caught.value)
    assert isinstance(restored, ConditionsSyntaxError)
    assert (restored.position, restored.expected) == (caught.value.position, caught.value.expected)


@pytest.mark.parametrize(("cls", "option"), LIMITS)
def test_limit_errors_name_the_limit_and_the_option(
    cls: type[ConnectWiseLimitError], option: str
) -> None:
    error = cls(limit=100, found=250, method="GET", url="https://h/x", path="service/tickets")
    text = str(error)
    assert "100" in text and "250" in text
    assert f"pass a larger {option}= to the client" in text
    assert text.endswith("[GET /service/tickets]")
    assert (error.option, error.limit, error.found) == (option, 100, 250)
    restored = roundtrip(error)
    assert vars(restored) == vars(error)


def test_a_page_loop_says_what_was_seen() -> None:
    error = ConnectWisePageLoopError(detail="page 3 has the records of page 1")
    assert str(error) == "paging stopped: page 3 has the records of page 1"
    assert error.option is None
    assert str(roundtrip(error)) == str(error)


def test_at_adds_the_request() -> None:
    bare = ConnectWiseJSONDepthError(limit=512, found=513)
    assert "[" not in str(bare) and bare.method == ""
    placed = bare.at(method="POST", url="https://h/x", path="service/tickets", retries_taken=2)
    assert type(placed) is ConnectWiseJSONDepthError
    assert (placed.method, placed.retries_taken, placed.found) == ("POST", 2, 513)
    assert str(placed).endswith("[POST /service/tickets]")


def test_a_deadline_error_is_caught_as_a_timeout() -> None:
    with pytest.raises(ConnectWiseTimeoutError) as caught:
        raise ConnectWiseDeadlineError(limit=30.0, found=31.2, method="GET", url="u", path="p")
    assert caught.value.message.startswith("the call's duration exceeds the limit 30.0 s")
