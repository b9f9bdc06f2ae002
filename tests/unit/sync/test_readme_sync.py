"""The README's "Sync to a database" example runs as a user would paste it."""

from __future__ import annotations

import re

import pytest

from tests.unit.test_readme import blocks_containing


def test_the_sync_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    (block,) = blocks_containing("first = sync(cw, to=")
    exec(compile(block, "README.md", "exec"), {})
    requests, counts, row = capsys.readouterr().out.splitlines()
    full, later = (int(n) for n in requests.split())
    assert later < full <= 40  # the notes of 300 tickets in 12 bundles, not 300 requests
    assert re.fullmatch(r"Counts\(added=0, updated=1, deleted=0, unchanged=\d+\)", counts)
    assert row.startswith("(1, 'Resolved', '")


def test_the_celery_example_is_valid_python() -> None:
    (block,) = blocks_containing("app.conf.beat_schedule")
    compile(block, "README.md", "exec")
