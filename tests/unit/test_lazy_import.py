"""``import cw_facade`` stays light: the async client and the conditions parser load on use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import cw_facade

HEAVY = (
    "asyncio",
    "attr",
    "attrs",
    "cw_facade._async._client",
    "cw_facade._webhooks",
    "cw_facade.conditions",
    "cw_manage_client",
)


def test_import_loads_no_heavy_module() -> None:
    probe = f"import sys, cw_facade; print([m for m in {HEAVY!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_async_client_is_exported_lazily() -> None:
    from cw_facade import AsyncConnectWiseClient
    from cw_facade._async._client import AsyncConnectWiseClient as Real

    assert AsyncConnectWiseClient is Real
    assert cw_facade.AsyncConnectWiseClient is Real
    assert "AsyncConnectWiseClient" in dir(cw_facade)


def test_conditions_names_are_exported_lazily() -> None:
    from cw_facade import C, ConditionsSyntaxError, conditions, parse

    assert (C, ConditionsSyntaxError, parse) == (
        conditions.C,
        conditions.ConditionsSyntaxError,
        conditions.parse,
    )
    assert {"C", "ConditionsSyntaxError", "parse"} <= set(dir(cw_facade))


def test_a_plain_string_condition_is_still_validated_before_sending() -> None:
    probe = (
        "import sys, cw_facade\n"
        "c = cw_facade.ConnectWiseClient('http://127.0.0.1:9', 'acme', 'pub', 'priv',"
        " 'c1d2e3f4-0000-4000-8000-000000000001', codebase='v4_6_release',"
        " allow_insecure_http=True, max_retries=0)\n"
        "try:\n"
        "    c.get_tickets('summary = ')\n"
        "except cw_facade.ConditionsSyntaxError:\n"
        "    print('refused')\n"
        "c.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "refused"


def test_webhook_helpers_are_exported_lazily() -> None:
    from cw_facade import _webhooks, compute_signature, parse_callback

    assert (compute_signature, parse_callback) == (
        _webhooks.compute_signature,
        _webhooks.parse_callback,
    )


def test_unknown_names_still_raise() -> None:
    with pytest.raises(AttributeError, match="no attribute 'AsyncClient'"):
        cw_facade.AsyncClient  # noqa: B018
    with pytest.raises(ImportError):
        from cw_facade import Nope  # type: ignore[attr-defined]  # noqa: F401
