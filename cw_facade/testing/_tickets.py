"""Ticket behaviour beyond generic CRUD: defaults, closing, first notes, note flags, views."""

from __future__ import annotations

from cw_facade.testing._errors import ApiError, detail, invalid_object
from cw_facade.testing._records import Writer
from cw_facade.testing._resources import MEMBER_IDENTIFIER, NOTE_FLAGS, REFERENCE_TARGETS
from cw_facade.testing._store import Record

TICKETS = "/service/tickets"
NOTES = "/service/tickets/{parentId}/notes"
LINKS = "/service/tickets/{parentId}/configurations"
BOARDS = "/service/boards"
STATUSES = "/service/boards/{parentId}/statuses"
INITIAL_NOTES = {
    "initialDescription": "detailDescriptionFlag",
    "initialInternalAnalysis": "internalAnalysisFlag",
    "initialResolution": "resolutionFlag",
}
NOTE_FLAG_FIELD = ", ".join(NOTE_FLAGS)


def take_initial_notes(fields: Record) -> dict[str, str]:
    """Remove the write-only ``initial*`` fields from a ticket; return the non-empty ones."""
    taken = {key: fields.pop(key, None) for key in INITIAL_NOTES}
    fields.pop("initialDescriptionFrom", None)
    return {key: text for key, text in taken.items() if isinstance(text, str) and text}


def prepare_ticket(writer: Writer, fields: Record, old: Record | None) -> None:
    """Fill the default board and status, and keep the closed state in line with the status."""
    if not fields.get("board"):
        first = next(writer.store.collection(BOARDS).iterate(), None)
        if first is not None:
            fields["board"] = _reference(writer, "board", BOARDS, first, fields)
    if not fields.get("status"):
        default = _default_status(writer, fields)
        if default is not None:
            fields["status"] = _reference(writer, "status", STATUSES, default, fields)
    _close_or_reopen(writer, fields, old)


def _reference(writer: Writer, prop: str, target: str, record: Record, owner: Record) -> Record:
    schema = next(k for k, v in REFERENCE_TARGETS.items() if v == target)
    found = writer.resolve(prop, target, schema, {"id": record["id"]}, owner)
    return found or {"id": record["id"]}


def _default_status(writer: Writer, fields: Record) -> Record | None:
    board = (fields.get("board") or {}).get("id")
    statuses = list(writer.store.collection(STATUSES).iterate(board))
    return next((s for s in statuses if s.get("defaultFlag")), statuses[0] if statuses else None)


def _close_or_reopen(writer: Writer, fields: Record, old: Record | None) -> None:
    status_id = (fields.get("status") or {}).get("id")
    status = writer.store.get(STATUSES, status_id) if isinstance(status_id, int) else None
    closed = bool(status and status.get("closedStatus"))
    if closed and not (old or {}).get("closedFlag"):
        fields["closedFlag"] = True
        fields["closedDate"] = writer.store.clock.now()
        fields["closedBy"] = MEMBER_IDENTIFIER
    elif closed:
        for key in ("closedFlag", "closedDate", "closedBy"):
            fields[key] = (old or {}).get(key)
    else:
        fields["closedFlag"] = False
        fields.pop("closedDate", None)
        fields.pop("closedBy", None)


def initial_note(ticket_id: int, text: str, flag: str) -> Record:
    """The fields of a first note created from an ``initial*`` ticket field."""
    fields: Record = {"ticketId": ticket_id, "text": text}
    fields["internalFlag"] = flag == "internalAnalysisFlag"
    fields["externalFlag"] = flag == "detailDescriptionFlag"
    fields.update({name: name == flag for name in NOTE_FLAGS})
    return fields


def prepare_note(writer: Writer, fields: Record, ticket_id: int) -> None:
    """Check the visibility flags of a ticket note and fill its server-set fields."""
    if not any(fields.get(flag) for flag in NOTE_FLAGS):
        message = "At least one of detailDescriptionFlag, internalAnalysisFlag or resolutionFlag"
        error = detail("InvalidField", f"{message} must be true.", "serviceNote", NOTE_FLAG_FIELD)
        raise invalid_object("serviceNote", [error])
    fields["ticketId"] = ticket_id
    fields.setdefault("internalFlag", bool(fields.get("internalAnalysisFlag")))
    fields.setdefault("externalFlag", bool(fields.get("detailDescriptionFlag")))
    fields.setdefault("dateCreated", writer.store.clock.now())
    fields.setdefault("createdBy", MEMBER_IDENTIFIER)


def view(schema: str, record: Record, writer: Writer) -> Record:
    """Present a stored record as a view schema (``TicketInfo``, ``ServiceTicketNote``)."""
    props = writer.spec.properties(schema)
    if not props:
        return record
    shown = {k: v for k, v in record.items() if k in props}
    if schema == "ServiceTicketNote":
        ticket = writer.store.get(TICKETS, record.get("ticketId") or 0) or {}
        shown["ticket"] = {"id": record.get("ticketId"), "summary": ticket.get("summary")}
        shown["noteType"] = "TicketNote"
    return shown


def link_record(writer: Writer, config: Record) -> Record:
    """The ConfigurationReference a ticket shows for an attached configuration."""
    href = writer.href("/company/configurations", config["id"])
    return {
        "id": config["id"],
        "deviceIdentifier": config.get("name"),
        "_info": {"configuration_href": href},
    }


def attach_error(value: object) -> ApiError:
    """400 ``InvalidObject`` for an attach body without a known configuration id."""
    message = f"Configuration {value!r} is not valid."
    return invalid_object("ticket", [detail("InvalidField", message, "ticket", "id")])
