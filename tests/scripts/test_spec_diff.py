"""scripts/spec_diff.py: what a version bump changes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import spec_diff

BASE: dict[str, Any] = {
    "paths": {
        "/service/tickets": {"get": {}, "post": {}},
        "/service/tickets/{id}": {"get": {}, "delete": {}},
    },
    "components": {
        "schemas": {
            "Ticket": {
                "properties": {
                    "id": {"type": "integer", "format": "int32"},
                    "summary": {"type": "string"},
                    "board": {"$ref": "#/components/schemas/BoardReference"},
                    "severity": {"type": "string", "enum": ["Low", "High"]},
                }
            },
            "BoardReference": {"properties": {"id": {"type": "integer"}}},
        }
    },
}


def bumped() -> dict[str, Any]:
    new = copy.deepcopy(BASE)
    new["paths"]["/service/tickets/{id}"]["patch"] = {}
    del new["paths"]["/service/tickets"]["post"]
    props = new["components"]["schemas"]["Ticket"]["properties"]
    props["id"] = {"type": "integer", "format": "int64"}
    props["severity"]["enum"] = ["Low", "High", "Critical"]
    props["escalated"] = {"type": "boolean"}
    del props["summary"]
    new["components"]["schemas"]["Sla"] = {"properties": {}}
    return new


def test_identical_documents_have_no_differences() -> None:
    result = spec_diff.diff(BASE, copy.deepcopy(BASE))
    assert result.is_empty()
    assert spec_diff.render(result).startswith("no differences")


def test_every_kind_of_change_is_reported() -> None:
    result = spec_diff.diff(BASE, bumped())
    assert result.operations_added == ["PATCH /service/tickets/{id}"]
    assert result.operations_removed == ["POST /service/tickets"]
    assert result.schemas_added == ["Sla"]
    assert result.properties_added == {"Ticket": ["escalated"]}
    assert result.properties_removed == {"Ticket": ["summary"]}
    assert result.properties_retyped == {"Ticket": ["id: integer(int32) -> integer(int64)"]}
    assert result.enum_values_added == {"Ticket.severity": ["Critical"]}


def test_nullable_allof_wrapping_is_not_a_retype() -> None:
    new = copy.deepcopy(BASE)
    props = new["components"]["schemas"]["Ticket"]["properties"]
    props["board"] = {"allOf": [props["board"]], "nullable": True}
    assert spec_diff.diff(BASE, new).is_empty()


def test_main_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new, bad = tmp_path / "old.json", tmp_path / "new.json", tmp_path / "bad.json"
    old.write_text(json.dumps(BASE))
    new.write_text(json.dumps(bumped()))
    bad.write_text("{not json")
    assert spec_diff.main([str(old), str(old)]) == 0
    assert spec_diff.main([str(old), str(new)]) == 1
    assert "enum values added:\n  Ticket.severity: Critical" in capsys.readouterr().out
    assert spec_diff.main([str(old), str(bad)]) == 2
