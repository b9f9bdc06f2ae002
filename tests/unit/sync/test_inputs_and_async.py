"""Bad arguments fail before anything is opened or sent; the async twin gives the same rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cw_facade import InvalidArgumentError, MissingArgumentError
from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._sync._client import ConnectWiseClient
from cw_facade.sync import async_sync, sync
from cw_facade.testing import ManageSimulator
from tests.unit.sync.conftest import assert_matches_server, client_options, rows


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"resources": ["tickets", "widgets"]}, "resources"),
        ({"resources": []}, "resources"),
        ({"resources": ["tickets", "tickets"]}, "resources"),
        ({"resources": [5]}, "resources"),
        ({"to": "postgres://x"}, "to"),
        ({"to": "sqlite:"}, "to"),
        ({"to": "sqlite::memory:"}, "to"),
        ({"to": 5}, "to"),
        ({"overlap": -1}, "overlap"),
        ({"overlap": float("nan")}, "overlap"),
        ({"overlap": "5m"}, "overlap"),
        ({"reconcile": "yes"}, "reconcile"),
        ({"reconcile": 0}, "reconcile"),
        ({"max_delete_fraction": 1.5}, "max_delete_fraction"),
        ({"max_delete_fraction": True}, "max_delete_fraction"),
        ({"pagesize": 0}, "pagesize"),
        ({"pagesize": 1001}, "pagesize"),
        ({"progress": "print"}, "progress"),
    ],
)
def test_bad_arguments_are_refused_before_anything_happens(
    cw: ConnectWiseClient,
    sim: ManageSimulator,
    tmp_path: Path,
    kwargs: dict[str, Any],
    argument: str,
) -> None:
    options: dict[str, Any] = {"to": f"sqlite:{tmp_path / 'x.db'}", **kwargs}
    sim.reset_counters()
    with pytest.raises(InvalidArgumentError) as caught:
        sync(cw, **options)
    assert caught.value.argument == argument
    assert sim.counters.requests == 0
    assert not (tmp_path / "x.db").exists()


def test_to_is_required(cw: ConnectWiseClient) -> None:
    with pytest.raises(MissingArgumentError, match="sqlite:PATH"):
        sync(cw, ["tickets"])


def test_the_wrong_client_kind_is_refused(sim: ManageSimulator, db: Path) -> None:
    with pytest.raises(InvalidArgumentError, match="async_sync"):
        sync(AsyncConnectWiseClient(**client_options(sim)), to=f"sqlite:{db}")  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_the_async_twin_fills_the_same_tables(sim: ManageSimulator, tmp_path: Path) -> None:
    with pytest.raises(InvalidArgumentError, match="blocking"):
        with ConnectWiseClient(**client_options(sim)) as blocking:
            await async_sync(blocking, to=f"sqlite:{tmp_path / 'no.db'}")  # type: ignore[arg-type]
    async with AsyncConnectWiseClient(**client_options(sim), concurrency=4) as acw:
        report = await async_sync(acw, to=f"sqlite:{tmp_path / 'a.db'}", pagesize=50)
        again = await async_sync(acw, to=f"sqlite:{tmp_path / 'a.db'}", reconcile=True)
    assert report.counts.added > 700 and again.counts.changed == 0
    with ConnectWiseClient(**client_options(sim)) as cw:
        sync(cw, to=f"sqlite:{tmp_path / 's.db'}")
        assert_matches_server(cw, tmp_path / "a.db")
    for table in report.resources:
        assert rows(tmp_path / "a.db", table) == rows(tmp_path / "s.db", table)


def test_an_unusable_database_is_a_sync_error(cw: ConnectWiseClient, tmp_path: Path) -> None:
    from cw_facade import ConnectWiseSyncError, ConnectWiseSyncInProgressError

    with pytest.raises(ConnectWiseSyncError, match="lock file") as caught:
        sync(cw, ["boards"], to=f"sqlite:{tmp_path / 'missing' / 'cw.db'}")
    assert not isinstance(caught.value, ConnectWiseSyncInProgressError)
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("just text, not SQLite\n" * 100)
    with pytest.raises(ConnectWiseSyncError, match="as a database"):
        sync(cw, ["boards"], to=not_a_database)
    assert not_a_database.read_text().startswith("just text")


def test_any_sync_store_can_be_the_target(cw: ConnectWiseClient, db: Path) -> None:
    from cw_facade.sync import SqliteStore, SyncStore

    class Recording:
        """A sink that forwards to SQLite and remembers which methods the sync called."""

        def __init__(self) -> None:
            self.inner = SqliteStore(db)
            self.called: set[str] = set()

        def __getattr__(self, name: str) -> Any:
            self.called.add(name)
            return getattr(self.inner, name)

    sink = Recording()
    assert isinstance(sink, SyncStore) and not isinstance(object(), SyncStore)
    report = sync(cw, ["boards", "board_statuses"], to=sink)  # type: ignore[arg-type]
    assert report.database == str(db) and rows(db, "board_statuses")
    assert {"lock", "save_page", "save_children", "end_scan", "finish_run"} <= sink.called


@pytest.mark.anyio
async def test_the_async_client_fetches_the_note_bundles_concurrently(
    sim: ManageSimulator, tmp_path: Path
) -> None:
    from cw_facade import ConnectWiseServerError

    database = tmp_path / "a.db"
    sim.add_fault("html", path=r"/system/bundles$", count=1)  # one of 4 bundles in flight
    async with AsyncConnectWiseClient(**client_options(sim), concurrency=4, max_retries=0) as acw:
        with pytest.raises(ConnectWiseServerError):  # the failure itself, not a cancellation
            await async_sync(acw, ["ticket_notes"], to=f"sqlite:{database}")
        resumed = await async_sync(acw, ["ticket_notes"], to=f"sqlite:{database}")
    assert resumed.resources["ticket_notes"].resumed
    with ConnectWiseClient(**client_options(sim)) as cw:
        assert_matches_server(cw, database, ["ticket_notes"])
