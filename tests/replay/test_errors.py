"""Replayed failures: 400 InvalidObject, 401, 404 on writes, 429 then success, 503, give-ups.

Faults are injected into the simulator while recording (``faults.add``); the cassettes hold
the failing responses, so replay exercises the client's retry loop on the exact bytes.
Clients never really sleep: ``sleeps`` lists the delays they asked for.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from vcr.cassette import Cassette

from cw_facade import (
    AsyncConnectWiseClient,
    ConnectWiseAuthError,
    ConnectWiseBadRequestError,
    ConnectWiseClient,
    ConnectWiseNotFoundError,
    ConnectWiseRateLimitError,
    ConnectWiseServerError,
)
from tests.replay._scrub import REJECTED_PRIVATE_KEY
from tests.replay.conftest import Faults

CREATE = {"company_id": 250, "board_id": 1, "priority_id": 8, "source_id": 42}
BAD_BOARD = {**CREATE, "board_id": 999}
MISSING_FIELDS = [("summary", "NullValue"), ("company", "NullValue")]
TICKET_5 = r"/service/tickets/5$"
TICKETS = r"/service/tickets$"


def _statuses(cassette: Cassette) -> list[int]:
    return [response["status"]["code"] for response in cassette.responses]


def _check_invalid_board(error: ConnectWiseBadRequestError) -> None:
    assert (error.status_code, error.code, error.method) == (400, "InvalidObject", "POST")
    assert [(e.field, e.code) for e in error.errors] == [("board/id", "InvalidField")]


def _check_missing_fields(error: ConnectWiseBadRequestError) -> None:
    assert [(e.field, e.code) for e in error.errors] == MISSING_FIELDS


def test_invalid_object(client: ConnectWiseClient) -> None:
    with pytest.raises(ConnectWiseBadRequestError) as caught:
        client.create_ticket("Bad board", **BAD_BOARD)
    _check_invalid_board(caught.value)
    with pytest.raises(ConnectWiseBadRequestError) as caught:
        client.post("service/tickets", {})
    _check_missing_fields(caught.value)


@pytest.mark.anyio
async def test_invalid_object_async(aclient: AsyncConnectWiseClient) -> None:
    with pytest.raises(ConnectWiseBadRequestError) as caught:
        await aclient.create_ticket("Bad board", **BAD_BOARD)
    _check_invalid_board(caught.value)
    with pytest.raises(ConnectWiseBadRequestError) as caught:
        await aclient.post("service/tickets", {})
    _check_missing_fields(caught.value)


def test_unauthorized(make_client: Callable[..., ConnectWiseClient]) -> None:
    rejected_client = make_client(private_key=REJECTED_PRIVATE_KEY)
    with pytest.raises(ConnectWiseAuthError) as caught:
        rejected_client.ping()
    assert (caught.value.status_code, caught.value.retries_taken) == (401, 0)
    assert REJECTED_PRIVATE_KEY not in str(caught.value)


@pytest.mark.anyio
async def test_unauthorized_async(make_aclient: Callable[..., AsyncConnectWiseClient]) -> None:
    rejected_aclient = make_aclient(private_key=REJECTED_PRIVATE_KEY)
    with pytest.raises(ConnectWiseAuthError) as caught:
        await rejected_aclient.ping()
    assert (caught.value.status_code, caught.value.retries_taken) == (401, 0)
    assert REJECTED_PRIVATE_KEY not in str(caught.value)


def test_not_found_on_write_raises(client: ConnectWiseClient) -> None:
    with pytest.raises(ConnectWiseNotFoundError) as caught:
        client.update_ticket_field(99999, "summary", "nobody")
    assert (caught.value.status_code, caught.value.method) == (404, "PATCH")


@pytest.mark.needs_simulator
def test_429_then_success(
    client: ConnectWiseClient, faults: Faults, cassette: Cassette, sleeps: list[float]
) -> None:
    faults.add("429", path=TICKET_5, count=1, retry_after=0)
    faults.add("429", method="POST", path=TICKETS, count=1, retry_after=0)
    assert client.get_ticket(5).id == 5
    assert client.create_ticket("After a 429", **CREATE).summary == "After a 429"
    assert _statuses(cassette) == [429, 200, 429, 201]
    assert sleeps == [0.0, 0.0]


@pytest.mark.needs_simulator
@pytest.mark.anyio
async def test_429_then_success_async(
    aclient: AsyncConnectWiseClient, faults: Faults, cassette: Cassette, sleeps: list[float]
) -> None:
    faults.add("429", path=TICKET_5, count=1, retry_after=0)
    faults.add("429", method="POST", path=TICKETS, count=1, retry_after=0)
    assert (await aclient.get_ticket(5)).id == 5
    assert (await aclient.create_ticket("After a 429", **CREATE)).summary == "After a 429"
    assert _statuses(cassette) == [429, 200, 429, 201]
    assert sleeps == [0.0, 0.0]


@pytest.mark.needs_simulator
def test_503_backoff_and_give_up(
    make_client: Callable[..., ConnectWiseClient],
    faults: Faults,
    cassette: Cassette,
    sleeps: list[float],
) -> None:
    """A GET is retried after backoff; a POST is not; a 429 beyond the budget raises."""
    retrying_client = make_client(max_retries=1)
    faults.add("503", method="GET", path=TICKET_5, count=1)
    assert retrying_client.get_ticket(5).id == 5
    assert len(sleeps) == 1 and 0.0 < sleeps[0] <= 0.5
    faults.add("503", method="POST", path=TICKETS, count=1)
    with pytest.raises(ConnectWiseServerError):
        retrying_client.create_ticket("Not repeated", **CREATE)
    faults.add("429", path=r"/system/info$", count=2, retry_after=0)
    with pytest.raises(ConnectWiseRateLimitError) as caught:
        retrying_client.system_info()
    assert (caught.value.retries_taken, caught.value.retry_after) == (1, 0.0)
    assert _statuses(cassette) == [503, 200, 503, 429, 429]
