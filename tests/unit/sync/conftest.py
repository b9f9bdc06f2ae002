"""Fixtures of the sync tests: the shared simulator (reset per test) and a client on it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cw_facade._sync._client import ConnectWiseClient
from cw_facade.sync import RESOURCE_NAMES
from cw_facade.sync._resources import BY_NAME
from cw_facade.testing import ManageSimulator
from cw_facade.testing.pytest_plugin import manage_simulator, manage_simulator_session

__all__ = ["manage_simulator", "manage_simulator_session"]


def client_options(sim: ManageSimulator) -> dict[str, Any]:
    """Constructor arguments of a client on ``sim``."""
    return {
        "base_url": sim.base_url,
        "client": sim.company,
        "username": sim.public_key,
        "password": sim.private_key,
        "client_id": sim.client_id,
        "allow_insecure_http": True,
    }


@pytest.fixture
def sim(manage_simulator: ManageSimulator) -> ManageSimulator:
    """The shared simulator, freshly reset to the demo seed."""
    return manage_simulator


@pytest.fixture
def cw(sim: ManageSimulator) -> Iterator[ConnectWiseClient]:
    """A blocking client on ``sim``."""
    with ConnectWiseClient(**client_options(sim)) as client:
        yield client


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database path (not created yet)."""
    return tmp_path / "cw.db"


def rows(path: Path, table: str) -> dict[int, Any]:
    """id → decoded ``data`` of every row of ``table``."""
    import json

    with sqlite3.connect(path) as con:
        return {i: json.loads(d) for i, d in con.execute(f'SELECT id, data FROM "{table}"')}


def server_view(client: ConnectWiseClient, resource: str) -> dict[int, Any]:
    """id → record of ``resource`` as the API lists it now (children: under every parent)."""
    spec = BY_NAME[resource]
    if spec.parent is None:
        return {r["id"]: r for r in client.get_all(spec.endpoint)}
    parent = BY_NAME[spec.parent]
    found: dict[int, Any] = {}
    for p in client.get_all(parent.endpoint, fields="id"):
        found.update((r["id"], r) for r in client.get_all(spec.child_endpoint(p["id"])))
    return found


def assert_matches_server(
    client: ConnectWiseClient, path: Path, names: Any = RESOURCE_NAMES
) -> None:
    """Every table holds exactly what the API lists."""
    for name in names:
        assert rows(path, name) == server_view(client, name), name
