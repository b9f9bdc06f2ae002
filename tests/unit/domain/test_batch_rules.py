"""The I/O-free rules of bundles and get-many: requests checked when built, ids, URL chunks."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cw_facade import (
    BundleRequest,
    ConnectWiseConfigurationError,
    ConnectWiseMissingRecordsError,
    ConnectWiseNotFoundError,
    ConnectWiseResponseError,
    InvalidArgumentError,
    ManyResult,
)
from cw_facade._bundles import RESOURCE_TYPES, bundle_body, bundle_results, check_chunk_size
from cw_facade._many import check_ids, grouped, in_order, url_chunks, with_id
from cw_facade.conditions import C, ConditionsSyntaxError
from cw_facade.testing import _bundles as simulated

# -- ids ---------------------------------------------------------------------------------------


def test_ids_keep_first_asked_order_once_each() -> None:
    assert check_ids("ids", [5, 3, 5, 9, 3, 1]) == (5, 3, 9, 1)
    assert check_ids("ids", iter([2, 2])) == (2,)
    assert check_ids("ids", []) == ()


@pytest.mark.parametrize("bad", [[True], [0], [-4], ["7"], [1.0], [2**31], [None]])
def test_bad_ids_are_refused(bad: list[object]) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        check_ids("ticket_ids", bad)
    assert caught.value.argument == "ticket_ids"


@pytest.mark.parametrize("bad", ["1,2", b"12", 12, {1: 2}, None])
def test_ids_must_be_a_list(bad: object) -> None:
    with pytest.raises(InvalidArgumentError):
        check_ids("ids", bad)


# -- URL chunks --------------------------------------------------------------------------------


def _length(base: int) -> object:
    def length(chunk: Sequence[int]) -> int:
        # "id in (1, 2)" as httpx encodes it: ", " becomes "%2C+" (4 characters).
        return base + sum(len(str(i)) for i in chunk) + 4 * (len(chunk) - 1)

    return length


@given(
    ids=st.lists(st.integers(1, 2**31 - 1), unique=True, min_size=0, max_size=3)
    | st.lists(st.integers(1, 10**6), unique=True, min_size=200, max_size=800),
    base=st.integers(50, 1500),
    budget=st.integers(1600, 4000),
)
def test_url_chunks_cover_every_id_in_order_within_budget(
    ids: list[int], base: int, budget: int
) -> None:
    length = _length(base)
    chunks = url_chunks(ids, length, budget)  # type: ignore[arg-type]
    assert [i for chunk in chunks for i in chunk] == ids
    assert all(chunk and length(chunk) <= budget for chunk in chunks)  # type: ignore[operator]
    # Greedy: no chunk could have taken the next id as well.
    for chunk, following in itertools.pairwise(chunks):
        assert length([*chunk, following[0]]) > budget  # type: ignore[operator]


def test_url_chunks_take_as_many_ids_as_fit() -> None:
    length = _length(100)
    chunks = url_chunks(list(range(1000, 1600)), length, 2000)  # type: ignore[arg-type]
    assert [len(chunk) for chunk in chunks] == [238, 238, 124]
    assert [length(chunk) for chunk in chunks] == [2000, 2000, 1088]  # type: ignore[operator]


@given(ids=st.lists(st.integers(1, 99), unique=True, min_size=1, max_size=300))
def test_url_chunks_respect_the_most_per_chunk(ids: list[int]) -> None:
    chunks = url_chunks(ids, _length(10), 10_000, most=7)  # type: ignore[arg-type]
    assert [i for chunk in chunks for i in chunk] == ids
    assert max(len(chunk) for chunk in chunks) <= 7


def test_url_chunks_refuse_a_budget_too_small_for_one_id() -> None:
    with pytest.raises(ValueError, match="URL budget"):
        url_chunks([1, 2], _length(2100), 2000)  # type: ignore[arg-type]


# -- results in order --------------------------------------------------------------------------


def test_many_result_orders_and_reports_missing() -> None:
    records = [{"id": 3, "n": "c"}, {"id": 1, "n": "a"}, {"id": 3, "n": "dup"}, {"id": 8}]
    result = in_order((1, 2, 3), records, dict, "service/tickets")
    assert isinstance(result, ManyResult)
    assert [r["id"] for r in result] == [1, 3]
    assert result[1]["n"] == "c"
    assert result.missing == (2,)
    assert set(result.by_id) == {1, 3}
    assert repr(result) == "ManyResult(found=2, missing=1)"
    with pytest.raises(ConnectWiseMissingRecordsError) as caught:
        result.raise_for_missing()
    assert caught.value.ids == (2,)
    assert "1 record of /service/tickets not found: 2" in str(caught.value)
    complete = in_order((1,), records, dict, "service/tickets")
    assert complete.raise_for_missing() is complete


def test_grouped_keys_every_parent() -> None:
    records = [
        {"id": 1, "company": {"id": 7}},
        {"id": 2, "company": {"id": 9}},
        {"id": 1, "company": {"id": 7}},
        {"id": 3, "company": None},
    ]
    assert grouped([7, 8], records, ("company", "id"), dict) == {
        7: [{"id": 1, "company": {"id": 7}}],
        8: [],
    }


def test_fields_always_carry_the_id() -> None:
    assert with_id(None) is None
    assert with_id("summary,status/name") == "id,summary,status/name"
    assert with_id("id,summary") == "id,summary"


# -- bundle requests ---------------------------------------------------------------------------


def test_requests_write_connectwise_bundle_shapes() -> None:
    requests = [
        BundleRequest.get("Ticket", 5, fields=["id", "summary"]),
        BundleRequest.list(
            "ticket_note",
            parent_id=7,
            conditions=C.internalAnalysisFlag == True,  # noqa: E712
            child_conditions='communicationItems/value like "a*"',
            order_by="id desc",
            page=2,
            page_size=50,
        ),
        BundleRequest.list("ticket", page_id=90, page_size=5),
        BundleRequest.create("ticket", {"summary": "s", "company": {"id": 1}}),
        BundleRequest.update("company", 3, {"name": "n"}),
        BundleRequest.patch("ticket", 4, [{"op": "replace", "path": "summary", "value": "x"}]),
        BundleRequest.delete("ticketNote", 6, parent_id=4),
    ]
    body = bundle_body(requests, "2025.8")["requests"]
    assert [r["sequenceNumber"] for r in body] == list(range(1, 8))
    assert body[0] == {
        "sequenceNumber": 1,
        "resourceType": "ticket",
        "version": "2025.8",
        "apiRequest": {"id": 5, "fields": "id,summary"},
    }
    assert body[1]["resourceType"] == "ticketNote"
    assert body[1]["apiRequest"] == {
        "parentId": 7,
        "filters": {
            "conditions": "internalAnalysisFlag=true",
            "childconditions": 'communicationItems/value like "a*"',
            "orderBy": "id desc",
        },
        "page": {"page": 2, "pageSize": 50},
    }
    assert body[2]["apiRequest"]["page"] == {"pageSize": 5, "pageId": 90}
    assert body[3]["apiRequest"] == {"entity": {"summary": "s", "company": {"id": 1}}}
    assert body[4]["apiRequest"] == {"id": 3, "entity": {"name": "n"}}
    assert body[5]["apiRequest"]["method"] == "PATCH"
    assert body[6]["apiRequest"] == {"id": 6, "parentId": 4, "method": "DELETE"}
    assert [r.read_only for r in requests] == [True, True, True, False, False, False, False]


def test_a_request_keeps_its_own_copy_of_the_entity() -> None:
    entity = {"summary": "before", "company": {"id": 1}}
    request = BundleRequest.create("ticket", entity)
    entity["company"]["id"] = 2
    assert request.entity == {"summary": "before", "company": {"id": 1}}
    with pytest.raises(AttributeError):
        request.id = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    "build",
    [
        lambda: BundleRequest.get("spaceship", 1),
        lambda: BundleRequest.get("", 1),
        lambda: BundleRequest.get("ticket", True),
        lambda: BundleRequest.get("ticket", 0),
        lambda: BundleRequest.get("ticketNote", 1),
        lambda: BundleRequest.get("ticket", 1, parent_id=3),
        lambda: BundleRequest.list("ticket", page_size=0),
        lambda: BundleRequest.list("ticket", page_size=1001),
        lambda: BundleRequest.list("ticket", page=0),
        lambda: BundleRequest.list("ticket", page_id=-1),
        lambda: BundleRequest.list("ticket", conditions=5),
        lambda: BundleRequest.list("ticket", fields=7),
        lambda: BundleRequest.create("ticket", ["x"]),
        lambda: BundleRequest.create("ticket", {"id": 5}),
        lambda: BundleRequest.update("ticket", 5, None),  # type: ignore[arg-type]
        lambda: BundleRequest.patch("ticket", 5, []),
        lambda: BundleRequest.patch("ticket", 5, ["replace"]),  # type: ignore[list-item]
        lambda: BundleRequest.delete("ticket", "5"),  # type: ignore[arg-type]
    ],
)
def test_bad_requests_are_refused_when_built(build: object) -> None:
    with pytest.raises(ConnectWiseConfigurationError):
        build()  # type: ignore[operator]


def test_unparsable_conditions_are_refused_when_built() -> None:
    with pytest.raises(ConditionsSyntaxError):
        BundleRequest.list("ticket", conditions="id = = 3")


@pytest.mark.parametrize("bad", [0, 1001, True, 2.5, "10"])
def test_chunk_sizes_are_checked(bad: object) -> None:
    with pytest.raises(ConnectWiseConfigurationError, match="chunk_size"):
        check_chunk_size(bad, 25)
    assert check_chunk_size(None, 25) == 25


def test_every_resource_type_sent_is_one_the_simulator_serves() -> None:
    for key, (name, collection) in RESOURCE_TYPES.items():
        assert simulated.RESOURCE_TYPES[key] == collection, name
        assert key == "".join(ch for ch in name.lower() if ch.isalpha())


# -- results -----------------------------------------------------------------------------------


def _answer(body: object) -> httpx.Response:
    request = httpx.Request("POST", "https://cw.example.com/v4_6_release/apis/3.0/system/bundles")
    return httpx.Response(200, json=body, request=request, headers={"x-cw-request-id": "r-1"})


def test_results_map_back_by_sequence_number() -> None:
    requests = [BundleRequest.get("ticket", 1), BundleRequest.get("ticket", 2)]
    body = {
        "results": [
            {
                "sequenceNumber": 2,
                "success": False,
                "statusCode": 404,
                "error": {"code": "NotFound", "message": "Service Ticket 2 not found"},
            },
            {"sequenceNumber": 1, "success": True, "statusCode": 200, "entities": [{"id": 1}]},
        ]
    }
    first, second = bundle_results(requests, _answer(body), body)
    assert (first.request, first.ok, first.entities, first.count) == (
        requests[0],
        True,
        [{"id": 1}],
        1,
    )
    assert first.raise_for_error() is first
    assert (second.ok, second.status_code, second.entities) == (False, 404, [])
    assert isinstance(second.error, ConnectWiseNotFoundError)
    assert second.error.code == "NotFound"
    assert second.error.request_id == "r-1"
    with pytest.raises(ConnectWiseNotFoundError, match="Service Ticket 2 not found"):
        second.raise_for_error()


@pytest.mark.parametrize("body", [[], {"results": None}, {"results": [{"sequenceNumber": 2}]}])
def test_an_answer_that_leaves_a_request_out_is_an_error(body: object) -> None:
    with pytest.raises(ConnectWiseResponseError):
        bundle_results([BundleRequest.get("ticket", 1)], _answer(body), body)
