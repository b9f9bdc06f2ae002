"""Tab completion: the candidates, and the bash script driving a real bash."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cw_facade._catalog import catalog
from cw_facade.cli._completion import _join_equals, candidates
from tests.cli.conftest import Runner, run_cw


def test_commands() -> None:
    found = candidates(["cw", ""], 1)
    assert {"tickets", "api", "export", "doctor", "simulate", "completion"} <= set(found)
    assert candidates(["cw", "ti"], 1) == ["tickets", "time", "time-entries"]


def test_actions_and_options() -> None:
    assert candidates(["cw", "tickets", ""], 2) == ["create", "get", "list", "note", "status"]
    options = candidates(["cw", "tickets", "list", "--"], 3)
    assert {"--where", "--fields", "--limit", "--format", "--profile"} <= set(options)


def test_option_values() -> None:
    assert candidates(["cw", "tickets", "list", "--format", ""], 4) == [
        "table",
        "json",
        "jsonl",
        "csv",
    ]
    assert candidates(["cw", "completion", ""], 2) == ["bash", "zsh"]


def test_operation_ids_then_parameters() -> None:
    ids = candidates(["cw", "api", ""], 2)
    assert ids == catalog().operation_ids
    assert candidates(["cw", "api", "getServiceTicketsByParentIdNotesBy"], 2) == [
        "getServiceTicketsByParentIdNotesById"
    ]
    params = candidates(["cw", "api", "getServiceTicketsById", ""], 3)
    assert params[0] == "id=" and "fields=" in params
    assert "id=" not in candidates(["cw", "api", "getServiceTicketsById", "id=5", ""], 4)
    assert candidates(["cw", "api", "noSuchOperation", ""], 3) == []


def test_bash_splits_at_equals() -> None:
    assert _join_equals(["cw", "api", "op", "id", "=", "5", ""], 6) == (
        ["cw", "api", "op", "id=5", ""],
        4,
    )


def test_the_hidden_helper_prints_one_per_line(cw: Runner) -> None:
    ran = cw("__complete", "2", "cw", "tickets", "g")
    assert (ran.code, ran.out) == (0, "get\n")
    assert cw("__complete", "x").code == 2


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_the_scripts(cw: Runner, shell: str) -> None:
    ran = cw("completion", shell)
    assert ran.code == 0
    assert "cw __complete" in ran.out


def test_bash_completes_operation_ids_for_real(tmp_path: Path) -> None:
    bash = shutil.which("bash")
    assert bash is not None, "bash is needed for this test"
    script = run_cw(["completion", "bash"], {}).out
    bindir = Path(sys.executable).parent
    probe = (
        f"{script}\n"
        "COMP_WORDS=(cw api getServiceTicketsByParentIdNotesB); COMP_CWORD=2; _cw_complete\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        [bash, "--norc", "-c", probe],
        capture_output=True,
        text=True,
        env={"PATH": f"{bindir}:/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["getServiceTicketsByParentIdNotesById"]
