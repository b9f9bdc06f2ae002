"""Every generated operation, called through ``client.api`` (sync and async), against the simulator.

The cases are the contract test's (one per operation of the description): the same concrete
ids and bodies, but sent by the generated function on the facade's transport. Each call must
carry the facade's headers, get the declared status and parse; the description's 238, and now
1,223, operations are all reached this way.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from _import_paths import generator_snake_case

from cw_facade import AsyncConnectWiseClient, ConnectWiseClient, ConnectWiseNotFoundError
from cw_facade.testing import ManageSimulator
from cw_manage_client import operations

from .test_contract import OPERATIONS, ROUTES, SPEC, _body, _ids

# The simulator logs no Authorization header (secrets stay out of its log); it checks it.
API_HEADERS = {"clientid", "accept", "user-agent"}


@pytest.fixture(scope="module")
def clients(
    manage_simulator_session: ManageSimulator,
) -> Iterator[tuple[ConnectWiseClient, AsyncConnectWiseClient, asyncio.AbstractEventLoop]]:
    sim = manage_simulator_session
    args = (sim.base_url, sim.company, sim.public_key, sim.private_key, sim.client_id)
    loop = asyncio.new_event_loop()
    with ConnectWiseClient(*args, max_retries=0) as cw:
        acw = AsyncConnectWiseClient(*args, max_retries=0)
        yield cw, acw, loop
        loop.run_until_complete(acw.aclose())
    loop.close()


def _module(template: str, method: str) -> ModuleType:
    name = generator_snake_case(SPEC["paths"][template][method]["operationId"])
    module: ModuleType = getattr(operations, name)
    return module


_SAMPLES = {"int": 1, "str": "x", "bool": False}


def _arguments(module: ModuleType, template: str, method: str, values: dict[str, Any]) -> list[Any]:
    """The positional arguments of the generated function: path ids, then required queries."""
    roles = dict(ROUTES[(template, method)].roles)
    placeholders = re.findall(r"\{(\w+)\}", template)
    by_name = {generator_snake_case(p): values.get(roles.get(p, p), 1) for p in placeholders}
    return [
        by_name.get(p.name, _SAMPLES.get(str(p.annotation), 1))
        for p in inspect.signature(module.request_args).parameters.values()
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]


class _Dirty:
    """Whether the shared simulator was written to since its last reset (as in the contract)."""

    flag = True


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(
    ("template", "method"),
    OPERATIONS,
    ids=[SPEC["paths"][t][m]["operationId"] for t, m in OPERATIONS],
)
def test_every_operation_through_the_facade_transport(
    manage_simulator_session: ManageSimulator,
    clients: tuple[ConnectWiseClient, AsyncConnectWiseClient, asyncio.AbstractEventLoop],
    template: str,
    method: str,
    kind: str,
) -> None:
    sim = manage_simulator_session
    if _Dirty.flag or method != "get":
        sim.reset(seed="demo")
    _Dirty.flag = method != "get"
    cw, acw, loop = clients
    route = ROUTES[(template, method)]
    values = _ids(sim, route)
    module = _module(template, method)
    positional = _arguments(module, template, method, values)
    extra: dict[str, Any] = {}
    body = inspect.signature(module.request_args).parameters.get("body")
    if body is not None:
        sample = _body(sim, route, values)
        many = str(body.annotation).startswith("Sequence[") and not isinstance(sample, list)
        extra["body"] = [sample] if many else sample
    before = len(sim.request_log)
    if kind == "sync":
        response = module.sync_detailed(*positional, client=cw.api, **extra)
    else:
        response = loop.run_until_complete(
            module.asyncio_detailed(*positional, client=acw.api, **extra)
        )
    assert response.status_code == route.status
    (record,) = [r for r in sim.request_log[before:] if "/login/" not in r.path]
    assert API_HEADERS <= set(record.headers)
    assert record.headers["accept"].endswith("version=2025.8")
    content = SPEC["paths"][template][method]["responses"][str(route.status)].get("content")
    if content and route.kind not in ("count", "bundle"):
        assert response.parsed is not None  # the generated from_dict read the body


def test_a_missing_record_raises_through_api(
    clients: tuple[ConnectWiseClient, AsyncConnectWiseClient, asyncio.AbstractEventLoop],
) -> None:
    cw, acw, loop = clients
    with pytest.raises(ConnectWiseNotFoundError) as caught:
        operations.get_service_tickets_by_id.sync(987654, client=cw.api)
    assert caught.value.code == "NotFound"
    with pytest.raises(ConnectWiseNotFoundError):
        loop.run_until_complete(
            operations.get_service_tickets_by_id.asyncio(987654, client=acw.api)
        )


def test_a_429_then_200_is_retried_through_api(manage_simulator: ManageSimulator) -> None:
    sim = manage_simulator
    args = (sim.base_url, sim.company, sim.public_key, sim.private_key, sim.client_id)
    sim.add_fault("429", path=r"/service/tickets/1$", count=1, retry_after=0)
    with ConnectWiseClient(*args) as cw:
        assert operations.get_service_tickets_by_id.sync(1, client=cw.api).id == 1
    sim.add_fault("429", path=r"/service/tickets/2$", count=1, retry_after=0)

    async def main() -> int:
        async with AsyncConnectWiseClient(*args) as acw:
            ticket = await operations.get_service_tickets_by_id.asyncio(2, client=acw.api)
            return int(ticket.id)

    assert asyncio.run(main()) == 2
    statuses = [r.status for r in sim.request_log if r.path.endswith(("/tickets/1", "/tickets/2"))]
    assert statuses == [429, 200, 429, 200]
