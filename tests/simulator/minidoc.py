"""A small OpenAPI document in ConnectWise's conventions, quirks included, written by the tests.

It proves the simulator serves whatever description it is given: a resource it has never
heard of (``/widgets/things``), children under ``{id}`` and ``{parentId}``, ``/info``
projections, an action, a singleton, a mixed segment (``types{id}/copy``), a case-variant
path, a trailing slash, a count endpoint that declares a record schema, a dotted schema name
and inline ``_info`` objects.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

INFO = {"type": "object", "additionalProperties": {"type": "string"}}
MEDIA = "application/vnd.connectwise.com+json; version=2025.8"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(status: int, schema: dict[str, Any] | None) -> dict[str, Any]:
    if schema is None:
        return {str(status): {"description": "No content"}}
    return {str(status): {"description": "ok", "content": {MEDIA: {"schema": schema}}}}


def _op(
    name: str, status: int, schema: dict[str, Any] | None, body: str | dict[str, Any] | None = None
) -> Any:
    op: dict[str, Any] = {"operationId": name, "responses": _answer(status, schema)}
    if body is not None:
        shape = _ref(body) if isinstance(body, str) else body
        op["requestBody"] = {"content": {"application/json": {"schema": shape}}}
    return op


def _array(name: str) -> dict[str, Any]:
    return {"type": "array", "items": _ref(name)}


SCHEMAS: dict[str, Any] = {
    "Widget": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string", "description": "Max length: 20;"},
            "kind": {"type": "string", "enum": ["Gear", "Spring"]},
            "price": {"type": "number"},
            "activeFlag": {"type": "boolean"},
            "company": _ref("CompanyReference"),
            "customFields": {"type": "array", "items": _ref("CustomFieldValue")},
            "_info": INFO,
        },
    },
    "WidgetInfo": {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "_info": INFO},
    },
    "Widget.Note": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "widgetId": {"type": "integer"},
            "text": {"type": "string"},
            "_info": INFO,
        },
    },
    "Company": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "identifier": {"type": "string"},
            "name": {"type": "string"},
            "_info": INFO,
        },
    },
    "CompanyReference": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "identifier": {"type": "string"},
            "name": {"type": "string"},
            "_info": INFO,
        },
    },
    "CustomFieldValue": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "caption": {"type": "string"},
            "value": {"type": "object"},
        },
    },
    "TimeEntry": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "chargeToId": {"type": "integer"},
            "chargeToType": {"type": "string", "enum": ["ServiceTicket", "ProjectTicket"]},
            "actualHours": {"type": "number"},
            "notes": {"type": "string"},
            "_info": INFO,
        },
    },
    "Member": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "identifier": {"type": "string"},
            "firstName": {"type": "string"},
            "lastName": {"type": "string"},
            "licenseClass": {"type": "string", "enum": ["A", "C", "F", "X"]},
            "_info": INFO,
        },
    },
    "MemberReference": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "identifier": {"type": "string"},
            "name": {"type": "string"},
            "_info": INFO,
        },
    },
    "Agreement": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "company": _ref("CompanyReference"),
            "startDate": {"type": "string"},
            "_info": INFO,
        },
    },
    "SuccessResponse": {"type": "object", "properties": {"success": {"type": "boolean"}}},
    "Count": {"type": "object", "properties": {"count": {"type": "integer"}}},
}

PATHS: dict[str, Any] = {
    "/widgets/things": {
        "get": _op("getThings", 200, _array("Widget")),
        "post": _op("postThings", 201, _ref("Widget"), "Widget"),
    },
    "/widgets/things/count": {"get": _op("getThingsCount", 200, _ref("Widget"))},
    "/widgets/things/info": {"get": _op("getThingsInfo", 200, _array("WidgetInfo"))},
    "/widgets/things/{id}": {
        "get": _op("getThing", 200, _ref("Widget")),
        "put": _op("putThing", 200, _ref("Widget"), "Widget"),
        "patch": _op("patchThing", 200, _ref("Widget"), {"type": "array", "items": {}}),
        "delete": _op("deleteThing", 204, None),
    },
    "/widgets/things/{id}/info": {"get": _op("getThingInfo", 200, _ref("WidgetInfo"))},
    "/widgets/things/{id}/notes": {
        "get": _op("getThingNotes", 200, _array("Widget.Note")),
        "post": _op("postThingNote", 201, _ref("Widget.Note"), "Widget.Note"),
    },
    "/widgets/things/{id}/notes/count": {"get": _op("getThingNotesCount", 200, _ref("Count"))},
    "/widgets/things/{parentId}/notes/{id}": {
        "get": _op("getThingNote", 200, _ref("Widget.Note")),
        "delete": _op("deleteThingNote", 204, None),
    },
    "/widgets/things/{id}/merge": {
        "post": _op("mergeThing", 200, _ref("SuccessResponse"), "Widget")
    },
    "/widgets/types{id}/copy": {"post": _op("copyType", 200, _ref("Widget"), "Widget")},
    "/widgets/Things/search": {"post": _op("searchThings", 200, _array("Widget"), "Widget")},
    "/widgets/default/": {"get": _op("getDefaultThing", 200, _ref("Widget"))},
    "/company/companies": {"get": _op("getCompanies", 200, _array("Company"))},
    "/company/companies/{id}": {"get": _op("getCompany", 200, _ref("Company"))},
    "/system/members": {"get": _op("getMembers", 200, _array("Member"))},
    "/system/members/{id}": {"get": _op("getMember", 200, _ref("Member"))},
    "/finance/agreements": {"get": _op("getAgreements", 200, _array("Agreement"))},
    "/finance/agreements/{id}": {"get": _op("getAgreement", 200, _ref("Agreement"))},
    "/time/entries": {
        "get": _op("getTimeEntries", 200, _array("TimeEntry")),
        "post": _op("postTimeEntry", 201, _ref("TimeEntry"), "TimeEntry"),
    },
    "/time/entries/{id}": {"get": _op("getTimeEntry", 200, _ref("TimeEntry"))},
}


def document() -> dict[str, Any]:
    """The document as a dict."""
    return {
        "openapi": "3.0.1",
        "info": {"title": "mini", "version": "2025.8"},
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }


def write(directory: Path) -> Path:
    """Write the document into ``directory``; return its path."""
    path = directory / "mini-description.json"
    path.write_text(json.dumps(document()), encoding="utf-8")
    return path
