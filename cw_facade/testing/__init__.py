"""A local ConnectWise Manage server for demos, tests and your own test suites.

``ManageSimulator`` serves the whole checked-in OpenAPI description over real HTTP on loopback,
backed by an in-memory store seeded with a small, deterministic MSP::

    from cw_facade.testing import ManageSimulator

    with ManageSimulator() as sim:
        sim.base_url        # "http://127.0.0.1:PORT" (the site; API root: sim.api_root)
        sim.company, sim.public_key, sim.private_key, sim.client_id   # demo credentials
        sim.add_fault("429", path=r"/service/tickets", count=1, retry_after=2)
        ...
        sim.request_log[-1].status

pytest: the ``manage_simulator`` fixture (module :mod:`cw_facade.testing.pytest_plugin`) yields a
started simulator, reset to the demo seed for every test.

Command line: ``python -m cw_facade.testing serve --port 8080``.
"""

from __future__ import annotations

from cw_facade.testing._callbacks import Delivery, sign
from cw_facade.testing._faults import FAULT_KINDS, Fault
from cw_facade.testing._server import RequestRecord
from cw_facade.testing._simulator import (
    DEMO_CLIENT_ID,
    DEMO_COMPANY,
    DEMO_PRIVATE_KEY,
    DEMO_PUBLIC_KEY,
    ManageSimulator,
)

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_COMPANY",
    "DEMO_PRIVATE_KEY",
    "DEMO_PUBLIC_KEY",
    "FAULT_KINDS",
    "Delivery",
    "Fault",
    "ManageSimulator",
    "RequestRecord",
    "sign",
]
