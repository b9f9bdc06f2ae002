"""What one MCP server process may do: writes, the allowlist, the audit log and result bounds."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: Every tool that changes data in ConnectWise.
WRITE_TOOLS = frozenset(
    {"create_ticket", "add_ticket_note", "update_ticket_status", "delete_ticket"}
)

#: Write tools allowed when writes are enabled and no allowlist is given: all but deleting.
DEFAULT_WRITABLE = WRITE_TOOLS - {"delete_ticket"}

#: Records a list tool returns when the caller gives no ``limit``.
DEFAULT_LIMIT = 25
#: The most records any one tool call returns.
DEFAULT_MAX_RECORDS = 100
#: The most characters of JSON any one tool call returns.
DEFAULT_MAX_BYTES = 60_000

#: Environment variables read by :meth:`ServerSettings.from_env`.
ENV_ALLOW_WRITES = "CW_MCP_ALLOW_WRITES"
ENV_WRITABLE = "CW_MCP_WRITABLE"
ENV_AUDIT_LOG = "CW_MCP_AUDIT_LOG"
ENV_MAX_RECORDS = "CW_MCP_MAX_RECORDS"
ENV_MAX_BYTES = "CW_MCP_MAX_BYTES"

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


def default_audit_log() -> Path:
    """``$XDG_STATE_HOME/cw-facade/mcp-audit.jsonl`` (``~/.local/state`` without it)."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "cw-facade" / "mcp-audit.jsonl"


def parse_writable(text: str | Iterable[str]) -> frozenset[str]:
    """Read an allowlist (``"create_ticket,add_ticket_note"`` or an iterable of names).

    Raises ``ValueError`` naming any entry that is not a write tool.
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    names = frozenset(item.strip() for item in items if item.strip())
    unknown = sorted(names - WRITE_TOOLS)
    if unknown:
        raise ValueError(
            f"not write tools: {', '.join(unknown)} (write tools: {', '.join(sorted(WRITE_TOOLS))})"
        )
    return names


def parse_flag(name: str, text: str) -> bool:
    """Read a yes/no environment value; raises ``ValueError`` for anything else."""
    folded = text.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(f"{name} must be 1/0, true/false, yes/no or on/off, not {text!r}")


def _positive(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """The safety settings of one server process.

    ``writes_enabled``: write tools may send (default ``False``: read-only; ``dry_run`` works
    either way). ``writable``: the write tools allowed when writes are enabled (default: all
    but ``delete_ticket``). ``audit_log``: the JSON-lines file every write-tool call is
    appended to (default :func:`default_audit_log`). ``max_records`` and ``max_bytes`` bound
    every tool result. Raises ``ValueError`` for an unknown write tool or a bound below 1.
    """

    writes_enabled: bool = False
    writable: frozenset[str] = DEFAULT_WRITABLE
    audit_log: Path = field(default_factory=default_audit_log)
    max_records: int = DEFAULT_MAX_RECORDS
    max_bytes: int = DEFAULT_MAX_BYTES

    def __post_init__(self) -> None:
        object.__setattr__(self, "writable", parse_writable(self.writable))
        object.__setattr__(self, "audit_log", Path(self.audit_log))
        _positive("max_records", self.max_records)
        _positive("max_bytes", self.max_bytes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServerSettings:
        """Settings from ``CW_MCP_*`` variables (see the module constants); unset means default.

        Raises ``ValueError`` for a malformed value, naming the variable.
        """
        env = os.environ if env is None else env
        kwargs: dict[str, object] = {}
        if ENV_ALLOW_WRITES in env:
            kwargs["writes_enabled"] = parse_flag(ENV_ALLOW_WRITES, env[ENV_ALLOW_WRITES])
        if env.get(ENV_WRITABLE, "").strip():
            kwargs["writable"] = parse_writable(env[ENV_WRITABLE])
        if env.get(ENV_AUDIT_LOG, "").strip():
            kwargs["audit_log"] = Path(env[ENV_AUDIT_LOG])
        for name, key in ((ENV_MAX_RECORDS, "max_records"), (ENV_MAX_BYTES, "max_bytes")):
            if env.get(name, "").strip():
                try:
                    kwargs[key] = int(env[name])
                except ValueError:
                    raise ValueError(f"{name} must be an integer, not {env[name]!r}") from None
        return cls(**kwargs)  # type: ignore[arg-type]
