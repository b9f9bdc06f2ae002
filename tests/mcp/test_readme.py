"""The README's MCP host snippet is valid JSON and starts the server the way it says."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cw_facade.mcp._credentials import ENV_NAMES

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_mcp_servers_snippet_names_the_real_command_and_variables() -> None:
    section = README.read_text().split("## AI agents (MCP)", 1)[1]
    (snippet,) = re.findall(r"```json\n(.*?)```", section.split("\n## ", 1)[0], re.S)
    entry = json.loads(snippet)["mcpServers"]["connectwise"]
    assert entry["args"] == ["-m", "cw_facade.mcp"]
    assert set(entry["env"]) == set(ENV_NAMES.values())
