"""Callbacks on a synced database: one-record refreshes and callback registrations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cw_facade import CallbackEvent, InvalidArgumentError, compute_signature, parse_callback
from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._sync._client import ConnectWiseClient
from cw_facade.sync import (
    async_ensure_callbacks,
    async_refresh_from_callback,
    ensure_callbacks,
    refresh_from_callback,
    sync,
)
from cw_facade.testing import ManageSimulator
from tests.unit.sync.conftest import client_options, rows, server_view

RECEIVER = "http://127.0.0.1:9/cw"  # the simulator accepts loopback receivers only


def event(sim: ManageSimulator, action: str, kind: str, record_id: int) -> CallbackEvent:
    """A signed callback as ConnectWise sends it, parsed and verified."""
    body = json.dumps(
        {
            "MessageId": f"m-{action}-{record_id}",
            "Action": action,
            "Type": kind,
            "ID": record_id,
            "Entity": json.dumps({"id": record_id, "summary": "forged"}),
        }
    ).encode()
    headers = {"x-content-signature": compute_signature(body, sim.signing_key)}
    return parse_callback(body, headers, signing_key=sim.signing_key)


def test_an_update_refreshes_the_row_from_the_api(
    cw: ConnectWiseClient, sim: ManageSimulator, db: Path
) -> None:
    sync(cw, ["tickets", "ticket_notes"], to=f"sqlite:{db}")
    cw.patch("service/tickets", 9, [{"op": "replace", "path": "summary", "value": "via callback"}])
    cw.post("service/tickets/9/notes", {"text": "new note", "internalAnalysisFlag": True})
    sim.reset_counters()
    result = refresh_from_callback(cw, event(sim, "updated", "ticket", 9), to=f"sqlite:{db}")
    assert (result.resource, result.id, result.outcome) == ("tickets", 9, "updated")
    assert result.children.added == 1
    assert sim.counters.requests == 2  # the ticket and its notes
    assert rows(db, "tickets")[9] == cw.get("service/tickets/9")  # not the forged Entity
    assert rows(db, "ticket_notes") == server_view(cw, "ticket_notes")
    again = refresh_from_callback(cw, event(sim, "updated", "ticket", 9), to=f"sqlite:{db}")
    assert again.outcome == "unchanged"


def test_added_and_deleted_records(cw: ConnectWiseClient, sim: ManageSimulator, db: Path) -> None:
    sync(cw, ["companies", "contacts"], to=f"sqlite:{db}")
    contact_id = min(rows(db, "contacts"))
    cw.delete("company/contacts", contact_id)
    gone = refresh_from_callback(
        cw, event(sim, "updated", "contact", contact_id), to=f"sqlite:{db}"
    )
    assert gone.outcome == "deleted" and contact_id not in rows(db, "contacts")  # a 404
    company_id = min(rows(db, "companies"))
    deleted = refresh_from_callback(
        cw, event(sim, "deleted", "company", company_id), to=f"sqlite:{db}"
    )
    assert deleted.outcome == "deleted" and company_id not in rows(db, "companies")
    added = refresh_from_callback(cw, event(sim, "added", "company", company_id), to=f"sqlite:{db}")
    assert added.outcome == "added" and company_id in rows(db, "companies")


def test_types_without_a_table_are_ignored(
    cw: ConnectWiseClient, sim: ManageSimulator, db: Path
) -> None:
    sim.reset_counters()
    result = refresh_from_callback(cw, event(sim, "updated", "opportunity", 3), to=f"sqlite:{db}")
    assert result.outcome == "ignored" and result.resource is None
    assert sim.counters.requests == 0


def test_bad_events_are_refused(cw: ConnectWiseClient, db: Path) -> None:
    with pytest.raises(InvalidArgumentError, match="CallbackEvent"):
        refresh_from_callback(cw, {"Type": "ticket"}, to=f"sqlite:{db}")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="record id"):
        refresh_from_callback(
            cw, CallbackEvent("updated", "ticket", None, None, {}), to=f"sqlite:{db}"
        )
    with pytest.raises(InvalidArgumentError):
        refresh_from_callback(cw, CallbackEvent("updated", "ticket", 1, None, {}), to="nowhere")


def test_ensure_callbacks_changes_only_the_difference(
    cw: ConnectWiseClient, sim: ManageSimulator
) -> None:
    others = cw.list_callbacks()  # the seed's registration for another receiver
    first = ensure_callbacks(cw, RECEIVER, ["ticket", "company"])
    assert sorted(c.type for c in first.added) == ["company", "ticket"] and not first.removed
    sim.reset_counters()
    same = ensure_callbacks(cw, RECEIVER, ["company", "ticket"])
    assert not same.changed and len(same.kept) == 2
    assert sim.counters.requests == 1  # one listing
    preview = ensure_callbacks(cw, RECEIVER, ["ticket", "contact"], dry_run=True)
    assert [c.type for c in preview.added] == ["contact"] and [c.type for c in preview.removed] == [
        "company"
    ]
    assert len(cw.list_callbacks()) == len(others) + 2  # a dry run changes nothing
    changed = ensure_callbacks(cw, RECEIVER, ["ticket", "contact"])
    assert [c.type for c in changed.added] == ["contact"] and [c.type for c in changed.removed] == [
        "company"
    ]
    mine = [c for c in cw.list_callbacks() if c.url == RECEIVER]
    assert sorted(c.type for c in mine) == ["contact", "ticket"]
    assert {c.id for c in cw.list_callbacks() if c.url != RECEIVER} == {c.id for c in others}


def test_a_deactivated_registration_is_replaced(cw: ConnectWiseClient) -> None:
    stale = cw.register_callback(RECEIVER, "ticket", inactive=True)
    changes = ensure_callbacks(cw, RECEIVER, "ticket")
    assert [c.id for c in changes.removed] == [stale.id] and len(changes.added) == 1
    assert all(c.is_active for c in cw.list_callbacks() if c.url == RECEIVER)


def test_bad_registration_arguments(cw: ConnectWiseClient, sim: ManageSimulator) -> None:
    sim.reset_counters()
    for kwargs in (
        {"types": []},
        {"types": [""]},
        {"types": 5},
        {"dry_run": "no"},
        {"level": "board"},
    ):
        with pytest.raises(InvalidArgumentError):
            ensure_callbacks(cw, RECEIVER, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        ensure_callbacks(cw, "http://example.com/plain")
    assert sim.counters.requests == 0


@pytest.mark.anyio
async def test_the_async_twins(sim: ManageSimulator, db: Path) -> None:
    async with AsyncConnectWiseClient(**client_options(sim)) as acw:
        made = await async_ensure_callbacks(acw, RECEIVER, ["member"])
        assert [c.type for c in made.added] == ["member"]
        member_id = (await acw.get_all("system/members"))[0]["id"]
        result = await async_refresh_from_callback(
            acw, event(sim, "added", "member", member_id), to=f"sqlite:{db}"
        )
        assert (result.resource, result.outcome) == ("members", "added")
    with ConnectWiseClient(**client_options(sim)) as cw:
        assert rows(db, "members")[member_id] == cw.get(f"system/members/{member_id}")
