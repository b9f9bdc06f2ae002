"""Generate the demo's tickets (with notes, tasks and attached configurations), fast.

Records are built as plain dicts from cached, already resolved references, so 100,000 tickets
take a few seconds; referenced dicts are shared between records and never mutated in place
(every write builds new dicts).
"""

from __future__ import annotations

import random
from typing import Any

from cw_facade.testing import _seed_catalog as cat
from cw_facade.testing._seed import SEED_RANDOM, Seeder
from cw_facade.testing._seed_extras import TIME_TICKETS, member_ref
from cw_facade.testing._store import Record
from cw_facade.testing._tickets import LINKS, NOTES, TICKETS, link_record

TASKS = "/service/tickets/{parentId}/tasks"
CUSTOMER_IDS = [c[0] for c in cat.COMPANIES if c[0] != cat.OWNER_COMPANY_ID]
SD_STATUSES = [s for s in cat.STATUSES if s[0] == cat.SERVICE_DESK_BOARD_ID]
CLOSED_SHARE = 0.4
PRIORITY_IDS = [p[0] for p in cat.PRIORITIES if p[0] != 7]
SOURCE_IDS = [s[0] for s in cat.SOURCES]
SD_TYPES = [t[1] for t in cat.BOARD_TYPES if t[0] == 1]
SD_SUBTYPES = [t[1] for t in cat.BOARD_SUBTYPES if t[0] == 1]
REGIONS = {c[0]: c[4] for c in cat.COMPANIES}


def seed_tickets(s: Seeder, count: int) -> list[Record]:
    """Generate ``count`` tickets on the Service Desk board, deterministically; return them."""
    rng = random.Random(SEED_RANDOM)
    configs = _configs_by_company(s)
    contacts = _contacts_by_company(s)
    tickets = s.store.collection(TICKETS)
    notes = s.store.collection(NOTES)
    made: list[Record] = []
    for number in range(count):
        company_id = CUSTOMER_IDS[number % len(CUSTOMER_IDS)]
        config = rng.choice(configs[company_id])
        ticket = _ticket(s, rng, number, company_id, config, contacts[company_id])
        tickets.put(ticket["id"], ticket)
        if number < TIME_TICKETS:
            made.append(ticket)
        note_id = notes.next_id
        notes.put(note_id, _note(s, note_id, ticket, rng), ticket["id"])
        if number % 10 == 0:
            links: Any = s.store.collection(LINKS)
            links.put_link(ticket["id"], link_record(s.writer, config))
        if number % 25 == 0:
            _task(s, ticket)
    return made


def _configs_by_company(s: Seeder) -> dict[int, list[Record]]:
    found: dict[int, list[Record]] = {}
    for config in s.store.collection("/company/configurations").iterate():
        found.setdefault(config["company"]["id"], []).append(config)
    return found


def _contacts_by_company(s: Seeder) -> dict[int, list[Record]]:
    found: dict[int, list[Record]] = {}
    for contact in s.store.collection("/company/contacts").iterate():
        found.setdefault(contact["company"]["id"], []).append(contact)
    return found


def _ticket(
    s: Seeder,
    rng: random.Random,
    number: int,
    company_id: int,
    config: Record,
    contacts: list[Record],
) -> Record:
    status = (
        rng.choice(SD_STATUSES) if rng.random() >= CLOSED_SHARE else SD_STATUSES[5 + number % 2]
    )
    contact = contacts[number % len(contacts)]
    info = s.info()
    ticket_id = s.next_id(TICKETS)
    ticket: dict[str, Any] = {
        "id": ticket_id,
        "summary": rng.choice(cat.SUMMARIES).format(config=config["name"]),
        "recordType": "ServiceTicket",
        "board": s.ref("board", "BoardReference", cat.SERVICE_DESK_BOARD_ID),
        "status": s.ref("status", "ServiceStatusReference", status[1]),
        "company": s.ref("company", "CompanyReference", company_id),
        "contact": s.ref("contact", "ContactReference", contact["id"]),
        "contactName": f"{contact['firstName']} {contact['lastName']}",
        "priority": s.ref("priority", "PriorityReference", rng.choice(PRIORITY_IDS)),
        "source": s.ref("source", "ServiceSourceReference", rng.choice(SOURCE_IDS)),
        "type": s.ref("type", "ServiceTypeReference", rng.choice(SD_TYPES)),
        "subType": s.ref("subType", "ServiceSubTypeReference", rng.choice(SD_SUBTYPES)),
        "owner": member_ref(s, number, "owner"),
        "severity": "Medium",
        "impact": "Medium",
        "closedFlag": status[3],
        "customFields": [_custom_field(REGIONS[company_id])],
        "_info": info | s.writer.child_hrefs(TICKETS, ticket_id, None),
    }
    if status[3]:
        ticket.update(
            closedDate=info["lastUpdated"], closedBy=cat.TECHNICIANS[number % 3]["identifier"]
        )
    return ticket


def _custom_field(region: str) -> Record:
    return {
        "id": 1,
        "caption": "Region",
        "type": "Text",
        "entryMethod": "EntryField",
        "numberOfDecimals": 0,
        "value": region,
    }


def _note(s: Seeder, note_id: int, ticket: Record, rng: random.Random) -> Record:
    info = _plain(ticket["_info"])
    return {
        "id": note_id,
        "ticketId": ticket["id"],
        "text": rng.choice(cat.NOTE_TEXTS),
        "detailDescriptionFlag": True,
        "internalAnalysisFlag": False,
        "resolutionFlag": False,
        "internalFlag": False,
        "externalFlag": True,
        "dateCreated": info["dateEntered"],
        "createdBy": info["enteredBy"],
        "_info": info,
    }


def _task(s: Seeder, ticket: Record) -> None:
    tasks = s.store.collection(TASKS)
    task_id = tasks.next_id
    tasks.put(
        task_id,
        {
            "id": task_id,
            "ticketId": ticket["id"],
            "summary": "Confirm with the customer",
            "notes": "Call back after the fix.",
            "closedFlag": ticket["closedFlag"],
            "priority": 1,
            "_info": _plain(ticket["_info"]),
        },
        ticket["id"],
    )


def _plain(info: Record) -> Record:
    """The ticket's ``_info`` without its own links (for its notes and tasks)."""
    return {k: v for k, v in info.items() if not k.endswith("_href")}
