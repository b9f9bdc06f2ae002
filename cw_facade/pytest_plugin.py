"""pytest plugin: the ``manage_simulator`` fixtures, registered when cw-facade is installed.

Installed packages register it as a ``pytest11`` entry point; it imports nothing of the
simulator until a test asks for a fixture, so it costs other projects' test runs nothing.
One simulator runs per test session; every test gets it freshly reset to the demo seed, with
no faults and an empty log. ``cw_facade.testing.pytest_plugin`` is the same plugin under the
name to put in ``pytest_plugins`` where cw-facade is not installed as a package.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the simulator loads when a fixture is used, not in every pytest run
    from cw_facade.testing._simulator import ManageSimulator


@pytest.fixture(scope="session")
def manage_simulator_session() -> Iterator[ManageSimulator]:
    """One started simulator for the whole session (prefer ``manage_simulator``)."""
    from cw_facade.testing._simulator import ManageSimulator

    with ManageSimulator() as simulator:
        yield simulator


@pytest.fixture
def manage_simulator(manage_simulator_session: ManageSimulator) -> ManageSimulator:
    """A running :class:`ManageSimulator`, reset to the demo seed for this test."""
    manage_simulator_session.reset(seed="demo")
    return manage_simulator_session
