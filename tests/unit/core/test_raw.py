"""Raw methods, headers and multi-request methods on both clients."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from cw_facade._errors import (
    ConnectWiseConfigurationError,
    ConnectWiseNotFoundError,
    ConnectWiseResponseError,
)
from cw_facade._validation import InvalidArgumentError

from .conftest import CLIENT, CLIENT_ID, PASSWORD, USERNAME, body_of, cw_error, respond, scripted

pytestmark = pytest.mark.anyio


async def test_get_sends_auth_client_id_and_versioned_accept(make: Any) -> None:
    server = scripted(respond(200, [{"id": 1}]))
    twin = make(server)
    assert await twin.call("get", "service/tickets") == [{"id": 1}]
    sent = server.requests[0]
    token = base64.b64encode(f"{CLIENT}+{USERNAME}:{PASSWORD}".encode()).decode()
    assert sent.headers["authorization"] == f"Basic {token}"
    assert sent.headers["clientid"] == CLIENT_ID
    assert sent.headers["accept"] == "application/vnd.connectwise.com+json; version=2025.8"
    assert str(sent.url) == "https://cw.example.com/v4_6_release/apis/3.0/service/tickets"


async def test_api_version_option_changes_accept(make: Any) -> None:
    server = scripted(respond(200, {}))
    await make(server, api_version="2024.1").call("get", "system/info")
    assert server.requests[0].headers["accept"].endswith("version=2024.1")


async def test_get_builds_query_in_api_spelling(make: Any) -> None:
    server = scripted(respond(200, []))
    twin = make(server, validate_conditions=False)
    await twin.call(
        "get",
        "/service/tickets/",
        conditions="closedFlag=false",
        fields=["id", "summary"],
        order_by="id desc",
        page=2,
        pagesize=50,
        childConditions='communicationItems/value like "j*"',
        skip=None,
        flag=True,
    )
    params = dict(server.requests[0].url.params)
    assert params == {
        "conditions": "closedFlag=false",
        "fields": "id,summary",
        "orderBy": "id desc",
        "page": "2",
        "pageSize": "50",
        "childConditions": 'communicationItems/value like "j*"',
        "flag": "true",
    }
    assert server.paths == ["service/tickets"]


async def test_a_builder_expression_is_sent_as_conditions(make: Any) -> None:
    from cw_facade.conditions import C

    server = scripted(respond(200, []))
    await make(server).call("get", "service/tickets", conditions=C.summary.contains("x"))
    assert server.requests[0].url.params["conditions"] == 'summary contains "x"'


async def test_another_object_as_conditions_is_refused_unsent(make: Any) -> None:
    class Expr:
        def __str__(self) -> str:
            return 'summary contains "x"'

    server = scripted()
    with pytest.raises(InvalidArgumentError, match="conditions"):
        await make(server).call("get", "service/tickets", conditions=Expr())
    assert server.requests == []


async def test_get_404_is_none(make: Any) -> None:
    twin = make(scripted(cw_error(404, "NotFound", "Service Ticket 9 not found")))
    assert await twin.call("get", "service/tickets/9") is None


async def test_post_sends_body_and_returns_created(make: Any) -> None:
    server = scripted(respond(201, {"id": 77, "summary": "s"}))
    created = await make(server).call("post", "service/tickets", {"summary": "s"})
    assert created == {"id": 77, "summary": "s"}
    assert server.requests[0].method == "POST"
    assert body_of(server.requests[0]) == {"summary": "s"}


async def test_patch_put_delete(make: Any) -> None:
    server = scripted(respond(200, {"id": 5}), respond(200, {"id": 5, "a": 1}), respond(204))
    twin = make(server)
    ops = [{"op": "replace", "path": "status", "value": {"id": 5}}]
    assert await twin.call("patch", "service/tickets", 5, ops) == {"id": 5}
    assert await twin.call("put", "service/tickets", "5", {"a": 1}) == {"id": 5, "a": 1}
    assert await twin.call("delete", "service/tickets", 5) is True
    assert [r.method for r in server.requests] == ["PATCH", "PUT", "DELETE"]
    assert server.paths == ["service/tickets/5"] * 3
    assert body_of(server.requests[0]) == ops


async def test_delete_404_raises(make: Any) -> None:
    twin = make(scripted(cw_error(404, "NotFound", "gone")))
    with pytest.raises(ConnectWiseNotFoundError):
        await twin.call("delete", "service/tickets", 5)


async def test_count(make: Any) -> None:
    server = scripted(respond(200, {"count": 42}))
    twin = make(server, validate_conditions=False)
    assert await twin.call("count", "service/tickets", conditions="id>1") == 42
    assert server.paths == ["service/tickets/count"]
    assert server.requests[0].url.params["conditions"] == "id>1"


@pytest.mark.parametrize("body", [{"total": 3}, {"count": "3"}, [], {"count": True}])
async def test_count_without_integer_is_a_response_error(make: Any, body: Any) -> None:
    twin = make(scripted(respond(200, body)))
    with pytest.raises(ConnectWiseResponseError, match="count"):
        await twin.call("count", "service/tickets")


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("get", ("",)),
        ("get", ("https://evil.example.com/x",)),
        ("get", ("service/../system",)),
        ("delete", ("service/tickets", "5; drop")),
        ("delete", ("service/tickets", True)),
        ("put", ("service/tickets", -1, {})),
        ("patch", ("service/tickets", 1, [])),
        ("patch", ("service/tickets", 1, {"op": "replace"})),
    ],
)
async def test_bad_arguments_are_refused_before_sending(
    make: Any, method: str, args: tuple[Any, ...]
) -> None:
    server = scripted()
    with pytest.raises(ConnectWiseConfigurationError):
        await make(server).call(method, *args)
    assert server.requests == []


@pytest.mark.parametrize(
    "options", [{"page": 0}, {"page": "2"}, {"pagesize": 0}, {"pagesize": 1001}, {"pagesize": 2.5}]
)
async def test_bad_page_arguments_of_get(make: Any, options: dict[str, Any]) -> None:
    server = scripted()
    with pytest.raises(ConnectWiseConfigurationError):
        await make(server).call("get", "service/tickets", **options)
    assert server.requests == []


async def test_bad_max_retries_per_call(make: Any) -> None:
    server = scripted()
    with pytest.raises(ConnectWiseConfigurationError):
        await make(server).call("get", "service/tickets", max_retries=-1)


async def test_a_multi_request_method_feeds_each_answer_into_the_next_request(make: Any) -> None:
    ticket = {"id": 5, "customFields": [{"id": 1, "caption": "Region", "value": "EU"}]}
    server = scripted(respond(200, ticket), respond(200, {"id": 5, "summary": "hi"}))
    twin = make(server)
    updated = await twin.call("set_custom_field", 5, "Region", "US")
    assert updated.summary == "hi"
    assert [r.method for r in server.requests] == ["GET", "PATCH"]
    assert server.paths == ["service/tickets/5", "service/tickets/5"]
    assert dict(server.requests[0].url.params) == {"fields": "id,customFields"}
    assert body_of(server.requests[1]) == [
        {
            "op": "replace",
            "path": "customFields",
            "value": [{"id": 1, "caption": "Region", "value": "US"}],
        }
    ]


async def test_an_error_in_a_later_request_raises_and_the_client_stays_usable(make: Any) -> None:
    server = scripted(
        respond(200, {"id": 5, "board": {"id": 1}}),
        cw_error(404, "NotFound", "Board 1 not found"),
        respond(200, {"version": "v1"}),
    )
    twin = make(server)
    with pytest.raises(ConnectWiseNotFoundError):
        await twin.call("update_ticket_status", 5, status="Resolved")
    assert server.paths == ["service/tickets/5", "service/boards/1/statuses"]
    assert await twin.call("ping") is True  # nothing left half-open: the next call goes out
    assert server.paths[-1] == "system/info"


async def test_raw_write_with_an_empty_body_returns_none(make: Any) -> None:
    server = scripted(httpx.Response(200, content=b"  "))
    twin = make(server)
    assert await twin.call("post", "service/tickets/5/configurations", {"id": 1}) is None
    assert body_of(server.requests[0]) == {"id": 1}


async def test_domain_write_with_an_empty_body_is_a_response_error(make: Any) -> None:
    server = scripted(httpx.Response(200, content=b"  "))
    twin = make(server)
    with pytest.raises(ConnectWiseResponseError, match="empty body"):
        await twin.call("attach_configuration", 5, 1)
    assert server.paths == ["service/tickets/5/configurations"]
    assert body_of(server.requests[0]) == {"id": 1}


async def test_ticket_defaults_and_context_manager(kind: str) -> None:
    from cw_facade._async._client import AsyncConnectWiseClient
    from cw_facade._sync._client import ConnectWiseClient

    from .conftest import API_ROOT

    marker = object()
    transport = httpx.MockTransport(lambda r: respond(200, {"ok": True}))
    if kind == "sync":
        with ConnectWiseClient(
            API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID, marker, transport=transport
        ) as cw:
            assert cw.ticket_defaults is marker
            assert cw.get("system/info") == {"ok": True}
        assert cw._http.is_closed
    else:
        async with AsyncConnectWiseClient(
            API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID, marker, transport=transport
        ) as acw:
            assert acw.ticket_defaults is marker
            assert await acw.get("system/info") == {"ok": True}
        assert acw._http.is_closed


async def test_injected_http_client_is_not_closed(kind: str) -> None:
    from cw_facade._async._client import AsyncConnectWiseClient
    from cw_facade._sync._client import ConnectWiseClient

    from .conftest import API_ROOT

    transport = httpx.MockTransport(lambda r: respond(200, []))
    args = (API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID)
    if kind == "sync":
        with httpx.Client(transport=transport) as http:
            ConnectWiseClient(*args, http_client=http).close()
            assert not http.is_closed
    else:
        async with httpx.AsyncClient(transport=transport) as ahttp:
            await AsyncConnectWiseClient(*args, http_client=ahttp).aclose()
            assert not ahttp.is_closed


@pytest.mark.parametrize("method", ["get", "get_all", "count", "iter_all"])
async def test_invalid_conditions_are_refused_before_sending(make: Any, method: str) -> None:
    from cw_facade.conditions import ConditionsSyntaxError

    server = scripted()
    twin = make(server)
    with pytest.raises(ConditionsSyntaxError):
        if method == "iter_all":
            twin.client.iter_all("service/tickets", conditions='summary = "unterminated')
        else:
            await twin.call(method, "service/tickets", conditions="id = = 5")
    assert server.requests == []


async def test_valid_conditions_and_builder_expressions_are_sent(make: Any) -> None:
    from cw_facade.conditions import C

    server = scripted(respond(200, []), respond(200, []))
    twin = make(server)
    await twin.call("get", "service/tickets", conditions='closedFlag=false AND summary="a b"')
    expression = (C.board.id == 3) & (C.closedFlag == False)  # noqa: E712
    await twin.call("get", "service/tickets", conditions=expression)
    sent = [r.url.params["conditions"] for r in server.requests]
    assert sent == ['closedFlag=false AND summary="a b"', "board/id=3 AND closedFlag=false"]


async def test_validation_can_be_switched_off(make: Any) -> None:
    server = scripted(cw_error(400, "ApiFindCondition", "x is not a recognized name."))
    twin = make(server, validate_conditions=False)
    from cw_facade._errors import ConnectWiseBadRequestError

    with pytest.raises(ConnectWiseBadRequestError) as info:
        await twin.call("count", "service/tickets", conditions="id = = 5")
    assert info.value.code == "ApiFindCondition"
    assert server.requests[0].url.params["conditions"] == "id = = 5"


@pytest.mark.parametrize("name", ["Conditions", "PAGESIZE", "OrderBy", "Fields", "Page"])
async def test_extra_params_may_not_shadow_checked_arguments(make: Any, name: str) -> None:
    server = scripted()
    twin = make(server)
    with pytest.raises(ConnectWiseConfigurationError, match="not as an extra parameter"):
        await twin.call("get", "service/tickets", **{name: "x"})
    assert server.requests == []


async def test_a_non_ascii_digit_record_id_is_a_configuration_error(make: Any) -> None:
    server = scripted()
    twin = make(server)
    with pytest.raises(ConnectWiseConfigurationError, match="record_id"):
        await twin.call("delete", "service/tickets", "²")
    assert server.requests == []
