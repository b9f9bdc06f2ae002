"""Demo records outside the Service and Company modules: members, agreements, time entries,
schedule entries, projects, opportunities and invoices.

Each table is seeded only when the description serves its collection, so the same demo seed
works on the bundled description and on a bigger one. Ids are explicit and stable:
members 11-13 (the technicians who own tickets), agreement ``N`` on the ``N``-th customer
company (250 → 1, ..., 256 → 7), time entries on every third of the first 300 tickets.
"""

from __future__ import annotations

from typing import Any

from cw_facade.testing import _seed_catalog as cat
from cw_facade.testing._store import Record

MEMBERS = "/system/members"
AGREEMENTS = "/finance/agreements"
AGREEMENT_TYPES = "/finance/agreements/types"
TIME_ENTRIES = "/time/entries"
SCHEDULE_ENTRIES = "/schedule/entries"
SCHEDULE_TYPES = "/schedule/types"
PROJECTS = "/project/projects"
OPPORTUNITIES = "/sales/opportunities"
INVOICES = "/finance/invoices"
TIME_EVERY = 3
TIME_TICKETS = 300
CUSTOMER_IDS = [c[0] for c in cat.COMPANIES if c[0] != cat.OWNER_COMPANY_ID]


def serves(seeder: Any, template: str) -> bool:
    """Whether the description has a record schema for ``template``."""
    return seeder.writer.spec.stored_schema(template) is not None


def member_ref(seeder: Any, number: int, prop: str = "member") -> Record:
    """A reference to technician ``number`` (resolved when members are served)."""
    tech = cat.TECHNICIANS[number % len(cat.TECHNICIANS)]
    if serves(seeder, MEMBERS):
        found: Record = seeder.ref(prop, "MemberReference", tech["id"])
        return found
    return dict(tech)


def seed_members(s: Any) -> None:
    """The three technicians as ``/system/members`` records (ids 11-13)."""
    if not serves(s, MEMBERS):
        return
    for tech in cat.TECHNICIANS:
        first, last = str(tech["name"]).split(" ", 1)
        s.add(
            MEMBERS,
            int(str(tech["id"])),
            {
                "identifier": tech["identifier"],
                "firstName": first,
                "lastName": last,
                "licenseClass": "F",
                "hireDate": "2020-01-06T00:00:00Z",
                "defaultEmail": "Office",
                "defaultPhone": "Office",
                "officeEmail": f"{tech['identifier']}@facade-msp.example",
                "inactiveFlag": False,
            },
        )


def seed_business(s: Any) -> None:
    """Agreements, schedule entries, projects, opportunities and invoices (where served)."""
    if serves(s, AGREEMENT_TYPES):
        s.add(AGREEMENT_TYPES, 1, {"name": "Managed Services", "defaultFlag": True})
    if serves(s, AGREEMENTS):
        for number, company_id in enumerate(CUSTOMER_IDS, 1):
            s.add(AGREEMENTS, number, _agreement(s, company_id))
    _projects(s)
    _opportunities(s)
    _invoices(s)


def _first_contact(s: Any, company_id: int) -> Record | None:
    for contact in s.store.collection("/company/contacts").iterate():
        if contact["company"]["id"] == company_id:
            found: Record = contact
            return found
    return None


def _agreement(s: Any, company_id: int) -> Record:
    company = s.store.get("/company/companies", company_id)
    contact = _first_contact(s, company_id)
    fields: Record = {
        "name": f"{company['name']} Managed Services",
        "company": {"id": company_id},
        "startDate": "2024-01-01T00:00:00Z",
        "noEndingDateFlag": True,
        "cancelledFlag": False,
        "billingCycle": None,
        "applicationUnits": "Hours",
        "applicationLimit": 40.0,
        "applicationCycle": "CalendarMonth",
    }
    if serves(s, AGREEMENT_TYPES):
        fields["type"] = {"id": 1}
    if contact is not None:
        fields["contact"] = {"id": contact["id"]}
    return {k: v for k, v in fields.items() if v is not None}


def _projects(s: Any) -> None:
    if not serves(s, PROJECTS):
        return
    for number, company_id in enumerate(CUSTOMER_IDS[:2], 1):
        s.add(
            PROJECTS,
            number,
            {
                "name": f"Server migration {number}",
                "company": {"id": company_id},
                "manager": member_ref(s, number, "manager"),
                "billingMethod": "ActualRates",
                "estimatedStart": "2025-02-03T00:00:00Z",
                "estimatedEnd": "2025-03-28T00:00:00Z",
                "description": "Move the file and database servers to new hardware.",
            },
        )


def _opportunities(s: Any) -> None:
    if not serves(s, OPPORTUNITIES):
        return
    for number, company_id in enumerate(CUSTOMER_IDS[:3], 1):
        contact = _first_contact(s, company_id)
        fields: Record = {
            "name": f"Firewall refresh {number}",
            "company": {"id": company_id},
            "primarySalesRep": member_ref(s, number, "primarySalesRep"),
            "expectedCloseDate": "2025-04-30T00:00:00Z",
            "notes": "Quote sent; waiting on budget approval.",
        }
        if contact is not None:
            fields["contact"] = {"id": contact["id"]}
        s.add(OPPORTUNITIES, number, fields)


def _invoices(s: Any) -> None:
    if not serves(s, INVOICES):
        return
    for number, company_id in enumerate(CUSTOMER_IDS[:3], 1):
        s.add(
            INVOICES,
            number,
            {
                "invoiceNumber": f"INV-2025-{number:04d}",
                "type": "Standard",
                "company": {"id": company_id},
                "applyToType": "All",
                "date": "2025-01-31T00:00:00Z",
                "reference": "Monthly managed services",
            },
        )


def seed_ticket_work(s: Any, tickets: list[Record]) -> None:
    """Time entries on every third of the first tickets; schedule entries on the first five."""
    if serves(s, SCHEDULE_TYPES):
        s.add(SCHEDULE_TYPES, 1, {"name": "Service", "identifier": "S"})
    if serves(s, TIME_ENTRIES):
        _time_entries(s, tickets[:TIME_TICKETS])
    if serves(s, SCHEDULE_ENTRIES):
        for number, ticket in enumerate(tickets[:5]):
            fields: Record = {
                "objectId": ticket["id"],
                "name": ticket["summary"],
                "member": member_ref(s, number),
                "dateStart": "2025-01-06T09:00:00Z",
                "dateEnd": "2025-01-06T10:00:00Z",
                "hours": 1.0,
                "doneFlag": False,
            }
            if serves(s, SCHEDULE_TYPES):
                fields["type"] = {"id": 1}
            s.add(SCHEDULE_ENTRIES, number + 1, fields)


def _time_entries(s: Any, tickets: list[Record]) -> None:
    """The first entry is validated like a client write; the rest reuse its checked shape with
    cached references (a reset stays fast)."""
    spec = s.writer.spec
    props = spec.properties(spec.stored_schema(TIME_ENTRIES) or "")
    collection = s.store.collection(TIME_ENTRIES)
    for number, ticket in enumerate(tickets):
        if number % TIME_EVERY:
            continue
        fields = _time_entry(s, ticket, number)
        if number == 0:
            s.add(TIME_ENTRIES, s.next_id(TIME_ENTRIES), fields)
            continue
        fields["company"] = s.ref("company", "CompanyReference", fields["company"]["id"])
        if "agreement" in fields:
            agreement = fields["agreement"]["id"]
            fields["agreement"] = s.ref("agreement", "AgreementReference", agreement)
        record_id = collection.next_id
        kept = {k: v for k, v in fields.items() if k in props}
        info = s.info() | s.writer.child_hrefs(TIME_ENTRIES, record_id, None)
        collection.put(record_id, {"id": record_id, **kept, "_info": info})


def _time_entry(s: Any, ticket: Record, number: int) -> Record:
    hours = 0.25 * (1 + number % 8)
    fields: Record = {
        "chargeToId": ticket["id"],
        "chargeToType": "ServiceTicket",
        "company": {"id": ticket["company"]["id"]},
        "member": member_ref(s, number),
        "timeStart": "2025-01-06T09:00:00Z",
        "timeEnd": f"2025-01-06T{9 + int(hours):02d}:{int(hours % 1 * 60):02d}:00Z",
        "actualHours": hours,
        "billableOption": "Billable",
        "notes": "Worked on the ticket.",
    }
    if serves(s, AGREEMENTS):
        fields["agreement"] = {"id": 1 + CUSTOMER_IDS.index(ticket["company"]["id"])}
    return fields
