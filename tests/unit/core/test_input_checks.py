"""Every query argument and id the raw methods forward is checked before anything is sent."""

from __future__ import annotations

from typing import Any

import pytest

from cw_facade._errors import ConnectWiseConfigurationError
from cw_facade._sync._client import ConnectWiseClient
from cw_facade._validation import InvalidArgumentError
from cw_facade.conditions import C, ConditionsSyntaxError

from .conftest import API_ROOT, CLIENT, CLIENT_ID, PASSWORD, USERNAME, respond, scripted

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("delete", ("service/tickets", 0)),
        ("delete", ("service/tickets", "0")),
        ("put", ("service/tickets", -3, {})),
        ("patch", ("service/tickets", 10**5000, [{"op": "replace"}])),
        ("delete", ("service/tickets", "9" * 5000)),
        ("delete", ("service/tickets", True)),
        ("delete", ("service/tickets", 2**31)),
        ("get", ("service/tickets/0/notes",)),
        ("get", ("service/tickets/" + "9" * 5000,)),
        ("post", ("service/tickets/0/notes", {"text": "x"})),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
async def test_a_bad_record_id_is_refused_unsent(make: Any, method: str, args: tuple[Any]) -> None:
    server = scripted()
    with pytest.raises(InvalidArgumentError) as info:
        await make(server).call(method, *args)
    assert info.value.argument in {"record_id", "endpoint"}
    assert len(str(info.value)) < 200  # a 5,000-digit id is never echoed
    assert server.requests == []


@pytest.mark.parametrize(
    "params",
    [
        {"conditions ": "id = 1"},
        {" Conditions": "id = 1"},
        {"ORDERBY ": "id"},
        {"pageSize ": 5},
        {"childConditions": "id = 1", "childconditions ": "id = 2"},
        {"child_conditions": "id = 1", "childConditions": "id = 2"},
        {"bad name": 1},
        {"search": object()},
    ],
)
async def test_a_bad_extra_parameter_is_refused_unsent(make: Any, params: dict[str, Any]) -> None:
    server = scripted()
    with pytest.raises(InvalidArgumentError):
        await make(server).call("get", "service/tickets", **params)
    assert server.requests == []


@pytest.mark.parametrize("name", ["childConditions", "customFieldConditions", "child_conditions"])
async def test_condition_extras_are_parsed(make: Any, name: str) -> None:
    server = scripted()
    with pytest.raises(ConditionsSyntaxError):
        await make(server).call("get", "service/tickets", **{name: "id = = 1"})
    with pytest.raises(InvalidArgumentError):
        await make(server).call("get", "service/tickets", **{name: 5})
    assert server.requests == []


async def test_condition_extras_are_sent_by_their_wire_names(make: Any) -> None:
    server = scripted(respond(200, []), respond(200, []))
    twin = make(server)
    await twin.call("get", "company/companies", child_conditions="types/id = 1")
    await twin.call("get", "company/companies", customFieldConditions=C.value == "x")
    assert server.requests[0].url.params["childConditions"] == "types/id = 1"
    assert server.requests[1].url.params["customFieldConditions"] == str(C.value == "x")


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("order_by", "id; drop"),
        ("order_by", "id desc extra"),
        ("order_by", 5),
        ("fields", "id,,summary"),
        ("fields", "summary name"),
        ("fields", ["id", 3]),
        ("fields", 7),
    ],
)
async def test_a_bad_order_by_or_fields_is_refused_unsent(
    make: Any, argument: str, value: Any
) -> None:
    server = scripted()
    with pytest.raises(ConnectWiseConfigurationError):
        await make(server).call("get", "service/tickets", **{argument: value})
    with pytest.raises(ConnectWiseConfigurationError):
        await make(server).call("get_all", "service/tickets", **{argument: value})
    assert server.requests == []


async def test_good_order_by_and_fields_are_sent_as_written(make: Any) -> None:
    server = scripted(respond(200, []), respond(200, []))
    twin = make(server)
    await twin.call("get", "service/tickets", order_by=" id desc, summary", fields="id, summary")
    await twin.call("get", "service/tickets", order_by=[C.id.desc()], fields=["id", "status/name"])
    first, second = (request.url.params for request in server.requests)
    assert first["orderBy"] == "id desc, summary" and first["fields"] == "id, summary"
    assert second["orderBy"] == "id desc" and second["fields"] == "id,status/name"


# -- credentials checked as header values at construction ------------------------------------


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("client_id", "abc\r\nX-Evil: 1"),
        ("client_id", "abc\ndef"),
        ("client_id", "clïent"),  # Latin-1 but not ASCII: a header of its own
        ("client_id", "客户"),
        ("client", "acme\r\n"),
        ("client", "ac:me"),
        ("client", "客户"),
        ("username", "pub\nkey"),
        ("username", "pub:key"),
        ("password", "pa\rss"),
        ("password", "秘密"),
        ("password", "pa\x01ss"),
    ],
)
def test_a_credential_that_cannot_travel_in_a_header_is_refused(argument: str, value: str) -> None:
    given = {"client": CLIENT, "username": USERNAME, "password": PASSWORD, "client_id": CLIENT_ID}
    given[argument] = value
    with pytest.raises(ConnectWiseConfigurationError) as info:
        ConnectWiseClient(API_ROOT, **given)
    assert argument in str(info.value)
    assert value not in str(info.value)
    assert not isinstance(info.value.__cause__, UnicodeError)
