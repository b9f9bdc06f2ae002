"""The issue's acceptance run: full sync, then changes on the server, then incremental runs.

Update 10 tickets, add 5, delete 3, change a company: the incremental run brings every
change but the deletions (found only by a reconciliation) with far fewer requests than the
full run; the reconciliation then removes the 3, and the database equals the server.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from cw_facade import ConnectWiseMassDeletionError
from cw_facade._sync._client import ConnectWiseClient
from cw_facade.sync import RESOURCE_NAMES, SyncProgress, sync
from cw_facade.testing import ManageSimulator
from tests.unit.sync.conftest import assert_matches_server, rows, server_view

UPDATED = range(20, 30)
DELETED = (40, 41, 42)


def change_the_server(cw: ConnectWiseClient) -> list[int]:
    """The acceptance changes; returns the ids of the 5 new tickets."""
    for ticket_id in UPDATED:
        cw.patch(
            "service/tickets",
            ticket_id,
            [{"op": "replace", "path": "summary", "value": f"changed {ticket_id}"}],
        )
    template = cw.get("service/tickets/1")
    added = []
    for n in range(5):
        body = {
            "summary": f"new ticket {n}",
            "company": {"id": template["company"]["id"]},
            "board": {"id": template["board"]["id"]},
            "initialDescription": f"first note of new ticket {n}",
        }
        added.append(cw.post("service/tickets", body)["id"])
    for ticket_id in DELETED:
        cw.delete("service/tickets", ticket_id)
    cw.patch("company/companies", 251, [{"op": "replace", "path": "name", "value": "Renamed Ltd"}])
    return added


def test_incremental_then_reconcile(cw: ConnectWiseClient, sim: ManageSimulator, db: Path) -> None:
    full = sync(cw, to=f"sqlite:{db}")
    added = change_the_server(cw)
    incremental = sync(cw, to=f"sqlite:{db}")
    tickets = incremental.resources["tickets"]
    assert not tickets.full and tickets.since is not None
    assert (tickets.counts.added, tickets.counts.updated, tickets.counts.deleted) == (5, 10, 0)
    assert incremental.resources["companies"].counts.updated == 1
    notes = incremental.resources["ticket_notes"].counts
    assert notes.added == 5  # the first note of each new ticket
    local = rows(db, "tickets")
    server = server_view(cw, "tickets")
    assert set(local) - set(server) == set(DELETED)  # deletions wait for a reconciliation
    assert {i: local[i] for i in server} == server
    assert rows(db, "companies") == server_view(cw, "companies")
    assert set(added) <= set(local)
    assert incremental.requests is not None and full.requests is not None
    assert incremental.requests < full.requests
    # No scan: two requests a resource (the server's watermark, the changes since it), the
    # statuses of the 2 boards, and one bundle for the notes of the changed tickets. The full
    # run grows with the tenant (5,000 tickets: 228 requests); this stays the same.
    assert incremental.requests <= 2 * len(RESOURCE_NAMES) + 2 + 1
    print(f"requests: full {full.requests}, incremental {incremental.requests}")

    reconciled = sync(cw, to=f"sqlite:{db}", reconcile=True)
    assert reconciled.resources["tickets"].counts.deleted == 3
    # The notes' ids and stamps come in bundles: 12 requests for 302 tickets, not 302.
    assert reconciled.requests is not None and reconciled.requests < 2 * full.requests
    assert reconciled.resources["tickets"].reconciled
    assert_matches_server(cw, db)
    with sqlite3.connect(db) as con:
        history = con.execute(
            "SELECT status, added, updated, deleted FROM sync_runs ORDER BY id"
        ).fetchall()
    assert [h[0] for h in history] == ["ok", "ok", "ok"]
    assert history[1][1:3] == (incremental.counts.added, incremental.counts.updated)
    assert history[2][3] == reconciled.counts.deleted


def test_a_rerun_with_no_changes_changes_nothing(cw: ConnectWiseClient, db: Path) -> None:
    sync(cw, to=f"sqlite:{db}")
    again = sync(cw, to=f"sqlite:{db}")
    assert again.counts.changed == 0
    assert again.counts.unchanged > 0  # the overlap window reads some records again
    assert_matches_server(cw, db)


def test_same_second_updates_inside_the_overlap_are_not_missed(
    cw: ConnectWiseClient, sim: ManageSimulator, db: Path
) -> None:
    sync(cw, to=f"sqlite:{db}", resources=["tickets"])
    # A record whose lastUpdated equals the watermark (written in the watermark's second,
    # after the scan read) is read again thanks to the overlap.
    with sim.store.lock:
        top = max(
            sim.store.collection("/service/tickets").iterate(),
            key=lambda r: r["_info"]["lastUpdated"],
        )
        record = sim.store.collection("/service/tickets").records[5]
        record["summary"] = "same second"
        record["_info"]["lastUpdated"] = top["_info"]["lastUpdated"]
    again = sync(cw, to=f"sqlite:{db}", resources=["tickets"])
    assert again.resources["tickets"].counts.updated == 1
    assert rows(db, "tickets")[5]["summary"] == "same second"
    without = sync(cw, to=f"sqlite:{db}", resources=["tickets"], overlap=0)
    assert without.resources["tickets"].counts.unchanged == 0


def test_a_note_added_to_an_unchanged_ticket_comes_with_the_reconciliation(
    cw: ConnectWiseClient, db: Path
) -> None:
    sync(cw, to=f"sqlite:{db}", resources=["ticket_notes"])
    note = cw.post("service/tickets/7/notes", {"text": "late", "internalAnalysisFlag": True})
    sync(cw, to=f"sqlite:{db}", resources=["ticket_notes"])
    assert note["id"] not in rows(db, "ticket_notes")  # the ticket's lastUpdated did not move
    repaired = sync(cw, to=f"sqlite:{db}", resources=["ticket_notes"], reconcile=True)
    assert repaired.resources["ticket_notes"].counts.added == 1
    assert_matches_server(cw, db, ["ticket_notes"])


def test_mass_deletion_fails_loudly_and_changes_nothing(
    cw: ConnectWiseClient, sim: ManageSimulator, db: Path
) -> None:
    sync(cw, to=f"sqlite:{db}")
    before = {t: rows(db, t) for t in ("tickets", "ticket_notes", "companies")}
    cw.patch("company/companies", 251, [{"op": "replace", "path": "name", "value": "Also changed"}])
    with sim.store.lock:
        collection = sim.store.collection("/service/tickets")
        doomed = sorted(collection.records)[: int(len(collection.records) * 0.95)]
        for ticket_id in doomed:
            collection.remove(ticket_id)
    with pytest.raises(ConnectWiseMassDeletionError) as caught:
        sync(cw, to=f"sqlite:{db}", reconcile=True)
    error = caught.value
    assert (error.table, error.would_delete, error.rows, error.threshold) == (
        "tickets",
        285,
        300,
        0.5,
    )
    assert "'tickets'" in str(error) and "285" in str(error) and "50%" in str(error)
    assert {t: rows(db, t) for t in before} == before
    with sqlite3.connect(db) as con:
        status, error_text = con.execute(
            "SELECT status, error FROM sync_runs ORDER BY id DESC"
        ).fetchone()
    assert status == "failed" and "ConnectWiseMassDeletionError" in error_text
    allowed = sync(cw, to=f"sqlite:{db}", reconcile=True, max_delete_fraction=1.0)
    assert allowed.resources["tickets"].counts.deleted == 285
    assert_matches_server(cw, db, ["tickets", "ticket_notes", "companies"])


def test_reconcile_on_a_schedule(cw: ConnectWiseClient, db: Path) -> None:
    sync(cw, to=f"sqlite:{db}", resources=["boards"])
    first = sync(cw, to=f"sqlite:{db}", resources=["boards"], reconcile=timedelta(days=7))
    assert first.resources["boards"].reconciled  # never reconciled before: due
    second = sync(cw, to=f"sqlite:{db}", resources=["boards"], reconcile=timedelta(days=7))
    assert not second.resources["boards"].reconciled


def test_progress_reports_each_page(cw: ConnectWiseClient, db: Path) -> None:
    events: list[SyncProgress] = []
    sync(cw, ["tickets", "boards"], to=f"sqlite:{db}", pagesize=100, progress=events.append)
    scans = [(e.records, e.pages) for e in events if e.resource == "tickets" and e.phase == "scan"]
    assert scans == [(100, 1), (200, 2), (300, 3)]
    assert [e.resource for e in events if e.phase == "done"] == ["tickets", "boards"]


def test_a_failing_request_is_recorded_and_the_next_run_resumes(
    cw: ConnectWiseClient, sim: ManageSimulator, db: Path
) -> None:
    calls: list[Any] = []

    def stop_after_two_pages(event: SyncProgress) -> None:
        calls.append(event)
        if event.resource == "tickets" and event.pages == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync(cw, ["tickets"], to=f"sqlite:{db}", pagesize=100, progress=stop_after_two_pages)
    assert len(rows(db, "tickets")) == 200
    resumed = sync(cw, ["tickets"], to=f"sqlite:{db}", pagesize=100)
    report = resumed.resources["tickets"]
    assert report.resumed and report.full and report.counts.added == 100
    assert_matches_server(cw, db, ["tickets"])
    with sqlite3.connect(db) as con:
        statuses = [r[0] for r in con.execute("SELECT status FROM sync_runs ORDER BY id")]
    assert statuses == ["interrupted", "ok"]


def test_a_server_error_mid_run_is_recorded_and_the_next_run_resumes(
    sim: ManageSimulator, db: Path
) -> None:
    from cw_facade import ConnectWiseServerError
    from tests.unit.sync.conftest import client_options

    def fail_the_next_bundle(event: SyncProgress) -> None:
        # Notes come in chunks of 100 tickets: once the first chunk is committed, the next
        # bundle gets a proxy's 502 page.
        if event.resource == "ticket_notes" and event.phase == "scan" and event.pages == 1:
            sim.add_fault("html", path=r"/system/bundles$", count=1)

    with ConnectWiseClient(**client_options(sim), max_retries=0) as cw:
        with pytest.raises(ConnectWiseServerError):
            sync(cw, ["ticket_notes"], to=f"sqlite:{db}", progress=fail_the_next_bundle)
        with sqlite3.connect(db) as con:
            status, error = con.execute("SELECT status, error FROM sync_runs").fetchone()
            cursor = con.execute("SELECT cursor FROM sync_checkpoints").fetchone()[0]
        assert status == "failed" and "502" in error
        assert 0 < cursor  # the notes of the first 100 tickets are committed
        resumed = sync(cw, ["ticket_notes"], to=f"sqlite:{db}")
        assert resumed.resources["ticket_notes"].resumed
        assert_matches_server(cw, db, ["ticket_notes"])
