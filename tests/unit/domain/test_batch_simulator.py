"""Bundles, get-many and the N+1 helpers on both clients against the simulator (loopback).

Request counts come from the simulator's request log; nothing here measures time.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest

from cw_facade import (
    BundleRequest,
    ConnectWiseBadRequestError,
    ConnectWiseConfigurationError,
    ConnectWiseConnectionError,
    ConnectWiseMissingRecordsError,
    ConnectWiseNotFoundError,
    ConnectWiseServerError,
)
from cw_facade._async import _batch as async_batch
from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._sync import _batch as sync_batch
from cw_facade._sync._client import ConnectWiseClient
from cw_facade.testing import ManageSimulator

pytestmark = pytest.mark.anyio

TICKETS = 2000


@pytest.fixture(scope="module")
def sim() -> Iterator[ManageSimulator]:
    with ManageSimulator(tickets=TICKETS) as started:
        yield started


@pytest.fixture
def fresh(sim: ManageSimulator) -> Iterator[ManageSimulator]:
    sim.clear_faults()
    sim.request_log.clear()
    yield sim
    sim.clear_faults()


class Twin:
    """The sync or async client on the simulator; ``call`` awaits where needed."""

    def __init__(self, kind: str, sim: ManageSimulator, **options: Any) -> None:
        cls = ConnectWiseClient if kind == "sync" else AsyncConnectWiseClient
        self.kind = kind
        self.client: Any = cls(
            sim.base_url,
            sim.company,
            sim.public_key,
            sim.private_key,
            sim.client_id,
            allow_insecure_http=True,
            codebase=sim.codebase,
            **options,
        )

    async def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, name)(*args, **kwargs)
        return await result if inspect.isawaitable(result) else result


@pytest.fixture
async def twin(kind: str, fresh: ManageSimulator) -> Any:
    made = Twin(kind, fresh)
    yield made
    if kind == "sync":
        made.client.close()
    else:
        await made.client.aclose()


def posts(sim: ManageSimulator, suffix: str = "/system/bundles") -> int:
    return sum(1 for r in sim.request_log if r.method == "POST" and r.path.endswith(suffix))


def gets(sim: ManageSimulator, suffix: str) -> list[Any]:
    return [r for r in sim.request_log if r.method == "GET" and r.path.endswith(suffix)]


# -- bundles -----------------------------------------------------------------------------------


async def test_each_result_has_its_own_outcome(twin: Twin, fresh: ManageSimulator) -> None:
    requests = [
        BundleRequest.get("ticket", 5),
        BundleRequest.get("ticket", 99_999),
        BundleRequest.list("ticketNote", parent_id=1),
        BundleRequest.list("ticket", conditions="nosuch=1"),
    ]
    results = await twin.call("bundle", requests)
    assert [r.request for r in results] == requests
    assert [(r.ok, r.status_code) for r in results] == [
        (True, 200),
        (False, 404),
        (True, 200),
        (False, 400),
    ]
    assert results[0].entities[0]["id"] == 5
    assert results[2].entities[0]["ticketId"] == 1
    assert isinstance(results[1].error, ConnectWiseNotFoundError)
    assert isinstance(results[3].error, ConnectWiseBadRequestError)
    assert fresh.private_key not in str(results[1].error)
    assert fresh.private_key not in repr(results[1].error.response.request.headers)
    with pytest.raises(ConnectWiseNotFoundError):
        results[1].raise_for_error()
    assert posts(fresh) == 1


async def test_large_bundles_are_split(twin: Twin, fresh: ManageSimulator) -> None:
    requests = [BundleRequest.get("ticket", n) for n in range(1, 31)]
    results = await twin.call("bundle", requests, chunk_size=7)
    assert [r.entities[0]["id"] for r in results] == list(range(1, 31))
    assert posts(fresh) == 5
    fresh.request_log.clear()
    await twin.call("bundle", requests)
    assert posts(fresh) == 2  # the default chunk is 25


async def test_writes_in_a_bundle(twin: Twin, fresh: ManageSimulator) -> None:
    (created,) = await twin.call(
        "bundle", [BundleRequest.create("ticket", {"summary": "Bundled", "company": {"id": 250}})]
    )
    assert (created.ok, created.status_code) == (True, 201)
    ticket = created.entities[0]
    record = {k: v for k, v in ticket.items() if k not in ("id", "_info")}
    replace, patch, note = await twin.call(
        "bundle",
        [
            BundleRequest.update("ticket", ticket["id"], {**record, "summary": "Replaced"}),
            BundleRequest.patch(
                "ticket", ticket["id"], [{"op": "replace", "path": "summary", "value": "Patched"}]
            ),
            BundleRequest.create(
                "ticketNote", {"text": "hi", "internalAnalysisFlag": True}, parent_id=ticket["id"]
            ),
        ],
    )
    assert replace.entities[0]["summary"] == "Replaced"
    assert patch.entities[0]["summary"] == "Patched"
    assert fresh.store.get("/service/tickets", ticket["id"])["summary"] == "Patched"
    assert note.entities[0]["ticketId"] == ticket["id"]
    (deleted,) = await twin.call("bundle", [BundleRequest.delete("ticket", ticket["id"])])
    assert (deleted.ok, deleted.status_code, deleted.entities) == (True, 204, [])
    assert fresh.store.get("/service/tickets", ticket["id"]) is None


async def test_a_bundle_of_reads_is_retried(twin: Twin, fresh: ManageSimulator) -> None:
    fresh.add_fault("503", method="POST", path="system/bundles", count=1)
    twin.client._http._sleep = _no_sleep(twin.kind)
    (result,) = await twin.call("bundle", [BundleRequest.get("ticket", 3)])
    assert result.entities[0]["id"] == 3
    assert posts(fresh) == 2


async def test_a_bundle_with_a_write_is_never_sent_twice(
    twin: Twin, fresh: ManageSimulator
) -> None:
    fresh.add_fault("503", method="POST", path="system/bundles", count=1)
    twin.client._http._sleep = _no_sleep(twin.kind)
    write = BundleRequest.create("ticket", {"summary": "Once", "company": {"id": 250}})
    with pytest.raises(ConnectWiseServerError):
        await twin.call("bundle", [BundleRequest.get("ticket", 3), write])
    assert posts(fresh) == 1


@pytest.mark.parametrize("fault", ["reset", "500-timeout"])
async def test_lost_answers_repeat_reads_but_not_writes(
    twin: Twin, fresh: ManageSimulator, fault: str
) -> None:
    twin.client._http._sleep = _no_sleep(twin.kind)
    fresh.add_fault(fault, method="POST", path="system/bundles", count=1)
    (read,) = await twin.call("bundle", [BundleRequest.get("ticket", 4)])
    assert read.entities[0]["id"] == 4
    assert posts(fresh) == 2
    fresh.request_log.clear()
    fresh.add_fault(fault, method="POST", path="system/bundles", count=1)
    write = BundleRequest.patch("ticket", 4, [{"op": "replace", "path": "summary", "value": "x"}])
    with pytest.raises((ConnectWiseConnectionError, ConnectWiseServerError)):
        await twin.call("bundle", [write])
    assert posts(fresh) == 1


async def test_an_empty_bundle_sends_nothing(twin: Twin, fresh: ManageSimulator) -> None:
    assert await twin.call("bundle", []) == []
    assert await twin.call("bundle", ()) == []
    assert fresh.request_log == []


def _no_sleep(kind: str) -> Any:
    if kind == "sync":
        return lambda seconds: None

    async def asleep(seconds: float) -> None:
        return None

    return asleep


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("bundle", (["not a request"],), {}),
        ("bundle", (BundleRequest.get("ticket", 1),), {}),
        ("bundle", ([BundleRequest.get("ticket", 1)],), {"chunk_size": 0}),
        ("get_tickets_by_ids", (["5"],), {}),
        ("get_tickets_by_ids", ([1, True],), {}),
        ("get_tickets_by_ids", ("1,2",), {}),
        ("get_tickets_by_ids", ([1],), {"fields": 3}),
        ("get_many", ("../x", [1]), {}),
        ("get_many", ("service/tickets", [0]), {}),
        ("get_ticket_notes_by_ticket_ids", ([-1],), {}),
        ("get_time_entries_by_ticket_ids", (None,), {}),
        ("get_contacts_by_company_ids", ([2**31],), {}),
    ],
)
async def test_bad_input_is_refused_before_any_request(
    twin: Twin, fresh: ManageSimulator, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ConnectWiseConfigurationError):
        await twin.call(name, *args, **kwargs)
    assert fresh.request_log == []


# -- get many ----------------------------------------------------------------------------------


async def test_tickets_by_ids_in_asked_order(twin: Twin, fresh: ManageSimulator) -> None:
    asked = [7, 3, 99_999, 7, 1, 88_888, 3]
    tickets = await twin.call("get_tickets_by_ids", asked, fields="summary")
    assert [t.id for t in tickets] == [7, 3, 1]
    assert tickets.missing == (99_999, 88_888)
    assert tickets.by_id[3].summary == fresh.store.get("/service/tickets", 3)["summary"]
    assert set(tickets[0].raw) == {"id", "summary"}
    with pytest.raises(ConnectWiseMissingRecordsError) as caught:
        tickets.raise_for_missing()
    assert caught.value.ids == (99_999, 88_888)
    assert posts(fresh) == 1


async def test_ids_a_bundle_left_out_are_confirmed_before_reported_missing(
    twin: Twin, fresh: ManageSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server that ignores a bundled list's pageSize answers 25 records, not 500.
    from cw_facade.testing import _bundles as served

    params = served._params

    def default_page(api: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
        query, headers = params(api)
        query["pagesize"] = "25"
        return query, headers

    monkeypatch.setattr(served, "_params", default_page)
    asked = [*range(1, 61), 99_999]
    tickets = await twin.call("get_tickets_by_ids", asked)
    assert [t.id for t in tickets] == asked[:-1]
    assert tickets.missing == (99_999,)
    assert posts(fresh) == 1
    assert len(gets(fresh, "/service/tickets")) == 1  # 36 ids confirmed in one GET


async def test_no_ids_no_request(twin: Twin, fresh: ManageSimulator) -> None:
    assert list(await twin.call("get_tickets_by_ids", [])) == []
    assert await twin.call("get_contacts_by_company_ids", []) == {}
    assert fresh.request_log == []


async def test_two_thousand_tickets_in_two_bundles(twin: Twin, fresh: ManageSimulator) -> None:
    asked = list(range(TICKETS, 0, -1))
    tickets = await twin.call("get_tickets_by_ids", asked)
    assert [t.id for t in tickets] == asked
    assert tickets.missing == ()
    assert all(t.raw == fresh.store.get("/service/tickets", t.id) for t in tickets[:50])
    assert len(fresh.request_log) == posts(fresh) == 2


@pytest.mark.parametrize(
    ("method", "path", "ids"),
    [
        ("get_companies_by_ids", "/company/companies", [250, 251]),
        ("get_contacts_by_ids", "/company/contacts", [3, 2]),
        ("get_members_by_ids", "/system/members", None),
        ("get_agreements_by_ids", "/finance/agreements", None),
        ("get_time_entries_by_ids", "/time/entries", None),
        ("get_configurations_by_ids", "/company/configurations", None),
    ],
)
async def test_every_typed_get_many(
    twin: Twin, fresh: ManageSimulator, method: str, path: str, ids: list[int] | None
) -> None:
    stored = [r["id"] for r in fresh.store.collection(path).iterate()]
    wanted = ids or list(reversed(stored[:3]))
    assert wanted, f"the simulator seeds no {path}"
    records = await twin.call(method, [*wanted, 987_654])
    assert [r.id for r in records] == wanted
    assert records.missing == (987_654,)
    assert records[0].raw == fresh.store.get(path, wanted[0])


async def test_get_many_of_other_endpoints_within_the_url_budget(
    twin: Twin, fresh: ManageSimulator
) -> None:
    asked = list(range(1, 801))
    records = await twin.call("get_many", "service/tickets", asked)  # bundled
    assert [r["id"] for r in records] == asked
    assert posts(fresh) == 1
    fresh.request_log.clear()
    sites = [
        r["id"] for r in fresh.store.collection("/company/companies/{parentId}/sites").iterate(250)
    ]
    assert sites
    absent = list(range(5_000_000, 5_000_400))
    found = await twin.call("get_many", "company/companies/250/sites", [*absent, *sites])
    assert [r["id"] for r in found] == sites
    assert found.missing == tuple(absent)
    sent = gets(fresh, "/company/companies/250/sites")
    assert len(sent) >= 2  # 400 eight-digit ids do not fit one URL
    for request in sent:
        assert request.query["conditions"].startswith("id in (")
        assert len(_url(fresh, request)) <= 2000
    assert posts(fresh) == 0


# -- children of many parents ------------------------------------------------------------------


async def test_notes_of_500_tickets_in_20_bundles(twin: Twin, fresh: ManageSimulator) -> None:
    asked = [*range(1, 500), 99_999]
    notes = await twin.call("get_ticket_notes_by_ticket_ids", asked)
    assert list(notes) == asked
    assert notes[99_999] == []
    for ticket in (1, 250, 499):
        expected = [
            n for n in fresh.store.collection("/service/tickets/{parentId}/notes").iterate(ticket)
        ]
        assert [n.raw for n in notes[ticket]] == expected
    assert len(fresh.request_log) == posts(fresh) == 20


async def test_notes_beyond_a_page_are_followed(
    twin: Twin, fresh: ManageSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = sync_batch if twin.kind == "sync" else async_batch
    monkeypatch.setattr(module, "MAX_PAGE_SIZE", 2)
    ticket = 9 if twin.kind == "sync" else 11  # the simulator is shared by both kinds
    for text in ("two", "three", "four", "five"):
        await twin.call("add_ticket_note", ticket, text, internal=True)
    fresh.request_log.clear()
    notes = await twin.call("get_ticket_notes_by_ticket_ids", [ticket, 10])
    stored = list(fresh.store.collection("/service/tickets/{parentId}/notes").iterate(ticket))
    assert len(stored) == 5
    assert [n.raw for n in notes[ticket]] == stored
    assert len(notes[10]) == 1
    assert posts(fresh) == 3  # pages of 2, 2 and 1 notes (ticket 10 fits on page 1)


async def test_contacts_of_many_companies(twin: Twin, fresh: ManageSimulator) -> None:
    companies = [r["id"] for r in fresh.store.collection("/company/companies").iterate()]
    asked = [*companies, *range(10_000_000, 10_000_600)]
    contacts = await twin.call("get_contacts_by_company_ids", asked)
    assert list(contacts) == asked
    stored = list(fresh.store.collection("/company/contacts").iterate())
    for company in companies:
        mine = [c for c in stored if (c.get("company") or {}).get("id") == company]
        assert sorted(c.id for c in contacts[company]) == sorted(c["id"] for c in mine)
    sent = gets(fresh, "/company/contacts")
    assert len(sent) >= 3  # 600+ ids do not fit one URL
    for request in sent:
        assert len(_url(fresh, request)) <= 2000


async def test_time_entries_of_many_tickets(twin: Twin, fresh: ManageSimulator) -> None:
    stored = list(fresh.store.collection("/time/entries").iterate())
    charged = sorted({e["chargeToId"] for e in stored if e.get("chargeToType") == "ServiceTicket"})
    assert charged
    asked = [*charged, 77_777]
    entries = await twin.call("get_time_entries_by_ticket_ids", asked)
    assert list(entries) == asked
    assert entries[77_777] == []
    for ticket in charged:
        mine = [
            e["id"]
            for e in stored
            if e.get("chargeToType") == "ServiceTicket" and e["chargeToId"] == ticket
        ]
        assert sorted(e.id for e in entries[ticket]) == sorted(mine)
    (sent,) = gets(fresh, "/time/entries")
    assert sent.query["conditions"].startswith('chargeToType="ServiceTicket" AND chargeToId in (')


def _url(sim: ManageSimulator, request: Any) -> str:
    from urllib.parse import urlencode

    query = urlencode(request.query)
    return f"{sim.base_url}{request.path}?{query}"
