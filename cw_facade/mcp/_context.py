"""What every tool shares: the server's settings, its one ConnectWise client and the write gate."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from mcp.server.mcpserver.exceptions import ToolError

from cw_facade._errors import ConnectWiseError
from cw_facade.mcp._safety import WriteGate, WriteRefusedError
from cw_facade.mcp._settings import ServerSettings

if TYPE_CHECKING:
    from cw_facade._async._client import AsyncConnectWiseClient

P = ParamSpec("P")
R = TypeVar("R")

#: Builds the server's client on first use (tests hand in one on a mock transport).
ClientFactory = Callable[[], "AsyncConnectWiseClient"]


class ToolContext:
    """The settings, the write gate and the lazily built client of one server process."""

    def __init__(self, settings: ServerSettings, gate: WriteGate, factory: ClientFactory) -> None:
        """Share ``settings`` and ``gate``; ``factory`` builds the client when a tool needs it."""
        self.settings = settings
        self.gate = gate
        self._factory = factory
        self._client: AsyncConnectWiseClient | None = None

    def client(self) -> AsyncConnectWiseClient:
        """The ConnectWise client, built on first use."""
        if self._client is None:
            self._client = self._factory()
        return self._client

    async def aclose(self) -> None:
        """Close the client, if one was built (the next use builds a new one)."""
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def limit(self, requested: int) -> int:
        """``requested`` records, capped by the server's ``max_records``."""
        return min(requested, self.settings.max_records)


def tool_errors(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Report expected failures to the agent as tool errors with a useful message.

    ConnectWise errors (their text names status, code, message and request, never
    credentials), refused writes and bad arguments (``ValueError``) become ``ToolError``.
    """

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await fn(*args, **kwargs)
        except (ConnectWiseError, WriteRefusedError, ValueError) as exc:
            raise ToolError(str(exc)) from exc

    return wrapper


def not_found(kind: str, record_id: int) -> ToolError:
    """The error for a lookup by id that found nothing."""
    return ToolError(f"{kind} {record_id} not found (or not visible to this member)")


def as_dict(value: Any) -> dict[str, Any]:
    """A JSON object answer, or ``{}`` for anything else."""
    return value if isinstance(value, dict) else {}
