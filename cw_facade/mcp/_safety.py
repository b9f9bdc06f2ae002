"""The write gate and the audit log of the MCP server.

Every write tool goes through :class:`WriteGate`:

1. :meth:`WriteGate.refusal` — without ``dry_run``, a write is refused unless the server was
   started with writes enabled and the tool is on the allowlist;
2. the tool plans its request (:class:`PlannedRequest`: method, path, query, body), doing any
   reads it needs to resolve names;
3. ``dry_run`` returns the plan and sends nothing; a destructive plan (deleting, or moving a
   ticket to a closed status) is refused unless the call says ``confirm=true``;
4. the request is sent.

Whatever the outcome, :class:`AuditLog` appends exactly one JSON line per write-tool call:
when (UTC), who (``company+public_key``, never the private key), which tool, the planned
request, the outcome (``refused``, ``dry_run``, ``sent``, ``failed``) and a short detail.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from cw_facade.mcp._settings import ServerSettings

#: What became of one write-tool call.
Outcome = Literal["refused", "dry_run", "sent", "failed"]


class WriteRefusedError(Exception):
    """A write tool was called but may not send: the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class PlannedRequest:
    """The exact request a write tool sends.

    ``path`` is relative to the API root (``…/apis/3.0``), e.g. ``/service/tickets/5``;
    ``query`` holds the query parameters (usually none for writes); ``body`` is the JSON body,
    ``None`` for a request without one. ``destructive`` marks a request that needs ``confirm``.
    """

    method: str
    path: str
    body: Any = None
    query: dict[str, str] = field(default_factory=dict)
    destructive: bool = False

    @property
    def endpoint(self) -> str:
        """The path without its leading slash, as the raw client methods take it."""
        return self.path.lstrip("/")

    def to_dict(self) -> dict[str, Any]:
        """The request as JSON: ``method``, ``path``, ``query``, ``body``."""
        return {"method": self.method, "path": self.path, "query": self.query, "body": self.body}


def _now() -> datetime:
    return datetime.now(UTC)


class AuditLog:
    """An append-only JSON-lines file; one line per write-tool call.

    The file is created with mode 0600 (its folder too, if missing) and only ever appended to,
    one whole line per ``write`` under a lock. ``clock`` gives the time (tests pin it).
    Raises ``OSError`` at construction when the file cannot be opened for appending.
    """

    def __init__(self, path: Path, actor: str, clock: Callable[[], datetime] = _now) -> None:
        """Open (create) ``path`` for appending; ``actor`` is written on every line."""
        self.path = Path(path)
        self.actor = actor
        self._clock = clock
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))

    def write(
        self,
        tool: str,
        outcome: Outcome,
        request: PlannedRequest | None,
        detail: str | None = None,
    ) -> None:
        """Append one line: time, actor, tool, request, outcome, detail."""
        entry = {
            "time": self._clock().isoformat(timespec="seconds").replace("+00:00", "Z"),
            "actor": self.actor,
            "tool": tool,
            "outcome": outcome,
            "request": None if request is None else request.to_dict(),
            "detail": detail,
        }
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)


class WriteGate:
    """Decides whether a write tool may send, and records every decision in the audit log."""

    def __init__(self, settings: ServerSettings, audit: AuditLog) -> None:
        """Gate writes by ``settings``; log to ``audit``."""
        self.settings = settings
        self.audit = audit

    def refusal(self, tool: str) -> str | None:
        """Why ``tool`` may not send now, or ``None`` when it may."""
        if not self.settings.writes_enabled:
            return (
                f"{tool} is a write and this server is read-only: start it with --allow-writes "
                "(or CW_MCP_ALLOW_WRITES=1); dry_run=true shows the request without sending it"
            )
        if tool not in self.settings.writable:
            allowed = ", ".join(sorted(self.settings.writable)) or "none"
            return (
                f"{tool} is not on this server's allowlist of writable tools ({allowed}); "
                "add it with --writable"
            )
        return None

    def check_allowed(self, tool: str, dry_run: bool) -> None:
        """Refuse (and log) a real write the server does not allow; a dry run always passes.

        Raises :class:`WriteRefusedError`.
        """
        reason = None if dry_run else self.refusal(tool)
        if reason is not None:
            self.audit.write(tool, "refused", None, reason)
            raise WriteRefusedError(reason)

    def preview(self, tool: str, request: PlannedRequest) -> dict[str, Any]:
        """Log a dry run of ``request`` and return what the agent sees: the request, unsent."""
        reason = self.refusal(tool)
        if reason is None and request.destructive:
            reason = "destructive: the real call needs confirm=true"
        self.audit.write(tool, "dry_run", request, reason)
        return {
            "dry_run": True,
            "sent": False,
            "request": request.to_dict(),
            "destructive": request.destructive,
            "would_be_refused": self.refusal(tool),
        }

    def check_confirmed(self, tool: str, request: PlannedRequest, confirm: bool) -> None:
        """Refuse (and log) a destructive ``request`` made without ``confirm``.

        Raises :class:`WriteRefusedError`.
        """
        if request.destructive and not confirm:
            reason = (
                f"{tool} would {request.method} {request.path}, which is destructive: call "
                "again with confirm=true once the user has agreed (dry_run=true shows the request)"
            )
            self.audit.write(tool, "refused", request, reason)
            raise WriteRefusedError(reason)
