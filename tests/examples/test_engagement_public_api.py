"""The engagement example is the regression test of the public API: it imports only public
cw_facade names and the standard library (besides its own modules)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.examples.conftest import ENGAGEMENT

SOURCES = sorted(ENGAGEMENT.glob("*.py"))
OWN = {path.stem for path in SOURCES}


def imports(path: Path) -> list[tuple[str, str | None]]:
    """(module, imported name or None) for every import of a file."""
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import"
            found += [(node.module or "", alias.name) for alias in node.names]
    return found


def test_there_are_sources_to_check() -> None:
    assert {"score", "engagement_rules", "engagement_db", "engagement_demo"} <= OWN


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_only_public_cw_facade_names_and_the_standard_library(path: Path) -> None:
    for module, name in imports(path):
        top = module.split(".")[0]
        if top == "cw_facade":
            assert not any(part.startswith("_") for part in module.split(".")), (module, name)
            assert name is None or not name.startswith("_"), (module, name)
        else:
            assert top in OWN or top in sys.stdlib_module_names, (path.name, module)
