"""Fixtures for the command-line tests: run ``cw`` in-process or as a subprocess."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from cw_facade.cli import main
from cw_facade.testing import ManageSimulator
from cw_facade.testing.pytest_plugin import manage_simulator, manage_simulator_session

__all__ = ["manage_simulator", "manage_simulator_session"]

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Ran:
    """What one run of ``cw`` did."""

    code: int
    out: str
    err: str


class Tty(io.StringIO):
    """A StringIO that says it is a terminal (for colour and progress decisions)."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def sim_env(sim: ManageSimulator, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a user pointing ``cw`` at ``sim`` (no config file of theirs)."""
    env = {
        "CW_BASE_URL": sim.base_url,
        "CW_COMPANY": sim.company,
        "CW_PUBLIC_KEY": sim.public_key,
        "CW_PRIVATE_KEY": sim.private_key,
        "CW_CLIENT_ID": sim.client_id,
        "CW_CONFIG": str(tmp_path / "no-config.toml"),
        "HOME": str(tmp_path),
    }
    env.update(extra)
    return env


Runner = Callable[..., Ran]


def run_cw(
    argv: list[str],
    env: Mapping[str, str],
    *,
    transport: httpx.BaseTransport | None = None,
    stdout: io.StringIO | None = None,
    stderr: io.StringIO | None = None,
) -> Ran:
    """Run ``cw argv`` in-process with ``env``; capture what it printed."""
    out, err = stdout or io.StringIO(), stderr or io.StringIO()
    code = main(argv, env=env, stdout=out, stderr=err, transport=transport)
    return Ran(code, out.getvalue(), err.getvalue())


@pytest.fixture
def sim(manage_simulator: ManageSimulator) -> ManageSimulator:
    """The shared simulator, freshly reset."""
    return manage_simulator


@pytest.fixture
def env(sim: ManageSimulator, tmp_path: Path) -> dict[str, str]:
    """The environment pointing at ``sim``."""
    return sim_env(sim, tmp_path)


@pytest.fixture
def cw(env: dict[str, str]) -> Runner:
    """``cw(*argv, **env_overrides)`` runs ``cw`` in-process against the simulator."""

    def runner(*argv: str, transport: httpx.BaseTransport | None = None, **extra: str) -> Ran:
        return run_cw(list(argv), {**env, **extra}, transport=transport)

    return runner


def run_subprocess(
    argv: list[str], env: Mapping[str, str], *, module: bool = False, stdin: str | None = None
) -> Ran:
    """Run ``cw`` (or ``python -m cw_facade``) as a real process."""
    program = (
        [sys.executable, "-m", "cw_facade"] if module else [str(Path(sys.executable).parent / "cw")]
    )
    full_env = {"PATH": os.environ.get("PATH", ""), "SYSTEMROOT": os.environ.get("SYSTEMROOT", "")}
    full_env.update(env)
    done = subprocess.run(
        program + argv,
        env=full_env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        cwd=ROOT,
    )
    return Ran(done.returncode, done.stdout, done.stderr)
