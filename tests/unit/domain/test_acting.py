"""Acting as another member: ``impersonate``, ``with_credentials``, ``compute_auth``, ``run_as``."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from cw_facade._errors import ConnectWiseNotFoundError, ConnectWiseResponseError
from cw_facade._validation import InvalidArgumentError

from .conftest import Twin, respond, sent_of

pytestmark = pytest.mark.anyio

Make = Callable[..., Twin]

TOKENS = "system/members/jdoe/tokens"
TICKET = "service/tickets/1"


def keys_of(request: httpx.Request) -> str:
    """``company+public:private`` of a request's Basic ``Authorization``."""
    scheme, _, token = request.headers["Authorization"].partition(" ")
    assert scheme == "Basic"
    return base64.b64decode(token).decode()


def token_answer(expires: datetime | None = None, public: str = "tmp-pub") -> httpx.Response:
    body: dict[str, Any] = {"publicKey": public, "privateKey": "tmp-PRIVATE"}
    if expires is not None:
        body["expiration"] = expires.isoformat()
    return respond(200, body)


def later(minutes: int) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


async def test_impersonate_acts_with_the_issued_keys(make: Make) -> None:
    twin = make(
        {("POST", TOKENS): token_answer(later(60)), ("GET", TICKET): respond(200, {"id": 1})}
    )
    acting = await twin.call("impersonate", "jdoe")
    result = acting.get_ticket(1)
    ticket = await result if hasattr(result, "__await__") else result
    assert ticket.id == 1
    token_request, ticket_request = twin.router.requests
    assert token_request.headers["x-cw-usertype"] == "member"
    assert keys_of(token_request) == "acme+pubkey:priv-SECRET-k3y"
    assert keys_of(ticket_request) == "acme+tmp-pub:tmp-PRIVATE"
    assert "tmp-PRIVATE" not in repr(acting)


async def test_impersonate_as_an_integrator_sends_that_user_type(make: Make) -> None:
    twin = make({("POST", TOKENS): token_answer()})
    await twin.call("impersonate", "jdoe", user_type="integrator")
    assert twin.router.requests[0].headers["x-cw-usertype"] == "integrator"


async def test_closing_an_impersonating_client_leaves_the_pool_open(make: Make) -> None:
    twin = make({("POST", TOKENS): token_answer(), ("GET", TICKET): respond(200, {"id": 1})})
    acting = await twin.call("impersonate", "jdoe")
    closing = acting.close()
    if hasattr(closing, "__await__"):
        await closing
    assert (await twin.call("get_ticket", 1)).id == 1


async def test_run_as_a_member_caches_the_keys_until_they_expire(make: Make) -> None:
    answers = [token_answer(later(60), "first"), token_answer(later(60), "second")]
    twin = make(
        {("POST", TOKENS): lambda request: answers.pop(0), ("GET", TICKET): respond(200, {"id": 1})}
    )
    await twin.call("get_ticket", 1, run_as="jdoe")
    await twin.call("get_ticket", 1, run_as="jdoe")
    assert twin.router.sent() == [("POST", TOKENS), ("GET", TICKET), ("GET", TICKET)]
    assert [keys_of(r) for r in twin.router.requests[1:]] == ["acme+first:tmp-PRIVATE"] * 2


async def test_run_as_renews_keys_that_are_about_to_expire(make: Make) -> None:
    answers = [token_answer(later(0), "first"), token_answer(later(60), "second")]
    twin = make(
        {("POST", TOKENS): lambda request: answers.pop(0), ("GET", TICKET): respond(200, {"id": 1})}
    )
    await twin.call("get_ticket", 1, run_as="jdoe")
    await twin.call("get_ticket", 1, run_as="jdoe")
    assert [p for _, p in twin.router.sent()] == [TOKENS, TICKET, TOKENS, TICKET]
    assert keys_of(twin.router.requests[-1]) == "acme+second:tmp-PRIVATE"


async def test_an_unknown_member_raises_not_found(make: Make) -> None:
    twin = make()
    with pytest.raises(ConnectWiseNotFoundError):
        await twin.call("get_ticket", 1, run_as="jdoe")


async def test_a_token_answer_without_keys_is_a_response_error(make: Make) -> None:
    twin = make({("POST", TOKENS): respond(200, {"publicKey": "only-half"})})
    with pytest.raises(ConnectWiseResponseError, match="privateKey"):
        await twin.call("impersonate", "jdoe")


@pytest.mark.parametrize(
    ("args", "kwargs", "argument"),
    [(("",), {}, "member_identifier"), ((7,), {}, "member_identifier"),
     (("jdoe",), {"user_type": "admin"}, "user_type")],
)  # fmt: skip
async def test_bad_impersonation_arguments_send_nothing(
    make: Make, args: tuple[Any, ...], kwargs: dict[str, Any], argument: str
) -> None:
    twin = make()
    with pytest.raises(InvalidArgumentError) as caught:
        await twin.call("impersonate", *args, **kwargs)
    assert caught.value.argument == argument
    assert twin.router.requests == []


async def test_compute_auth_is_the_basic_value_of_a_key_pair(make: Make) -> None:
    twin = make({("GET", TICKET): respond(200, {"id": 1})})
    value = twin.client.compute_auth("other-pub", "other-priv")
    assert value == "Basic " + base64.b64encode(b"acme+other-pub:other-priv").decode()
    await twin.call("get_ticket", 1, run_as=value)
    assert keys_of(twin.router.requests[0]) == "acme+other-pub:other-priv"
    with pytest.raises(InvalidArgumentError):
        twin.client.compute_auth("", "x")


async def test_with_credentials_acts_with_the_given_keys(make: Make) -> None:
    twin = make({("GET", TICKET): respond(200, {"id": 1})})
    other = twin.client.with_credentials("k2", "p2")
    result = other.get_ticket(1)
    if hasattr(result, "__await__"):
        await result
    assert keys_of(twin.router.requests[0]) == "acme+k2:p2"
    with pytest.raises(InvalidArgumentError):
        twin.client.with_credentials("k2", None)


@pytest.mark.parametrize(
    "value",
    ["Basic " + base64.b64encode(b"othercompany+k:p").decode(),
     "Basic " + base64.b64encode(b"acme+k").decode(), "Basic %%%"],
)  # fmt: skip
async def test_run_as_refuses_an_authorization_for_another_company(make: Make, value: str) -> None:
    twin = make()
    with pytest.raises(InvalidArgumentError) as caught:
        await twin.call("get_ticket", 1, run_as=value)
    assert caught.value.argument == "run_as"
    assert twin.router.requests == []


async def test_raw_methods_take_run_as_positionally(make: Make) -> None:
    twin = make(
        {
            ("GET", "service/tickets"): respond(200, [{"id": 1}]),
            ("POST", "service/tickets"): respond(201, {"id": 2}),
            ("DELETE", "service/tickets/2"): respond(204),
        }
    )
    value = twin.client.compute_auth("k3", "p3")
    assert await twin.call("get", "service/tickets", "id=1", "", "", None, None, "", value)
    assert await twin.call("post", "service/tickets", {"summary": "x"}, value) == {"id": 2}
    assert await twin.call("delete", "service/tickets", 2, value) is True
    assert {keys_of(r) for r in twin.router.requests} == {"acme+k3:p3"}


async def test_create_ticket_sends_status_and_type_and_attaches_config_ids(make: Make) -> None:
    twin = make(
        {
            ("POST", "service/tickets"): respond(201, {"id": 9}),
            ("POST", "service/tickets/9/configurations"): respond(201, {"id": 1}),
        }
    )
    ticket = await twin.call("create_ticket", "x", None, 250, None, None, 456, 3, 42, [1, 2])
    assert ticket.id == 9
    create = sent_of(twin.router.requests[0]).json
    assert (create["status"], create["type"], create["source"]) == (
        {"id": 456},
        {"id": 3},
        {"id": 42},
    )
    attached = [sent_of(r) for r in twin.router.requests[1:]]
    assert [(s.path, s.json) for s in attached] == [
        ("service/tickets/9/configurations", {"id": 1}),
        ("service/tickets/9/configurations", {"id": 2}),
    ]


async def test_toolkit_query_spellings_reach_the_wire(make: Make) -> None:
    twin = make(
        {
            ("GET", "service/tickets"): respond(200, []),
            ("GET", "service/tickets/1/notes"): respond(200, []),
            ("GET", "service/boards"): respond(200, []),
            ("GET", "company/contacts"): respond(200, []),
        }
    )
    await twin.call("get", "service/tickets", "", "summary!=null", "", 5, 2, "id desc")
    await twin.call("get_ticket_notes", 1, "", "x=1", orderby="id", order_by="id")
    await twin.call("get_boards", False)
    await twin.call("get_boards")
    await twin.call("get_company_contacts", 250, 'lastName="Lee"')
    queries = [dict(r.url.params) for r in twin.router.requests if "count" not in r.url.path]
    assert queries[0] == {"childConditions": "summary!=null", "pageSize": "5", "page": "2",
                          "orderBy": "id desc"}  # fmt: skip
    assert queries[1]["childConditions"] == "x=1" and queries[1]["orderBy"] == "id"
    assert "conditions" not in queries[2]
    assert queries[3]["conditions"] == "inactiveFlag=false"
    assert queries[4]["conditions"] == 'company/id=250 AND (lastName="Lee")'
