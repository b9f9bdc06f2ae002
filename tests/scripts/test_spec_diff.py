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


def test_an_enum_value_added_to_a_named_enum_schema_is_reported() -> None:
    old = {
        "components": {"schemas": {"TicketSeverity": {"type": "string", "enum": ["Low", "High"]}}}
    }
    new = copy.deepcopy(old)
    new["components"]["schemas"]["TicketSeverity"]["enum"] = ["Low", "Critical"]
    result = spec_diff.diff(old, new)
    assert result.enum_values_added == {"TicketSeverity": ["Critical"]}
    assert result.enum_values_removed == {"TicketSeverity": ["High"]}
    assert "enum values added:\n  TicketSeverity: Critical\n" in spec_diff.render(result)


def test_enum_values_of_array_items_and_inline_all_of_are_compared() -> None:
    def doc(values: list[str | None]) -> dict[str, Any]:
        tags = {"type": "array", "items": {"type": "string", "enum": values}}
        kind = {"allOf": [{"type": "string", "enum": values}], "nullable": True}
        return {"components": {"schemas": {"T": {"properties": {"tags": tags, "kind": kind}}}}}

    result = spec_diff.diff(doc(["a", None]), doc(["a", "b"]))
    assert result.enum_values_added == {"T.kind": ["b"], "T.tags": ["b"]}
    assert result.enum_values_removed == {}


def test_parameters_added_and_removed_on_a_kept_operation() -> None:
    def doc(*names: str) -> dict[str, Any]:
        params = [{"name": n, "in": "query", "schema": {}} for n in names]
        return {"paths": {"/service/tickets": {"get": {"parameters": params}}}}

    result = spec_diff.diff(doc("conditions", "orderBy"), doc("conditions", "pageId"))
    assert result.parameters_added == {"GET /service/tickets": ["query pageId"]}
    assert result.parameters_removed == {"GET /service/tickets": ["query orderBy"]}


def test_a_bump_that_adds_an_inline_enum_value_shows_after_the_import() -> None:
    """The import turns ``Ticket.severity`` into ``TicketSeverity``; the value must still show."""
    import import_spec

    def raw(values: list[str]) -> dict[str, Any]:
        media = {"application/json": {"schema": {"$ref": "#/components/schemas/Ticket"}}}
        severity = {"type": "string", "enum": values}
        return {
            "openapi": "3.0.1",
            "info": {"title": "t", "version": "1"},
            "paths": {"/service/tickets": {"get": {"responses": {"200": {"content": media}}}}},
            "components": {"schemas": {"Ticket": {"properties": {"severity": severity}}}},
        }

    old = import_spec.normalise(raw(["Low", "High"]), ["/service/*"])
    new = import_spec.normalise(raw(["Low", "High", "Critical"]), ["/service/*"])
    assert spec_diff.diff(old, new).enum_values_added == {"TicketSeverity": ["Critical"]}
    assert spec_diff.diff(raw(["Low"]), raw(["Low", "High"])).enum_values_added == {
        "Ticket.severity": ["High"]
    }
