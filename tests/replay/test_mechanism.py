"""The replay mechanism fails loudly: missing cassettes, changed requests, unsent requests.

Everything runs on copies in ``tmp_path`` or read-only on the committed cassettes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from vcr.errors import CannotOverwriteExistingCassetteException

from cw_facade import ConnectWiseClient
from tests.replay._cassettes import (
    CASSETTE_DIR,
    ENV_CASSETTE_DIR,
    ENV_RECORD,
    SERVER_VARIABLES,
    MissingCassetteError,
    UnplayedInteractionsError,
    make_vcr,
    real_server_target,
    use_cassette,
)
from tests.replay._scrub import CODEBASE, REPLAY_TARGET, Target

pytestmark = pytest.mark.replay_meta

ROOT = CASSETTE_DIR.parent.parent.parent
VICTIM_MODULE = "test_lookups"
VICTIM = "test_health"


@pytest.fixture
def client() -> Iterator[ConnectWiseClient]:
    """A replay client that is not tied to any cassette by a fixture."""
    target: Target = REPLAY_TARGET
    with ConnectWiseClient(
        target.base_url,
        target.company,
        target.public_key,
        target.private_key,
        target.client_id,
        codebase=CODEBASE,
        max_retries=0,
    ) as replay_client:
        yield replay_client


def test_missing_cassette_raises_before_anything_is_sent(tmp_path: Path) -> None:
    with pytest.raises(MissingCassetteError, match="make record"):
        with use_cassette("test_lookups/test_health.yaml", library=tmp_path):
            pass


def test_vcrpy_refuses_requests_without_a_cassette(
    tmp_path: Path, client: ConnectWiseClient
) -> None:
    with make_vcr(REPLAY_TARGET, tmp_path).use_cassette("absent.yaml"):
        with pytest.raises(CannotOverwriteExistingCassetteException):
            client.ping()
    assert list(tmp_path.iterdir()) == []  # and nothing was written


def test_deleting_a_cassette_fails_exactly_its_test(tmp_path: Path) -> None:
    library = tmp_path / "cassettes"
    shutil.copytree(CASSETTE_DIR, library)
    (library / VICTIM_MODULE / f"{VICTIM}.yaml").unlink()
    report = tmp_path / "report.xml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CW_FACADE_")}
    env[ENV_CASSETTE_DIR] = str(library)
    module = CASSETTE_DIR.parent / f"{VICTIM_MODULE}.py"
    command = [sys.executable, "-m", "pytest", "-q", str(module), f"--junitxml={report}"]
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert completed.returncode == 1, completed.stdout[-2000:]
    cases = ET.parse(report).getroot().iter("testcase")
    outcome = {case.get("name"): [child.tag for child in case] for case in cases}
    assert len(outcome) >= 4
    failed = {name for name, tags in outcome.items() if {"failure", "error"} & set(tags)}
    assert failed == {VICTIM}


@pytest.mark.parametrize(
    ("cassette", "changed_call"),
    [
        ("test_raw/test_get_missing_is_none.yaml", lambda c: c.get("service/tickets/99998")),
        (
            "test_raw/test_get_count.yaml",
            lambda c: (c.get("service/tickets/5"), c.get("service/tickets", pagesize=4)),
        ),
        ("test_raw/test_write_methods.yaml", lambda c: c.post("service/tickets", {"summary": 1})),
        (
            "test_paging/test_iter_all_forward_only_is_lazy.yaml",
            lambda c: c.get_all(
                "service/tickets", conditions="id<=5", fields="id", pagesize=2, forward_only=False
            ),
        ),
    ],
    ids=["path", "query", "body", "paging-header"],
)
def test_a_changed_request_is_refused(
    cassette: str, changed_call: object, client: ConnectWiseClient
) -> None:
    assert callable(changed_call)
    with pytest.raises(CannotOverwriteExistingCassetteException):
        with use_cassette(cassette):
            changed_call(client)


def test_a_request_is_played_once(client: ConnectWiseClient) -> None:
    with pytest.raises(CannotOverwriteExistingCassetteException):
        with use_cassette("test_raw/test_get_missing_is_none.yaml"):
            assert client.get("service/tickets/99999") is None
            client.get("service/tickets/99999")


def test_an_unsent_request_fails_the_test(client: ConnectWiseClient) -> None:
    with pytest.raises(UnplayedInteractionsError, match="2 recorded request"):
        with use_cassette("test_raw/test_get_count.yaml"):
            assert client.get("service/tickets/5")["id"] == 5


def test_the_same_calls_replay_cleanly(client: ConnectWiseClient) -> None:
    """The control for the tests above: the recorded call sequence itself passes."""
    with use_cassette("test_raw/test_get_missing_is_none.yaml") as cassette:
        assert client.get("service/tickets/99999") is None
    assert cassette.all_played


def test_server_variables_are_ignored_when_replaying() -> None:
    env = {name: f"value-{n}" for n, name in enumerate(SERVER_VARIABLES)}
    assert real_server_target(env) is None
    target = real_server_target({**env, ENV_RECORD: "1"})
    assert target is not None and target.record and target.base_url == "value-0"
    assert "value-3" not in repr(target)  # the private key stays out of reprs


def test_incomplete_server_variables_are_refused() -> None:
    env = {ENV_RECORD: "1", SERVER_VARIABLES[0]: "https://na.myconnectwise.net"}
    with pytest.raises(RuntimeError, match="CW_FACADE_RECORD_PRIVATE_KEY"):
        real_server_target(env)
