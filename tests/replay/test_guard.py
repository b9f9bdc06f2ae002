"""Every committed cassette is scrubbed, and belongs to a test that still exists."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.replay._cassettes import CASSETTE_DIR
from tests.replay._guard import problems
from tests.replay._scrub import PLACEHOLDER_AUTH, basic_auth

pytestmark = pytest.mark.replay_meta

CASSETTES = sorted(CASSETTE_DIR.rglob("*.yaml"))
MIN_CASSETTES = 40

CLEAN = """interactions:
- request:
    body: ''
    headers:
      authorization:
      - {auth}
      clientid:
      - replay-client-id
    method: GET
    uri: https://cw.replay.invalid/v4_6_release/apis/3.0/system/info
  response:
    body:
      string: '{body}'
    headers:
      content-type:
      - application/json
    status:
      code: 200
      message: OK
version: 1
"""


def _sample(auth: str = PLACEHOLDER_AUTH, body: str = "{{}}") -> str:
    return CLEAN.format(auth=auth, body=body)


def test_there_are_cassettes() -> None:
    assert len(CASSETTES) >= MIN_CASSETTES


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: str(p.relative_to(CASSETTE_DIR)))
def test_cassette_is_scrubbed(path: Path) -> None:
    assert problems(path.read_text(encoding="utf-8")) == []


def test_every_cassette_has_its_test() -> None:
    tests = set()
    for module in CASSETTE_DIR.parent.glob("test_*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                tests.add(f"{module.stem}/{node.name}")
    stale = [str(p.relative_to(CASSETTE_DIR).with_suffix("")) for p in CASSETTES]
    assert [name for name in stale if name not in tests] == []


def test_async_twins_send_and_receive_the_same_bytes() -> None:
    """A test and its ``_async`` twin make the same calls, so their cassettes are identical."""
    twins = [p for p in CASSETTES if p.stem.endswith("_async")]
    assert len(twins) >= MIN_CASSETTES // 2
    for twin in twins:
        sync = twin.with_name(twin.name.replace("_async.yaml", ".yaml"))
        assert sync.read_bytes() == twin.read_bytes(), twin.name


def test_clean_sample_passes() -> None:
    assert problems(_sample()) == []


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (_sample(auth=basic_auth("cwfacade", "demo-public", "demo-private")), "credential"),
        (_sample(auth=basic_auth("acme", "pub", "priv")), "Basic credentials 'acme+pub:priv'"),
        (_sample(body='{{"note":"demo-private"}}'), "credential 'demo-private'"),
        (
            _sample(body='{{"href":"https://na.myconnectwise.net/x"}}'),
            "host 'na.myconnectwise.net'",
        ),
        (_sample().replace("replay-client-id", "0000-real"), "clientId '0000-real'"),
        (_sample().replace("content-type:", "set-cookie:"), "response header set-cookie"),
        (_sample().replace("interactions:", "other:"), "no interactions"),
    ],
)
def test_guard_flags(sample: str, expected: str) -> None:
    assert any(problem.startswith(expected) for problem in problems(sample)), problems(sample)
