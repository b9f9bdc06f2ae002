"""The typed models of the toolkit-parity resources: values when present, ``None`` otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cw_facade.models import (
    Agreement,
    AgreementAddition,
    ConfigurationQuestion,
    Invoice,
    Member,
    Model,
    Opportunity,
    Project,
    ProjectPhase,
    ScheduleEntry,
    TicketTask,
    TimeEntry,
)
from cw_facade.models._work import as_float

JAN = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_time_entry() -> None:
    entry = TimeEntry(
        {"id": 4, "chargeToId": 1, "chargeToType": "ServiceTicket", "actualHours": "1.5",
         "member": {"id": 11, "identifier": "jrivera"}, "company": {"id": 250},
         "billableOption": "DoNotBill", "notes": "Fixed", "timeStart": "2026-01-05T09:00:00Z"}
    )  # fmt: skip
    assert (entry.charge_to_id, entry.charge_to_type, entry.actual_hours) == (
        1,
        "ServiceTicket",
        1.5,
    )
    assert (entry.member_id, entry.member_identifier, entry.company_id) == (11, "jrivera", 250)
    assert (entry.is_billable, entry.notes, entry.time_start, entry.time_end) == (
        False, "Fixed", JAN, None,
    )  # fmt: skip
    assert entry.actualHours == "1.5" and entry.workType is None
    assert "jrivera" in repr(entry)


def test_schedule_entry_member_and_task() -> None:
    entry = ScheduleEntry(
        {"objectId": 1, "type": {"identifier": "S"}, "member": {"id": 11}, "hours": 2,
         "dateStart": "2026-01-05T09:00:00Z", "doneFlag": "true", "name": "Visit"}
    )  # fmt: skip
    assert (entry.object_id, entry.type_identifier, entry.member_id, entry.hours) == (
        1,
        "S",
        11,
        2.0,
    )
    assert (entry.date_start, entry.date_end, entry.is_done, entry.name) == (
        JAN,
        None,
        True,
        "Visit",
    )
    member = Member({"identifier": "jrivera", "firstName": "Jo", "officeEmail": "j@x.test"})
    assert (member.name, member.email, member.is_inactive) == ("Jo", "j@x.test", None)
    assert Member({}).name is None
    task = TicketTask({"ticketId": 5, "notes": "Call", "closedFlag": False, "priority": 1})
    assert (task.ticket_id, task.notes, task.is_closed, task.priority) == (5, "Call", False, 1)


def test_business_models() -> None:
    agreement = Agreement(
        {"name": "MSA", "company": {"id": 250, "name": "Harbor"}, "type": {"name": "Managed"},
         "cancelledFlag": False, "startDate": "2026-01-05T09:00:00Z"}
    )  # fmt: skip
    assert (agreement.name, agreement.company_id, agreement.company_name) == ("MSA", 250, "Harbor")
    assert (agreement.type_name, agreement.is_cancelled, agreement.start_date) == (
        "Managed", False, JAN,
    )  # fmt: skip
    addition = AgreementAddition(
        {
            "agreementId": 1,
            "product": {"id": 3, "identifier": "AV"},
            "quantity": 2,
            "unitPrice": "9",
        }
    )
    assert (addition.agreement_id, addition.product_id, addition.product_identifier) == (1, 3, "AV")
    assert (addition.quantity, addition.unit_price) == (2.0, 9.0)
    invoice = Invoice({"invoiceNumber": "INV-1", "total": 10.5, "balance": None, "agreement": {}})
    assert (invoice.invoice_number, invoice.total, invoice.balance, invoice.agreement_id) == (
        "INV-1", 10.5, None, None,
    )  # fmt: skip
    opportunity = Opportunity({"name": "Deal", "status": {"name": "Open"}, "closedDate": None})
    assert (opportunity.name, opportunity.status_name, opportunity.closed_date) == (
        "Deal", "Open", None,
    )  # fmt: skip
    project = Project({"name": "Move", "manager": {"identifier": "jrivera"}})
    assert (project.manager_identifier, project.company_id) == ("jrivera", None)
    phase = ProjectPhase({"projectId": 1, "description": "A", "budgetHours": 3})
    assert (phase.project_id, phase.description, phase.estimated_hours) == (1, "A", 3.0)
    assert ConfigurationQuestion({"question": "OS?"}).question == "OS?"


@pytest.mark.parametrize(
    "cls",
    [TimeEntry, ScheduleEntry, Member, TicketTask, Agreement, AgreementAddition, Invoice,
     Opportunity, Project, ProjectPhase],
)  # fmt: skip
def test_malformed_records_read_as_none(cls: type[Model]) -> None:
    model = cls({"actualHours": True, "member": "x", "quantity": "lots", "total": float("inf"),
                 "dateStart": 5, "company": [], "name": 3})  # fmt: skip
    for name in dir(cls):
        if isinstance(getattr(cls, name, None), property) and name not in ("raw", "id"):
            assert getattr(model, name) is None, name
    assert model.to_generated() is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, 1.0), ("2.5", 2.5), (True, None), ("x", None), (float("nan"), None), ([], None)],
)
def test_as_float(value: object, expected: float | None) -> None:
    assert as_float(value) == expected
