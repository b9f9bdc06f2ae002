"""The whole-call deadline against retries and waits, the limit options, and retried DELETEs.

Scripted MockTransport servers and the twins' fake clock (``_now`` advances only when the
client sleeps), so every wait is counted, never spent.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cw_facade._errors import (
    ConnectWiseConfigurationError,
    ConnectWiseConnectionError,
    ConnectWiseDeadlineError,
    ConnectWiseNotFoundError,
    ConnectWiseRateLimitError,
    ConnectWiseResponseTooLargeError,
    ConnectWiseServerError,
)
from cw_facade._sync._client import ConnectWiseClient

from .conftest import API_ROOT, CLIENT, CLIENT_ID, PASSWORD, USERNAME, cw_error, respond, scripted

pytestmark = pytest.mark.anyio


def unavailable(after: str) -> httpx.Response:
    return respond(503, {"message": "busy"}, headers={"Retry-After": after})


# -- deadline ----------------------------------------------------------------------------------


async def test_a_retry_after_past_the_deadline_is_not_waited(make: Any) -> None:
    twin = make(scripted(unavailable("30")), deadline=10)
    with pytest.raises(ConnectWiseDeadlineError) as info:
        await twin.call("get", "service/tickets")
    assert twin.clock.sleeps == []
    assert isinstance(info.value.__cause__, ConnectWiseServerError)
    assert info.value.retries_taken == 0
    assert "status 503" in str(info.value) and "deadline=" in str(info.value)


async def test_a_retry_after_within_the_deadline_is_honoured(make: Any) -> None:
    twin = make(scripted(unavailable("2"), respond(200, [{"id": 1}])), deadline=10)
    assert await twin.call("get", "service/tickets") == [{"id": 1}]
    assert twin.clock.sleeps == [2.0]


async def test_waits_add_up_against_one_deadline(make: Any) -> None:
    server = scripted(*(unavailable("4") for _ in range(6)))
    twin = make(server, deadline=10, max_retries=5)
    with pytest.raises(ConnectWiseDeadlineError) as info:
        await twin.call("get", "service/tickets")
    assert twin.clock.sleeps == [4.0, 4.0]  # a third wait would end at 12 s
    assert info.value.retries_taken == 2
    assert len(server.requests) == 3


async def test_no_deadline_waits_every_retry(make: Any) -> None:
    server = scripted(*(unavailable("60") for _ in range(3)), respond(200, []))
    twin = make(server, deadline=None)
    assert await twin.call("get", "service/tickets") == []
    assert twin.clock.sleeps == [60.0, 60.0, 60.0]


async def test_a_429_hold_longer_than_the_deadline_fails_the_next_call_unsent(make: Any) -> None:
    rate_limited = respond(429, {"message": "slow down"}, headers={"Retry-After": "30"})
    server = scripted(rate_limited)
    twin = make(server, deadline=10)
    with pytest.raises(ConnectWiseDeadlineError) as first:
        await twin.call("get", "service/tickets")
    assert isinstance(first.value.__cause__, ConnectWiseRateLimitError)
    with pytest.raises(ConnectWiseDeadlineError) as second:
        await twin.call("get", "service/tickets")
    assert "429" in str(second.value)
    assert len(server.requests) == 1  # the second call never went out
    assert twin.clock.sleeps == []


async def test_a_mock_body_over_the_cap_is_refused(make: Any) -> None:
    twin = make(scripted(respond(200, text="[" + "1," * 600 + "1]")), max_response_bytes=1000)
    with pytest.raises(ConnectWiseResponseTooLargeError) as info:
        await twin.call("get", "service/tickets")
    assert info.value.limit == 1000 and info.value.path == "service/tickets"


async def test_the_limits_are_visible_on_the_client(make: Any) -> None:
    twin = make(scripted(), deadline=5, max_response_bytes=1234)
    assert twin.client.deadline == 5 and twin.client.max_response_bytes == 1234
    default = make(scripted())
    assert default.client.deadline == 120.0
    assert default.client.max_response_bytes == 256 * 1024 * 1024


@pytest.mark.parametrize("value", [0, -1, "10", True, float("nan"), float("inf")])
def test_a_bad_deadline_is_refused(value: object) -> None:
    with pytest.raises(ConnectWiseConfigurationError, match="deadline"):
        ConnectWiseClient(API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID, deadline=value)


@pytest.mark.parametrize("value", [0, -5, 1.5, "1000", False])
def test_a_bad_max_response_bytes_is_refused(value: object) -> None:
    with pytest.raises(ConnectWiseConfigurationError, match="max_response_bytes"):
        ConnectWiseClient(API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID, max_response_bytes=value)


# -- a DELETE whose success was lost -------------------------------------------------------


def gone() -> httpx.Response:
    return cw_error(404, "NotFound", "Ticket 5 not found")


@pytest.mark.parametrize(
    "lost",
    [
        httpx.ReadTimeout("lost"),
        httpx.RemoteProtocolError("reset"),
        httpx.ReadError("reset"),
        respond(503, {"message": "gateway"}),
        respond(504, {"message": "gateway"}),
    ],
    ids=["read-timeout", "protocol-error", "read-error", "503", "504"],
)
async def test_a_retried_delete_that_finds_404_reports_success(make: Any, lost: Any) -> None:
    server = scripted(lost, gone())
    twin = make(server)
    assert await twin.call("delete", "service/tickets", 5) is True
    assert [r.method for r in server.requests] == ["DELETE", "DELETE"]


async def test_a_domain_delete_after_a_lost_response_reports_success(make: Any) -> None:
    server = scripted(httpx.ReadTimeout("lost"), gone())
    twin = make(server)
    assert await twin.call("delete_ticket", 5) is True


async def test_a_first_attempt_404_on_delete_still_raises(make: Any) -> None:
    twin = make(scripted(gone()))
    with pytest.raises(ConnectWiseNotFoundError):
        await twin.call("delete", "service/tickets", 5)


@pytest.mark.parametrize(
    "unsent",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("no connection"),
        respond(429, {"message": "slow"}, headers={"Retry-After": "1"}),
    ],
    ids=["connect-error", "connect-timeout", "429"],
)
async def test_a_404_after_an_attempt_that_surely_did_nothing_raises(
    make: Any, unsent: Any
) -> None:
    twin = make(scripted(unsent, gone()))
    with pytest.raises(ConnectWiseNotFoundError):
        await twin.call("delete", "service/tickets", 5)


async def test_only_connectwise_404_counts_as_deleted(make: Any) -> None:
    html = respond(404, text="<html>no route</html>", headers={"content-type": "text/html"})
    twin = make(scripted(httpx.ReadTimeout("lost"), html), codebase="v4_6_release/")
    with pytest.raises(ConnectWiseNotFoundError):
        await twin.call("delete", "service/tickets", 5)


async def test_a_get_after_a_lost_response_is_not_turned_into_success(make: Any) -> None:
    twin = make(scripted(httpx.ReadTimeout("lost"), gone()))
    assert await twin.call("get", "service/tickets/5") is None  # 404 is "no such record"


async def test_a_delete_that_keeps_failing_raises_the_last_error(make: Any) -> None:
    twin = make(scripted(*(httpx.ReadTimeout("lost") for _ in range(4))))
    with pytest.raises(ConnectWiseConnectionError):
        await twin.call("delete", "service/tickets", 5)
