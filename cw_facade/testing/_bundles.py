"""``POST /system/bundles``: several requests in one call, each run as the single call would.

Request: ``{"requests": [{"sequenceNumber", "resourceType", "version", "apiRequest": {"id",
"parentId", "grandParentId", "entity", "filters": {"conditions", "orderBy", "childconditions",
"customfieldconditions"}, "page": {"page", "pageSize", "pageId"}, "fields"}}]}``. Keys are
read in any case (``childConditions``, ``ChildConditions``, ``SequenceNumber`` ...); the
``entity`` itself is kept as sent.

What each request does follows from what it carries: an ``entity`` without ``id`` creates, an
``entity`` with ``id`` replaces (PUT), an ``id`` alone gets, neither lists (with the filters,
page and fields). A ``method`` (``GET``/``POST``/``PUT``/``PATCH``/``DELETE``) on the request
or its ``apiRequest`` overrides that, e.g. to delete (a simulator extension; ConnectWise's
description has no such key).

Result per request, in request order: ``{"sequenceNumber", "resourceType", "version",
"success", "statusCode", "entities", "count"}`` plus ``"error": {"code", "message", "errors"}``
when it failed; ``count`` is the number of entities returned. The bundle itself answers 200
unless its body is malformed (400) or holds more than ``Limits.max_bundle_requests`` requests.
``POST /system/bundles/count`` runs the lists as counts: ``count`` is the number of matching
records and ``entities`` is empty.
"""

from __future__ import annotations

import re
from typing import Any

from cw_facade.testing._crud import Call, Crud, Result
from cw_facade.testing._errors import ApiError, bad_request
from cw_facade.testing._routing import Route

API_VERSION = "2025.8"
BUNDLE_ROUTES = {
    template: Route(
        method="POST",
        template=template,
        operation_id=name,
        kind="bundle",
        collection="/system/bundles",
        schema="BundleResultsCollection",
        request_schema="BundleRequestsCollection",
        status=200,
    )
    for template, name in (
        ("/system/bundles", "postSystemBundles"),
        ("/system/bundles/count", "postSystemBundlesCount"),
    )
}
# resourceType (lower case, letters only) → collection template.
RESOURCE_TYPES = {
    "ticket": "/service/tickets",
    "serviceticket": "/service/tickets",
    "ticketnote": "/service/tickets/{parentId}/notes",
    "serviceticketnote": "/service/tickets/{parentId}/notes",
    "note": "/service/tickets/{parentId}/notes",
    "tickettask": "/service/tickets/{parentId}/tasks",
    "task": "/service/tickets/{parentId}/tasks",
    "ticketconfiguration": "/service/tickets/{parentId}/configurations",
    "company": "/company/companies",
    "companynote": "/company/companies/{parentId}/notes",
    "companysite": "/company/companies/{parentId}/sites",
    "contact": "/company/contacts",
    "contactnote": "/company/contacts/{parentId}/notes",
    "contactcommunication": "/company/contacts/{parentId}/communications",
    "configuration": "/company/configurations",
    "companyconfiguration": "/company/configurations",
    "board": "/service/boards",
    "boardstatus": "/service/boards/{parentId}/statuses",
    "priority": "/service/priorities",
    "source": "/service/sources",
    "timeentry": "/time/entries",
    "time": "/time/entries",
    "agreement": "/finance/agreements",
    "agreementaddition": "/finance/agreements/{parentId}/additions",
    "invoice": "/finance/invoices",
    "member": "/system/members",
    "project": "/project/projects",
    "projectticket": "/project/tickets",
    "scheduleentry": "/schedule/entries",
    "schedule": "/schedule/entries",
    "opportunity": "/sales/opportunities",
    "callback": "/system/callbacks",
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_KIND_STATUS = {"POST": 201, "DELETE": 204}


def run_bundle(crud: Crud, call: Call) -> Result:
    """Run every bundled request against ``crud``; one result each, in order."""
    requests = _requests(call.body, crud.limits.max_bundle_requests)
    counting = call.route.template.rstrip("/").lower().endswith("/count")
    results = [_run_one(crud, call, request, counting) for request in requests]
    return Result(200, {"results": results})


def _lower(value: Any) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in value.items()} if isinstance(value, dict) else {}


def _requests(body: Any, limit: int) -> list[dict[str, Any]]:
    requests = _lower(body).get("requests")
    if not isinstance(requests, list):
        raise bad_request("The bundle body must be an object with a 'requests' array.")
    if len(requests) > limit:
        raise bad_request(f"A bundle holds at most {limit} requests, not {len(requests)}.")
    return [_lower(r) if isinstance(r, dict) else {"invalid": r} for r in requests]


def _run_one(
    crud: Crud, call: Call, request: dict[str, Any], counting: bool = False
) -> dict[str, Any]:
    api = _lower(request.get("apirequest"))
    result: dict[str, Any] = {
        "sequenceNumber": request.get("sequencenumber"),
        "resourceType": request.get("resourcetype"),
        "version": request.get("version") or API_VERSION,
    }
    try:
        if "invalid" in request:
            raise bad_request("Each bundled request must be an object.")
        outcome = _execute(crud, call, request, api, counting)
    except ApiError as exc:
        error = exc.body()
        error.setdefault("errors", [])
        failed = {"success": False, "statusCode": exc.status, "entities": [], "count": 0}
        return {**result, **failed, "error": error}
    entities = outcome.payload if isinstance(outcome.payload, list) else []
    if isinstance(outcome.payload, dict):
        entities = [outcome.payload]
    count = len(entities)
    if counting and isinstance(outcome.payload, dict) and set(outcome.payload) == {"count"}:
        entities, count = [], int(outcome.payload["count"])
    return {
        **result,
        "success": True,
        "statusCode": outcome.status,
        "entities": entities,
        "count": count,
    }


def _method(request: dict[str, Any], api: dict[str, Any]) -> str:
    given = api.get("method", request.get("method"))
    if given is not None:
        if not isinstance(given, str) or given.upper() not in METHODS:
            raise bad_request(f"Unsupported bundled method {given!r}.")
        return given.upper()
    has_id, has_entity = api.get("id") is not None, api.get("entity") is not None
    if has_entity:
        return "PUT" if has_id else "POST"
    return "GET"


def _collection(resource: Any) -> str:
    if not isinstance(resource, str) or not resource.strip():
        raise bad_request("Each bundled request needs a resourceType.")
    key = re.sub(r"[^a-z]", "", resource.lower())
    found = RESOURCE_TYPES.get(key)
    if found is None:
        raise ApiError(
            400, "InvalidResourceType", f"{resource!r} is not a recognized resourceType."
        )
    return found


def _id(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"The bundled {name} must be an integer.")
    return value


def _path(collection: str, api: dict[str, Any]) -> str:
    path = collection
    for placeholder, key in (("{parentId}", "parentid"), ("{grandparentId}", "grandparentid")):
        if placeholder in path:
            value = _id(api.get(key), key)
            if value is None:
                raise bad_request(f"This resourceType needs {key}.")
            path = path.replace(placeholder, str(value))
    return path


def _execute(
    crud: Crud, call: Call, request: dict[str, Any], api: dict[str, Any], counting: bool
) -> Result:
    collection = _collection(request.get("resourcetype"))
    method = _method(request, api)
    path = _path(collection, api)
    record_id = _id(api.get("id"), "id")
    if method != "POST" and (record_id is not None or method != "GET"):
        if record_id is None:
            raise bad_request(f"A bundled {method} needs an id.")
        path = f"{path}/{record_id}"
    elif counting and method == "GET":
        path = f"{path}/count"
    route, ids, _ = crud.spec.match(method, path)
    if route is None:
        raise ApiError(404, "NotFound", f"{method} {path} is not served.")
    params, headers = _params(api)
    body = api.get("entity")
    if method == "PATCH" and not isinstance(body, list):
        body = api.get("operations", body)
    sub = Call(
        route=route,
        ids=ids,
        params=params,
        body=body,
        url=call.url.replace("/system/bundles", path),
        query=[(k, v) for k, v in params.items()],
        headers=headers | {k: v for k, v in call.headers.items() if k == "clientid"},
    )
    if method in ("POST", "PUT", "PATCH") and not isinstance(body, dict | list):
        raise bad_request(f"A bundled {method} needs an entity object.")
    outcome: Result = getattr(crud, route.kind)(sub)
    return outcome


def _params(api: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    params: dict[str, str] = {}
    for key, value in _lower(api.get("filters")).items():
        if isinstance(value, str) and value.strip():
            params[key] = value
    page = _lower(api.get("page"))
    for key in ("page", "pagesize", "pageid"):
        value = page.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            params[key] = str(value)
    fields = api.get("fields")
    if isinstance(fields, str) and fields.strip():
        params["fields"] = fields
    headers = {"pagination-type": "forward-only"} if "pageid" in params else {}
    return params, headers
