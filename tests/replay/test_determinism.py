"""Recording twice against the simulator gives byte-identical cassettes.

A few representative tests (writes with generated ids and timestamps, a 429 retry, forward-only
paging, discovery) are recorded twice, in parallel, by ``scripts/record_cassettes.py`` itself
into temporary directories, and the two trees are compared file by file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.replay._guard import problems

pytestmark = pytest.mark.replay_meta

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "record_cassettes.py"
REPRESENTATIVE = (
    "test_write_methods or test_429_then_success or test_iter_all_forward_only_is_lazy"
    " or test_discovery_and_ticket_link"
)
EXPECTED_FILES = 8  # four tests, each with its async twin


def _tree(library: Path) -> dict[str, bytes]:
    return {str(p.relative_to(library)): p.read_bytes() for p in sorted(library.rglob("*.yaml"))}


def test_recording_twice_is_byte_identical(tmp_path: Path) -> None:
    runs = []
    for name in ("first", "second"):
        command = [sys.executable, str(SCRIPT), "-q", "--cassette-dir", str(tmp_path / name)]
        command += ["-k", REPRESENTATIVE]
        runs.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True))
    outputs = [run.communicate()[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    first, second = _tree(tmp_path / "first"), _tree(tmp_path / "second")
    assert len(first) == EXPECTED_FILES
    assert first == second
    assert all(problems(data.decode()) == [] for data in first.values())
