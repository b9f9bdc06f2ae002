"""Helpers shared by the simulator tests."""

from __future__ import annotations

import httpx

from cw_facade.testing import ManageSimulator


def client_for(sim: ManageSimulator, **headers: str) -> httpx.Client:
    """An httpx client on the simulator's API root with its demo credentials."""
    return httpx.Client(
        base_url=sim.api_root,
        auth=(f"{sim.company}+{sim.public_key}", sim.private_key),
        headers={"clientId": sim.client_id, **headers},
        timeout=10.0,
    )
