"""Per-resource facts the description does not carry: labels, required fields, references."""

from __future__ import annotations

import re

MEMBER_IDENTIFIER = "APIMember"

# Human label used in "<label> <id> not found" messages.
LABELS = {
    "/service/tickets": "Service Ticket",
    "/service/tickets/{parentId}/notes": "Ticket Note",
    "/service/tickets/{parentId}/tasks": "Ticket Task",
    "/service/tickets/{parentId}/configurations": "Configuration",
    "/service/boards": "Service Board",
    "/service/boards/{parentId}/statuses": "Service Status",
    "/service/boards/{parentId}/types": "Service Type",
    "/service/boards/{parentId}/subtypes": "Service SubType",
    "/service/boards/{parentId}/items": "Service Item",
    "/service/boards/{parentId}/teams": "Service Team",
    "/service/priorities": "Priority",
    "/service/sources": "Source",
    "/service/SLAs": "SLA",
    "/company/companies": "Company",
    "/company/contacts": "Contact",
    "/company/configurations": "Configuration",
    "/system/callbacks": "Callback",
}

# Required request fields, from ConnectWise's original description (the checked-in copy drops
# ``required`` lists so that partial responses parse).
REQUIRED: dict[str, tuple[str, ...]] = {
    "Board": ("name", "location", "department"),
    "BoardItem": ("name",),
    "BoardStatus": ("name",),
    "BoardSubType": ("name",),
    "BoardTeam": ("name", "teamLeader"),
    "BoardType": ("name",),
    "CallbackEntry": ("url", "objectId", "type", "level"),
    "CommunicationType": ("description",),
    "Company": ("identifier", "name"),
    "CompanyConfiguration": ("name", "type", "company"),
    "CompanyNote": ("text",),
    "CompanySite": ("name",),
    "CompanyStatus": ("name",),
    "CompanyTeam": ("teamRole",),
    "CompanyType": ("name",),
    "ConfigurationStatus": ("description",),
    "ConfigurationType": ("name",),
    "ConfigurationTypeQuestion": ("fieldType", "entryType", "sequenceNumber", "question"),
    "Contact": ("firstName",),
    "ContactCommunication": ("type", "value"),
    "ContactDepartment": ("name",),
    "ContactNote": ("text",),
    "ContactType": ("description",),
    "Impact": ("description",),
    "KnowledgeBaseArticle": ("title", "issue", "resolution"),
    "Priority": ("name", "color"),
    "ServiceLocation": ("name", "where"),
    "Severity": ("description",),
    "SLA": ("name", "basedOn"),
    "Source": ("name",),
    "Ticket": ("summary", "company"),
}

NOTE_FLAGS = ("detailDescriptionFlag", "internalAnalysisFlag", "resolutionFlag")

# Reference schema → the collection its ids point into.
REFERENCE_TARGETS = {
    "BoardReference": "/service/boards",
    "CommunicationTypeReference": "/company/communicationTypes",
    "CompanyReference": "/company/companies",
    "CompanyStatusReference": "/company/companies/statuses",
    "CompanyTypeReference": "/company/companies/types",
    "ConfigurationReference": "/company/configurations",
    "ConfigurationStatusReference": "/company/configurations/statuses",
    "ConfigurationTypeReference": "/company/configurations/types",
    "ContactDepartmentReference": "/company/contacts/departments",
    "ContactReference": "/company/contacts",
    "ContactTypeReference": "/company/contacts/types",
    "PriorityReference": "/service/priorities",
    "SLAReference": "/service/SLAs",
    "ServiceItemReference": "/service/boards/{parentId}/items",
    "ServiceLocationReference": "/service/locations",
    "ServiceSourceReference": "/service/sources",
    "ServiceStatusReference": "/service/boards/{parentId}/statuses",
    "ServiceSubTypeReference": "/service/boards/{parentId}/subtypes",
    "ServiceTeamReference": "/service/boards/{parentId}/teams",
    "ServiceTypeReference": "/service/boards/{parentId}/types",
    "SiteReference": "/company/companies/{parentId}/sites",
    "TicketReference": "/service/tickets",
    "MemberReference": "/system/members",
    "AgreementReference": "/finance/agreements",
}

# Fields that name a record, tried in order, for a reference's ``name``.
NAME_FIELDS = ("name", "description", "summary", "identifier", "title")
# Reference key → record key when they differ.
REFERENCE_ALIASES = {"sort": "sortOrder", "deviceIdentifier": "name"}


def label(template: str, schema: str | None) -> str:
    """The label for not-found messages: from :data:`LABELS` or the schema name split."""
    if template in LABELS:
        return LABELS[template]
    return " ".join(re.findall(r"[A-Z][a-z]+|[A-Z]+(?![a-z])", schema or "Record")) or "Record"


def record_name(record: dict[str, object]) -> object:
    """The display name of a record, as references show it."""
    if record.get("firstName") is not None:
        return " ".join(str(record[k]) for k in ("firstName", "lastName") if record.get(k))
    for key in NAME_FIELDS:
        if record.get(key) is not None:
            return record[key]
    return None


def href_key(prop: str) -> str:
    """The ``_info`` key of a reference's link: ``company`` → ``company_href``."""
    return f"{prop}_href"
