"""``--rate-limit``: the pace of the client a command builds."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cw_facade import RateGovernor
from cw_facade.cli._app import Context, build_parser
from cw_facade.cli._output import Console
from cw_facade.testing import ManageSimulator
from tests.cli.conftest import Runner, sim_env


def built_client_limiter(argv: list[str], env: dict[str, str]) -> object:
    """The ``rate_limit`` of the client ``cw ARGV`` would use."""
    args = build_parser().parse_args(argv)
    console = Console(io.StringIO(), io.StringIO(), env)
    ctx = Context(console=console, env=env, args=args)
    try:
        return ctx.client().rate_limit
    finally:
        ctx.close()


def test_the_default_pace_is_the_clients(manage_simulator: ManageSimulator, tmp_path: Path) -> None:
    env = sim_env(manage_simulator, tmp_path)
    limiter = built_client_limiter(["tickets", "list"], env)
    assert isinstance(limiter, RateGovernor) and limiter.per_minute == 950


@pytest.mark.parametrize(
    ("flag", "expected"), [("600", 600.0), ("90.5", 90.5), ("NONE", None), ("none", None)]
)
def test_rate_limit_sets_the_pace_or_turns_it_off(
    manage_simulator: ManageSimulator, tmp_path: Path, flag: str, expected: float | None
) -> None:
    env = sim_env(manage_simulator, tmp_path)
    limiter = built_client_limiter(["tickets", "list", "--rate-limit", flag], env)
    if expected is None:
        assert limiter is None
    else:
        assert isinstance(limiter, RateGovernor) and limiter.per_minute == expected


@pytest.mark.parametrize("flag", ["0", "-5", "abc", "inf", "nan", ""])
def test_a_bad_rate_limit_is_a_usage_error(cw: Runner, flag: str) -> None:
    ran = cw("tickets", "list", "--rate-limit", flag)
    assert ran.code == 2
    assert "--rate-limit" in ran.err and "requests a minute" in ran.err
    assert ran.out == ""


def test_a_command_takes_the_flag_end_to_end(cw: Runner) -> None:
    ran = cw("tickets", "list", "--limit", "3", "--format", "json", "--rate-limit", "none")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("[")
