"""Request bodies of the toolkit-parity methods (ConnectPyse-Manage's create calls).

Pure functions: each checks its arguments and builds the JSON body, raising
:class:`~cw_facade.InvalidArgumentError` before anything is sent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from cw_facade._domain._common import ref
from cw_facade._validation import (
    InvalidArgumentError,
    check_flag,
    check_id,
    check_optional_id,
    check_optional_text,
    check_text,
)

#: ``billableOption`` values ConnectWise accepts on time entries.
BILLABLE_OPTIONS = ("Billable", "DoNotBill", "NoCharge", "NoDefault")
#: ``chargeToType`` values of a time entry.
CHARGE_TO_TYPES = ("ServiceTicket", "ProjectTicket", "ChargeCode", "Activity")


def check_number(argument: str, value: Any, *, optional: bool = False) -> float | None:
    """A finite, non-negative number (``None`` allowed when ``optional``)."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidArgumentError(argument, f"must be a number, not {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise InvalidArgumentError(argument, "must be a finite number >= 0")
    return float(value)


def check_choice(argument: str, value: Any, choices: tuple[str, ...]) -> str:
    """``value`` if it is one of ``choices``."""
    if value not in choices:
        raise InvalidArgumentError(argument, f"must be one of {', '.join(choices)}")
    return str(value)


def record_body(argument: str, value: Any) -> dict[str, Any]:
    """The body of a record given as a mapping or a model (its ``raw``), without ``id``."""
    raw = getattr(value, "raw", value)
    if not isinstance(raw, Mapping):
        raise InvalidArgumentError(argument, "must be a dict of API fields or a model")
    return {k: v for k, v in raw.items() if k not in ("id", "_info")}


def replace_all(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A JSON Patch replacing every top-level field of ``body``."""
    if not body:
        raise InvalidArgumentError("config", "has no fields to change")
    return [{"op": "replace", "path": key, "value": value} for key, value in body.items()]


def _put_text(body: dict[str, Any], key: str, argument: str, value: Any) -> None:
    text = check_optional_text(argument, value)
    if text is not None:
        body[key] = text


def _put_ref(body: dict[str, Any], key: str, argument: str, value: Any) -> None:
    record_id = check_optional_id(argument, value)
    if record_id is not None:
        body[key] = ref(record_id)


def contact_body(
    first_name: Any, last_name: Any, company_id: Any, email: Any, title: Any, phone: Any,
    phone_type: Any,
) -> dict[str, Any]:  # fmt: skip
    """The body of a new contact with optional e-mail and phone communication items."""
    body: dict[str, Any] = {
        "firstName": check_text("first_name", first_name),
        "lastName": check_text("last_name", last_name),
        "company": ref(check_id("company_id", company_id)),
    }
    _put_text(body, "title", "title", title)
    items = []
    address = check_optional_text("email", email)
    if address is not None:
        items.append({"type": {"name": "Email"}, "value": address, "defaultFlag": True})
    number = check_optional_text("phone", phone)
    if number is not None:
        kind = check_text("phone_type", phone_type)
        items.append({"type": {"name": kind}, "value": number, "defaultFlag": True})
    if items:
        body["communicationItems"] = items
    return body


def time_entry_body(
    charge_to_id: Any, charge_to_type: Any, member_id: Any, actual_hours: Any, notes: Any,
    billable: Any, time_start: Any, time_end: Any, work_type_id: Any, work_role_id: Any,
    company_id: Any,
) -> dict[str, Any]:  # fmt: skip
    """The body of a new time entry."""
    body: dict[str, Any] = {
        "chargeToId": check_id("charge_to_id", charge_to_id),
        "chargeToType": check_choice("charge_to_type", charge_to_type, CHARGE_TO_TYPES),
        "member": ref(check_id("member_id", member_id)),
        "actualHours": check_number("actual_hours", actual_hours),
        "billableOption": check_choice("billable", billable, BILLABLE_OPTIONS),
    }
    _put_text(body, "notes", "notes", notes)
    _put_text(body, "timeStart", "time_start", time_start)
    _put_text(body, "timeEnd", "time_end", time_end)
    _put_ref(body, "workType", "work_type_id", work_type_id)
    _put_ref(body, "workRole", "work_role_id", work_role_id)
    _put_ref(body, "company", "company_id", company_id)
    return body


def schedule_entry_body(
    object_id: Any, type_identifier: Any, member_id: Any, date_start: Any, date_end: Any,
    hours: Any, name: Any,
) -> dict[str, Any]:  # fmt: skip
    """The body of a new schedule entry."""
    body: dict[str, Any] = {
        "objectId": check_id("object_id", object_id),
        "type": {"identifier": check_text("type_identifier", type_identifier)},
        "member": ref(check_id("member_id", member_id)),
        "dateStart": check_text("date_start", date_start),
        "dateEnd": check_text("date_end", date_end),
    }
    hours_value = check_number("hours", hours, optional=True)
    if hours_value is not None:
        body["hours"] = hours_value
    _put_text(body, "name", "name", name)
    return body


def project_body(
    name: Any, company_id: Any, status_id: Any, board_id: Any, manager_id: Any,
    estimated_start: Any, estimated_end: Any, description: Any, billing_method: Any,
) -> dict[str, Any]:  # fmt: skip
    """The body of a new project."""
    body: dict[str, Any] = {
        "name": check_text("name", name),
        "company": ref(check_id("company_id", company_id)),
        "status": ref(check_id("status_id", status_id)),
    }
    _put_ref(body, "board", "board_id", board_id)
    _put_ref(body, "manager", "manager_id", manager_id)
    _put_text(body, "estimatedStart", "estimated_start", estimated_start)
    _put_text(body, "estimatedEnd", "estimated_end", estimated_end)
    _put_text(body, "description", "description", description)
    _put_text(body, "billingMethod", "billing_method", billing_method)
    return body


def phase_body(
    project_id: int, description: Any, start_date: Any, end_date: Any, estimated_hours: Any,
    board_id: Any,
) -> dict[str, Any]:  # fmt: skip
    """The body of a new project phase."""
    body: dict[str, Any] = {
        "projectId": project_id,
        "description": check_text("description", description),
    }
    _put_text(body, "startDate", "start_date", start_date)
    _put_text(body, "endDate", "end_date", end_date)
    hours = check_number("estimated_hours", estimated_hours, optional=True)
    if hours is not None:
        body["budgetHours"] = hours
    _put_ref(body, "board", "board_id", board_id)
    return body


def addition_body(
    product_id: Any, quantity: Any, unit_price: Any, bill_customer: Any, effective_date: Any,
    description: Any, taxable: Any, uom: Any,
) -> dict[str, Any]:  # fmt: skip
    """The body of a new agreement addition."""
    body: dict[str, Any] = {
        "product": ref(check_id("product_id", product_id)),
        "quantity": check_number("quantity", quantity),
        "billCustomer": check_choice(
            "bill_customer", bill_customer, ("Billable", "DoNotBill", "NoCharge")
        ),
        "taxableFlag": check_flag("taxable", taxable),
    }
    price = check_number("unit_price", unit_price, optional=True)
    if price is not None:
        body["unitPrice"] = price
    _put_text(body, "effectiveDate", "effective_date", effective_date)
    _put_text(body, "description", "description", description)
    _put_text(body, "uom", "uom", uom)
    return body
