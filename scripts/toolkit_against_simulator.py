#!/usr/bin/env python3
"""Run the ConnectPyse-Manage toolkit itself against the simulator, method by method.

Installs the toolkit from PyPI into a throwaway virtualenv under ``.bench/toolkit-venv``
(never a project dependency), starts a :class:`~cw_facade.testing.ManageSimulator` in this
process, and calls every toolkit method with the arguments the parity test uses
(``tests/unit/domain/test_toolkit_parity.py``'s ``CALLS``), in the toolkit (a child process in
that venv, fed one call per line) and in the facade's sync client, resetting the simulator to
the demo seed before each call. Prints one line per method: what each side answered.
Exits non-zero when the toolkit process fails or a facade call raises.

Not part of ``make test``: it needs PyPI to install the toolkit.
Usage: ``.venv/bin/python scripts/toolkit_against_simulator.py``
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".bench" / "toolkit-venv"
TOOLKIT = "connectpyse-manage==0.0.7"

# Runs inside the toolkit's venv: reads {"name", "kwargs"} lines, answers one summary line each.
TOOLKIT_SCRIPT = r"""
import json, sys
from connectwise import ConnectWiseClient, Configuration

def summary(value):
    if isinstance(value, list):
        kinds = sorted({type(v).__name__ for v in value})
        return f"list[{'|'.join(kinds) or '-'}] of {len(value)}"
    if isinstance(value, (str, int, float, bool)) or value is None:
        return repr(value)[:60]
    if isinstance(value, dict):
        return "dict " + ",".join(sorted(value)[:4])
    return f"{type(value).__name__} id={getattr(value, 'id', None)}"

base_url, company, public, private, client_id = sys.argv[1:6]
cw = ConnectWiseClient(base_url=base_url, client=company, username=public, password=private,
                       client_id=client_id)
for line in sys.stdin:
    call = json.loads(line)
    kwargs = call["kwargs"]
    if "config" in kwargs:
        kwargs["config"] = Configuration.from_dict(kwargs["config"])
    try:
        answer = summary(getattr(cw, call["name"])(**kwargs))
    except Exception as exc:
        answer = f"raises {type(exc).__name__}: {str(exc)[:60]}"
    print(json.dumps(answer), flush=True)
"""


def toolkit_python() -> Path:
    """The throwaway venv's interpreter, with the toolkit installed."""
    python = VENV / "bin" / "python"
    if not python.exists():
        venv.create(VENV, with_pip=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", TOOLKIT], check=True, timeout=600
    )
    return python


def summary(value: Any) -> str:
    """A short description of a facade answer (the toolkit side prints the same shape)."""
    if isinstance(value, list):
        kinds = sorted({type(v).__name__ for v in value})
        return f"list[{'|'.join(kinds) or '-'}] of {len(value)}"
    if isinstance(value, str | int | float | bool) or value is None:
        return repr(value)[:60]
    if isinstance(value, dict):
        return "dict " + ",".join(sorted(value)[:4])
    return f"{type(value).__name__} id={getattr(value, 'id', None)}"


def main() -> int:
    """Install the toolkit, then run each call on both sides against a freshly reset seed."""
    sys.path.insert(0, str(ROOT))
    from cw_facade import ConnectWiseClient
    from cw_facade.testing import ManageSimulator
    from tests.unit.domain.test_toolkit_parity import CALLS

    python = toolkit_python()
    failures = 0
    with ManageSimulator() as sim:
        keys = [sim.base_url, sim.company, sim.public_key, sim.private_key, sim.client_id]
        child = subprocess.Popen(
            [str(python), "-c", TOOLKIT_SCRIPT, *keys],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdin is not None and child.stdout is not None
        with ConnectWiseClient(*keys) as facade:
            for name in sorted(CALLS):
                kwargs, check = CALLS[name]
                sim.reset(seed="demo")
                child.stdin.write(json.dumps({"name": name, "kwargs": kwargs}) + "\n")
                child.stdin.flush()
                toolkit_answer = json.loads(child.stdout.readline() or '"(toolkit exited)"')
                sim.reset(seed="demo")
                try:
                    result = getattr(facade, name)(**kwargs)
                    ours = summary(result) + ("" if check(result) else "  (CHECK FAILED)")
                except Exception as exc:
                    ours = f"raises {type(exc).__name__}: {str(exc)[:60]}"
                failures += ours.startswith("raises") or ours.endswith("(CHECK FAILED)")
                print(f"{name:34} toolkit: {toolkit_answer:44} facade: {ours}")
        child.stdin.close()
        status = child.wait(30)
    print(f"{len(CALLS)} methods; facade failures: {failures}; toolkit process exit {status}")
    return 1 if failures or status else 0


if __name__ == "__main__":
    sys.exit(main())
