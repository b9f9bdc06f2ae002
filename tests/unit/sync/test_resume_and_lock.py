"""Resumable runs (``kill -9`` mid-page) and the refusal of two runs on one database."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cw_facade import ConnectWiseSyncInProgressError
from cw_facade._sync._client import ConnectWiseClient
from cw_facade.sync import SqliteStore, sync
from cw_facade.testing import ManageSimulator
from tests.unit.sync.conftest import client_options

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ROOT = Path(__file__).resolve().parents[3]
RESOURCES = ["tickets", "ticket_notes", "boards"]
PAGE = 20

CHILD = """
import json, sys
from cw_facade import ConnectWiseClient
from cw_facade.sync import sync

options = json.loads(sys.argv[1])
database = sys.argv[2]

def progress(event):
    print(event.resource, event.phase, event.pages, flush=True)

with ConnectWiseClient(**options) as cw:
    sync(cw, {resources!r}, to="sqlite:" + database, pagesize={page}, progress=progress)
print("finished", flush=True)
"""


@pytest.fixture
def slow_sim() -> Iterator[ManageSimulator]:
    """A simulator of its own whose answers take a moment (a kill lands mid-request)."""
    with ManageSimulator(latency_ms=30) as started:
        yield started


def start_child(sim: ManageSimulator, database: Path, tmp_path: Path) -> subprocess.Popen[str]:
    import json

    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(CHILD.format(resources=RESOURCES, page=PAGE)))
    return subprocess.Popen(
        [sys.executable, str(script), json.dumps(client_options(sim)), str(database)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def dump(database: Path) -> dict[str, Any]:
    """Every resource table's rows and the saved watermarks."""
    with sqlite3.connect(database) as con:
        tables = {t: con.execute(f'SELECT * FROM "{t}" ORDER BY id').fetchall() for t in RESOURCES}
        tables["sync_state"] = con.execute(
            "SELECT resource, watermark FROM sync_state ORDER BY resource"
        ).fetchall()
        return tables


def test_kill_9_mid_run_then_resume_gives_the_same_database(
    slow_sim: ManageSimulator, tmp_path: Path
) -> None:
    killed_db = tmp_path / "killed.db"
    with start_child(slow_sim, killed_db, tmp_path) as child:
        assert child.stdout is not None
        for line in child.stdout:
            words = line.split()
            if words[:2] == ["ticket_notes", "scan"] and int(words[2]) >= 2:
                child.send_signal(signal.SIGKILL)  # the child is inside its next request
                break
        assert child.wait(timeout=60) == -signal.SIGKILL, child.stderr and child.stderr.read()
    slow_sim.latency_s = 0.0
    with sqlite3.connect(killed_db) as con:
        notes_then = con.execute("SELECT count(*) FROM ticket_notes").fetchone()[0]
        checkpoint = con.execute("SELECT resource, cursor FROM sync_checkpoints").fetchall()
        running = con.execute("SELECT status FROM sync_runs").fetchall()
    assert 0 < notes_then < 300 and checkpoint and checkpoint[0][0] == "ticket_notes"
    assert running == [("running",)]

    with ConnectWiseClient(**client_options(slow_sim)) as cw:
        resumed = sync(cw, RESOURCES, to=f"sqlite:{killed_db}", pagesize=PAGE)
        assert resumed.resources["ticket_notes"].resumed
        assert resumed.resources["ticket_notes"].counts.added == 300 - notes_then
        clean_db = tmp_path / "clean.db"
        sync(cw, RESOURCES, to=f"sqlite:{clean_db}", pagesize=PAGE)
    assert dump(killed_db) == dump(clean_db)
    with sqlite3.connect(killed_db) as con:
        statuses = [r[0] for r in con.execute("SELECT status FROM sync_runs ORDER BY id")]
    assert statuses == ["interrupted", "ok"]


def test_a_second_run_at_once_is_refused(cw: ConnectWiseClient, db: Path) -> None:
    holder = SqliteStore(db)
    holder.open()
    holder.lock()
    try:
        with pytest.raises(ConnectWiseSyncInProgressError) as caught:
            sync(cw, ["boards"], to=f"sqlite:{db}")
        assert str(db) in str(caught.value)
        with sqlite3.connect(db) as con:
            assert con.execute("SELECT count(*) FROM sync_runs").fetchone()[0] == 0
    finally:
        holder.close()
    assert sync(cw, ["boards"], to=f"sqlite:{db}").resources["boards"].counts.added == 2


def test_a_killed_holder_does_not_block_the_next_run(cw: ConnectWiseClient, db: Path) -> None:
    code = (
        "import sys, time\n"
        "from cw_facade.sync import SqliteStore\n"
        "store = SqliteStore(sys.argv[1]); store.open(); store.lock()\n"
        "print('locked', flush=True); time.sleep(120)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            with pytest.raises(ConnectWiseSyncInProgressError):
                sync(cw, ["boards"], to=f"sqlite:{db}")
        finally:
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait(timeout=30)
    assert sync(cw, ["boards"], to=f"sqlite:{db}").resources["boards"].counts.added == 2
