"""The README's "Command line" examples run as a user would type them."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest

from cw_facade.cli._config import resolve
from cw_facade.cli._exit import __doc__ as exit_doc
from cw_facade.testing import ManageSimulator
from tests.cli.conftest import ROOT, run_cw

SECTION = (ROOT / "README.md").read_text().split("## Command line", 1)[1].split("\n## ", 1)[0]
BASH = re.findall(r"```bash\n(.*?)```", SECTION, re.S)
TOML = re.findall(r"```toml\n(.*?)```", SECTION, re.S)


def commands(block: str) -> list[list[str]]:
    return [
        shlex.split(line, comments=True) for line in block.splitlines() if line.startswith("cw ")
    ]


def test_the_setup_block_names_the_simulators_demo_credentials() -> None:
    setup = BASH[0]
    sim = ManageSimulator(port=8765)
    assert commands(setup)[0][:3] == ["cw", "simulate", "--port"]
    for value in (sim.company, sim.public_key, sim.private_key, sim.client_id, "127.0.0.1:8765"):
        assert value in setup


def test_every_example_runs(
    manage_simulator: ManageSimulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sim = manage_simulator
    env = {
        "CW_BASE_URL": sim.base_url, "CW_COMPANY": sim.company, "CW_PUBLIC_KEY": sim.public_key,
        "CW_PRIVATE_KEY": sim.private_key, "CW_CLIENT_ID": sim.client_id,
        "CW_CONFIG": str(tmp_path / "none.toml"),
    }  # fmt: skip
    examples = commands(BASH[1])
    assert len(examples) >= 10
    for argv in examples:
        ran = run_cw(argv[1:], env)
        assert ran.code == 0, f"{shlex.join(argv)}: {ran.err}"
    assert (tmp_path / "open.jsonl").read_text().count("\n") > 0


def test_the_profile_example_is_a_valid_config(tmp_path: Path) -> None:
    (text,) = TOML
    path = tmp_path / "config.toml"
    path.write_text(text)
    path.chmod(0o600)
    settings = resolve({}, {}, path=path)
    assert settings.profile == "prod" and settings.missing == []
    assert settings.defaults.priority_id == 8
    assert tomllib.loads(text)["default_profile"] == "prod"


def test_the_exit_status_table_matches_the_code() -> None:
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", SECTION, re.M)
    assert [int(code) for code, _ in rows] == [0, 1, 2, 3, 4, 5, 130]
    assert exit_doc is not None
    for code, _ in rows:
        assert re.search(rf"^{code}\s", exit_doc, re.M), code
