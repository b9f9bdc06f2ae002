"""The ``engagement`` seed: a small MSP whose client-engagement scores are known by hand.

``ManageSimulator(seed="engagement")`` serves it. It keeps the demo's setup tables (company
statuses and types, boards and statuses, priorities, members) and adds market descriptions and
nine companies whose tickets, time entries and agreements sit at known distances before
:data:`ENGAGEMENT_NOW` (the simulated clock's start, ``2025-01-01T00:00:00Z``), so that the
engagement example (``examples/engagement``) prints the same score table on every run and its
tests compare exact answers. The ``demo`` seed is not touched by this module.

What each company exercises (scores as of ``ENGAGEMENT_NOW``; see the example's README):

- 249 Facade Managed Services: the MSP itself (company type ``Owner``), left out.
- 301 Cedar & Pine Law (Legal): the maximum; 40.0 billable hours made of fractions.
- 302 Harbor Point Dental (Healthcare): a ticket resolved after exactly 4 h (counts) and one
  after 4 h 1 s (does not); billable hours crossing 20 and 40 only in the longer windows.
- 303 Ironwood Manufacturing (Manufacturing): records exactly 30, 60 and 90 days old (inside)
  and one second older (outside); no primary contact.
- 304 Meadowbrook School District (Education): exactly 2 tickets; a reopened ticket.
- 305 Bluebird Logistics (Transportation, an unknown market: ``other``).
- 306 Summit Ridge Clinic (no market): no tickets, no time, a cancelled agreement.
- 307 Oakleaf Community Trust (Non-Profit).
- 308 Old Mill Outfitters (Retail, status Inactive) and 310 Foxglove Bakery (deleted): left out.
- 309 Northgate Credit Union (Financial): tickets only in the 60- and 90-day windows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from cw_facade.testing import _seed_catalog as cat
from cw_facade.testing._resources import MEMBER_IDENTIFIER
from cw_facade.testing._seed import Seeder, _boards, _setup_tables
from cw_facade.testing._seed_extras import (
    AGREEMENT_TYPES,
    AGREEMENTS,
    TIME_ENTRIES,
    member_ref,
    seed_members,
    serves,
)
from cw_facade.testing._store import CLOCK_START, Record, format_instant
from cw_facade.testing._tickets import TICKETS

ENGAGEMENT_NOW = CLOCK_START
MARKETS = "/company/marketDescriptions"
COMPANIES = "/company/companies"
CONTACTS = "/company/contacts"
MARKET_NAMES = (
    "Legal",
    "Healthcare",
    "Manufacturing",
    "Retail",
    "Financial",
    "Education",
    "Non-Profit",
    "Transportation",
)
RESOLVED_STATUS = 456
OPEN_STATUS = 451
NEW_STATUS = 450

# (id, name, market or None, status id, type id, deleted)
CLIENTS: list[tuple[int, str, str | None, int, int, bool]] = [
    (cat.OWNER_COMPANY_ID, "Facade Managed Services", None, 1, 2, False),
    (301, "Cedar & Pine Law", "Legal", 1, 1, False),
    (302, "Harbor Point Dental", "Healthcare", 1, 1, False),
    (303, "Ironwood Manufacturing", "Manufacturing", 1, 1, False),
    (304, "Meadowbrook School District", "Education", 1, 1, False),
    (305, "Bluebird Logistics", "Transportation", 1, 1, False),
    (306, "Summit Ridge Clinic", None, 1, 1, False),
    (307, "Oakleaf Community Trust", "Non-Profit", 1, 1, False),
    (308, "Old Mill Outfitters", "Retail", 2, 1, False),
    (309, "Northgate Credit Union", "Financial", 1, 1, False),
    (310, "Foxglove Bakery", "Retail", 1, 1, True),
]

# (company, first, last, defaultFlag, inactiveFlag, the company's defaultContact)
PEOPLE: list[tuple[int, str, str, bool, bool, bool]] = [
    (cat.OWNER_COMPANY_ID, "Morgan", "Chen", True, False, False),
    (301, "Robin", "Ward", True, False, False),
    (301, "Jamie", "Costa", False, False, True),
    (302, "Riley", "Nguyen", True, False, False),
    (302, "Sam", "Baker", False, False, False),
    (303, "Avery", "Larsen", False, False, False),
    (304, "Taylor", "Schmidt", True, True, False),
    (304, "Casey", "Okafor", False, False, True),
    (305, "Alex", "Morgan", True, False, False),
    (306, "Sam", "Okafor", True, False, False),
    (307, "Jamie", "Ward", True, False, False),
    (308, "Riley", "Costa", True, False, False),
    (309, "Casey", "Baker", True, False, False),
    (310, "Robin", "Larsen", True, False, False),
]

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)

# (company, entered this long before now, resolved this long after entering or None for
#  open, how: "resolved" (dateResolved and closedDate), "closed" (closedDate only),
#  "reopened" (dateResolved kept, closedFlag false))
TicketRow = tuple[int, timedelta, timedelta | None, str]
TICKET_ROWS: list[TicketRow] = [
    (cat.OWNER_COMPANY_ID, 1 * DAY, HOUR, "resolved"),
    *[(301, k * DAY, HOUR if k <= 7 else None, "resolved") for k in range(1, 12)],
    (302, 2 * DAY, 4 * HOUR, "resolved"),
    (302, 3 * DAY, 4 * HOUR + SECOND, "resolved"),
    (302, 45 * DAY, 30 * timedelta(minutes=1), "closed"),
    (302, 75 * DAY, None, "resolved"),
    (303, 30 * DAY, 2 * HOUR, "resolved"),
    (303, 30 * DAY + SECOND, HOUR, "resolved"),
    (303, 60 * DAY, None, "resolved"),
    (303, 90 * DAY, 3 * HOUR, "resolved"),
    (303, 90 * DAY + SECOND, HOUR, "resolved"),
    (304, 5 * DAY, HOUR, "reopened"),
    (304, 6 * DAY, None, "resolved"),
    *[(305, k * DAY, 10 * timedelta(minutes=1), "resolved") for k in (4, 8, 12)],
    (307, 9 * DAY, 3 * HOUR, "closed"),
    *[(308, k * DAY, HOUR, "resolved") for k in (1, 2, 3, 4)],
    *[(309, 40 * DAY + k * HOUR, 5 * HOUR, "resolved") for k in (1, 2, 3, 4)],
    (310, 2 * DAY, HOUR, "resolved"),
]

# (company, started this long before now, hours, billableOption)
TIME_ROWS: list[tuple[int, timedelta, float, str]] = [
    (cat.OWNER_COMPANY_ID, 2 * DAY, 50.0, "Billable"),
    # 40.0 hours, although adding these floats one by one gives 39.99999999999999
    (301, 2 * DAY, 7.6, "Billable"),
    (301, 3 * DAY, 14.2, "Billable"),
    (301, 4 * DAY, 14.9, "Billable"),
    (301, 5 * DAY, 3.3, "Billable"),
    (301, 6 * DAY, 5.0, "DoNotBill"),
    (302, 1 * DAY, 10.0, "Billable"),
    (302, 2 * DAY, 9.75, "Billable"),
    (302, 3 * DAY, 8.0, "DoNotBill"),
    (302, 4 * DAY, 3.0, "NoCharge"),
    (302, 45 * DAY, 0.25, "Billable"),
    (302, 80 * DAY, 20.0, "Billable"),
    (303, 30 * DAY, 10.0, "Billable"),
    (303, 30 * DAY + SECOND, 10.0, "Billable"),
    (303, 90 * DAY, 20.0, "Billable"),
    (303, 90 * DAY + SECOND, 100.0, "Billable"),
    (305, 3 * DAY, 9.99, "Billable"),
    (308, 3 * DAY, 50.0, "Billable"),
    (309, 10 * DAY, 15.0, "Billable"),
    (310, 3 * DAY, 50.0, "Billable"),
]

# (company, start before now, end: before now (positive), after now (negative) or None,
#  cancelled)
AGREEMENT_ROWS: list[tuple[int, timedelta, timedelta | None, bool]] = [
    (301, 400 * DAY, None, False),
    (301, 100 * DAY, -200 * DAY, False),
    (302, 300 * DAY, None, False),
    (302, 700 * DAY, 335 * DAY, False),
    (303, 200 * DAY, None, False),
    (305, -10 * DAY, None, False),
    (306, 200 * DAY, None, True),
    (308, 200 * DAY, None, False),
    (309, 100 * DAY, None, False),
]


def seed_engagement(s: Seeder) -> None:
    """Fill the store with the engagement tenant (called by the seed dispatcher)."""
    seed_members(s)
    _setup_tables(s)
    _boards(s)
    markets = _markets(s)
    _companies(s, markets)
    _tickets(s)
    if serves(s, TIME_ENTRIES):
        _time_entries(s)
    if serves(s, AGREEMENTS):
        _agreements(s)


def _ago(delta: timedelta) -> datetime:
    return ENGAGEMENT_NOW - delta


def _stamp(record: Record, entered: datetime, updated: datetime) -> None:
    record["_info"] = record["_info"] | {
        "dateEntered": format_instant(entered),
        "lastUpdated": format_instant(updated),
        "enteredBy": MEMBER_IDENTIFIER,
        "updatedBy": MEMBER_IDENTIFIER,
    }


def _markets(s: Seeder) -> dict[str, Record]:
    found: dict[str, Record] = {}
    for number, name in enumerate(MARKET_NAMES, 1):
        if serves(s, MARKETS):
            s.add(MARKETS, number, {"name": name, "inactiveFlag": False})
        found[name] = {"id": number, "name": name}
    return found


def _companies(s: Seeder, markets: dict[str, Record]) -> None:
    for company_id, name, market, status, type_id, deleted in CLIENTS:
        fields: Record = {
            "identifier": "".join(part for part in name.split() if part.isalnum())[:25],
            "name": name,
            "status": {"id": status},
            "types": [{"id": type_id, "name": cat.COMPANY_TYPES[type_id - 1][1]["name"]}],
            "phoneNumber": f"5550300{company_id % 100:02d}",
            "deletedFlag": deleted,
        }
        if market is not None:
            fields["market"] = markets[market]
        s.add(COMPANIES, company_id, fields)
    for company_id, first, last, default, inactive, company_default in PEOPLE:
        contact_id = s.next_id(CONTACTS)
        s.add(
            CONTACTS,
            contact_id,
            {
                "firstName": first,
                "lastName": last,
                "company": {"id": company_id},
                "defaultFlag": default,
                "inactiveFlag": inactive,
            },
        )
        if company_default:
            company = s.store.get(COMPANIES, company_id)
            assert company is not None
            reference = s.writer.resolve(
                "defaultContact", CONTACTS, "ContactReference", {"id": contact_id}, {}
            )
            s.store.collection(COMPANIES).put(company_id, company | {"defaultContact": reference})


def _tickets(s: Seeder) -> None:
    collection = s.store.collection(TICKETS)
    for number, (company_id, before, took, how) in enumerate(TICKET_ROWS):
        entered = _ago(before)
        closed = took is not None and how != "reopened"
        status = RESOLVED_STATUS if closed else (OPEN_STATUS if took else NEW_STATUS)
        ticket_id = s.next_id(TICKETS)
        ticket: dict[str, Any] = {
            "id": ticket_id,
            "summary": cat.SUMMARIES[number % len(cat.SUMMARIES)].format(config="the server"),
            "recordType": "ServiceTicket",
            "board": s.ref("board", "BoardReference", cat.SERVICE_DESK_BOARD_ID),
            "status": s.ref("status", "ServiceStatusReference", status),
            "company": s.ref("company", "CompanyReference", company_id),
            "priority": s.ref("priority", "PriorityReference", 4),
            "owner": member_ref(s, number, "owner"),
            "closedFlag": closed,
            "_info": s.writer.child_hrefs(TICKETS, ticket_id, None),
        }
        updated = entered
        if took is not None:
            resolved = format_instant(entered + took)
            updated = entered + took
            if how in ("resolved", "reopened"):
                ticket["dateResolved"] = resolved
            if how in ("resolved", "closed"):
                ticket.update(closedDate=resolved, closedBy=MEMBER_IDENTIFIER)
            if how == "reopened":
                updated += HOUR
        _stamp(ticket, entered, updated)
        collection.put(ticket_id, ticket)


def _time_entries(s: Seeder) -> None:
    collection = s.store.collection(TIME_ENTRIES)
    for number, (company_id, before, hours, billable) in enumerate(TIME_ROWS):
        start = _ago(before)
        s.add(
            TIME_ENTRIES,
            number + 1,
            {
                "chargeToType": "ServiceTicket",
                "company": {"id": company_id},
                "member": member_ref(s, number),
                "timeStart": format_instant(start),
                "timeEnd": format_instant(start + timedelta(hours=hours)),
                "actualHours": hours,
                "billableOption": billable,
                "notes": "Engagement seed work.",
            },
        )
        record = collection.records[number + 1]
        _stamp(record, start, start)


def _agreements(s: Seeder) -> None:
    if serves(s, AGREEMENT_TYPES):
        s.add(AGREEMENT_TYPES, 1, {"name": "Managed Services", "defaultFlag": True})
    for number, (company_id, start, end, cancelled) in enumerate(AGREEMENT_ROWS, 1):
        company = s.store.get(COMPANIES, company_id)
        assert company is not None
        fields: Record = {
            "name": f"{company['name']} Managed Services {number}",
            "company": {"id": company_id},
            "startDate": format_instant(_ago(start)),
            "noEndingDateFlag": end is None,
            "cancelledFlag": cancelled,
            "applicationUnits": "Hours",
            "applicationLimit": 40.0,
            "applicationCycle": "CalendarMonth",
        }
        if serves(s, AGREEMENT_TYPES):
            fields["type"] = {"id": 1}
        if end is not None:
            fields["endDate"] = format_instant(_ago(end))
        if cancelled:
            fields["dateCancelled"] = format_instant(_ago(DAY * 30))
        s.add(AGREEMENTS, number, fields)
