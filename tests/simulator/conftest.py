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
from tests.simulator.helpers import client_for

__all__ = ["manage_simulator", "manage_simulator_session"]


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
