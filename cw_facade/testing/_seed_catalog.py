"""The demo MSP's reference data: setup tables, companies, contacts, configurations.

Ids are chosen so the toolkit README's examples work as written: company 250 (with the server
``PROD-WEB-01``, configuration 67890), board 1 "Service Desk", priority 8 "Priority 1 - Emergency
Response", source 42 "RMM Integration", status 456 "Resolved" (a closed status on board 1).
"""

from __future__ import annotations

from typing import Any

OWNER_COMPANY_ID = 249
SERVICE_DESK_BOARD_ID = 1
PROJECTS_BOARD_ID = 2
LOCATION = {"id": 1, "name": "Main Office"}
DEPARTMENT = {"id": 1, "identifier": "Services", "name": "Services"}
TECHNICIANS = (
    {"id": 11, "identifier": "jrivera", "name": "Jordan Rivera"},
    {"id": 12, "identifier": "apatel", "name": "Anika Patel"},
    {"id": 13, "identifier": "mchen", "name": "Morgan Chen"},
)

Rows = list[tuple[int, dict[str, Any]]]

COMPANY_STATUSES: Rows = [
    (1, {"name": "Active", "defaultFlag": True}),
    (2, {"name": "Inactive", "inactiveFlag": True}),
    (3, {"name": "Not-Approved"}),
]
COMPANY_TYPES: Rows = [
    (1, {"name": "Client", "defaultFlag": True}),
    (2, {"name": "Owner"}),
    (3, {"name": "Vendor", "vendorFlag": True}),
    (4, {"name": "Prospect"}),
]
COMMUNICATION_TYPES: Rows = [
    (1, {"description": "Email", "emailFlag": True, "defaultFlag": True}),
    (2, {"description": "Direct", "phoneFlag": True}),
    (3, {"description": "Cell", "phoneFlag": True}),
    (4, {"description": "Fax", "faxFlag": True}),
]
CONTACT_TYPES: Rows = [(1, {"description": "Primary"}), (2, {"description": "Billing"})]
CONTACT_DEPARTMENTS: Rows = [(1, {"name": "Operations"}), (2, {"name": "Finance"})]
CONFIGURATION_TYPES: Rows = [
    (1, {"name": "Server"}),
    (2, {"name": "Workstation"}),
    (3, {"name": "Firewall"}),
    (4, {"name": "Switch"}),
]
CONFIGURATION_STATUSES: Rows = [
    (1, {"description": "Active", "defaultFlag": True}),
    (2, {"description": "Inactive", "closedFlag": True}),
]
TYPE_QUESTIONS: Rows = [
    (
        1,
        {
            "question": "Operating system",
            "fieldType": "Text",
            "entryType": "EntryField",
            "sequenceNumber": 1,
            "configurationType": {"id": 1},
        },
    ),
    (
        2,
        {
            "question": "Backup agent installed",
            "fieldType": "Checkbox",
            "entryType": "Option",
            "sequenceNumber": 2,
            "configurationType": {"id": 1},
        },
    ),
]
PRIORITIES: Rows = [
    (
        4,
        {
            "name": "Priority 3 - Normal Response",
            "color": "Green",
            "level": "Medium",
            "sortOrder": 6,
            "defaultFlag": True,
        },
    ),
    (
        5,
        {
            "name": "Priority 4 - Scheduled Maintenance",
            "color": "Blue",
            "level": "Low",
            "sortOrder": 8,
        },
    ),
    (
        6,
        {"name": "Priority 2 - Quick Response", "color": "Orange", "level": "High", "sortOrder": 4},
    ),
    (7, {"name": "Do Not Respond", "color": "Gray", "level": "Low", "sortOrder": 10}),
    (
        8,
        {
            "name": "Priority 1 - Emergency Response",
            "color": "Red",
            "level": "Critical",
            "sortOrder": 2,
        },
    ),
]
SOURCES: Rows = [
    (1, {"name": "Email", "defaultFlag": True}),
    (2, {"name": "Phone"}),
    (3, {"name": "Portal"}),
    (42, {"name": "RMM Integration"}),
]
IMPACTS: Rows = [
    (1, {"name": "High", "description": "Whole company affected"}),
    (2, {"name": "Medium", "description": "A department affected", "defaultFlag": True}),
    (3, {"name": "Low", "description": "One person affected"}),
]
SEVERITIES: Rows = [
    (1, {"name": "High", "description": "Work has stopped"}),
    (2, {"name": "Medium", "description": "Work is impaired", "defaultFlag": True}),
    (3, {"name": "Low", "description": "Inconvenience"}),
]
LOCATIONS: Rows = [
    (1, {"name": "On-Site", "where": "OnSite"}),
    (2, {"name": "Remote", "where": "Remote", "defaultFlag": True}),
    (3, {"name": "In-House", "where": "InHouse"}),
]
SLAS: Rows = [
    (
        1,
        {
            "name": "Standard SLA",
            "basedOn": "AllHours",
            "defaultFlag": True,
            "respondHours": 4.0,
            "resolutionHours": 24.0,
            "planWithin": 8.0,
            "hiImpactHiUrgency": {"id": 8},
        },
    ),
    (
        2,
        {
            "name": "Premium SLA",
            "basedOn": "AllHours",
            "respondHours": 1.0,
            "resolutionHours": 8.0,
            "planWithin": 2.0,
            "hiImpactHiUrgency": {"id": 8},
        },
    ),
]
BOARDS: Rows = [
    (
        SERVICE_DESK_BOARD_ID,
        {
            "name": "Service Desk",
            "location": LOCATION,
            "department": DEPARTMENT,
            "inactiveFlag": False,
        },
    ),
    (
        PROJECTS_BOARD_ID,
        {"name": "Projects", "location": LOCATION, "department": DEPARTMENT, "inactiveFlag": False},
    ),
]
# (board, status id, name, closed, default)
STATUSES = [
    (1, 450, "New", False, True),
    (1, 451, "Open", False, False),
    (1, 452, "In Progress", False, False),
    (1, 453, "Waiting on Customer", False, False),
    (1, 454, "Scheduled", False, False),
    (1, 455, "Closed", True, False),
    (1, 456, "Resolved", True, False),
    (2, 460, "Planned", False, True),
    (2, 461, "In Progress", False, False),
    (2, 462, "Completed", True, False),
]
# (board, id, name)
BOARD_TYPES = [
    (1, 1, "Incident"),
    (1, 2, "Service Request"),
    (1, 3, "Problem"),
    (1, 4, "Change"),
    (2, 5, "Project Task"),
]
BOARD_SUBTYPES = [
    (1, 1, "Server"),
    (1, 2, "Network"),
    (1, 3, "Workstation"),
    (1, 4, "Email"),
    (1, 5, "Printer"),
    (2, 6, "Migration"),
]
BOARD_ITEMS = [
    (1, 1, "Outage"),
    (1, 2, "Performance"),
    (1, 3, "Access"),
    (1, 4, "Install"),
    (2, 5, "Milestone"),
]
BOARD_TEAMS = [(1, 1, "Tier 1"), (1, 2, "Tier 2"), (2, 3, "Project Team")]

# (id, identifier, name, city, region, type id)
COMPANIES = [
    (OWNER_COMPANY_ID, "FacadeMSP", "Facade Managed Services", "Bristol", "EU", 2),
    (250, "HarborPoint", "Harbor Point Dental", "Portland", "US", 1),
    (251, "Bluebird", "Bluebird Logistics", "Rotterdam", "EU", 1),
    (252, "CedarPine", "Cedar & Pine Law", "Boston", "US", 1),
    (253, "SummitRidge", "Summit Ridge Clinic", "Denver", "US", 1),
    (254, "Lakeside", "Lakeside Architecture", "Geneva", "EU", 1),
    (255, "Ironwood", "Ironwood Manufacturing", "Singapore", "APAC", 1),
    (256, "Meadowbrook", "Meadowbrook School District", "Leeds", "EU", 1),
]
FIRST_NAMES = ("Alex", "Sam", "Riley", "Casey", "Jamie", "Taylor", "Robin", "Avery")
LAST_NAMES = ("Morgan", "Baker", "Nguyen", "Schmidt", "Okafor", "Larsen", "Costa", "Ward")
# (name prefix, type id, operating system)
SERVER_ROLES = [
    ("PROD-WEB", 1, "Windows Server 2022"),
    ("PROD-DB", 1, "Ubuntu 22.04 LTS"),
    ("FW", 3, "FortiOS 7.4"),
    ("WS", 2, "Windows 11 Pro"),
]
FIRST_CONFIGURATION_ID = 67890
SUMMARIES = (
    "{config} is unreachable",
    "Email not syncing on phone",
    "New starter laptop setup",
    "Printer on floor 2 jams constantly",
    "VPN disconnects every hour",
    "Password reset for finance user",
    "Backup job failed on {config}",
    "Slow file share access",
    "Disk space low on {config}",
    "Request: add user to shared mailbox",
    "Wi-Fi drops in meeting room",
    "Certificate expiring on {config}",
)
NOTE_TEXTS = (
    "Called the customer and confirmed the symptoms.",
    "Checked the event log; no errors since the last reboot.",
    "Applied the fix and asked the customer to confirm.",
    "Waiting for the vendor to answer.",
)

# Tables seeded only when the description serves them (references the demo records make).
OPTIONAL_TABLES: dict[str, Rows] = {
    "/company/teamRoles": [(1, {"name": "Account Manager", "accountManagerFlag": True})],
}
