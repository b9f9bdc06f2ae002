"""``cw sync``: summary, JSON report, progress on a terminal, exit statuses."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from cw_facade.sync import SqliteStore
from cw_facade.testing import ManageSimulator
from tests.cli.conftest import Runner, Tty, run_cw, run_subprocess


def test_a_first_run_then_an_incremental_one(cw: Runner, tmp_path: Path) -> None:
    db = tmp_path / "cw.db"
    first = cw("sync", "--to", f"sqlite:{db}")
    assert first.code == 0, first.err
    assert first.out == ""  # the summary goes to stderr
    lines = first.err.splitlines()
    assert lines[0].split() == ["resource", "added", "updated", "deleted", "unchanged", "scan"]
    assert lines[3].split() == ["tickets", "300", "0", "0", "0", "full"]
    assert lines[-1].startswith(f"synced to {db} in ") and "+746" in lines[-1]
    again = cw("sync", "--to", f"sqlite:{db}", "tickets", "companies", "--json")
    assert again.code == 0, again.err
    report = json.loads(again.out)
    assert list(report["resources"]) == ["companies", "tickets"]
    assert report["resources"]["tickets"]["full"] is False
    assert report["counts"]["added"] == 0 and report["requests"] <= 6
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM sync_runs WHERE status = 'ok'").fetchone() == (2,)


def test_progress_is_drawn_on_a_terminal(env: dict[str, str], tmp_path: Path) -> None:
    args = ["sync", "--to", f"sqlite:{tmp_path / 'cw.db'}", "tickets", "--page-size", "100"]
    ran = run_cw(args, env, stderr=Tty())
    assert ran.code == 0, ran.err
    frames = ran.err.split("\r\033[K")
    assert any(frame.startswith("tickets 300") and "3 pages" in frame for frame in frames)
    quiet = run_cw([*args, "--no-progress"], env, stderr=Tty())
    assert "\r" not in quiet.err


def test_usage_errors(cw: Runner, tmp_path: Path) -> None:
    assert cw("sync", "tickets").code == 2  # --to is required
    unknown = cw("sync", "--to", f"sqlite:{tmp_path / 'a.db'}", "widgets")
    assert unknown.code == 2 and "unknown resource 'widgets'" in unknown.err
    bad_target = cw("sync", "--to", "postgres://db/cw")
    assert bad_target.code == 2 and "sqlite:PATH" in bad_target.err
    fraction = cw("sync", "--to", f"sqlite:{tmp_path / 'a.db'}", "--max-delete-fraction", "2")
    assert fraction.code == 2
    assert cw("sync", "--to", f"sqlite:{tmp_path / 'a.db'}", "--overlap", "-5").code == 2
    assert not (tmp_path / "a.db").exists()


def test_a_run_in_progress_is_refused(cw: Runner, tmp_path: Path) -> None:
    db = tmp_path / "cw.db"
    holder = SqliteStore(db)
    holder.open()
    holder.lock()
    try:
        ran = cw("sync", "--to", f"sqlite:{db}", "boards")
    finally:
        holder.close()
    assert ran.code == 1
    assert "another sync run is using this database" in ran.err and "hint:" in ran.err


def test_a_mass_deletion_is_refused(cw: Runner, sim: ManageSimulator, tmp_path: Path) -> None:
    db = tmp_path / "cw.db"
    assert cw("sync", "--to", f"sqlite:{db}", "contacts").code == 0
    with sim.store.lock:
        contacts = sim.store.collection("/company/contacts")
        for contact_id in sorted(contacts.records)[:-1]:
            contacts.remove(contact_id)
    ran = cw("sync", "--to", f"sqlite:{db}", "contacts", "--reconcile")
    assert ran.code == 1
    assert "refusing to delete 15 of 16 rows of table 'contacts'" in ran.err
    assert "--max-delete-fraction" in ran.err
    forced = cw(
        "sync", "--to", f"sqlite:{db}", "contacts", "--reconcile", "--max-delete-fraction", "1"
    )
    assert forced.code == 0, forced.err
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM contacts").fetchone() == (1,)


def test_cw_sync_as_a_process(env: dict[str, str], tmp_path: Path) -> None:
    ran = run_subprocess(["sync", "--to", f"sqlite:{tmp_path / 'cw.db'}", "boards", "--json"], env)
    assert ran.code == 0, ran.err
    assert json.loads(ran.out)["resources"]["boards"]["counts"]["added"] == 2
    assert env["CW_PRIVATE_KEY"] not in ran.out + ran.err
