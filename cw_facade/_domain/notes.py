"""Notes on tickets and companies.

Visibility of a ticket note: ``internal=True`` sets ``internalAnalysisFlag`` (the note is on
the Internal tab, members only); ``internal=False`` sets ``detailDescriptionFlag`` (the
Discussion tab the customer sees). ``detail`` overrides the second choice and ``resolution``
adds ``resolutionFlag``. ConnectWise rejects a note with none of the three flags, so such a
call fails before any request.
"""

from __future__ import annotations

from typing import Any

from cw_facade._validation import InvalidArgumentError, check_flag, check_text


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


def ticket_note_body(note_text: Any, internal: Any, detail: Any, resolution: Any) -> dict[str, Any]:
    """The POST body of a ticket note, checked."""
    return {"text": check_text("note_text", note_text), **note_flags(internal, detail, resolution)}


def company_note_body(note_text: Any, flagged: Any) -> dict[str, Any]:
    """The POST body of a company note, checked."""
    return {"text": check_text("note_text", note_text), "flagged": check_flag("flagged", flagged)}
