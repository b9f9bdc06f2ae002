"""The program as a whole: help everywhere, exit statuses, messages on stderr."""

from __future__ import annotations

import argparse
import io

import httpx
import pytest

from cw_facade import __version__
from cw_facade.cli import _simulate, build_parser
from cw_facade.cli._exit import status_for
from tests.cli.conftest import Runner, run_cw


def every_command(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    found = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen = set()
            for name, sub in action.choices.items():
                if id(sub) not in seen:
                    seen.add(id(sub))
                    found += every_command(sub, (*path, name))
    return found


COMMANDS = every_command(build_parser())


def test_every_command_is_listed() -> None:
    assert ("tickets", "note") in COMMANDS
    assert ("api",) in COMMANDS and ("simulate",) in COMMANDS
    assert len(COMMANDS) > 20


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "cw")
def test_help_everywhere(cw: Runner, path: tuple[str, ...]) -> None:
    ran = cw(*path, "--help")
    assert ran.code == 0
    assert ran.out.startswith("usage: cw")
    assert ran.err == ""
    leaf = not any(p[: len(path)] == path and len(p) > len(path) for p in COMMANDS)
    if leaf:
        assert "examples:" in ran.out


def test_version(cw: Runner) -> None:
    ran = cw("--version")
    assert (ran.code, ran.out) == (0, f"cw (cw-facade) {__version__}\n")


def test_no_command_prints_help_on_stderr_and_exits_2(cw: Runner) -> None:
    ran = cw()
    assert ran.code == 2
    assert ran.out == ""
    assert "usage: cw" in ran.err and "tickets" in ran.err


@pytest.mark.parametrize(
    "argv",
    [["frobnicate"], ["tickets", "list", "--format", "xml"], ["tickets", "list", "--bogus"]],
)
def test_usage_errors_exit_2(cw: Runner, argv: list[str]) -> None:
    ran = cw(*argv)
    assert ran.code == 2
    assert "cw: error:" in ran.err
    assert ran.out == ""


def test_missing_settings_exit_3(cw: Runner) -> None:
    ran = cw("tickets", "list", CW_CLIENT_ID="")
    assert ran.code == 3
    assert "missing connection settings: --client-id / CW_CLIENT_ID" in ran.err


def test_a_wrong_key_exits_3_with_a_hint(cw: Runner) -> None:
    ran = cw("tickets", "list", CW_PRIVATE_KEY="wrong-key")
    assert ran.code == 3
    assert "cw: error: 401 Unauthorized" in ran.err
    assert "hint: check the company id, public and private key and clientId" in ran.err


def test_a_wrong_codebase_exits_4_with_a_hint(cw: Runner) -> None:
    ran = cw("tickets", "list", "--codebase", "v2020_1")
    assert ran.code == 4
    assert "cw: error: 404" in ran.err
    assert "wrong codebase" in ran.err


def test_no_server_exits_5(cw: Runner) -> None:
    ran = cw("tickets", "list", "--max-retries", "0", CW_BASE_URL="http://127.0.0.1:9")
    assert ran.code == 5
    assert "hint: is the base URL right" in ran.err


def test_an_insecure_url_is_a_configuration_mistake(cw: Runner) -> None:
    ran = cw("tickets", "list", CW_BASE_URL="http://cw.example.com")
    assert ran.code == 2
    assert "refusing plain http://" in ran.err


def raising(error: BaseException) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return httpx.MockTransport(handler)


def test_ctrl_c_exits_130(cw: Runner) -> None:
    ran = cw("tickets", "list", transport=raising(KeyboardInterrupt()))
    assert ran.code == 130
    assert ran.err == "interrupted\n"


def test_an_unexpected_error_is_one_line_not_a_traceback(cw: Runner) -> None:
    ran = cw("tickets", "list", transport=raising(RuntimeError("kaboom")))
    assert ran.code == 1
    assert ran.err == "cw: error: unexpected RuntimeError: kaboom\n"


def test_a_closed_pipe_is_quiet(env: dict[str, str]) -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    ran = run_cw(["tickets", "list"], env, stdout=Closed())
    assert (ran.code, ran.err) == (0, "")


@pytest.mark.parametrize(
    ("error", "status"), [(KeyboardInterrupt(), 130), (ValueError("x"), 2), (RuntimeError(), 1)]
)
def test_status_for(error: BaseException, status: int) -> None:
    assert status_for(error) == status


def test_simulate_has_the_simulators_options() -> None:
    from cw_facade.testing.__main__ import build_parser as simulator_parser

    sub = simulator_parser()._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    theirs = {flag for a in sub._actions for flag in a.option_strings} - {"-h", "--help"}
    ours = {flag for flag, _, _ in _simulate.OPTIONS}
    assert ours == theirs


def test_simulate_forwards_to_the_simulator(cw: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    import cw_facade.testing.__main__ as serve

    monkeypatch.setattr(serve, "main", lambda argv: seen.append(list(argv)) or 0)
    ran = cw("simulate", "--port", "8123", "--tickets", "40", "--seed", "empty")
    assert ran.code == 0
    assert seen == [["serve", "--port", "8123", "--seed", "empty", "--tickets", "40"]]
