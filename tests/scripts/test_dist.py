"""Installing as the README says: a wheel from `make dist`, and `pip install .` from a clone.

Both run pip offline (``--no-deps --no-build-isolation``: hatchling is a dev dependency) and
install into throwaway directories, then import the installed copy from outside the clone.
"""

from __future__ import annotations

import email
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DESCRIPTION = ROOT / "openapi" / "connectwise-manage.json"
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
OFFLINE = ["--no-deps", "--no-build-isolation", "--no-index"]


def _pip(*args: str) -> None:
    subprocess.run([*PIP, *args], check=True, cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built by the command `make dist` runs."""
    make = (ROOT / "Makefile").read_text()
    assert "-m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist ." in make
    dist = tmp_path_factory.mktemp("dist")
    _pip("wheel", *OFFLINE, "--wheel-dir", str(dist), ".")
    (built,) = dist.glob("cw_facade-*-py3-none-any.whl")
    return built


def _imports_installed_copy(site: Path) -> str:
    code = (
        "import importlib.resources as r, cw_facade, cw_manage_client;"
        "print(cw_facade.__file__); print(cw_manage_client.__file__);"
        "print(len((r.files('cw_facade') / '_openapi/connectwise-manage.json').read_bytes()))"
    )
    env = {"PYTHONPATH": str(site), "PYTHONNOUSERSITE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=site, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_the_wheel_holds_both_packages_the_description_and_the_license(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert {
            "cw_facade/__init__.py",
            "cw_manage_client/__init__.py",
            "cw_facade/py.typed",
        } <= names
        assert "cw_manage_client/api/slas/get_service_slas.py" in names
        assert zf.read("cw_facade/_openapi/connectwise-manage.json") == DESCRIPTION.read_bytes()
        (meta,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = email.message_from_bytes(zf.read(meta))
        licenses = [n for n in names if re.search(r"\.dist-info/licenses/LICENSE$", n)]
        assert licenses and b"MIT License" in zf.read(licenses[0])
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Name"] == "cw-facade"


def test_the_wheel_installs_and_imports(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _pip("install", *OFFLINE, "--no-compile", "--target", str(site), str(wheel))
    out = _imports_installed_copy(site).splitlines()
    assert out[0].startswith(str(site)) and out[1].startswith(str(site))
    assert int(out[2]) == DESCRIPTION.stat().st_size


def test_pip_install_from_the_clone(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _pip("install", *OFFLINE, "--no-compile", "--target", str(site), ".")
    out = _imports_installed_copy(site).splitlines()
    assert out[0] == str(site / "cw_facade" / "__init__.py")
    assert int(out[2]) == DESCRIPTION.stat().st_size


def test_license_file_matches_pyproject() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n\nCopyright (c) 2026 cw-facade contributors\n")
    assert 'license = "MIT"' in (ROOT / "pyproject.toml").read_text()
