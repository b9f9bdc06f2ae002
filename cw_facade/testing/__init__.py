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

``ManageSimulator(description=PATH)`` serves another description (e.g. ConnectWise's
all-modules download) generically; ``rate_limit="1000/min"`` and ``latency_ms=100`` make it
behave like a busy, rate-limited tenant; :attr:`ManageSimulator.counters` counts requests and
429s.

Command line: ``python -m cw_facade.testing serve --port 8080 [--rate-limit 1000/min]
[--latency-ms 100] [--description PATH]``.
"""

from __future__ import annotations

from cw_facade.testing._callbacks import Delivery, sign
from cw_facade.testing._faults import FAULT_KINDS, Fault
from cw_facade.testing._limits import Limits
from cw_facade.testing._ratelimit import RateLimit
from cw_facade.testing._server import RequestRecord
from cw_facade.testing._simulator import (
    DEMO_CLIENT_ID,
    DEMO_COMPANY,
    DEMO_PRIVATE_KEY,
    DEMO_PUBLIC_KEY,
    Counters,
    ManageSimulator,
)

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_COMPANY",
    "DEMO_PRIVATE_KEY",
    "DEMO_PUBLIC_KEY",
    "FAULT_KINDS",
    "Counters",
    "Delivery",
    "Fault",
    "Limits",
    "ManageSimulator",
    "RateLimit",
    "RequestRecord",
    "sign",
]
