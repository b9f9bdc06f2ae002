"""The generated package: coverage of the description, tolerance of real server data."""

from __future__ import annotations

import importlib
import inspect
import json
import re
from pathlib import Path
from typing import Any

import httpx
import import_spec as imp
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
DESCRIPTION = ROOT / "openapi" / "connectwise-manage.json"
UPSTREAM = ROOT / "openapi" / "upstream"
METHODS = ("get", "put", "post", "delete", "patch")
CALL = re.compile(r'"method": "(\w+)",\s*"url": "([^"]+)"')
PLACEHOLDER = re.compile(r"{[^}]*}")
# Outside the Service and Company modules: what the toolkit's methods and the engagement app use.
EXTRAS = (
    ("get", "/system/callbacks"),
    ("post", "/system/callbacks"),
    ("get", "/system/info"),
    ("post", "/system/bundles"),
    ("post", "/system/members/{}/tokens"),
    ("get", "/system/members"),
    ("get", "/time/entries"),
    ("post", "/time/entries"),
    ("get", "/finance/agreements"),
    ("get", "/finance/agreements/{}/additions"),
    ("get", "/finance/invoices"),
    ("get", "/project/projects"),
    ("get", "/project/projects/{}/phases"),
    ("get", "/project/tickets"),
    ("get", "/schedule/entries"),
    ("get", "/sales/opportunities"),
)


def shape(path: str) -> str:
    """A path with its placeholders blanked (the generator snake-cases their names)."""
    return PLACEHOLDER.sub("{}", path)


def spec_operations(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(m, shape(p)) for p, item in doc["paths"].items() for m in METHODS if m in item}


def tsv_operations() -> set[tuple[str, str]]:
    """The TSV's operations, spelled as the import spells paths (``merge_path_variants``)."""
    tsv = next(UPSTREAM.glob("service-company-operations-*.tsv"))
    rows = [line.split("\t") for line in tsv.read_text().splitlines()[1:] if line]
    assert len(rows) >= 848  # the 2025.1 list: both modules in full
    upstream = json.loads(next(UPSTREAM.glob("*.json")).read_bytes())
    renames = imp.path_renames(imp.unglue_placeholders(upstream)["paths"])
    ops = {(method.lower(), shape(renames.get(path, path))) for method, path, _id in rows}
    assert len(ops) == len(rows)  # respelling merged no two of them
    return ops


def generated_operations() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for module in sorted((PACKAGE / "api").glob("*/*.py")):
        for method, url in CALL.findall(module.read_text()):
            rel = module.relative_to(PACKAGE).with_suffix("")
            found[(method, shape(url))] = "cw_manage_client." + ".".join(rel.parts)
    return found


def test_every_tsv_operation_and_extra_is_described_and_generated() -> None:
    expected = tsv_operations()
    expected |= set(EXTRAS)
    described = spec_operations(json.loads(DESCRIPTION.read_text()))
    assert expected - described == set()
    generated = generated_operations()
    assert set(generated) == described
    for key in sorted(expected):
        module = importlib.import_module(generated[key])
        assert callable(module.sync_detailed), key
        assert inspect.iscoroutinefunction(module.asyncio_detailed), key


def test_every_generated_endpoint_module_imports() -> None:
    """All of them (about 1,200; a few seconds): a broken module fails here, not in a user's code."""
    modules = sorted(set(generated_operations().values()))
    assert len(modules) == len(spec_operations(json.loads(DESCRIPTION.read_text())))
    for name in modules:
        assert callable(importlib.import_module(name).sync_detailed), name


def test_acronym_plurals_give_guessable_names() -> None:
    from cw_manage_client.api.slas import get_service_slas, get_service_slas_by_id

    assert callable(get_service_slas.sync_detailed)
    assert get_service_slas_by_id.__name__.endswith("slas.get_service_slas_by_id")
    assert not (PACKAGE / "api" / "sl_as").exists()


def test_import_quirks_behave_in_the_generated_client() -> None:
    from cw_manage_client.api.agreement_type import post_finance_agreements_by_id_copy
    from cw_manage_client.api.invoices import get_finance_invoices_by_id_pdf
    from cw_manage_client.api.managed_device_accounts import (
        delete_system_members_by_parent_id_managed_device_accounts_bulk as bulk_delete,
    )
    from cw_manage_client.api.opportunity_notes import (
        get_sales_opportunities_by_parent_id_notes_count as notes_count,
    )
    from cw_manage_client.models import Count, IdCollection
    from cw_manage_client.types import File

    copy_args = post_finance_agreements_by_id_copy.request_args(5)
    assert copy_args["url"] == "/finance/agreements/types/5/copy"
    delete_args = bulk_delete.request_args(7, body=IdCollection.from_dict({"ids": [1, 2]}))
    assert delete_args["method"] == "delete" and delete_args["json"] == {"ids": [1, 2]}
    count = notes_count._parse_response(client=_client(), response=_json_response({"count": 3}))
    assert isinstance(count, Count) and count.count == 3
    pdf = httpx.Response(200, content=b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    parsed = get_finance_invoices_by_id_pdf._parse_response(client=_client(), response=pdf)
    assert isinstance(parsed, File) and parsed.payload.read() == b"%PDF-1.7"


def _client() -> Any:
    from cw_manage_client import Client

    return Client(base_url="https://cw.invalid")


def _json_response(body: Any) -> httpx.Response:
    return httpx.Response(200, json=body)


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
