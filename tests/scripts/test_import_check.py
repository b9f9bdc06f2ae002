"""The in-repo input, SOURCE.lock and ``import_spec.py --check`` (nothing outside the clone)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import import_spec as imp
import pytest

ROOT = Path(__file__).resolve().parents[2]
SELECTION = "/service/*\n/system/info  # server info\n"


def upstream() -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Ticket"}
    media = {"application/vnd.connectwise.com+json; version=2099.1": {"schema": schema}}
    get = {
        "operationId": "getServiceTickets",
        "responses": {"200": {"description": "d", "content": media}},
    }
    return {
        "openapi": "3.0.1",
        "info": {"title": "t", "version": "2099.1"},
        "paths": {
            "/service/tickets": {"get": get},
            "/system/info": {"get": {"operationId": "getSystemInfo", "responses": {}}},
            "/time/entries": {"get": {"operationId": "getTimeEntries", "responses": {}}},
        },
        "components": {
            "schemas": {"Ticket": {"type": "object", "properties": {"id": {"type": "integer"}}}}
        },
    }


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway repository layout the script's paths point at."""
    openapi = tmp_path / "openapi"
    openapi.mkdir()
    (openapi / "selection.txt").write_text(SELECTION)
    monkeypatch.setattr(imp, "ROOT", tmp_path)
    monkeypatch.setattr(imp, "DEFAULT_OUTPUT", openapi / "connectwise-manage.json")
    monkeypatch.setattr(imp, "LOCK_FILE", openapi / "SOURCE.lock")
    monkeypatch.setattr(imp, "SELECTION_FILE", openapi / "selection.txt")
    monkeypatch.setattr(imp, "UPSTREAM_DIR", openapi / "upstream")
    return tmp_path


def download(tmp_path: Path, name: str = "All.json", doc: dict[str, Any] | None = None) -> Path:
    src = tmp_path / "downloads" / name
    src.parent.mkdir(exist_ok=True)
    src.write_text(json.dumps(doc or upstream()))
    return src


def test_import_keeps_the_input_in_the_repo_and_records_it(repo: Path) -> None:
    src = download(repo)
    assert imp.main([str(src)]) == 0
    kept = repo / "openapi" / "upstream" / "All.json"
    assert kept.read_bytes() == src.read_bytes()
    lock = json.loads((repo / "openapi" / "SOURCE.lock").read_text())
    assert lock["input"] == "openapi/upstream/All.json"
    assert lock["input_counts"] == {"paths": 3, "operations": 3, "schemas": 1}
    assert lock["api_version"] == "2099.1"
    assert lock["selection"] == "openapi/selection.txt" and lock["select"] == []
    assert (lock["paths"], lock["operations"]) == (2, 2)
    described = json.loads((repo / "openapi" / "connectwise-manage.json").read_text())
    assert sorted(described["paths"]) == ["/service/tickets", "/system/info"]
    assert imp.main(["--check"]) == 0


def test_a_new_upstream_document_supersedes_the_old_one(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imp.main([str(download(repo, "manage-2099.1-all.json"))]) == 0
    assert imp.main([str(download(repo, "manage-2099.2-all.json"))]) == 0
    assert [p.name for p in (repo / "openapi" / "upstream").iterdir()] == ["manage-2099.2-all.json"]
    assert "removed superseded openapi/upstream/manage-2099.1-all.json" in capsys.readouterr().out
    assert imp.main([]) == 0  # no INPUT: the recorded one
    assert imp.main(["--check"]) == 0


def test_select_flag_extends_the_selection_and_is_recorded(repo: Path) -> None:
    assert imp.main([str(download(repo)), "--select", "/time/*"]) == 0
    described = json.loads((repo / "openapi" / "connectwise-manage.json").read_text())
    assert "/time/entries" in described["paths"]
    assert json.loads((repo / "openapi" / "SOURCE.lock").read_text())["select"] == ["/time/*"]
    assert imp.main([]) == 0  # re-import keeps the recorded extra pattern
    assert (
        "/time/entries"
        in json.loads((repo / "openapi" / "connectwise-manage.json").read_text())["paths"]
    )
    assert imp.main(["--check"]) == 0


def test_check_lists_what_differs(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert imp.main([str(download(repo))]) == 0
    out = repo / "openapi" / "connectwise-manage.json"
    out.write_text(out.read_text().replace('"getSystemInfo"', '"edited"'))
    (repo / "openapi" / "selection.txt").write_text(SELECTION + "/time/entries\n")
    assert imp.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert "openapi/connectwise-manage.json differs from the import" in err
    assert '-        "operationId": "edited",' in err
    assert "SOURCE.lock selection_sha256: recorded" in err
    assert "SOURCE.lock operations: recorded 2, import gives 3" in err


def test_check_fails_on_a_missing_input_or_lock(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imp.main(["--check"]) == 1
    assert "cannot read" in capsys.readouterr().err
    assert imp.main([str(download(repo))]) == 0
    (repo / "openapi" / "upstream" / "All.json").unlink()
    assert imp.check() == [
        "the upstream document 'openapi/upstream/All.json' named in SOURCE.lock is missing"
    ]


def test_main_reports_bad_input(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = download(repo, "bad.json")
    bad.write_text("{not json")
    assert imp.main([str(bad), "--output", str(repo / "x.json")]) == 1
    assert imp.main([str(download(repo, doc={"paths": {"/finance/x": {}}}))]) == 1
    assert "'/service/*' matches no path" in capsys.readouterr().err
    assert not (repo / "openapi" / "SOURCE.lock").exists()
    assert not (repo / "openapi" / "upstream").exists()


def test_main_with_another_output_writes_no_lock(repo: Path) -> None:
    out = repo / "elsewhere.json"
    assert imp.main([str(download(repo)), "--output", str(out)]) == 0
    assert json.loads(out.read_text())["info"]["version"] == "2099.1"
    assert not (repo / "openapi" / "SOURCE.lock").exists()
    assert not (repo / "openapi" / "upstream").exists()


def test_the_checked_in_description_and_lock_are_the_import_of_the_in_repo_document() -> None:
    lock = imp.read_lock()
    assert lock["input"].startswith("openapi/upstream/")
    assert (ROOT / lock["input"]).is_file()
    assert imp.check() == []
