"""scripts/record_cassettes.py: options, environment, and the pytest run it starts.

The real recording is exercised by tests/replay/test_determinism.py; here subprocess.run is
replaced, so nothing is recorded.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import record_cassettes as rc

SERVER_ARGS = [
    "--base-url",
    "https://na.myconnectwise.net",
    "--company",
    "acme",
    "--public-key",
    "pub",
    "--private-key",
    "priv",
    "--client-id",
    "cid",
]


class FakeRun:
    """Stands in for subprocess.run; remembers the command and environment."""

    def __init__(self, returncode: int = 0) -> None:
        self.returncode = returncode
        self.command: list[str] = []
        self.env: dict[str, str] = {}

    def __call__(self, command: list[str], *, cwd: Path, env: dict[str, str]) -> Any:
        self.command, self.env = command, env
        return subprocess.CompletedProcess(command, self.returncode)


@pytest.fixture
def fake_run(monkeypatch: pytest.MonkeyPatch) -> FakeRun:
    fake = FakeRun()
    monkeypatch.setattr(rc.subprocess, "run", fake)
    for variable in rc.SERVER_OPTIONS.values():
        monkeypatch.delenv(variable, raising=False)
    return fake


def test_simulator_recording_replaces_the_whole_library(fake_run: FakeRun, tmp_path: Path) -> None:
    stale = tmp_path / "lib" / "test_gone" / "old.yaml"
    stale.parent.mkdir(parents=True)
    stale.write_text("x")
    assert rc.main(["--cassette-dir", str(tmp_path / "lib")]) == 0
    assert not stale.exists() and (tmp_path / "lib").is_dir()
    assert fake_run.env[rc.ENV_RECORD] == "1"
    assert fake_run.env[rc.ENV_CASSETTE_DIR] == str((tmp_path / "lib.recording").resolve())
    assert not (tmp_path / "lib.recording").exists()  # moved into place
    assert not set(rc.SERVER_OPTIONS.values()) & set(fake_run.env)
    assert fake_run.command[-3:] == ["-m", "not replay_meta", "-v"]
    assert "--confcutdir" not in fake_run.command


def test_a_failed_full_recording_leaves_the_library_untouched(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    failing = FakeRun(returncode=1)
    monkeypatch.setattr(rc.subprocess, "run", failing)
    for variable in rc.SERVER_OPTIONS.values():
        monkeypatch.delenv(variable, raising=False)
    kept = tmp_path / "lib" / "test_raw" / "test_close.yaml"
    kept.parent.mkdir(parents=True)
    kept.write_text("x")
    assert rc.main(["--cassette-dir", str(tmp_path / "lib")]) == 1
    assert kept.read_text() == "x"
    assert (tmp_path / "lib.recording").is_dir()


def test_keyword_recording_keeps_other_cassettes(fake_run: FakeRun, tmp_path: Path) -> None:
    kept = tmp_path / "test_raw" / "test_close.yaml"
    kept.parent.mkdir(parents=True)
    kept.write_text("x")
    assert rc.main(["--cassette-dir", str(tmp_path), "-k", "test_paging", "-q"]) == 0
    assert kept.exists()
    assert fake_run.command[-3:] == ["-k", "test_paging", "-q"]


def test_real_server_settings_go_to_the_environment_only(fake_run: FakeRun, tmp_path: Path) -> None:
    kept = tmp_path / "test_errors" / "test_429_then_success.yaml"
    kept.parent.mkdir(parents=True)
    kept.write_text("x")
    assert rc.main([*SERVER_ARGS, "--cassette-dir", str(tmp_path)]) == 0
    assert kept.exists()  # fault tests are not re-recorded against a server
    assert fake_run.env["CW_FACADE_RECORD_PRIVATE_KEY"] == "priv"
    assert fake_run.env["CW_FACADE_RECORD_BASE_URL"] == "https://na.myconnectwise.net"
    assert "priv" not in fake_run.command
    assert "--confcutdir" in fake_run.command
    assert "not replay_meta and not needs_simulator" in fake_run.command


def test_server_settings_may_come_from_the_environment(
    fake_run: FakeRun, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    values = dict(zip(SERVER_ARGS[::2], SERVER_ARGS[1::2], strict=True))
    for option, variable in rc.SERVER_OPTIONS.items():
        monkeypatch.setenv(variable, values["--" + option.replace("_", "-")])
    assert rc.main(["--cassette-dir", str(tmp_path)]) == 0
    assert fake_run.env["CW_FACADE_RECORD_CLIENT_ID"] == "cid"


def test_incomplete_server_settings_are_refused(fake_run: FakeRun, tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="--private-key, --client-id"):
        rc.main([*SERVER_ARGS[:6], "--cassette-dir", str(tmp_path)])
    assert fake_run.command == []


def test_pytest_failure_is_the_exit_status(fake_run: FakeRun, tmp_path: Path) -> None:
    fake_run.returncode = 1
    assert rc.main(["--cassette-dir", str(tmp_path)]) == 1
