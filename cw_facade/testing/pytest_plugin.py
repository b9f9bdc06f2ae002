"""pytest plugin: the ``manage_simulator`` fixture.

Enable it with ``pytest_plugins = ["cw_facade.testing.pytest_plugin"]`` in a ``conftest.py``
(installed packages may register it as a ``pytest11`` entry point). One simulator runs per test
session; every test gets it freshly reset to the demo seed, with no faults and an empty log.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cw_facade.testing._simulator import ManageSimulator


@pytest.fixture(scope="session")
def manage_simulator_session() -> Iterator[ManageSimulator]:
    """One started simulator for the whole session (prefer ``manage_simulator``)."""
    with ManageSimulator() as simulator:
        yield simulator


@pytest.fixture
def manage_simulator(manage_simulator_session: ManageSimulator) -> ManageSimulator:
    """A running :class:`ManageSimulator`, reset to the demo seed for this test."""
    manage_simulator_session.reset(seed="demo")
    return manage_simulator_session
