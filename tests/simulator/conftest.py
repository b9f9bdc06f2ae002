"""Fixtures for the simulator's own tests.

``pytest_plugins`` is only honoured in the top-level conftest, so the plugin's fixtures are
imported here instead (users register the plugin with ``pytest_plugins`` or the entry point).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from cw_facade.testing import ManageSimulator
from cw_facade.testing.pytest_plugin import manage_simulator, manage_simulator_session

__all__ = ["manage_simulator", "manage_simulator_session"]


def client_for(sim: ManageSimulator, **headers: str) -> httpx.Client:
    """An httpx client on the simulator's API root with its demo credentials."""
    return httpx.Client(
        base_url=sim.api_root,
        auth=(f"{sim.company}+{sim.public_key}", sim.private_key),
        headers={"clientId": sim.client_id, **headers},
        timeout=10.0,
    )


@pytest.fixture
def sim(manage_simulator: ManageSimulator) -> ManageSimulator:
    """The shared simulator, freshly reset."""
    return manage_simulator


@pytest.fixture(scope="session")
def session_client(manage_simulator_session: ManageSimulator) -> Iterator[httpx.Client]:
    """One authenticated client for the session's simulator (creating clients is slow)."""
    with client_for(manage_simulator_session) as client:
        yield client


@pytest.fixture
def api(sim: ManageSimulator, session_client: httpx.Client) -> httpx.Client:
    """An authenticated client for ``sim`` (freshly reset)."""
    return session_client
