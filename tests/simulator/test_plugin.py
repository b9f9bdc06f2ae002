"""The ``manage_simulator`` fixture hands every test a freshly reset simulator.

The two tests run in file order: the first leaves state behind, the second checks it is gone.
"""

from __future__ import annotations

import httpx

from cw_facade.testing import ManageSimulator


def test_first_leaves_state_behind(manage_simulator: ManageSimulator, api: httpx.Client) -> None:
    api.post("service/tickets", json={"summary": "Left behind", "company": {"id": 250}})
    manage_simulator.add_fault("503", path="/service/boards")
    assert api.get("service/boards").status_code == 503


def test_second_sees_a_fresh_simulator(
    manage_simulator: ManageSimulator, api: httpx.Client
) -> None:
    assert manage_simulator.request_log == []
    assert api.get("service/boards").status_code == 200
    assert api.get("service/tickets/count").json() == {"count": 300}
    assert manage_simulator.api_root == f"{manage_simulator.base_url}/v4_6_release/apis/3.0/"


def test_the_plugin_loads_no_simulator_until_a_fixture_is_used() -> None:
    import subprocess
    import sys

    code = (
        "import sys, cw_facade.pytest_plugin as p; "
        "print(sorted(m for m in sys.modules if m.startswith('cw_facade.testing')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
