"""The generated package: coverage of the description, tolerance of real server data."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from cw_manage_client.models import (
    CompanyConfiguration,
    CustomFieldValue,
    ErrorResponse,
    ServiceNote,
    Ticket,
    TicketSeverity,
)
from cw_manage_client.types import Unset

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generated" / "cw_manage_client"
SHARED = ROOT.parent / "shared" / "cw-api" / "manage-2025.8-service-company.json"
METHODS = ("get", "put", "post", "delete", "patch")
CALL = re.compile(r'"method": "(\w+)",\s*"url": "([^"]+)"')
PLACEHOLDER = re.compile(r"{[^}]*}")


def shape(path: str) -> str:
    """A path with its placeholders blanked (the generator snake-cases their names)."""
    return PLACEHOLDER.sub("{}", path)


def spec_operations(path: Path) -> set[tuple[str, str]]:
    doc = json.loads(path.read_text())
    return {(m, shape(p)) for p, item in doc["paths"].items() for m in METHODS if m in item}


def generated_operations() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for module in sorted((PACKAGE / "api").glob("*/*.py")):
        for method, url in CALL.findall(module.read_text()):
            rel = module.relative_to(PACKAGE).with_suffix("")
            found[(method, shape(url))] = "cw_manage_client." + ".".join(rel.parts)
    return found


def test_every_operation_of_the_shared_document_is_generated() -> None:
    expected = spec_operations(SHARED)
    assert len(expected) == 238
    assert spec_operations(ROOT / "openapi" / "connectwise-manage.json") == expected
    generated = generated_operations()
    assert expected - set(generated) == set()
    for key in sorted(expected):
        module = importlib.import_module(generated[key])
        for name in ("sync_detailed", "asyncio_detailed"):
            assert callable(getattr(module, name)), (key, name)


REAL_TICKET: dict[str, Any] = {
    "id": 77,
    "summary": "Printer offline",
    "severity": "Catastrophic",  # not in the document's enum
    "board": None,  # a reference sent as null
    "customFields": [
        {"id": 1, "caption": "Region", "type": "Text", "value": "EU"},
        {"id": 2, "caption": "Seats", "type": "Number", "value": 12.5},
        {"id": 3, "caption": "VIP", "type": "Checkbox", "value": True},
        {"id": 4, "caption": "Notes", "type": "Text", "value": None},
    ],
    "status": {"id": 5, "name": "New", "Sort": 1},  # case-variant key
    "requiredDate": "2022-09-15T09:39:42.1234567Z",  # seven fractional digits
    "dateResolved": None,
    "impact": None,  # an enum sent as null
    "impact": None,  # an enum sent as null
    "tasks": None,  # an array sent as null
    "issueFlag": False,  # a key the document does not list
    "_info": {"lastUpdated": "2022-09-15T09:39:42Z", "mobileGuid": "abc", "updatedBy": None},
    # "company" is missing although the document says it is required
}


def test_real_server_data_parses_without_raising() -> None:
    ticket = Ticket.from_dict(REAL_TICKET)
    assert ticket.id == 77
    assert ticket.board is None
    assert ticket.impact is None
    assert ticket.impact is None
    assert isinstance(ticket.company, Unset)
    assert ticket.status is not None and not isinstance(ticket.status, Unset)
    assert ticket.status.additional_properties == {"Sort": 1}
    assert ticket.additional_properties == {"issueFlag": False, "tasks": None}
    assert ticket.required_date is not None and not isinstance(ticket.required_date, Unset)
    assert ticket.required_date.microsecond == 123456
    assert isinstance(ticket.custom_fields, list)
    values = [cf.value for cf in ticket.custom_fields]
    assert values == ["EU", 12.5, True, None]


def test_an_unknown_enum_value_parses_and_round_trips() -> None:
    ticket = Ticket.from_dict(REAL_TICKET)
    assert isinstance(ticket.severity, TicketSeverity)
    assert ticket.severity == "Catastrophic"
    assert TicketSeverity("Catastrophic") is ticket.severity
    assert TicketSeverity("High") is TicketSeverity.HIGH
    out = ticket.to_dict()
    assert out["severity"] == "Catastrophic"
    assert out["customFields"][1]["value"] == 12.5
    assert out["issueFlag"] is False


def test_a_non_string_is_still_rejected_by_a_string_enum() -> None:
    with pytest.raises(ValueError):
        TicketSeverity(5)  # type: ignore[arg-type]


def test_dotted_schema_names_became_class_names_and_models_import_lazily() -> None:
    import cw_manage_client.models as models

    assert CompanyConfiguration.__name__ == "CompanyConfiguration"
    assert "CompanyConfiguration" in dir(models)
    with pytest.raises(AttributeError):
        _ = models.NoSuchModel


def test_partial_fields_response_and_error_schema() -> None:
    note = ServiceNote.from_dict({"id": 3})
    assert note.id == 3 and isinstance(note.text, Unset)
    assert CustomFieldValue.from_dict({}).to_dict() == {}
    err = ErrorResponse.from_dict(
        {"code": "InvalidObject", "message": "m", "errors": [{"field": "company/id"}]}
    )
    assert isinstance(err.errors, list) and err.errors[0].field == "company/id"
