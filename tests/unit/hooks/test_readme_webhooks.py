"""The README's webhook receiver recipe and reconciliation job run as written."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from cw_facade import ConnectWiseClient
from cw_facade.testing import ManageSimulator

README = Path(__file__).resolve().parents[3] / "README.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def block(marker: str) -> str:
    (found,) = [b for b in BLOCK.findall(README.read_text()) if marker in b]
    return found


def test_the_receiver_recipe_runs_against_the_simulator() -> None:
    namespace: dict[str, Any] = {}
    exec(compile(block("verifier = CallbackVerifier("), "README.md", "exec"), namespace)
    (event,) = namespace["events"]
    assert event.action == "added"
    assert namespace["current"].id == event.id


def test_the_reconciliation_job_re_registers_and_catches_up() -> None:
    handled: list[int] = []
    namespace: dict[str, Any] = {"handle": lambda ticket: handled.append(ticket.id)}
    exec(compile(block("def reconcile(cw, url, since):"), "README.md", "exec"), namespace)
    url = "http://127.0.0.1:9/cw"
    with ManageSimulator() as sim:
        with ConnectWiseClient(
            sim.base_url, sim.company, sim.public_key, sim.private_key, sim.client_id
        ) as cw:
            ticket = cw.create_ticket(
                "Changed while the callback was off", company_id=250, board_id=1
            )
            # the simulator's clock is its own: take "the last run" from the record
            since = datetime.fromisoformat(ticket.raw["_info"]["lastUpdated"])
            namespace["reconcile"](cw, url, since)
            assert [c.url for c in cw.list_callbacks()].count(url) == 1
            namespace["reconcile"](cw, url, since)  # active now: not registered twice
            assert [c.url for c in cw.list_callbacks()].count(url) == 1
    assert ticket.id in handled
