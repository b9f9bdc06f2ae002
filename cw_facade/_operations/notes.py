"""Notes on tickets and companies.

Visibility of a ticket note: ``internal=True`` sets ``internalAnalysisFlag`` (the note is on
the Internal tab, members only); ``internal=False`` sets ``detailDescriptionFlag`` (the
Discussion tab the customer sees). ``detail`` overrides the second choice and ``resolution``
adds ``resolutionFlag``. ConnectWise rejects a note with none of the three flags, so such a
call fails before any request.
"""

from __future__ import annotations

from typing import Any

from cw_facade._operations._common import as_model
from cw_facade._request import APIRequest, Operation
from cw_facade._validation import InvalidArgumentError, check_flag, check_id, check_text
from cw_facade.models import CompanyNote, Note

COMPANIES_PATH = "company/companies"


def ticket_notes_path(ticket_id: Any) -> str:
    """``service/tickets/{id}/notes`` after checking the id."""
    return f"service/tickets/{check_id('ticket_id', ticket_id)}/notes"


def company_notes_path(company_id: Any) -> str:
    """``company/companies/{id}/notes`` after checking the id."""
    return f"{COMPANIES_PATH}/{check_id('company_id', company_id)}/notes"


def note_flags(internal: Any, detail: Any, resolution: Any) -> dict[str, bool]:
    """The visibility flags of a new ticket note (see the module docstring)."""
    internal = check_flag("internal", internal)
    detail = (not internal) if detail is None else check_flag("detail", detail)
    resolution = check_flag("resolution", resolution)
    if not (internal or detail or resolution):
        raise InvalidArgumentError(
            "internal", "a note needs a visibility: internal, detail or resolution must be True"
        )
    return {
        "internalAnalysisFlag": internal,
        "detailDescriptionFlag": detail,
        "resolutionFlag": resolution,
    }


def add_ticket_note(
    ticket_id: Any, note_text: Any, internal: Any, detail: Any, resolution: Any
) -> Operation[Note]:
    """POST a note on the ticket and return it."""
    path = ticket_notes_path(ticket_id)
    body = {"text": check_text("note_text", note_text), **note_flags(internal, detail, resolution)}
    created = yield APIRequest("POST", path, json=body)
    return as_model(Note, created)


def add_company_note(company_id: Any, note_text: Any, flagged: Any) -> Operation[CompanyNote]:
    """POST a note on the company and return it."""
    path = company_notes_path(company_id)
    body: dict[str, Any] = {
        "text": check_text("note_text", note_text),
        "flagged": check_flag("flagged", flagged),
    }
    created = yield APIRequest("POST", path, json=body)
    return as_model(CompanyNote, created)
