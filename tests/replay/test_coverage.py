"""Every public method of both clients is called by at least one replayed test.

The replay test modules are scanned statically: a call ``<name>.method(...)`` inside a
``test_*`` function counts for :class:`ConnectWiseClient` when ``<name>`` is ``client`` or ends
in ``_client``, and for :class:`AsyncConnectWiseClient` when it is ``aclient`` or ends in
``_aclient`` (the fixtures and factories of ``conftest.py`` hand out exactly those types).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cw_facade import AsyncConnectWiseClient, ConnectWiseClient

pytestmark = pytest.mark.replay_meta

HERE = Path(__file__).resolve().parent
SYNC_NAME = re.compile(r"^(\w+_)?client$")
ASYNC_NAME = re.compile(r"^(\w+_)?aclient$")


def public_methods(cls: type) -> set[str]:
    """Callable public attributes of ``cls`` (properties are not callable)."""
    return {n for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n))}


def _calls_in(function: ast.AST) -> list[tuple[str, str]]:
    calls = []
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name):
                calls.append((owner.id, node.func.attr))
    return calls


def called_methods(source: str) -> tuple[set[str], set[str]]:
    """Methods called on sync and on async clients inside the ``test_*`` functions of source."""
    sync: set[str] = set()
    asynchronous: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test_"
        ):
            for owner, method in _calls_in(node):
                if ASYNC_NAME.match(owner):
                    asynchronous.add(method)
                elif SYNC_NAME.match(owner):
                    sync.add(method)
    return sync, asynchronous


def _scan() -> tuple[set[str], set[str]]:
    sync: set[str] = set()
    asynchronous: set[str] = set()
    for module in sorted(HERE.glob("test_*.py")):
        if module.name != Path(__file__).name:
            found = called_methods(module.read_text(encoding="utf-8"))
            sync |= found[0]
            asynchronous |= found[1]
    return sync, asynchronous


SYNC_CALLED, ASYNC_CALLED = _scan()


@pytest.mark.parametrize(
    ("cls", "called"),
    [(ConnectWiseClient, SYNC_CALLED), (AsyncConnectWiseClient, ASYNC_CALLED)],
    ids=["sync", "async"],
)
def test_every_public_method_is_replayed(cls: type, called: set[str]) -> None:
    public = public_methods(cls)
    assert {"get", "get_all", "iter_all", "create_ticket", "ping"} <= public
    assert sorted(public - called) == []
    assert sorted(called - public) == []  # a typo or a private method would show here


def test_scan_sees_only_test_functions_and_client_names() -> None:
    source = """
def helper(client):
    client.ping()

def test_a(client, other):
    client.get_ticket(1)
    other.get_company(2)
    retrying_client.count("x")

async def test_b(aclient, make_aclient):
    await aclient.get_ticket(1)
    rejected_aclient = make_aclient()
    [t async for t in rejected_aclient.iter_tickets()]
"""
    assert called_methods(source) == ({"get_ticket", "count"}, {"get_ticket", "iter_tickets"})
