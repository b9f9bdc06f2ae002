"""The README's runnable examples run as a new user would paste them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def blocks_containing(marker: str) -> list[str]:
    return [b for b in BLOCK.findall(README.read_text()) if marker in b]


def test_the_simulator_example_runs() -> None:
    (block,) = blocks_containing("with ManageSimulator() as sim:")
    exec(compile(block, "README.md", "exec"), {})


def test_the_conditions_example_renders_what_it_says() -> None:
    (block,) = blocks_containing("cond = ((C.closedFlag == False)")
    namespace: dict[str, object] = {"user_text": "urgent"}
    exec(compile(block, "README.md", "exec"), namespace)
    assert str(namespace["cond"]) == (
        '(closedFlag=false AND priority/id>=8) OR summary contains "urgent"'
    )


def test_the_pytest_fixture_example_runs() -> None:
    from cw_facade.testing import ManageSimulator

    (block,) = blocks_containing("def test_escalation(manage_simulator):")
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    with ManageSimulator() as sim:
        namespace["test_escalation"](sim)  # type: ignore[operator]


def test_the_every_operation_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    (block,) = blocks_containing("client=cw.api")
    exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("[") and len(eval(printed[0])) == 5
    assert printed[1] == "NotFound 404"


def test_the_many_records_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    (block,) = blocks_containing("cw.get_tickets_by_ids([7, 3, 99999, 7]")
    exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "[7, 3] (99999,)"
    assert printed[2] == "(99999,)"
    assert printed[4:8] == [
        "get True 200 1",
        "get False 404 0",
        "list True 200 0",
        "create True 201 1",
    ]
    assert printed[8] == "ConnectWiseNotFoundError"


def test_the_rate_limits_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    (block,) = blocks_containing("shared = RateGovernor(950, burst=5)")
    exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out == "RateGovernor(950/min, burst=5)\n"
