"""Fixtures for the MCP server's tests: the simulator, credentials for it, and an audit path."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest
from mcp import Client

from cw_facade import SecretString
from cw_facade.mcp import Credentials, ServerSettings, build_server
from cw_facade.testing import ManageSimulator
from cw_facade.testing.pytest_plugin import manage_simulator, manage_simulator_session

__all__ = ["manage_simulator", "manage_simulator_session"]

T = TypeVar("T")


@pytest.fixture
def sim(manage_simulator: ManageSimulator) -> ManageSimulator:
    """The shared simulator, reset to the demo data with an empty request log."""
    return manage_simulator


@pytest.fixture
def credentials(sim: ManageSimulator) -> Credentials:
    """The simulator's demo member."""
    return Credentials(
        sim.base_url, sim.company, sim.public_key, SecretString(sim.private_key), sim.client_id
    )


@pytest.fixture
def audit_path(tmp_path: Path) -> Path:
    """Where this test's audit log goes."""
    return tmp_path / "audit" / "mcp-audit.jsonl"


def audit_lines(path: Path) -> list[dict[str, Any]]:
    """The audit log's entries ([] when the file is empty)."""
    return [json.loads(line) for line in path.read_text().splitlines()]


def run(server: Any, script: Callable[[Client], Awaitable[T]]) -> T:
    """Connect the SDK's client to ``server`` in-process and run ``script`` with it."""

    async def main() -> T:
        async with Client(server) as client:
            return await script(client)

    return anyio.run(main)


def call(server: Any, tool: str, arguments: dict[str, Any]) -> Any:
    """Call one tool in a fresh in-process session; the SDK's ``CallToolResult``."""

    async def script(client: Client) -> Any:
        return await client.call_tool(tool, arguments)

    return run(server, script)


@pytest.fixture
def make_server(credentials: Credentials, audit_path: Path) -> Callable[..., Any]:
    """Build a server for the simulator; keyword arguments are :class:`ServerSettings` fields."""

    def make(**settings: Any) -> Any:
        settings.setdefault("audit_log", audit_path)
        return build_server(ServerSettings(**settings), credentials=credentials)

    return make


def writes(sim: ManageSimulator) -> list[tuple[str, str]]:
    """The write requests the simulator received (method, path)."""
    return [(r.method, r.path) for r in sim.request_log if r.method != "GET"]
