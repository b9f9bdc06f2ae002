"""Generic serving: any description in ConnectWise's conventions, not only the bundled one.

The description here is written by the test (``minidoc``) and holds a resource the simulator
has no code for, with the document quirks ConnectWise ships.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cw_facade.testing import ManageSimulator
from cw_facade.testing._schema import validate
from cw_facade.testing._spec import load_description
from tests.simulator import minidoc
from tests.simulator.helpers import client_for


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManageSimulator]:
    path = minidoc.write(tmp_path_factory.mktemp("mini"))
    with ManageSimulator(description=path) as sim:
        yield sim


@pytest.fixture
def client(mini: ManageSimulator) -> Iterator[httpx.Client]:
    mini.reset()
    with client_for(mini) as api:
        yield api


def _valid(sim: ManageSimulator, value: Any, name: str) -> list[str]:
    schema = {"$ref": f"#/components/schemas/{name}"}
    return validate(value, schema, strict=True, spec=sim.description)


def test_lists_records_made_from_the_schema(mini: ManageSimulator, client: httpx.Client) -> None:
    things = client.get("widgets/things").json()
    assert [t["id"] for t in things] == [1, 2]
    assert all(_valid(mini, t, "Widget") == [] for t in things)
    assert things[0]["kind"] == "Gear"
    assert len(things[0]["name"]) <= 20
    assert things[0]["company"]["id"] == 249
    assert things[0]["company"]["name"] == "Facade Managed Services"
    assert things[0]["_info"]["notes_href"].endswith("/widgets/things/1/notes")


def test_same_records_whatever_is_used_first(tmp_path: Path) -> None:
    path = minidoc.write(tmp_path)
    with ManageSimulator(description=path) as one, ManageSimulator(description=path) as two:
        with client_for(one) as first, client_for(two) as second:
            first_run = [first.get("widgets/things/2/notes"), first.get("widgets/things")]
            second_run = [second.get("widgets/things"), second.get("widgets/things/2/notes")]
            seen_first = [r.text.replace(one.base_url, "SITE") for r in first_run]
            seen_second = [r.text.replace(two.base_url, "SITE") for r in reversed(second_run)]
    assert seen_first == seen_second
    assert json.loads(seen_first[0])


def test_count_answers_a_count_even_when_the_schema_says_record(client: httpx.Client) -> None:
    assert client.get("widgets/things/count").json() == {"count": 2}
    assert client.get("widgets/things/count", params={"conditions": "id=2"}).json() == {"count": 1}
    assert client.get("widgets/things/1/notes/count").json() == {"count": 2}


def test_info_projections(mini: ManageSimulator, client: httpx.Client) -> None:
    one = client.get("widgets/things/1/info").json()
    assert set(one) == {"id", "name", "_info"}
    listed = client.get("widgets/things/info").json()
    assert [set(item) for item in listed] == [{"id", "name", "_info"}] * 2
    assert _valid(mini, one, "WidgetInfo") == []


def test_children_under_id_and_parent_id_share_one_collection(client: httpx.Client) -> None:
    created = client.post("widgets/things/1/notes", json={"text": "checked"})
    assert created.status_code == 201, created.text
    note = created.json()
    assert client.get(f"widgets/things/1/notes/{note['id']}").json()["text"] == "checked"
    assert client.get(f"widgets/things/2/notes/{note['id']}").status_code == 404
    assert note["id"] in [n["id"] for n in client.get("widgets/things/1/notes").json()]
    missing = client.get("widgets/things/999/notes")
    assert missing.status_code == 404
    assert missing.json() == {"code": "NotFound", "message": "Widget 999 not found"}
    assert client.delete(f"widgets/things/1/notes/{note['id']}").status_code == 204
    assert client.get(f"widgets/things/1/notes/{note['id']}").status_code == 404


def test_writes_validate_against_the_description(client: httpx.Client) -> None:
    created = client.post(
        "widgets/things", json={"name": "Sprocket", "kind": "Spring", "company": {"id": 250}}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["company"]["name"] == "Harbor Point Dental"
    too_long = client.post("widgets/things", json={"name": "x" * 21})
    assert too_long.json()["errors"][0]["code"] == "MaxLengthField"
    assert client.post("widgets/things", json={"kind": "Lever"}).status_code == 400
    dangling = client.post("widgets/things", json={"company": {"id": 9999}})
    assert dangling.json()["errors"][0]["field"] == "company/id"
    patched = client.patch(
        f"widgets/things/{body['id']}", json=[{"op": "replace", "path": "price", "value": 2.5}]
    )
    assert patched.json()["price"] == 2.5
    replaced = client.put(f"widgets/things/{body['id']}", json={"name": "Cog"})
    assert replaced.json()["name"] == "Cog"
    assert "price" not in replaced.json()
    assert client.delete(f"widgets/things/{body['id']}").status_code == 204
    assert client.get(f"widgets/things/{body['id']}").status_code == 404


def test_deleting_a_parent_removes_its_children(
    mini: ManageSimulator, client: httpx.Client
) -> None:
    notes = client.get("widgets/things/1/notes").json()
    assert client.delete("widgets/things/1").status_code == 204
    stored = mini.store.collection("/widgets/things/{parentId}/notes").records
    assert not any(n["id"] in stored for n in notes)


def test_actions_singletons_mixed_segments_and_case_variants(client: httpx.Client) -> None:
    merged = client.post("widgets/things/1/merge", json={"name": "x"})
    assert (merged.status_code, merged.json()) == (200, {"success": True})
    assert client.post("widgets/things/999/merge", json={}).status_code == 404
    copied = client.post("widgets/types7/copy", json={"name": "x"})
    assert copied.status_code == 200
    assert copied.json()["kind"] == "Gear"
    found = client.post("widgets/things/search", json={"conditions": "id=2"})
    assert [t["id"] for t in found.json()] == [2]
    assert client.get("widgets/default").json()["name"]
    assert client.get("widgets/things/").status_code == 200
    assert client.get("WIDGETS/THINGS/1").json()["id"] == 1


def test_conditions_use_the_description(client: httpx.Client) -> None:
    found = client.get("widgets/things", params={"conditions": 'kind="gear" and id>1'})
    assert [t["id"] for t in found.json()] == [2]
    unknown = client.get("widgets/things", params={"conditions": "nosuch=1"})
    assert unknown.status_code == 400
    assert unknown.json()["message"] == "nosuch is not a recognized name."
    assert client.get("widgets/things", params={"orderBy": "id desc"}).json()[0]["id"] == 2


def test_time_entries_are_seeded_on_tickets(mini: ManageSimulator, client: httpx.Client) -> None:
    entries = client.get("time/entries", params={"pageSize": 1000}).json()
    assert len(entries) == 100
    assert {e["chargeToType"] for e in entries} == {"ServiceTicket"}
    assert [e["chargeToId"] for e in entries[:3]] == [1, 4, 7]
    assert all(_valid(mini, e, "TimeEntry") == [] for e in entries)


def test_unknown_paths_and_methods(client: httpx.Client) -> None:
    assert client.get("widgets/nothing").status_code == 404
    assert client.delete("widgets/things").status_code == 405


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (None, FileNotFoundError),
        ("not json", ValueError),
        ('["a list"]', ValueError),
        ('{"openapi": "3.0.1"}', ValueError),
    ],
)
def test_bad_descriptions_are_refused(tmp_path: Path, content: str | None, error: type) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(error):
        ManageSimulator(description=path)


def test_descriptions_load_once_per_file_version(tmp_path: Path) -> None:
    path = minidoc.write(tmp_path)
    first = load_description(path)
    assert load_description(str(path)) is first
    assert len(first.routes) == sum(len(item) for item in minidoc.PATHS.values())


def test_members_own_tickets_and_agreements_belong_to_companies(
    mini: ManageSimulator, client: httpx.Client
) -> None:
    members = client.get("system/members").json()
    assert [(m["id"], m["identifier"]) for m in members] == [
        (11, "jrivera"),
        (12, "apatel"),
        (13, "mchen"),
    ]
    owners = [mini.store.get("/service/tickets", n)["owner"] for n in (1, 2, 3)]
    assert [o["identifier"] for o in owners] == ["jrivera", "apatel", "mchen"]
    assert owners[0]["_info"]["owner_href"].endswith("/system/members/11")
    agreements = client.get("finance/agreements").json()
    assert [(a["id"], a["company"]["id"]) for a in agreements] == [
        (n, 249 + n) for n in range(1, 8)
    ]
    assert agreements[0]["name"] == "Harbor Point Dental Managed Services"
    assert all(_valid(mini, a, "Agreement") == [] for a in agreements)
