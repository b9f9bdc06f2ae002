"""``python -m cw_facade.mcp`` as a subprocess: stdio through the SDK's stdio client, HTTP,
and the one-line messages for a missing SDK or missing credentials."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import get_default_environment

from cw_facade.testing import ManageSimulator
from tests.mcp.conftest import audit_lines, writes


def server_env(sim: ManageSimulator, audit: Path, **extra: str) -> dict[str, str]:
    return {
        **get_default_environment(),
        "CW_BASE_URL": sim.base_url,
        "CW_COMPANY": sim.company,
        "CW_PUBLIC_KEY": sim.public_key,
        "CW_PRIVATE_KEY": sim.private_key,
        "CW_CLIENT_ID": sim.client_id,
        "CW_MCP_AUDIT_LOG": str(audit),
        "CW_CONFIG": str(audit.parent / "no-config.toml"),
        **extra,
    }


def run_stdio(params: StdioServerParameters, calls: list[tuple[str, dict[str, Any]]]) -> Any:
    async def main() -> Any:
        async with Client(params) as client:
            names = sorted(tool.name for tool in (await client.list_tools()).tools)
            results = [await client.call_tool(name, args) for name, args in calls]
            return names, results

    return anyio.run(main)


def test_stdio_subprocess_reads_and_refuses_writes(sim: ManageSimulator, tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "cw_facade.mcp"], env=server_env(sim, audit)
    )
    names, (found, refused) = run_stdio(
        params,
        [
            ("search_tickets", {"filters": [{"field": "id", "op": "<=", "value": 3}]}),
            ("create_ticket", {"summary": "x", "company_id": 250}),
        ],
    )
    assert "search_tickets" in names and "create_ticket" in names
    assert [r["id"] for r in found.structured_content["records"]] == [1, 2, 3]
    assert refused.is_error and "read-only" in refused.content[0].text
    assert writes(sim) == []
    assert [line["outcome"] for line in audit_lines(audit)] == ["refused"]


def test_stdio_subprocess_with_writes_enabled(sim: ManageSimulator, tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "cw_facade.mcp", "--allow-writes", "--writable", "add_ticket_note"],
        env=server_env(sim, audit),
    )
    _, (note, ticket) = run_stdio(
        params,
        [
            ("add_ticket_note", {"ticket_id": 2, "text": "from an agent"}),
            ("create_ticket", {"summary": "x", "company_id": 250}),
        ],
    )
    assert note.structured_content["sent"] is True
    assert ticket.is_error and "allowlist" in ticket.content[0].text
    assert writes(sim) == [("POST", "/v4_6_release/apis/3.0/service/tickets/2/notes")]
    assert [line["outcome"] for line in audit_lines(audit)] == ["sent", "refused"]


def test_stdio_subprocess_with_credentials_from_a_profile(
    sim: ManageSimulator, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'''[profiles.sim]
base_url = "{sim.base_url}"
company = "{sim.company}"
public_key = "{sim.public_key}"
private_key = "{sim.private_key}"
client_id = "{sim.client_id}"
'''
    )
    config.chmod(0o600)
    env = {
        **get_default_environment(),
        "CW_CONFIG": str(config),
        "CW_MCP_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
    }
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "cw_facade.mcp", "--profile", "sim"], env=env
    )
    _, (company,) = run_stdio(params, [("get_company", {"company_id": 250})])
    assert company.structured_content["record"]["id"] == 250


def run_module(args: list[str], env: dict[str, str], prelude: str = "") -> Any:
    code = f"{prelude}import sys; from cw_facade.mcp import main; sys.exit(main({args!r}))"
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def test_without_the_sdk_it_prints_the_install_hint(sim: ManageSimulator, tmp_path: Path) -> None:
    done = run_module(
        [], server_env(sim, tmp_path / "a"), "import sys; sys.modules['mcp'] = None; "
    )
    assert done.returncode == 2
    assert "pip install 'cw-facade[mcp]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_credentials_and_bad_values_are_one_line(tmp_path: Path) -> None:
    env = {
        **get_default_environment(),
        "CW_MCP_AUDIT_LOG": str(tmp_path / "a"),
        "CW_CONFIG": str(tmp_path / "none.toml"),
    }
    done = run_module([], env)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "CW_BASE_URL" in done.stderr and "CW_PRIVATE_KEY" in done.stderr
    bad = run_module(["--writable", "drop_tables"], {**env, "CW_MCP_ALLOW_WRITES": "yes"})
    assert bad.returncode == 2 and "not write tools: drop_tables" in bad.stderr
    flag = run_module([], {**env, "CW_MCP_ALLOW_WRITES": "maybe"})
    assert flag.returncode == 2 and "CW_MCP_ALLOW_WRITES" in flag.stderr
    unknown = run_module(["--profile", "nope"], env)
    assert unknown.returncode == 2 and "no profile 'nope'" in unknown.stderr
    remote = run_module(["--transport", "streamable-http", "--host", "0.0.0.0"], env)
    assert remote.returncode == 2 and "--allow-remote" in remote.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def http_server(sim: ManageSimulator, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cw_facade.mcp", "--transport", "streamable-http",
         "--port", str(port)],
        env=server_env(sim, tmp_path / "audit.jsonl"),
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        for _ in range(300):  # wait until it listens (or exits)
            if process.poll() is not None:
                raise AssertionError(process.stderr.read() if process.stderr else "exited")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()


def test_streamable_http_on_loopback(http_server: str) -> None:
    async def main() -> Any:
        async with Client(http_server) as client:
            return await client.call_tool("get_ticket", {"ticket_id": 4, "include_notes": False})

    result = anyio.run(main)
    assert result.structured_content["record"]["id"] == 4
