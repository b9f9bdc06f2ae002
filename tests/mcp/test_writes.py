"""Write tools: refused when read-only, dry runs send nothing, confirmation, the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cw_facade.testing import ManageSimulator
from tests.mcp.conftest import audit_lines, call, writes

NEW_TICKET = {"summary": "Disk full on FS01", "company_id": 250, "board": "service desk"}


def test_a_write_on_a_read_only_server_is_refused(
    make_server: Any, sim: ManageSimulator, audit_path: Path
) -> None:
    server = make_server()
    calls = [
        ("create_ticket", NEW_TICKET),
        ("add_ticket_note", {"ticket_id": 1, "text": "hello"}),
        ("update_ticket_status", {"ticket_id": 1, "status": "In Progress"}),
        ("delete_ticket", {"ticket_id": 1, "confirm": True}),
    ]
    for tool, arguments in calls:
        result = call(server, tool, arguments)
        assert result.is_error, tool
        assert "read-only" in result.content[0].text
    assert writes(sim) == []
    lines = audit_lines(audit_path)
    assert [(line["tool"], line["outcome"]) for line in lines] == [
        (tool, "refused") for tool, _ in calls
    ]


@pytest.mark.parametrize("writes_enabled", [False, True])
def test_dry_run_returns_the_exact_request_and_sends_nothing(
    make_server: Any, sim: ManageSimulator, audit_path: Path, writes_enabled: bool
) -> None:
    server = make_server(writes_enabled=writes_enabled)
    created = call(server, "create_ticket", {**NEW_TICKET, "priority_id": 8, "dry_run": True})
    assert created.structured_content["sent"] is False
    assert created.structured_content["request"] == {
        "method": "POST",
        "path": "/service/tickets",
        "query": {},
        "body": {
            "summary": "Disk full on FS01",
            "company": {"id": 250},
            "board": {"id": 1},
            "priority": {"id": 8},
        },
    }
    assert (created.structured_content["would_be_refused"] is None) is writes_enabled
    note = call(server, "add_ticket_note", {"ticket_id": 3, "text": "hi", "dry_run": True})
    assert note.structured_content["request"]["path"] == "/service/tickets/3/notes"
    status = call(
        server, "update_ticket_status", {"ticket_id": 1, "status": "Resolved", "dry_run": True}
    )
    assert status.structured_content["request"]["body"] == [
        {"op": "replace", "path": "status", "value": {"id": 456}}
    ]
    assert status.structured_content["destructive"] is True
    deleted = call(server, "delete_ticket", {"ticket_id": 2, "dry_run": True})
    assert deleted.structured_content["request"]["method"] == "DELETE"
    assert writes(sim) == []
    assert [line["outcome"] for line in audit_lines(audit_path)] == ["dry_run"] * 4
    assert sim.store.get("/service/tickets", 2) is not None


def test_writes_enabled_create_note_and_status(
    make_server: Any, sim: ManageSimulator, audit_path: Path
) -> None:
    server = make_server(writes_enabled=True)
    created = call(server, "create_ticket", {**NEW_TICKET, "description": "Only 1 GB left"})
    assert not created.is_error, created.content
    ticket_id = created.structured_content["record"]["id"]
    stored = sim.store.get("/service/tickets", ticket_id)
    assert stored is not None and stored["summary"] == "Disk full on FS01"
    assert stored["board"]["id"] == 1
    note = call(server, "add_ticket_note", {"ticket_id": ticket_id, "text": "Cleaned up temp"})
    assert note.structured_content["record"]["internalAnalysisFlag"] is True
    moved = call(server, "update_ticket_status", {"ticket_id": ticket_id, "status": "in progress"})
    assert not moved.is_error, moved.content
    assert sim.store.get("/service/tickets", ticket_id)["status"]["name"] == "In Progress"
    assert writes(sim) == [
        ("POST", "/v4_6_release/apis/3.0/service/tickets"),
        ("POST", f"/v4_6_release/apis/3.0/service/tickets/{ticket_id}/notes"),
        ("PATCH", f"/v4_6_release/apis/3.0/service/tickets/{ticket_id}"),
    ]
    lines = audit_lines(audit_path)
    assert [(line["tool"], line["outcome"]) for line in lines] == [
        ("create_ticket", "sent"),
        ("add_ticket_note", "sent"),
        ("update_ticket_status", "sent"),
    ]
    assert lines[0]["detail"] == f"id={ticket_id}"
    assert lines[0]["request"]["body"]["initialDescription"] == "Only 1 GB left"


def test_a_closing_status_needs_confirmation(
    make_server: Any, sim: ManageSimulator, audit_path: Path
) -> None:
    server = make_server(writes_enabled=True)
    refused = call(server, "update_ticket_status", {"ticket_id": 1, "status": "Resolved"})
    assert refused.is_error and "confirm=true" in refused.content[0].text
    assert writes(sim) == []
    assert sim.store.get("/service/tickets", 1)["closedFlag"] is False
    done = call(
        server, "update_ticket_status", {"ticket_id": 1, "status": "Resolved", "confirm": True}
    )
    assert not done.is_error
    assert sim.store.get("/service/tickets", 1)["closedFlag"] is True
    assert [line["outcome"] for line in audit_lines(audit_path)] == ["refused", "sent"]


def test_delete_needs_the_allowlist_and_confirmation(
    make_server: Any, sim: ManageSimulator, audit_path: Path
) -> None:
    default = make_server(writes_enabled=True)
    not_listed = call(default, "delete_ticket", {"ticket_id": 5, "confirm": True})
    assert not_listed.is_error and "allowlist" in not_listed.content[0].text
    allowed = make_server(writes_enabled=True, writable={"delete_ticket"})
    unconfirmed = call(allowed, "delete_ticket", {"ticket_id": 5})
    assert unconfirmed.is_error and "destructive" in unconfirmed.content[0].text
    assert writes(sim) == []
    assert call(allowed, "create_ticket", NEW_TICKET).is_error  # not on this allowlist
    done = call(allowed, "delete_ticket", {"ticket_id": 5, "confirm": True})
    assert done.structured_content["record"] == {"id": 5, "deleted": True}
    assert sim.store.get("/service/tickets", 5) is None
    assert [line["outcome"] for line in audit_lines(audit_path)] == [
        "refused",
        "refused",
        "refused",
        "sent",
    ]


def test_failures_are_reported_and_audited(
    make_server: Any, sim: ManageSimulator, audit_path: Path
) -> None:
    server = make_server(writes_enabled=True)
    unknown = call(server, "update_ticket_status", {"ticket_id": 1, "status": "Nope"})
    assert unknown.is_error and "'Resolved'" in unknown.content[0].text  # lists valid names
    missing = call(server, "add_ticket_note", {"ticket_id": 999_999, "text": "x"})
    assert missing.is_error and "404" in missing.content[0].text
    both = call(server, "create_ticket", {**NEW_TICKET, "board_id": 1})
    assert both.is_error and "not both" in both.content[0].text
    too_long = call(server, "create_ticket", {**NEW_TICKET, "summary": "x" * 101})
    assert too_long.is_error
    lines = audit_lines(audit_path)
    assert [line["outcome"] for line in lines] == ["failed", "failed", "failed"]
    assert lines[1]["request"]["path"] == "/service/tickets/999999/notes"


def test_the_audit_log_names_the_member_never_the_private_key(
    make_server: Any, sim: ManageSimulator, audit_path: Path
) -> None:
    server = make_server(writes_enabled=True)
    call(server, "create_ticket", {**NEW_TICKET, "dry_run": True})
    call(server, "create_ticket", NEW_TICKET)
    text = audit_path.read_text()
    assert sim.private_key not in text
    lines = audit_lines(audit_path)
    assert {line["actor"] for line in lines} == {f"{sim.company}+{sim.public_key}"}
    assert all(line["time"].endswith("Z") for line in lines)
    assert audit_path.stat().st_mode & 0o777 == 0o600
