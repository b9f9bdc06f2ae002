"""``cw doctor``: check a configuration step by step and say what to fix.

Each check prints ``[ok  ]``, ``[warn]`` or ``[FAIL]`` with what it found and, when something
is wrong, a ``fix:`` line. Checks that need an earlier one to pass are skipped when it did not.
Exit status 0 when nothing failed (warnings allowed), 3 otherwise. Nothing here prints a key.
The steps before the login live in :mod:`cw_facade.cli._doctor_setup`; this module holds the
authenticated ones (login, reads, callbacks), the order and the command.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx

from cw_facade import (
    ConnectWiseAuthError,
    ConnectWiseConfigurationError,
    ConnectWiseConnectionError,
    ConnectWiseError,
    ConnectWiseNotFoundError,
    ConnectWisePermissionError,
)
from cw_facade.cli._config import ConfigError
from cw_facade.cli._doctor_setup import (
    PROBE_TIMEOUT_S,
    Check,
    Findings,
    check_credentials,
    check_discovery,
    check_host,
    check_settings,
    check_version_and_clock,
)
from cw_facade.cli._exit import CONFIG, OK

if TYPE_CHECKING:
    from cw_facade.cli._app import Context

#: The reads checked, with the security-role permission each needs.
READS = (
    ("tickets", "service/tickets", "Service Desk > Service Tickets (Inquire)"),
    ("boards", "service/boards", "System > Table Setup (Inquire)"),
    ("companies", "company/companies", "Companies > Company Maintenance (Inquire)"),
    ("contacts", "company/contacts", "Companies > Contacts (Inquire)"),
    ("configurations", "company/configurations", "Companies > Configurations (Inquire)"),
    ("time entries", "time/entries", "Time & Expense > Time Entry (Inquire)"),
    ("agreements", "finance/agreements", "Finance > Agreements (Inquire)"),
    ("callbacks", "system/callbacks", "System > Table Setup (Inquire)"),
)


def check_login(ctx: Context, found: Findings) -> Iterator[Check]:
    """One authenticated call (``system/info``)."""
    try:
        ctx.client().ping()
    except ConnectWiseAuthError as exc:
        yield Check(
            False,
            f"login refused: {exc.status_code} {exc.message}",
            "check company, public/private key (the API member must be active) and clientId",
        )
        return
    except ConnectWiseNotFoundError:
        yield Check(
            False,
            "login: 404 from the API root (wrong codebase or API host)",
            "remove the codebase setting so discovery finds it, or fix base_url",
        )
        return
    except (ConnectWiseConnectionError, ConnectWiseConfigurationError) as exc:
        yield Check(False, f"login: {exc}", "check base_url and the network")
        return
    except ConnectWiseError as exc:
        yield Check(False, f"login: {exc}", "the server fails: try again later or ask its admin")
        return
    found.authenticated = True
    yield Check(True, f"logged in at {ctx.client().api_root}")


def check_reads(ctx: Context) -> Iterator[Check]:
    """A one-record read of each main resource; a 403 names the permission to grant."""
    client = ctx.client()
    for label, endpoint, permission in READS:
        try:
            answer = client.get(endpoint, pagesize=1, fields="id")
        except ConnectWisePermissionError:
            yield Check(
                False,
                f"read {label}: 403 forbidden",
                f"grant the API member's security role {permission}",
            )
            continue
        except ConnectWiseError as exc:
            yield Check(False, f"read {label}: {exc}")
            continue
        if answer is None:
            yield Check(None, f"read {label}: not served here (404 on {endpoint})")
        else:
            yield Check(True, f"read {label}")


def check_callbacks(ctx: Context) -> Iterator[Check]:
    """Registered callbacks, and whether each URL answers a HEAD (or GET)."""
    try:
        registered = ctx.client().get("system/callbacks") or []
    except ConnectWiseError as exc:
        yield Check(None, f"callbacks: cannot list them ({exc})")
        return
    if not registered:
        yield Check(True, "callbacks: none registered")
        return
    with httpx.Client(transport=ctx.transport, timeout=PROBE_TIMEOUT_S) as http:
        for entry in registered:
            yield _probe(http, entry)


def _probe(http: httpx.Client, entry: dict[str, Any]) -> Check:
    url, kind = str(entry.get("url") or ""), entry.get("type") or "?"
    name = f"callback {entry.get('id')} ({kind}) {url}"
    if entry.get("inactiveFlag"):
        return Check(
            None,
            f"{name}: inactive",
            "ConnectWise disables a callback after three "
            "days of failed deliveries: fix the receiver, then reactivate it",
        )
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = httpx.URL("")
    if parsed.scheme not in {"http", "https"} or not parsed.host:
        return Check(False, f"{name}: not an http(s) URL", "register the receiver's https URL")
    try:
        response = http.head(url)
        if response.status_code in {405, 501}:
            response = http.get(url)
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        return Check(
            False,
            f"{name}: no answer ({type(exc).__name__})",
            "ConnectWise cannot deliver there: check the receiver is up and public",
        )
    if response.status_code in {404, 410} or response.status_code >= 500:
        return Check(
            False,
            f"{name}: answers {response.status_code}",
            "deliveries there fail; ConnectWise disables it after three days",
        )
    return Check(True, f"{name}: answers {response.status_code}")


def diagnose(ctx: Context) -> Iterator[Check]:
    """Every check in order, skipping those whose prerequisites failed."""
    try:
        settings = ctx.settings()
    except ConfigError as exc:
        yield Check(False, str(exc))
        return
    yield from check_settings(settings)
    if not settings.base_url:
        return
    found = Findings()
    yield from check_host(settings, found)
    if found.site_url is None or not settings.company:
        return
    yield from check_discovery(ctx, settings, found)
    if settings.missing:
        return
    yield from check_credentials(settings)
    yield from check_version_and_clock(settings, found)
    yield from check_login(ctx, found)
    if found.authenticated:
        yield from check_reads(ctx)
        yield from check_callbacks(ctx)


def run(ctx: Context, args: argparse.Namespace) -> int:
    """``cw doctor``."""
    failed = 0
    for check in diagnose(ctx):
        ctx.console.status(check.ok, check.text)
        if check.fix:
            ctx.console.data(f"       fix: {check.fix}\n")
        failed += check.ok is False
        ctx.console.stdout.flush()
    summary = f"{failed} check(s) failed" if failed else "no problems found"
    ctx.console.say(summary)
    return CONFIG if failed else OK


def register(commands: Any, parents: dict[str, argparse.ArgumentParser]) -> None:
    """Add ``cw doctor``."""
    parser = commands.add_parser(
        "doctor",
        parents=[parents["connection"]],
        help="check the configuration step by step",
        description=(
            "Check the connection settings step by step: site and API host, codebase "
            "discovery, the credentials' form, clientId, API version, clock, login, a read of "
            "each main resource (403 names the missing permission) and the callbacks' URLs."
        ),
        epilog="examples:\n  cw doctor\n  cw doctor --profile staging\n"
        "exit status 0 when no check failed, 3 otherwise.",
    )
    parser.add_argument("--no-color", action="store_true")
    parser.set_defaults(handler=run)
