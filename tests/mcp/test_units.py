"""The pure parts of the MCP server: settings, credentials, filters, bounds and the audit log."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cw_facade import ConnectWiseConfigurationError
from cw_facade.mcp import Credentials, ServerSettings
from cw_facade.mcp._bounds import bound_record, bound_records, json_size
from cw_facade.mcp._filters import FilterError, FilterSpec, build_conditions
from cw_facade.mcp._safety import AuditLog, PlannedRequest, WriteGate, WriteRefusedError
from cw_facade.mcp._settings import DEFAULT_WRITABLE, WRITE_TOOLS, parse_writable


def test_settings_default_to_read_only_without_delete(tmp_path: Path) -> None:
    settings = ServerSettings(audit_log=tmp_path / "a")
    assert settings.writes_enabled is False
    assert settings.writable == DEFAULT_WRITABLE == WRITE_TOOLS - {"delete_ticket"}


def test_settings_from_env(tmp_path: Path) -> None:
    env = {
        "CW_MCP_ALLOW_WRITES": "Yes",
        "CW_MCP_WRITABLE": "create_ticket, delete_ticket",
        "CW_MCP_AUDIT_LOG": str(tmp_path / "x.jsonl"),
        "CW_MCP_MAX_RECORDS": "7",
        "CW_MCP_MAX_BYTES": "900",
    }
    settings = ServerSettings.from_env(env)
    assert settings.writes_enabled is True
    assert settings.writable == {"create_ticket", "delete_ticket"}
    assert settings.audit_log == tmp_path / "x.jsonl"
    assert (settings.max_records, settings.max_bytes) == (7, 900)
    assert ServerSettings.from_env({"CW_MCP_ALLOW_WRITES": "off"}).writes_enabled is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CW_MCP_ALLOW_WRITES": "perhaps"}, "CW_MCP_ALLOW_WRITES"),
        ({"CW_MCP_WRITABLE": "create_ticket,rm_rf"}, "not write tools: rm_rf"),
        ({"CW_MCP_MAX_RECORDS": "many"}, "CW_MCP_MAX_RECORDS"),
        ({"CW_MCP_MAX_BYTES": "0"}, "max_bytes"),
    ],
)
def test_bad_settings_name_the_problem(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ServerSettings.from_env(env)


def test_parse_writable_takes_text_or_names() -> None:
    assert parse_writable(" add_ticket_note ,") == {"add_ticket_note"}
    assert parse_writable(["delete_ticket"]) == {"delete_ticket"}


def test_credentials_from_env_never_show_the_private_key(tmp_path: Path) -> None:
    env = {
        "CW_CONFIG": str(tmp_path / "none.toml"),
        "CW_BASE_URL": "https://na.myconnectwise.net",
        "CW_COMPANY": "acme",
        "CW_PUBLIC_KEY": "pub",
        "CW_PRIVATE_KEY": "very-secret",
        "CW_CLIENT_ID": "cid",
    }
    credentials = Credentials.from_env(env)
    assert credentials.actor == "acme+pub"
    assert "very-secret" not in repr(credentials)
    assert credentials.private_key.get_secret_value() == "very-secret"
    with pytest.raises(ConnectWiseConfigurationError, match=r"CW_COMPANY .*, CW_PRIVATE_KEY"):
        Credentials.from_env({**env, "CW_COMPANY": " ", "CW_PRIVATE_KEY": ""})


def write_config(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


PROFILE = """default_profile = "prod"
[profiles.prod]
base_url = "https://eu.myconnectwise.net"
company = "acme"
public_key = "profile-pub"
private_key = "profile-secret"
client_id = "cid"
codebase = "v2025_1/"
"""


def test_credentials_from_a_profile_with_the_environment_first(tmp_path: Path) -> None:
    config = write_config(tmp_path / "config.toml", PROFILE)
    credentials = Credentials.from_env({"CW_CONFIG": str(config)})
    assert (credentials.base_url, credentials.actor) == (
        "https://eu.myconnectwise.net",
        "acme+profile-pub",
    )
    assert credentials.codebase == "v2025_1/"
    overridden = Credentials.from_env({"CW_CONFIG": str(config), "CW_PUBLIC_KEY": "env-pub"})
    assert overridden.public_key == "env-pub"
    with pytest.raises(ConnectWiseConfigurationError, match="no profile 'other'"):
        Credentials.from_env({"CW_CONFIG": str(config)}, profile="other")
    readable = write_config(tmp_path / "open.toml", PROFILE, 0o644)
    with pytest.raises(ConnectWiseConfigurationError, match="chmod 600") as caught:
        Credentials.from_env({"CW_CONFIG": str(readable)})
    assert "profile-secret" not in str(caught.value)


def test_the_variables_are_the_command_lines(tmp_path: Path) -> None:
    from cw_facade.cli._config import ENVIRONMENT, REQUIRED
    from cw_facade.mcp._credentials import ENV_NAMES

    assert ENV_NAMES == {name: ENVIRONMENT[name] for name in REQUIRED}


def test_filters_render_through_the_builder() -> None:
    specs = [
        FilterSpec("summary", "contains", 'a"b\\c'),
        FilterSpec("priority/id", "not in", [1, 2]),
        FilterSpec("closedFlag", "=", False),
        FilterSpec("_info/lastUpdated", ">=", "2025-01-31T10:00:00+01:00", date=True),
        FilterSpec("contact", "=", None),
    ]
    assert build_conditions([], specs) == (
        'summary contains "a\\"b\\\\c" AND priority/id not in (1, 2) AND closedFlag=false '
        "AND _info/lastUpdated>=[2025-01-31T09:00:00Z] AND contact=null"
    )
    assert build_conditions([], specs[:2], "any", raw="id>5") == (
        '(summary contains "a\\"b\\\\c" OR priority/id not in (1, 2)) AND id>5'
    )
    assert build_conditions([None], [], raw="  ") is None


@pytest.mark.parametrize(
    "spec",
    [
        FilterSpec("id", "~", 1),
        FilterSpec("id OR 1", "=", 1),
        FilterSpec("summary", "contains", 5),
        FilterSpec("id", "in", []),
        FilterSpec("id", ">", float("nan")),
        FilterSpec("x", "=", 3, date=True),
        FilterSpec("x", "=", "tomorrow", date=True),
    ],
)
def test_bad_filters_raise_filter_error(spec: FilterSpec) -> None:
    with pytest.raises(FilterError):
        build_conditions([], [spec])


def test_raw_conditions_are_reparsed_and_rerendered() -> None:
    assert build_conditions([], raw="summary  contains 'it\\'s'") == 'summary contains "it\'s"'
    assert build_conditions([], raw="a = 'x' and b=1") == 'a="x" AND b=1'
    with pytest.raises(FilterError, match="conditions rejected"):
        build_conditions([], raw="a=1 OR b=2 AND c=3")
    with pytest.raises(FilterError):
        build_conditions([], raw='summary="unterminated')


def test_bound_records_by_limit_and_size() -> None:
    records = [{"id": i, "text": "x" * 50} for i in range(10)]
    by_limit = bound_records(iter(records), limit=3, max_bytes=10_000, more=False)
    assert by_limit["count"] == 3 and by_limit["truncated"] is True
    whole = bound_records(records, limit=10, max_bytes=10_000, more=False)
    assert whole == {"records": records, "count": 10, "truncated": False}
    by_size = bound_records(records, limit=10, max_bytes=200, more=False)
    assert by_size["count"] == 2 and "200 characters" in by_size["note"]
    assert sum(json_size(r) for r in by_size["records"]) <= 200
    lone = bound_records([{"id": 1, "text": "y" * 2_000}], limit=5, max_bytes=100, more=False)
    assert lone["records"][0]["text"] == "y" * 500 + "…"
    assert bound_records([], limit=5, max_bytes=100, more=True)["truncated"] is True


def test_bound_record_clips_nested_text_then_fields() -> None:
    record = {"id": 1, "notes": [{"text": "z" * 900}], "nested": {"a": "q" * 900}}
    result = bound_record(record, max_bytes=1_500)
    assert result["truncated"] is True
    assert result["record"]["notes"][0]["text"] == "z" * 500 + "…"
    assert result["record"]["nested"]["a"] == "q" * 500 + "…"
    wide = {f"f{i}": "w" * 400 for i in range(40)}
    assert len(bound_record(wide, max_bytes=1_000)["record"]) == 20
    assert bound_record({"id": 1}, max_bytes=100) == {"record": {"id": 1}, "truncated": False}


def test_audit_log_appends_one_line_per_entry(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "audit.jsonl"
    clock = lambda: datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)  # noqa: E731
    log = AuditLog(path, "acme+pub", clock)
    assert path.exists() and path.read_text() == ""
    log.write(
        "create_ticket", "sent", PlannedRequest("POST", "/service/tickets", {"a": "é"}), "id=9"
    )
    AuditLog(path, "acme+pub", clock).write("delete_ticket", "refused", None, "no")
    first, second = (json.loads(line) for line in path.read_text().splitlines())
    assert first == {
        "time": "2026-01-02T03:04:05Z",
        "actor": "acme+pub",
        "tool": "create_ticket",
        "outcome": "sent",
        "request": {"method": "POST", "path": "/service/tickets", "query": {}, "body": {"a": "é"}},
        "detail": "id=9",
    }
    assert second["request"] is None and second["outcome"] == "refused"


def test_audit_log_that_cannot_be_opened_raises(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(OSError):
        AuditLog(tmp_path / "file" / "audit.jsonl", "x")


def test_gate_decisions(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "a.jsonl", "x")
    closed = WriteGate(ServerSettings(audit_log=tmp_path / "a.jsonl"), log)
    with pytest.raises(WriteRefusedError, match="read-only"):
        closed.check_allowed("create_ticket", dry_run=False)
    closed.check_allowed("create_ticket", dry_run=True)
    open_gate = WriteGate(ServerSettings(writes_enabled=True, audit_log=tmp_path / "a.jsonl"), log)
    assert open_gate.refusal("create_ticket") is None
    assert "allowlist" in (open_gate.refusal("delete_ticket") or "")
    request = PlannedRequest("DELETE", "/service/tickets/1", destructive=True)
    with pytest.raises(WriteRefusedError, match="confirm=true"):
        open_gate.check_confirmed("delete_ticket", request, confirm=False)
    open_gate.check_confirmed("delete_ticket", request, confirm=True)
    preview = open_gate.preview("create_ticket", PlannedRequest("POST", "/service/tickets", {}))
    assert preview["would_be_refused"] is None and preview["sent"] is False
    outcomes = [json.loads(line)["outcome"] for line in log.path.read_text().splitlines()]
    assert outcomes == ["refused", "refused", "dry_run"]


def test_the_public_surface_is_pinned_and_documented() -> None:
    import inspect

    import cw_facade.mcp as package

    assert len(package.__all__) == len(set(package.__all__))
    assert set(package.__all__) == {
        "WRITE_TOOLS", "Credentials", "ServerSettings", "build_server", "main"
    }  # fmt: skip
    for name in package.__all__:
        member = getattr(package, name)
        if inspect.isclass(member) or inspect.isfunction(member):
            assert inspect.getdoc(member), name
