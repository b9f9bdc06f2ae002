"""Typed, tolerant views over ConnectWise records, returned by every domain method.

A model wraps the decoded JSON object (``model.raw``) without parsing it; its properties read
the record on access and return ``None`` for missing or malformed data instead of raising.
The API's own key names work as attributes too, in camelCase or snake_case
(``config.ipAddress``, ``config.ip_address``). ``to_generated()`` gives the full generated
attrs model of ``cw_manage_client`` when every field is wanted parsed.
"""

from __future__ import annotations

from cw_facade.models._base import Model
from cw_facade.models._business import (
    Agreement,
    AgreementAddition,
    BoardItem,
    BoardSubtype,
    CompanyStatus,
    ConfigurationQuestion,
    Invoice,
    Opportunity,
    Project,
    ProjectPhase,
)
from cw_facade.models._company import (
    Company,
    CompanyNote,
    Configuration,
    ConfigurationReference,
    Contact,
    Site,
)
from cw_facade.models._service import Board, BoardStatus, BoardType, Note, Priority, Source, Ticket
from cw_facade.models._system import Callback, SystemInfo
from cw_facade.models._values import as_datetime as parse_datetime
from cw_facade.models._work import Member, ScheduleEntry, TicketTask, TimeEntry

__all__ = [
    "Agreement",
    "AgreementAddition",
    "Board",
    "BoardItem",
    "BoardStatus",
    "BoardSubtype",
    "BoardType",
    "Callback",
    "Company",
    "CompanyNote",
    "CompanyStatus",
    "Configuration",
    "ConfigurationQuestion",
    "ConfigurationReference",
    "Contact",
    "Invoice",
    "Member",
    "Model",
    "Note",
    "Opportunity",
    "Priority",
    "Project",
    "ProjectPhase",
    "ScheduleEntry",
    "Site",
    "Source",
    "SystemInfo",
    "Ticket",
    "TicketTask",
    "TimeEntry",
    "parse_datetime",
]
