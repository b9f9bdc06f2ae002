"""No run of ``cw`` prints the private key: not in data, messages, help or errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cw_facade.testing import ManageSimulator
from tests.cli.conftest import Tty, run_cw, run_subprocess, sim_env
from tests.cli.test_app import COMMANDS

SECRET = "Pr1vate-K3y-Never-Shown"


@pytest.fixture(scope="module")
def secret_sim() -> Iterator[ManageSimulator]:
    with ManageSimulator(private_key=SECRET, tickets=60) as sim:
        yield sim


@pytest.fixture
def env(secret_sim: ManageSimulator, tmp_path: Path) -> dict[str, str]:
    return sim_env(secret_sim, tmp_path)


RUNS = [
    ["tickets", "list", "--limit", "3"],
    ["tickets", "list", "--format", "table"],
    ["tickets", "get", "1"],
    ["tickets", "get", "424242"],
    ["tickets", "list", "--where", "closedFlag="],
    ["tickets", "list", "--where", "nosuchfield=1"],
    ["tickets", "create", "--summary", "x"],
    ["tickets", "note", "1", "a note", "--internal"],
    ["tickets", "status", "1", "No Such Status"],
    ["api", "getServiceTicketz"],
    ["api", "getServiceTicketsById", "id=1"],
    ["api", "postServiceTickets", "--body", "{}"],
    ["api", "getServiceTickets", "--dry-run"],
    ["api", "--search", "tickets"],
    ["doctor"],
    ["doctor", "--codebase", "v2020_1"],
    ["tickets", "list", "--codebase", "v2020_1"],
    ["tickets", "list", "--bogus"],
    ["frobnicate"],
]


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text
        assert SECRET.lower() not in text.lower()


@pytest.mark.parametrize("argv", RUNS, ids=" ".join)
def test_no_secret_with_the_key_in_the_environment(env: dict[str, str], argv: list[str]) -> None:
    ran = run_cw(argv, env, stderr=Tty())
    assert_clean(ran.out, ran.err)


@pytest.mark.parametrize("argv", RUNS, ids=" ".join)
def test_no_secret_with_the_key_as_a_flag(env: dict[str, str], argv: list[str]) -> None:
    del env["CW_PRIVATE_KEY"]
    ran = run_cw([*argv, "--private-key", SECRET], env)
    assert_clean(ran.out, ran.err)
    equals = run_cw([*argv, f"--private-key={SECRET}"], env)
    assert_clean(equals.out, equals.err)


def test_a_flag_key_after_an_unknown_argument_is_not_echoed(env: dict[str, str]) -> None:
    ran = run_cw(["tickets", "list", "stray", "--private-key", SECRET], env)
    assert ran.code == 2
    assert "unrecognized arguments" in ran.err
    assert_clean(ran.out, ran.err)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "cw")
def test_no_secret_in_help(env: dict[str, str], path: tuple[str, ...]) -> None:
    ran = run_cw([*path, "--help"], env)
    assert ran.code == 0
    assert_clean(ran.out, ran.err)


def test_no_secret_from_a_wrong_public_key(env: dict[str, str]) -> None:
    for argv in (["tickets", "list"], ["doctor"]):
        ran = run_cw(argv, {**env, "CW_PUBLIC_KEY": "wrong"})
        assert ran.code == 3
        assert_clean(ran.out, ran.err)


def test_no_secret_from_a_config_file(env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[profiles.default]\nprivate_key = "{SECRET}"\n')
    del env["CW_PRIVATE_KEY"]
    env["CW_CONFIG"] = str(config)
    config.chmod(0o600)
    good = run_cw(["doctor"], env)
    assert good.code == 0, good.out
    assert "private_key from profile default" in good.out
    config.chmod(0o644)
    refused = run_cw(["tickets", "list"], env)
    assert refused.code == 3
    assert_clean(good.out, good.err, refused.out, refused.err)


def test_no_secret_from_an_export(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    ran = run_cw(["export", "tickets", "--output", str(out)], env, stderr=Tty())
    assert ran.code == 0
    assert_clean(ran.out, ran.err, out.read_text())


def test_no_secret_from_a_process(env: dict[str, str]) -> None:
    for argv in (["tickets", "list", "--limit", "1"], ["doctor"], ["api", "nope"], ["--help"]):
        ran = run_subprocess(argv, env)
        assert_clean(ran.out, ran.err)
    flagged = {k: v for k, v in env.items() if k != "CW_PRIVATE_KEY"}
    ran = run_subprocess(["tickets", "get", "999999", "--private-key", SECRET], flagged)
    assert ran.code == 4
    assert_clean(ran.out, ran.err)
