"""Status → exception mapping, error fields and messages, on both clients."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cw_facade._errors import (
    ConnectWiseAPIError,
    ConnectWiseAuthError,
    ConnectWiseBadRequestError,
    ConnectWiseConflictError,
    ConnectWiseError,
    ConnectWiseNotFoundError,
    ConnectWisePermissionError,
    ConnectWiseRateLimitError,
    ConnectWiseResponseError,
    ConnectWiseServerError,
    ErrorDetail,
)

from .conftest import cw_error, respond, scripted

pytestmark = pytest.mark.anyio

STATUS_CLASSES = [
    (400, ConnectWiseBadRequestError),
    (401, ConnectWiseAuthError),
    (403, ConnectWisePermissionError),
    (404, ConnectWiseNotFoundError),
    (405, ConnectWiseAPIError),
    (409, ConnectWiseConflictError),
    (415, ConnectWiseAPIError),
    (429, ConnectWiseRateLimitError),
    (500, ConnectWiseServerError),
    (501, ConnectWiseServerError),
    (520, ConnectWiseServerError),
    (302, ConnectWiseAPIError),
]


@pytest.mark.parametrize(("status", "cls"), STATUS_CLASSES)
async def test_each_status_maps_to_its_class(make: Any, status: int, cls: type) -> None:
    response = cw_error(status, "Code", "went wrong", headers={"x-cw-request-id": "req-1"})
    twin = make(scripted(response), max_retries=0)
    with pytest.raises(cls) as info:
        await twin.call("post", "service/tickets", {"summary": "x"})
    error = info.value
    assert type(error) is cls
    assert (error.status_code, error.code, error.message) == (status, "Code", "went wrong")
    assert error.request_id == "req-1"
    assert error.method == "POST"
    assert error.url == "https://cw.example.com/v4_6_release/apis/3.0/service/tickets"
    assert error.response is not None and error.response.status_code == status
    assert error.retries_taken == 0


async def test_invalid_object_message_and_errors(make: Any) -> None:
    response = cw_error(
        400,
        "InvalidObject",
        "ticket object is invalid",
        errors=[
            {
                "code": "InvalidObject",
                "message": "company 19299 not found",
                "resource": "ticket",
                "field": "company/id",
            }
        ],
    )
    twin = make(scripted(response))
    with pytest.raises(ConnectWiseBadRequestError) as info:
        await twin.call("post", "/service/tickets", {"company": {"id": 19299}})
    error = info.value
    assert error.errors == [
        ErrorDetail("InvalidObject", "company 19299 not found", "ticket", "company/id")
    ]
    assert str(error) == (
        "400 InvalidObject: ticket object is invalid (company/id: company 19299 not found) "
        "[POST /service/tickets]"
    )


@pytest.mark.parametrize("errors", [None, "oops", [None, 3, {"message": "only message"}]])
async def test_odd_errors_lists_are_tolerated(make: Any, errors: Any) -> None:
    twin = make(scripted(cw_error(409, "Conflict", "in use", errors=errors)))
    with pytest.raises(ConnectWiseConflictError) as info:
        await twin.call("delete", "company/companies", 3)
    expected = [ErrorDetail(message="only message")] if isinstance(errors, list) else []
    assert info.value.errors == expected


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            lambda: respond(502, text="<p>Bad</p>", headers={"content-type": "text/html"}),
            "Bad Gateway (HTML body)",
        ),
        (lambda: respond(520, text="<!DOCTYPE html><html></html>"), "(HTML body)"),
        (lambda: respond(503), "Service Unavailable"),
        (
            lambda: respond(500, text="plain failure\nline two"),
            "Internal Server Error: plain failure line two",
        ),
        (lambda: respond(500, [1, 2]), "Internal Server Error: [1,2]"),
    ],
)
async def test_non_json_error_bodies(make: Any, response: Any, message: str) -> None:
    twin = make(scripted(response()), max_retries=0)
    with pytest.raises(ConnectWiseServerError) as info:
        await twin.call("get", "service/boards")
    assert info.value.code is None
    assert message in info.value.message
    assert str(info.value).endswith("[GET /service/boards]")


@pytest.mark.parametrize(
    "response",
    [
        lambda: httpx.Response(200, text="<html>x</html>", headers={"content-type": "text/html"}),
        lambda: httpx.Response(200, content=b"{not json"),
        lambda: httpx.Response(201, content=b"\xff\xfe\x00garbage"),
    ],
)
async def test_success_with_non_json_body_is_a_response_error(make: Any, response: Any) -> None:
    twin = make(scripted(response()))
    with pytest.raises(ConnectWiseResponseError) as info:
        await twin.call("get", "service/tickets")
    assert isinstance(info.value, ConnectWiseAPIError)
    assert info.value.__cause__ is None
    assert "not JSON" in str(info.value)


async def test_rate_limit_error_carries_retry_after(make: Any) -> None:
    twin = make(scripted(respond(429, headers={"Retry-After": "7"})), max_retries=0)
    with pytest.raises(ConnectWiseRateLimitError) as info:
        await twin.call("get", "service/tickets")
    assert info.value.retry_after == 7.0
    assert str(info.value) == "429: Too Many Requests [GET /service/tickets]"


def test_every_error_is_a_connectwise_error() -> None:
    from cw_facade import _errors

    for name in dir(_errors):
        value = getattr(_errors, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, ConnectWiseError), name
            assert value.__doc__, name


async def test_errors_pickle_without_their_response(make: Any) -> None:
    import pickle

    response = cw_error(400, "InvalidObject", "bad", errors=[{"field": "summary"}])
    twin = make(scripted(response))
    with pytest.raises(ConnectWiseBadRequestError) as info:
        await twin.call("post", "service/tickets", {})
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is ConnectWiseBadRequestError
    assert str(copy) == str(info.value)
    assert (copy.code, copy.errors, copy.url) == (
        info.value.code,
        info.value.errors,
        info.value.url,
    )
    assert copy.response is None


def test_transport_and_config_errors_pickle() -> None:
    import pickle

    from cw_facade._errors import ConnectWiseConfigurationError, ConnectWiseTimeoutError

    error = ConnectWiseTimeoutError("timed out", method="GET", url="https://h/x", path="x")
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.url, copy.retries_taken) == (str(error), error.url, 0)
    config = pickle.loads(pickle.dumps(ConnectWiseConfigurationError("bad base_url")))
    assert isinstance(config, ValueError) and str(config) == "bad base_url"
