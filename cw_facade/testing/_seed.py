"""Seed the store: ``empty`` (nothing at all), ``demo`` (a small MSP) or ``engagement`` (a
small MSP with known client-engagement scores, :mod:`cw_facade.testing._seed_engagement`).

Everything is deterministic: explicit ids for reference data, a fixed random source for the
generated tickets, and timestamps derived from each record's position. ``tickets=N`` generates
N tickets (with one note each) quickly, for benchmarks.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cw_facade.testing import _seed_catalog as cat
from cw_facade.testing._records import Writer
from cw_facade.testing._resources import MEMBER_IDENTIFIER, REFERENCE_TARGETS
from cw_facade.testing._store import CLOCK_START, Record, format_instant

SEEDS = ("demo", "empty", "engagement")
DEMO_TICKETS = 300
SEED_RANDOM = 2025
SEED_EPOCH = CLOCK_START - timedelta(days=180)
SEED_STEP = timedelta(minutes=7)


class Seeder:
    """Inserts records with explicit ids, resolving references like a client write would."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.store = writer.store
        self.position = 0
        self._refs: dict[tuple[str, int], Record] = {}

    def info(self) -> dict[str, Any]:
        """A seed-time ``_info`` (before the simulated clock starts)."""
        self.position += 1
        moment = format_instant(SEED_EPOCH + SEED_STEP * self.position)
        return {
            "lastUpdated": moment,
            "dateEntered": moment,
            "enteredBy": MEMBER_IDENTIFIER,
            "updatedBy": MEMBER_IDENTIFIER,
        }

    def add(
        self, template: str, record_id: int, fields: Record, parent: int | None = None
    ) -> Record:
        """Validate and store one record under an explicit id."""
        built = self.writer.build(self.writer.spec.stored_schema(template), fields)
        hrefs = self.writer.child_hrefs(template, record_id, parent)
        record = {"id": record_id, **built, "_info": self.info() | hrefs}
        self.store.collection(template).put(record_id, record, parent)
        return record

    def add_rows(self, template: str, rows: cat.Rows, parent: int | None = None) -> None:
        """Store a table of (id, fields) rows."""
        for record_id, fields in rows:
            self.add(template, record_id, fields, parent)

    def add_served(self, template: str, rows: cat.Rows) -> None:
        """Store rows only when the description serves ``template`` (bigger descriptions)."""
        if self.writer.spec.stored_schema(template) is not None:
            self.add_rows(template, rows)

    def ref(self, prop: str, schema: str, record_id: int) -> Record:
        """A resolved reference, cached (bulk generation reuses the same dicts read-only)."""
        key = (prop, record_id)
        if key not in self._refs:
            found = self.writer.resolve(
                prop, REFERENCE_TARGETS[schema], schema, {"id": record_id}, {}
            )
            if found is None:
                raise KeyError(f"seed reference {schema} {record_id} is missing")
            self._refs[key] = found
        return self._refs[key]

    def next_id(self, template: str) -> int:
        """The next free id of a collection."""
        return self.store.collection(template).next_id


def seed(writer: Writer, name: str, tickets: int | None = None) -> None:
    """Fill ``writer``'s store with the named seed (one of :data:`SEEDS`)."""
    if name not in SEEDS:
        raise ValueError(f"unknown seed {name!r}; expected one of {SEEDS}")
    if name == "empty":
        return
    if name == "engagement":
        from cw_facade.testing._seed_engagement import seed_engagement  # imports this module

        seed_engagement(Seeder(writer))
        return
    from cw_facade.testing._seed_extras import (  # deferred: these modules import this one
        seed_business,
        seed_members,
        seed_ticket_work,
    )
    from cw_facade.testing._seed_tickets import seed_tickets

    seeder = Seeder(writer)
    seed_members(seeder)
    _setup_tables(seeder)
    _boards(seeder)
    _companies(seeder)
    seed_business(seeder)
    made = seed_tickets(seeder, DEMO_TICKETS if tickets is None else tickets)
    seed_ticket_work(seeder, made)


def _setup_tables(s: Seeder) -> None:
    s.add_rows("/company/companies/statuses", cat.COMPANY_STATUSES)
    s.add_rows("/company/companies/types", cat.COMPANY_TYPES)
    s.add_rows("/company/communicationTypes", cat.COMMUNICATION_TYPES)
    s.add_rows("/company/contacts/types", cat.CONTACT_TYPES)
    s.add_rows("/company/contacts/departments", cat.CONTACT_DEPARTMENTS)
    s.add_rows("/company/configurations/types", cat.CONFIGURATION_TYPES)
    s.add_rows("/company/configurations/statuses", cat.CONFIGURATION_STATUSES)
    for record_id, fields in cat.TYPE_QUESTIONS:
        s.add("/company/configurations/types/{parentId}/questions", record_id, fields, 1)
    s.add_rows("/service/priorities", cat.PRIORITIES)
    s.add_rows("/service/sources", cat.SOURCES)
    s.add_rows("/service/impacts", cat.IMPACTS)
    s.add_rows("/service/severities", cat.SEVERITIES)
    s.add_rows("/service/locations", cat.LOCATIONS)
    s.add_rows("/service/SLAs", cat.SLAS)
    for template, rows in cat.OPTIONAL_TABLES.items():
        s.add_served(template, rows)


def _boards(s: Seeder) -> None:
    s.add_rows("/service/boards", cat.BOARDS)
    for board, status_id, name, closed, default in cat.STATUSES:
        fields = {
            "name": name,
            "board": {"id": board},
            "closedStatus": closed,
            "defaultFlag": default,
            "sortOrder": status_id % 10,
            "inactive": False,
        }
        s.add("/service/boards/{parentId}/statuses", status_id, fields, board)
    for template, rows in (
        ("/service/boards/{parentId}/types", cat.BOARD_TYPES),
        ("/service/boards/{parentId}/subtypes", cat.BOARD_SUBTYPES),
        ("/service/boards/{parentId}/items", cat.BOARD_ITEMS),
    ):
        for board, record_id, name in rows:
            s.add(template, record_id, {"name": name, "board": {"id": board}}, board)
    for board, record_id, name in cat.BOARD_TEAMS:
        fields = {"name": name, "boardId": board, "teamLeader": cat.TECHNICIANS[record_id % 3]}
        s.add("/service/boards/{parentId}/teams", record_id, fields, board)
    s.add(
        "/service/knowledgeBaseArticles",
        1,
        {
            "title": "Resetting a user's VPN token",
            "issue": "VPN token out of sync",
            "resolution": "Re-enrol the token from the admin portal.",
            "board": {"id": 1},
        },
    )


def _companies(s: Seeder) -> None:
    for number, (company_id, identifier, name, city, region, type_id) in enumerate(cat.COMPANIES):
        s.add(
            "/company/companies",
            company_id,
            {
                "identifier": identifier,
                "name": name,
                "city": city,
                "status": {"id": 1},
                "phoneNumber": f"555010{number:02d}",
                "website": f"https://{identifier.lower()}.example",
                "types": [{"id": type_id, "name": cat.COMPANY_TYPES[type_id - 1][1]["name"]}],
                "customFields": [_region(region)],
            },
        )
        site = s.add(
            "/company/companies/{parentId}/sites",
            s.next_id("/company/companies/{parentId}/sites"),
            {"name": "Main", "city": city, "primaryAddressFlag": True},
            company_id,
        )
        _contacts(s, number, company_id, identifier)
        _configurations(s, number, company_id, site["id"])
        s.add(
            "/company/companies/{parentId}/notes",
            s.next_id("/company/companies/{parentId}/notes"),
            {"text": f"{name} signed the managed services agreement."},
            company_id,
        )
        s.add(
            "/company/companies/{parentId}/teams",
            s.next_id("/company/companies/{parentId}/teams"),
            {
                "teamRole": {"id": 1, "name": "Account Manager"},
                "accountManagerFlag": True,
                "member": cat.TECHNICIANS[number % 3],
            },
            company_id,
        )
    s.add(
        "/system/callbacks",
        1,
        {
            "url": "http://127.0.0.1:9/disabled",
            "objectId": cat.OWNER_COMPANY_ID,
            "type": "ticket",
            "level": "owner",
            "description": "Disabled example callback",
            "inactiveFlag": True,
        },
    )


def _region(region: str) -> Record:
    return {
        "id": 1,
        "caption": "Region",
        "type": "Text",
        "entryMethod": "EntryField",
        "numberOfDecimals": 0,
        "value": region,
    }


def _contacts(s: Seeder, number: int, company_id: int, identifier: str) -> None:
    for offset in range(2):
        first = cat.FIRST_NAMES[(number + offset * 3) % len(cat.FIRST_NAMES)]
        last = cat.LAST_NAMES[(number * 2 + offset) % len(cat.LAST_NAMES)]
        email = f"{first}.{last}@{identifier.lower()}.example".lower()
        contact_id = s.next_id("/company/contacts")
        s.add(
            "/company/contacts",
            contact_id,
            {
                "firstName": first,
                "lastName": last,
                "company": {"id": company_id},
                "title": "Office Manager" if offset == 0 else "Accountant",
                "defaultFlag": offset == 0,
                "communicationItems": [
                    {
                        "id": contact_id * 2 - 1,
                        "type": {"id": 1, "name": "Email"},
                        "value": email,
                        "defaultFlag": True,
                        "communicationType": "Email",
                    },
                    {
                        "id": contact_id * 2,
                        "type": {"id": 2, "name": "Direct"},
                        "value": f"555020{contact_id:02d}",
                        "defaultFlag": True,
                        "communicationType": "Phone",
                    },
                ],
            },
        )
        s.add(
            "/company/contacts/{parentId}/communications",
            s.next_id("/company/contacts/{parentId}/communications"),
            {
                "type": {"id": 1},
                "value": email,
                "communicationType": "Email",
                "contactId": contact_id,
                "defaultFlag": True,
            },
            contact_id,
        )
        if offset == 0:
            s.add(
                "/company/contacts/{parentId}/notes",
                s.next_id("/company/contacts/{parentId}/notes"),
                {"text": "Prefers email over phone.", "contactId": contact_id},
                contact_id,
            )


def _configurations(s: Seeder, number: int, company_id: int, site_id: int) -> None:
    template = "/company/configurations"
    if company_id == cat.OWNER_COMPANY_ID:
        return
    for role, (prefix, type_id, os_name) in enumerate(cat.SERVER_ROLES):
        record_id = max(s.next_id(template), cat.FIRST_CONFIGURATION_ID)
        s.add(
            template,
            record_id,
            {
                "name": f"{prefix}-{1 + (number if prefix == 'WS' else 0):02d}",
                "type": {"id": type_id},
                "status": {"id": 1},
                "company": {"id": company_id},
                "site": {"id": site_id},
                "ipAddress": f"10.{number}.25.{11 + role}",
                "osType": os_name,
                "activeFlag": True,
                "serialNumber": f"SN-{company_id}-{role:03d}",
            },
        )
