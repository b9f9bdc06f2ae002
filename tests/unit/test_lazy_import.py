"""``import cw_facade`` stays light: the async client (and asyncio) load on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import cw_facade

HEAVY = ("asyncio", "attr", "attrs", "cw_facade._async_client", "cw_manage_client")


def test_import_loads_neither_asyncio_nor_attrs() -> None:
    probe = f"import sys, cw_facade; print([m for m in {HEAVY!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_async_client_is_exported_lazily() -> None:
    from cw_facade import AsyncConnectWiseClient
    from cw_facade._async_client import AsyncConnectWiseClient as Real

    assert AsyncConnectWiseClient is Real
    assert cw_facade.AsyncConnectWiseClient is Real
    assert "AsyncConnectWiseClient" in dir(cw_facade)


def test_unknown_names_still_raise() -> None:
    with pytest.raises(AttributeError, match="no attribute 'AsyncClient'"):
        cw_facade.AsyncClient  # noqa: B018
    with pytest.raises(ImportError):
        from cw_facade import Nope  # type: ignore[attr-defined]  # noqa: F401
